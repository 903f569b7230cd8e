#!/usr/bin/python3
"""Measure clusterbench's regression detector on this machine.

False positives: K smoke runs of the same build, back to back; each consecutive
pair (run-i as baseline, run-(i+1) as current) is an A/A comparison, so every
'regression' verdict is a false positive.

Recall: for every run-i and every case of it, a copy of run-i with that one case
made FACTOR slower (tests/python/inject_slowdown.py: raw samples and summaries
scaled; nothing in the product is switched) is compared against the *other*
run, run-(i+1), as baseline: a real A/B comparison with the slowdown on top of
the natural run-to-run noise. Detected = 'regression' on the injected case.
The same copy against its own original (only within-run noise; the factor is
the whole move) is reported for contrast.

Both are counted from `clusterbench compare --report csv` at the suite's
[compare] setting and at each --threshold, and, from the same CSV rows, for a
bare threshold on the ratio of medians (no significance test) for contrast.

Three ways of counting, since one case has several metrics from the same
samples (time, algbw and busbw of a collective; time and bandwidth of a STREAM
kernel), whose verdicts are not independent:
  rows    every row compare judges (it already skips *_min/*_max);
  series  one row per sample series: per case and operation (copy, scale, ...
          for STREAM; the case itself otherwise), its first rate metric;
  cases   one key metric per case: its first rate metric (higher is better),
          else its `time`, else its first judged metric.
'judged' = verdict regression/improvement/unchanged; insufficient, failed,
incomparable, new and missing rows are counted apart, not in the rates.

    measure_detector.py [--runs 12] [--dir DIR | --reuse DIR]
                        [--history K [--current-runs M]]
                        [--threshold suite --threshold 0.05] [--bare 0.05]
                        [--factor 1.10] [--clusterbench build/clusterbench]
    measure_detector.py --summary DIR/detector.json     # the tables again

Deterministic given the result files (compare's bootstrap is seeded). Writes
DIR/detector.json (raw counts) and prints a summary. Run it with Debian's
/usr/bin/python3 (h5py). On a 2-core machine run nothing else MPI-heavy at the
same time; what else was running is recorded per run.
"""

import argparse
import contextlib
import hashlib
import csv
import datetime
import importlib.util
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import h5py

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
JUDGED = ("regression", "improvement", "unchanged")
LEVELS = ("rows", "series", "cases")


def text(v):
    return v.decode("utf-8") if isinstance(v, bytes) else str(v)


# ---------------------------------------------------------------- the machine

def running_processes():
    """Names of the processes in state R right now (other than this one)."""
    names = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        state = stat[stat.rindex(")") + 2:].split()[0]
        if state == "R":
            names.append(comm)
    return sorted(names)


def loadavg():
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


def machine(binary):
    cpu = ""
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    git = ["git", "-C", REPO]
    commit = subprocess.run(git + ["rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(git + ["status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip() != ""
    with open(binary, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    return {"cpus": os.cpu_count(), "cpu_model": cpu, "kernel": platform.release(),
            "commit": commit + ("+local changes" if dirty else ""), "binary_sha256": sha}


# ---------------------------------------------------------------- the runs

def smoke_runs(args, outdir):
    env = dict(os.environ)
    if os.geteuid() == 0:
        env.setdefault("OMPI_ALLOW_RUN_AS_ROOT", "1")
        env.setdefault("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1")
    log = []
    for i in range(args.runs):
        out = os.path.join(outdir, f"run-{i}.h5")
        cmd = ["mpirun", "--oversubscribe", "-np", str(args.ranks), args.clusterbench,
               "run", args.suite, "-o", out]
        before = {"loadavg": loadavg(), "running": running_processes(),
                  "utc": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}
        t0 = time.monotonic()
        p = subprocess.run(cmd, env=env, capture_output=True, text=True)
        wall = time.monotonic() - t0
        if p.returncode not in (0, 3) or not os.path.exists(out):
            sys.exit(f"run {i} failed (exit {p.returncode}):\n{p.stdout}\n{p.stderr}")
        log.append({"file": os.path.basename(out), "exit": p.returncode,
                    "wall_s": round(wall, 2), **before})
        print(f"run {i}: {wall:.1f} s, load {before['loadavg'][0]:.2f}, "
              f"running: {' '.join(before['running']) or '-'}", file=sys.stderr)
    with open(os.path.join(outdir, "runs.json"), "w") as f:
        json.dump({"command": " ".join(cmd[:-1] + ["DIR/run-i.h5"]), "machine": machine(args.clusterbench),
                   "binary_source": getattr(args, "binary_source", args.clusterbench),
                   "runs": log}, f, indent=1)
    return log


def run_files(outdir):
    found = []
    for name in os.listdir(outdir):
        m = re.fullmatch(r"run-(\d+)\.h5", name)
        if m:
            found.append((int(m.group(1)), os.path.join(outdir, name)))
    return [path for _, path in sorted(found)]


def case_info(path):
    """Key -> (status, [(metric, better, rel CI half-width)]) of one file."""
    with h5py.File(path, "r") as f:
        cases = f["cases"][()]
        metrics = f["metrics"][()]
    by_id = {int(c["case_id"]): text(c["key"]) for c in cases}
    info = {text(c["key"]): {"status": text(c["status"]), "metrics": {}} for c in cases}
    for m in metrics:
        med = float(m["median"])
        half = (float(m["ci_high"]) - float(m["ci_low"])) / 2 / med if med > 0 else float("nan")
        info[by_id[int(m["case_id"])]]["metrics"][text(m["metric"])] = half
    return info


# ---------------------------------------------------------------- compare

def compare(args, current, baseline, threshold, prefix):
    """baseline: a result file, or ("history", DIR) for --history DIR --last K."""
    current = [current] if isinstance(current, str) else list(current)
    if isinstance(baseline, tuple):
        cmd = [args.clusterbench, "compare", *current, "--history", baseline[1],
               "--last", str(args.history)]
    else:
        cmd = [args.clusterbench, "compare", *current, baseline]
    cmd += ["--report", "csv", "--report-prefix", prefix]
    if threshold != "suite":
        cmd += ["--threshold", str(threshold)]
    if args.alpha is not None:
        cmd += ["--alpha", str(args.alpha)]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode not in (0, 1, 3):
        sys.exit(f"{' '.join(cmd)}: exit {p.returncode}\n{p.stdout}{p.stderr}")
    with open(prefix + ".comparison.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        r["ratio"] = float(r["ratio"]) if r["ratio"] not in ("", "nan") else float("nan")
        r["p_value"] = float(r["p_value"]) if r["p_value"] not in ("", "nan") else float("nan")
    return rows


def operation(metric):
    """'copy.time' -> 'copy'; 'latency' -> '' (the case's one series)."""
    return metric.rpartition(".")[0]


def key_rows(rows, level):
    """The rows a level counts: all judged rows, one per series, or one per case."""
    judged = [r for r in rows if r["verdict"] in JUDGED]
    if level == "rows":
        return judged
    groups = {}
    for r in judged:
        g = (r["key"], operation(r["metric"])) if level == "series" else r["key"]
        groups.setdefault(g, []).append(r)
    picked = []
    for members in groups.values():
        rate = [r for r in members if r["better"] == "higher"]
        time_ = [r for r in members if r["metric"] == "time"]
        picked.append((rate or time_ or members)[0])
    return picked


def bare_worse(row, bare):
    ratio = row["ratio"]
    if row["better"] == "lower":
        return ratio > 1.0 + bare
    return ratio < 1.0 / (1.0 + bare)


def bare_better(row, bare):
    ratio = row["ratio"]
    if row["better"] == "lower":
        return ratio < 1.0 / (1.0 + bare)
    return ratio > 1.0 + bare


def tally(rows, bare):
    """Counts over already-picked judged rows."""
    return {"judged": len(rows),
            "regression": sum(r["verdict"] == "regression" for r in rows),
            "improvement": sum(r["verdict"] == "improvement" for r in rows),
            "bare_regression": sum(bare_worse(r, bare) for r in rows),
            "bare_improvement": sum(bare_better(r, bare) for r in rows),
            "p_below_0.05": sum(r["p_value"] < 0.05 for r in rows)}


def add(total, part):
    for k, v in part.items():
        total[k] = total.get(k, 0) + v


def other_verdicts(rows):
    out = {}
    for r in rows:
        if r["verdict"] not in JUDGED:
            out[r["verdict"]] = out.get(r["verdict"], 0) + 1
    return out


# ---------------------------------------------------------------- injection

def load_injector():
    spec = importlib.util.spec_from_file_location(
        "inject_slowdown", os.path.join(HERE, "inject_slowdown.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def inject(injector, src, dst, key, factor):
    argv = sys.argv
    sys.argv = ["inject_slowdown.py", src, dst, key, repr(factor)]
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            injector.main()
    finally:
        sys.argv = argv


# ---------------------------------------------------------------- main

def pct(n, d):
    return f"{100.0 * n / d:5.1f}% ({n}/{d})" if d else "   n/a"

def print_summary(result, out_json):
    """The tables, from the raw counts alone (also for --summary JSON)."""
    m = result.get("current_runs", 1)
    print(f"{len(result['files'])} runs in {result['dir']}: {result['aa_pairs']} A/A comparisons"
          f"{f' ({m} current runs each)' if m > 1 else ''}, "
          f"{result['injected_cases']} injected x{result['factor']} slowdowns (one case each)")
    print(f"{'detector':<24} {'level':<7} {'false positives (A/A)':>22} {'recall (A/B)':>20} "
          f"{'vs own original':>20}")
    for label, s in result["settings"].items():
        name = ("U test, suite threshold" if s["threshold"] == "suite"
                else f"U test, threshold {s['threshold']}")
        if s.get("alpha") is not None:
            name += f", alpha {s['alpha']}"
        for lvl in LEVELS:
            a, r, o = s["aa"][lvl], s["recall"][lvl], s["recall_vs_own_original"][lvl]
            print(f"{name:<24} {lvl:<7} {pct(a['regression'], a['judged']):>22} "
                  f"{pct(r['regression'], r['judged']):>20} {pct(o.get('regression', 0), o.get('judged', 0)):>20}")
    s = result["settings"][next(iter(result["settings"]))]
    for lvl in LEVELS:
        a, r, o = s["aa"][lvl], s["recall"][lvl], s["recall_vs_own_original"][lvl]
        print(f"{'bare ' + format(result['bare_threshold'], 'g') + ' on medians':<24} {lvl:<7} "
              f"{pct(a['bare_regression'], a['judged']):>22} "
              f"{pct(r['bare_regression'], r['judged']):>20} {pct(o.get('bare_regression', 0), o.get('judged', 0)):>20}")
    a = s["aa"]["rows"]
    print(f"A/A rows with p < 0.05 whatever the move: {pct(a['p_below_0.05'], a['judged'])} "
          f"(about 5% if samples were independent and runs exchangeable)")
    for label, s in result["settings"].items():
        if s["aa_not_judged"] or s["recall_not_judged"]:
            print(f"not judged ({label}): A/A {s['aa_not_judged']}, recall {s['recall_not_judged']}")
    # Per case, its key metric: A/A spread, within-run CI, false positives
    # and detections of the injected slowdown (A/B) per detector.
    labels = list(result["settings"])
    cols = labels + ["bare"]
    print("\nper case (key metric): A/A |change| median/max, A/A pairs with p<0.05, median "
          "within-run CI half-width; false positives (A/A) and detections (A/B) per detector")
    print(f"{'case (key metric)':<50} {'A/A |chg|':>13} {'p<.05':>5} {'runCI':>5} "
          + " ".join(f"{'FP ' + c:>8}" for c in cols) + " "
          + " ".join(f"{'det ' + c:>9}" for c in cols))
    for key, n in result["noise_by_case"].items():
        name = f"{key} ({n['metric']})"
        if len(name) > 50:
            name = name[:18] + "…" + name[-31:]
        fp, det = [], []
        for c in cols:
            s = result["settings"][labels[0] if c == "bare" else c]
            a = s["aa_by_case"].get(key, {"pairs": 0, "regression": 0, "bare_regression": 0})
            r = s["recall_by_case"].get(key, {"injected": 0, "detected": 0, "bare_detected": 0})
            field = "bare_regression" if c == "bare" else "regression"
            fp.append(f"{a[field]:>5}/{a['pairs']:<2}")
            field = "bare_detected" if c == "bare" else "detected"
            det.append(f"{r[field]:>6}/{r['injected']:<2}")
        ci = n["within_run_median_rel_ci"]
        print(f"{name:<50} {100 * n['aa_median_abs_change']:4.1f}%/{100 * n['aa_max_abs_change']:5.0f}% "
              f"{n['aa_p_below_0.05']:>2}/{len(n['ratios']):<2} "
              f"{100 * ci if ci is not None else float('nan'):4.0f}% "
              + " ".join(fp) + " " + " ".join(det))
    print(f"\nraw counts: {out_json}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=12, help="smoke runs to make (>= 11; default 12)")
    ap.add_argument("--dir", help="where to write the runs (default: a new /tmp/clusterbench-detector-*)")
    ap.add_argument("--reuse", metavar="DIR", help="use DIR/run-*.h5 instead of running")
    ap.add_argument("--threshold", action="append",
                    help="'suite' (the file's [compare] table) or a number; repeatable "
                         "(default: suite and 0.05)")
    ap.add_argument("--bare", type=float, default=0.05,
                    help="bare threshold on the median ratio, no test (default 0.05)")
    ap.add_argument("--factor", type=float, default=1.10, help="injected slowdown (default 1.10)")
    ap.add_argument("--alpha", type=float,
                    help="compare --alpha: the U test's level and, with --history, one minus "
                         "the prediction interval's (default: compare's, 0.05)")
    ap.add_argument("--clusterbench",
                    help="the binary (default: with --reuse, the snapshot DIR/clusterbench "
                         "if there is one, else build/clusterbench)")
    ap.add_argument("--suite", default=os.path.join(REPO, "configs", "smoke.toml"))
    ap.add_argument("--ranks", type=int, default=2)
    ap.add_argument("--json", help="default: DIR/detector.json")
    ap.add_argument("--history", type=int, default=0, metavar="K",
                    help="judge run-j against the K runs before it (compare --history "
                         "DIR --last K) instead of against one run (default 0: pairs)")
    ap.add_argument("--current-runs", type=int, default=1, metavar="M",
                    help="with --history: judge runs j .. j+M-1 together against the K "
                         "runs before them (compare RUN-j ... RUN-(j+M-1) --history); the "
                         "slowdown is injected into all M (default 1)")
    ap.add_argument("--summary", metavar="JSON",
                    help="only print the tables of an earlier measurement's raw counts")
    args = ap.parse_args()
    if args.summary:
        with open(args.summary) as f:
            print_summary(json.load(f), args.summary)
        return
    if args.current_runs < 1 or (args.current_runs > 1 and not args.history):
        ap.error("--current-runs M >= 1, and above 1 only with --history")
    thresholds = args.threshold or ["suite", "0.05"]
    for t in thresholds:
        if t != "suite":
            float(t)

    started = time.monotonic()
    if args.clusterbench is None:
        snapshot = os.path.join(args.reuse or "", "clusterbench")
        args.clusterbench = (os.path.abspath(snapshot) if args.reuse and os.path.isfile(snapshot)
                             else os.path.join(REPO, "build", "clusterbench"))
    if args.reuse:
        outdir = args.reuse
    else:
        if args.runs < 11:
            ap.error("--runs must be at least 11 (10 A/A pairs)")
        outdir = args.dir or tempfile.mkdtemp(
            prefix="clusterbench-detector-" + time.strftime("%Y%m%dT%H%M%S-"), dir="/tmp")
        os.makedirs(outdir, exist_ok=True)
        # Other people may rebuild the binary while this runs: every run and
        # compare uses one snapshot of it, kept with the results.
        snapshot = os.path.abspath(os.path.join(outdir, "clusterbench"))
        shutil.copy2(args.clusterbench, snapshot)
        args.binary_source = os.path.abspath(args.clusterbench)
        args.clusterbench = snapshot
        smoke_runs(args, outdir)
    files = run_files(outdir)
    if len(files) < 2:
        sys.exit(f"{outdir}: need at least 2 run-<i>.h5 files")
    runs_log = {}
    with contextlib.suppress(OSError), open(os.path.join(outdir, "runs.json")) as f:
        runs_log = json.load(f)
    infos = [case_info(p) for p in files]

    work = tempfile.mkdtemp(prefix="compare-", dir=outdir)
    injector = load_injector()
    # What is compared: (current indices, baseline). Pairs: run-(i+1) against
    # run-i for A/A, and run-i slowed against run-(i+1) for recall. History:
    # run-j (.. j+M-1), and the same slowed, against runs j-K .. j-1 (a
    # folder of links).
    m = args.current_runs
    if args.history:
        if len(files) < args.history + m + 9:
            sys.exit(f"--history {args.history} --current-runs {m} needs at least "
                     f"{args.history + m + 9} runs")
        aa_plan, rec_plan = [], []
        for j in range(args.history, len(files) - m + 1):
            hist = os.path.join(work, f"history-{j}")
            os.makedirs(hist)
            for i in range(j - args.history, j):
                os.symlink(os.path.abspath(files[i]), os.path.join(hist, os.path.basename(files[i])))
            aa_plan.append((list(range(j, j + m)), ("history", hist)))
            rec_plan.append((list(range(j, j + m)), ("history", hist), j - 1))
    else:
        aa_plan = [([i + 1], files[i]) for i in range(len(files) - 1)]
        rec_plan = [([i], files[i + 1], i + 1) for i in range(len(files) - 1)]
    # The injected copies do not depend on the threshold: make them once.
    # A real slowdown slows every current run: with M of them, all M get it.
    injected = []  # (current indices, key, paths, baseline)
    for cur, baseline, other in rec_plan:
        i = cur[0]
        keys = [k for k, c in infos[i].items()
                if c["status"] == "ok" and infos[other].get(k, {}).get("status") == "ok"
                and all(infos[x].get(k, {}).get("status") == "ok" for x in cur)]
        for j, key in enumerate(keys):
            if any(key in other for other in infos[i] if other != key):
                print(f"skipping {key}: not a unique key substring", file=sys.stderr)
                continue
            paths = []
            for x in cur:
                dst = os.path.join(work, f"slow-{i}-{j}-{x}.h5")
                inject(injector, files[x], dst, key, args.factor)
                paths.append(dst)
            injected.append((cur, key, paths, baseline))

    result = {"dir": os.path.abspath(outdir), "files": [os.path.basename(p) for p in files],
              "factor": args.factor, "bare_threshold": args.bare,
              "aa_pairs": len(aa_plan), "injected_cases": len(injected),
              "history": args.history, "current_runs": m,
              "runs": runs_log, "settings": {}}
    noise = {}  # key -> {"ratios": [...], "ci": [...]} for the case's key metric
    for t in thresholds:
        label = ("suite" if t == "suite" else f"t{t}") + (
            f"-alpha{args.alpha}" if args.alpha is not None else "")
        aa = {lvl: {} for lvl in LEVELS}
        aa_other = {}
        aa_pairs_with_regression = 0
        aa_by_case = {}
        for i, (cur, baseline) in enumerate(aa_plan):
            rows = compare(args, [files[x] for x in cur], baseline, t,
                           os.path.join(work, f"aa-{label}-{i}"))
            for lvl in LEVELS:
                add(aa[lvl], tally(key_rows(rows, lvl), args.bare))
            add(aa_other, other_verdicts(rows))
            aa_pairs_with_regression += any(r["verdict"] == "regression" for r in rows)
            for r in key_rows(rows, "cases"):
                c = aa_by_case.setdefault(r["key"], {"pairs": 0, "regression": 0,
                                                      "bare_regression": 0})
                c["pairs"] += 1
                c["regression"] += r["verdict"] == "regression"
                c["bare_regression"] += bare_worse(r, args.bare)
            if t == thresholds[0]:
                for r in key_rows(rows, "cases"):
                    n = noise.setdefault(r["key"], {"metric": r["metric"], "ratios": [],
                                                    "aa_p_below_0.05": 0})
                    n["ratios"].append(r["ratio"])
                    n["aa_p_below_0.05"] += r["p_value"] < 0.05
        rec = {lvl: {} for lvl in LEVELS}
        rec_self = {lvl: {} for lvl in LEVELS}
        rec_other = {}
        by_case = {}
        for n, (cur, key, paths, baseline) in enumerate(injected):
            # Against its own original: only the within-run noise (the
            # injected factor is the whole move), for contrast; one run only.
            if m == 1:
                rows = compare(args, paths[0], files[cur[0]], t,
                               os.path.join(work, f"self-{label}-{n}"))
                rows = [r for r in rows if r["key"] == key]
                for lvl in LEVELS:
                    add(rec_self[lvl], tally(key_rows(rows, lvl), args.bare))
            rows = compare(args, paths, baseline, t, os.path.join(work, f"rec-{label}-{n}"))
            rows = [r for r in rows if r["key"] == key]
            for lvl in LEVELS:
                add(rec[lvl], tally(key_rows(rows, lvl), args.bare))
            add(rec_other, other_verdicts(rows))
            c = by_case.setdefault(key, {"injected": 0, "detected": 0, "bare_detected": 0})
            picked = key_rows(rows, "cases")
            c["injected"] += len(picked)
            c["detected"] += sum(r["verdict"] == "regression" for r in picked)
            c["bare_detected"] += sum(bare_worse(r, args.bare) for r in picked)
        result["settings"][label] = {
            "threshold": t, "alpha": args.alpha, "aa": aa, "aa_not_judged": aa_other,
            "aa_pairs_with_any_regression": aa_pairs_with_regression,
            "aa_by_case": aa_by_case,
            "recall": rec, "recall_not_judged": rec_other, "recall_by_case": by_case,
            "recall_vs_own_original": rec_self}

    for key, n in noise.items():
        devs = [abs(r - 1.0) for r in n["ratios"]]
        ci = [infos[i][key]["metrics"].get(n["metric"]) for i in range(len(files))
              if key in infos[i]]
        ci = [c for c in ci if c == c]
        n["aa_median_abs_change"] = statistics.median(devs) if devs else None
        n["aa_max_abs_change"] = max(devs) if devs else None
        n["within_run_median_rel_ci"] = statistics.median(ci) if ci else None
    result["noise_by_case"] = noise
    shutil.rmtree(work)

    out_json = args.json or os.path.join(outdir, "detector.json")
    with open(out_json, "w") as f:
        json.dump(result, f, indent=1)

    print_summary(result, out_json)
    print(f"({time.monotonic() - started:.0f} s)")

if __name__ == "__main__":
    main()
