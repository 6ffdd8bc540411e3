//! `qc fmt`: every `.q` file of the repository is formatted (the committed layout is the
//! canonical one); `--check` shows a diff and changes nothing; a file is rewritten in place;
//! standard input goes to standard output; what does not parse is refused, never shown.

use super::*;

/// The `.q` files under a folder, recursively.
fn sources(folder: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "q") {
            out.push(path);
        }
    }
}

#[test]
fn every_source_of_the_repository_is_formatted() {
    let mut files = Vec::new();
    for folder in ["questionnaires", "tests/fixtures", "tests/browser"] {
        sources(std::path::Path::new(&path(folder)), &mut files);
    }
    // Those that parse: the others are fixtures of syntax errors, which `qc fmt` refuses.
    let parsing: Vec<String> = files
        .iter()
        .filter(|file| {
            std::fs::read(file)
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .is_some_and(|text| qc::syntax::parse(&text).is_ok())
        })
        .map(|file| file.display().to_string())
        .collect();
    assert!(parsing.len() > 90, "{}", parsing.len());
    let mut args = vec!["fmt", "--check"];
    args.extend(parsing.iter().map(String::as_str));
    let output = qc(&args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "not formatted (run `qc fmt` on them):\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn check_shows_a_diff_and_fmt_rewrites_in_place() {
    let dir = tempfile::tempdir().expect("a folder");
    let file = dir.path().join("survey.q");
    let messy = "instrument survey { title \"A survey\" }\n\n\n\nsection main \"Main\" {\nquestion q1 \"Is there a plan?\" : text {   \n  allow uncited # why\n        }\n}";
    std::fs::write(&file, messy).expect("written");
    let name = file.display().to_string();
    let check = qc(&["fmt", "--check", &name]);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    let diff = String::from_utf8_lossy(&check.stdout);
    assert!(
        diff.contains("-question q1")
            && diff.contains("+  question q1")
            && diff.contains("+    allow uncited # why"),
        "{diff}"
    );
    assert!(stderr(&check).contains("1 of 1 file would be reformatted"));
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        messy,
        "--check writes nothing"
    );
    let rewrite = qc(&["fmt", &name]);
    assert_eq!(rewrite.status.code(), Some(0), "{}", stderr(&rewrite));
    let formatted = std::fs::read_to_string(&file).expect("read");
    assert_eq!(
        formatted,
        "instrument survey { title \"A survey\" }\n\nsection main \"Main\" {\n  question q1 \"Is there a plan?\" : text {\n    allow uncited # why\n  }\n}\n"
    );
    assert_eq!(qc(&["fmt", "--check", &name]).status.code(), Some(0));
    // Standard input to standard output.
    let piped = qc_with_stdin(&["fmt", "-"], messy.as_bytes());
    assert_eq!(String::from_utf8_lossy(&piped.stdout), formatted);
}

#[test]
fn what_does_not_parse_is_refused_and_not_shown() {
    let dir = tempfile::tempdir().expect("a folder");
    let secret = dir.path().join("secret.txt");
    std::fs::write(&secret, "password = hunter2\n").expect("written");
    let binary = dir.path().join("binary.q");
    std::fs::write(&binary, b"\xff\xfe secret").expect("written");
    for file in [&secret, &binary] {
        let output = qc(&["fmt", "--check", &file.display().to_string()]);
        let (out, err) = (String::from_utf8_lossy(&output.stdout), stderr(&output));
        assert_eq!(output.status.code(), Some(2), "{err}");
        assert!(
            !out.contains("hunter2") && !err.contains("hunter2") && !err.contains("secret "),
            "{out}{err}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(&secret).expect("kept"),
        "password = hunter2\n"
    );
}
