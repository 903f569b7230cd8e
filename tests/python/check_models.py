#!/usr/bin/env python3
"""Checks the model tables of a clusterbench result file (models_np2).

Every model case is ok and verified; presets reached /params; latency
percentiles are ordered; FLOP/s agree with the analytic FLOP count and the
latency; /interference holds the co-location matrix; the serving pool
recorded per-request latency, queueing delay and overhead. Exit 1 on a
problem, naming it.
"""
import sys

import h5py
import pandas as pd


def main(path):
    problems = []
    cases = pd.read_hdf(path, "cases")
    # GPU variants of the entries are skipped where there is no GPU: only
    # the host's cases must all be ok here.
    cases = cases[~((cases.status == "skipped") & (cases.backend != "cpu"))]
    metrics = pd.read_hdf(path, "metrics")
    params = pd.read_hdf(path, "params")
    model = cases[cases.kind.isin(["model", "cross_model", "resource_pool"])]
    if len(model) == 0:
        problems.append("no model cases")
    for _, c in model.iterrows():
        if c.status != "ok":
            problems.append(f"case {c.key}: {c.status} {c.error}")

    def metric(case_id, name):
        rows = metrics[(metrics.case_id == case_id) & (metrics.metric == name)]
        return rows.iloc[0] if len(rows) else None

    def param(case_id, name):
        rows = params[(params.case_id == case_id) & (params.name == name)]
        return rows.iloc[0] if len(rows) else None

    for _, c in cases[cases.benchmark == "model.transformer"].iterrows():
        lat, flops = metric(c.case_id, "latency"), metric(c.case_id, "flops")
        for name in ("latency", "throughput", "token_throughput", "flops", "memory"):
            m = metric(c.case_id, name)
            if m is None or not m.valid:
                problems.append(f"{c.key}: {name} missing or not valid")
        if lat is None or flops is None:
            continue
        if not lat["min"] <= lat["median"] <= lat.p90 <= lat.p99 <= lat["max"]:
            problems.append(f"{c.key}: latency percentiles out of order")
        gflop = param(c.case_id, "gflop_per_inference").value_num
        derived = gflop / lat["median"]
        if abs(flops["median"] / derived - 1) > 0.05:
            problems.append(f"{c.key}: flops {flops['median']} vs {derived}")
        preset = param(c.case_id, "preset").value_str
        hidden = param(c.case_id, "hidden").value_num
        if preset == "bert-tiny" and hidden != 128:
            problems.append(f"{c.key}: preset bert-tiny did not set hidden=128")

    with h5py.File(path, "r") as f:
        if "interference" not in f:
            problems.append("no /interference table")
    if not problems:
        table = pd.read_hdf(path, "interference")
        pairs = sorted(zip(table["model"], table["beside"]))
        # Every ordered pair of each co-location case's models, and for
        # three or more each model beside all the others ("all").
        want = []
        for _, c in cases[cases.benchmark == "cross_model.colocate"].iterrows():
            models = param(c.case_id, "models").value_str.split(",")
            want += [(a, b) for a in models for b in models if a != b]
            if len(models) > 2:
                want += [(a, "all") for a in models]
        if pairs != sorted(want):
            problems.append(f"/interference rows {pairs}, expected {sorted(want)}")
        if not (table.slowdown > 0.3).all():
            problems.append(f"/interference slowdowns {list(table.slowdown)}")
        ratio = table.shared_latency / table.solo_latency
        if ((ratio - table.slowdown).abs() > 1e-9).any():
            problems.append("/interference slowdown is not shared / solo")

    serve = cases[cases.benchmark == "resource_pool.serve"]
    if len(serve) < 2:
        problems.append(f"{len(serve)} serve cases, expected a sweep of K")
    for _, c in serve.iterrows():
        for name in ("throughput", "request_latency", "queue_delay", "pool_overhead"):
            m = metric(c.case_id, name)
            if m is None or not m.valid or m.n == 0:
                problems.append(f"{c.key}: {name} missing")
        lat = metric(c.case_id, "request_latency")
        if lat is not None and not lat["median"] <= lat.p99:
            problems.append(f"{c.key}: request latency p99 < median")
    # The serve cases differ only in contexts: one sweep, one row per K, its
    # throughput the median of the case's throughput metric.
    if len(serve) >= 2:
        with h5py.File(path, "r") as f:
            has_pool = "pool_saturation" in f
        if not has_pool:
            problems.append("no /pool_saturation table")
        else:
            pool = pd.read_hdf(path, "pool_saturation")
            if sorted(pool.contexts) != sorted(serve_contexts(serve, params)):
                problems.append(f"/pool_saturation contexts {list(pool.contexts)}")
            if pool.params.nunique() != 1:
                problems.append("/pool_saturation: not one sweep")
            best = pool.throughput.max()
            k = pool.saturation_contexts.iloc[0]
            first = pool[pool.throughput >= best / 1.05].contexts.min()
            if k != first:
                problems.append(f"/pool_saturation: K={k}, first within 5% is {first}")
            for _, c in serve.iterrows():
                m = metric(c.case_id, "throughput")
                k_case = serve_contexts(serve[serve.case_id == c.case_id], params)[0]
                row = pool[pool.contexts == k_case]
                if m is not None and len(row) == 1 and row.throughput.iloc[0] != m["median"]:
                    problems.append(f"/pool_saturation K={k_case}: throughput is not the case's median")

    for p in problems:
        print("problem:", p)
    print(f"{path}: {len(model)} model cases, {len(problems)} problem(s)")
    return 1 if problems else 0


def serve_contexts(serve, params):
    """The contexts parameter of each serve case, in order."""
    p = params[(params.name == "contexts") & params.case_id.isin(serve.case_id)]
    return [int(p[p.case_id == cid].value_num.iloc[0]) for cid in serve.case_id]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
