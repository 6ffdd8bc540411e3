// Replies through SurveyJS and back: survey-core (Node, no browser) loads qc's SurveyJS export
// and is answered as a respondent would, one answer at a time, from the SurveyJS data that
// `qc convert-response --to surveyjs` wrote for each reply. Then, for each pair of replies,
// the first reply's answers are given and the second's are given over them, so that answers
// change and items and grid columns are hidden again; what the respondent still sees of the
// first reply is erased, and what SurveyJS hid must be left out by SurveyJS itself. After
// `doComplete`, `survey.data` is written to OUT_DIR/<n>.json for `qc convert-response --from
// surveyjs`, and OUT_DIR/expected.json says which reply each file must come back as.
//
// Usage: node surveyjs-replies.mjs SURVEY.json OUT_DIR DATA.json…
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename } from "node:path";

const require = createRequire(import.meta.url);
const { Model } = require("survey-core");

const [surveyPath, outDir, ...dataPaths] = process.argv.slice(2);
const surveyJson = JSON.parse(readFileSync(surveyPath, "utf8"));
const data = dataPaths.map((path) => JSON.parse(readFileSync(path, "utf8")));

// Answers in the order the survey asks them, so that conditions open as a respondent meets them.
function answerInOrder(survey, answers) {
  const order = survey.getAllQuestions().map((q) => q.name);
  const keys = Object.keys(answers).sort((a, b) => order.indexOf(a) - order.indexOf(b));
  for (const key of keys) survey.setValue(key, answers[key]);
}

function visible(survey, name) {
  const question = survey.getQuestionByName(name);
  for (let e = question; e; e = e.parent) {
    if (e.isVisible === false) return false;
  }
  return Boolean(question);
}

const expected = {};
let runs = 0;
function complete(survey, name, reply) {
  survey.doComplete();
  writeFileSync(`${outDir}/${name}.json`, JSON.stringify(survey.data));
  expected[`${name}.json`] = reply;
  runs++;
}

// Each reply alone.
data.forEach((answers, index) => {
  const survey = new Model(surveyJson);
  answerInOrder(survey, answers);
  complete(survey, `alone-${index}`, basename(dataPaths[index]));
});

// Each reply given over each other one: answers change, and some items close again.
data.forEach((first, i) => {
  data.forEach((second, j) => {
    if (i === j) return;
    const survey = new Model(surveyJson);
    answerInOrder(survey, first);
    answerInOrder(survey, second);
    // The respondent erases what they still see of the first reply and the second lacks.
    for (const key of Object.keys(first)) {
      if (!(key in second) && visible(survey, key)) survey.setValue(key, undefined);
    }
    // Ticks of the first reply in grid columns the second answers closed: the respondent
    // no longer sees them, so cannot untick them; SurveyJS must drop them itself.
    for (const [key, rows] of Object.entries(first)) {
      const question = survey.getQuestionByName(key);
      if (!question || question.getType() !== "matrix" || !(key in second)) continue;
      const shownColumns = new Set(question.visibleColumns.map((c) => c.value));
      const value = JSON.parse(JSON.stringify(question.value || {}));
      for (const [row, ticks] of Object.entries(rows || {})) {
        for (const column of ticks || []) {
          if (!shownColumns.has(column)) value[row] = [...(value[row] || []), column];
        }
      }
      question.value = value;
    }
    complete(survey, `over-${i}-${j}`, basename(dataPaths[j]));
  });
});

writeFileSync(`${outDir}/expected.json`, JSON.stringify(expected, null, 1));
console.log(`surveyjs-replies: ${runs} runs through survey-core written to ${outDir}`);
