// The VS Code extension (editors/vscode/extension.js) run as VS Code's extension host runs it:
// its `activate` is called with the part of the `vscode` API that it and
// vscode-languageclient (the version the extension pins) use, implemented here, and the client
// starts the real `qc lsp` as the extension configures it (`qc.path`, `args: ["lsp"]`). A `.q`
// document is then opened: the diagnostics `qc lsp` publishes must reach the editor's
// diagnostic collection through the client, and the hover provider the client registers must
// answer with the item's number and label. The editor's window is not drawn; the rest is the
// extension's own code and the protocol's.
//
// Usage: NODE_PATH=FOLDER_WITH_vscode-languageclient node extension.cjs EXTENSION_FOLDER QC_BINARY
"use strict";

const Module = require("node:module");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const [folder, qc] = process.argv.slice(2);
let failures = 0;
const expect = (ok, what) => {
  if (!ok) {
    console.log(`FAIL ${what}`);
    failures++;
  }
};

// ---------------------------------------------------------------------------------------------
// The host: the `vscode` module.

class Disposable {
  constructor(dispose) {
    this.disposer = dispose;
  }
  dispose() {
    if (this.disposer) this.disposer();
  }
  static from(...items) {
    return new Disposable(() => items.forEach((item) => item && item.dispose && item.dispose()));
  }
}

class EventEmitter {
  constructor() {
    this.listeners = [];
    this.event = (listener, thisArg) => {
      const bound = thisArg ? listener.bind(thisArg) : listener;
      this.listeners.push(bound);
      return new Disposable(() => {
        this.listeners = this.listeners.filter((other) => other !== bound);
      });
    };
  }
  fire(event) {
    for (const listener of [...this.listeners]) listener(event);
  }
  dispose() {
    this.listeners = [];
  }
}

class Position {
  constructor(line, character) {
    this.line = line;
    this.character = character;
  }
}

class Range {
  constructor(a, b, c, d) {
    if (typeof a === "number") {
      this.start = new Position(a, b);
      this.end = new Position(c, d);
    } else {
      this.start = a;
      this.end = b;
    }
  }
}

class Uri {
  constructor(scheme, filePath) {
    this.scheme = scheme;
    this.path = filePath;
    this.fsPath = filePath;
  }
  static file(filePath) {
    return new Uri("file", filePath);
  }
  static parse(text) {
    const url = new URL(text);
    return new Uri(url.protocol.replace(":", ""), decodeURIComponent(url.pathname));
  }
  toString() {
    return `${this.scheme}://${encodeURI(this.path)}`;
  }
  toJSON() {
    return this.toString();
  }
  with() {
    return this;
  }
}

class MarkdownString {
  constructor(value) {
    this.value = value || "";
  }
  appendMarkdown(value) {
    this.value += value;
    return this;
  }
  appendText(value) {
    this.value += value;
    return this;
  }
}

class Hover {
  constructor(contents, range) {
    this.contents = Array.isArray(contents) ? contents : [contents];
    this.range = range;
  }
}

class Diagnostic {
  constructor(range, message, severity) {
    this.range = range;
    this.message = message;
    this.severity = severity;
  }
}

class CancellationTokenSource {
  constructor() {
    this.token = {
      isCancellationRequested: false,
      onCancellationRequested: () => new Disposable(),
    };
  }
  cancel() {
    this.token.isCancellationRequested = true;
  }
  dispose() {}
}

// What the client registers or calls that this host does not use: something that can be
// called, constructed or read, and gives a disposable.
function anything(name) {
  const target = function () {
    return new Disposable();
  };
  return new Proxy(target, {
    get(_, property) {
      if (property === "then") return undefined;
      if (property === Symbol.toPrimitive) return () => name;
      if (property === "dispose") return () => {};
      return anything(`${name}.${String(property)}`);
    },
    construct() {
      return anything(name);
    },
    apply() {
      return new Disposable();
    },
  });
}

// Reads fall back to `anything`, so that a part of the API the client touches and this host
// leaves out does not stop it.
function namespace(name, members) {
  return new Proxy(members, {
    get(target, property) {
      if (property in target) return target[property];
      if (typeof property === "symbol" || property === "then") return undefined;
      return anything(`${name}.${property}`);
    },
  });
}

const never = () => new Disposable();
const documents = [];
const opened = new EventEmitter();
const changed = new EventEmitter();
const diagnostics = new Map();
const providers = {};
const settings = { "qc.path": qc };
const logged = [];

const matches = (selector, document) =>
  (Array.isArray(selector) ? selector : [selector]).some(
    (filter) =>
      (typeof filter === "string" ? filter === document.languageId : true) &&
      (!filter.language || filter.language === document.languageId) &&
      (!filter.scheme || filter.scheme === document.uri.scheme),
  );

const vscode = namespace("vscode", {
  version: "1.85.0",
  Disposable,
  EventEmitter,
  Position,
  Range,
  Uri,
  MarkdownString,
  Hover,
  Diagnostic,
  CancellationTokenSource,
  CancellationError: class CancellationError extends Error {},
  DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
  env: namespace("vscode.env", { language: "en", appName: "qc's extension test", openExternal: async () => true }),
  workspace: namespace("vscode.workspace", {
    textDocuments: documents,
    workspaceFolders: undefined,
    onDidOpenTextDocument: opened.event,
    onDidChangeTextDocument: changed.event,
    onDidCloseTextDocument: never,
    onDidSaveTextDocument: never,
    onWillSaveTextDocument: never,
    onDidChangeConfiguration: never,
    onDidChangeWorkspaceFolders: never,
    getWorkspaceFolder: () => undefined,
    getConfiguration: (section) => ({
      get: (key, fallback) => settings[section ? `${section}.${key}` : key] ?? fallback,
      has: () => false,
      inspect: () => undefined,
      update: async () => {},
    }),
    createFileSystemWatcher: () => ({
      onDidCreate: never,
      onDidChange: never,
      onDidDelete: never,
      dispose() {},
    }),
  }),
  window: namespace("vscode.window", {
    activeTextEditor: undefined,
    visibleTextEditors: [],
    onDidChangeActiveTextEditor: never,
    onDidChangeVisibleTextEditors: never,
    tabGroups: { all: [], onDidChangeTabs: never, onDidChangeTabGroups: never },
    createOutputChannel: (name) => ({
      name,
      append: (text) => logged.push(text),
      appendLine: (text) => logged.push(text),
      replace() {},
      clear() {},
      show() {},
      hide() {},
      dispose() {},
    }),
    showErrorMessage: async (message) => {
      logged.push(`error: ${message}`);
    },
    showWarningMessage: async (message) => {
      logged.push(`warning: ${message}`);
    },
    showInformationMessage: async () => undefined,
    withProgress: (_, task) => task({ report() {} }, new CancellationTokenSource().token),
  }),
  commands: namespace("vscode.commands", {
    registerCommand: never,
    executeCommand: async () => undefined,
  }),
  languages: namespace("vscode.languages", {
    match: (selector, document) => (matches(selector, document) ? 10 : 0),
    createDiagnosticCollection: (name) => ({
      name,
      set(uri, list) {
        if (Array.isArray(uri)) {
          for (const [each, items] of uri) diagnostics.set(each.toString(), items || []);
        } else {
          diagnostics.set(uri.toString(), list || []);
        }
      },
      delete(uri) {
        diagnostics.delete(uri.toString());
      },
      clear() {
        diagnostics.clear();
      },
      forEach() {},
      get: (uri) => diagnostics.get(uri.toString()),
      has: (uri) => diagnostics.has(uri.toString()),
      dispose() {},
    }),
    registerHoverProvider: (selector, provider) => {
      providers.hover = { selector, provider };
      return new Disposable();
    },
  }),
});

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === "vscode" ? "vscode" : resolve.call(this, request, ...rest);
};
require.cache.vscode = { id: "vscode", filename: "vscode", loaded: true, exports: vscode };

// ---------------------------------------------------------------------------------------------
// The test.

function textDocument(file, languageId, text) {
  const document = {
    uri: Uri.file(file),
    fileName: file,
    languageId,
    version: 1,
    isClosed: false,
    isDirty: false,
    isUntitled: false,
    eol: 1,
    text,
    get lineCount() {
      return this.text.split("\n").length;
    },
    getText() {
      return this.text;
    },
    lineAt(line) {
      return { text: this.text.split("\n")[typeof line === "number" ? line : line.line] };
    },
  };
  return document;
}

// The document edited as the editor would: its text replaced, its version one more.
function edit(document, text) {
  const lines = document.text.split("\n");
  const range = new Range(0, 0, lines.length - 1, lines[lines.length - 1].length);
  const old = document.text;
  document.text = text;
  document.version += 1;
  changed.fire({
    document,
    contentChanges: [{ range, rangeOffset: 0, rangeLength: old.length, text }],
    reason: undefined,
  });
}

async function until(what, test) {
  for (let i = 0; i < 200; i++) {
    const value = test();
    if (value) return value;
    await new Promise((done) => setTimeout(done, 50));
  }
  expect(false, `${what} (waited 10 s; the client logged: ${logged.join(" | ")})`);
  return undefined;
}

async function main() {
  const manifest = JSON.parse(fs.readFileSync(path.join(folder, "package.json"), "utf8"));
  const extension = require(path.resolve(folder, manifest.main));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qc-extension-"));
  const file = path.join(dir, "survey.q");
  const text = [
    'instrument survey { title "A survey" }',
    'scale yes_no { yes "Yes" no "No" }',
    'section main "Main" {',
    '  question q1 "Is there a plan?" : yes_no { allow uncited }',
    '  question q2 "Its title?" : text when q1 = yse { allow uncited }',
    "}",
    "",
  ].join("\n");
  fs.writeFileSync(file, text);

  const context = { subscriptions: [], extensionPath: path.resolve(folder) };
  await extension.activate(context);
  expect(providers.hover, "the client registers a hover provider, for the server says it hovers");

  const document = textDocument(file, "q", text);
  documents.push(document);
  opened.fire(document);
  const uri = document.uri.toString();
  const found = await until("qc lsp's diagnostics reach the editor", () => {
    const list = diagnostics.get(uri);
    return list && list.length ? list : undefined;
  });
  if (found) {
    const [first] = found;
    const code = typeof first.code === "object" ? first.code.value : first.code;
    expect(found.length === 1, `one diagnostic, not ${found.length}`);
    expect(code === "E0103", `the diagnostic is E0103, not ${code}`);
    expect(first.message.includes("yse"), `the message names \`yse\`: ${first.message}`);
    expect(first.range.start.line === 4, `on line 5, not ${first.range.start.line + 1}`);
    expect(first.severity === vscode.DiagnosticSeverity.Error, "an error");
  }
  // Fixed as it is typed: the diagnostics clear, and the instrument compiles.
  edit(document, text.replace("yse", "yes"));
  await until("the diagnostics clear when the code is fixed", () => {
    const list = diagnostics.get(uri);
    return list && list.length === 0;
  });
  if (providers.hover) {
    expect(matches(providers.hover.selector, document), "the hover provider is for .q documents");
    const hover = await providers.hover.provider.provideHover(
      document,
      new Position(3, 12),
      new CancellationTokenSource().token,
    );
    const shown = hover ? hover.contents.map((part) => part.value || String(part)).join("\n") : "";
    expect(shown.includes("**1**") && shown.includes("Is there a plan?"), `hover on q1 gives its number and label: ${shown}`);
  }
  await extension.deactivate();
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`extension: ${failures} failures`);
  process.exit(failures ? 1 : 0);
}

main().catch((error) => {
  console.log(`FAIL the extension runs: ${error && error.stack}`);
  process.exit(1);
});
