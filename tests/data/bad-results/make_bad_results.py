#!/usr/bin/python3
"""Writes the bad-result corpus: files that `compare`, `export` and
`run --baseline` must reject with exit code 2 and one message naming the file.

    make_bad_results.py GOOD.h5 OUTDIR [GOOD_WITH_COMPARISON.h5]

GOOD.h5 is a valid result file (tests/storage/write_sample_file makes one);
the third argument, a valid file with /comparison (write_comparison_file),
adds the /comparison cases. hdf5-damaged/ holds committed files that crash or
hang the HDF5 library itself; they are copied to OUTDIR/hdf5-damaged/. The files are made at test time, from files the
current writer made, so that they follow the schema as it changes. Writes
OUTDIR/expected.tsv: file, then text the message must contain.
Needs Debian's /usr/bin/python3 with h5py and numpy.
"""
import os
import random
import shutil
import sys

import h5py
import numpy as np

TABLES = ["nodes", "ranks", "devices", "cases", "params", "metrics", "samples"]


def main():
    good, out = sys.argv[1], sys.argv[2]
    good_cmp = sys.argv[3] if len(sys.argv) > 3 else None
    os.makedirs(out, exist_ok=True)
    data = open(good, "rb").read()
    expected = []

    def raw(name, content, expect):
        with open(os.path.join(out, name), "wb") as f:
            f.write(content)
        expected.append((name, expect, ""))

    def edited(name, expect, edit, source=good, commands=""):
        path = os.path.join(out, name)
        shutil.copyfile(source, path)
        with h5py.File(path, "r+") as f:
            edit(f)
        expected.append((name, expect, commands))

    # Not HDF5 at all, or cut short.
    raw("empty.h5", b"", "not an HDF5 file")
    raw("text.h5", b"this is not an HDF5 file\n", "not an HDF5 file")
    raw("toml_instead.h5", open(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                             "..", "..", "..", "configs", "smoke.toml"),
                                "rb").read(),
        "not an HDF5 file")
    raw("truncated_512.h5", data[:512], "")
    raw("truncated_half.h5", data[: len(data) // 2], "")
    raw("truncated_tail.h5", data[:-1000], "")
    rng = random.Random(7)
    raw("signature_then_garbage.h5",
        data[:8] + bytes(rng.randrange(256) for _ in range(4096)), "")
    # Damage inside an otherwise whole file (object headers, B-trees, heaps).
    for offset in (1024, len(data) // 3, 2 * len(data) // 3):
        damaged = bytearray(data)
        damaged[offset: offset + 2048] = b"\xff" * min(2048, len(data) - offset)
        raw(f"overwritten_at_{offset}.h5", bytes(damaged), "")

    # HDF5, but another tool's file or another schema.
    def foreign(path_name, build, expect):
        path = os.path.join(out, path_name)
        with h5py.File(path, "w") as f:
            build(f)
        expected.append((path_name, expect, ""))

    foreign("empty_hdf5.h5", lambda f: None, "no 'schema' attribute")
    foreign("other_tool.h5",
            lambda f: (f.create_dataset("data", data=np.arange(10.0)),
                       f.attrs.__setitem__("Conventions", "CF-1.8")),
            "no 'schema' attribute")
    edited("other_schema.h5", "schema is 'netcdf4'",
           lambda f: f.attrs.__setitem__("schema", "netcdf4"))
    edited("schema_as_integer.h5", "attribute schema is not a string",
           lambda f: f.attrs.__setitem__("schema", 7))
    edited("schema_version_2.h5", "schema_version is 2",
           lambda f: f.attrs.__setitem__("schema_version", np.int32(2)))
    edited("schema_version_huge.h5", "schema_version is",
           lambda f: f.attrs.__setitem__("schema_version", np.int64(2**62)))
    edited("schema_version_string.h5", "schema_version is not an integer",
           lambda f: f.attrs.__setitem__("schema_version", "1"))
    edited("no_schema_version.h5", "no 'schema_version' attribute",
           lambda f: f.attrs.__delitem__("schema_version"))

    # Arrays where one value belongs: read into room for one, they overflowed
    # the reader's buffer (found while triaging fuzzing).
    edited("schema_is_an_array.h5", "attribute schema holds 1000 values",
           lambda f: f.attrs.__setitem__("schema", ["clusterbench"] * 1000))
    edited("schema_is_a_fixed_array.h5", "attribute schema holds 1000 values",
           lambda f: f.attrs.__setitem__(
               "schema", np.array([b"clusterbench"] * 1000, dtype="S12")))
    edited("schema_version_is_an_array.h5", "attribute schema_version holds 1000 values",
           lambda f: f.attrs.__setitem__("schema_version", np.ones(1000, dtype=np.int64)))

    # A table (or /suite) missing, of the wrong kind, or incomplete.
    for table in TABLES:
        edited(f"no_{table}_table.h5", f"no table /{table}",
               lambda f, t=table: f.__delitem__(t))
    edited("no_suite.h5", "no /suite", lambda f: f.__delitem__("suite"))

    def replace(f, name, value):
        del f[name]
        f[name] = value
    edited("metrics_not_a_table.h5", "/metrics is not a table",
           lambda f: replace(f, "metrics", np.arange(5)))
    edited("cases_is_a_group.h5", "/cases is not a table",
           lambda f: (f.__delitem__("cases"), f.create_group("cases")))
    edited("suite_not_a_string.h5", "/suite is not a string",
           lambda f: replace(f, "suite", np.int64(3)))
    edited("suite_is_an_array.h5", "/suite holds 1000 values",
           lambda f: replace(f, "suite", np.array([b"x" * 100] * 1000)))

    def drop_column(f, table, column):
        rows = f[table][()]
        names = [n for n in rows.dtype.names if n != column]
        replace(f, table, rows[names])
    edited("cases_without_key.h5", "/cases has no column 'key'",
           lambda f: drop_column(f, "cases", "key"))
    edited("metrics_without_median.h5", "/metrics has no column 'median'",
           lambda f: drop_column(f, "metrics", "median"))

    def retype_column(f, table, column, dtype):
        rows = f[table][()]
        descr = [(n, dtype if n == column else rows.dtype[n]) for n in rows.dtype.names]
        new = np.zeros(len(rows), dtype=descr)
        for n in rows.dtype.names:
            new[n] = rows[n] if n != column else np.array([b"x"] * len(rows), dtype=dtype)
        replace(f, table, new)
    edited("case_id_is_a_string.h5", "cannot read /cases",
           lambda f: retype_column(f, "cases", "case_id", "S8"))

    def set_status(f, value):
        rows = f["cases"][()]
        rows["status"][0] = value
        f["cases"][0] = rows[0]
    edited("unknown_case_status.h5", "unknown case status 'exploded'",
           lambda f: set_status(f, b"exploded"))

    # Absurd sizes: a table that claims 2^40 rows (chunks never written), a
    # /suite string of 4 GiB (never written): reading either would exhaust
    # memory.
    def huge_rows(f, table):
        rows = f[table][()]
        del f[table]
        d = f.create_dataset(table, shape=(len(rows),), maxshape=(None,),
                             dtype=rows.dtype, chunks=(1024,))
        d[...] = rows
        d.resize((2**40,))
    edited("metrics_claims_2p40_rows.h5", "/metrics", lambda f: huge_rows(f, "metrics"))
    edited("samples_claims_2p40_rows.h5", "/samples", lambda f: huge_rows(f, "samples"))

    def huge_string(f):
        del f["suite"]
        tid = h5py.h5t.C_S1.copy()
        tid.set_size(2**32 - 1)
        space = h5py.h5s.create(h5py.h5s.SCALAR)
        h5py.h5d.create(f.id, b"suite", tid, space)
    edited("suite_string_4GiB.h5", "/suite", huge_string)

    # Links that lead nowhere.
    def external(f):
        del f["metrics"]
        f["metrics"] = h5py.ExternalLink("/nonexistent/elsewhere.h5", "/metrics")
    edited("metrics_external_link.h5", "/metrics", external)

    def loop(f):
        del f["cases"]
        f["cases"] = h5py.SoftLink("/cases")
    edited("cases_soft_link_loop.h5", "/cases", loop)

    # /comparison damaged (export reads it).
    if good_cmp:
        def verdict(f):
            rows = f["comparison"][()]
            rows["verdict"][0] = b"catastrophe"
            f["comparison"][0] = rows[0]
        # Only `export` reads /comparison; compare and --baseline do not.
        edited("comparison_unknown_verdict.h5", "unknown verdict 'catastrophe'",
               verdict, good_cmp, "export")
        edited("comparison_not_a_table.h5", "/comparison is not a table",
               lambda f: replace(f, "comparison", np.arange(3)), good_cmp, "export")

    # Damaged files that crash or hang HDF5 1.10 itself (found by fuzzing,
    # docs/reliability.md): kept in a subfolder, since only a separate
    # process (the command line's read guard) survives them.
    here = os.path.dirname(os.path.abspath(__file__))
    os.makedirs(os.path.join(out, "hdf5-damaged"), exist_ok=True)
    for name in sorted(os.listdir(os.path.join(here, "hdf5-damaged"))):
        shutil.copyfile(os.path.join(here, "hdf5-damaged", name),
                        os.path.join(out, "hdf5-damaged", name))
        expected.append((f"hdf5-damaged/{name}", "", ""))

    # A directory where a file is expected.
    os.makedirs(os.path.join(out, "a_directory.h5"), exist_ok=True)
    expected.append(("a_directory.h5", "", ""))

    with open(os.path.join(out, "expected.tsv"), "w") as f:
        f.write("# file<TAB>text the message must contain (empty: only the file name)"
                "<TAB>commands that must reject it (empty: all)\n")
        for name, expect, commands in expected:
            f.write(f"{name}\t{expect}\t{commands}\n")
    print(f"{len(expected)} bad result files in {out}")


if __name__ == "__main__":
    main()
