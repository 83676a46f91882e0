#!/usr/bin/env bash
# Installs ajv from npm (tests/differential/ajv, pinned by its package-lock.json) when missing,
# runs the JSON Schema compatibility property test writing a sample of (schema, document, our
# verdict) triples, then checks ajv agrees with every verdict.
# Usage: run_jsonschema_ajv_crosscheck.sh PATH/TO/jsonschema_compat_property_test
# Environment: SG_JSONSCHEMA_PROPERTY_SEED / _PAIRS / _DOCS as for the property test.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
test_binary=$1
(
  flock 9
  if [[ ! -f "$here/ajv/node_modules/ajv/package.json" ]]; then
    (cd "$here/ajv" && npm ci --no-audit --no-fund --loglevel=error)
  fi
) 9>"${TMPDIR:-/tmp}/schemaguard-ajv-npm.lock"
samples=$(mktemp "${TMPDIR:-/tmp}/schemaguard-ajv-samples.XXXXXX")
trap 'rm -f "$samples"' EXIT
status=0
SG_JSONSCHEMA_SAMPLE_OUT=$samples "$test_binary" \
  --gtest_filter='JsonSchemaCompatProperty.*' --gtest_brief=1 || status=$?
node "$here/jsonschema_ajv_crosscheck.js" "$samples" || status=$?
exit $status
