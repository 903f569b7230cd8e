#!/usr/bin/env python3
"""Reads the report writers' golden files the way CI tools do (json,
xml.etree, csv from the standard library) and checks that each is well
formed and that its counts agree with its rows.

Usage: check_report_goldens.py GOLDEN_DIR
"""
import csv
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

SKIPPED_VERDICTS = {"insufficient", "new", "missing", "incomparable"}
VERDICTS = ["regression", "improvement", "unchanged", "insufficient", "new",
            "missing", "incomparable", "failed"]


class Checker:
    def __init__(self, folder):
        self.folder = Path(folder)
        self.problems = []

    def expect(self, ok, message):
        if not ok:
            self.problems.append(message)

    def junit(self, name):
        root = ET.parse(self.folder / name).getroot()
        self.expect(root.tag == "testsuite", f"{name}: root is {root.tag}")
        self.expect(root.get("name") == "clusterbench", f"{name}: suite name")
        cases = root.findall("testcase")
        counts = {tag: sum(1 for c in cases if c.find(tag) is not None)
                  for tag in ("failure", "error", "skipped")}
        self.expect(int(root.get("tests")) == len(cases), f"{name}: tests")
        self.expect(int(root.get("failures")) == counts["failure"],
                    f"{name}: failures")
        self.expect(int(root.get("errors")) == counts["error"],
                    f"{name}: errors")
        self.expect(int(root.get("skipped")) == counts["skipped"],
                    f"{name}: skipped")
        for case in cases:
            self.expect(case.get("classname") and case.get("name"),
                        f"{name}: testcase without classname or name")
        return root

    def comparison(self):
        with open(self.folder / "comparison.json", encoding="utf-8") as f:
            doc = json.load(f)
        rows = doc["rows"]
        verdicts = [r["verdict"] for r in rows]
        self.expect(doc["regressions"] == verdicts.count("regression"),
                    "comparison.json: regressions")
        self.expect(doc["counts"] == {v: verdicts.count(v) for v in VERDICTS},
                    "comparison.json: counts")
        self.expect(any(r["p_value"] is None for r in rows),
                    "comparison.json: NaN p-value not written as null")
        self.expect(all(set(k) == {"kind", "geomean_ratio", "metrics"}
                        for k in doc["by_kind"]), "comparison.json: by_kind")

        root = self.junit("comparison_junit.xml")
        by_name = {c.get("name"): c for c in root.findall("testcase")}
        for r in rows:
            name = f"{r['key']} {r['metric']}" if r["metric"] else r["key"]
            case = by_name.get(name)
            self.expect(case is not None, f"comparison_junit.xml: no {name!r}")
            if case is None:
                continue
            expected = ("failure" if r["verdict"] == "regression" else
                        "error" if r["verdict"] == "failed" else
                        "skipped" if r["verdict"] in SKIPPED_VERDICTS else None)
            children = [child.tag for child in case]
            self.expect(children == ([expected] if expected else []),
                        f"comparison_junit.xml: {name!r} has {children}")
            if expected:
                message = case.find(expected).get("message")
                self.expect(r["reason"] in message,
                            f"comparison_junit.xml: {name!r} message")

        with open(self.folder / "comparison.csv", encoding="utf-8",
                  newline="") as f:
            records = list(csv.DictReader(f))
        self.expect([r["key"] for r in records] == [r["key"] for r in rows],
                    "comparison.csv: keys differ from comparison.json")
        self.expect([r["reason"] for r in records] ==
                    [r["reason"] for r in rows],
                    "comparison.csv: reasons differ from comparison.json")

    def results(self):
        with open(self.folder / "results.json", encoding="utf-8") as f:
            doc = json.load(f)
        statuses = [c["status"] for c in doc["cases"]]
        root = self.junit("results_junit.xml")
        self.expect(int(root.get("tests")) == len(statuses),
                    "results_junit.xml: tests vs results.json")
        self.expect(int(root.get("failures")) ==
                    statuses.count("failed") + statuses.count("timeout"),
                    "results_junit.xml: failures vs results.json")
        with open(self.folder / "results.csv", encoding="utf-8",
                  newline="") as f:
            records = list(csv.DictReader(f))
        expected = sum(max(1, len(c["metrics"])) for c in doc["cases"])
        self.expect(len(records) == expected, "results.csv: row count")


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    checker = Checker(sys.argv[1])
    checker.comparison()
    checker.results()
    for problem in checker.problems:
        print("FAIL:", problem)
    if not checker.problems:
        print("report golden files: ok")
    return 1 if checker.problems else 0


if __name__ == "__main__":
    sys.exit(main())
