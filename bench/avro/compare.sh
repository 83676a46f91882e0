#!/usr/bin/env bash
# Avro compatibility benchmark: SchemaGuard vs python3-avro 1.11.1 vs Avro Java 1.8.2, same
# schemas, same run. See bench/avro/README.md.
#
# Usage: bench/avro/compare.sh [BUILD_DIR] [-- EXTRA_GOOGLE_BENCHMARK_FLAGS...]
#   BUILD_DIR   default build/release (relative paths: tried against the current directory,
#               then against the repository root). The binary is BUILD_DIR/bench/avro_compat_bench.
# Environment: KEEP_TMP=1 keeps the temporary directory (schemas, classes, raw JSON outputs).
# Exit status: 0 all three ran and every verdict was "compatible" (PASS/MISS do not change it);
#              1 something failed (a peer, the binary, an incompatible verdict, bad JSON);
#              2 the SchemaGuard binary is missing (the peers still ran and were reported).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
PY=/usr/bin/python3

case "${1:-}" in
  -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac

build_arg=build/release
if [[ $# -gt 0 && "$1" != "--" ]]; then build_arg=$1; shift; fi
if [[ $# -gt 0 && "$1" == "--" ]]; then shift; fi
extra_flags=("$@")

if [[ "$build_arg" = /* ]]; then build_dir=$build_arg
elif [[ -d "$PWD/$build_arg" ]]; then build_dir=$PWD/$build_arg
else build_dir=$root/$build_arg
fi
bin=$build_dir/bench/avro_compat_bench

[[ -x $PY ]] || { echo "error: $PY not found (the benchmark needs Debian's python3 + python3-avro)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sg-avro-bench.XXXXXX")
if [[ "${KEEP_TMP:-0}" == 1 ]]; then
  echo "keeping temporary files in $tmp" >&2
else
  trap 'rm -rf "$tmp"' EXIT
fi
schemas=$tmp/schemas
status=0

echo "== generating benchmark schemas into $schemas" >&2
"$PY" "$here/gen_bench_schemas.py" "$schemas"

# --- Java peer: compile (same classpath as /work/shared/oracles/avro/build.sh) ---------------
J=/usr/share/java
CP="$J/avro.jar:$J/jackson-core-asl.jar:$J/jackson-mapper-asl.jar:$J/slf4j-api.jar:$J/slf4j-nop.jar:$J/paranamer.jar:$J/commons-compress.jar:$J/snappy-java.jar:$J/xz.jar"
java_ok=1
for j in ${CP//:/ }; do
  [[ -f $j ]] || { echo "warning: missing $j (apt-get install libavro-java): Java peer skipped" >&2; java_ok=0; break; }
done
if [[ $java_ok == 1 ]] && { ! command -v javac >/dev/null || ! command -v java >/dev/null; }; then
  echo "warning: javac/java not found (OpenJDK 17): Java peer skipped" >&2; java_ok=0
fi
if [[ $java_ok == 1 ]]; then
  echo "== compiling PeerJava" >&2
  mkdir -p "$tmp/classes"
  if ! javac -nowarn -d "$tmp/classes" -cp "$CP" "$here/PeerJava.java"; then
    echo "error: javac failed: Java peer skipped" >&2; java_ok=0; status=1
  fi
fi

# --- SchemaGuard (Google Benchmark) ------------------------------------------------------------
sg_state=missing
if [[ -x $bin ]]; then
  echo "== running $bin" >&2
  if "$bin" --schemas-dir="$schemas" --benchmark_format=json ${extra_flags[@]+"${extra_flags[@]}"} \
       >"$tmp/schemaguard.json" 2>"$tmp/schemaguard.err"; then
    sg_state=ran
  else
    rc=$?
    echo "error: $bin exited with status $rc; its stderr (last lines):" >&2
    tail -n 20 "$tmp/schemaguard.err" >&2 || true
    sg_state=failed; status=1
  fi
else
  cat >&2 <<EOF

  *** SchemaGuard benchmark binary not found: $bin
  *** Build it first, e.g.:  cmake --preset release && cmake --build --preset release --target avro_compat_bench
  *** Running the python3-avro and Avro Java peers anyway; SchemaGuard columns will read n/a.

EOF
fi

# --- peers (one after the other: the machine is small) ----------------------------------------
echo "== running python3-avro peer (about 10 s)" >&2
if ! "$PY" "$here/peer_python.py" "$schemas" >"$tmp/python.json"; then
  echo "error: python peer failed" >&2; status=1
fi
if [[ $java_ok == 1 ]]; then
  echo "== running Avro Java peer (warm JVM; about 10 s)" >&2
  if ! java -cp "$CP:$tmp/classes" PeerJava "$schemas" >"$tmp/java.json"; then
    echo "error: Java peer failed" >&2; status=1
  fi
else
  : >"$tmp/java.json"
fi

# --- report --------------------------------------------------------------------------------------
rc=0
"$PY" - "$tmp" "$sg_state" "$bin" <<'PYEOF' || rc=$?
import json, os, statistics, sys

tmp, sg_state, binary = sys.argv[1:4]
problems = []

def load_peer(name):
    path = os.path.join(tmp, name)
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read().strip()
    except OSError:
        return None
    if not text:
        return None
    try:
        obj = json.loads(text.splitlines()[-1])
    except ValueError:
        problems.append(f"{name}: not JSON: {text[:200]!r}")
        return None
    if not obj.get("all_compatible", True):
        problems.append(f"{obj.get('impl', name)} reported incompatible verdicts: its timing is not comparable")
    return obj

UNIT = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}

def gbench_seconds(doc, base):
    """Real time per iteration (seconds) of benchmark `base`: its median/mean aggregate if the
    run had repetitions, else the median of its iteration runs."""
    runs = []
    for b in doc.get("benchmarks", []):
        run_name = b.get("run_name", b.get("name", ""))
        if b.get("run_type") == "aggregate" and "run_name" not in b:
            continue
        if run_name != base and not run_name.startswith(base + "/"):
            continue
        if "error_occurred" in b and b["error_occurred"]:
            problems.append(f"{b['name']}: {b.get('error_message', 'error')}")
            continue
        runs.append(b)
    if not runs:
        return None
    def secs(b):
        return float(b["real_time"]) * UNIT[b.get("time_unit", "ns")]
    for agg in ("median", "mean"):
        sel = [b for b in runs if b.get("run_type") == "aggregate" and b.get("aggregate_name") == agg]
        if sel:
            return secs(sel[0])
    its = [secs(b) for b in runs if b.get("run_type", "iteration") == "iteration"]
    return statistics.median(its) if its else None

sg = None
if sg_state == "ran":
    with open(os.path.join(tmp, "schemaguard.json"), encoding="utf-8") as f:
        raw = f.read()
    start = raw.find("{")
    try:
        doc = json.JSONDecoder().raw_decode(raw[start:])[0] if start >= 0 else None
    except ValueError:
        doc = None
    if doc is None:
        problems.append(f"could not read Google Benchmark JSON from {binary}: {raw[:200]!r}")
    else:
        large_s = gbench_seconds(doc, "BM_LargeSchemaCheck")
        ft_s = gbench_seconds(doc, "BM_FullTransitive1000")
        ftc_s = gbench_seconds(doc, "BM_FullTransitive1000Cached")
        for n, v in (("BM_LargeSchemaCheck", large_s), ("BM_FullTransitive1000", ft_s)):
            if v is None:
                problems.append(f"{n} not found in the output of {binary}")
        sg = {"impl": "SchemaGuard",
              "large_checks_per_s": 1.0 / large_s if large_s else None,
              "full_transitive_1000_ms": ft_s * 1e3 if ft_s else None,
              "cached_ms": ftc_s * 1e3 if ftc_s else None}
        ctx = doc.get("context", {})
        host = f"{ctx.get('num_cpus', '?')} cpus @ {ctx.get('mhz_per_cpu', '?')} MHz, " \
               f"library build {ctx.get('library_build_type', '?')}"

py = load_peer("python.json")
jv = load_peer("java.json")

def fmt(v, digits):
    return "n/a" if v is None else f"{v:,.{digits}f}"

print()
print("Avro compatibility benchmark (same schemas, same run)")
if sg_state == "ran" and sg is not None:
    print(f"  SchemaGuard: {binary} ({host})")
print(f"  {'implementation':<24}{'large checks/s':>18}{'FULL_TRANSITIVE x1000 (ms)':>30}")
rows = [sg or {"impl": "SchemaGuard (" + sg_state + ")"}, py or {"impl": "python3-avro (failed)"},
        jv or {"impl": "avro-java (skipped/failed)"}]
for r in rows:
    print(f"  {r['impl']:<24}{fmt(r.get('large_checks_per_s'), 1):>18}"
          f"{fmt(r.get('full_transitive_1000_ms'), 3):>30}")
if sg and sg.get("cached_ms") is not None:
    print(f"  {'SchemaGuard, cache warm':<24}{'':>18}{fmt(sg['cached_ms'], 4):>30}")
print("  (large = one pairwise check, reader=large_new / writer=large_old, parsing excluded;")
print("   FULL_TRANSITIVE = candidate vs 1000 parsed versions, both directions = 2000 pair checks)")

results = []
def ratio_line(peer, target):
    if peer is None:
        return
    name = peer["impl"]
    for metric, label in (("large_checks_per_s", "large check"),
                          ("full_transitive_1000_ms", "FULL_TRANSITIVE")):
        ours = sg.get(metric) if sg else None
        theirs = peer.get(metric)
        if ours is None or theirs is None or ours == 0 or theirs == 0:
            print(f"  vs {name:<22}{label:<17}   n/a")
            continue
        r = ours / theirs if metric == "large_checks_per_s" else theirs / ours
        ok = r >= target
        results.append(ok)
        print(f"  vs {name:<22}{label:<17}{r:>10.1f}x   {'PASS' if ok else 'MISS'} (target >= {target:g}x)")

print()
print("SchemaGuard speed-up (higher is better; for ms: peer ms / SchemaGuard ms)")
ratio_line(py, 50)
ratio_line(jv, 10)
ft = sg.get("full_transitive_1000_ms") if sg else None
if ft is None:
    print("  new version vs 1000 cached versions, FULL_TRANSITIVE: n/a (target < 4 ms)")
else:
    ok = ft < 4.0
    results.append(ok)
    print(f"  new version vs 1000 cached versions, FULL_TRANSITIVE: {ft:.3f} ms   "
          f"{'PASS' if ok else 'MISS'} (target < 4 ms)")
print()
if sg is None:
    print("overall: INCOMPLETE (no SchemaGuard numbers)")
else:
    print(f"overall: {'PASS' if results and all(results) else 'MISS'} "
          f"({sum(results)}/{len(results)} targets met; one run on a noisy machine: re-run before concluding)")
for p in problems:
    print("problem: " + p)
sys.exit(1 if problems else 0)
PYEOF
[[ $rc == 0 ]] || status=1

if [[ $sg_state == missing && $status == 0 ]]; then status=2; fi
exit "$status"
