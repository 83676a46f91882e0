#!/usr/bin/env bash
# HTTP benchmark of `schemaguard serve`: id lookups side by side with nginx serving the same
# bytes, re-registration latency, and durable registrations per second. See README.md here.
#
# Usage: bench/server/compare.sh [--smoke] [BUILD_DIR]
#   BUILD_DIR  a release build (default build/release; relative paths are tried against the
#              current directory, then the repository root); the binary is
#              BUILD_DIR/src/schemaguard/cli/schemaguard
#   --smoke    every measured phase runs for 1 s instead of 10 s (checks the script works;
#              the numbers mean little)
# Environment: KEEP_TMP=1 keeps the temporary directory (logs, configs, wrk outputs).
#   SG_BENCH_SECONDS overrides the phase length; SG_BENCH_CONNECTIONS the connections of the
#   lookup and the new-schema phases (default 64).
# Installs wrk and nginx-light if missing, through scripts/bootstrap.sh --bench.
# Exit status: 0 when every phase ran (PASS/FAIL lines report the targets), 1 if one failed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
PY=/usr/bin/python3

seconds=10
build_arg=build/release
for arg in "$@"; do
  case "$arg" in
    -h | --help)
      sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    --smoke) seconds=1 ;;
    *) build_arg=$arg ;;
  esac
done
seconds=${SG_BENCH_SECONDS:-$seconds}
connections=${SG_BENCH_CONNECTIONS:-64}

if [[ "$build_arg" = /* ]]; then
  build_dir=$build_arg
elif [[ -d "$PWD/$build_arg" ]]; then
  build_dir=$PWD/$build_arg
else
  build_dir=$root/$build_arg
fi
bin=$build_dir/src/schemaguard/cli/schemaguard
[[ -x "$bin" ]] || {
  echo "error: $bin not found: build it first (cmake --preset release && cmake --build --preset release)" >&2
  exit 1
}

"$root/scripts/bootstrap.sh" --bench >&2
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

# shellcheck source=scripts/lib/serve.sh
source "$root/scripts/lib/serve.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sg-server-bench.XXXXXX")
nginx_pid=
cleanup() {
  sg_serve_kill
  [[ -n "$nginx_pid" ]] && kill -QUIT "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
  if [[ "${KEEP_TMP:-0}" == 1 ]]; then
    echo "kept $tmp" >&2
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT

say() { printf '\n== %s\n' "$*"; }
util() { "$PY" "$here/registry_util.py" "$sg_url" "$@"; }
free_port() {
  "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wrk's "1.23ms" / "850.00us" / "1.02s" in microseconds.
to_us() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") f = 1; else if (u == "ms") f = 1000; else if (u == "s") f = 1000000;
    else if (u == "m") f = 60000000; else f = 1
    printf "%.1f", n * f }'
}
# Fields of a wrk --latency output: requests/s, mean latency (us), p99 (us), non-2xx count.
wrk_rps() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
wrk_avg_us() { to_us "$(awk '$1 == "Latency" { print $2; exit }' "$1")"; }
wrk_p_us() { to_us "$(awk -v p="$2%" '$1 == p { print $2; exit }' "$1")"; }
wrk_errors() {
  awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { n += 1 } END { print n + 0 }' "$1"
}
verdict() { if "$PY" -c "import sys; sys.exit(0 if ($1) else 1)"; then echo PASS; else echo FAIL; fi; }

cores=$(nproc)
echo "machine: $cores cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
echo "wrk, SchemaGuard and nginx share these cores; phases of ${seconds} s"

# --- SchemaGuard -------------------------------------------------------------------------------
say "starting schemaguard serve ($bin)"
# warn: no access-log line per request (nginx runs with access_log off too).
sg_serve_start compare.sh "$bin" "$tmp" --log-level warn || exit 1
sg_url=$sg_serve_url
echo "SchemaGuard at $sg_url (data in $tmp/data)"

util register bench-lookup Lookup >/dev/null
mkdir -p "$tmp/www/schemas/ids"
content_type=$(util get /schemas/ids/1 "$tmp/www/schemas/ids/1")
echo "GET /schemas/ids/1: $(wc -c <"$tmp/www/schemas/ids/1") bytes of $content_type"

# --- nginx: the same body at the same path with the same Content-Type --------------------------
nginx_port=$(free_port)
mkdir -p "$tmp/nginx/tmp"
user_line=
# As root nginx's workers would switch to `nobody`, which cannot read the private temp dir.
[[ $(id -u) -eq 0 ]] && user_line="user $(id -un);"
cat >"$tmp/nginx/nginx.conf" <<EOF
$user_line
worker_processes auto;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nodelay on;
  keepalive_timeout 65;
  keepalive_requests 100000000;
  open_file_cache max=16 inactive=60s;
  open_file_cache_valid 60s;
  client_body_temp_path $tmp/nginx/tmp/body;
  proxy_temp_path $tmp/nginx/tmp/proxy;
  fastcgi_temp_path $tmp/nginx/tmp/fastcgi;
  uwsgi_temp_path $tmp/nginx/tmp/uwsgi;
  scgi_temp_path $tmp/nginx/tmp/scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    root $tmp/www;
    location = /schemas/ids/1 { default_type "$content_type"; }
  }
}
EOF
"$nginx_bin" -p "$tmp/nginx" -e "$tmp/nginx/error.log" -c "$tmp/nginx/nginx.conf" &
nginx_pid=$!
nginx_url="http://127.0.0.1:$nginx_port"
for _ in $(seq 100); do
  curl -sf -o "$tmp/nginx-body" "$nginx_url/schemas/ids/1" && break
  kill -0 "$nginx_pid" 2>/dev/null || { cat "$tmp/nginx/error.log" >&2; exit 1; }
  sleep 0.1
done
cmp -s "$tmp/nginx-body" "$tmp/www/schemas/ids/1" || { echo "error: nginx serves other bytes" >&2; exit 1; }
nginx_type=$(curl -s -o /dev/null -w '%{content_type}' "$nginx_url/schemas/ids/1")
echo "nginx $("$nginx_bin" -v 2>&1 | sed 's/.*\///') at $nginx_url, Content-Type $nginx_type"

# --- 1. id lookups -----------------------------------------------------------------------------
say "1. GET /schemas/ids/1: wrk -t2 -c$connections -d${seconds}s, SchemaGuard then nginx"
wrk -t2 -c"$connections" -d"${seconds}s" --latency "$sg_url/schemas/ids/1" >"$tmp/wrk-sg.txt"
wrk -t2 -c"$connections" -d"${seconds}s" --latency "$nginx_url/schemas/ids/1" >"$tmp/wrk-nginx.txt"
sg_rps=$(wrk_rps "$tmp/wrk-sg.txt")
nginx_rps=$(wrk_rps "$tmp/wrk-nginx.txt")
sg_p99=$(wrk_p_us "$tmp/wrk-sg.txt" 99)
nginx_p99=$(wrk_p_us "$tmp/wrk-nginx.txt" 99)
ratio=$("$PY" -c "print('%.2f' % ($sg_rps / $nginx_rps))")
printf '%-12s %12s %10s %10s %8s\n' "" "requests/s" "p50 us" "p99 us" "errors"
printf '%-12s %12s %10s %10s %8s\n' SchemaGuard "$sg_rps" "$(wrk_p_us "$tmp/wrk-sg.txt" 50)" \
  "$sg_p99" "$(wrk_errors "$tmp/wrk-sg.txt")"
printf '%-12s %12s %10s %10s %8s\n' nginx "$nginx_rps" "$(wrk_p_us "$tmp/wrk-nginx.txt" 50)" \
  "$nginx_p99" "$(wrk_errors "$tmp/wrk-nginx.txt")"
echo "ratio SchemaGuard/nginx: ${ratio}x"
lookup_ratio_verdict=$(verdict "$ratio >= 0.8 and $(wrk_errors "$tmp/wrk-sg.txt") == 0")
lookup_p99_verdict=$(verdict "$sg_p99 < 2000")

# --- 1b. id lookups with the load generator on its own core -----------------------------------
# Above, wrk's threads and the servers' share every core, so the tail latency of both servers is
# mostly the scheduler's (a server thread waiting for a core wrk holds). Here a second instance
# of each server starts confined to core 0 (`taskset`: SchemaGuard then runs one I/O thread, as
# it sizes itself by its affinity mask; nginx one worker) and wrk -t1 runs on core 1: the same
# budget for each server, and latency that is the server's own.
pinned_verdicts=
if ((cores >= 2)) && command -v taskset >/dev/null; then
  say "1b. the same, each server started on core 0 alone, wrk -t1 on core 1"
  mkdir -p "$tmp/pinned"
  taskset -c 0 "$bin" serve --listen 127.0.0.1:0 --data-dir "$tmp/pinned/data" \
    --port-file "$tmp/pinned/port" --log-level warn >"$tmp/pinned/server.log" 2>&1 &
  pinned_sg_pid=$!
  for _ in $(seq 300); do [[ -s "$tmp/pinned/port" ]] && break; sleep 0.1; done
  pinned_sg_url="http://127.0.0.1:$(cat "$tmp/pinned/port")"
  "$PY" "$here/registry_util.py" "$pinned_sg_url" register bench-lookup Lookup >/dev/null
  cmp -s <(curl -s "$pinned_sg_url/schemas/ids/1") "$tmp/www/schemas/ids/1" ||
    { echo "error: the pinned server serves other bytes" >&2; exit 1; }
  pinned_nginx_port=$(free_port)
  sed -e "s/^worker_processes auto;/worker_processes 1;/" \
    -e "s/listen 127.0.0.1:$nginx_port;/listen 127.0.0.1:$pinned_nginx_port;/" \
    -e "s|pid $tmp/nginx/nginx.pid;|pid $tmp/nginx/pinned.pid;|" \
    "$tmp/nginx/nginx.conf" >"$tmp/nginx/pinned.conf"
  taskset -c 0 "$nginx_bin" -p "$tmp/nginx" -e "$tmp/nginx/error.log" -c "$tmp/nginx/pinned.conf" &
  pinned_nginx_pid=$!
  pinned_nginx_url="http://127.0.0.1:$pinned_nginx_port"
  for _ in $(seq 100); do curl -sf -o /dev/null "$pinned_nginx_url/schemas/ids/1" && break; sleep 0.1; done

  taskset -c 1 wrk -t1 -c"$connections" -d"${seconds}s" --latency "$pinned_sg_url/schemas/ids/1" \
    >"$tmp/wrk-sg-pinned.txt"
  taskset -c 1 wrk -t1 -c"$connections" -d"${seconds}s" --latency \
    "$pinned_nginx_url/schemas/ids/1" >"$tmp/wrk-nginx-pinned.txt"
  kill -TERM "$pinned_sg_pid" && wait "$pinned_sg_pid" || true
  kill -QUIT "$pinned_nginx_pid" && wait "$pinned_nginx_pid" || true

  pinned_sg_rps=$(wrk_rps "$tmp/wrk-sg-pinned.txt")
  pinned_nginx_rps=$(wrk_rps "$tmp/wrk-nginx-pinned.txt")
  pinned_sg_p99=$(wrk_p_us "$tmp/wrk-sg-pinned.txt" 99)
  pinned_ratio=$("$PY" -c "print('%.2f' % ($pinned_sg_rps / $pinned_nginx_rps))")
  printf '%-12s %12s %10s %10s %8s\n' "" "requests/s" "p50 us" "p99 us" "errors"
  printf '%-12s %12s %10s %10s %8s\n' SchemaGuard "$pinned_sg_rps" \
    "$(wrk_p_us "$tmp/wrk-sg-pinned.txt" 50)" "$pinned_sg_p99" "$(wrk_errors "$tmp/wrk-sg-pinned.txt")"
  printf '%-12s %12s %10s %10s %8s\n' nginx "$pinned_nginx_rps" \
    "$(wrk_p_us "$tmp/wrk-nginx-pinned.txt" 50)" "$(wrk_p_us "$tmp/wrk-nginx-pinned.txt" 99)" \
    "$(wrk_errors "$tmp/wrk-nginx-pinned.txt")"
  echo "ratio SchemaGuard/nginx: ${pinned_ratio}x"
  pinned_verdicts=$(printf '%-4s id lookups >= 0.8x nginx, wrk on its own core: %sx\n%-4s id lookup p99 < 2 ms, wrk on its own core: %s us' \
    "$(verdict "$pinned_ratio >= 0.8 and $(wrk_errors "$tmp/wrk-sg-pinned.txt") == 0")" \
    "$pinned_ratio" "$(verdict "$pinned_sg_p99 < 2000")" "$pinned_sg_p99")
fi

# --- 2. re-registration ------------------------------------------------------------------------
# A producer with auto.register.schemas re-registers its schema on start: the registry answers
# from the lookup shortcut, without a write. Measured at 1 connection, by wrk (client side,
# loopback included) and by the server's own histogram (first request byte to response ready).
say "2. re-registration of an already-registered schema: wrk -t1 -c1 -d${seconds}s"
util put-config NONE  # phase 3 registers unrelated schemas into shared subjects
util register bench-rereg-1 ReReg >/dev/null
util body ReReg "$tmp/rereg-1.json"
echo "filling bench-rereg-1000 with 1000 versions..."
util fill bench-rereg-1000 1000 16
util body Fill_bench_rereg_1000_0 "$tmp/rereg-1000.json"
route="/subjects/{subject}/versions"
printf '%-22s %10s %10s %10s %10s %12s %12s\n' "" "client avg" "client p99" "server avg" \
  "server p99" "requests" "errors"
rereg_pass=1
for versions in 1 1000; do
  util snapshot "$route" "$tmp/before.json"
  SG_BODY_FILE="$tmp/rereg-$versions.json" SG_PATH="/subjects/bench-rereg-$versions/versions" \
    wrk -t1 -c1 -d"${seconds}s" --latency -s "$here/post_body.lua" "$sg_url" >"$tmp/wrk-rereg-$versions.txt"
  util snapshot "$route" "$tmp/after.json"
  read -r count server_avg _ server_p99 < <(util report "$tmp/before.json" "$tmp/after.json")
  errors=$(wrk_errors "$tmp/wrk-rereg-$versions.txt")
  printf '%-22s %10s %10s %10s %10s %12s %12s\n' "$versions version(s), us" \
    "$(wrk_avg_us "$tmp/wrk-rereg-$versions.txt")" "$(wrk_p_us "$tmp/wrk-rereg-$versions.txt" 99)" \
    "$server_avg" "<=$server_p99" "$count" "$errors"
  [[ $(verdict "$server_avg < 50 and $errors == 0") == PASS ]] || rereg_pass=0
done
# For comparison, not a target: POST /subjects/{s} (lookup) does the same work as the shortcut
# on the I/O thread, whereas registration is a blocking route (a hop to the blocking pool and
# back, as any request that may write).
SG_BODY_FILE="$tmp/rereg-1.json" SG_PATH="/subjects/bench-rereg-1" \
  wrk -t1 -c1 -d"${seconds}s" --latency -s "$here/post_body.lua" "$sg_url" >"$tmp/wrk-lookup.txt"
printf '%-22s %10s %10s %10s %10s %12s %12s\n' "lookup (same schema)" \
  "$(wrk_avg_us "$tmp/wrk-lookup.txt")" "$(wrk_p_us "$tmp/wrk-lookup.txt" 99)" "-" "-" \
  "$(awk '/requests in/ { print $1 }' "$tmp/wrk-lookup.txt")" "$(wrk_errors "$tmp/wrk-lookup.txt")"
echo "(server p99: the upper bound of the histogram bucket holding it; the lookup row, for"
echo " comparison only: POST /subjects/{s} answers from the same shortcut without the hop to the"
echo " blocking pool that every registration takes)"
rereg_verdict=$([[ $rereg_pass == 1 ]] && echo PASS || echo FAIL)

# --- 3. durable registrations of new schemas ---------------------------------------------------
say "3. new distinct schemas from $connections connections into 16 subjects (NONE): wrk -t2 -c$connections -d${seconds}s"
schemas_before=$(curl -s "$sg_url/metrics" | awk '$1 == "schemaguard_registry_schemas" { print $2 }')
SG_TAG="b$$" SG_SUBJECT_PREFIX=bench-new- SG_SUBJECTS=16 \
  wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$here/new_schemas.lua" "$sg_url" >"$tmp/wrk-new.txt"
schemas_after=$(curl -s "$sg_url/metrics" | awk '$1 == "schemaguard_registry_schemas" { print $2 }')
new_rps=$(wrk_rps "$tmp/wrk-new.txt")
new_errors=$(wrk_errors "$tmp/wrk-new.txt")
durable=$("$PY" -c "print('%.0f' % (($schemas_after - $schemas_before) / $seconds))")
echo "wrk: $new_rps registrations/s acknowledged, p50 $(wrk_p_us "$tmp/wrk-new.txt" 50) us," \
  "p99 $(wrk_p_us "$tmp/wrk-new.txt" 99) us, $new_errors errors"
echo "server: $((${schemas_after%.*} - ${schemas_before%.*})) new schema ids in ${seconds} s = $durable/s" \
  "(each acknowledged after its group's fsync)"
new_verdict=$(verdict "$new_rps >= 2000 and $new_errors == 0")

# --- summary -----------------------------------------------------------------------------------
say "targets"
printf '%-4s id lookups >= 0.8x nginx at %d connections: %sx (%s vs %s requests/s)\n' \
  "$lookup_ratio_verdict" "$connections" "$ratio" "$sg_rps" "$nginx_rps"
printf '%-4s id lookup p99 < 2 ms at %d connections: %s us\n' "$lookup_p99_verdict" \
  "$connections" "$sg_p99"
[[ -n "$pinned_verdicts" ]] && echo "$pinned_verdicts"
printf '%-4s re-registration < 50 us server-side (1 and 1000 versions)\n' "$rereg_verdict"
printf '%-4s >= 2,000 durable registrations/s: %s/s\n' "$new_verdict" "$new_rps"
if [[ $seconds -lt 10 ]]; then echo "(phases of $seconds s: a smoke run, not a measurement)"; fi
