// Texts that are hard to quote, in the real engines: for each reply, survey-core shows exactly
// the items qc asks (its expressions quote the texts), and fhirpath.js evaluates each
// `enableWhenExpression` of the FHIR Questionnaire on the reply's QuestionnaireResponse as qc
// decides. The title of `shown` pipes one value and keeps the braces written twice as braces.
//
// Items that qc's SurveyJS export reports as lost (in WARNINGS, its standard error) are not
// compared in survey-core.
//
// Usage: node literals.mjs SURVEY.json QUESTIONNAIRE.json ASKED.json RESPONSES_DIR WARNINGS
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename } from "node:path";

const require = createRequire(import.meta.url);
const { Model } = require("survey-core");
const fhirpath = require("fhirpath");
const r4 = require("fhirpath/fhir-context/r4");

const [surveyPath, questionnairePath, askedPath, responses, warningsPath] = process.argv.slice(2);
// What the export loses (W0301), from the JSON diagnostics.
const lost = new Set(
  readFileSync(warningsPath, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line))
    .filter((diagnostic) => diagnostic.code === "W0301")
    .flatMap((diagnostic) => [
      ...[...diagnostic.message.matchAll(/^surveyjs: `(\w+)`/g)].map((m) => m[1]),
      // The other items that lose the same, one label each.
      ...(diagnostic.labels || []).flatMap((label) => [...(label.message || "").matchAll(/^`(\w+)` too$/g)].map((m) => m[1])),
    ]),
);
const surveyJson = JSON.parse(readFileSync(surveyPath, "utf8"));
const questionnaire = JSON.parse(readFileSync(questionnairePath, "utf8"));
const asked = JSON.parse(readFileSync(askedPath, "utf8"));
const WHEN = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression";

function* items(list) {
  for (const item of list || []) {
    yield item;
    yield* items(item.item);
  }
}
const expressions = {};
for (const item of items(questionnaire.item)) {
  const extension = (item.extension || []).find((e) => e.url === WHEN);
  if (extension) expressions[item.linkId] = extension.valueExpression.expression;
}

let checks = 0;
let failures = 0;
const fail = (message) => {
  failures++;
  console.log(`FAIL ${message}`);
};
for (const [file, expected] of Object.entries(asked)) {
  const reply = JSON.parse(readFileSync(file, "utf8"));
  const survey = new Model(surveyJson);
  survey.data = reply.answers;
  const response = JSON.parse(readFileSync(`${responses}/response-fixture-${basename(file, ".json")}.json`, "utf8"));
  for (const [id, isAsked] of Object.entries(expected.items)) {
    const question = survey.getQuestionByName(id);
    if (question && question.visibleIf && !lost.has(id)) {
      checks++;
      if (question.isVisible !== isAsked) fail(`${file}: SurveyJS ${question.isVisible ? "shows" : "hides"} ${id} (${question.visibleIf}), qc ${isAsked ? "asks" : "does not ask"} it`);
    }
    if (expressions[id]) {
      checks++;
      const result = fhirpath.evaluate(response, expressions[id], { resource: response }, r4);
      const enabled = result.length === 1 && result[0] === true;
      if (enabled !== isAsked) fail(`${file}: FHIRPath gives ${JSON.stringify(result)} for ${id} (${expressions[id]}), qc ${isAsked ? "asks" : "does not ask"} it`);
    }
  }
}
const survey = new Model(surveyJson);
survey.data = { t: "x" };
const title = survey.getQuestionByName("shown").locTitle.renderedHtml;
checks++;
if (!title.includes("You typed x;") || !/\{\u2060?t\}/.test(title) || title.split("x").length !== 2) {
  fail(`the title of shown renders as ${JSON.stringify(title)}`);
}
if (lost.size === 0) fail("the SurveyJS export reports no loss for the text that ends with a backslash");
console.log(`literals: ${checks} checks in survey-core and fhirpath.js (lost in SurveyJS: ${[...lost].join(", ")}), ${failures} failures`);
process.exit(failures === 0 ? 0 : 1);
