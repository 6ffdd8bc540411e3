// Loads qc's SurveyJS export in survey-core (Node, no browser). For each reply, sets its
// answers and checks that SurveyJS shows exactly the items and grid columns qc asks, and
// computes the calculated values qc computes; and that SurveyJS's own validation accepts the
// complete valid reply.
//
// Usage: node surveyjs.mjs SURVEY.json ASKED.json COMPLETE_REPLY.json
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { Model } = require("survey-core");

const [surveyPath, askedPath, completePath] = process.argv.slice(2);
const surveyJson = JSON.parse(readFileSync(surveyPath, "utf8"));
const asked = JSON.parse(readFileSync(askedPath, "utf8"));

// A qc reply's answers as SurveyJS holds them: a grid's rows of ticks stay in its matrix, its
// free-text rows are questions of their own.
function toSurveyData(answers, survey) {
  const data = {};
  for (const [id, value] of Object.entries(answers)) {
    const question = survey.getQuestionByName(id);
    if (question && question.getType() === "matrix" && value && typeof value === "object") {
      const rows = {};
      for (const [row, cell] of Object.entries(value)) {
        if (Array.isArray(cell)) rows[row] = cell;
        else data[`${id}_${row}`] = cell;
      }
      data[id] = rows;
    } else if (!question && survey.getQuestionByName(`${id}_value`) && value && typeof value === "object") {
      // An amount: its value and its currency are questions of their own.
      data[`${id}_value`] = value.value;
      data[`${id}_currency`] = value.currency;
    } else if (Array.isArray(value)) {
      // A list's records: an amount field is two questions of the panel too.
      data[id] = value.map((record) => {
        if (!record || typeof record !== "object") return record;
        const fields = {};
        for (const [field, part] of Object.entries(record)) {
          if (part && typeof part === "object" && "currency" in part) {
            fields[`${field}_value`] = part.value;
            fields[`${field}_currency`] = part.currency;
          } else {
            fields[field] = part;
          }
        }
        return fields;
      });
    } else {
      data[id] = value;
    }
  }
  return data;
}

function shown(element) {
  for (let e = element; e; e = e.parent) {
    if (e.isVisible === false) return false;
  }
  return true;
}

// A special answer anywhere in a value: SurveyJS holds none (the export reports it), so such a
// reply is not one SurveyJS can be given.
const holdsSpecial = (value) =>
  value !== null && typeof value === "object" &&
  (typeof value.special === "string" || Object.values(value).some(holdsSpecial));

// The currencies of the amounts in the records of a reply's lists. SurveyJS sums a field of
// records from its values alone (the export reports it): a reply whose records hold two
// currencies is not one SurveyJS computes as qc does.
const recordCurrencies = (answers) =>
  new Set(
    Object.values(answers)
      .filter(Array.isArray)
      .flat()
      .flatMap((record) => (record && typeof record === "object" ? Object.values(record) : []))
      .filter((part) => part && typeof part === "object" && typeof part.currency === "string")
      .map((part) => part.currency),
  );

let failures = 0;
let checks = 0;
let given = 0;
for (const [file, expected] of Object.entries(asked)) {
  const survey = new Model(surveyJson);
  const reply = JSON.parse(readFileSync(file, "utf8"));
  if (holdsSpecial(reply.answers || {}) || recordCurrencies(reply.answers || {}).size > 1) continue;
  given++;
  survey.data = toSurveyData(reply.answers, survey);
  for (const [id, isAsked] of Object.entries(expected.items)) {
    // A calculated amount is two questions, its value and its currency.
    const element =
      survey.getQuestionByName(id) || survey.getQuestionByName(`${id}_value`) || survey.getPanelByName(id);
    if (!element) {
      console.log(`FAIL ${file}: SurveyJS has no element ${id}`);
      failures++;
      continue;
    }
    checks++;
    // A calculated value kept from view is computed, never shown.
    const visible = isAsked && !(expected.hidden || []).includes(id);
    if (shown(element) !== visible) {
      console.log(`FAIL ${file}: ${id} is ${visible ? "shown" : "not shown"} by qc, ${shown(element) ? "shown" : "hidden"} by SurveyJS`);
      failures++;
    }
  }
  for (const [id, value] of Object.entries(expected.values || {})) {
    const question = survey.getQuestionByName(id);
    let theirs = question ? question.value : undefined;
    // A calculated amount: its value question and its currency question.
    const valuePart = survey.getQuestionByName(`${id}_value`);
    if (!question && valuePart) {
      const currency = survey.getQuestionByName(`${id}_currency`)?.value;
      theirs = valuePart.value === undefined || valuePart.value === "" ? undefined : { value: valuePart.value, currency };
    }
    const amount = (a) => a !== null && typeof a === "object" && "currency" in a;
    const agree = (value === null && (theirs === undefined || theirs === null || theirs === ""))
      || (typeof value === "number" && Math.abs(theirs - value) < 1e-9 * Math.max(1, Math.abs(value)))
      || (amount(value) && amount(theirs) && value.currency === theirs.currency
        && Math.abs(theirs.value - value.value) < 1e-9 * Math.max(1, Math.abs(value.value)))
      || theirs === value;
    checks++;
    if (!agree) {
      console.log(`FAIL ${file}: ${id} is ${JSON.stringify(value)} for qc, ${JSON.stringify(theirs)} for SurveyJS`);
      failures++;
    }
  }
  for (const [key, isOpen] of Object.entries(expected.columns)) {
    const [grid, column] = key.split("/");
    const question = survey.getQuestionByName(grid);
    // A matrix decides which columns show once it has built its rows.
    void question.visibleRows;
    const visible = shown(question) && question.visibleColumns.some((c) => (c.value ?? c.name) === column);
    checks++;
    if (visible !== isOpen) {
      console.log(`FAIL ${file}: column ${key} is ${isOpen ? "open" : "closed"} for qc, ${visible ? "shown" : "hidden"} by SurveyJS`);
      failures++;
    }
  }
}

const complete = new Model(surveyJson);
complete.data = toSurveyData(JSON.parse(readFileSync(completePath, "utf8")).answers, complete);
if (!complete.validate(false, false)) {
  const errors = complete.getAllQuestions().filter((q) => q.errors.length).map((q) => `${q.name}: ${q.errors.map((e) => e.text).join("; ")}`);
  console.log(`FAIL ${completePath}: SurveyJS rejects the complete reply: ${errors.join(" | ")}`);
  failures++;
}
if (given === 0 || checks === 0) {
  console.log("FAIL no reply that SurveyJS can hold was checked");
  failures++;
}
console.log(`surveyjs: ${checks} checks of visibility and calculated values on ${given} replies, ${failures} failures`);
process.exit(failures === 0 ? 0 : 1);
