#!/usr/bin/env bash
# Installs what is missing, builds the release binaries, and runs SchemaGuard.
# Until the registry server lands, SchemaGuard's main job is the `schemaguard` CLI: with no
# arguments this runs the outage example (a breaking OrderEvent change) through `compat`;
# otherwise it passes the arguments on, e.g. scripts/run.sh compat --help
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"
bin=build/release/src/schemaguard/cli/schemaguard
if (($# == 0)); then
  echo
  echo "\$ schemaguard compat --level BACKWARD examples/orders/order-event-v2-breaking.avsc examples/orders/order-event-v1.avsc"
  status=0
  "$bin" compat --level BACKWARD examples/orders/order-event-v2-breaking.avsc \
    examples/orders/order-event-v1.avsc || status=$?
  echo "(exit status $status: 1 means incompatible, as intended for this change)"
  echo
  echo "\$ schemaguard compat --level FULL_TRANSITIVE examples/orders/order-event-v2-safe.avsc examples/orders/order-event-v1.avsc"
  "$bin" compat --level FULL_TRANSITIVE examples/orders/order-event-v2-safe.avsc \
    examples/orders/order-event-v1.avsc
  echo
  echo "More: $bin --help"
  exit 0
fi
exec "$bin" "$@"
