// Checks the conditions of records' fields in qc's FHIR Questionnaire with fhirpath.js: each
// field's `enableWhenExpression`, evaluated on each record of a QuestionnaireResponse (the
// repeating group's instance as `%record`, the SDC variable the group declares), holds exactly
// where qc asks the field of that record (`asked.json`, from `cargo run --example asked`).
//
// Usage: node fhir-fields.cjs QUESTIONNAIRE.json ASKED.json REPLY_PATH RESPONSE.json
const { readFileSync } = require("node:fs");
const fhirpath = require("fhirpath");
const r4 = require("fhirpath/fhir-context/r4");

const [questionnairePath, askedPath, replyPath, responsePath] = process.argv.slice(2);
const questionnaire = JSON.parse(readFileSync(questionnairePath, "utf8"));
const expected = JSON.parse(readFileSync(askedPath, "utf8"))[replyPath].fields;
const response = JSON.parse(readFileSync(responsePath, "utf8"));

const VARIABLE = "http://hl7.org/fhir/StructureDefinition/variable";

function* walk(items) {
  for (const item of items || []) {
    yield item;
    yield* walk(item.item);
    for (const answer of item.answer || []) yield* walk(answer.item);
  }
}

let checks = 0;
let failures = 0;
for (const group of walk(questionnaire.item)) {
  if (!group.repeats || group.type !== "group") continue;
  const conditional = (group.item || []).filter((field) =>
    (field.extension || []).some((e) => e.url.endsWith("sdc-questionnaire-enableWhenExpression")),
  );
  if (conditional.length === 0) continue;
  const variable = (group.extension || []).find((e) => e.url === VARIABLE);
  if (!variable || variable.valueExpression.name !== "record") {
    console.log(`FAIL ${group.linkId}: no \`record\` variable on the repeating group`);
    failures++;
    continue;
  }
  // The records as fhirpath.js's own nodes, which keep their FHIR types (`answer.value` is a
  // choice of types), to be given as `%record`.
  const records = fhirpath.evaluate(
    response,
    `QuestionnaireResponse.repeat(item).where(linkId='${group.linkId}')`,
    { resource: response },
    r4,
    { resolveInternalTypes: false },
  );
  records.forEach((record, index) => {
    for (const field of conditional) {
      const expression = field.extension.find((e) =>
        e.url.endsWith("sdc-questionnaire-enableWhenExpression"),
      ).valueExpression.expression;
      const id = field.linkId.slice(group.linkId.length + 1);
      const want = expected[group.linkId]?.[index]?.[id];
      const got = fhirpath.evaluate(response, expression, { record, resource: response }, r4);
      const enabled = got.length === 1 && got[0] === true;
      checks++;
      if (enabled !== want) {
        console.log(`FAIL ${field.linkId} in record ${index + 1}: FHIRPath gives ${JSON.stringify(got)}, qc asks it: ${want}`);
        failures++;
      }
    }
  });
}
if (checks === 0) {
  console.log("FAIL no condition of a record's field was checked");
  failures++;
}
console.log(`fhir fields: ${checks} conditions of records' fields checked with fhirpath.js, ${failures} failures`);
process.exit(failures === 0 ? 0 : 1);
