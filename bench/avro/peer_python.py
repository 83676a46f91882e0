#!/usr/bin/python3
"""python3-avro peer for the Avro compatibility benchmark (bench/avro).

Usage: /usr/bin/python3 peer_python.py SCHEMAS_DIR [--min-seconds S] [--min-repeats N]
SCHEMAS_DIR is what gen_bench_schemas.py wrote. Use /usr/bin/python3: a python3 earlier on PATH
may not see Debian's python3-avro.

Every schema is parsed once, before any timing; only compatibility checks are timed
(time.perf_counter, inside this process):
  (a) large_checks_per_s: one check = a fresh avro.compatibility.ReaderWriterCompatibilityChecker
      (it memoises per instance, so a fresh one does one full check) with reader=large_new,
      writer=large_old; repeated until at least --min-seconds (default 2) have passed.
  (b) full_transitive_1000_ms: one FULL_TRANSITIVE check = candidate against every version in
      versions/, both directions (reader=candidate/writer=v and reader=v/writer=candidate), a fresh
      checker per pair (what the oracle and a registry do); repeated at least --min-repeats times
      (default 3) and for at least --min-seconds; the mean is reported (min as well).
Prints one JSON object on stdout; progress on stderr. Exit 1 if any verdict is not "compatible"
(the benchmark schemas are all compatible, so that would mean different work was timed).
"""
import argparse
import glob
import json
import os
import sys
import time

import avro
import avro.schema
from avro.compatibility import ReaderWriterCompatibilityChecker, SchemaCompatibilityType

COMPATIBLE = SchemaCompatibilityType.compatible


def parse_file(path):
    with open(path, encoding="utf-8") as f:
        return avro.schema.parse(f.read())


def check(reader, writer):
    return ReaderWriterCompatibilityChecker().get_compatibility(reader, writer).compatibility \
        is COMPATIBLE


def full_transitive(candidate, versions):
    ok = 0
    for v in versions:
        ok += check(candidate, v)   # backward: new reads old
        ok += check(v, candidate)   # forward: old reads new
    return ok


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("schemas_dir")
    ap.add_argument("--min-seconds", type=float, default=2.0)
    ap.add_argument("--min-repeats", type=int, default=3)
    a = ap.parse_args(argv)
    d = a.schemas_dir

    t0 = time.perf_counter()
    large_old = parse_file(os.path.join(d, "large_old.avsc"))
    large_new = parse_file(os.path.join(d, "large_new.avsc"))
    candidate = parse_file(os.path.join(d, "candidate.avsc"))
    paths = sorted(glob.glob(os.path.join(d, "versions", "v*.avsc")))
    versions = [parse_file(p) for p in paths]
    parse_s = time.perf_counter() - t0
    if not versions:
        sys.exit(f"no versions/v*.avsc in {d}")
    print(f"python: parsed {len(versions) + 3} schemas in {parse_s:.2f} s (not timed)",
          file=sys.stderr)

    bad = []
    if not check(large_new, large_old):
        bad.append("large: reader=large_new writer=large_old is not compatible")

    # (a) large pairwise check
    check(large_new, large_old)  # one untimed run (imports, first-call costs)
    n = 0
    compatible = 0
    start = time.perf_counter()
    deadline = start + a.min_seconds
    while True:
        for _ in range(10):
            compatible += check(large_new, large_old)
        n += 10
        now = time.perf_counter()
        if now >= deadline:
            break
    large_elapsed = now - start
    if compatible != n:
        bad.append(f"large: {n - compatible} of {n} checks not compatible")
    large_per_s = n / large_elapsed
    print(f"python: large pairwise: {n} checks in {large_elapsed:.3f} s = {large_per_s:.1f}/s",
          file=sys.stderr)

    # (b) FULL_TRANSITIVE candidate vs all versions
    expected = 2 * len(versions)
    times = []
    start = time.perf_counter()
    while len(times) < a.min_repeats or time.perf_counter() - start < a.min_seconds:
        t = time.perf_counter()
        ok = full_transitive(candidate, versions)
        times.append(time.perf_counter() - t)
        if ok != expected:
            bad.append(f"full transitive: {expected - ok} of {expected} pair checks not compatible")
            break
    mean_ms = 1000.0 * sum(times) / len(times)
    print(f"python: FULL_TRANSITIVE vs {len(versions)} versions ({expected} pair checks): "
          f"{len(times)} runs, mean {mean_ms:.2f} ms, min {1000 * min(times):.2f} ms",
          file=sys.stderr)

    out = {
        "impl": f"python3-avro {getattr(avro, '__version__', '?')}",
        "large_checks_per_s": round(large_per_s, 3),
        "full_transitive_1000_ms": round(mean_ms, 3),
        "full_transitive_min_ms": round(1000.0 * min(times), 3),
        "versions": len(versions),
        "pair_checks_per_full_transitive": expected,
        "large_iterations": n,
        "full_transitive_repeats": len(times),
        "parsing_included": False,
        "fresh_checker_per_check": True,
        "all_compatible": not bad,
    }
    print(json.dumps(out))
    for b in bad:
        print("python: ERROR: " + b, file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
