//! One test per class of hostile input, in the order of `docs/limits.md`.

use std::path::Path;

use super::{assert_linear, fastest, folder, qc, tail, write, HEAD};

fn instrument(body: &str) -> String {
    format!("{HEAD}section main \"Main\" {{\n{body}\n}}\n")
}

/// 1. Reads stay inside the instrument's root, and what is not a `.q` source or a translation
///    file is named, never shown.
#[test]
fn files_outside_the_root_are_never_read_or_shown() {
    let dir = folder();
    let root = dir.path();
    let imports = [
        "import \"/proc/self/environ\" as p",
        "from \"../../../../etc/os-release\" import x",
        "import \"escape.q\" as e",
    ];
    #[cfg(unix)]
    std::os::unix::fs::symlink("/proc/self/environ", root.join("escape.q")).expect("a link");
    for import in imports {
        write(root, "main.q", format!("{import}\n{}", instrument("")));
        for format in ["human", "json"] {
            let run = qc(root, &["check", "--diagnostic-format", format, "main.q"]);
            assert_eq!(run.code, 1, "{import}");
            assert!(run.stderr.contains("E0134"), "{import}: {}", run.stderr);
        }
    }
    write(
        root,
        "main.q",
        format!("translation fr \"/etc/passwd\"\n{}", instrument("")),
    );
    let run = qc(root, &["check", "main.q"]);
    assert!(
        run.code == 1 && run.stderr.contains("E0134"),
        "{}",
        run.stderr
    );
    // A file inside the root that holds one bare token is named, not quoted, in both formats.
    write(root, "token.q", "ghp_0123456789abcdefTOKEN\n");
    write(
        root,
        "main.q",
        format!("import \"token.q\" as t\n{}", instrument("")),
    );
    for format in ["human", "json"] {
        let run = qc(root, &["check", "--diagnostic-format", format, "main.q"]);
        assert!(run.stderr.contains("E0006"), "{}", run.stderr);
        assert!(!run.output().contains("ghp_"), "{format}: {}", run.stderr);
    }
    // A translation file that is not one is named, not quoted.
    write(
        root,
        "fr.json",
        "{\"token\": \"ghp_0123456789abcdefTOKEN\"}",
    );
    write(
        root,
        "main.q",
        format!("translation fr \"fr.json\"\n{}", instrument("")),
    );
    let run = qc(root, &["check", "--diagnostic-format", "json", "main.q"]);
    assert!(
        run.code == 1 && !run.output().contains("ghp_"),
        "{}",
        run.stderr
    );
    // `--root` widens the root; nothing else does.
    write(
        root,
        "sub/entry.q",
        format!("import \"../scales.q\" as s\n{}", instrument("")),
    );
    write(root, "scales.q", "scale agree { yes \"Yes\" }\n");
    assert_eq!(qc(root, &["check", "sub/entry.q"]).code, 1);
    assert_eq!(qc(root, &["check", "--root", ".", "sub/entry.q"]).code, 0);
}

/// 2. FIFOs, devices and folders are never opened for reading, and no read passes the limit.
#[test]
fn reads_never_block_and_never_pass_the_limit() {
    let dir = folder();
    let root = dir.path();
    #[cfg(unix)]
    {
        let fifo = std::ffi::CString::new(root.join("fifo.q").to_string_lossy().as_bytes())
            .expect("a path");
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
        std::os::unix::fs::symlink("/dev/zero", root.join("zero.q")).expect("a link");
    }
    std::fs::create_dir(root.join("folder.q")).expect("a folder");
    for (import, why) in [
        ("fifo.q", "FIFO"),
        ("zero.q", "outside"),
        ("folder.q", "folder"),
    ] {
        write(
            root,
            "main.q",
            format!("import \"{import}\" as m\n{}", instrument("")),
        );
        let run = qc(root, &["check", "main.q"]);
        assert!(
            run.code == 1 && run.stderr.contains(why),
            "{import}: {}",
            run.stderr
        );
    }
    // The entry file itself: a FIFO is refused, not waited on.
    let run = qc(root, &["check", "fifo.q"]);
    assert!(
        run.code == 2 && run.stderr.contains("FIFO"),
        "{}",
        run.stderr
    );
    // Over the limit.
    write(root, "big.q", format!("# {}\n", "x".repeat(200_000)));
    write(
        root,
        "main.q",
        format!("import \"big.q\" as b\n{}", instrument("")),
    );
    let run = qc(root, &["check", "--max-file-size", "100000", "main.q"]);
    assert!(
        run.code == 1 && run.stderr.contains("limit"),
        "{}",
        run.stderr
    );
    // A 20 MB line is shown by a window around the error, not echoed.
    write(
        root,
        "long.q",
        format!("{HEAD}{}", " ".repeat(20 << 20) + "oops"),
    );
    let run = qc(root, &["check", "long.q"]);
    assert!(
        run.code == 1 && run.stderr.len() < 10_000,
        "{} bytes",
        run.stderr.len()
    );
}

/// 3. Blocks that use blocks twice, 30 levels deep: refused within the budget.
#[test]
fn block_expansion_is_bounded() {
    let dir = folder();
    let mut source = HEAD.to_owned();
    for level in 0..30 {
        source.push_str(&format!(
            "block b{level}(t: text) {{ use b{next}(t = \"{{t}}{{t}}\") use b{next}(t = \"{{t}}{{t}}\") }}\n",
            next = level + 1
        ));
    }
    source.push_str("block b30(t: text) { question x \"{t}\" : yes_no }\n");
    source.push_str("section main \"Main\" { use b0(t = \"ab\") }\n");
    write(dir.path(), "main.q", source);
    let run = qc(dir.path(), &["check", "main.q"]);
    assert!(
        run.code == 1 && run.stderr.contains("E0135"),
        "{}",
        run.stderr
    );
}

/// 4. Values of any length: no stack overflow, in checking or compiling.
#[test]
fn long_operator_chains_compile() {
    let dir = folder();
    let terms = vec!["a"; 100_000].join(" + ");
    let source = instrument(&format!(
        "question a \"A\" : integer\ncalc c \"C\" = {terms}"
    ));
    write(dir.path(), "main.q", source);
    assert_eq!(qc(dir.path(), &["check", "main.q"]).code, 0);
    let run = qc(dir.path(), &["compile", "main.q", "-o", "form.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// 5. Diagnostics past column 65,535, in a source and in a minified translation file.
#[test]
fn diagnostics_at_any_column_render() {
    let dir = folder();
    let root = dir.path();
    let pad = " ".repeat(70_000);
    let body = format!("{pad}question q1 \"Same?\" : yes_no question q2 \"Same?\" : yes_no");
    write(root, "main.q", instrument(&body));
    let run = qc(root, &["check", "main.q"]);
    assert!(
        run.code == 0 && run.stderr.contains("W0203"),
        "{}",
        tail(&run.stderr)
    );
    let translation = format!(
        "{{\"format\": \"qc-translation/1\", \"language\": \"fr\", \"strings\": {{{pad}\"gone\": {{\"source_hash\": \"0\", \"text\": \"x\"}}}}}}"
    );
    write(root, "fr.json", translation);
    write(
        root,
        "main.q",
        format!(
            "translation fr \"fr.json\"\n{}",
            instrument("question q1 \"Q\" : yes_no")
        ),
    );
    let run = qc(root, &["check", "main.q"]);
    assert!(run.stderr.contains("W0207"), "{}", tail(&run.stderr));
}

/// 6. Many diagnostics on one long line: bounded output, written as it is rendered.
#[test]
fn many_diagnostics_make_bounded_output() {
    let dir = folder();
    let body: String = (0..10_000)
        .map(|i| format!("question q{i} \"Same\" : yes_no "))
        .collect();
    write(dir.path(), "main.q", instrument(&body));
    for format in ["human", "json"] {
        let run = qc(
            dir.path(),
            &["check", "--diagnostic-format", format, "main.q"],
        );
        assert!(
            run.stderr.len() < 2 << 20,
            "{format}: {} bytes",
            run.stderr.len()
        );
        assert!(run.stderr.contains("omitted") || run.stderr.contains("more not shown"));
    }
}

/// 6b. Many misspelt names among many items: suggestions have a budget, checking is linear.
#[test]
fn suggestions_for_many_unknown_names_are_bounded() {
    let dir = folder();
    let mut times = Vec::new();
    for n in [1_000, 10_000] {
        let body: String = (0..n)
            .map(|i| format!("question q{i} \"Q{i}\" : yes_no when z{i} = yes\n"))
            .collect();
        write(dir.path(), "main.q", instrument(&body));
        times.push(
            fastest(dir.path(), &["check", "--max-diagnostics", "10", "main.q"]).as_secs_f64(),
        );
    }
    assert_linear("checking n unknown names", times[0], times[1]);
}

/// 7. A multiple choice answered with many distinct codes: linear.
#[test]
fn validation_of_long_answers_is_linear() {
    let dir = folder();
    let root = dir.path();
    write(
        root,
        "form.q",
        instrument("question q \"Which?\" : many of { a \"A\" b \"B\" }"),
    );
    let mut times = Vec::new();
    for n in [20_000, 200_000] {
        let codes: Vec<String> = (0..n).map(|i| format!("\"c{i}\"")).collect();
        let reply = format!(
            "{{\"form\": \"demo\", \"answers\": {{\"q\": [{}]}}}}",
            codes.join(",")
        );
        write(root, "reply.json", reply);
        times.push(fastest(root, &["validate", "form.q", "reply.json"]).as_secs_f64());
        let run = qc(
            root,
            &["convert-response", "--to", "fhir", "form.q", "reply.json"],
        );
        assert_eq!(run.code, 0);
    }
    assert_linear("validating n codes", times[0], times[1]);
}

/// 8. A reply with many bad records: the problems shown are bounded, the size of a reply too.
#[test]
fn problems_and_replies_are_bounded() {
    let dir = folder();
    let root = dir.path();
    write(
        root,
        "form.q",
        instrument("question people \"People\" : list {\n field age \"Age\" : integer\n}"),
    );
    let records = vec!["{\"age\": \"x\"}"; 300_000].join(",");
    write(
        root,
        "reply.json",
        format!("{{\"form\": \"demo\", \"answers\": {{\"people\": [{records}]}}}}"),
    );
    for format in ["human", "json"] {
        let run = qc(
            root,
            &["validate", "--format", format, "form.q", "reply.json"],
        );
        assert_eq!(run.code, 1);
        assert!(run.stdout.len() < 1 << 20, "{} bytes", run.stdout.len());
        assert!(run.stdout.contains("more problems") || run.stdout.contains("\"omitted\""));
    }
    let run = qc(
        root,
        &[
            "validate",
            "--max-reply-size",
            "1000",
            "form.q",
            "reply.json",
        ],
    );
    assert!(
        run.code == 2 && run.stdout.contains("limit"),
        "{}",
        run.stdout
    );
}

/// 9. Sums of n terms make forms that grow linearly, and every form is read back.
#[test]
fn forms_grow_linearly_and_are_read_back() {
    let dir = folder();
    let root = dir.path();
    let mut sizes = Vec::new();
    for n in [1_000, 10_000] {
        let terms = vec!["a"; n].join(" + ");
        write(
            root,
            "main.q",
            instrument(&format!(
                "question a \"A\" : integer\ncalc c \"C\" = {terms}"
            )),
        );
        assert_eq!(qc(root, &["compile", "main.q", "-o", "form.json"]).code, 0);
        sizes.push(
            std::fs::metadata(root.join("form.json"))
                .expect("a form")
                .len() as f64,
        );
        write(
            root,
            "reply.json",
            "{\"form\": \"demo\", \"answers\": {\"a\": 1}}",
        );
        let run = qc(root, &["validate", "form.json", "reply.json"]);
        assert_eq!(run.code, 0, "{}", run.stdout);
    }
    assert_linear("form bytes", sizes[0], sizes[1]);
}

/// 10. Reply folders: FIFOs reported, links to folders not followed, unreadable folders named.
#[test]
#[cfg(unix)]
fn reply_folders_are_walked_safely() {
    let dir = folder();
    let root = dir.path();
    write(root, "form.q", instrument("question q \"Q\" : yes_no"));
    let replies = root.join("replies");
    write(
        &replies,
        "a.json",
        "{\"form\": \"demo\", \"answers\": {\"q\": \"yes\"}}",
    );
    std::os::unix::fs::symlink(".", replies.join("self")).expect("a link");
    std::os::unix::fs::symlink("/usr", replies.join("usr")).expect("a link");
    std::os::unix::fs::symlink("a.json", replies.join("b.json")).expect("a link");
    let fifo = std::ffi::CString::new(replies.join("fifo.json").to_string_lossy().as_bytes())
        .expect("a path");
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    let run = qc(root, &["validate", "form.q", "replies"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stdout.contains("fifo.json") && run.stdout.contains("FIFO"));
    assert!(
        run.stdout.contains("2 valid, 0 invalid, 1 unreadable"),
        "{}",
        run.stdout
    );
}

/// 11. `-o` replaces only a regular file, and never an input.
#[test]
#[cfg(unix)]
fn outputs_replace_only_regular_files() {
    let dir = folder();
    let root = dir.path();
    write(root, "form.q", instrument("question q \"Q\" : yes_no"));
    let fifo =
        std::ffi::CString::new(root.join("fifo").to_string_lossy().as_bytes()).expect("a path");
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    std::os::unix::fs::symlink("/proc/self/fd/1", root.join("stdout-link")).expect("a link");
    std::fs::create_dir(root.join("folder")).expect("a folder");
    let read_only = write(root, "read-only.json", "{}");
    let mut permissions = std::fs::metadata(&read_only).expect("a file").permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&read_only, permissions).expect("read-only");
    for target in [
        "fifo",
        "stdout-link",
        "folder",
        "read-only.json",
        "form.q",
        "/dev/null",
    ] {
        let run = qc(root, &["compile", "form.q", "-o", target]);
        assert_eq!(run.code, 2, "-o {target}: {}", run.stderr);
    }
    assert_eq!(std::fs::read(&read_only).expect("still there"), b"{}");
    // Nor a file the instrument imports.
    write(root, "scales.q", "scale agree { yes \"Yes\" }\n");
    write(
        root,
        "main.q",
        format!("import \"scales.q\" as s\n{}", instrument("")),
    );
    assert_eq!(qc(root, &["compile", "main.q", "-o", "scales.q"]).code, 2);
    assert!(std::fs::read_to_string(root.join("scales.q"))
        .expect("kept")
        .starts_with("scale"));
    write(root, "reply.json", "{\"form\": \"demo\", \"answers\": {}}");
    let run = qc(
        root,
        &[
            "validate",
            "form.q",
            "reply.json",
            "--strip-disabled",
            "-o",
            "form.q",
        ],
    );
    assert_eq!(run.code, 2);
    assert!(std::fs::read_to_string(root.join("form.q"))
        .expect("kept")
        .contains("instrument"));
    // `qc translations update` never writes outside the root: such a file is never read.
    write(root, "other.fr.json", "{}");
    write(
        root,
        "sub/main.q",
        format!("translation fr \"../other.fr.json\"\n{}", instrument("")),
    );
    let run = qc(root, &["translations", "update", "sub/main.q"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        std::fs::read(root.join("other.fr.json")).expect("kept"),
        b"{}"
    );
}

/// 13. A compiled form is checked as its source would be.
#[test]
fn compiled_forms_are_not_trusted() {
    let dir = folder();
    let root = dir.path();
    write(
        root,
        "form.q",
        instrument("question a \"A\" : integer\ncalc c \"C\" = a + 1"),
    );
    assert_eq!(qc(root, &["compile", "form.q", "-o", "form.json"]).code, 0);
    let form = std::fs::read_to_string(root.join("form.json")).expect("a form");
    let cyclic = form.replacen("\"var\": \"a\"", "\"var\": \"c\"", 2);
    assert_ne!(cyclic, form);
    write(root, "cyclic.json", cyclic);
    write(root, "reply.json", "{\"form\": \"demo\", \"answers\": {}}");
    let run = qc(root, &["validate", "cyclic.json", "reply.json"]);
    assert!(
        run.code == 2 && run.stderr.contains("cycle"),
        "{}",
        run.stderr
    );
}

/// 14. Numbers read correctly rounded, special answers alone, a byte-order mark named.
#[test]
fn replies_are_read_strictly() {
    let dir = folder();
    let root = dir.path();
    let body = "question n \"N\" : integer max 10 { allow dont_know }";
    write(
        root,
        "form.q",
        format!("special dont_know \"Don't know\"\n{}", instrument(body)),
    );
    let problems = |reply: &str| {
        write(root, "reply.json", reply);
        qc(root, &["validate", "form.q", "reply.json"])
    };
    let run = problems("{\"form\": \"demo\", \"answers\": {\"n\": 10.000000000000001}}");
    assert_eq!(run.code, 1, "{}", run.stdout);
    let run = problems(
        "{\"form\": \"demo\", \"answers\": {\"n\": {\"special\": \"dont_know\", \"x\": 1}}}",
    );
    assert!(
        run.code == 1 && run.stdout.contains("V0113"),
        "{}",
        run.stdout
    );
    let run = problems("\u{feff}{\"form\": \"demo\", \"answers\": {}}");
    assert!(
        run.code == 1 && run.stdout.contains("byte-order mark"),
        "{}",
        run.stdout
    );
    let run = problems("{\"form\": \"demo\", \"version\": 2, \"answers\": {}}");
    let about_version = run.stdout.lines().filter(|line| line.contains("/version"));
    assert_eq!(about_version.count(), 1, "{}", run.stdout);
    // A translation file with a byte-order mark is named as such.
    write(
        root,
        "fr.json",
        "\u{feff}{\"format\": \"qc-translation/1\", \"language\": \"fr\", \"strings\": {}}",
    );
    write(
        root,
        "main.q",
        format!("translation fr \"fr.json\"\n{}", instrument("")),
    );
    let run = qc(root, &["check", "main.q"]);
    assert!(
        run.code == 1 && run.stderr.contains("byte-order mark"),
        "{}",
        run.stderr
    );
}

/// 15. ODK submissions: a document type declaration (and so any entity to expand) is refused,
///     elements nested half a million deep are read without recursing, a file that is not UTF-8 is
///     named and never shown, and reading grows linearly with the records.
#[test]
fn odk_submissions_are_read_safely() {
    let dir = folder();
    let root = dir.path();
    let body = "question n \"N\" : integer\nquestion people \"People\" : list { field name \"Name\" : text }";
    write(root, "form.q", instrument(body));
    let from = |file: &str| qc(root, &["convert-response", "--from", "odk", "form.q", file]);
    let laughs = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE data [<!ENTITY a \"{}\">{}]><data id=\"demo\">&j;</data>",
        "lol".repeat(10),
        (b'b'..=b'j')
            .map(|c| format!(
                "<!ENTITY {} \"{}\">",
                c as char,
                format!("&{};", (c - 1) as char).repeat(10)
            ))
            .collect::<String>()
    );
    write(root, "laughs.xml", laughs);
    let run = from("laughs.xml");
    assert!(
        run.code == 1 && run.stderr.contains("document type declaration"),
        "{}",
        run.stderr
    );
    let deep = format!(
        "<data id=\"demo\">{}{}</data>",
        "<main>".repeat(500_000),
        "</main>".repeat(500_000)
    );
    write(root, "deep.xml", deep);
    let run = from("deep.xml");
    assert_eq!(run.code, 1, "{}", tail(&run.stderr));
    write(
        root,
        "binary.xml",
        b"<data>\xff\xfe s3cr3t-t0ken-4f9a</data>".as_slice(),
    );
    let run = from("binary.xml");
    assert!(
        run.code == 1 && run.stderr.contains("not UTF-8") && !run.stderr.contains("s3cr3t"),
        "{}",
        run.stderr
    );
    let mut times = Vec::new();
    for n in [10_000, 100_000] {
        let records = "<people><people_name>Ana</people_name></people>".repeat(n);
        write(
            root,
            "many.xml",
            format!("<data id=\"demo\"><main><n>3</n>{records}</main></data>"),
        );
        let run = from("many.xml");
        assert_eq!(run.code, 0, "{}", tail(&run.stderr));
        times.push(
            fastest(
                root,
                &["convert-response", "--from", "odk", "form.q", "many.xml"],
            )
            .as_secs_f64(),
        );
    }
    assert_linear("reading n records of a submission", times[0], times[1]);
}

/// Every case leaves its folder as it found it but for what it wrote: nothing is written
/// outside it.
#[test]
fn nothing_is_written_beside_a_case() {
    let dir = folder();
    let outside = folder();
    let root = dir.path();
    write(root, "form.q", instrument("question q \"Q\" : yes_no"));
    let before = entries(outside.path());
    qc(root, &["compile", "form.q", "-o", "form.json"]);
    assert_eq!(entries(outside.path()), before);
    assert!(root.join("form.json").is_file());
}

fn entries(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| entries.count())
}

/// 16. Rules across records (`unique`, a count of the records that meet a condition) and a
///     value computed in each record: n and 10·n records are checked in linear time, and the
///     one repeated value among them is found and located.
#[test]
fn rules_across_records_are_linear() {
    let dir = folder();
    let root = dir.path();
    write(
        root,
        "form.q",
        instrument(
            "question people \"People\" : list {\n field name \"Name\" : text\n field age \"Age\" : integer\n calc minor \"Minor\" = if(this.age < 18, 1, 0)\n} {\n check unique(people.name) else warning \"A name twice\"\n check count(people where this.minor = 1) >= 0 else warning \"Never\"\n}\ncalc minors \"Minors\" = sum(people.minor)",
        ),
    );
    let mut times = Vec::new();
    for n in [20_000, 200_000] {
        let mut records: Vec<String> = (0..n)
            .map(|i| format!("{{\"name\": \"n{i}\", \"age\": {}}}", i % 90))
            .collect();
        records.push("{\"name\": \"n7\", \"age\": 30}".to_owned());
        write(
            root,
            "reply.json",
            format!(
                "{{\"form\": \"demo\", \"answers\": {{\"people\": [{}]}}}}",
                records.join(",")
            ),
        );
        let run = qc(root, &["validate", "form.q", "reply.json"]);
        assert!(
            run.code == 0
                && run.stdout.contains(&format!(
                    "at /answers/people/{n}/name: A name twice: record {} repeats record 8",
                    n + 1
                )),
            "{}",
            tail(&run.stdout)
        );
        times.push(fastest(root, &["validate", "form.q", "reply.json"]).as_secs_f64());
    }
    assert_linear("checking rules across n records", times[0], times[1]);
}

/// 17. Formatting: a text of many words, many comments, a long chain of conditions and
///     brackets nested to the limit cost linear time, and `--check`'s diff is bounded.
#[test]
fn formatting_is_linear() {
    let dir = folder();
    let root = dir.path();
    let mut times = Vec::new();
    for n in [10_000, 100_000] {
        let words = vec!["word"; n].join(" ");
        let comments = "# a comment\n".repeat(n / 10);
        let chain = vec!["q0 = yes"; n / 10].join(" and ");
        let nested = format!("{}q0 = yes{}", "(".repeat(60), ")".repeat(60));
        let source = instrument(&format!(
            "text \"{words}\"\n{comments}question q0 \"Q\" : yes_no\n    question q1 \"Q\" : yes_no when {chain}\nquestion q2 \"Q\" : yes_no when {nested}"
        ));
        write(root, "main.q", &source);
        let run = qc(root, &["fmt", "--check", "main.q"]);
        assert_eq!(run.code, 1, "{}", tail(&run.stderr));
        assert!(run.stdout.len() < 8 * source.len(), "{}", run.stdout.len());
        times.push(fastest(root, &["fmt", "--check", "main.q"]).as_secs_f64());
    }
    assert_linear("formatting", times[0], times[1]);
}
