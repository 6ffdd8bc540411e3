//! Load: from the entry file to the program, every file it imports parsed and in order.
//!
//! Reading a file is the caller's: the library asks a [`Loader`] for the bytes of each import
//! (the `qc` binary reads the file system; tests and library users may serve files from memory
//! with [`MemoryLoader`]). This stage parses each file once, finds import cycles and files
//! that cannot be read, and orders the modules so that every module comes after the modules it
//! imports and the entry file comes last. It resolves no names: that is `check`.

pub mod translation;

use miette::Diagnostic;
use rustc_hash::FxHashMap as HashMap;
use thiserror::Error;

use crate::source::{FileId, SourceMap};
use crate::span::{Note, Span};
use crate::syntax::{self, ast, SyntaxError};

/// A diagnostic of the load stage: a file that could not be read or parsed, or an import cycle.
#[derive(Clone, Debug, Error, Diagnostic, PartialEq)]
pub enum LoadError {
    /// The first syntax error of a file.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Syntax(SyntaxError),

    #[error("cannot read `{path}`")]
    #[diagnostic(
        code(E0118),
        help("the path is relative to the folder of the file that names it")
    )]
    Unreadable {
        path: String,
        #[label("{reason}")]
        span: Span,
        reason: String,
    },

    #[error("`{path}` is outside the instrument's root")]
    #[diagnostic(
        code(E0134),
        help("imports and translation files are read from the instrument's folder and the folders below it, and nothing else is opened; `--root DIR` widens the root to DIR")
    )]
    OutsideRoot {
        path: String,
        #[label("{reason}")]
        span: Span,
        reason: &'static str,
    },

    #[error("imports form a cycle: {cycle}")]
    #[diagnostic(
        code(E0119),
        help("a file cannot import itself, directly or through others; move what both need into a third file")
    )]
    ImportCycle {
        cycle: String,
        #[label("this import closes the cycle")]
        span: Span,
        #[related]
        rest: Vec<Note>,
    },

    #[error("{problem}")]
    #[diagnostic(
        code(E0127),
        help("a translation file is JSON: {{\"language\": \"fr\", \"strings\": {{\"q1.label\": {{\"source_hash\": \"…\", \"text\": \"…\"}}}}}}; `qc translations new` writes one")
    )]
    TranslationFile {
        problem: translation::Problem,
        #[label("{}", problem.label())]
        span: Span,
    },
}

/// A file the loader found.
pub struct Loaded {
    /// How diagnostics name the file, such as `questionnaires/common/scales.q`.
    pub name: String,
    /// What makes the file itself: two imports with the same key are the same module.
    pub key: String,
    pub bytes: Vec<u8>,
}

/// Why a loader did not read a file a program names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refused {
    /// The path leads outside the instrument's root: it is absolute, its `..` climb above the
    /// root, or a symbolic link on the way leads out. Nothing was opened.
    OutsideRoot {
        /// Which of these it is, for the person: "an absolute path".
        reason: &'static str,
    },
    /// The file is inside the root but could not be read: it does not exist, is not a regular
    /// file, or is larger than the limit. A message for the person, such as "no such file".
    Unreadable(String),
}

/// Reads the files a program names.
pub trait Loader {
    /// Reads the file at `path`, as written in the file named `importer`: relative paths are
    /// relative to the importer's folder, and a loader reads nothing outside its root.
    fn load(&mut self, importer: &str, path: &str) -> Result<Loaded, Refused>;
}

/// One parsed file of a program.
#[derive(Debug)]
pub struct Module {
    pub file: FileId,
    pub ast: ast::File,
    /// For each import declaration of the file, in order: the index of the imported module.
    pub imports: Vec<usize>,
}

/// A file named by a `translation` declaration of the entry file, read.
#[derive(Debug)]
pub struct TranslationSource {
    pub language: String,
    /// The span of the declaration.
    pub span: Span,
    pub file: FileId,
    pub contents: translation::File,
}

/// The entry file and every file it imports, parsed.
#[derive(Debug)]
pub struct Program {
    pub sources: SourceMap,
    /// Every module after those it imports; the entry file is the last.
    pub modules: Vec<Module>,
    pub translations: Vec<TranslationSource>,
}

impl Program {
    /// The entry file's module: the last, once loading found no error.
    pub fn entry(&self) -> Option<&Module> {
        self.modules.last()
    }
}

/// Loads the program whose entry file is `name`, with text `bytes`, and the diagnostics of the
/// files that could not be read or parsed. The program holds the sources read whatever
/// happens; it is whole, and may be checked, only when there are no diagnostics.
pub fn load(name: &str, bytes: &[u8], loader: &mut dyn Loader) -> (Program, Vec<LoadError>) {
    let mut state = State {
        loader,
        sources: SourceMap::default(),
        modules: Vec::new(),
        keys: HashMap::default(),
        stack: Vec::new(),
        diagnostics: Vec::new(),
    };
    let entry = Loaded {
        name: name.to_owned(),
        key: name.to_owned(),
        bytes: bytes.to_vec(),
    };
    let entry = state.module(entry);
    let translations = match entry {
        Some(entry) => state.translations(entry),
        None => Vec::new(),
    };
    let State {
        sources,
        modules,
        diagnostics,
        ..
    } = state;
    let program = Program {
        sources,
        modules: modules.into_iter().flatten().collect(),
        translations,
    };
    (program, diagnostics)
}

/// A module whose imports are loading.
struct Frame {
    key: String,
    name: String,
    /// The import of this module being followed.
    import: Option<Span>,
}

struct State<'l> {
    loader: &'l mut dyn Loader,
    sources: SourceMap,
    /// Modules by index, filled in once parsed; a module is `None` while its imports load.
    modules: Vec<Option<Module>>,
    keys: HashMap<String, usize>,
    /// The modules being loaded, outermost first.
    stack: Vec<Frame>,
    diagnostics: Vec<LoadError>,
}

impl State<'_> {
    /// Parses a file and, first, every file it imports. Returns its module index.
    fn module(&mut self, loaded: Loaded) -> Option<usize> {
        let text = match syntax::decode(&loaded.name, &loaded.bytes) {
            Ok(text) => text.to_owned(),
            Err(error) => {
                // Bytes that are not text are named, never shown.
                let file = self.sources.add_withheld(&loaded.name);
                let base = self.sources.file(file).base;
                self.diagnostics
                    .push(LoadError::Syntax(error.shifted(base)));
                return None;
            }
        };
        if !syntax::looks_like_source(&text) {
            // A file that is not `.q` at all (a key file, `/etc/passwd` behind a link) is
            // named, never quoted: not in an excerpt, not in a "found `…`".
            let file = self.sources.add_withheld(&loaded.name);
            let base = self.sources.file(file).base;
            self.diagnostics
                .push(LoadError::Syntax(SyntaxError::NotSource {
                    file: loaded.name.clone(),
                    span: Span::at(base),
                }));
            return None;
        }
        let file = self.sources.add(&loaded.name, text);
        let source = self.sources.file(file);
        let ast = match syntax::parse_at(&source.text, source.base) {
            Ok(ast) => ast,
            Err(error) => {
                self.diagnostics.push(LoadError::Syntax(error));
                return None;
            }
        };
        let mut imports = Vec::new();
        self.stack.push(Frame {
            key: loaded.key.clone(),
            name: loaded.name.clone(),
            import: None,
        });
        for declaration in &ast.declarations {
            let ast::Declaration::Import(import) = declaration else {
                continue;
            };
            if let Some(top) = self.stack.last_mut() {
                top.import = Some(import.path.span);
            }
            let imported = self.import(&loaded.name, import);
            // A placeholder keeps the import list in step with the declarations; the program
            // is not checked when an import failed.
            imports.push(imported.unwrap_or(usize::MAX));
        }
        self.stack.pop();
        let index = self.modules.len();
        self.modules.push(Some(Module { file, ast, imports }));
        self.keys.insert(loaded.key, index);
        Some(index)
    }

    fn import(&mut self, importer: &str, import: &ast::Import) -> Option<usize> {
        let span = import.path.span;
        let loaded = match self.loader.load(importer, &import.path.value) {
            Ok(loaded) => loaded,
            Err(error) => {
                self.refused(&import.path.value, span, error);
                return None;
            }
        };
        if let Some(start) = self.stack.iter().position(|frame| frame.key == loaded.key) {
            self.cycle(start, &loaded.name);
            return None;
        }
        if let Some(&index) = self.keys.get(&loaded.key) {
            return Some(index);
        }
        self.module(loaded)
    }

    /// Reports the cycle from `stack[start]` back to the file named `again`.
    fn cycle(&mut self, start: usize, again: &str) {
        let chain = self.stack.get(start..).unwrap_or_default();
        let mut names: Vec<&str> = chain.iter().map(|frame| frame.name.as_str()).collect();
        names.push(again);
        let cycle = names.join(" → ");
        let Some(Frame {
            import: Some(span), ..
        }) = chain.last()
        else {
            return;
        };
        // Each frame but the last imports the next name.
        let rest = chain
            .iter()
            .take(chain.len().saturating_sub(1))
            .zip(names.iter().skip(1))
            .filter_map(|(frame, next)| {
                let name = &frame.name;
                let note = format!("`{name}` imports `{next}` here");
                frame.import.map(|span| Note::single(span, note))
            })
            .collect();
        self.diagnostics.push(LoadError::ImportCycle {
            cycle,
            span: *span,
            rest,
        });
    }

    /// Reads the files of the entry file's `translation` declarations.
    fn translations(&mut self, entry: usize) -> Vec<TranslationSource> {
        let Some(Some(module)) = self.modules.get(entry) else {
            return Vec::new();
        };
        let importer = self.sources.file(module.file).name.clone();
        let declarations: Vec<ast::TranslationDecl> = module
            .ast
            .declarations
            .iter()
            .filter_map(|declaration| match declaration {
                ast::Declaration::Translation(translation) => Some(translation.clone()),
                _ => None,
            })
            .collect();
        let mut out = Vec::new();
        for declaration in declarations {
            let loaded = match self.loader.load(&importer, &declaration.path.value) {
                Ok(loaded) => loaded,
                Err(error) => {
                    self.refused(&declaration.path.value, declaration.path.span, error);
                    continue;
                }
            };
            // A file that is not a translation file at all is named, never quoted: its
            // entries are read, and shown in excerpts, only once it is one.
            let file = match translation::not_ours(loaded.bytes) {
                Ok(text) => self.sources.add(&loaded.name, text),
                Err(why) => {
                    self.sources.add_withheld(&loaded.name);
                    let name = loaded.name;
                    self.diagnostics.push(LoadError::TranslationFile {
                        problem: translation::Problem::NotOurs { name, why },
                        span: declaration.path.span,
                    });
                    continue;
                }
            };
            let source = self.sources.file(file);
            let contents = match translation::read(&source.text, source.base) {
                Ok(contents) => contents,
                Err((problem, span)) => {
                    self.diagnostics
                        .push(LoadError::TranslationFile { problem, span });
                    continue;
                }
            };
            let language = &declaration.language.name;
            if contents.language != *language {
                self.diagnostics.push(LoadError::TranslationFile {
                    problem: translation::Problem::OtherLanguage {
                        declared: language.clone(),
                        found: contents.language.clone(),
                    },
                    span: contents.key_span("language"),
                });
                continue;
            }
            out.push(TranslationSource {
                language: declaration.language.name.clone(),
                span: declaration.span,
                file,
                contents,
            });
        }
        out
    }

    /// Reports a file the loader would not read.
    fn refused(&mut self, path: &str, span: Span, error: Refused) {
        self.diagnostics.push(match error {
            Refused::OutsideRoot { reason } => LoadError::OutsideRoot {
                path: path.to_owned(),
                span,
                reason,
            },
            Refused::Unreadable(reason) => LoadError::Unreadable {
                path: path.to_owned(),
                span,
                reason,
            },
        });
    }
}

/// A loader that serves files from memory, by path. Relative paths resolve against the
/// importing file's folder, as on a file system; `..` and `.` are understood.
#[derive(Clone, Debug, Default)]
pub struct MemoryLoader {
    files: HashMap<String, String>,
}

impl MemoryLoader {
    pub fn new() -> MemoryLoader {
        MemoryLoader::default()
    }

    /// Adds a file at a path such as `common/scales.q`.
    pub fn with(mut self, path: &str, text: &str) -> MemoryLoader {
        self.files.insert(normalize(path), text.to_owned());
        self
    }
}

impl Loader for MemoryLoader {
    fn load(&mut self, importer: &str, path: &str) -> Result<Loaded, Refused> {
        let name = confined(importer, path)?;
        match self.files.get(&name) {
            Some(text) => Ok(Loaded {
                key: name.clone(),
                name,
                bytes: text.as_bytes().to_vec(),
            }),
            None => Err(Refused::Unreadable("no such file".to_owned())),
        }
    }
}

/// `path` joined to the folder of `importer`, when both are relative to the root and the
/// result stays inside it: the check every loader makes before it opens anything.
pub fn confined(importer: &str, path: &str) -> Result<String, Refused> {
    if let Some(reason) = unsafe_path(path) {
        return Err(Refused::OutsideRoot { reason });
    }
    let joined = join(importer, path);
    if joined == ".." || joined.starts_with("../") || joined.starts_with('/') {
        return Err(Refused::OutsideRoot {
            reason: "its `..` climb out of the instrument's root",
        });
    }
    Ok(joined)
}

/// Why a path written in a `.q` file cannot name a file inside the root, whatever folder it
/// is read from: absolute paths, paths with a drive or a backslash (not portable: `.q` files
/// write `/`), and NUL bytes.
/// The file that `path`, written in a file of `folder`, names: `..` folded on the folder, where
/// it means what it says. Refused when the path is not a safe relative path
/// ([`unsafe_path`]) or when a step leaves `root`. (Links are the caller's to check.)
pub fn fold(
    folder: &std::path::Path,
    path: &str,
    root: &std::path::Path,
) -> Result<std::path::PathBuf, Refused> {
    use std::path::Component;
    let outside = |reason| Err(Refused::OutsideRoot { reason });
    if let Some(reason) = unsafe_path(path) {
        return outside(reason);
    }
    let mut candidate = folder.to_path_buf();
    for component in std::path::Path::new(path).components() {
        match component {
            Component::Normal(part) => candidate.push(part),
            Component::ParentDir => {
                candidate.pop();
            }
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return outside("an absolute path"),
        }
        if !candidate.starts_with(root) {
            return outside("its `..` climb out of the instrument's root");
        }
    }
    Ok(candidate)
}

pub fn unsafe_path(path: &str) -> Option<&'static str> {
    if path.starts_with('/') {
        Some("an absolute path")
    } else if path.contains('\\') || path.as_bytes().get(1) == Some(&b':') {
        Some("not a relative path with `/` between folders")
    } else if path.contains('\0') || path.is_empty() {
        Some("not a file name")
    } else {
        None
    }
}

/// `path` relative to the folder of `importer`, with `.` and `..` folded: `a/b.q` + `../c.q`
/// is `c.q`. Forward slashes on every platform, as `.q` files write them.
pub fn join(importer: &str, path: &str) -> String {
    if path.starts_with('/') {
        return normalize(path);
    }
    let folder = match importer.rfind('/') {
        Some(index) => &importer[..index + 1],
        None => "",
    };
    normalize(&format!("{folder}{path}"))
}

fn normalize(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|last| *last != "..") => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::join;

    #[test]
    fn paths_resolve_against_the_importing_folder() {
        assert_eq!(join("q/main.q", "common/scales.q"), "q/common/scales.q");
        assert_eq!(
            join("q/common/a.q", "../references/b.q"),
            "q/references/b.q"
        );
        assert_eq!(join("main.q", "./x.q"), "x.q");
        assert_eq!(join("main.q", "../x.q"), "../x.q");
        assert_eq!(join("a/main.q", "/abs/x.q"), "/abs/x.q");
    }

    #[test]
    fn paths_that_leave_the_root_are_refused_before_anything_is_read() {
        use super::{confined, Refused};
        assert_eq!(confined("q/main.q", "../x.q"), Ok("x.q".to_owned()));
        for path in [
            "/etc/passwd",
            "../../x.q",
            "a/../../../x.q",
            "C:/x.q",
            "a\\b.q",
            "",
        ] {
            assert!(
                matches!(confined("q/main.q", path), Err(Refused::OutsideRoot { .. })),
                "{path}"
            );
        }
    }
}
