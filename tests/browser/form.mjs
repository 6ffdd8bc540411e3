// The offline form (`qc compile --emit html`) in Debian's chromium, headless. For each reply:
// `qc.load(reply)` in a fresh browser context, then the items the page shows are exactly those
// `qc validate` asks (ASKED.json, from `examples/asked`), its calculated values are qc's, and
// `qc.reply()` is the reply without the answers of items (and record fields) not asked. The page
// works with the network blocked: it may request nothing but itself, and any other request is
// refused and fails the run.
//
// Usage: node form.mjs CHROMIUM FORM.html ASKED.json REPLY.json…
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";

const [chromium, htmlPath, askedPath, ...replyPaths] = process.argv.slice(2);
const asked = JSON.parse(readFileSync(askedPath, "utf8"));
const pageUrl = pathToFileURL(htmlPath).href;

let failures = 0;
let checks = 0;
const fail = (message) => {
  console.log(`FAIL ${message}`);
  failures++;
};

// Objects compared whatever the order of their keys; numbers as numbers.
function same(a, b) {
  if (typeof a === "number" && typeof b === "number") return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => same(a[key], b[key]));
  }
  return a === b;
}

// The reply without what qc does not ask: the answers of items not asked, of calculated values,
// and the fields of each record that are not asked of it.
function expectedReply(reply, theirs, form) {
  const items = {};
  const walk = (list) => list.forEach((item) => ((items[item.id] = item), walk(item.items || [])));
  form.sections.forEach((section) => walk(section.content.filter((b) => b.type === "item")));
  const answers = {};
  for (const [id, value] of Object.entries(reply.answers || {})) {
    const item = items[id];
    if (!item || !theirs.items[id] || item.kind === "calc" || value === null) continue;
    if (item.answer && item.answer.type === "list" && Array.isArray(value)) {
      const fields = theirs.fields[id] || [];
      answers[id] = value.map((record, index) => {
        if (!record || typeof record !== "object") return record;
        const kept = {};
        for (const [field, part] of Object.entries(record)) {
          const declared = item.answer.fields.find((f) => f.id === field);
          if (declared && declared.calculation !== undefined) continue;
          if ((fields[index] || {})[field] === false) continue;
          kept[field] = part;
        }
        return kept;
      });
    } else {
      answers[id] = value;
    }
  }
  return answers;
}

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ["--no-sandbox", "--allow-file-access-from-files"],
});
try {
  for (const path of replyPaths) {
    const reply = JSON.parse(readFileSync(path, "utf8"));
    const theirs = asked[path];
    if (!theirs) {
      fail(`${path}: qc gave nothing to compare with`);
      continue;
    }
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(error.message));
    // The network blocked: every request but the page's own is refused, and fails the run.
    await page.setRequestInterception(true);
    page.on("request", (request) => {
      const url = request.url();
      if (url === pageUrl || url.startsWith("data:") || url.startsWith("blob:")) request.continue();
      else {
        errors.push(`requested ${url}`);
        request.abort();
      }
    });
    await page.goto(pageUrl, { waitUntil: "load" });
    const result = await page.evaluate((value) => {
      const loaded = window.qc.load(value);
      const shown = {};
      for (const node of document.querySelectorAll("[data-id]")) {
        let visible = true;
        for (let e = node; e; e = e.parentElement) if (e.hidden) visible = false;
        shown[node.dataset.id] = visible;
      }
      return { asked: window.qc.asked(), values: window.qc.values(), reply: loaded, shown, form: window.qc.form };
    }, reply);
    for (const message of errors) fail(`${path}: ${message}`);
    // Once per page: each item's citations open on demand onto the paragraphs they cite.
    if (path === replyPaths[0]) {
      const cited = await page.evaluate(() => {
        const missing = [];
        let opened = 0;
        const walk = (list) => {
          for (const item of list) {
            walk(item.items || []);
            const first = (item.citations || [])[0];
            if (!first) continue;
            const document_ = (window.qc.form.documents || []).find((d) => d.id === first.document);
            const paragraph = document_ && document_.paragraphs.find((p) => p.number === first.paragraph);
            const details = document.querySelector(`#item-${CSS.escape(item.id)} details.cited`);
            if (!details || !paragraph) {
              missing.push(item.id);
              continue;
            }
            details.open = true;
            opened++;
            // Its text, or its first subparagraph's, or its heading: what the paragraph has.
            const sub = (paragraph.subparagraphs || []).find((p) => !first.subparagraph || p.letter === first.subparagraph);
            const words = (paragraph.text || (sub && sub.text) || paragraph.heading || "").slice(0, 40);
            if (!details.textContent.includes(words)) missing.push(item.id);
          }
        };
        window.qc.form.sections.forEach((section) => walk(section.content.filter((b) => b.type === "item")));
        return { missing, opened };
      });
      checks += cited.opened;
      for (const id of cited.missing) fail(`${path}: ${id}'s citations do not open onto the paragraph it cites`);
    }
    const hidden = new Set(theirs.hidden || []);
    for (const [id, isAsked] of Object.entries(theirs.items)) {
      checks++;
      if (result.asked[id] !== isAsked) {
        fail(`${path}: ${id} is ${isAsked ? "asked" : "not asked"} by qc, ${result.asked[id] ? "asked" : "not asked"} by the page`);
      }
      checks++;
      const visible = isAsked && !hidden.has(id);
      if (result.shown[id] !== visible) {
        fail(`${path}: ${id} is ${visible ? "shown" : "not shown"} by qc, ${result.shown[id] ? "shown" : "hidden"} by the page`);
      }
    }
    for (const [id, value] of Object.entries(theirs.values || {})) {
      checks++;
      const mine = result.values[id] === undefined ? null : result.values[id];
      if (!same(mine, value)) fail(`${path}: calculated ${id} is ${JSON.stringify(value)} for qc, ${JSON.stringify(mine)} on the page`);
    }
    checks++;
    const expected = expectedReply(reply, theirs, result.form);
    if (!same(result.reply.answers, expected)) {
      const keys = new Set([...Object.keys(result.reply.answers), ...Object.keys(expected)]);
      const differ = [...keys].filter((key) => !same(result.reply.answers[key], expected[key]));
      fail(`${path}: qc.reply() differs from the reply without what is not asked in ${differ.join(", ")}`);
    }
    checks++;
    if (result.reply.form !== result.form.instrument.id) fail(`${path}: qc.reply() is to form ${result.reply.form}`);
    await context.close();
  }
} finally {
  await browser.close();
}
console.log(`browser: ${checks} checks on ${replyPaths.length} replies in chromium, ${failures} failures`);
process.exit(failures ? 1 : 0);
