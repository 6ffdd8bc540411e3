// A small renderer written from docs/form-format.md alone, with json-logic-js: for each reply it
// works out what a frontend must, and the result is compared with what qc computes.
//
// - which items are asked: an item's `condition` holds and its parent is asked;
// - which grid columns are open, and which fields of each record are asked (the record under
//   `this`);
// - each calculated value, computed in `calculation_order`, and which are kept from view;
// - which items are asked, required and not answered, by the table "When an item is answered"
//   (a table's empty cells one by one, a record's required fields one by one), compared with
//   the V0108 problems of `qc validate --complete --format json`;
// - the texts of the asked items with their piped values filled in ("Piped values"), which must
//   leave no `{…}` reference unfilled.
//
// Usage: node renderer.mjs FORM.json ASKED.json VALIDATE.jsonl REPLY.json…
import { readFileSync } from "node:fs";
import jsonLogic from "json-logic-js";

const [formPath, askedPath, validatePath, ...replyPaths] = process.argv.slice(2);
const form = JSON.parse(readFileSync(formPath, "utf8"));
const asked = JSON.parse(readFileSync(askedPath, "utf8"));
const verdicts = Object.fromEntries(
  readFileSync(validatePath, "utf8")
    .split("\n")
    .filter((line) => line.trim().startsWith("{\"file\""))
    .map((line) => JSON.parse(line))
    .map((verdict) => [verdict.file, verdict]),
);

// A computed value as stored: `null` for none; an amount's with the currency its `currency`
// computes, `{value, currency}`.
function computed(value, currency, scope) {
  if (value === undefined || value === null) return null;
  if (currency === undefined) return value;
  return { value, currency: jsonLogic.apply(currency, scope) };
}

// The items, each with its parent (null for an item at the top of a section).
const items = [];
function walk(list, parent) {
  for (const item of list) {
    items.push({ item, parent });
    walk(item.items || [], item);
  }
}
for (const blocks of [form.introduction || [], ...form.sections.map((s) => s.content)]) {
  walk(blocks.filter((block) => block.type === "item"), null);
}
const byId = Object.fromEntries(items.map(({ item }) => [item.id, item]));
const optionLabels = (answer) => {
  const options = answer.options || form.scales.find((scale) => scale.id === answer.scale).options;
  return options;
};
const specials = Object.fromEntries((form.specials || []).map((s) => [s.code, s.label]));

const today = new Date().toISOString().slice(0, 10);
const holds = (rule, data) => rule === undefined || jsonLogic.truthy(jsonLogic.apply(rule, data));
const present = (value) => value !== undefined && value !== null;

// "Piped values": what a text shows in place of `{id}`.
function shown(id, data) {
  const item = byId[id];
  const value = data[id];
  if (!present(value)) return "";
  if (typeof value === "object" && !Array.isArray(value) && "special" in value) return specials[value.special];
  const answer = item.answer || {};
  if (answer.type === "choice") {
    const codes = Array.isArray(value) ? value : [value];
    return optionLabels(answer)
      .filter((option) => codes.includes(option.code))
      .map((option) => option.label)
      .join(", ");
  }
  if (answer.type === "amount") return `${value.value} ${value.currency}`;
  return String(value);
}
function fill(text, data) {
  let out = "";
  for (let at = 0; at < text.length; at++) {
    if (text.startsWith("{{", at) || text.startsWith("}}", at)) {
      out += text[at];
      at++;
    } else if (text[at] === "{") {
      const end = text.indexOf("}", at);
      const id = text.slice(at + 1, end);
      if (!(id in byId)) return null; // a reference to nothing: the test fails
      out += shown(id, data);
      at = end;
    } else {
      out += text[at];
    }
  }
  return out;
}

let failures = 0;
let compared = 0;
let checks = 0;
const fail = (message) => {
  console.log(`FAIL ${message}`);
  failures++;
};
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const isAmount = (a) => a !== null && typeof a === "object" && "currency" in a;
const close = (a, b) =>
  typeof a === "number" && typeof b === "number"
    ? Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a))
    : isAmount(a) && isAmount(b)
      ? a.currency === b.currency && close(a.value, b.value)
      : same(a, b);

for (const path of replyPaths) {
  const reply = JSON.parse(readFileSync(path, "utf8"));
  const answers = reply.answers || {};
  const data = { ...structuredClone(answers), "@today": today };
  // Each record's computed fields, in the order of the fields, before any other rule.
  for (const { item } of items) {
    const answer = item.answer || {};
    if (answer.type !== "list" || !Array.isArray(data[item.id])) continue;
    for (const record of data[item.id]) {
      if (!record || typeof record !== "object" || Array.isArray(record)) continue;
      for (const field of answer.fields) {
        if (field.calculation === undefined) continue;
        const scope = { ...data, this: record };
        record[field.id] = computed(jsonLogic.apply(field.calculation, scope), field.currency, scope);
      }
    }
  }
  for (const id of form.calculation_order || []) {
    const value = byId[id].calculation === null ? null : jsonLogic.apply(byId[id].calculation, data);
    data[id] = computed(value, byId[id].currency, data);
  }
  const mine = { items: {}, columns: {}, fields: {}, values: {} };
  const askedItems = new Set();
  for (const { item, parent } of items) {
    const yes = (parent === null || askedItems.has(parent.id)) && holds(item.condition, data);
    if (yes) askedItems.add(item.id);
    mine.items[item.id] = yes;
    const answer = item.answer || {};
    if (answer.type === "grid") {
      for (const column of answer.columns) {
        mine.columns[`${item.id}/${column.id}`] = yes && holds(column.condition, data);
      }
    }
    if (answer.type === "list" && Array.isArray(data[item.id])) {
      mine.fields[item.id] = data[item.id]
        .filter((record) => record && typeof record === "object" && !Array.isArray(record))
        .map((record) =>
          Object.fromEntries(
            answer.fields
              .filter((field) => field.condition !== undefined)
              .map((field) => [field.id, yes && holds(field.condition, { ...data, this: record })]),
          ),
        );
    }
  }
  for (const id of form.calculation_order || []) mine.values[id] = data[id];
  // A calculated value is kept from view unless it is `shown`.
  const hidden = items.filter(({ item }) => item.kind === "calc" && !item.shown).map(({ item }) => item.id);
  if (!same(hidden, asked[path].hidden)) {
    fail(`${path}: the renderer keeps ${JSON.stringify(hidden)} from view, qc ${JSON.stringify(asked[path].hidden)}`);
  }

  const theirs = asked[path];
  checks += Object.keys(theirs.items).length + Object.keys(theirs.columns).length;
  for (const key of ["items", "columns", "fields"]) {
    if (!same(mine[key], theirs[key])) {
      for (const name of new Set([...Object.keys(mine[key]), ...Object.keys(theirs[key])])) {
        if (!same(mine[key][name], theirs[key][name])) {
          fail(`${path}: ${key} ${name}: the renderer has ${JSON.stringify(mine[key][name])}, qc ${JSON.stringify(theirs[key][name])}`);
        }
      }
    }
  }
  for (const [id, value] of Object.entries(theirs.values)) {
    checks++;
    if (!close(mine.values[id], value)) {
      fail(`${path}: calculated ${id}: the renderer has ${JSON.stringify(mine.values[id])}, qc ${JSON.stringify(value)}`);
    }
  }

  // "When an item is answered": what is asked, required and not answered.
  const unanswered = new Set();
  for (const { item } of items) {
    if (!askedItems.has(item.id) || !item.required || !item.answer || item.kind === "calc") continue;
    const value = answers[item.id];
    const at = `/answers/${item.id}`;
    const answer = item.answer;
    if (!present(value)) {
      unanswered.add(at);
      continue;
    }
    if (typeof value === "object" && !Array.isArray(value) && "special" in value) continue;
    if (answer.type === "grid") {
      const open = answer.columns.filter((c) => mine.columns[`${item.id}/${c.id}`]).map((c) => c.id);
      const ticked = answer.rows.some(
        (row) => !row.answer && Array.isArray(value[row.id]) && value[row.id].some((c) => open.includes(c)),
      );
      if (!ticked) unanswered.add(at);
    }
    if (answer.type === "table" && typeof value === "object") {
      for (const row of answer.rows) {
        for (const column of answer.columns) {
          if (!present(value[row.id]?.[column.id])) unanswered.add(`${at}/${row.id}/${column.id}`);
        }
      }
    }
    if (answer.type === "list" && Array.isArray(value)) {
      data[item.id].forEach((record, index) => {
        if (!record || typeof record !== "object") return;
        for (const field of answer.fields) {
          const fieldAsked = holds(field.condition, { ...data, this: record });
          if (field.required && fieldAsked && !present(record[field.id])) {
            unanswered.add(`${at}/${index}/${field.id}`);
          }
        }
      });
    }
  }
  const verdict = verdicts[path];
  if (!verdict) {
    fail(`${path}: no verdict of qc validate`);
    continue;
  }
  const expected = new Set((verdict.problems || []).filter((p) => p.code === "V0108").map((p) => p.pointer));
  checks += expected.size;
  for (const pointer of unanswered) {
    if (!expected.has(pointer)) fail(`${path}: the renderer finds ${pointer} unanswered, qc does not`);
  }
  for (const pointer of expected) {
    if (!unanswered.has(pointer)) fail(`${path}: qc finds ${pointer} unanswered, the renderer does not`);
  }

  // "Piped values": every text of an asked item shows a value, never a reference.
  for (const id of askedItems) {
    const item = byId[id];
    for (const text of [item.label, ...(item.help || []), ...(item.notes || [])]) {
      if (fill(text, data) === null) fail(`${path}: ${id}: a text refers to no item: ${text}`);
    }
  }
  compared++;
}
if (compared === 0 || checks === 0) fail("nothing was compared");
console.log(
  `renderer: ${compared} replies answered from docs/form-format.md as qc validates them ` +
    `(${checks} items, columns, calculated values and unanswered items), ${failures} failures`,
);
process.exit(failures === 0 ? 0 : 1);
