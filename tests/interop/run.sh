#!/usr/bin/env bash
# Interoperability tests: exports checked by the real tools that consume them.
#
# XLSForm: pyxform (pinned) converts the export of every bundled instrument with ODK Validate
# on (it runs on Java 17), and the `relevant` of the items in the XForm it produces are checked
# against qc's conditions.
# SurveyJS: survey-core (pinned, in Node) loads the export; for each example reply, the items
# and grid columns it shows are those qc asks, and it accepts the complete reply; replies given
# to it (and changed) come back through `qc convert-response --from surveyjs` as they were given.
# docs/form-format.md: a renderer written from it alone answers replies as qc does.
# ODK: replies written as submissions fit the instance of the XForm pyxform builds, and come back
# through `qc convert-response --from odk` as they were given.
# FHIR R4: the Questionnaire and the QuestionnaireResponses of the valid example replies are
# accepted by the HL7 R4 JSON Schema and by FHIR.js, which both reject a broken Questionnaire;
# fhirpath.js enables the fields of each record where qc asks them.
#
# Tools are installed from the registries into a cache folder, $QC_INTEROP_CACHE (default
# target/interop). A tool that cannot be installed fails the run: nothing is skipped.
set -euo pipefail
cd "$(dirname "$0")/../.."

PYXFORM_VERSION=4.5.0
LXML_VERSION=6.1.3
source tests/setup.sh
cache="$(tools_folder "${QC_INTEROP_CACHE:-target/interop}")"

if [ ! -x "$cache/venv/bin/python" ] || ! "$cache/venv/bin/python" -c "import pyxform, lxml.etree, sys; sys.exit(pyxform.__version__ != '$PYXFORM_VERSION' or lxml.__version__ != '$LXML_VERSION')" 2>/dev/null; then
  echo "interop: installing pyxform $PYXFORM_VERSION and lxml $LXML_VERSION into $cache/venv"
  python3 -m venv "$cache/venv"
  "$cache/venv/bin/pip" install --quiet --disable-pip-version-check "pyxform==$PYXFORM_VERSION" "lxml==$LXML_VERSION"
fi
command -v java >/dev/null || { echo "interop: java is needed by ODK Validate" >&2; exit 1; }

npm_packages tests/interop/package.json "$cache/npm" fhirpath
build_qc
for instrument in questionnaires/*.q; do
  name="$(basename "$instrument" .q)"
  "$qc" compile "$instrument" -o "$work/$name.json"
  "$qc" compile --emit xlsform "$instrument" -o "$work/$name.xlsx" 2>"$work/$name.warnings"
  if "$cache/venv/bin/python" tests/interop/xlsform.py "$work/$name.xlsx" "$work/$name.json" "$work/$name.xml"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
done
# A translated export: the French draft of the bundled instrument.
"$qc" compile --lang fr questionnaires/crime-prevention.q -o "$work/crime-prevention-fr.json" 2>/dev/null
"$qc" compile --lang fr --emit xlsform questionnaires/crime-prevention.q -o "$work/crime-prevention-fr.xlsx" 2>/dev/null
if "$cache/venv/bin/python" tests/interop/xlsform.py "$work/crime-prevention-fr.xlsx" "$work/crime-prevention-fr.json" "$work/crime-prevention-fr.xml"; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
fi
# The fixtures of calculated values, constraints, records, special answers and tables: their
# XForms pass ODK Validate.
for fixture in calculations money records scores specials tables; do
  "$qc" compile --emit xlsform "tests/fixtures/pass/$fixture.q" -o "$work/$fixture.xlsx" 2>/dev/null
  if "$cache/venv/bin/python" tests/interop/xlsform.py "$work/$fixture.xlsx" - "$work/$fixture.xml"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
done
examples="$PWD/questionnaires/examples/crime-prevention"
"$qc" compile --emit surveyjs questionnaires/crime-prevention.q -o "$work/survey.json"
"$build/examples/asked" questionnaires/crime-prevention.q "$examples"/*.json > "$work/asked.json"
cp tests/interop/surveyjs.mjs "$cache/npm/surveyjs.mjs"
if node "$cache/npm/surveyjs.mjs" "$work/survey.json" "$work/asked.json" "$examples/arcadia-complete.json"; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
fi
# SurveyJS computes the calculated values qc computes, and applies the records' own logic.
replies="$PWD/tests/interop/replies"
for fixture in calculations money records scores tables; do
  "$qc" compile --emit surveyjs "tests/fixtures/pass/$fixture.q" -o "$work/survey-$fixture.json" 2>/dev/null
  "$build/examples/asked" "tests/fixtures/pass/$fixture.q" "$replies/$fixture"-*.json > "$work/asked-$fixture.json"
  if node "$cache/npm/surveyjs.mjs" "$work/survey-$fixture.json" "$work/asked-$fixture.json" "$replies/$fixture-complete.json"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
done

# Replies to a form, one file each, in DIR: with `valid`, six valid replies generated for it
# and, for the bundled instrument, its two valid example replies; with `any`, twelve generated
# replies (one in four broken), and the bundled instrument's example replies or the fixture's
# replies in tests/interop/replies.
replies_to() {
  local form="$1" dir="$2" kind="$3" n=0 line name
  name="$(basename "$form" .q)"
  if [ "$kind" = valid ]; then
    "$build/examples/replies" "$dir.jsonl" 6 "$form" valid
  else
    "$build/examples/replies" "$dir.jsonl" 12 "$form"
  fi
  while IFS= read -r line; do
    n=$((n + 1))
    printf '%s\n' "$line" > "$dir/generated-$n.json"
  done < "$dir.jsonl"
  if [ "$name" = crime-prevention ] && [ "$kind" = valid ]; then
    cp "$examples/arcadia-complete.json" "$examples/borduria-in-progress.json" "$dir/"
  elif [ "$name" = crime-prevention ]; then
    cp "$examples"/*.json "$dir/"
  else
    cp tests/interop/replies/"$name"-*.json "$dir/" 2>/dev/null || true
  fi
}

# The map that same_replies.py reads when each reply comes back under its own name: every
# `*.json` of DIR to itself.
each_to_itself() {
  local dir="$1" sep="" reply
  printf '{'
  for reply in "$dir"/*.json; do
    printf '%s"%s": "%s"' "$sep" "$(basename "$reply")" "$(basename "$reply")"
    sep=", "
  done
  printf '}\n'
}

# Replies through SurveyJS and back: each reply is written as SurveyJS's data by qc, answered
# into survey-core one answer at a time (alone, and given over each other reply so that answers
# change and items close again), completed, and read back by qc: the same reply must come back.
cp tests/interop/surveyjs-replies.mjs "$cache/npm/surveyjs-replies.mjs"
for form in questionnaires/crime-prevention.q tests/fixtures/pass/{answers,calculations,followups,grid,list,money,records,scores,tables}.q; do
  name="$(basename "$form" .q)"
  sj="$work/sj-$name"
  mkdir -p "$sj/replies" "$sj/data" "$sj/out" "$sj/back"
  replies_to "$form" "$sj/replies" valid
  for reply in "$sj/replies"/*.json; do
    # A reply with a special answer cannot be written for SurveyJS, which has none.
    "$qc" convert-response --to surveyjs "$form" "$reply" --out-dir "$sj/data" 2>/dev/null || rm "$reply"
  done
  "$qc" compile "$form" -o "$sj/form.json"
  "$qc" compile --emit surveyjs "$form" -o "$sj/survey.json" 2>/dev/null
  if node "$cache/npm/surveyjs-replies.mjs" "$sj/survey.json" "$sj/out" "$sj/data"/*.json \
    && "$qc" convert-response --from surveyjs "$form" "$sj/out"/alone-*.json "$sj/out"/over-*.json --out-dir "$sj/back" \
    && python3 tests/interop/same_replies.py "$sj/form.json" "$sj/out/expected.json" "$sj/back" "$sj/replies"; then
    passed=$((passed + 1))
  else
    echo "FAIL replies through SurveyJS: $form"
    failed=$((failed + 1))
  fi
done

# Replies through ODK and back: each reply is written as the XML submission ODK Collect, Enketo
# and KoboToolbox send (`--to odk`), checked against the instance of the XForm pyxform builds from
# the XLSForm export (its elements, in order; each value of its bind's type; each code one of its
# control's choices), and read back with `--from odk`: the same reply must come back.
for form in questionnaires/crime-prevention.q tests/fixtures/pass/{answers,calculations,followups,grid,list,money,records,scores,specials,tables}.q; do
  name="$(basename "$form" .q)"
  odk="$work/odk-$name"
  mkdir -p "$odk/replies" "$odk/submissions" "$odk/back"
  replies_to "$form" "$odk/replies" valid
  for reply in "$odk/replies"/*.json; do
    # A reply with a special answer cannot be written for XLSForm, which has none.
    "$qc" convert-response --to odk "$form" "$reply" --out-dir "$odk/submissions" 2>/dev/null || rm "$reply"
  done
  each_to_itself "$odk/replies" > "$odk/expected.json"
  "$qc" compile "$form" -o "$odk/form.json" 2>/dev/null
  "$qc" compile --emit xlsform "$form" -o "$odk/form.xlsx" 2>/dev/null
  if "$cache/venv/bin/xls2xform" --skip_validate "$odk/form.xlsx" "$odk/xform.xml" >/dev/null \
    && "$cache/venv/bin/python" tests/interop/odk.py "$odk/xform.xml" "$odk/submissions"/*.xml \
    && "$qc" convert-response --from odk "$form" "$odk/submissions"/*.xml --out-dir "$odk/back" \
    && python3 tests/interop/same_replies.py "$odk/form.json" "$odk/expected.json" "$odk/back" "$odk/replies"; then
    passed=$((passed + 1))
  else
    echo "FAIL replies through ODK: $form"
    failed=$((failed + 1))
  fi
done

"$qc" compile --emit fhir questionnaires/crime-prevention.q -o "$work/questionnaire.json" 2>/dev/null
for reply in arcadia-complete borduria-in-progress; do
  "$qc" convert-response --to fhir questionnaires/crime-prevention.q "$examples/$reply.json" -o "$work/response-$reply.json"
done
# The draft victim-issues instrument and a reply to it, and the French draft.
"$qc" compile --emit fhir questionnaires/victim-issues.q -o "$work/fixture-victim-issues.json" 2>/dev/null
"$qc" convert-response --to fhir questionnaires/victim-issues.q \
  questionnaires/examples/victim-issues/arcadia-complete.json -o "$work/response-victim-issues.json"
"$qc" compile --lang fr --emit fhir questionnaires/crime-prevention.q -o "$work/fixture-crime-prevention-fr.json" 2>/dev/null
# Replies to the fixtures of calculated values, records, special answers and tables.
for reply in tests/interop/replies/*.json; do
  name="$(basename "$reply" .json)"
  "$qc" convert-response --to fhir "tests/fixtures/pass/${name%%-*}.q" "$reply" -o "$work/response-fixture-$name.json"
done
# The fixtures of every construct too, for the bounds and FHIRPath conditions they hold.
for fixture in tests/fixtures/pass/*.q; do
  "$qc" compile --emit fhir "$fixture" -o "$work/fixture-$(basename "$fixture" .q).json" 2>/dev/null
done
# Each response comes back through `qc convert-response --from fhir` as the reply it was made
# from (calculated values aside: qc computes them).
fhir_back="$work/fhir-back"
mkdir -p "$fhir_back/replies" "$fhir_back/out"
for reply in "$examples"/arcadia-complete.json "$examples"/borduria-in-progress.json; do
  name="$(basename "$reply" .json)"
  cp "$reply" "$fhir_back/replies/$name.json"
  "$qc" convert-response --from fhir questionnaires/crime-prevention.q "$work/response-$name.json" -o "$fhir_back/out/$name.json"
done
each_to_itself "$fhir_back/replies" > "$fhir_back/expected.json"
"$qc" compile questionnaires/crime-prevention.q -o "$fhir_back/form.json"
if python3 tests/interop/same_replies.py "$fhir_back/form.json" "$fhir_back/expected.json" "$fhir_back/out" "$fhir_back/replies"; then
  passed=$((passed + 1))
else
  echo "FAIL replies through FHIR"
  failed=$((failed + 1))
fi
cp tests/interop/fhir.cjs "$cache/npm/fhir.cjs"
if node "$cache/npm/fhir.cjs" "$work/questionnaire.json" "$work"/response-*.json "$work"/fixture-*.json; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
fi
# The conditions of records' fields, evaluated on each record of a response by fhirpath.js.
cp tests/interop/fhir-fields.cjs "$cache/npm/fhir-fields.cjs"
if node "$cache/npm/fhir-fields.cjs" "$work/fixture-records.json" "$work/asked-records.json" \
  "$replies/records-complete.json" "$work/response-fixture-records-complete.json"; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
fi

# A renderer written from docs/form-format.md alone (Node, json-logic-js) answers example and
# generated replies (one in four broken) as qc does: the items asked, the grid columns open, the
# fields asked of each record, the calculated values, what is asked and required but not
# answered (qc validate --complete), and piped texts.
cp tests/interop/renderer.mjs "$cache/npm/renderer.mjs"
for form in questionnaires/crime-prevention.q tests/fixtures/pass/{answers,calculations,followups,grid,list,money,records,scores,specials,tables}.q; do
  name="$(basename "$form" .q)"
  rendered="$work/rendered-$name"
  mkdir -p "$rendered/replies"
  replies_to "$form" "$rendered/replies" any
  "$qc" compile "$form" -o "$rendered/form.json" 2>/dev/null
  "$build/examples/asked" "$form" "$rendered/replies"/*.json > "$rendered/asked.json"
  "$qc" validate --complete --format json "$form" "$rendered/replies"/*.json > "$rendered/verdicts.jsonl" || true
  if node "$cache/npm/renderer.mjs" "$rendered/form.json" "$rendered/asked.json" "$rendered/verdicts.jsonl" "$rendered/replies"/*.json; then
    passed=$((passed + 1))
  else
    echo "FAIL the renderer of docs/form-format.md: $form"
    failed=$((failed + 1))
  fi
done

# Texts that are hard to quote, in each target's real engine: XPath evaluated by libxml2 (after
# pyxform and ODK Validate), SurveyJS expressions by survey-core, FHIRPath by fhirpath.js.
literals=(tests/interop/replies/literals-*.json)
# What each export loses (W0301) is read from the JSON diagnostics.
"$qc" compile --emit xlsform --diagnostic-format json tests/fixtures/pass/literals.q -o "$work/literals.xlsx" 2>"$work/literals.warnings"
"$qc" compile --emit surveyjs --diagnostic-format json tests/fixtures/pass/literals.q -o "$work/survey-literals.json" 2>"$work/survey-literals.warnings"
"$qc" compile --emit fhir tests/fixtures/pass/literals.q -o "$work/questionnaire-literals.json" 2>/dev/null
"$build/examples/asked" tests/fixtures/pass/literals.q "${literals[@]}" > "$work/asked-literals.json"
cp tests/interop/literals.mjs "$cache/npm/literals.mjs"
if "$cache/venv/bin/python" tests/interop/xlsform.py "$work/literals.xlsx" - "$work/literals.xml" \
  && "$cache/venv/bin/python" tests/interop/literals.py "$work/literals.xml" "$work/asked-literals.json" "$work/literals.warnings" \
  && node "$cache/npm/literals.mjs" "$work/survey-literals.json" "$work/questionnaire-literals.json" \
    "$work/asked-literals.json" "$work" "$work/survey-literals.warnings"; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
fi

echo "interop: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
