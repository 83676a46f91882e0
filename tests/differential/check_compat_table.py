#!/usr/bin/python3
"""Cross-checks tests/testdata/avro/compat_rules.json against the python3-avro 1.11.1 oracle.

For every row, the oracle's verdict and its incompatibility types (as a sorted multiset) must
equal the row's. Rows with an "oracle" note record a deliberate difference from python3-avro
(where Avro Java 1.11, which Confluent runs, behaves otherwise): for those the oracle must
*disagree*, so that a fixed oracle or a changed row is noticed. Paths are not compared: the
oracle's locations follow Avro's conventions (reader-side only, reset inside unions), ours are
JSON pointers into both schemas.

Run with /usr/bin/python3 (Debian's python3-avro): check_compat_table.py [TABLE] [--oracle PATH]
Exit status 0 when every row agrees (or disagrees where noted), 1 otherwise.
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_TABLE = os.path.join(REPO, "tests", "testdata", "avro", "compat_rules.json")
DEFAULT_ORACLE = os.path.join(os.path.dirname(REPO), "shared", "oracles", "avro", "avro_compat.py")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("table", nargs="?", default=DEFAULT_TABLE)
    parser.add_argument("--oracle", default=DEFAULT_ORACLE)
    args = parser.parse_args()

    with open(args.table, encoding="utf-8") as f:
        rows = json.load(f)
    requests = "".join(json.dumps({"id": i, "reader": r["reader"], "writer": r["writer"]}) + "\n"
                       for i, r in enumerate(rows))
    done = subprocess.run(["/usr/bin/python3", args.oracle, "--jsonl", "-"], input=requests,
                          capture_output=True, text=True, check=True)
    results = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]

    failures = 0
    noted = 0
    for row, result in zip(rows, results):
        ours = (row["compatible"], sorted(i["type"] for i in row["incompatibilities"]))
        if "error" in result:
            theirs = ("error", result["error"])
        else:
            theirs = (result["compatible"], sorted(result["incompatibilities"]))
        agrees = ours == theirs
        if "oracle" in row:
            noted += 1
            if agrees:
                failures += 1
                print(f"NOTED DIFFERENCE GONE: {row['name']}: oracle now agrees ({theirs})")
        elif not agrees:
            failures += 1
            print(f"MISMATCH: {row['name']}\n  table:  {ours}\n  oracle: {theirs}")
    print(f"{len(rows)} rows, {noted} with a noted difference, {failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
