#!/usr/bin/env bash
# Browser tests: the offline form (`qc compile --emit html`) in Debian's chromium, headless,
# driven by puppeteer-core (pinned, tests/browser/package.json) over the DevTools protocol.
#
# For the bundled instruments with their example replies, and for every pass fixture with
# generated replies (one in four broken) and its interop replies, `qc.load(reply)` shows exactly
# the items `qc validate` asks and `qc.reply()` gives the reply without the answers of items
# not asked; the page requests nothing. Driven as a respondent, it saves a reply that
# `qc validate --complete` accepts, and markup in its texts and answers runs nothing. axe-core
# finds no serious or critical accessibility violation. Printed, it is the paper questionnaire,
# and its tables check their totals. On a failure, screenshots of the first page, the grid, an
# Arabic page and the print view go to $cache/screenshots.
#
# Chromium is installed with apt-get when it is missing, and the npm packages into a cache
# folder, $QC_BROWSER_CACHE (default target/browser). A tool that cannot be installed fails the
# run: nothing is skipped.
set -euo pipefail
cd "$(dirname "$0")/../.."

source tests/setup.sh
cache="$(tools_folder "${QC_BROWSER_CACHE:-target/browser}")"

chromium="$(command -v chromium || true)"
if [ -z "$chromium" ]; then
  echo "browser: installing Debian's chromium"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q chromium
  chromium="$(command -v chromium)"
fi
npm_packages tests/browser/package.json "$cache/npm" puppeteer-core
cp tests/browser/*.mjs "$cache/npm/"
build_qc
check() {
  local form="$1" html="$2"
  shift 2
  "$build/examples/asked" "$form" "$@" > "$html.asked.json"
  if node "$cache/npm/form.mjs" "$chromium" "$html" "$html.asked.json" "$@"; then
    passed=$((passed + 1))
  else
    echo "FAIL the offline form of $form"
    failed=$((failed + 1))
  fi
}

for instrument in questionnaires/*.q; do
  name="$(basename "$instrument" .q)"
  "$qc" compile --emit html "$instrument" -o "$work/$name.html" 2>/dev/null
  check "$instrument" "$work/$name.html" questionnaires/examples/"$name"/*.json
done
for form in tests/fixtures/pass/*.q; do
  name="$(basename "$form" .q)"
  replies="$work/replies-$name"
  mkdir -p "$replies"
  "$build/examples/replies" "$replies.jsonl" 12 "$form"
  n=0
  while IFS= read -r line; do
    n=$((n + 1))
    printf '%s\n' "$line" > "$replies/generated-$n.json"
  done < "$replies.jsonl"
  cp tests/interop/replies/"$name"-*.json "$replies/" 2>/dev/null || true
  "$qc" compile --emit html "$form" -o "$work/$name.html" 2>/dev/null
  check "$form" "$work/$name.html" "$replies"/*.json
done

# Driven as a respondent (mouse, keyboard, an answer changed, a record added, "Save reply"): the
# saved reply is complete and valid. Markup and script in texts and answers run nothing. In
# Arabic the page is right to left, its own strings Arabic, an untranslated text English.
"$qc" compile --emit html tests/browser/respondent.q -o "$work/respondent.html"
"$qc" compile --emit html tests/browser/markup.q -o "$work/markup.html"
"$qc" compile --emit html tests/browser/rtl.q -o "$work/rtl.html" 2>/dev/null
mkdir -p "$work/saved"
if node "$cache/npm/respondent.mjs" "$chromium" "$work/respondent.html" "$work/markup.html" "$work/rtl.html" \
  "$work/saved" "$cache/screenshots" \
  && "$qc" validate --complete tests/browser/respondent.q "$work/saved"/*.json; then
  passed=$((passed + 1))
else
  echo "FAIL the offline form driven as a respondent"
  failed=$((failed + 1))
fi

# Accessibility: axe-core finds no serious or critical violation on the bundled instrument with a
# complete reply loaded (its grid and lists open), nor on the fixtures of every answer type;
# screenshots of a failing page and of its print view go to $cache/screenshots.
pages=("$work/crime-prevention.html=questionnaires/examples/crime-prevention/arcadia-complete.json")
for name in answers grid list money records specials tables; do
  complete="tests/interop/replies/$name-complete.json"
  if [ -f "$complete" ]; then
    pages+=("$work/$name.html=$complete")
  else
    pages+=("$work/$name.html")
  fi
done
if node "$cache/npm/a11y.mjs" "$chromium" "$cache/screenshots" "${pages[@]}"; then
  passed=$((passed + 1))
else
  echo "FAIL accessibility of the offline form (screenshots in $cache/screenshots)"
  failed=$((failed + 1))
fi

# On paper: printed, every item with its condition in words and its choices as boxes, a blank
# record for a list; tables show and check their totals and take a special answer in a cell.
"$qc" compile --emit html tests/fixtures/pass/tables.q -o "$work/tables.html" 2>/dev/null
"$qc" compile --emit html tests/fixtures/pass/records.q -o "$work/records.html" 2>/dev/null
if node "$cache/npm/paper.mjs" "$chromium" "$work/crime-prevention.html" "$work/tables.html" "$work/records.html"; then
  passed=$((passed + 1))
else
  echo "FAIL the offline form on paper and its tables"
  failed=$((failed + 1))
fi

# The HTML report on the replies of twelve fictional States, with those of five fictional
# organizations to the providers' instrument: clean, self-contained, a chart for each table of
# shares, needs beside offers; screenshots of it for a person to look at.
"$qc" report questionnaires/crime-prevention.q questionnaires/examples/crime-prevention-states \
  --providers questionnaires/technical-assistance-providers.q \
  --provider-replies questionnaires/examples/technical-assistance-providers \
  -o "$work/report.html" 2>/dev/null
if node "$cache/npm/report.mjs" "$chromium" "$work/report.html" "$cache/screenshots"; then
  passed=$((passed + 1))
else
  echo "FAIL the HTML report"
  failed=$((failed + 1))
fi

# Something failed: screenshots of the first page, the grid, an Arabic page and the print view.
if [ "$failed" -gt 0 ]; then
  node "$cache/npm/shots.mjs" "$chromium" "$cache/screenshots" "$work/crime-prevention.html" \
    questionnaires/examples/crime-prevention/arcadia-complete.json "$work/rtl.html" || true
fi

echo "browser: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
