// The qc extension: the .q language, its grammar, and `qc lsp` as its language server (the
// diagnostics of `qc check` as the file is typed, hover, go to definition, completion,
// document symbols and quick fixes). The binary is `qc` on the PATH, or the setting `qc.path`.
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("qc").get("path") || "qc";
  const server = { command, args: ["lsp"] };
  client = new LanguageClient(
    "qc",
    "qc",
    { run: server, debug: server },
    { documentSelector: [{ scheme: "file", language: "q" }] },
  );
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
