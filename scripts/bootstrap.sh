#!/usr/bin/env bash
# Installs every Debian 12 package SchemaGuard's build, tests and benchmarks need; with --bench
# also those of the HTTP benchmark against nginx (bench/server/compare.sh).
# Idempotent: asks apt only for what is missing, so a second run costs a dpkg query.
# Boost comes from the 1.81 packages only: libboost-dev / libboost-all-dev (1.74) would
# remove them.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git clang clang-format libclang-rt-14-dev
  # libraries
  libboost1.81-dev libboost-json1.81-dev
  libcli11-dev libfmt-dev libspdlog-dev libssl-dev libsqlite3-dev
  libprotobuf-dev libprotoc-dev libpcre2-dev libyaml-cpp-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # reference implementations for differential tests and side-by-side benchmarks
  python3 python3-avro libavro-java default-jdk-headless libavro-dev
  # real registry clients in the test suite (tests/clients: the npm one is installed by npm ci)
  nodejs python3-confluent-kafka python3-requests
  # protoc: descriptor sets for the Protobuf client test, as generated code would carry them
  protobuf-compiler
)

# Optional groups, installed only when asked for; scripts/test.sh needs none of them.
#   --bench   wrk and nginx-light: bench/server/compare.sh, SchemaGuard side by side with nginx
bench_packages=(wrk nginx-light)
for arg in "$@"; do
  case "$arg" in
    --bench) packages+=("${bench_packages[@]}") ;;
    *)
      echo "usage: $0 [--bench]" >&2
      exit 2
      ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
# npm: a nodejs package that bundles npm (as this machine image's does) conflicts with
# Debian's npm, so ask for that one only when there is no npm command.
command -v npm >/dev/null || missing+=(npm)

if ((${#missing[@]} == 0)); then
  echo "bootstrap: all ${#packages[@]} packages present"
  exit 0
fi

echo "bootstrap: installing ${missing[*]}"
sudo_cmd=()
[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
