// The HTML report (`qc report -o report.html`) in Debian's chromium: it loads with no console
// error and requests nothing but itself; every table of shares has its chart, with the same
// numbers; the technical-assistance grid names who ticked each box, and its matrix (a square per
// box, darker as more ticked it) shows the same counts. A screenshot of the page is written for a
// person to look at.
//
// Usage: node report.mjs CHROMIUM REPORT.html SHOTS_DIR
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { launch, tally } from "./harness.mjs";

const [chromium, reportPath, shots] = process.argv.slice(2);
const checks = tally();
const expect = checks.expect;
const url = pathToFileURL(reportPath).href;

const browser = await launch(chromium);
try {
  const page = await browser.newPage();
  const problems = [];
  page.on("console", (message) => problems.push(`console ${message.type()}: ${message.text()}`));
  page.on("pageerror", (error) => problems.push(`error: ${error.message}`));
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    if (request.url() === url || request.url().startsWith("data:")) request.continue();
    else {
      problems.push(`requested ${request.url()}`);
      request.abort();
    }
  });
  await page.setViewport({ width: 1100, height: 1400 });
  await page.goto(url, { waitUntil: "load" });
  expect(!problems.length, `the page loads cleanly: ${problems}`);
  const found = await page.evaluate(() => {
    const items = [...document.querySelectorAll("article.item")];
    const withShares = items.filter((a) => a.querySelector(".figure table"));
    const mismatched = withShares.filter((a) => {
      const rows = [...a.querySelectorAll(".figure tbody tr")].map((r) => r.querySelector("td").textContent);
      const bars = [...a.querySelectorAll("svg.chart text")].filter((_, i) => i % 2 === 1).map((t) => t.textContent.split(" ")[0]);
      return !a.querySelector("svg.chart[role=img][aria-label]") || rows.join() !== bars.join();
    });
    const grid = document.querySelector("#item-ta_areas table.grid");
    // The matrix shows, in each box, the number of names the table gives for it.
    const matrixCounts = [...document.querySelectorAll("#item-ta_areas svg.matrix rect + text")].map((t) => t.textContent);
    const tableCounts = [...document.querySelectorAll("#item-ta_areas table.grid tbody td")].map((td) => (td.textContent === "—" ? "0" : td.textContent.split(":")[0]));
    // Needs beside offers: the same, with the providers' columns after the States'.
    const offerCounts = [...document.querySelectorAll("#offers-ta_areas svg.matrix rect + text")].map((t) => t.textContent);
    const offerTable = [...document.querySelectorAll("#offers-ta_areas table.grid tbody td")].map((td) => (td.textContent === "—" ? "0" : td.textContent.split(":")[0]));
    const offerHeads = [...document.querySelectorAll("#offers-ta_areas table.grid thead th")].map((th) => th.textContent);
    return {
      offers: { shown: offerCounts.length, same: offerCounts.join() === offerTable.join(), heads: offerHeads, text: document.querySelector("#offers") ? document.querySelector("#offers").textContent : "" },
      items: items.length,
      charts: document.querySelectorAll("svg.chart").length,
      withShares: withShares.length,
      mismatched: mismatched.map((a) => a.id),
      statement: document.querySelector(".statement").textContent,
      grid: grid ? grid.textContent : "",
      respondents: document.querySelectorAll("table caption").length,
      matrix: { shown: matrixCounts.length, same: matrixCounts.join() === tableCounts.join(), label: !!document.querySelector("#item-ta_areas svg.matrix[role=img][aria-label]") },
    };
  });
  expect(found.items > 50, `every question has its place: ${found.items}`);
  expect(found.withShares > 20 && found.charts === found.withShares, `a chart for each table of shares: ${found.charts} of ${found.withShares}`);
  expect(!found.mismatched.length, `each chart shows its table's numbers: not ${found.mismatched}`);
  expect(found.statement.includes("not a ranking"), `the report says what it is: ${found.statement}`);
  expect(found.grid.includes("Need technical assistance") && found.grid.includes("XES"), "the assistance grid names who ticked");
  expect(found.respondents === 1, "who replied is a table");
  expect(found.matrix.shown > 20 && found.matrix.same && found.matrix.label, `the assistance matrix shows the table's counts: ${JSON.stringify(found.matrix)}`);
  expect(found.offers.shown === 48 && found.offers.same, `needs beside offers: the matrix shows the table's counts: ${JSON.stringify(found.offers)}`);
  expect(found.offers.heads.length === 4 && found.offers.heads.filter((h) => h.includes("providers")).length === 2, `the providers' columns say whose they are: ${found.offers.heads}`);
  expect(found.offers.text.includes("Centre for Evidence in Crime Prevention") && found.offers.text.includes("XIS"), "needs and offers name States and organizations");
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, "report.png"), fullPage: false });
  const offers = await page.$("#offers-ta_areas");
  if (offers) await offers.screenshot({ path: join(shots, "report-offers.png") });
} finally {
  await browser.close();
}
checks.finish("report");
