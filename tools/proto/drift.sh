#!/usr/bin/env bash
# Fails when libs/contracts/src/gen differs from what `buf generate` makes from proto/ now:
# the generated TypeScript is committed, so a proto change must come with its regeneration.
set -euo pipefail
cd "$(dirname "$0")/../.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
npx buf generate --output "$out"
if ! diff -ru libs/contracts/src/gen "$out/libs/contracts/src/gen"; then
  echo "contracts drift: libs/contracts/src/gen is stale; run: npx nx run contracts:generate" >&2
  exit 1
fi
echo "contracts: generated code matches proto/"
