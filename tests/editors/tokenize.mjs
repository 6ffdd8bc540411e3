// The TextMate grammar of `.q` files (editors/textmate/q.tmLanguage.json), tokenized with
// vscode-textmate and the Oniguruma engine, as VS Code tokenizes it: every `.q` file given is
// tokenized line by line, and no text outside blanks is left with the file's scope alone (an
// "unscoped region"). A string, a comment and a keyword get their scopes on a sample line.
//
// Usage: node tokenize.mjs GRAMMAR.json FILE.q…
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import oniguruma from "vscode-oniguruma";
import textmate from "vscode-textmate";

const require = createRequire(import.meta.url);
const [grammarPath, ...files] = process.argv.slice(2);
await oniguruma.loadWASM(readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm")).buffer);
const registry = new textmate.Registry({
  onigLib: Promise.resolve({
    createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
    createOnigString: (text) => new oniguruma.OnigString(text),
  }),
  loadGrammar: async () => textmate.parseRawGrammar(readFileSync(grammarPath, "utf8"), grammarPath),
});
const grammar = await registry.loadGrammar("source.q");
let failures = 0;

function tokenize(text) {
  const out = [];
  let stack = textmate.INITIAL;
  for (const line of text.split(/\r?\n/)) {
    const result = grammar.tokenizeLine(line, stack);
    out.push(result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes })));
    stack = result.ruleStack;
  }
  return out;
}

let lines = 0;
for (const file of files) {
  tokenize(readFileSync(file, "utf8")).forEach((tokens, index) => {
    lines++;
    for (const token of tokens) {
      if (token.scopes.length === 1 && token.text.trim() !== "") {
        console.log(`FAIL ${file}:${index + 1}: unscoped \`${token.text}\``);
        failures++;
      }
    }
  });
}

// What a designer sees: a declaration, its name, its label with a piped value, a comment.
const [sample] = tokenize('question q1 "Asked {n} times" : yes_no when q0 = yes # why');
const [typed] = tokenize('question seat "Seat" : country');
const [named] = tokenize('rows areas {');
const scope = (text) =>
  ([...sample, ...typed, ...named].find((t) => t.text === text) || { scopes: [] }).scopes.at(-1);
for (const [text, expected] of [
  ["country", "support.type.q"],
  ["rows", "keyword.declaration.q"],
  ["areas", "entity.name.q"],
  ["question", "keyword.declaration.q"],
  ["q1", "entity.name.q"],
  ["n", "variable.other.piped.q"],
  ["when", "keyword.other.q"],
  ["=", "keyword.operator.q"],
  ["# why", "comment.line.number-sign.q"],
]) {
  if (scope(text) !== expected) {
    console.log(`FAIL \`${text}\` is ${scope(text)}, not ${expected}`);
    failures++;
  }
}
console.log(`textmate: ${files.length} files, ${lines} lines tokenized, ${failures} failures`);
process.exit(failures ? 1 : 0);
