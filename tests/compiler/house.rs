//! The repository's own rules, checked on its files: the tests and CI read nothing outside the
//! crate, so `cargo test` and `.ci/run` pass in a fresh clone with nothing beside it; and the
//! modules of `src/` import each other in the order ARCHITECTURE.md draws.

use std::path::{Path, PathBuf};

use super::root;

/// Folders of a machine where a developer's own files live: a test that names one reads what a
/// fresh clone does not have. System paths (`/proc/self/environ`, `/dev/null`) are the same on
/// every machine, and the hostile tests hand them to qc to be refused.
const PRIVATE_ROOTS: &[&str] = &[
    "/home/",
    "/root/",
    "/work/",
    "/workspace/",
    "/opt/",
    "/srv/",
    "/mnt/",
    "/media/",
    "/tmp/",
    "/var/",
    "/usr/local/",
];

/// The files that run as tests or CI: code, not the data it reads. `.q` sources are left out on
/// purpose: qc itself reads only inside an instrument's root (E0134), so a fixture cannot make a
/// test read outside the folder it is in.
fn test_code() -> Vec<PathBuf> {
    let mut files = vec![root().join(".ci/run")];
    for folder in ["tests", "benches", "examples"] {
        collect(&root().join(folder), &mut files);
    }
    files.retain(|path| {
        path.file_name().is_some_and(|name| name == "run")
            || path.extension().is_some_and(|ext| {
                ["rs", "sh", "py", "mjs", "cjs", "js"].contains(&ext.to_str().unwrap_or(""))
            })
    });
    files.sort();
    files
}

fn collect(folder: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if name == "node_modules" || name == "snapshots" || name == "fixtures" {
            continue;
        }
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}

/// The places in `text` (a file `depth` folders below the crate's root, of kind `rust` or a
/// script) that name a path outside the crate, as `line: excerpt`.
///
/// A run of `..` climbs from the file's own folder where the language resolves it so
/// (`include_str!`, `#[path]`, `insta::glob!`; `dirname "$0"`, `$here`, `__dirname`,
/// `__file__` in scripts), and from the crate's root elsewhere: tests run there, and the scripts
/// `cd` there first. A path inside an escaped quotation (`\"../x.q\"`) is the text of a file a
/// test writes for qc, not a path the test reads.
fn escapes(text: &str, depth: usize, rust: bool) -> Vec<String> {
    let mut found = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("//") || trimmed.starts_with('#') && !trimmed.starts_with("#[") {
            continue;
        }
        let file_relative = if rust {
            ["include_str!", "include_bytes!", "#[path", "glob!"]
                .iter()
                .any(|form| line.contains(form))
        } else {
            false
        };
        let bytes = line.as_bytes();
        let mut at = 0;
        while let Some(offset) = line[at..].find("..") {
            let start = at + offset;
            let mut end = start;
            let mut climbs = 0;
            while line[end..].starts_with("..") {
                climbs += 1;
                end += 2;
                if line[end..].starts_with("/..") {
                    end += 1;
                } else {
                    break;
                }
            }
            at = end.max(start + 2);
            let before = start.checked_sub(1).map(|i| bytes[i]);
            let after = bytes.get(end).copied();
            let opens = matches!(before, None | Some(b'"' | b'\'' | b'/' | b' ' | b'='));
            // `..` alone is a path only where it stands as one: quoted, after a `/`, or a
            // shell word; in Rust, unquoted, it is a range or a rest pattern.
            let closes = after == Some(b'/')
                || matches!(after, None | Some(b'"' | b'\'' | b' ' | b')'))
                    && (matches!(before, Some(b'"' | b'\'' | b'/')) || !rust);
            if !opens || !closes {
                continue;
            }
            let quoted_content = before == Some(b'"') && start >= 2 && bytes[start - 2] == b'\\';
            if quoted_content {
                continue;
            }
            let lead = &line[..start];
            let from_file = file_relative
                || (!rust
                    && ["dirname", "$here", "__dirname", "__file__", "import.meta"]
                        .iter()
                        .any(|anchor| lead.contains(anchor)));
            let base = if from_file { depth } else { 0 };
            if climbs > base {
                found.push(format!("{}: {}", number + 1, line.trim()));
            }
        }
        for private in PRIVATE_ROOTS {
            for (start, _) in line.match_indices(private) {
                let before = start.checked_sub(1).map(|i| bytes[i]);
                let begins = matches!(before, None | Some(b'"' | b'\'' | b' ' | b'=' | b'('));
                let quoted_content =
                    before == Some(b'"') && start >= 2 && bytes[start - 2] == b'\\';
                if begins && !quoted_content {
                    found.push(format!("{}: {}", number + 1, line.trim()));
                }
            }
        }
    }
    found
}

#[test]
fn tests_and_ci_read_nothing_outside_the_crate() {
    let files = test_code();
    assert!(
        files.iter().any(|path| path.ends_with(".ci/run"))
            && files
                .iter()
                .any(|path| path.ends_with("tests/interop/run.sh"))
            && files.len() > 20,
        "the scan finds the test code: {files:?}"
    );
    let mut outside = Vec::new();
    // This file's strings are the scan's own examples.
    for path in files.iter().filter(|path| !path.ends_with(file!())) {
        let relative = path.strip_prefix(root()).expect("inside the crate");
        let depth = relative.components().count() - 1;
        let text = super::read(path);
        let rust = path.extension().is_some_and(|ext| ext == "rs");
        for place in escapes(&text, depth, rust) {
            outside.push(format!("{}:{place}", relative.display()));
        }
    }
    assert!(
        outside.is_empty(),
        "tests and CI must read only inside the crate, so that a fresh clone passes alone; copy \
         what they need into tests/data:\n{}",
        outside.join("\n")
    );
}

/// The scan sees the ways a path leaves the crate, and lets pass the ways that stay inside.
#[test]
fn the_scan_tells_paths_outside_from_paths_inside() {
    // Written with `UP` for `..` and `PRIVATE` for a private folder, so that this file names
    // no path outside the crate itself.
    let outside = [
        (
            "let text = read(&root().join(\"UP/elsewhere/annex.txt\"));",
            2,
            true,
        ),
        (
            "const ANNEX: &str = include_str!(\"UP/UP/UP/elsewhere/annex.txt\");",
            2,
            true,
        ),
        (
            "let text = read(Path::new(\"PRIVATE/elsewhere/annex.txt\"));",
            1,
            true,
        ),
        ("cp \"UP/elsewhere/annex.txt\" \"$work\"", 1, false),
        ("cd \"$(dirname \"$0\")/UP/UP/UP\"", 2, false),
        ("python3 \"$here/UP/UP/UP/x.py\"", 2, false),
    ]
    .map(|(line, depth, rust)| {
        let line = line
            .replace("UP", "..")
            .replace("PRIVATE", &["", "work"].join("/"));
        (line, depth, rust)
    });
    for (line, depth, rust) in &outside {
        assert_eq!(escapes(line, *depth, *rust).len(), 1, "{line}");
    }
    let inside = [
        (
            "const ENTRY: &str = include_str!(\"../questionnaires/crime-prevention.q\");",
            1,
            true,
        ),
        ("#[path = \"../common/loader.rs\"]", 1, true),
        (
            "insta::glob!(\"../fixtures\", \"pass/*.q\", |path| {});",
            1,
            true,
        ),
        (
            "\"import \\\"../../../../etc/os-release\\\" as os\",",
            2,
            true,
        ),
        (
            "for i in 0..n { let Item { span, .. } = &items[..]; }",
            1,
            true,
        ),
        ("cd \"$(dirname \"$0\")/../..\"", 2, false),
        ("root=\"$here/../..\"", 2, false),
        (
            "symlink(\"/proc/self/environ\", root.join(\"escape.q\"))",
            1,
            true,
        ),
        ("\"$cmd\" >/dev/null 2>&1", 1, false),
    ];
    for (line, depth, rust) in inside {
        assert_eq!(escapes(line, depth, rust), Vec::<String>::new(), "{line}");
    }
}

/// The layers of ARCHITECTURE.md's picture, top first: the names before the description on
/// each line of the block after `<!-- layers -->`.
fn layers() -> Vec<Vec<String>> {
    let text = super::read(&root().join("ARCHITECTURE.md"));
    let (_, after) = text
        .split_once("<!-- layers -->")
        .expect("the layers block");
    let block = after
        .split("```")
        .nth(1)
        .expect("a fenced block after the marker");
    block
        .lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let names = line.split("  ").next().unwrap_or("");
            names
                .split('·')
                .map(|name| name.trim().to_owned())
                .filter(|name| !name.is_empty())
                .collect()
        })
        .collect()
}

/// The module a file of `src/` belongs to: its first folder, or its name; the crate root is
/// `lib`, and the binary's `main.rs` is part of `cli`.
fn module_of(relative: &Path) -> String {
    let first = relative
        .components()
        .next()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    match first.trim_end_matches(".rs") {
        "main" => "cli".to_owned(),
        name => name.to_owned(),
    }
}

/// The modules of the crate a source text names through `crate::`, outside comments: `crate::a`,
/// and each first name in `crate::{a, b::c}`. An item of the crate root (`crate::Compilation`)
/// is `lib`'s.
fn imports(text: &str, modules: &[String]) -> Vec<String> {
    let code: String = text
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let name_of = |path: &str| -> String {
        let first: String = path
            .trim()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if modules.contains(&first) {
            first
        } else {
            "lib".to_owned()
        }
    };
    let mut found = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let end = group
                .char_indices()
                .find(|&(_, c)| {
                    depth += match c {
                        '{' => 1,
                        '}' => -1,
                        _ => 0,
                    };
                    depth == 0
                })
                .map_or(group.len(), |(end, _)| end);
            let mut depth = 0;
            let mut start = 0;
            for (index, c) in group[..end].char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        found.push(name_of(&group[start..index]));
                        start = index + 1;
                    }
                    _ => {}
                }
            }
            if !group[start..end].trim().is_empty() {
                found.push(name_of(&group[start..end]));
            }
        } else {
            found.push(name_of(rest));
        }
    }
    found
}

#[test]
fn modules_import_only_the_layers_above_their_own() {
    let layers = layers();
    let layer = |module: &str| {
        layers
            .iter()
            .position(|names| names.iter().any(|n| n == module))
    };
    let modules: Vec<String> = layers.iter().flatten().cloned().collect();
    for expected in [
        "span", "syntax", "load", "check", "model", "emit", "lib", "cli",
    ] {
        assert!(
            layer(expected).is_some(),
            "ARCHITECTURE.md draws `{expected}`"
        );
    }
    let mut sources = Vec::new();
    collect(&root().join("src"), &mut sources);
    sources.retain(|path| path.extension().is_some_and(|ext| ext == "rs"));
    assert!(sources.len() > 30, "the scan finds the sources");
    let mut against = Vec::new();
    for path in &sources {
        let relative = path.strip_prefix(root().join("src")).expect("in src/");
        let module = module_of(relative);
        let Some(own) = layer(&module) else {
            against.push(format!(
                "{}: `{module}` is not in the picture",
                relative.display()
            ));
            continue;
        };
        for import in imports(&super::read(path), &modules) {
            let above = layer(&import).is_some_and(|theirs| theirs < own);
            if import != module && !above {
                against.push(format!(
                    "{}: `{module}` imports `{import}`",
                    relative.display()
                ));
            }
        }
    }
    against.sort();
    against.dedup();
    assert!(
        against.is_empty(),
        "imports that run against the order of ARCHITECTURE.md:\n{}",
        against.join("\n")
    );
}

/// The scan sees every form of import, and an import upwards is found.
#[test]
fn the_import_scan_reads_every_form_of_use() {
    let modules: Vec<String> = ["model", "check", "emit", "span"]
        .map(str::to_owned)
        .to_vec();
    let text = "//! [`check`](crate::check::x)\nuse crate::model::{Item, ItemId};\n\
                use crate::{emit::json,\n    span::Span};\nlet x = crate::check::run();\n\
                use crate::Compilation;";
    assert_eq!(
        imports(text, &modules),
        ["model", "emit", "span", "check", "lib"]
    );
}
