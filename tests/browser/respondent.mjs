// The offline form driven as a respondent would, in Debian's chromium: answers given with the
// mouse and the keyboard, an earlier answer changed so that the items it opened close again, a
// record added to a list, and the reply saved with "Save reply" to a file, which the caller
// checks with `qc validate --complete`. Then markup and script in an instrument's texts and in
// a loaded reply are shown as text and run nothing.
//
// The page switched to Arabic is laid out right to left, with its own strings, and a text with
// no translation stays in English, marked left to right; on a failure there, a screenshot of
// the Arabic page goes to SHOTS_DIR.
//
// Usage: node respondent.mjs CHROMIUM RESPONDENT.html MARKUP.html RTL.html SAVE_DIR SHOTS_DIR
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { launch, tally } from "./harness.mjs";

const [chromium, respondentPath, markupPath, rtlPath, saveDir, shots] = process.argv.slice(2);
const checks = tally();
const expect = checks.expect;

const browser = await launch(chromium);
try {
  const context = await browser.createBrowserContext({ downloadBehavior: { policy: "allow", downloadPath: saveDir } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(pathToFileURL(respondentPath).href, { waitUntil: "load" });
  const shown = (id) => page.$eval(`#item-${id}`, (node) => !node.hidden);

  expect(!(await shown("strategy_title")), "the follow-up is hidden before any answer");
  // The mouse: "Yes" opens the follow-up and the budget.
  await page.click("#item-strategy input[value='yes']");
  expect(await shown("strategy_title"), "“Yes” opens the follow-up");
  expect(await shown("budget"), "“Yes” opens the budget");
  await page.type("#item-strategy_title input", "Safer Communities 2025");
  // The keyboard: focus the budget's value, type it, tab to the currency and type it.
  await page.focus("#item-budget input[type='number']");
  await page.keyboard.type("250000");
  await page.keyboard.press("Tab");
  await page.keyboard.type("EUR");
  // An earlier answer changed: "No" closes the follow-up and the budget again.
  await page.focus("#item-strategy input[value='yes']");
  await page.keyboard.press("ArrowDown");
  expect(await page.$eval("#item-strategy input[value='no']", (i) => i.checked), "the arrow key moves the choice to “No”");
  expect(!(await shown("strategy_title")), "“No” closes the follow-up again");
  expect(!(await shown("budget")), "“No” closes the budget again");
  // A warning shows its message as the number is typed.
  await page.type("#item-staff input", "250000");
  const warning = await page.$eval("#item-staff .problems", (node) => node.textContent);
  expect(warning.includes("A large number"), `the warning shows: “${warning}”`);
  // Corrected: select all with the keyboard, and type over it.
  await page.focus("#item-staff input");
  await page.keyboard.down("Control");
  await page.keyboard.press("KeyA");
  await page.keyboard.up("Control");
  await page.keyboard.type("40");
  // The country, chosen by name from the drop-down: the reply holds its code.
  await page.select("#item-seat select", "KEN");
  const seat = await page.$eval("#item-seat select", (s) => ({ shown: s.selectedOptions[0].textContent, options: s.options.length }));
  expect(seat.shown === "Kenya" && seat.options === 250, `the country is chosen by name: ${JSON.stringify(seat)}`);
  await page.click("#item-areas input[value='schools']");
  await page.click("#item-areas input[value='policing']");
  // A record added to the list, its fields typed.
  await page.click("#item-programmes .add");
  await page.type("#item-programmes .record [data-field='name'] input", "Safe schools");
  await page.type("#item-programmes .record [data-field='year'] input", "2019");
  const reply = await page.evaluate(() => window.qc.reply());
  expect(!("strategy_title" in reply.answers) && !("budget" in reply.answers), "the answers of closed items are left out");
  expect(JSON.stringify(reply.answers.areas) === JSON.stringify(["schools", "policing"]), `the ticks are kept: ${JSON.stringify(reply.answers.areas)}`);
  expect(reply.answers.staff === 40, `the corrected number is kept: ${reply.answers.staff}`);
  expect(reply.answers.seat === "KEN", `the country is kept as its code: ${reply.answers.seat}`);
  expect(JSON.stringify(reply.answers.programmes) === JSON.stringify([{ name: "Safe schools", year: 2019 }]), `the record is kept: ${JSON.stringify(reply.answers.programmes)}`);
  // "Save reply" downloads it.
  await page.click("#qc-save");
  let saved = [];
  for (let i = 0; i < 50 && !saved.length; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    saved = readdirSync(saveDir).filter((name) => name.endsWith(".json"));
  }
  expect(saved.length === 1, `"Save reply" wrote one file: ${saved}`);
  if (saved.length) {
    const file = JSON.parse(readFileSync(join(saveDir, saved[0]), "utf8"));
    expect(file.form === "respondent" && file.version === "1", "the saved reply names its form and version");
  }
  for (const message of errors) expect(false, `the page failed: ${message}`);
  await context.close();

  // Markup and script are text: in the instrument's texts, and in a loaded reply.
  const markup = await (await browser.createBrowserContext()).newPage();
  const dialogs = [];
  markup.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  await markup.goto(pathToFileURL(markupPath).href, { waitUntil: "load" });
  await markup.evaluate(() =>
    window.qc.load({ form: "markup", answers: { q1: "yes", q2: "<img src=x onerror=\"window.pwned = 'answer'\"><script>window.pwned = 'answer'</script>" } }),
  );
  await markup.hover("h2");
  await new Promise((resolve) => setTimeout(resolve, 300));
  const state = await markup.evaluate(() => ({
    pwned: window.pwned,
    elements: document.querySelectorAll("main img, main iframe, main b, main script").length,
    title: document.querySelector("h1").textContent,
    label: document.querySelector("#item-q1 .label").textContent,
  }));
  expect(state.pwned === undefined, `nothing ran: window.pwned is ${state.pwned}`);
  expect(state.elements === 0, `no element was made from a text: ${state.elements}`);
  expect(state.title.startsWith("<script>"), `the title is shown as written: ${state.title}`);
  expect(state.label.includes("<img src=x") && state.label.includes("<script>window.pwned = 'answer'"), `the label and the piped answer are shown as written: ${state.label}`);
  expect(dialogs.length === 0, `no dialog opened: ${dialogs}`);

  // Arabic: chosen with the language switch.
  const rtl = await (await browser.createBrowserContext()).newPage();
  await rtl.goto(pathToFileURL(rtlPath).href, { waitUntil: "load" });
  const before = checks.failures;
  await rtl.select("#qc-language", "ar");
  await rtl.click("#item-strategy input[value='yes']");
  const arabic = await rtl.evaluate(() => {
    const label = document.querySelector("#item-title .label");
    return {
      dir: document.documentElement.dir,
      lang: document.documentElement.lang,
      title: document.querySelector("h1").textContent,
      save: document.querySelector("#qc-save").textContent,
      yes: document.querySelector("#item-strategy label").textContent,
      fallback: { text: label.textContent, lang: label.lang, dir: label.dir },
      asked: !document.querySelector("#item-title").hidden,
      kenya: document.querySelector("#item-seat option[value='KEN']").textContent,
    };
  });
  expect(arabic.dir === "rtl" && arabic.lang === "ar", `the page is Arabic, right to left: ${arabic.lang} ${arabic.dir}`);
  expect(arabic.title === "منع الجريمة" && arabic.yes === "نعم", `the texts are Arabic: ${arabic.title}, ${arabic.yes}`);
  expect(arabic.save === "حفظ الرد", `the page's own strings are Arabic: ${arabic.save}`);
  expect(
    arabic.fallback.text === "What is its title?" && arabic.fallback.lang === "en" && arabic.fallback.dir === "ltr",
    `an untranslated text stays English, left to right: ${JSON.stringify(arabic.fallback)}`,
  );
  expect(arabic.asked, "the logic still applies in Arabic");
  expect(arabic.kenya === "كينيا", `countries are named in Arabic: ${arabic.kenya}`);
  if (checks.failures > before) {
    mkdirSync(shots, { recursive: true });
    await rtl.screenshot({ path: join(shots, "arabic.png"), fullPage: true });
    console.log(`a screenshot of the Arabic page is in ${shots}`);
  }
} finally {
  await browser.close();
}
checks.finish("respondent");
