//! `qc lsp`: a Language Server Protocol server on standard input and output, for the editors
//! of `.q` files. It runs the compiler's own stages on the documents as they are typed: each
//! change compiles the document with what it imports (open documents as the editor holds them,
//! the others from disk, inside the document's folder) and publishes every diagnostic of
//! `qc check`, in the file it is in. On the last instrument that compiled, it answers hover
//! (an item's number, type, condition and the paragraphs it cites; a scale's options),
//! go to definition, references and rename (by what each name stands for where the compiler
//! reads it: `symbols.rs`), completion (item ids, the codes an item takes after `id =`, scales
//! after `:`, paragraphs after `cites document`), document symbols, formatting, and code
//! actions for the diagnostics whose help names the one fix ("did you mean `x`?").

mod outline;
mod symbols;
mod text;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use serde_json::{json, Value};

use crate::load::{Loaded, Loader, Refused};
use crate::model::{AnswerType, Instrument};
use crate::{Compilation, Severity};

pub use text::{offset_of, path_of, position_of, uri_of};

/// The largest file the server reads from disk by default, as `qc check` (`--max-file-size`).
pub const MAX_FILE: u64 = 64 << 20;

/// Serves on standard input and output until the client shuts the server down, reading no file
/// from disk larger than `max_file` bytes.
pub fn run(max_file: u64) -> Result<(), String> {
    let (connection, threads) = Connection::stdio();
    let capabilities = json!({
        "textDocumentSync": 1,
        "hoverProvider": true,
        "definitionProvider": true,
        "completionProvider": { "triggerCharacters": [" ", "=", ":", "["] },
        "documentSymbolProvider": true,
        "codeActionProvider": true,
        "documentFormattingProvider": true,
        "referencesProvider": true,
        "renameProvider": { "prepareProvider": true },
        "documentHighlightProvider": true,
    });
    let initialize = json!({
        "capabilities": capabilities,
        "serverInfo": { "name": "qc", "version": env!("CARGO_PKG_VERSION") },
    });
    let (id, _) = connection
        .initialize_start()
        .map_err(|e| format!("the client did not initialize: {e}"))?;
    connection
        .initialize_finish(id, initialize)
        .map_err(|e| format!("the client did not initialize: {e}"))?;
    let mut server = Server {
        max_file,
        ..Server::default()
    };
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request).unwrap_or(true) {
                    break;
                }
                let response = server.request(request);
                let _ = connection.sender.send(Message::Response(response));
            }
            Message::Notification(notification) => {
                for out in server.notification(notification) {
                    let _ = connection.sender.send(Message::Notification(out));
                }
            }
            Message::Response(_) => {}
        }
    }
    drop(connection);
    threads
        .join()
        .map_err(|e| format!("the connection ended badly: {e}"))
}

/// The documents the editor holds, and what the server knows of each.
pub struct Server {
    /// The largest file read from disk.
    max_file: u64,
    /// The text of each open document, by its path.
    open: HashMap<PathBuf, String>,
    /// The last instrument each open document compiled to, with the files it was read from.
    compiled: HashMap<PathBuf, Analysis>,
    /// The files each document's last diagnostics were published in (to clear them after).
    published: HashMap<PathBuf, Vec<PathBuf>>,
}

/// A file, its text, and where a name is written in it: from, to, and whether that is where
/// it is declared.
type Places<'s> = (&'s Path, &'s str, Vec<(usize, usize, bool)>);

/// A `.q` file of an instrument that parses, as the editor holds it.
struct Parsed<'s> {
    path: &'s PathBuf,
    text: &'s str,
    file: crate::syntax::ast::File,
}

/// An instrument and the texts of its files, by path.
pub struct Analysis {
    pub instrument: Instrument,
    pub files: HashMap<PathBuf, (usize, String)>,
}

impl Default for Server {
    fn default() -> Server {
        Server {
            max_file: MAX_FILE,
            open: HashMap::new(),
            compiled: HashMap::new(),
            published: HashMap::new(),
        }
    }
}

impl Server {
    /// Answers a request; an unknown one with an error, as the protocol asks.
    pub fn request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        let params = request.params;
        let result = match request.method.as_str() {
            "textDocument/hover" => self.hover(&params),
            "textDocument/definition" => self.definition(&params),
            "textDocument/completion" => self.completion(&params),
            "textDocument/documentSymbol" => self.symbols(&params),
            "textDocument/codeAction" => Some(code_actions(&params)),
            "textDocument/formatting" => self.formatting(&params),
            "textDocument/references" => self.references(&params),
            "textDocument/documentHighlight" => self.highlights(&params),
            "textDocument/prepareRename" => match self.prepare_rename(&params) {
                Ok(range) => Some(range),
                Err(message) => {
                    return Response::new_err(
                        id,
                        lsp_server::ErrorCode::InvalidParams as i32,
                        message,
                    )
                }
            },
            "textDocument/rename" => match self.rename(&params) {
                Ok(edit) => Some(edit),
                Err(message) => {
                    return Response::new_err(
                        id,
                        lsp_server::ErrorCode::InvalidParams as i32,
                        message,
                    )
                }
            },
            _ => return method_not_found(id, &request.method),
        };
        Response::new_ok(id, result.unwrap_or(Value::Null))
    }

    /// Takes a notification; gives the diagnostics to publish.
    pub fn notification(&mut self, notification: Notification) -> Vec<Notification> {
        let params = notification.params;
        let uri = params
            .pointer("/textDocument/uri")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let Some(path) = path_of(&uri) else {
            return Vec::new();
        };
        match notification.method.as_str() {
            "textDocument/didOpen" => {
                let text = params
                    .pointer("/textDocument/text")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                self.open.insert(path.clone(), text.to_owned());
            }
            "textDocument/didChange" => {
                // Full synchronisation: the last change holds the whole text.
                let text = params
                    .pointer("/contentChanges")
                    .and_then(Value::as_array)
                    .and_then(|changes| changes.last())
                    .and_then(|change| change.get("text"))
                    .and_then(Value::as_str);
                if let Some(text) = text {
                    self.open.insert(path.clone(), text.to_owned());
                }
            }
            "textDocument/didClose" => {
                self.open.remove(&path);
                self.compiled.remove(&path);
                return self.clear(&path);
            }
            _ => return Vec::new(),
        }
        if path.extension().is_some_and(|e| e == "q") {
            return self.check(&path);
        }
        // Another file (a translation file): the documents that read it are checked again.
        let readers: Vec<PathBuf> = self
            .compiled
            .iter()
            .filter(|(_, analysis)| analysis.files.contains_key(&path))
            .map(|(document, _)| document.clone())
            .collect();
        readers
            .iter()
            .flat_map(|document| self.check(document))
            .collect()
    }

    /// Compiles an open document and gives its diagnostics, a notification per file (those of
    /// its last diagnostics that have none now, cleared).
    pub fn check(&mut self, path: &Path) -> Vec<Notification> {
        let Some(text) = self.open.get(path) else {
            return Vec::new();
        };
        let compilation = compile(path, text, &self.open, self.max_file);
        let mut by_file = diagnostics(&compilation);
        let files = texts(&compilation);
        if let Some(instrument) = compilation.instrument {
            self.compiled
                .insert(path.to_path_buf(), Analysis { instrument, files });
        }
        let before = self.published.remove(path).unwrap_or_default();
        for file in before {
            by_file.entry(file).or_default();
        }
        by_file.entry(path.to_path_buf()).or_default();
        self.published
            .insert(path.to_path_buf(), by_file.keys().cloned().collect());
        by_file
            .into_iter()
            .map(|(file, diagnostics)| {
                Notification::new(
                    "textDocument/publishDiagnostics".to_owned(),
                    json!({ "uri": uri_of(&file), "diagnostics": diagnostics }),
                )
            })
            .collect()
    }

    fn clear(&mut self, path: &Path) -> Vec<Notification> {
        self.published
            .remove(path)
            .unwrap_or_default()
            .into_iter()
            .map(|file| {
                Notification::new(
                    "textDocument/publishDiagnostics".to_owned(),
                    json!({ "uri": uri_of(&file), "diagnostics": [] }),
                )
            })
            .collect()
    }

    /// The document a request is about, its text, the word at its position and the analysis
    /// of the document.
    fn at<'s>(&'s self, params: &Value) -> Option<(PathBuf, &'s str, usize, &'s Analysis)> {
        let uri = params.pointer("/textDocument/uri")?.as_str()?;
        let path = path_of(uri)?;
        let text = self.open.get(&path)?;
        let line = params.pointer("/position/line")?.as_u64()?;
        let character = params.pointer("/position/character")?.as_u64()?;
        let offset = offset_of(text, line as usize, character as usize);
        // A translation file is read with the instrument whose last compilation read it.
        let analysis = self.compiled.get(&path).or_else(|| {
            self.compiled
                .values()
                .find(|analysis| analysis.files.contains_key(&path))
        })?;
        Some((path, text.as_str(), offset, analysis))
    }

    fn hover(&self, params: &Value) -> Option<Value> {
        let (path, text, offset, analysis) = self.at(params)?;
        let (files, declared) = self.parsed(analysis);
        let symbol = self
            .symbol_at(&path, text, offset, &files, &declared)
            .map(|(symbol, _)| symbol);
        let markdown = match symbol {
            // A paragraph after `cites document` or `quote document`: its text.
            Some(symbols::Symbol::Paragraph(document, paragraph)) => {
                cited(&analysis.instrument, &document, &paragraph)?
            }
            // A block: its signature.
            Some(symbols::Symbol::Block(name)) => files
                .iter()
                .flat_map(|parsed| outline::blocks(&parsed.file))
                .find(|(block, _)| *block == name)
                .map(|(_, signature)| format!("```q\n{signature}\n```"))?,
            _ => {
                let (word, _) = text::word_at(text, offset)?;
                describe(&analysis.instrument, word)?
            }
        };
        Some(json!({ "contents": { "kind": "markdown", "value": markdown } }))
    }

    fn definition(&self, params: &Value) -> Option<Value> {
        let (path, text, offset, analysis) = self.at(params)?;
        let (files, declared) = self.parsed(analysis);
        // The path of an import or a translation file: that file.
        if let Some(target) = linked_file(&path, offset, &files) {
            if let Some((target, (_, text))) = analysis.files.get_key_value(&target) {
                return Some(location(target, text, 0, 0));
            }
        }
        // In a translation file, a key (`q1.label`, `scale.yes_no.yes`) stands for the item
        // or the scale it translates.
        let (symbol, _) = self.symbol_at(&path, text, offset, &files, &declared)?;
        // An item: where the compiler declared it (in a block's expansion too).
        let item = match &symbol {
            symbols::Symbol::Item(id) => analysis.instrument.items.iter().find(|i| i.id == *id),
            _ => None,
        };
        if let Some(item) = item {
            for (path, (base, text)) in &analysis.files {
                let start = item.span.start;
                if start >= *base && start <= base + text.len() {
                    let (from, to) = (start - base, item.span.end.saturating_sub(*base));
                    return Some(location(path, text, from, to));
                }
            }
        }
        // Anything else: where the compiler reads its declaration.
        let declarations: Vec<Value> = self
            .places(analysis, &files, &declared, &symbol)
            .into_iter()
            .flat_map(|(path, text, spans)| {
                spans
                    .into_iter()
                    .filter(|(_, _, declaration)| *declaration)
                    .map(move |(from, to, _)| location(path, text, from, to))
            })
            .collect();
        match declarations.len() {
            0 => None,
            1 => declarations.into_iter().next(),
            _ => Some(Value::Array(declarations)),
        }
    }

    fn completion(&self, params: &Value) -> Option<Value> {
        let (path, text, offset, analysis) = self.at(params)?;
        let instrument = &analysis.instrument;
        let before = text.get(..offset)?;
        let line = before.rsplit('\n').next().unwrap_or(before);
        let items: Vec<Value> = match text::context(line) {
            text::Context::Codes(id) => codes(instrument, &id),
            text::Context::ParentCodes => {
                let line_start = offset - line.len();
                parent_at(analysis, &path, line_start)
                    .map(|parent| codes(instrument, &parent))
                    .unwrap_or_default()
            }
            text::Context::Paragraphs(document) => instrument
                .documents
                .iter()
                .filter(|d| d.id == document || document.ends_with(&format!(".{}", d.id)))
                .flat_map(|d| &d.paragraphs)
                .map(|p| completion(&p.number, 12, p.text.as_deref().unwrap_or("pending")))
                .collect(),
            text::Context::Type => instrument
                .scales
                .iter()
                .filter_map(|s| s.name.as_deref().map(|name| (name, s)))
                .map(|(name, s)| {
                    let codes: Vec<&str> = s.options.iter().map(|o| o.code.as_str()).collect();
                    completion(name, 7, &codes.join(", "))
                })
                .chain(
                    [
                        "text",
                        "long_text",
                        "date",
                        "country",
                        "number",
                        "integer",
                        "amount",
                        "one of",
                        "many of",
                        "list",
                    ]
                    .iter()
                    .map(|t| completion(t, 14, "answer type")),
                )
                .collect(),
            text::Context::Block => self
                .parsed(analysis)
                .0
                .iter()
                .flat_map(|parsed| outline::blocks(&parsed.file))
                .map(|(name, signature)| completion(&name, 3, &signature))
                .collect(),
            text::Context::Item => instrument
                .items
                .iter()
                .map(|item| {
                    let detail = match &item.number {
                        Some(n) => format!("{n} · {}", instrument.written(&item.label)),
                        None => instrument.written(&item.label),
                    };
                    completion(&item.id, 6, &detail)
                })
                .collect(),
        };
        Some(json!({ "isIncomplete": false, "items": items }))
    }

    /// The `.q` files of a document's last compilation, each with its text as the editor holds
    /// it (or as it was read).
    fn sources<'s>(&'s self, analysis: &'s Analysis) -> Vec<(&'s PathBuf, &'s str)> {
        let mut files: Vec<(&PathBuf, &str)> = analysis
            .files
            .iter()
            .map(|(path, (_, text))| {
                let text = self.open.get(path).map_or(text.as_str(), String::as_str);
                (path, text)
            })
            .collect();
        files.sort_by(|a, b| a.0.cmp(b.0));
        files
    }

    /// The `.q` files of an instrument as the editor holds them, those that parse with their
    /// ASTs, and the names declared across them.
    fn parsed<'s>(&'s self, analysis: &'s Analysis) -> (Vec<Parsed<'s>>, symbols::Declared) {
        let files: Vec<Parsed<'s>> = self
            .sources(analysis)
            .into_iter()
            .filter(|(path, _)| path.extension().is_some_and(|e| e == "q"))
            .filter_map(|(path, text)| {
                crate::syntax::parse(text)
                    .ok()
                    .map(|file| Parsed { path, text, file })
            })
            .collect();
        let declared = symbols::Declared::of(files.iter().map(|parsed| &parsed.file))
            .with_choices(&analysis.instrument);
        (files, declared)
    }

    /// What the name under the cursor stands for: in a `.q` file, as the compiler reads it; in
    /// a translation file, the item or scale of the key (`q1.label`, `scale.yes_no.yes`).
    fn symbol_at(
        &self,
        path: &Path,
        text: &str,
        offset: usize,
        files: &[Parsed<'_>],
        declared: &symbols::Declared,
    ) -> Option<(symbols::Symbol, (usize, usize))> {
        if path.extension().is_some_and(|e| e == "json") {
            let (word, (start, _)) = text::word_at(text, offset)?;
            let (symbol, skip) = match word.split('.').collect::<Vec<_>>().as_slice() {
                ["scale", scale, ..] => (symbols::Symbol::Scale((*scale).to_owned()), 6),
                [item, ..] => (symbols::Symbol::Item((*item).to_owned()), 0),
                [] => return None,
            };
            let from = start + skip;
            return Some((symbol.clone(), (from, from + symbol.name().len())));
        }
        let parsed = files.iter().find(|parsed| parsed.path == path)?;
        let occurrences = symbols::occurrences(&parsed.file, declared);
        symbols::at(&occurrences, offset).map(|o| (o.symbol.clone(), (o.start, o.end)))
    }

    /// Where the name under the cursor is written: in every `.q` file of the instrument,
    /// where the compiler reads that name as the same thing, and in the keys of its
    /// translation files for an item or a scale.
    fn references(&self, params: &Value) -> Option<Value> {
        let (path, text, offset, analysis) = self.at(params)?;
        let (files, declared) = self.parsed(analysis);
        let (symbol, _) = self.symbol_at(&path, text, offset, &files, &declared)?;
        let with_declaration = params
            .pointer("/context/includeDeclaration")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        let mut locations = Vec::new();
        for (path, text, spans) in self.places(analysis, &files, &declared, &symbol) {
            for (from, to, declaration) in spans {
                if with_declaration || !declaration {
                    locations.push(location(path, text, from, to));
                }
            }
        }
        Some(Value::Array(locations))
    }

    /// Each file where a symbol is written, with where (and whether that is its declaration).
    fn places<'s>(
        &'s self,
        analysis: &'s Analysis,
        files: &[Parsed<'s>],
        declared: &symbols::Declared,
        symbol: &symbols::Symbol,
    ) -> Vec<Places<'s>> {
        let mut out = Vec::new();
        for parsed in files {
            let spans: Vec<(usize, usize, bool)> = symbols::occurrences(&parsed.file, declared)
                .into_iter()
                .filter(|o| o.symbol == *symbol)
                .map(|o| (o.start, o.end, o.declaration))
                .collect();
            if !spans.is_empty() {
                out.push((parsed.path.as_path(), parsed.text, spans));
            }
        }
        // A translation file's keys: `q1.label`, `scale.yes_no.yes`.
        let prefix = match symbol {
            symbols::Symbol::Item(id) => Some(("\"".to_owned(), id)),
            symbols::Symbol::Scale(name) => Some(("\"scale.".to_owned(), name)),
            _ => None,
        };
        if let Some((before, name)) = prefix {
            let key = format!("{before}{name}.");
            for (path, text) in self.sources(analysis) {
                if path.extension().is_none_or(|e| e != "json") {
                    continue;
                }
                let spans: Vec<(usize, usize, bool)> = text
                    .match_indices(key.as_str())
                    .map(|(at, _)| (at + before.len(), at + before.len() + name.len(), false))
                    .collect();
                if !spans.is_empty() {
                    out.push((path.as_path(), text, spans));
                }
            }
        }
        out
    }

    /// Renames an item, scale, document, special answer, block, named rows, heading of the
    /// report or block parameter everywhere the compiler reads it as that: the instrument's
    /// `.q` files (`{pipes}` too) and the keys of its translation files. Refused for an
    /// option's code and a paragraph's number (which replies and documents hold), and for a
    /// new name that is not a name or is taken.
    fn rename(&self, params: &Value) -> Result<Value, String> {
        let (path, text, offset, analysis) = self.at(params).ok_or("nothing to rename here")?;
        let (files, declared) = self.parsed(analysis);
        let (symbol, _) = self
            .symbol_at(&path, text, offset, &files, &declared)
            .ok_or("no name here")?;
        let new = params
            .get("newName")
            .and_then(Value::as_str)
            .ok_or("no new name")?;
        if !text::is_identifier(new) {
            return Err(format!(
                "`{new}` is not a name: a letter or `_`, then letters, digits or `_`"
            ));
        }
        renamable(&symbol)?;
        // A parameter's new name is taken in its block, a heading's among the headings, and
        // any other's by what the instrument declares.
        let rival = match &symbol {
            symbols::Symbol::Parameter(block, _) => {
                Some(symbols::Symbol::Parameter(block.clone(), new.to_owned()))
            }
            symbols::Symbol::Heading(_) => Some(symbols::Symbol::Heading(new.to_owned())),
            _ => None,
        };
        let taken = match rival {
            Some(rival) => files.iter().any(|parsed| {
                symbols::occurrences(&parsed.file, &declared)
                    .iter()
                    .any(|o| o.symbol == rival)
            }),
            None => declared.taken(new),
        };
        if taken {
            return Err(format!("`{new}` is taken"));
        }
        let mut changes = serde_json::Map::new();
        for (path, text, spans) in self.places(analysis, &files, &declared, &symbol) {
            let edits: Vec<Value> = spans
                .into_iter()
                .map(|(from, to, _)| {
                    json!({
                        "range": { "start": position_of(text, from), "end": position_of(text, to) },
                        "newText": new,
                    })
                })
                .collect();
            changes.insert(uri_of(path), Value::Array(edits));
        }
        Ok(json!({ "changes": changes }))
    }

    /// Whether the name under the cursor can be renamed: its range and its name, or why not.
    fn prepare_rename(&self, params: &Value) -> Result<Value, String> {
        let (path, text, offset, analysis) = self.at(params).ok_or("nothing to rename here")?;
        let (files, declared) = self.parsed(analysis);
        let (symbol, (from, to)) = self
            .symbol_at(&path, text, offset, &files, &declared)
            .ok_or("no name here")?;
        renamable(&symbol)?;
        Ok(json!({
            "range": { "start": position_of(text, from), "end": position_of(text, to) },
            "placeholder": symbol.name(),
        }))
    }

    /// Where the name under the cursor is written in this document, as the compiler reads it:
    /// its declaration as written to, the rest as read.
    fn highlights(&self, params: &Value) -> Option<Value> {
        let (path, text, offset, analysis) = self.at(params)?;
        let (files, declared) = self.parsed(analysis);
        let parsed = files.iter().find(|parsed| parsed.path == &path)?;
        let occurrences = symbols::occurrences(&parsed.file, &declared);
        let symbol = &symbols::at(&occurrences, offset)?.symbol;
        let highlights: Vec<Value> = occurrences
            .iter()
            .filter(|o| o.symbol == *symbol)
            .map(|o| {
                json!({
                    "range": { "start": position_of(text, o.start), "end": position_of(text, o.end) },
                    "kind": if o.declaration { 3 } else { 2 },
                })
            })
            .collect();
        Some(Value::Array(highlights))
    }

    /// The document laid out as `qc fmt` lays it out: one edit of the whole text, none when
    /// it is laid out so already, or when it does not parse.
    fn formatting(&self, params: &Value) -> Option<Value> {
        let uri = params.pointer("/textDocument/uri")?.as_str()?;
        let text = self.open.get(&path_of(uri)?)?;
        let formatted = crate::format::format(text).ok()?;
        if formatted == *text {
            return Some(json!([]));
        }
        Some(json!([{
            "range": { "start": position_of(text, 0), "end": position_of(text, text.len()) },
            "newText": formatted,
        }]))
    }

    fn symbols(&self, params: &Value) -> Option<Value> {
        let uri = params.pointer("/textDocument/uri")?.as_str()?;
        let path = path_of(uri)?;
        let text = self.open.get(&path)?;
        // As typed when it parses; else as it last compiled.
        let parsed = crate::syntax::parse(text).map(|file| (file, text.as_str()));
        let (file, text) = match parsed {
            Ok(parsed) => parsed,
            Err(_) => {
                let (_, text) = self.compiled.get(&path)?.files.get(&path)?;
                (crate::syntax::parse(text).ok()?, text.as_str())
            }
        };
        Some(Value::Array(outline::outline(&file, text)))
    }
}

/// Whether a name can be renamed: not an option's code, which the replies collected hold, nor
/// a paragraph's number, which is the document's.
fn renamable(symbol: &symbols::Symbol) -> Result<(), String> {
    let name = symbol.name();
    match symbol {
        symbols::Symbol::Code(..) => Err(format!(
            "`{name}` is an option's code, which the replies collected hold: renaming it would make them invalid (`qc diff` calls it breaking); change it by hand if you mean to"
        )),
        symbols::Symbol::Paragraph(..) => {
            Err(format!("`{name}` is a paragraph's number, the document's own"))
        }
        _ => Ok(()),
    }
}

/// The file an import or a translation declaration at `offset` of the document names.
fn linked_file(path: &Path, offset: usize, files: &[Parsed<'_>]) -> Option<PathBuf> {
    use crate::syntax::ast::Declaration;
    let parsed = files.iter().find(|parsed| parsed.path == path)?;
    let written = parsed.file.declarations.iter().find_map(|declaration| {
        let text = match declaration {
            Declaration::Import(import) => &import.path,
            Declaration::Translation(translation) => &translation.path,
            _ => return None,
        };
        (text.span.start <= offset && offset <= text.span.end).then_some(&text.value)
    })?;
    crate::load::fold(path.parent()?, written, Path::new("/")).ok()
}

fn method_not_found(id: RequestId, method: &str) -> Response {
    Response::new_err(
        id,
        lsp_server::ErrorCode::MethodNotFound as i32,
        format!("qc lsp does not answer `{method}`"),
    )
}

fn completion(label: &str, kind: u32, detail: &str) -> Value {
    json!({ "label": label, "kind": kind, "detail": detail })
}

/// The item a sub-item written on the line that starts at `line_start` of a document is under:
/// the innermost item that, in the text that last compiled, starts before that offset and ends
/// after it. (The lines before the one being typed are taken to be as they were.)
fn parent_at(analysis: &Analysis, path: &Path, line_start: usize) -> Option<String> {
    let (_, text) = analysis.files.get(path)?;
    let file = crate::syntax::parse(text).ok()?;
    outline::items_around(&file, text, line_start).pop()
}

/// The codes an item takes, for `id = ` and `id in [`: its options, and its special answers.
fn codes(instrument: &Instrument, id: &str) -> Vec<Value> {
    let Some(item) = instrument.items.iter().find(|item| item.id == id) else {
        return Vec::new();
    };
    let mut out: Vec<Value> = match &item.answer {
        Some(AnswerType::Choice { scale, .. }) => instrument
            .scale(*scale)
            .options
            .iter()
            .map(|o| completion(&o.code, 20, &instrument.written(&o.label)))
            .collect(),
        _ => Vec::new(),
    };
    out.extend(
        item.specials
            .iter()
            .map(|code| completion(code, 20, "special answer")),
    );
    out
}

fn location(path: &Path, text: &str, from: usize, to: usize) -> Value {
    json!({
        "uri": uri_of(path),
        "range": { "start": position_of(text, from), "end": position_of(text, to) },
    })
}

/// What hover says of a name: an item, a scale, a document.
pub fn describe(instrument: &Instrument, word: &str) -> Option<String> {
    if let Some(item) = instrument.items.iter().find(|item| item.id == word) {
        let mut out = match &item.number {
            Some(number) => format!("**{number}** `{}`", item.id),
            None => format!("`{}`", item.id),
        };
        out.push_str(&format!("\n\n{}", instrument.written(&item.label)));
        if let Some(answer) = &item.answer {
            out.push_str(&format!(
                "\n\n*Answer:* {}",
                answer_text(instrument, answer)
            ));
        }
        if let Some(condition) = &item.condition {
            let written = crate::dataset::written::condition(instrument, None, condition);
            out.push_str(&format!("\n\n*Asked when:* `{written}`"));
        }
        if item.required {
            out.push_str("\n\n*Required*");
        }
        for citation in &item.citations {
            let Some(document) = instrument
                .documents
                .iter()
                .nth(usize::from(citation.document))
            else {
                continue;
            };
            let Some(paragraph) = document
                .paragraphs
                .iter()
                .nth(usize::from(citation.paragraph))
            else {
                continue;
            };
            let text = paragraph.text.as_deref().unwrap_or("(text pending)");
            out.push_str(&format!(
                "\n\n> {}, para. {}: {}",
                document.title, paragraph.number, text
            ));
        }
        return Some(out);
    }
    let name = word.rsplit('.').next().unwrap_or(word);
    if let Some(scale) = instrument
        .scales
        .iter()
        .find(|s| s.name.as_deref() == Some(name))
    {
        let options: Vec<String> = scale
            .options
            .iter()
            .map(|o| format!("- `{}` {}", o.code, instrument.written(&o.label)))
            .collect();
        return Some(format!("scale `{name}`\n\n{}", options.join("\n")));
    }
    if let Some(document) = instrument.documents.iter().find(|d| d.id == name) {
        return Some(format!(
            "document `{name}`: {} ({} paragraphs)",
            document.title,
            document.paragraphs.len()
        ));
    }
    None
}

/// What hover says of a paragraph of a document: its number, heading and text.
fn cited(instrument: &Instrument, document: &str, paragraph: &str) -> Option<String> {
    let name = document.rsplit('.').next().unwrap_or(document);
    let document = instrument.documents.iter().find(|d| d.id == name)?;
    let found = document.paragraphs.iter().find(|p| p.number == paragraph)?;
    let mut out = format!("**{}, para. {}**", document.title, found.number);
    if let Some(heading) = &found.heading {
        out.push_str(&format!(" ({heading})"));
    }
    out.push_str(&format!(
        "\n\n{}",
        found.text.as_deref().unwrap_or("(text pending)")
    ));
    for sub in &found.subparagraphs {
        out.push_str(&format!(
            "\n\n({}) {}",
            sub.letter,
            sub.text.as_deref().unwrap_or("(text pending)")
        ));
    }
    Some(out)
}

fn answer_text(instrument: &Instrument, answer: &AnswerType) -> String {
    match answer {
        AnswerType::Choice { scale, multiple } => {
            let scale = instrument.scale(*scale);
            let codes: Vec<&str> = scale.options.iter().map(|o| o.code.as_str()).collect();
            format!(
                "{} `{}` ({})",
                if *multiple { "many of" } else { "one of" },
                scale.name.as_deref().unwrap_or("options"),
                codes.join(", ")
            )
        }
        AnswerType::Text { long: true } => "long text".to_owned(),
        AnswerType::Text { long: false } => "text".to_owned(),
        AnswerType::Date => "a date".to_owned(),
        AnswerType::Country => "a country (ISO 3166-1 alpha-3 code)".to_owned(),
        AnswerType::Number { integer, min, max } => {
            let mut out = if *integer {
                "a whole number"
            } else {
                "a number"
            }
            .to_owned();
            if let Some(min) = min {
                out.push_str(&format!(", min {min}"));
            }
            if let Some(max) = max {
                out.push_str(&format!(", max {max}"));
            }
            out
        }
        AnswerType::Amount { currencies } if currencies.is_empty() => "an amount".to_owned(),
        AnswerType::Amount { currencies } => format!("an amount in {}", currencies.join(", ")),
        AnswerType::List(list) => format!("a list of records ({} fields)", list.fields.len()),
        AnswerType::Grid(grid) => format!(
            "a grid ({} rows, {} columns)",
            grid.rows.len(),
            grid.columns.len()
        ),
        AnswerType::Table(table) => format!(
            "a table ({} rows, {} columns)",
            table.rows.len(),
            table.columns.len()
        ),
    }
}

/// Compiles a document as the editor holds it, with what it imports.
pub fn compile(
    path: &Path,
    text: &str,
    open: &HashMap<PathBuf, String>,
    max_file: u64,
) -> Compilation {
    let name = path.display().to_string();
    let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut loader = Overlay {
        real_root: std::fs::canonicalize(&root).unwrap_or_else(|_| root.clone()),
        root,
        open,
        limit: max_file,
    };
    crate::compile_with(&name, text.as_bytes(), &mut loader)
}

/// The diagnostics of a compilation, in the protocol's terms, by the file they are in.
pub fn diagnostics(compilation: &Compilation) -> HashMap<PathBuf, Vec<Value>> {
    let mut out: HashMap<PathBuf, Vec<Value>> = HashMap::new();
    for diagnostic in &compilation.diagnostics {
        let (file, local) = compilation.sources.locate(diagnostic.span());
        if file.withheld {
            continue;
        }
        let severity = match diagnostic.severity() {
            Severity::Error => 1,
            Severity::Warning => 2,
            Severity::Note => 3,
        };
        let mut message = diagnostic.to_string();
        if let Some(help) = miette::Diagnostic::help(diagnostic) {
            message.push_str(&format!("\nhelp: {help}"));
        }
        let code = diagnostic.code_str();
        // The code's long explanation, as `qc explain` gives it: its title here, the command
        // for the rest.
        if let Some(title) = crate::explain::title(&code) {
            message.push_str(&format!("\n{code}: {title} (`qc explain {code}`)"));
        }
        out.entry(PathBuf::from(&file.name))
            .or_default()
            .push(json!({
                "range": {
                    "start": position_of(&file.text, local.start),
                    "end": position_of(&file.text, local.end),
                },
                "severity": severity,
                "code": code,
                "source": "qc",
                "message": message,
            }));
    }
    out
}

/// The texts of a compilation's files, with where each starts in its map, by path.
fn texts(compilation: &Compilation) -> HashMap<PathBuf, (usize, String)> {
    compilation
        .sources
        .files()
        .filter(|(_, file)| !file.withheld)
        .map(|(_, file)| (PathBuf::from(&file.name), (file.base, file.text.clone())))
        .collect()
}

/// Code actions: for each diagnostic of the request whose help names one fix, "did you mean
/// `x`?", the edit that makes it.
pub fn code_actions(params: &Value) -> Value {
    let uri = params
        .pointer("/textDocument/uri")
        .cloned()
        .unwrap_or(Value::Null);
    let actions: Vec<Value> = params
        .pointer("/context/diagnostics")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|diagnostic| {
            let message = diagnostic.get("message")?.as_str()?;
            let fix = text::suggestion(message)?;
            let range = diagnostic.get("range")?.clone();
            let uri = uri.as_str()?;
            Some(json!({
                "title": format!("Replace with `{fix}`"),
                "kind": "quickfix",
                "diagnostics": [diagnostic],
                "isPreferred": true,
                "edit": { "changes": { uri: [{ "range": range, "newText": fix }] } },
            }))
        })
        .collect();
    Value::Array(actions)
}

/// Reads what a document imports: open documents as the editor holds them, other files from
/// disk, each inside the document's folder and within the size limit.
struct Overlay<'a> {
    /// The document's folder, as the editor names it, and as the file system does.
    root: PathBuf,
    real_root: PathBuf,
    open: &'a HashMap<PathBuf, String>,
    limit: u64,
}

impl Loader for Overlay<'_> {
    fn load(&mut self, importer: &str, path: &str) -> Result<Loaded, Refused> {
        let folder = Path::new(importer).parent().unwrap_or(Path::new(""));
        let candidate = crate::load::fold(folder, path, &self.root)?;
        let name = candidate.display().to_string();
        if let Some(text) = self.open.get(&candidate) {
            return Ok(Loaded {
                key: name.clone(),
                name,
                bytes: text.as_bytes().to_vec(),
            });
        }
        let real =
            std::fs::canonicalize(&candidate).map_err(|e| Refused::Unreadable(e.to_string()))?;
        if !real.starts_with(&self.real_root) {
            return Err(Refused::OutsideRoot {
                reason: "a symbolic link that leads out of the instrument's root",
            });
        }
        let metadata = std::fs::metadata(&real).map_err(|e| Refused::Unreadable(e.to_string()))?;
        if !metadata.is_file() {
            return Err(Refused::Unreadable("not a regular file".to_owned()));
        }
        if metadata.len() > self.limit {
            return Err(Refused::Unreadable(format!(
                "larger than {} bytes (--max-file-size)",
                self.limit
            )));
        }
        let bytes = std::fs::read(&real).map_err(|e| Refused::Unreadable(e.to_string()))?;
        Ok(Loaded {
            key: real.display().to_string(),
            name,
            bytes,
        })
    }
}
