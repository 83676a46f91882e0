#!/usr/bin/env bash
# JSON Schema validation side by side with ajv (npm), on realistic event schemas and documents.
#
# Usage: bench/jsonschema/compare.sh [--smoke] [BUILD_DIR]
#   BUILD_DIR  a release build (default build/release) holding bench/jsonschema_validate_bench
#   --smoke    1,000 documents and 1 s per measurement (checks the script, not the numbers)
# Environment: SG_BENCH_SECONDS (default 3) per measurement, SG_BENCH_DOCS (default 10000).
#
# For each schema in schemas/ (draft 7, 2019-09, 2020-12) it generates the same documents for
# both (gen_docs.py: about 90% valid), then runs ajv (ajv_bench.js) and SchemaGuard
# (jsonschema_validate_bench), each on documents parsed before timing, with `format` as an
# annotation, stopping at the first error. Prints documents/s, MB/s and compile time per
# schema, the ratio SchemaGuard/ajv, and PASS/FAIL for the targets: >= 1.5x ajv's documents/s,
# compiling in < 200 us. Both must agree on which documents are valid, or the run fails.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
PY=/usr/bin/python3

seconds=${SG_BENCH_SECONDS:-3}
docs=${SG_BENCH_DOCS:-10000}
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
echo "$docs documents per schema, ${seconds} s per measurement, node $(node --version)"
printf '\n%-14s %14s %14s %8s %10s %10s %12s %12s\n' schema "ajv docs/s" "sg docs/s" ratio \
  "ajv MB/s" "sg MB/s" "ajv comp us" "sg comp us"
status=0
verdicts=()
for schema in "$here"/schemas/*.json; do
  name=$(basename "$schema" .json)
  ajv=$(node "$here/ajv_bench.js" "$schema" "$tmp/$name.jsonl" --seconds "$seconds")
  sg=$("$bench_bin" "$schema" "$tmp/$name.jsonl" --seconds "$seconds")
  if [[ "$(field "$ajv" valid)" != "$(field "$sg" valid)" ]]; then
    echo "error: $name: ajv finds $(field "$ajv" valid) valid documents, SchemaGuard $(field "$sg" valid)" >&2
    status=1
  fi
  ratio=$("$PY" -c "print('%.2f' % ($(field "$sg" docs_per_s) / $(field "$ajv" docs_per_s)))")
  printf '%-14s %14s %14s %7sx %10s %10s %12s %12s\n' "$name" "$(field "$ajv" docs_per_s)" \
    "$(field "$sg" docs_per_s)" "$ratio" "$(field "$ajv" mb_per_s)" "$(field "$sg" mb_per_s)" \
    "$(field "$ajv" compile_us)" "$(field "$sg" compile_us)"
  fast=$("$PY" -c "print('PASS' if $ratio >= 1.5 else 'FAIL')")
  compiled=$("$PY" -c "print('PASS' if $(field "$sg" compile_us) < 200 else 'FAIL')")
  verdicts+=("$fast $name: validation >= 1.5x ajv (${ratio}x)")
  verdicts+=("$compiled $name: compile < 200 us ($(field "$sg" compile_us) us)")
done
printf '\n== targets\n'
printf '%s\n' "${verdicts[@]}"
if [[ $seconds -lt 3 ]]; then echo "(a smoke run, not a measurement)"; fi
exit $status
