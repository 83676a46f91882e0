#!/usr/bin/env bash
# Runs real Confluent Schema Registry clients against `schemaguard serve`:
#   js      the npm @confluentinc/schemaregistry client (registry.test.js, node's test runner)
#   python  Debian's python3-confluent-kafka (test_python_client.py, unittest, /usr/bin/python3)
# Each suite gets a fresh server on a free loopback port with its own data directory; the
# server must then stop cleanly on SIGTERM.
#
# Usage: tests/clients/run.sh PATH/TO/schemaguard [js] [python]    (default: both)
# The npm client is installed into tests/clients/node_modules by `npm ci` from
# package-lock.json whenever node_modules is missing or was installed from another lock file.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
if (($# < 1)); then
  echo "usage: $0 PATH/TO/schemaguard [js] [python]" >&2
  exit 2
fi
bin=$(realpath "$1")
shift
suites=("$@")
((${#suites[@]})) || suites=(js python)

export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost

work=$(mktemp -d "${TMPDIR:-/tmp}/schemaguard-clients.XXXXXX")
server_pid=
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
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

start_server() {
  local name=$1
  mkdir -p "$work/$name"
  "$bin" serve --listen 127.0.0.1:0 --data-dir "$work/$name/data" --port-file "$work/$name/port" \
    >"$work/$name/server.log" 2>&1 &
  server_pid=$!
  local i
  for ((i = 0; i < 300; i++)); do
    if [[ -s "$work/$name/port" ]]; then
      SCHEMAGUARD_URL="http://127.0.0.1:$(cat "$work/$name/port")"
      export SCHEMAGUARD_URL
      echo "clients[$name]: schemaguard serve (pid $server_pid) at $SCHEMAGUARD_URL"
      return 0
    fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
      break
    fi
    sleep 0.1
  done
  local status=0
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" || status=$?
  server_pid=
  echo "clients[$name]: the server exited or wrote no port file within 30 s (exit status $status); its output:" >&2
  tail -n 50 "$work/$name/server.log" >&2 || true
  return 1
}

# SIGTERM, then the server has 20 s to exit with status 0.
stop_server() {
  local name=$1 status=0 i
  kill -TERM "$server_pid"
  for ((i = 0; i < 200; i++)); do
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$server_pid" 2>/dev/null; then
    echo "clients[$name]: the server ignored SIGTERM for 20 s" >&2
    kill -KILL "$server_pid" 2>/dev/null || true
    status=1
  fi
  wait "$server_pid" || status=$?
  server_pid=
  if ((status != 0)); then
    echo "clients[$name]: the server exited with status $status after SIGTERM; its output:" >&2
    tail -n 50 "$work/$name/server.log" >&2 || true
    return 1
  fi
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
    python)
      start_server python || return 1
      # The client library leaves its HTTP sessions to the garbage collector: no warnings for that.
      (cd "$here" && /usr/bin/python3 -W ignore::ResourceWarning -m unittest -v test_python_client) || return 1
      ;;
    *)
      echo "clients: unknown suite '$name' (js, python)" >&2
      return 2
      ;;
  esac
}

passed=0
failed=0
for suite in "${suites[@]}"; do
  echo "=== clients: $suite ==="
  if run_suite "$suite" && stop_server "$suite"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    if [[ -n "$server_pid" ]]; then
      echo "--- server log (last 50 lines) ---" >&2
      tail -n 50 "$work/$suite/server.log" >&2 || true
      kill -KILL "$server_pid" 2>/dev/null || true
      wait "$server_pid" 2>/dev/null || true
      server_pid=
    fi
  fi
done

echo "clients: $passed passed, $failed failed"
((failed == 0))
