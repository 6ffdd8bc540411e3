#!/usr/bin/env bash
# ajv 8 on the same replies as `cargo bench --bench validate`, for the figures side by side.
# Needs Node.js and the npm registry; CI does not run it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$root" && cargo run --quiet --release --example replies -- "$work/replies.jsonl" 10000)
(cd "$root" && cargo run --quiet --release -- compile --emit response-schema questionnaires/crime-prevention.q -o "$work/schema.json")
(cd "$here" && npm install --silent --no-audit --no-fund)
node "$here/validate.mjs" "$work/schema.json" "$work/replies.jsonl"
