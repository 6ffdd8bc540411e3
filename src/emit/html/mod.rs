//! The offline form: one self-contained HTML page that shows the instrument, applies its logic
//! as the respondent answers and saves the reply (`docs/html-form.md`).
//!
//! The page holds the compiled form (`docs/form-format.md`) as a JSON data block, json-logic-js
//! (bundled unchanged, with its licence) to evaluate the form's rules, the browser's strings in
//! the six UN languages, the conditions for the page to state in words on paper (`words`), and
//! the script and style of `form.js` and `form.css`. It requests
//! nothing: its content security policy allows no source but the page itself.

use crate::model::{AnswerType, Instrument};

mod words;

const SCRIPT: &str = include_str!("form.js");
const LOGIC: &str = include_str!("json-logic.js");
const STYLE: &str = include_str!("form.css");
/// The page's own strings (its buttons and messages), by language.
const STRINGS: &str = include_str!("strings.json");

/// The page: no external request is allowed, scripts and styles are the page's own.
const POLICY: &str = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/// The offline form of an instrument, as one HTML page.
pub fn to_string(instrument: &Instrument) -> String {
    let form = script_json(&super::json::to_string(instrument));
    let strings = script_json(STRINGS);
    let words = script_json(&words::conditions(instrument).to_string());
    let countries = script_json(&countries(instrument).to_string());
    let title = super::html_escape(&instrument.title);
    let lang = super::html_escape(instrument.language.as_deref().unwrap_or("en"));
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{POLICY}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n\
         <main id=\"qc\"><noscript>{title}: this form needs JavaScript.</noscript></main>\n\
         <script type=\"application/json\" id=\"qc-form\">{form}</script>\n\
         <script type=\"application/json\" id=\"qc-strings\">{strings}</script>\n\
         <script type=\"application/json\" id=\"qc-words\">{words}</script>\n\
         <script type=\"application/json\" id=\"qc-countries\">{countries}</script>\n\
         <script>\n{LOGIC}</script>\n<script>\n{SCRIPT}</script>\n</body>\n</html>\n"
    )
}

/// The countries and areas a `country` answer offers, each `[code, name in en, fr, es, ar, ru,
/// zh]`, when the instrument has such an answer; an empty list when not.
fn countries(instrument: &Instrument) -> serde_json::Value {
    fn has_country(answer: &AnswerType) -> bool {
        match answer {
            AnswerType::Country => true,
            AnswerType::List(list) => list.fields.iter().any(|f| has_country(&f.answer)),
            AnswerType::Grid(grid) => grid.rows.iter().flat_map(|r| &r.answer).any(has_country),
            AnswerType::Table(table) => has_country(&table.cell),
            _ => false,
        }
    }
    let used = instrument
        .items
        .iter()
        .filter_map(|item| item.answer.as_ref())
        .any(has_country);
    if !used {
        return serde_json::Value::Array(Vec::new());
    }
    crate::countries::all()
        .iter()
        .map(|country| {
            let mut row = vec![country.code];
            row.extend(country.names);
            serde_json::json!(row)
        })
        .collect()
}

/// JSON that a `<script>` element holds as written: every `<` escaped (`\u003c`, which only a
/// JSON string can hold), so that no text can close the element.
fn script_json(json: &str) -> String {
    json.replace('<', "\\u003c")
}

#[cfg(test)]
mod tests {
    /// Each language has every string of English, with the same places (`{0}`, `{1}`) for
    /// what the page fills in.
    #[test]
    fn every_language_has_every_string() {
        let strings: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(super::STRINGS).unwrap_or_default();
        let places = |text: &str| {
            let mut found: Vec<&str> = (0..4)
                .map(|n| ["{0}", "{1}", "{2}", "{3}"][n])
                .filter(|place| text.contains(place))
                .collect();
            found.sort_unstable();
            found
        };
        let english = strings["en"].as_object().cloned().unwrap_or_default();
        assert!(english.len() > 20);
        for language in ["fr", "es", "ar", "ru", "zh"] {
            let other = strings[language].as_object().cloned().unwrap_or_default();
            for (key, text) in &english {
                let translated = other.get(key).and_then(|t| t.as_str());
                assert!(translated.is_some(), "`{language}` has no `{key}`");
                assert_eq!(
                    places(translated.unwrap_or_default()),
                    places(text.as_str().unwrap_or_default()),
                    "`{language}` `{key}`"
                );
            }
            assert_eq!(
                other.len(),
                english.len(),
                "`{language}` has strings English has not"
            );
        }
    }

    #[test]
    fn scripts_never_close_their_element() {
        for source in [super::SCRIPT, super::LOGIC, super::STYLE] {
            assert!(!source.to_ascii_lowercase().contains("</script"));
            assert!(!source.to_ascii_lowercase().contains("</style"));
        }
        let json = super::script_json(r#"{"label": "</script><script>alert(1)</script>"}"#);
        assert!(!json.contains('<'));
        let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(value["label"], "</script><script>alert(1)</script>");
    }
}
