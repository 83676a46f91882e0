#!/usr/bin/env bash
# Installs what is missing, builds the release binaries, and starts the schema registry:
# `schemaguard serve` on 0.0.0.0:8081 with its data in ./data (the repository's data/
# directory, created on first start). Ctrl-C or SIGTERM stops it gracefully.
#
# Arguments go to `schemaguard serve`, e.g. scripts/run.sh --listen 127.0.0.1:9000; so do
# SCHEMAGUARD_* environment variables and a --config file (scripts/run.sh --help lists every
# setting). No flags are passed here, so that the environment and a config file can still set
# everything (a flag would win over them).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"
bin=build/release/src/schemaguard/cli/schemaguard
if (($# == 0)); then
  echo
  echo "Starting the SchemaGuard registry (default: http://0.0.0.0:8081, data in ./data). Try:"
  echo "  curl -s http://localhost:8081/subjects"
  echo "Logs follow as JSON lines; Ctrl-C stops the registry."
  echo
fi
exec "$bin" serve "$@"
