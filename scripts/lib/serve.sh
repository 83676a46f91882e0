# shellcheck shell=bash
# shellcheck disable=SC2034  # the sg_serve_* variables are for the scripts that source this
# Sourced, not run: starts and stops `schemaguard serve` in the background for the scripts that
# drive it over HTTP (tests/clients/run.sh, bench/server/compare.sh).
#
#   sg_serve_start LABEL BIN DIR [ARGS...]
#       Starts `BIN serve` on a free loopback port with its data in DIR/data, its output in
#       DIR/server.log and ARGS after the rest; waits up to 30 s for it to listen, then sets
#       sg_serve_pid and sg_serve_url. If it exits first or never listens: prints why and the
#       log's tail (prefixed by LABEL), leaves no process behind and returns 1.
#   sg_serve_stop LABEL
#       SIGTERM, then the server has 20 s to exit with status 0 (SIGKILL after that). Otherwise
#       prints why and the log's tail and returns 1.
#   sg_serve_kill
#       SIGKILL if it is still running (for EXIT traps and failures).
sg_serve_pid=
sg_serve_url=
sg_serve_log=

sg_serve_start() {
  local label=$1 bin=$2 dir=$3 status=0 i
  shift 3
  mkdir -p "$dir"
  sg_serve_log=$dir/server.log
  # The port file is written by a rename once the server listens: never seen half-written.
  "$bin" serve --listen 127.0.0.1:0 --data-dir "$dir/data" --port-file "$dir/port" "$@" \
    >"$sg_serve_log" 2>&1 &
  sg_serve_pid=$!
  for ((i = 0; i < 300; i++)); do
    if [[ -s "$dir/port" ]]; then
      sg_serve_url="http://127.0.0.1:$(<"$dir/port")"
      return 0
    fi
    kill -0 "$sg_serve_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$sg_serve_pid" 2>/dev/null || true
  wait "$sg_serve_pid" || status=$?
  sg_serve_pid=
  echo "$label: the server exited or did not listen within 30 s (exit status $status); its output:" >&2
  tail -n 50 "$sg_serve_log" >&2 || true
  return 1
}

sg_serve_stop() {
  local label=$1 status=0 i
  kill -TERM "$sg_serve_pid" 2>/dev/null || true
  for ((i = 0; i < 200; i++)); do
    kill -0 "$sg_serve_pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$sg_serve_pid" 2>/dev/null; then
    echo "$label: the server ignored SIGTERM for 20 s" >&2
    kill -KILL "$sg_serve_pid" 2>/dev/null || true
  fi
  wait "$sg_serve_pid" || status=$?
  sg_serve_pid=
  if ((status != 0)); then
    echo "$label: the server exited with status $status after SIGTERM; its output:" >&2
    tail -n 50 "$sg_serve_log" >&2 || true
    return 1
  fi
}

sg_serve_kill() {
  [[ -n "$sg_serve_pid" ]] || return 0
  kill -KILL "$sg_serve_pid" 2>/dev/null || true
  wait "$sg_serve_pid" 2>/dev/null || true
  sg_serve_pid=
}
