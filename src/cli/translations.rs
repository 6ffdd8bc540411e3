//! `qc translations` and `qc compile --lang`: reading and writing translation files.

use std::path::Path;
use std::process::ExitCode;

use super::{
    instrument_of, io_error, write_atomically, write_output, DiagnosticFormat, Limits,
    TranslationsCommand, OK, USAGE,
};
use crate::translate::{self, Progress};
use crate::Instrument;

pub(super) fn run(limits: &Limits, command: TranslationsCommand) -> ExitCode {
    match command {
        TranslationsCommand::Status { file, format } => status(limits, &file, format),
        TranslationsCommand::Update { file } => update(limits, &file),
        TranslationsCommand::New { file, lang, output } => {
            new(limits, &file, &lang, output.as_deref())
        }
    }
}

/// The instrument in `lang`, with a warning for the texts it leaves in the source language.
pub(super) fn localize(instrument: &Instrument, lang: &str) -> Result<Instrument, String> {
    let localized = translate::localize(instrument, lang).ok_or_else(|| {
        let declared: Vec<String> = instrument
            .translations
            .iter()
            .map(|translation| format!("`{}`", translation.language))
            .collect();
        let own = instrument.language.as_deref().unwrap_or("(none)");
        format!(
            "`{}` has no translation into `{lang}`; its language is `{own}`{}",
            instrument.id,
            if declared.is_empty() {
                String::new()
            } else {
                format!(" and it is translated into {}", declared.join(", "))
            }
        )
    })?;
    if let Some(translation) = instrument.translations.iter().find(|t| t.language == lang) {
        let total = translate::texts(instrument).len();
        let missing = total - translation.strings.len();
        if missing > 0 {
            let own = instrument
                .language
                .as_deref()
                .unwrap_or("the source language");
            eprintln!("warning: {missing} of {total} texts have no current `{lang}` translation; they stay in {own}");
        }
    }
    Ok(localized)
}

fn status(limits: &Limits, path: &Path, format: DiagnosticFormat) -> ExitCode {
    let (instrument, ..) = match instrument_of(limits, path, format) {
        Ok(found) => found,
        Err(status) => return ExitCode::from(status),
    };
    let progress = translate::progress(&instrument);
    let text = match format {
        DiagnosticFormat::Json => super::pretty_text(&progress),
        DiagnosticFormat::Human => progress.iter().map(line).collect(),
    };
    print!("{text}");
    ExitCode::from(OK)
}

fn line(progress: &Progress) -> String {
    let Progress {
        language,
        direction,
        total,
        translated,
        ..
    } = progress;
    if !progress.declared {
        return format!("{language} ({direction}): no translation declared\n");
    }
    let percent = if *total == 0 {
        100
    } else {
        translated * 100 / total
    };
    let status = progress
        .status
        .as_deref()
        .map_or(String::new(), |status| format!(", {status}"));
    format!("{language} ({direction}{status}): {translated} of {total} texts translated and current ({percent}%)\n")
}

fn update(limits: &Limits, path: &Path) -> ExitCode {
    let (instrument, compilation, loader) =
        match instrument_of(limits, path, DiagnosticFormat::Human) {
            Ok(found) => found,
            Err(status) => return ExitCode::from(status),
        };
    let mut status = OK;
    for (language, file) in &compilation.translation_files {
        let file = compilation.sources.file(*file);
        let existing = crate::load::translation::read(&file.text, file.base).ok();
        let text = translate::update(&instrument, language, existing.as_ref());
        if text == file.text {
            eprintln!("{}: up to date", file.name);
            continue;
        }
        // The loader read the file inside the root; it is written where it was read, never
        // through a link.
        let Some(target) = loader.path_of(&file.name) else {
            status = status.max(io_error(&format!("cannot find `{}` again", file.name)));
            continue;
        };
        match write_atomically(&target, text.as_bytes(), &[path]) {
            Ok(()) => eprintln!("{}: updated", file.name),
            Err(message) => status = status.max(io_error(&message)),
        }
    }
    if compilation.translation_files.is_empty() {
        eprintln!(
            "`{}` declares no translation: add `translation fr \"PATH\"` to it",
            instrument.id
        );
    }
    ExitCode::from(status)
}

fn new(limits: &Limits, path: &Path, lang: &str, output: Option<&Path>) -> ExitCode {
    if lang.is_empty() || !lang.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        eprintln!("error: `{lang}` is not a language code such as `fr` or `zh`");
        return ExitCode::from(USAGE);
    }
    let input = match limits.read(path) {
        Ok(input) => input,
        Err(message) => return ExitCode::from(io_error(&message)),
    };
    // The instrument may already declare the file this command is asked to start.
    let declared = declared_file(&input.name, &input.bytes, lang);
    let mut loader = match limits.loader(&input, path) {
        Ok(loader) => loader,
        Err(message) => return ExitCode::from(io_error(&message)),
    };
    let mut starting = Starting {
        inner: &mut loader,
        path: declared,
        language: lang,
    };
    let mut compilation = crate::compile_with(&input.name, &input.bytes, &mut starting);
    let Some(instrument) = compilation.instrument.take() else {
        super::report(limits, &compilation, DiagnosticFormat::Human);
        return ExitCode::from(super::INVALID);
    };
    if instrument.language.as_deref() == Some(lang) {
        return ExitCode::from(io_error(&format!(
            "`{lang}` is the instrument's own language"
        )));
    }
    let text = translate::update(&instrument, lang, None);
    write_output(output, text.as_bytes(), &[path])
}

/// The path the entry file's `translation LANG "PATH"` declares for `lang`, if it does.
fn declared_file(name: &str, bytes: &[u8], lang: &str) -> Option<String> {
    let text = crate::syntax::decode(name, bytes).ok()?;
    let file = crate::syntax::parse(text).ok()?;
    file.declarations
        .iter()
        .find_map(|declaration| match declaration {
            crate::syntax::ast::Declaration::Translation(translation)
                if translation.language.name == lang =>
            {
                Some(translation.path.value.clone())
            }
            _ => None,
        })
}

/// A loader for `qc translations new`: the declared translation file of the language being
/// started may not exist yet, and reads as a file with no texts. Every other file is read as
/// the inner loader reads it.
struct Starting<'l> {
    inner: &'l mut super::FileLoader,
    path: Option<String>,
    language: &'l str,
}

impl crate::load::Loader for Starting<'_> {
    fn load(
        &mut self,
        importer: &str,
        path: &str,
    ) -> Result<crate::load::Loaded, crate::load::Refused> {
        match self.inner.load(importer, path) {
            Err(crate::load::Refused::Unreadable(_)) if self.path.as_deref() == Some(path) => {
                Ok(crate::load::Loaded {
                    name: path.to_owned(),
                    key: format!("{importer}\u{0}{path}"),
                    bytes: format!(
                        "{{\"format\": \"{}\", \"language\": \"{}\", \"strings\": {{}}}}",
                        crate::load::translation::FORMAT,
                        self.language
                    )
                    .into_bytes(),
                })
            }
            other => other,
        }
    }
}
