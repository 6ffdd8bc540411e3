// What the browser tests share: Debian's chromium launched headless, and a tally of checks.
import puppeteer from "puppeteer-core";

// Debian's chromium, headless, driven over the DevTools protocol.
export const launch = (chromium) => puppeteer.launch({ executablePath: chromium, headless: true, args: ["--no-sandbox"] });

// `expect(ok, message)` counts a check and prints a failure; `finish(name)` prints the tally
// and ends the process, failing when a check failed.
export function tally() {
  let failures = 0;
  let checks = 0;
  return {
    expect(ok, message) {
      checks++;
      if (!ok) {
        console.log(`FAIL ${message}`);
        failures++;
      }
    },
    get failures() {
      return failures;
    },
    finish(name) {
      console.log(`${name}: ${checks} checks in chromium, ${failures} failures`);
      process.exit(failures ? 1 : 0);
    },
  };
}
