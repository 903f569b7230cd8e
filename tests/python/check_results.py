#!/usr/bin/python3
"""Check a clusterbench result file against the contract (DESIGN.md "Results
in HDF5", docs/results-schema.md) the way users read it: h5py, pandas and
h5dump.

    check_results.py FILE.h5 [--ranks N] [--nodes N] [--status complete]
                     [--min-cases N] [--require-benchmark NAME ...]

Prints a one-line summary and exits 0, or lists every problem and exits 1
(2 if the file cannot be opened at all). Run it with Debian's /usr/bin/python3,
which has h5py, pandas and PyTables.
"""

import argparse
import math
import shutil
import subprocess
import sys

import h5py
import pandas as pd

SCHEMA = "clusterbench"
SCHEMA_VERSION = 1

TABLES = {
    "nodes": ["node_id", "hostname", "cpu_model", "packages", "cores", "pus",
              "numa_nodes", "l3_bytes", "mem_bytes"],
    "ranks": ["rank", "node_id", "local_rank", "cpuset", "pid", "governor", "turbo", "load_start", "load_end"],
    "devices": ["rank", "backend", "index", "name", "uuid", "pci_bus_id",
                "mem_bytes", "compute_units", "clock_mhz", "driver_version",
                "status", "numa_node"],
    "cases": ["case_id", "key", "benchmark", "kind", "scope", "backend",
              "device_name", "ranks", "status", "error", "wall_s",
              "started_utc", "verification"],
    "params": ["case_id", "name", "value_num", "value_str"],
    "metrics": ["case_id", "metric", "unit", "better", "n", "min", "median",
                "mean", "max", "stddev", "p05", "p95", "ci_low", "ci_high",
                "valid", "unstable", "p90", "p99"],
    "samples": ["case_id", "metric", "rank", "index", "value"],
}
# Only present when the run compared against a baseline.
OPTIONAL_TABLES = {
    "comparison": ["key", "metric", "baseline_median", "current_median",
                   "ratio", "p_value", "verdict", "unit", "better",
                   "ratio_ci_low", "ratio_ci_high", "n_baseline", "n_current",
                   "reason", "benchmark", "kind"],
    "comparison_by_kind": ["kind", "geomean_ratio", "metrics"],
    # Only when the run has cross_model.colocate cases.
    "interference": ["case_id", "model", "beside", "solo_latency",
                     "shared_latency", "slowdown", "solo_throughput",
                     "shared_throughput"],
    # Only when the run has resource_pool.serve cases.
    "pool_saturation": ["params", "contexts", "throughput", "latency_p50",
                        "latency_p99", "queue_delay_p50", "pool_overhead_p50",
                        "saturation_contexts", "saturated"],
}
ROOT_ATTRS = ["schema", "schema_version", "tool_version", "git_commit",
              "created_utc", "finished_utc", "status", "command_line",
              "world_size", "n_nodes", "mpi_library", "mpi_thread_level",
              "hdf5_version", "backends_built"]
CASE_STATUSES = {"ok", "failed", "skipped", "timeout"}


def text(value):
    """h5py gives fixed-length strings as bytes, variable-length as str."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return str(value)


class Checker:
    def __init__(self, path, args):
        self.path = path
        self.args = args
        self.problems = []

    def fail(self, message):
        self.problems.append(message)

    def check(self):
        with h5py.File(self.path, "r") as f:
            self.check_attrs(f)
            tables = self.check_tables(f)
        if tables is None:
            return None
        self.check_pandas()
        self.check_inventory(tables)
        self.check_cases(tables)
        self.check_h5dump()
        return tables

    def check_attrs(self, f):
        attrs = {k: f.attrs[k] for k in f.attrs}
        for name in ROOT_ATTRS:
            if name not in attrs:
                self.fail(f"root attribute '{name}' is missing")
        level = text(attrs.get("mpi_thread_level", "single"))
        if level not in ("single", "funneled", "serialized", "multiple"):
            self.fail(f"mpi_thread_level is {level!r}")
        if text(attrs.get("schema", "")) != SCHEMA:
            self.fail(f"schema is {attrs.get('schema')!r}, expected {SCHEMA!r}")
        version = attrs.get("schema_version")
        if not (hasattr(version, "dtype") and version.dtype.kind in "iu"
                or isinstance(version, int)) or int(version) != SCHEMA_VERSION:
            self.fail(f"schema_version is {version!r}, expected integer "
                      f"{SCHEMA_VERSION}")
        self.status = text(attrs.get("status", ""))
        if self.status not in ("partial", "complete"):
            self.fail(f"status is {self.status!r}, expected partial/complete")
        if self.args.status and self.status != self.args.status:
            self.fail(f"status is {self.status!r}, expected {self.args.status!r}")
        if self.status == "complete" and not text(attrs.get("finished_utc", "")):
            self.fail("status is complete but finished_utc is empty")
        self.world_size = int(attrs.get("world_size", -1))
        self.n_nodes = int(attrs.get("n_nodes", -1))
        if "suite" not in f or f["suite"].dtype.kind not in "SO":
            self.fail("/suite is missing or not a string dataset")

    def check_tables(self, f):
        tables = {}
        wanted = dict(TABLES)
        wanted.update({k: v for k, v in OPTIONAL_TABLES.items() if k in f})
        for name, columns in wanted.items():
            if name not in f:
                self.fail(f"table /{name} is missing")
                continue
            dset = f[name]
            if not isinstance(dset, h5py.Dataset) or dset.dtype.names is None:
                self.fail(f"/{name} is not a compound table")
                continue
            if list(dset.dtype.names) != columns:
                self.fail(f"/{name} has columns {list(dset.dtype.names)}, "
                          f"expected {columns}")
                continue
            if dset.ndim != 1 or dset.maxshape[0] is not None or dset.chunks is None:
                self.fail(f"/{name} is not a chunked, extendible 1-D table")
            # The way users read it: straight into a DataFrame.
            frame = pd.DataFrame(dset[()])
            for column in frame.columns:
                if frame[column].dtype == object:
                    frame[column] = frame[column].map(text)
            tables[name] = frame
        return tables if len(tables) == len(wanted) else None

    def check_pandas(self):
        for name in TABLES:
            try:
                frame = pd.read_hdf(self.path, name)
            except Exception as e:  # any failure is the finding
                self.fail(f"pandas.read_hdf(f, {name!r}) failed: {e}")
                continue
            if list(frame.columns) != TABLES[name]:
                self.fail(f"pandas.read_hdf(f, {name!r}) gave columns "
                          f"{list(frame.columns)}")

    def check_inventory(self, t):
        ranks, nodes = t["ranks"], t["nodes"]
        if self.args.ranks is not None:
            if self.world_size != self.args.ranks:
                self.fail(f"world_size is {self.world_size}, expected {self.args.ranks}")
            if sorted(ranks["rank"]) != list(range(self.args.ranks)):
                self.fail(f"/ranks has ranks {sorted(ranks['rank'])}, expected "
                          f"0..{self.args.ranks - 1}")
        if self.args.nodes is not None:
            if self.n_nodes != self.args.nodes:
                self.fail(f"n_nodes is {self.n_nodes}, expected {self.args.nodes}")
            if len(nodes) != self.args.nodes:
                self.fail(f"/nodes has {len(nodes)} rows, expected {self.args.nodes}")
        unknown = set(ranks["node_id"]) - set(nodes["node_id"])
        if unknown:
            self.fail(f"/ranks refers to unknown node_id {sorted(unknown)}")
        unknown = set(t["devices"]["rank"]) - set(ranks["rank"])
        if unknown:
            self.fail(f"/devices refers to unknown rank {sorted(unknown)}")

    def check_cases(self, t):
        cases, metrics = t["cases"], t["metrics"]
        ids = set(cases["case_id"])
        if len(ids) != len(cases):
            self.fail("/cases has duplicate case_id values")
        for name in ("params", "metrics", "samples"):
            orphans = set(t[name]["case_id"]) - ids
            if orphans:
                self.fail(f"/{name} refers to case_id {sorted(orphans)[:10]} "
                          f"missing from /cases")
        bad = set(cases["status"]) - CASE_STATUSES
        if bad:
            self.fail(f"/cases has unknown status values {sorted(bad)}")
        bad = set(metrics["better"]) - {"lower", "higher"}
        if bad:
            self.fail(f"/metrics has unknown better values {sorted(bad)}")
        if not set(metrics["valid"]) <= {0, 1}:
            self.fail("/metrics valid is not 0/1")

        # A benchmark verifies its output and says what it checked.
        unsaid = cases[(cases["status"] == "ok")
                       & (cases["verification"].str.len() == 0)]
        for case_id, key in unsaid[["case_id", "key"]].values:
            self.fail(f"ok case {case_id} ({key}) says nothing about "
                      f"how its output was verified")

        measured = metrics[(metrics["n"] > 0)
                           & metrics["median"].map(math.isfinite)]
        for case_id, key in cases[cases["status"] == "ok"][["case_id", "key"]].values:
            if case_id not in set(measured["case_id"]):
                self.fail(f"ok case {case_id} ({key}) has no metric with n > 0 "
                          f"and a finite median")
        disordered = measured[(measured["ci_low"] > measured["median"])
                              | (measured["median"] > measured["ci_high"])]
        for row in disordered.itertuples():
            self.fail(f"case {row.case_id} metric {row.metric}: not ci_low "
                      f"<= median <= ci_high ({row.ci_low}, {row.median}, "
                      f"{row.ci_high})")

        if self.args.min_cases is not None and len(cases) < self.args.min_cases:
            self.fail(f"{len(cases)} cases, expected at least {self.args.min_cases}")
        for name in self.args.require_benchmark:
            mine = cases[cases["benchmark"] == name]
            if mine.empty:
                self.fail(f"no case of benchmark {name!r}")
            elif not (mine["status"] == "ok").any():
                self.fail(f"no ok case of benchmark {name!r} (statuses: "
                          f"{sorted(set(mine['status']))})")

    def check_h5dump(self):
        h5dump = shutil.which("h5dump")
        if not h5dump:
            return
        run = subprocess.run([h5dump, "-H", self.path], capture_output=True,
                             text=True)
        if run.returncode != 0:
            self.fail(f"h5dump -H exited {run.returncode}: "
                      f"{run.stderr.strip()[:300]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file")
    parser.add_argument("--ranks", type=int, help="expected world size")
    parser.add_argument("--nodes", type=int, help="expected node count")
    parser.add_argument("--status", choices=["partial", "complete"])
    parser.add_argument("--min-cases", type=int)
    parser.add_argument("--require-benchmark", nargs="+", action="extend",
                        default=[], metavar="NAME",
                        help="benchmarks that must have at least one ok case")
    args = parser.parse_args()

    checker = Checker(args.file, args)
    try:
        tables = checker.check()
    except (OSError, KeyError) as e:
        print(f"{args.file}: cannot read as a clusterbench result file: {e}",
              file=sys.stderr)
        return 2
    if checker.problems:
        print(f"{args.file}: {len(checker.problems)} problem(s):", file=sys.stderr)
        for problem in checker.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    counts = tables["cases"]["status"].value_counts()
    by_status = ", ".join(f"{counts[s]} {s}" for s in
                          ("ok", "failed", "skipped", "timeout") if s in counts)
    print(f"{args.file}: OK: {checker.status}, {checker.world_size} ranks on "
          f"{checker.n_nodes} nodes, {len(tables['cases'])} cases ({by_status}), "
          f"{len(tables['metrics'])} metrics, {len(tables['samples'])} samples")
    return 0


if __name__ == "__main__":
    sys.exit(main())
