// Screenshots of the offline form for a person to look at when a browser test failed: the
// first page of the bundled instrument with a reply loaded, its grid, a page in Arabic and the
// print view (as an image of its first pages and as a PDF).
//
// Usage: node shots.mjs CHROMIUM SHOTS_DIR INSTRUMENT.html REPLY.json ARABIC.html
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { launch } from "./harness.mjs";

const [chromium, shots, instrumentPath, replyPath, arabicPath] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });
const browser = await launch(chromium);
try {
  const page = await (await browser.createBrowserContext()).newPage();
  await page.setViewport({ width: 1200, height: 1000 });
  await page.goto(pathToFileURL(instrumentPath).href, { waitUntil: "load" });
  await page.evaluate((reply) => window.qc.load(reply), JSON.parse(readFileSync(replyPath, "utf8")));
  await page.screenshot({ path: join(shots, "first-page.png") });
  const grid = await page.$("table.grid");
  if (grid) {
    const fieldset = await grid.evaluateHandle((node) => node.closest("fieldset") || node);
    await fieldset.screenshot({ path: join(shots, "grid.png") });
  }
  await page.emulateMediaType("print");
  await page.screenshot({ path: join(shots, "print.png"), clip: { x: 0, y: 0, width: 1200, height: 3000 } });
  writeFileSync(join(shots, "print.pdf"), await page.pdf({ format: "A4" }));

  const arabic = await (await browser.createBrowserContext()).newPage();
  await arabic.setViewport({ width: 1200, height: 1000 });
  await arabic.goto(pathToFileURL(arabicPath).href, { waitUntil: "load" });
  await arabic.select("#qc-language", "ar");
  await arabic.screenshot({ path: join(shots, "arabic.png"), fullPage: true });
  console.log(`screenshots of the first page, the grid, the Arabic page and the print view are in ${shots}`);
} finally {
  await browser.close();
}
