// The offline form as paper, and its tables, in Debian's chromium.
//
// The bundled instrument opens with its respondent block, unnumbered. Printed, it shows every
// item it asks of someone, asked or not yet, each with its condition in words in the page's
// language ("Answer only if the answer to question 1 is “Yes”"), and its choices as boxes; a
// list with no record yet has a blank one to fill in.
// A numeric table shows the total its cells add up to in each total cell, marks a total that
// differs, as `qc validate` would (V0117), and takes a special answer ("Not available") in a
// cell, in place of its figure.
//
// Usage: node paper.mjs CHROMIUM INSTRUMENT.html TABLES.html RECORDS.html
import { pathToFileURL } from "node:url";
import { launch, tally } from "./harness.mjs";

const [chromium, instrumentPath, tablesPath, recordsPath] = process.argv.slice(2);
const checks = tally();
const expect = checks.expect;

const browser = await launch(chromium);
try {
  const page = await (await browser.createBrowserContext()).newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(pathToFileURL(instrumentPath).href, { waitUntil: "load" });
  // The respondent block comes first, its questions without numbers.
  const respondent = await page.evaluate(() => {
    const first = document.querySelector("section.section");
    return { id: first.id, numbers: [...first.querySelectorAll(".number")].map((n) => n.textContent.trim()).filter(Boolean) };
  });
  expect(respondent.id === "section-respondent" && !respondent.numbers.length, `the respondent block first, unnumbered: ${JSON.stringify(respondent)}`);
  // On screen, a condition is not stated: the item comes and goes.
  expect(await page.$eval(".condition", (node) => getComputedStyle(node).display === "none"), "on screen, conditions are not stated");
  await page.emulateMediaType("print");
  const printed = await page.evaluate(() => {
    const words = JSON.parse(document.getElementById("qc-words").textContent);
    const visible = (node) => !!node && node.getClientRects().length > 0;
    const out = { missing: [], unstated: [], boxes: 0, unboxed: 0 };
    for (const item of document.querySelectorAll(".item")) {
      const id = item.dataset.id;
      const calc = item.classList.contains("item-calc");
      if (!calc && !visible(item)) out.missing.push(id);
      const condition = item.querySelector(":scope > fieldset > .condition, :scope > .condition");
      if (words.items[id] && !visible(condition)) out.unstated.push(id);
    }
    for (const input of document.querySelectorAll("input[type=radio], input[type=checkbox]")) {
      if (!visible(input)) continue;
      const style = getComputedStyle(input);
      if (style.borderRadius === "0px" && style.appearance === "none") out.boxes++;
      else out.unboxed++;
    }
    const stated = (id) => {
      const node = document.querySelector(`#item-${id} .condition`);
      return node ? node.textContent : null;
    };
    out.q1_steps = stated("q1_steps");
    out.q2_specify = stated("q2_specify");
    out.conditions = Object.keys(words.items).length;
    return out;
  });
  expect(printed.conditions > 20, `the instrument has conditions: ${printed.conditions}`);
  expect(!printed.missing.length, `printed, every item is on paper: missing ${printed.missing}`);
  expect(!printed.unstated.length, `printed, every condition is stated: not ${printed.unstated}`);
  expect(printed.boxes > 100 && !printed.unboxed, `printed, choices are boxes: ${printed.boxes} boxes, ${printed.unboxed} not`);
  expect(printed.q1_steps === "Answer only if the answer to question 1 is “Yes”.", `a follow-up's condition in words: ${printed.q1_steps}`);
  expect(/question 2 \(b\)/.test(printed.q2_specify || "") && /question 2 \(c\)/.test(printed.q2_specify || ""), `a condition over two questions names both: ${printed.q2_specify}`);
  // In French, the words are French and the options those of the French translation.
  await page.emulateMediaType("screen");
  await page.select("#qc-language", "fr");
  await page.emulateMediaType("print");
  const french = await page.$eval("#item-q1_steps .condition", (node) => node.textContent);
  expect(french === "À remplir seulement si la réponse à la question 1 est « Oui ».", `in French: ${french}`);
  const pdf = await page.pdf({ format: "A4" });
  expect(pdf.length > 10000 && Buffer.from(pdf.subarray(0, 5)).toString() === "%PDF-", `the page prints to a PDF: ${pdf.length} bytes`);
  for (const message of errors) expect(false, `the page failed: ${message}`);

  // A list with no record yet has a blank record on paper, its choices as boxes.
  const records = await (await browser.createBrowserContext()).newPage();
  await records.goto(pathToFileURL(recordsPath).href, { waitUntil: "load" });
  await records.emulateMediaType("print");
  const blank = await records.$eval("#item-members .blank", (node) => ({
    shown: node.getClientRects().length > 0,
    boxes: node.querySelectorAll(".box").length,
    conditions: [...node.querySelectorAll(".condition")].map((c) => c.textContent),
  }));
  expect(blank.shown && blank.boxes === 4, `a blank record, with the options of a choice as boxes: ${JSON.stringify(blank)}`);
  expect(blank.conditions.includes("Answer only if “Age in years” ≥ 6 and “Under 18 (1 if so)” = 1."), `a field's condition in words: ${blank.conditions}`);
  await records.emulateMediaType("screen");
  await records.click("#item-members .add");
  await records.emulateMediaType("print");
  expect(await records.$eval("#item-members .blank", (node) => !node.getClientRects().length), "once a record is added, no blank one is printed");

  // Totals.
  const tables = await (await browser.createBrowserContext()).newPage();
  await tables.goto(pathToFileURL(tablesPath).href, { waitUntil: "load" });
  const cell = (row, column) => `#item-convicted td[data-row='${row}'][data-column='${column}'] input`;
  await tables.type(cell("homicide", "men"), "3");
  await tables.type(cell("homicide", "women"), "1");
  expect((await tables.$eval(cell("homicide", "both"), (i) => i.placeholder)) === "4", "the total column shows what the row adds up to");
  await tables.type(cell("homicide", "both"), "5");
  const wrong = await tables.evaluate((selector) => ({
    invalid: document.querySelector(selector).getAttribute("aria-invalid"),
    problems: document.querySelector("#item-convicted > .problems").textContent,
  }), cell("homicide", "both"));
  expect(wrong.invalid === "true", "a total that differs is marked");
  expect(wrong.problems.includes("Intentional homicide, Total is 5, but the cells it totals add up to 4"), `a total that differs is explained: ${wrong.problems}`);
  const checked = await tables.evaluate(() => window.qc.check().map((p) => p.message));
  expect(checked.some((m) => m.includes("add up to 4")), `"Check" lists the total: ${checked}`);
  await tables.focus(cell("homicide", "both"));
  await tables.keyboard.down("Control");
  await tables.keyboard.press("KeyA");
  await tables.keyboard.up("Control");
  await tables.keyboard.type("4");
  const right = await tables.evaluate((selector) => ({
    invalid: document.querySelector(selector).getAttribute("aria-invalid"),
    problems: document.querySelector("#item-convicted > .problems").textContent,
  }), cell("homicide", "both"));
  expect(right.invalid === null && right.problems === "", `a total that adds up is not marked: ${JSON.stringify(right)}`);
  // "Not available" in a cell: its figure is gone, and the total it would check is not.
  await tables.type(cell("assault", "men"), "10");
  await tables.type(cell("assault", "both"), "12");
  await tables.select("#item-convicted td[data-row='assault'][data-column='women'] select", "not_available");
  const special = await tables.evaluate((selector) => ({
    disabled: document.querySelector(selector).disabled,
    reply: window.qc.reply().answers.convicted.assault,
    problems: document.querySelector("#item-convicted > .problems").textContent,
  }), cell("assault", "women"));
  expect(special.disabled, "a cell marked “Not available” takes no figure");
  expect(
    JSON.stringify(special.reply) === JSON.stringify({ men: 10, both: 12, women: { special: "not_available" } }),
    `the reply holds the special answer in the cell: ${JSON.stringify(special.reply)}`,
  );
  expect(special.problems === "", `a total over a cell not available is not checked: ${special.problems}`);
  // An amount in the one currency a table allows is stated, not chosen.
  await tables.type("#item-budget td[data-row='national'][data-column='y2024'] input", "1200000");
  const budget = await tables.evaluate(() => window.qc.reply().answers.budget);
  expect(JSON.stringify(budget) === JSON.stringify({ national: { y2024: { value: 1200000, currency: "EUR" } } }), `the one currency is the amount's: ${JSON.stringify(budget)}`);
} finally {
  await browser.close();
}
checks.finish("paper");
