#!/usr/bin/env bash
# JSON Schema validation side by side with ajv (npm), on realistic event schemas and documents.
#
# Usage: bench/jsonschema/compare.sh [--smoke] [BUILD_DIR]
#   BUILD_DIR  a release build (default build/release) holding bench/jsonschema_validate_bench
#   --smoke    1,000 documents and 1 s per measurement (checks the script, not the numbers)
# Environment: SG_BENCH_SECONDS (default 3) per measurement, SG_BENCH_DOCS (default 10000),
# SG_BENCH_RUNS (default 3) measurements of each side per schema, taken in turn.
#
# For each schema in schemas/ (draft 7, 2019-09, 2020-12) it generates the same documents for
# both (gen_docs.py: about 90% valid), then runs ajv (ajv_bench.js) and SchemaGuard
# (jsonschema_validate_bench), each on documents parsed before timing, with `format` as an
# annotation, stopping at the first error. Prints, per schema, documents/s (the median of the
# runs' means over all rounds, and the fastest single round of any run: machine noise only
# ever adds time, and ajv's mean also carries its garbage collector), MB/s and compile time,
# the ratios SchemaGuard/ajv, and PASS/FAIL for the targets: >= 1.5x ajv's documents/s (by
# both measures), compiling in < 200 us. Both must agree on which documents are valid, or the
# run fails.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
PY=/usr/bin/python3

seconds=${SG_BENCH_SECONDS:-3}
docs=${SG_BENCH_DOCS:-10000}
runs=${SG_BENCH_RUNS:-3}
build_arg=build/release
for arg in "$@"; do
  case "$arg" in
    -h | --help)
      sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    --smoke)
      seconds=1
      docs=1000
      runs=1
      ;;
    *) build_arg=$arg ;;
  esac
done
if [[ "$build_arg" = /* ]]; then
  build_dir=$build_arg
elif [[ -d "$PWD/$build_arg" ]]; then
  build_dir=$PWD/$build_arg
else
  build_dir=$root/$build_arg
fi
bench_bin=$build_dir/bench/jsonschema_validate_bench
[[ -x "$bench_bin" ]] || {
  echo "error: $bench_bin not found: build it first (cmake --preset release && cmake --build --preset release)" >&2
  exit 1
}

if [[ ! -d "$here/node_modules/ajv" ]]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sg-jsonschema-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$PY" "$here/gen_docs.py" "$tmp" --count "$docs"

field() { "$PY" -c "import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
echo "$docs documents per schema, $runs runs of ${seconds} s per side, node $(node --version)"
printf '\n%-13s %11s %11s %6s %11s %11s %6s %8s %8s %9s %9s\n' schema "ajv docs/s" "sg docs/s" \
  ratio "ajv best" "sg best" ratio "ajv MB/s" "sg MB/s" "ajv c.us" "sg c.us"
status=0
verdicts=()
verdict() { "$PY" -c "print('PASS' if $1 else 'FAIL')"; }
for schema in "$here"/schemas/*.json; do
  name=$(basename "$schema" .json)
  results=()
  for ((run = 0; run < runs; ++run)); do
    results+=("$(node "$here/ajv_bench.js" "$schema" "$tmp/$name.jsonl" --seconds "$seconds")")
    results+=("$("$bench_bin" "$schema" "$tmp/$name.jsonl" --seconds "$seconds")")
  done
  # One line of fields from the runs (even: ajv, odd: SchemaGuard).
  summary=$("$PY" - "${results[@]}" <<'PY'
import json, statistics, sys
runs = [json.loads(r) for r in sys.argv[1:]]
ajv, sg = runs[0::2], runs[1::2]
med = lambda rs, k: statistics.median(r[k] for r in rs)
best = lambda rs: max(r["best_docs_per_s"] for r in rs)
valid = {r["valid"] for r in runs}
print(len(valid) == 1, ajv[0]["valid"], sg[0]["valid"],
      round(med(ajv, "docs_per_s")), round(med(sg, "docs_per_s")),
      "%.2f" % (med(sg, "docs_per_s") / med(ajv, "docs_per_s")),
      best(ajv), best(sg), "%.2f" % (best(sg) / best(ajv)),
      med(ajv, "mb_per_s"), med(sg, "mb_per_s"), med(ajv, "compile_us"), med(sg, "compile_us"))
PY
)
  read -r agree ajv_valid sg_valid ajv_rate sg_rate ratio ajv_best sg_best best_ratio ajv_mb sg_mb \
    ajv_compile sg_compile <<<"$summary"
  if [[ "$agree" != True ]]; then
    echo "error: $name: ajv finds $ajv_valid valid documents, SchemaGuard $sg_valid" >&2
    status=1
  fi
  printf '%-13s %11s %11s %5sx %11s %11s %5sx %8s %8s %9s %9s\n' "$name" "$ajv_rate" "$sg_rate" \
    "$ratio" "$ajv_best" "$sg_best" "$best_ratio" "$ajv_mb" "$sg_mb" "$ajv_compile" "$sg_compile"
  verdicts+=("$(verdict "$ratio >= 1.5") $name: validation >= 1.5x ajv, median of means (${ratio}x)")
  verdicts+=("$(verdict "$best_ratio >= 1.5") $name: validation >= 1.5x ajv, fastest rounds (${best_ratio}x)")
  verdicts+=("$(verdict "$sg_compile < 200") $name: compile < 200 us ($sg_compile us)")
done
printf '\n== targets\n'
printf '%s\n' "${verdicts[@]}"
if [[ $seconds -lt 3 ]]; then echo "(a smoke run, not a measurement)"; fi
exit $status
