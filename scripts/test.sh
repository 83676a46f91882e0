#!/usr/bin/env bash
# Runs every test: installs what is missing, builds with warnings as errors, replays the fuzz
# corpora and fuzzes briefly, runs the suite under AddressSanitizer+UBSan, then the release suite.
# Usage: scripts/test.sh            (what .ci/run calls)
#   SG_SKIP_ASAN=1 SG_SKIP_FUZZ=1   skip those stages for a quicker local loop
#   SG_FUZZ_SECONDS=N               fuzzing time per target (default 30)
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/bootstrap.sh
jobs=$(nproc)

step() { printf '\n=== %s ===\n' "$*"; }

if [[ "${SG_SKIP_FUZZ:-}" != 1 ]]; then
  step "fuzz: libFuzzer build (clang, ASan+UBSan) and a short run per target"
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz -j "$jobs"
  for target in avro_parse_fuzzer jsonschema_compile_fuzzer protobuf_parse_fuzzer; do
    corpus_seed=fuzz/corpus/${target%_fuzzer}
    work=$(mktemp -d)
    cp -r "$corpus_seed"/. "$work"/
    ./build/fuzz/fuzz/"$target" -max_total_time="${SG_FUZZ_SECONDS:-30}" -timeout=10 \
      -rss_limit_mb=2048 -artifact_prefix=build/fuzz/ -dict=fuzz/${target%_fuzzer}.dict -print_final_stats=1 "$work" 2>&1 |
      tail -n 15
    rm -rf "$work"
  done
fi

if [[ "${SG_SKIP_ASAN:-}" != 1 ]]; then
  step "tests under AddressSanitizer + UndefinedBehaviorSanitizer"
  cmake --preset asan >/dev/null
  cmake --build --preset asan -j "$jobs"
  ctest --preset asan -j "$jobs"
fi

step "release build (warnings are errors) and the full test suite"
cmake --preset ci >/dev/null
cmake --build --preset ci -j "$jobs"
ctest --preset ci -j "$jobs"
