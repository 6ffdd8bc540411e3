// The VS Code extension folder (editors/vscode) holds together: its package.json parses and
// every file it names exists; its grammar is the TextMate grammar, byte for byte; its language
// configuration parses and its patterns are regular expressions; its script is JavaScript that
// starts `qc lsp`.
//
// Usage: node vscode.mjs EXTENSION_FOLDER TEXTMATE_GRAMMAR
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";

const [folder, grammar] = process.argv.slice(2);
let failures = 0;
const expect = (ok, what) => {
  if (!ok) {
    console.log(`FAIL ${what}`);
    failures++;
  }
};

const manifest = JSON.parse(readFileSync(join(folder, "package.json"), "utf8"));
expect(manifest.main && existsSync(join(folder, manifest.main)), `main ${manifest.main} exists`);
for (const language of manifest.contributes.languages) {
  expect(existsSync(join(folder, language.configuration)), `configuration ${language.configuration} exists`);
  expect(language.extensions.includes(".q"), "the language is .q files");
}
for (const contributed of manifest.contributes.grammars) {
  const path = join(folder, contributed.path);
  expect(existsSync(path), `grammar ${contributed.path} exists`);
  if (existsSync(path)) {
    const copy = readFileSync(path);
    expect(copy.equals(readFileSync(grammar)), `${contributed.path} is ${grammar}, byte for byte`);
    expect(JSON.parse(copy).scopeName === contributed.scopeName, "the grammar's scope name is the one contributed");
  }
}
expect(manifest.activationEvents.includes("onLanguage:q"), "the extension starts with a .q file");
const configuration = JSON.parse(readFileSync(join(folder, "language-configuration.json"), "utf8"));
expect(configuration.comments.lineComment === "#", "comments start with #");
for (const pattern of [configuration.wordPattern, ...Object.values(configuration.indentationRules)]) {
  try {
    new RegExp(pattern);
  } catch (error) {
    expect(false, `${pattern} is a regular expression: ${error.message}`);
  }
}
expect(new RegExp(configuration.wordPattern).exec("common.yes_no")[0] === "common.yes_no", "a qualified name is one word");
const script = readFileSync(join(folder, manifest.main), "utf8");
expect(script.includes('args: ["lsp"]'), "the script starts `qc lsp`");
console.log(`vscode: ${failures} failures`);
process.exit(failures ? 1 : 0);
