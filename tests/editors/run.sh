#!/usr/bin/env bash
# Editor tests: the TextMate grammar (editors/textmate/q.tmLanguage.json) tokenizes every `.q`
# file of the repository, fixtures and bundled instruments, without an unscoped region, with
# vscode-textmate and vscode-oniguruma (pinned in tests/editors/package.json) as VS Code does;
# the VS Code extension folder holds together (tests/editors/vscode.mjs); and the extension,
# activated with its pinned vscode-languageclient, starts `qc lsp` and carries its diagnostics
# and hover to the editor (tests/editors/extension.cjs).
#
# The npm packages are installed into a cache folder, $QC_EDITORS_CACHE (default
# target/editors). A tool that cannot be installed fails the run: nothing is skipped.
set -euo pipefail
cd "$(dirname "$0")/../.."

source tests/setup.sh
cache="$(tools_folder "${QC_EDITORS_CACHE:-target/editors}")"
npm_packages tests/editors/package.json "$cache/npm" vscode-textmate
cp tests/editors/tokenize.mjs "$cache/npm/"
mapfile -t files < <(git ls-files '*.q' 2>/dev/null || find . -name '*.q' -not -path './target/*')
node "$cache/npm/tokenize.mjs" editors/textmate/q.tmLanguage.json "${files[@]}"

# The VS Code extension: its manifest, grammar copy, language configuration and script.
node --check editors/vscode/extension.js
node tests/editors/vscode.mjs editors/vscode editors/textmate/q.tmLanguage.json

# The extension run: activated, it starts the qc built here as `qc lsp`.
cargo build --quiet --bin qc
NODE_PATH="$cache/npm/node_modules" node tests/editors/extension.cjs editors/vscode "${CARGO_TARGET_DIR:-target}/debug/qc"
