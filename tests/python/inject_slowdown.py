#!/usr/bin/python3
"""Copy a clusterbench result file, making one case slower by a factor.

Scales the raw samples of every metric of the chosen case in /samples and its
/metrics summaries (time-like metrics by FACTOR, rates by 1/FACTOR), so that
`clusterbench compare COPY ORIGINAL` sees a known slowdown. For testing the
regression detector; never used by the product itself.

usage: inject_slowdown.py IN.h5 OUT.h5 KEY_SUBSTRING FACTOR
"""
import shutil
import sys

import h5py
import numpy as np


def text(v):
    return v.decode("utf-8") if isinstance(v, bytes) else str(v)


def main():
    src, dst, key_part, factor = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    shutil.copyfile(src, dst)
    with h5py.File(dst, "r+") as f:
        cases = f["cases"][()]
        ids = [c["case_id"] for c in cases if key_part in text(c["key"])]
        if not ids:
            sys.exit(f"no case key contains {key_part!r}")
        case_id = ids[0]
        metrics = f["metrics"][()]
        scale = {}
        for i, m in enumerate(metrics):
            if m["case_id"] != case_id:
                continue
            s = factor if text(m["better"]) == "lower" else 1.0 / factor
            scale[text(m["metric"])] = s
            for col in ("min", "median", "mean", "max", "stddev", "p05", "p95", "ci_low", "ci_high"):
                metrics[i][col] *= s
        f["metrics"][...] = metrics
        samples = f["samples"][()]
        for i, row in enumerate(samples):
            if row["case_id"] == case_id:
                samples[i]["value"] *= scale.get(text(row["metric"]), factor)
        f["samples"][...] = samples
    print(f"case {case_id}: scaled {len(scale)} metrics by {factor} (rates by {1 / factor:.4f})")


if __name__ == "__main__":
    main()
