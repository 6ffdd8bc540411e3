//! What a keystroke costs `qc lsp`: the bundled instrument, as an editor holds it, compiled
//! with what it imports (read from disk) and its diagnostics turned into the protocol's, as
//! the server does on each change; then a hover and a completion on the result; and references,
//! rename and the outline. A keystroke's diagnostics are meant to take well under 50 ms. Run
//! with `cargo bench --bench lsp`.

use std::collections::HashMap;
use std::path::PathBuf;

use qc::lsp::{Server, MAX_FILE};
use serde_json::json;

fn main() {
    divan::main();
}

fn entry() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("questionnaires/crime-prevention.q")
}

/// The bundled instrument's text, its URI, and the position (line, character) of `q25` where
/// a test answers it.
fn at_q25() -> (String, String, (usize, usize)) {
    let path = entry();
    let text = std::fs::read_to_string(&path).expect("the bundled instrument");
    let uri = qc::lsp::uri_of(&path);
    let offset = text.find("q25 = yes").expect("a test's answer") + 1;
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let character = before.len() - before.rfind('\n').map_or(0, |i| i + 1);
    (text, uri, (line, character))
}

/// One change: the document compiled with its imports and its diagnostics published.
#[divan::bench]
fn keystroke_diagnostics(bencher: divan::Bencher) {
    let path = entry();
    let text = std::fs::read_to_string(&path).expect("the bundled instrument");
    assert!(text.len() as u64 <= MAX_FILE);
    let open: HashMap<PathBuf, String> = HashMap::from([(path.clone(), text.clone())]);
    bencher.bench(|| {
        let compilation = qc::lsp::compile(divan::black_box(&path), &text, &open, MAX_FILE);
        qc::lsp::diagnostics(&compilation)
    });
}

/// Opening the document through the server, then a hover and a completion on it.
#[divan::bench]
fn open_hover_complete(bencher: divan::Bencher) {
    let (text, uri, (line, character)) = at_q25();
    bencher.bench(|| {
        let mut server = Server::default();
        let open = lsp_server::Notification::new(
            "textDocument/didOpen".to_owned(),
            json!({ "textDocument": { "uri": uri, "languageId": "q", "version": 1, "text": text } }),
        );
        let published = server.notification(open);
        let position = json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } });
        let hover = server.request(lsp_server::Request::new(
            1.into(),
            "textDocument/hover".to_owned(),
            position.clone(),
        ));
        let completion = server.request(lsp_server::Request::new(
            2.into(),
            "textDocument/completion".to_owned(),
            position,
        ));
        (published, hover, completion)
    });
}

/// On the document opened once: the references of `q25` across the instrument's files, a
/// rename of it, and the outline (each read from the ASTs of the files, as the server does on
/// each such request).
#[divan::bench]
fn references_rename_outline(bencher: divan::Bencher) {
    let (text, uri, (line, character)) = at_q25();
    let mut server = Server::default();
    server.notification(lsp_server::Notification::new(
        "textDocument/didOpen".to_owned(),
        json!({ "textDocument": { "uri": uri, "languageId": "q", "version": 1, "text": text } }),
    ));
    let at = json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } });
    bencher.bench_local(|| {
        let mut references = at.clone();
        references["context"] = json!({ "includeDeclaration": true });
        let found = server.request(lsp_server::Request::new(
            1.into(),
            "textDocument/references".to_owned(),
            references,
        ));
        let places = found
            .response_result
            .as_ref()
            .ok()
            .and_then(|r| r.as_array());
        assert!(places.is_some_and(|places| places.len() > 3), "{found:?}");
        let mut rename = at.clone();
        rename["newName"] = json!("needs_assistance");
        let renamed = server.request(lsp_server::Request::new(
            2.into(),
            "textDocument/rename".to_owned(),
            rename,
        ));
        let outline = server.request(lsp_server::Request::new(
            3.into(),
            "textDocument/documentSymbol".to_owned(),
            json!({ "textDocument": { "uri": uri } }),
        ));
        (found, renamed, outline)
    });
}
