#!/usr/bin/env bash
# Installs buf from npm (tests/differential/buf, pinned by its package-lock.json) when missing,
# then runs protobuf_buf_crosscheck.py with it. Usage: run_buf_crosscheck.sh PATH/TO/schemaguard
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
(
  flock 9
  if [[ ! -x "$here/buf/node_modules/.bin/buf" ]]; then
    (cd "$here/buf" && npm ci --no-audit --no-fund --loglevel=error)
  fi
) 9>"${TMPDIR:-/tmp}/schemaguard-buf-npm.lock"
exec /usr/bin/python3 "$here/protobuf_buf_crosscheck.py" "$1" "$here/buf/node_modules/.bin/buf"
