// Accessibility of the offline form: axe-core (pinned) run in Debian's chromium on each page,
// with a reply loaded where one is given, must report no serious or critical violation. On a
// failure, the page and its print view are written as screenshots to SHOTS_DIR, for a person
// to look at.
//
// Usage: node a11y.mjs CHROMIUM SHOTS_DIR PAGE.html[=REPLY.json]…
import { mkdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { launch } from "./harness.mjs";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const [chromium, shots, ...pages] = process.argv.slice(2);
let failures = 0;

const browser = await launch(chromium);
try {
  for (const spec of pages) {
    const [html, replyPath] = spec.split("=");
    const page = await (await browser.createBrowserContext()).newPage();
    await page.setViewport({ width: 1200, height: 900 });
    await page.goto(pathToFileURL(html).href, { waitUntil: "load" });
    if (replyPath) await page.evaluate((reply) => window.qc.load(reply), JSON.parse(readFileSync(replyPath, "utf8")));
    await page.addScriptTag({ content: axeSource });
    const results = await page.evaluate(() =>
      window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
    );
    const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    for (const violation of serious) {
      const targets = violation.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ");
      console.log(`FAIL ${spec}: ${violation.impact} ${violation.id} (${violation.nodes.length} nodes: ${targets}): ${violation.help}`);
    }
    if (serious.length) {
      failures++;
      mkdirSync(shots, { recursive: true });
      const name = basename(html, ".html");
      await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
      await page.emulateMediaType("print");
      await page.screenshot({ path: join(shots, `${name}-print.png`), fullPage: true });
      console.log(`screenshots of ${spec} in ${shots}`);
    }
    console.log(`a11y: ${spec}: ${results.passes.length} rules pass, ${serious.length} serious or critical violations`);
  }
} finally {
  await browser.close();
}
process.exit(failures ? 1 : 0);
