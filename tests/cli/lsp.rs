//! `qc lsp` driven over standard input and output with real Language Server Protocol messages,
//! as an editor drives it: initialize, open, change, hover, definition, completion, symbols,
//! code actions, shutdown and exit. The answers are snapshots, with the temporary folder's
//! path written `<dir>`.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

use serde_json::{json, Value};

/// A client of `qc lsp`.
struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    /// Notifications received while waiting for a response.
    notifications: Vec<Value>,
    next: u64,
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_qc"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("qc lsp runs");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (send, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = 0;
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 {
                        return;
                    }
                    let header = header.trim();
                    if header.is_empty() {
                        break;
                    }
                    if let Some(n) = header.strip_prefix("Content-Length: ") {
                        length = n.parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let message: Value = serde_json::from_slice(&body).expect("JSON");
                if send.send(message).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            messages,
            notifications: Vec::new(),
            next: 1,
        }
    }

    /// A client that has initialized the server: the client, and the server's answer.
    fn initialized() -> (Client, Value) {
        let mut client = Client::start();
        let answer = client.request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": {} }),
        );
        client.notify("initialized", json!({}));
        (client, answer)
    }

    /// Opens a document, as the editor holds it.
    fn open(&mut self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": language, "version": 1, "text": text } }),
        );
    }

    /// Shuts the server down and has it exit: the answer to `shutdown`, and how it ended.
    fn stop(mut self) -> (Value, std::process::ExitStatus) {
        let shutdown = self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let status = self.child.wait().expect("qc lsp ends");
        (shutdown, status)
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("sent");
        self.stdin.flush().expect("flushed");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and waits for its response (10 s at most).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next;
        self.next += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let message = self
                .messages
                .recv_timeout(Duration::from_secs(10))
                .unwrap_or_else(|_| panic!("no response to {method}"));
            if message["id"] == id {
                return message;
            }
            self.notifications.push(message);
        }
    }

    /// The next diagnostics published for a file whose URI ends with `file`.
    fn diagnostics(&mut self, file: &str) -> Vec<Value> {
        let matches = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"]
                    .as_str()
                    .is_some_and(|u| u.ends_with(file))
        };
        if let Some(index) = self.notifications.iter().position(matches) {
            let found = self.notifications.remove(index);
            return found["params"]["diagnostics"]
                .as_array()
                .cloned()
                .unwrap_or_default();
        }
        loop {
            let message = self
                .messages
                .recv_timeout(Duration::from_secs(10))
                .unwrap_or_else(|_| panic!("no diagnostics for {file}"));
            if matches(&message) {
                return message["params"]["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
            }
            self.notifications.push(message);
        }
    }
}

const MODULE: &str = r#"scale yes_no "Yes / No" { yes "Yes" no "No" }
document guidelines "Guidelines for the Prevention of Crime" {
  para 17 "Governments should include prevention as a permanent part of their structures."
  para 18 "Governments should support the development of crime prevention skills."
}
"#;

const SURVEY: &str = r#"instrument survey { title "A survey" }
from "common.q" import yes_no, guidelines

section main "Main" {
  question q1 "Is there a plan?" : yes_no { cites guidelines 17 }
  question q2 "Its title?" : text when q1 = yse { allow uncited }
}
"#;

fn position(text: &str, needle: &str, after: usize) -> Value {
    let offset = text.find(needle).expect("in the text") + after;
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let character = before.len() - before.rfind('\n').map_or(0, |i| i + 1);
    json!({ "line": line, "character": character })
}

#[test]
fn an_editor_gets_diagnostics_hover_definition_completion_and_fixes() {
    let dir = tempfile::tempdir().expect("a folder");
    let folder = std::fs::canonicalize(dir.path()).expect("a folder");
    std::fs::write(folder.join("common.q"), MODULE).expect("module");
    std::fs::write(folder.join("survey.q"), SURVEY).expect("survey");
    let uri = format!("file://{}/survey.q", folder.display());
    let shown = |value: &Value| {
        value
            .to_string()
            .replace(&folder.display().to_string(), "<dir>")
    };
    let document = json!({ "uri": uri });

    let (mut client, initialized) = Client::initialized();
    let capabilities = &initialized["result"]["capabilities"];
    assert_eq!(capabilities["hoverProvider"], true, "{initialized}");
    assert_eq!(initialized["result"]["serverInfo"]["name"], "qc");

    // Opened with a misspelt code: the diagnostic of `qc check`, with its code and range.
    client.open(&uri, "q", SURVEY);
    let diagnostics = client.diagnostics("survey.q");
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let diagnostic = &diagnostics[0];
    assert_eq!(diagnostic["severity"], 1);
    assert!(
        diagnostic["code"]
            .as_str()
            .is_some_and(|c| c.starts_with('E')),
        "{diagnostic}"
    );
    assert_eq!(diagnostic["range"]["start"], position(SURVEY, "yse", 0));
    insta::assert_snapshot!("lsp-diagnostic", shown(diagnostic));

    // Its one fix, as a code action.
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": document, "range": diagnostic["range"], "context": { "diagnostics": [diagnostic] } }),
    );
    let edit = &actions["result"][0]["edit"]["changes"][&uri][0];
    assert_eq!(edit["newText"], "yes", "{actions}");
    assert_eq!(edit["range"], diagnostic["range"]);

    // Fixed as typed: the diagnostics clear.
    let fixed = SURVEY.replace("yse", "yes");
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": fixed }] }),
    );
    assert_eq!(client.diagnostics("survey.q"), Vec::<Value>::new());

    // Hover on `q1` where a condition reads it: its number, label, answer, the paragraph cited.
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": document, "position": position(&fixed, "when q1", 6) }),
    );
    let contents = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        contents.starts_with("**1** `q1`") && contents.contains("one of `yes_no`"),
        "{contents}"
    );
    assert!(
        contents.contains("para. 17: Governments should include prevention"),
        "{contents}"
    );
    insta::assert_snapshot!("lsp-hover", contents);

    // Definition: of the item, where its id is declared; of the scale, in the module.
    let definition = client.request(
        "textDocument/definition",
        json!({ "textDocument": document, "position": position(&fixed, "when q1", 6) }),
    );
    assert_eq!(definition["result"]["uri"], uri);
    assert_eq!(
        definition["result"]["range"]["start"],
        position(&fixed, "q1 \"Is", 0)
    );
    let scale = client.request(
        "textDocument/definition",
        json!({ "textDocument": document, "position": position(&fixed, ": yes_no", 3) }),
    );
    assert!(
        scale["result"]["uri"]
            .as_str()
            .is_some_and(|u| u.ends_with("/common.q")),
        "{scale}"
    );
    assert_eq!(
        scale["result"]["range"]["start"],
        position(MODULE, "yes_no", 0)
    );

    // Completion: after `q1 = `, the codes q1 takes; after `cites guidelines `, its paragraphs.
    let typing = fixed.replace("when q1 = yes", "when q1 = ");
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 3 }, "contentChanges": [{ "text": typing }] }),
    );
    let _ = client.diagnostics("survey.q");
    let codes = client.request(
        "textDocument/completion",
        json!({ "textDocument": document, "position": position(&typing, "when q1 = ", 10) }),
    );
    let labels: Vec<&str> = codes["result"]["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert_eq!(labels, ["yes", "no"], "{codes}");
    let paragraphs = client.request(
        "textDocument/completion",
        json!({ "textDocument": document, "position": position(&typing, "guidelines 17", 11) }),
    );
    let labels: Vec<&str> = paragraphs["result"]["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert_eq!(labels, ["17", "18"], "{paragraphs}");

    // The outline: the section with its questions.
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": document }),
    );
    let section = &symbols["result"][0];
    assert_eq!(section["name"], "main");
    let children: Vec<&str> = section["children"]
        .as_array()
        .expect("children")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(children, ["q1", "q2"], "{symbols}");
    insta::assert_snapshot!("lsp-symbols", shown(&symbols["result"]));

    // Formatting, as `qc fmt` lays the document out: one edit of the whole text.
    let messy = fixed.replace("  question q1", "question q1");
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 4 }, "contentChanges": [{ "text": messy }] }),
    );
    let _ = client.diagnostics("survey.q");
    let edits = client.request(
        "textDocument/formatting",
        json!({ "textDocument": document, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert_eq!(edits["result"][0]["newText"], fixed, "{edits}");
    assert_eq!(
        edits["result"][0]["range"]["start"],
        json!({ "line": 0, "character": 0 })
    );

    // References and rename: `q1` where it is declared and where the condition reads it.
    let at_q1 = position(&fixed, "when q1", 6);
    let references = client.request(
        "textDocument/references",
        json!({ "textDocument": document, "position": at_q1, "context": { "includeDeclaration": true } }),
    );
    let lines: Vec<u64> = references["result"]
        .as_array()
        .expect("locations")
        .iter()
        .filter_map(|l| l["range"]["start"]["line"].as_u64())
        .collect();
    assert_eq!(lines, [4, 5], "{references}");
    let renamed = client.request(
        "textDocument/rename",
        json!({ "textDocument": document, "position": at_q1, "newName": "has_plan" }),
    );
    let edits = renamed["result"]["changes"][&uri]
        .as_array()
        .expect("edits")
        .clone();
    assert_eq!(edits.len(), 2, "{renamed}");
    assert!(edits.iter().all(|e| e["newText"] == "has_plan"));
    for (name, why) in [("q2", "taken"), ("2x", "not a name")] {
        let refused = client.request(
            "textDocument/rename",
            json!({ "textDocument": document, "position": at_q1, "newName": name }),
        );
        assert!(
            refused["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains(why)),
            "{refused}"
        );
    }

    // A method it does not answer is an error, not a silence.
    let unknown = client.request(
        "textDocument/signatureHelp",
        json!({ "textDocument": document }),
    );
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");

    // Closed: its diagnostics are cleared. Shut down and exited: the process ends, status 0.
    client.notify("textDocument/didClose", json!({ "textDocument": document }));
    assert_eq!(client.diagnostics("survey.q"), Vec::<Value>::new());
    let (shutdown, status) = client.stop();
    assert!(shutdown.get("error").is_none(), "{shutdown}");
    assert!(status.success(), "{status}");
}

/// An import outside the document's folder is refused and said so, as `qc check` says it; an
/// import of an open document reads the editor's text, not the disk's.
#[test]
fn imports_read_open_documents_and_stay_inside_the_folder() {
    let dir = tempfile::tempdir().expect("a folder");
    let folder = std::fs::canonicalize(dir.path()).expect("a folder");
    std::fs::write(folder.join("common.q"), MODULE).expect("module");
    let survey = SURVEY.replace("yse", "yes");
    std::fs::write(folder.join("survey.q"), &survey).expect("survey");
    let (mut client, _) = Client::initialized();
    // The module as the editor holds it drops `no`: the survey, opened after, reads that text.
    let module_uri = format!("file://{}/common.q", folder.display());
    let edited = MODULE.replace(" no \"No\"", " maybe \"Maybe\"");
    client.open(&module_uri, "q", &edited);
    let _ = client.diagnostics("common.q");
    let uri = format!("file://{}/survey.q", folder.display());
    let text = survey.replace("when q1 = yes", "when q1 = no");
    client.open(&uri, "q", &text);
    let diagnostics = client.diagnostics("survey.q");
    assert!(
        diagnostics
            .iter()
            .any(|d| d["message"].as_str().is_some_and(|m| m.contains("`no`"))),
        "{diagnostics:#?}"
    );
    // `..` out of the folder is refused.
    let outside = text.replace("\"common.q\"", "\"../common.q\"");
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": outside }] }),
    );
    let diagnostics = client.diagnostics("survey.q");
    assert!(
        diagnostics.iter().any(|d| d["code"] == "E0134"),
        "{diagnostics:#?}"
    );
    assert!(client.stop().1.success());
}

/// Renaming an item renames its keys in the instrument's translation files too.
#[test]
fn rename_reaches_the_translation_files() {
    let dir = tempfile::tempdir().expect("a folder");
    let folder = std::fs::canonicalize(dir.path()).expect("a folder");
    std::fs::write(folder.join("common.q"), MODULE).expect("module");
    let survey = SURVEY.replace("yse", "yes").replace(
        "from \"common.q\"",
        "translation fr \"survey.fr.json\"\nfrom \"common.q\"",
    );
    let file = folder.join("survey.q");
    std::fs::write(&file, &survey).expect("survey");
    let translation = folder.join("survey.fr.json");
    let written = super::qc(&[
        "translations",
        "new",
        &file.display().to_string(),
        "--lang",
        "fr",
        "-o",
        &translation.display().to_string(),
    ]);
    assert_eq!(
        written.status.code(),
        Some(0),
        "{}",
        super::stderr(&written)
    );
    let keys = std::fs::read_to_string(&translation).expect("translation");
    assert!(keys.contains("\"q1.label\""), "{keys}");
    let (mut client, _) = Client::initialized();
    let uri = format!("file://{}/survey.q", folder.display());
    client.open(&uri, "q", &survey);
    let _ = client.diagnostics("survey.q");
    let renamed = client.request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": uri }, "position": position(&survey, "when q1", 6), "newName": "has_plan" }),
    );
    let translation_uri = format!("file://{}/survey.fr.json", folder.display());
    let edits = renamed["result"]["changes"][&translation_uri]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!edits.is_empty(), "{renamed}");
    // Applied, each edit turns a `q1.` key into a `has_plan.` key, and nothing else.
    let lines: Vec<&str> = keys.lines().collect();
    for edit in &edits {
        let line = edit["range"]["start"]["line"].as_u64().expect("a line") as usize;
        let start = edit["range"]["start"]["character"]
            .as_u64()
            .expect("a column") as usize;
        assert_eq!(&lines[line][start..start + 2], "q1", "{}", lines[line]);
        assert_eq!(lines[line].as_bytes()[start - 1], b'"');
    }
    assert_eq!(edits.len(), keys.matches("\"q1.").count());
    // Opened, the translation file leads from a key to what it translates.
    client.open(&translation_uri, "json", &keys);
    let _ = client.diagnostics("survey.q");
    let definition = client.request(
        "textDocument/definition",
        json!({ "textDocument": { "uri": translation_uri }, "position": position(&keys, "\"q1.label", 2) }),
    );
    assert_eq!(definition["result"]["uri"], uri, "{definition}");
    assert_eq!(
        definition["result"]["range"]["start"],
        position(&survey, "q1 \"Is", 0)
    );
    // A rename asked from a key names the item's part of it.
    let prepared = client.request(
        "textDocument/prepareRename",
        json!({ "textDocument": { "uri": translation_uri }, "position": position(&keys, "\"q1.label", 2) }),
    );
    assert_eq!(prepared["result"]["placeholder"], "q1", "{prepared}");
    assert_eq!(
        prepared["result"]["range"],
        json!({ "start": position(&keys, "\"q1.label", 1), "end": position(&keys, "\"q1.label", 3) })
    );
    assert!(client.stop().1.success());
}

/// Hover on a paragraph of a `cites` list gives its text; on a used block, its signature.
#[test]
fn hover_names_paragraphs_and_blocks() {
    let dir = tempfile::tempdir().expect("a folder");
    let folder = std::fs::canonicalize(dir.path()).expect("a folder");
    let module = format!(
        "{MODULE}block follow_up(asks: item, topic: text) {{\n  question asks \"Does your country have a policy on {{topic}}?\" : yes_no {{ cites guidelines 18 }}\n}}\n"
    );
    std::fs::write(folder.join("common.q"), &module).expect("module");
    let survey = "instrument survey { title \"A survey\" }\nfrom \"common.q\" import yes_no, guidelines, follow_up\n\nsection main \"Main\" {\n  question q1 \"Is there a plan?\" : yes_no { cites guidelines 17 }\n  use follow_up(asks = q2, topic = \"crime prevention\")\n}\n";
    std::fs::write(folder.join("survey.q"), survey).expect("survey");
    let (mut client, _) = Client::initialized();
    let uri = format!("file://{}/survey.q", folder.display());
    client.open(&uri, "q", survey);
    assert_eq!(client.diagnostics("survey.q"), Vec::<Value>::new());
    let hover = |client: &mut Client, needle: &str, after: usize| {
        let answer = client.request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": position(survey, needle, after) }),
        );
        answer["result"]["contents"]["value"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    let paragraph = hover(&mut client, "guidelines 17", 12);
    assert_eq!(
        paragraph,
        "**Guidelines for the Prevention of Crime, para. 17**\n\nGovernments should include prevention as a permanent part of their structures."
    );
    let block = hover(&mut client, "follow_up(asks", 3);
    assert_eq!(block, "```q\nblock follow_up(asks: item, topic: text)\n```");
    // After `use`, the blocks in scope, each with its signature.
    let blocks = client.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": uri }, "position": position(survey, "use follow_up", 4) }),
    );
    assert_eq!(
        blocks["result"]["items"][0]["label"], "follow_up",
        "{blocks}"
    );
    assert_eq!(
        blocks["result"]["items"][0]["detail"],
        "block follow_up(asks: item, topic: text)"
    );
    assert!(client.stop().1.success());
}

/// References, rename and definition find a name where the compiler reads it as the same
/// thing: an item whose id is also an option's code is renamed without the code; a code is
/// not renamed; a paragraph's references are its citations, and its definition is in the
/// reference document; an import's path leads to the module.
#[test]
fn references_follow_what_the_compiler_reads() {
    let dir = tempfile::tempdir().expect("a folder");
    let folder = std::fs::canonicalize(dir.path()).expect("a folder");
    std::fs::write(folder.join("common.q"), MODULE).expect("module");
    let survey = "instrument survey { title \"A survey\" }\nfrom \"common.q\" import yes_no, guidelines\nscale kind { plan \"A plan\" law \"A law\" }\n\nsection main \"Main\" {\n  question plan \"Is there a plan?\" : yes_no { cites guidelines 17 }\n  question q2 \"What is the {plan}?\" : kind when plan = yes { cites guidelines 17 }\n  question q3 \"Since when?\" : date when q2 in [plan, law] { cites guidelines 18 }\n}\n";
    std::fs::write(folder.join("survey.q"), survey).expect("survey");
    let (mut client, _) = Client::initialized();
    let uri = format!("file://{}/survey.q", folder.display());
    let module_uri = format!("file://{}/common.q", folder.display());
    client.open(&uri, "q", survey);
    assert_eq!(client.diagnostics("survey.q"), Vec::<Value>::new());
    let document = json!({ "uri": uri });
    let places = |answer: &Value| -> Vec<(String, u64, u64)> {
        let mut places: Vec<(String, u64, u64)> = answer["result"]
            .as_array()
            .map(|a| a.to_vec())
            .unwrap_or_else(|| vec![answer["result"].clone()])
            .iter()
            .map(|l| {
                let file = l["uri"].as_str().unwrap_or_default();
                let name = file.rsplit('/').next().unwrap_or_default().to_owned();
                let start = &l["range"]["start"];
                (
                    name,
                    start["line"].as_u64().unwrap_or(99),
                    start["character"].as_u64().unwrap_or(99),
                )
            })
            .collect();
        places.sort();
        places
    };

    // The item `plan`: declared, piped into a label, read in a condition; not the option.
    let at_plan = position(survey, "when plan", 6);
    let references = client.request(
        "textDocument/references",
        json!({ "textDocument": document, "position": at_plan, "context": { "includeDeclaration": true } }),
    );
    assert_eq!(
        places(&references),
        [
            ("survey.q".to_owned(), 5, 11),
            ("survey.q".to_owned(), 6, 28),
            ("survey.q".to_owned(), 6, 48),
        ],
        "{references}"
    );
    let renamed = client.request(
        "textDocument/rename",
        json!({ "textDocument": document, "position": at_plan, "newName": "has_plan" }),
    );
    let edits = renamed["result"]["changes"][&uri]
        .as_array()
        .expect("edits")
        .clone();
    assert_eq!(edits.len(), 3, "{renamed}");
    // Asked first, the rename gives the name's range; highlights mark where it is written in
    // the document, its declaration as written to.
    let prepared = client.request(
        "textDocument/prepareRename",
        json!({ "textDocument": document, "position": at_plan }),
    );
    assert_eq!(prepared["result"]["placeholder"], "plan", "{prepared}");
    assert_eq!(
        prepared["result"]["range"]["start"],
        json!({ "line": 6, "character": 48 })
    );
    let highlights = client.request(
        "textDocument/documentHighlight",
        json!({ "textDocument": document, "position": at_plan }),
    );
    let kinds: Vec<(u64, u64)> = highlights["result"]
        .as_array()
        .expect("highlights")
        .iter()
        .filter_map(|h| Some((h["range"]["start"]["line"].as_u64()?, h["kind"].as_u64()?)))
        .collect();
    assert_eq!(kinds, [(5, 3), (6, 2), (6, 2)], "{highlights}");
    // The option's code is not renamed.
    let at_code = position(survey, "[plan", 1);
    let refused = client.request(
        "textDocument/rename",
        json!({ "textDocument": document, "position": at_code, "newName": "strategy" }),
    );
    assert!(
        refused["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("option's code")),
        "{refused}"
    );
    let unprepared = client.request(
        "textDocument/prepareRename",
        json!({ "textDocument": document, "position": at_code }),
    );
    assert!(
        unprepared["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("option's code")),
        "{unprepared}"
    );
    // The code's references: where the scale declares it and where the list names it.
    let codes = client.request(
        "textDocument/references",
        json!({ "textDocument": document, "position": at_code, "context": { "includeDeclaration": false } }),
    );
    assert_eq!(places(&codes), [("survey.q".to_owned(), 7, 47)], "{codes}");

    // Paragraph 17: cited twice here, declared in the module.
    let at_17 = position(survey, "guidelines 17", 11);
    let cited = client.request(
        "textDocument/references",
        json!({ "textDocument": document, "position": at_17, "context": { "includeDeclaration": true } }),
    );
    assert_eq!(
        places(&cited),
        [
            ("common.q".to_owned(), 2, 7),
            ("survey.q".to_owned(), 5, 63),
            ("survey.q".to_owned(), 6, 78),
        ],
        "{cited}"
    );
    let definition = client.request(
        "textDocument/definition",
        json!({ "textDocument": document, "position": at_17 }),
    );
    assert_eq!(definition["result"]["uri"], module_uri, "{definition}");
    assert_eq!(definition["result"]["range"]["start"]["line"], 2);
    // The path of an import leads to the module.
    let imported = client.request(
        "textDocument/definition",
        json!({ "textDocument": document, "position": position(survey, "\"common.q\"", 3) }),
    );
    assert_eq!(imported["result"]["uri"], module_uri, "{imported}");
    assert_eq!(imported["result"]["range"]["start"]["line"], 0);
    assert!(client.stop().1.success());
}

/// Completion after `on` offers the codes of the parent item: of the item the cursor is in,
/// or, on the line of an existing follow-up, of its parent.
#[test]
fn completion_after_on_offers_the_parents_codes() {
    let dir = tempfile::tempdir().expect("a folder");
    let folder = std::fs::canonicalize(dir.path()).expect("a folder");
    let survey = "instrument survey { title \"A survey\" }\nscale kind { plan \"A plan\" law \"A law\" }\n\nsection main \"Main\" {\n  question q1 \"What is there?\" : kind {\n    allow uncited\n    followup q1_title \"Its title?\" : text on plan\n  }\n}\n";
    std::fs::write(folder.join("survey.q"), survey).expect("survey");
    let (mut client, _) = Client::initialized();
    let uri = format!("file://{}/survey.q", folder.display());
    client.open(&uri, "q", survey);
    assert_eq!(client.diagnostics("survey.q"), Vec::<Value>::new());
    let labels = |answer: &Value| -> Vec<String> {
        answer["result"]["items"]
            .as_array()
            .or_else(|| answer["result"].as_array())
            .into_iter()
            .flatten()
            .filter_map(|item| item["label"].as_str().map(str::to_owned))
            .collect()
    };
    // On the follow-up's own line, after `on `.
    let at = position(survey, "on plan", 3);
    let answer = client.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": uri }, "position": at }),
    );
    assert_eq!(labels(&answer), ["plan", "law"], "{answer}");
    // A new follow-up, half typed (the text does not parse): the codes of the item it is in.
    let typing = survey.replace(
        "on plan\n",
        "on plan\n    followup q1_law \"Which law?\" : text on \n",
    );
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": typing }] }),
    );
    assert_eq!(client.diagnostics("survey.q").len(), 1);
    let at = position(&typing, "text on \n", 8);
    let answer = client.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": uri }, "position": at }),
    );
    assert_eq!(labels(&answer), ["plan", "law"], "{answer}");
    assert!(client.stop().1.success());
}
