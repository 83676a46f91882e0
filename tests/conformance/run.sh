#!/usr/bin/env bash
# Confluent's JSON Schema and Protobuf compatibility vectors through the REST API: starts
# `schemaguard serve` on a fresh data directory and runs the shared conformance runner
# (../shared/conformance/vectors.py, next to the repository) against it.
#
# Usage: tests/conformance/run.sh PATH/TO/schemaguard [json|protobuf]   (default: both)
# Exit status: the runner's (0 when every case passes), or 1 if the server misbehaves.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
runner=$root/../shared/conformance/vectors.py
if (($# < 1)); then
  echo "usage: $0 PATH/TO/schemaguard [json|protobuf]" >&2
  exit 2
fi
[[ -f "$runner" ]] || { echo "error: $runner not found (../shared next to the repository)" >&2; exit 2; }
bin=$(realpath "$1")
only=()
[[ $# -ge 2 ]] && only=(--only "$2")

export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost
# shellcheck source=scripts/lib/serve.sh
source "$root/scripts/lib/serve.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/schemaguard-conformance.XXXXXX")
trap 'sg_serve_kill; rm -rf "$work"' EXIT

sg_serve_start conformance "$bin" "$work" --log-level warn || exit 1
status=0
/usr/bin/python3 "$runner" --url "$sg_serve_url" "${only[@]}" --jobs 4 --verbose || status=$?
sg_serve_stop conformance || status=1
exit $status
