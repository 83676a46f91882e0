#!/usr/bin/env bash
# The outage of README.md, replayed against `schemaguard check` in a throwaway git repository:
# the breaking change fails with exit status 1 and says why, the safe change passes.
# Usage: walkthrough.sh [path/to/schemaguard]   (default: schemaguard on PATH)
# Run by ctest as orders_walkthrough.
set -euo pipefail

schemaguard=$(realpath "${1:-$(command -v schemaguard)}")
example=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. A repository with OrderEvent v1 on main.
cp -r "$example/." "$work"
cd "$work"
git init -q -b main
git add -A
git -c user.name=example -c user.email=example@example.com commit -q -m "OrderEvent v1"

# 2. The outage change: shipping_method added without a default.
cp order-event-v2-breaking.avsc schemas/order-event.avsc
status=0
"$schemaguard" check > out.txt 2>&1 || status=$?
cat out.txt
[ "$status" -eq 1 ] || { echo "expected exit status 1, got $status" >&2; exit 1; }
grep -q "READER_FIELD_MISSING_DEFAULT_VALUE" out.txt
grep -q "schemas/order-event.avsc:10:5" out.txt
grep -q "consumers using v2 (this change) cannot read events written by producers on v1" out.txt
grep -q "Fix: give 'shipping_method' a default" out.txt

# 3. The safe change: shipping_method with a default.
cp order-event-v2-safe.avsc schemas/order-event.avsc
"$schemaguard" check

# 4. The same outage in JSON Schema: shipping_method made required.
cp order-event-v2-breaking.json schemas/order-event.json
status=0
"$schemaguard" check > out.txt 2>&1 || status=$?
cat out.txt
[ "$status" -eq 1 ] || { echo "expected exit status 1, got $status" >&2; exit 1; }
grep -q "REQUIRED_PROPERTY_ADDED" out.txt
grep -q "events written before this version, which lack 'shipping_method'" out.txt
# An event v1 producers wrote that the new schema rejects: no shipping_method in it.
grep "Example: an event v1 accepts and this change rejects: {" out.txt | grep -qv shipping_method
cp order-event-v2-safe.json schemas/order-event.json
"$schemaguard" check

# 5. In Protobuf a new field is optional by nature; what breaks readers is a field number whose
#    type changes. That fails; a new field with a new number passes.
cp order_event-v2-breaking.proto schemas/order_event.proto
status=0
"$schemaguard" check > out.txt 2>&1 || status=$?
cat out.txt
[ "$status" -eq 1 ] || { echo "expected exit status 1, got $status" >&2; exit 1; }
grep -q "schemas/order_event.proto:10:3: error: FIELD_SCALAR_KIND_CHANGED" out.txt
grep -q "reserve 3" out.txt
cp order_event-v2-safe.proto schemas/order_event.proto
"$schemaguard" check
echo "walkthrough: the breaking change failed and the safe change passed"
