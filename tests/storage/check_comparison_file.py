#!/usr/bin/env python3
"""Reads /comparison and /comparison_by_kind of a file written by
write_comparison_file the way users do (h5py, pandas.read_hdf, h5dump) and
checks the contract: DESIGN.md's columns first and in order, fixed-length
strings, NaN kept, the attributes, every verdict spelled as documented.

Usage: check_comparison_file.py FILE.h5
"""
import math
import shutil
import subprocess
import sys

import h5py
import pandas as pd

DESIGN_COLUMNS = ["key", "metric", "baseline_median", "current_median",
                  "ratio", "p_value", "verdict"]
EXTRA_COLUMNS = ["unit", "better", "ratio_ci_low", "ratio_ci_high",
                 "n_baseline", "n_current", "reason", "benchmark", "kind"]
BY_KIND_COLUMNS = ["kind", "geomean_ratio", "metrics"]
VERDICTS = {"regression", "improvement", "unchanged", "insufficient", "new",
            "missing", "incomparable", "failed"}
ATTRS = {"baseline": str, "baseline_created_utc": str, "threshold": float,
         "alpha": float, "min_samples": int}


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    path = sys.argv[1]
    problems = []
    with h5py.File(path, "r") as f:
        dset = f["comparison"]
        names = list(dset.dtype.names)
        if names != DESIGN_COLUMNS + EXTRA_COLUMNS:
            problems.append(f"/comparison columns are {names}")
        if dset.ndim != 1 or dset.maxshape[0] is not None or not dset.chunks:
            problems.append("/comparison is not a chunked, extendible table")
        for name, kind in ATTRS.items():
            value = dset.attrs.get(name)
            if value is None:
                problems.append(f"/comparison has no attribute {name}")
            elif kind is str and not isinstance(value, str):
                problems.append(f"attribute {name} is {type(value)}")
            elif kind is not str and not isinstance(value.item(), kind):
                problems.append(f"attribute {name} is {value.dtype}")
        if list(f["comparison_by_kind"].dtype.names) != BY_KIND_COLUMNS:
            problems.append("/comparison_by_kind columns differ")
    frame = pd.read_hdf(path, "comparison")
    if list(frame.columns) != DESIGN_COLUMNS + EXTRA_COLUMNS:
        problems.append(f"pandas.read_hdf gave {list(frame.columns)}")
    verdicts = {v.decode() if isinstance(v, bytes) else v
                for v in frame["verdict"]}
    if verdicts != VERDICTS:
        problems.append(f"verdicts are {sorted(verdicts)}")
    if not frame["p_value"].map(math.isnan).any():
        problems.append("no NaN p_value (NaN lost?)")
    if not frame["ratio"].map(math.isinf).any():
        problems.append("no infinite ratio (inf lost?)")
    kinds = pd.read_hdf(path, "comparison_by_kind")
    if list(kinds.columns) != BY_KIND_COLUMNS or len(kinds) == 0:
        problems.append("pandas.read_hdf(f, 'comparison_by_kind') failed")
    h5dump = shutil.which("h5dump")
    if h5dump:
        run = subprocess.run([h5dump, "-H", "-d", "comparison", path],
                             capture_output=True, text=True)
        if run.returncode != 0:
            problems.append(f"h5dump exited {run.returncode}")
    for problem in problems:
        print("FAIL:", problem)
    if not problems:
        print(f"{path}: /comparison ok ({len(frame)} rows)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
