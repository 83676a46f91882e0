#!/usr/bin/env bash
# Runs real Confluent Schema Registry clients against `schemaguard serve`:
#   js      the npm @confluentinc/schemaregistry client (registry.test.js, node's test runner)
#   python  Debian's python3-confluent-kafka (test_python_client.py, unittest, /usr/bin/python3)
#   protobuf  the npm client's ProtobufSerializer/Deserializer (protobuf.test.js; needs protoc)
# Each suite gets a fresh server on a free loopback port with its own data directory; the
# server must then stop cleanly on SIGTERM.
#
# Usage: tests/clients/run.sh PATH/TO/schemaguard [js] [python] [protobuf]    (default: all three)
# The npm client is installed into tests/clients/node_modules by `npm ci` from
# package-lock.json whenever node_modules is missing or was installed from another lock file.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
if (($# < 1)); then
  echo "usage: $0 PATH/TO/schemaguard [js] [python] [protobuf]" >&2
  exit 2
fi
bin=$(realpath "$1")
shift
suites=("$@")
((${#suites[@]})) || suites=(js python protobuf)

export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost

# shellcheck source=scripts/lib/serve.sh
source "$here/../../scripts/lib/serve.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/schemaguard-clients.XXXXXX")
trap 'sg_serve_kill; rm -rf "$work"' EXIT
trap 'exit 143' TERM INT

# npm ci when node_modules is absent or stale (the stamp holds the lock file's hash). A lock
# serialises concurrent runs (two build trees testing at once share this source directory).
ensure_node_modules() {
  local want stamp=$here/node_modules/.schemaguard-lock-sha256
  want=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
  (
    flock 9 || exit 1
    if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
      echo "clients: npm ci in $here"
      (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) || exit 1
      echo "$want" >"$stamp"
    fi
  ) 9>"${TMPDIR:-/tmp}/schemaguard-clients-npm.lock"
}

# A fresh server for suite $1, its URL exported as SCHEMAGUARD_URL.
start_server() {
  sg_serve_start "clients[$1]" "$bin" "$work/$1" || return 1
  export SCHEMAGUARD_URL=$sg_serve_url
  echo "clients[$1]: schemaguard serve (pid $sg_serve_pid) at $SCHEMAGUARD_URL"
}

# Called in an `if`, where errexit is off: every step returns on failure itself.
run_suite() {
  local name=$1
  case "$name" in
    js)
      ensure_node_modules || return 1
      start_server js || return 1
      (cd "$here" && node --test --test-reporter=spec registry.test.js) || return 1
      ;;
    protobuf)
      ensure_node_modules || return 1
      start_server protobuf || return 1
      (cd "$here" && node --test --test-reporter=spec protobuf.test.js) || return 1
      ;;
    python)
      start_server python || return 1
      # The client library leaves its HTTP sessions to the garbage collector: no warnings for that.
      (cd "$here" && /usr/bin/python3 -B -W ignore::ResourceWarning -m unittest -v test_python_client) || return 1
      ;;
    *)
      echo "clients: unknown suite '$name' (js, python, protobuf)" >&2
      return 2
      ;;
  esac
}

passed=0
failed=0
for suite in "${suites[@]}"; do
  echo "=== clients: $suite ==="
  # The server must then stop cleanly on SIGTERM.
  if run_suite "$suite" && sg_serve_stop "clients[$suite]"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    if [[ -n "$sg_serve_pid" ]]; then  # the suite failed with the server still up
      echo "--- server log (last 50 lines) ---" >&2
      tail -n 50 "$sg_serve_log" >&2 || true
      sg_serve_kill
    fi
  fi
done

echo "clients: $passed passed, $failed failed"
((failed == 0))
