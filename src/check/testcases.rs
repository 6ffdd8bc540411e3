//! The test sub-language of an instrument (`test "…" { given { … } expect … }`): each test's
//! answers resolved to items and values, and its expectations to the model's, once every item
//! is known. Running the tests is `testing`'s.

use rustc_hash::FxHashMap as HashMap;

use super::error::{CheckError, ExpectationProblem};
use super::Checker;
use crate::arena::Arena;
use crate::model::{self, AnswerType, ItemId};
use crate::span::{Note, Span};
use crate::syntax::ast;

impl<'a> Checker<'a> {
    /// Resolves the tests of the entry file, once every item is known.
    pub(super) fn tests(&mut self, file: &'a ast::File) {
        self.env = self.entry();
        let tests = file.declarations.iter().filter_map(|d| match d {
            ast::Declaration::Test(test) => Some(test),
            _ => None,
        });
        for test in tests {
            let mut answers = serde_json::Map::new();
            let mut given = Vec::new();
            let mut seen: HashMap<&str, Span> = HashMap::default();
            for answer in &test.given {
                if let Some(first) = seen.insert(&answer.target.name, answer.target.span) {
                    self.errors.push(CheckError::Duplicate {
                        kind: "answer",
                        name: answer.target.name.clone(),
                        span: answer.target.span,
                        first: Note::new(first, "first given here"),
                    });
                    continue;
                }
                let mut path = answer.target.name.split('.');
                let item = path.next().unwrap_or_default();
                let mut value = test_value(&answer.value);
                // A code the item allows as a special answer is that special answer.
                if let ast::TestValue::Code(code) = &answer.value {
                    let special =
                        self.walk.item_names.get(item).is_some_and(|id| {
                            self.walk.items.at(*id).specials.contains(&code.name)
                        });
                    if special {
                        value = serde_json::json!({ "special": code.name });
                    }
                }
                // `grid.row` or `table.row.column`: the value goes that deep into the answer.
                let mut slot = answers
                    .entry(item.to_owned())
                    .or_insert(serde_json::Value::Null);
                for key in path {
                    if !slot.is_object() {
                        *slot = serde_json::Value::Object(Default::default());
                    }
                    slot = match slot {
                        serde_json::Value::Object(object) => object
                            .entry(key.to_owned())
                            .or_insert(serde_json::Value::Null),
                        other => other,
                    };
                }
                *slot = value;
                given.push((item.to_owned(), answer.span));
            }
            let expectations = test
                .expectations
                .iter()
                .filter_map(|expectation| self.expectation(expectation))
                .collect();
            self.tests.push(model::Test {
                name: test.name.value.clone(),
                span: test.name.span,
                answers,
                given,
                expectations,
            });
        }
    }

    fn expectation(&mut self, expectation: &'a ast::Expectation) -> Option<model::Expectation> {
        let expect = match &expectation.kind {
            ast::ExpectationKind::Valid { complete } => model::Expect::Valid {
                complete: *complete,
            },
            ast::ExpectationKind::Value { target, value } => model::Expect::Value {
                item: self.test_item(target)?,
                value: value.as_ref().map_or(serde_json::Value::Null, test_value),
            },
            ast::ExpectationKind::Problem { code, at, warning } => {
                if crate::codes::Code::parse(&code.name).is_none() {
                    self.errors.push(CheckError::TestExpectation(
                        ExpectationProblem::NotAProblemCode {
                            code: code.name.clone(),
                            span: code.span,
                        },
                    ));
                    return None;
                }
                let item = match at {
                    Some(at) => Some(self.test_item(at)?),
                    None => None,
                };
                model::Expect::Problem {
                    code: code.name.clone(),
                    item,
                    severity: warning.map(|warning| match warning {
                        true => model::Severity::Warning,
                        false => model::Severity::Error,
                    }),
                }
            }
            ast::ExpectationKind::Item {
                target,
                negated,
                required,
            } => {
                let (item, column) = match target.name.split_once('.') {
                    Some((grid, column)) => {
                        let grid_ident = ast::Ident {
                            name: grid.to_owned(),
                            span: Span::new(target.span.start, target.span.start + grid.len()),
                        };
                        let item = self.test_item(&grid_ident)?;
                        let columns: Vec<&str> = match &self.walk.items.at(item).answer {
                            Some(AnswerType::Grid(g)) => {
                                g.columns.iter().map(|c| c.id.as_str()).collect()
                            }
                            _ => Vec::new(),
                        };
                        let Some(index) = columns.iter().position(|c| *c == column) else {
                            let suggestion = self.did_you_mean(column, columns.iter().copied());
                            self.errors.push(CheckError::TestExpectation(
                                ExpectationProblem::NoColumn {
                                    grid: grid.to_string(),
                                    column: column.to_string(),
                                    span: target.span,
                                    suggestion,
                                },
                            ));
                            return None;
                        };
                        if *required {
                            self.errors.push(CheckError::TestExpectation(
                                ExpectationProblem::ColumnRequired {
                                    span: expectation.span,
                                },
                            ));
                            return None;
                        }
                        (item, Some(index))
                    }
                    None => (self.test_item(target)?, None),
                };
                if *required {
                    model::Expect::Required {
                        item,
                        required: !negated,
                    }
                } else {
                    model::Expect::Asked {
                        item,
                        column,
                        asked: !negated,
                    }
                }
            }
        };
        Some(model::Expectation {
            expect,
            span: expectation.span,
        })
    }

    /// An item a test names; reports an unknown one.
    fn test_item(&mut self, name: &ast::Ident) -> Option<ItemId> {
        let found = self.walk.item_names.get(name.name.as_str()).copied();
        if found.is_none() {
            self.errors.push(CheckError::UnknownItem {
                name: name.name.clone(),
                span: name.span,
                help: self.did_you_mean(&name.name, self.walk.item_names.keys().copied()),
            });
        }
        found
    }
}

/// A test's answer as a reply holds it.
fn test_value(value: &ast::TestValue) -> serde_json::Value {
    use serde_json::json;
    match value {
        ast::TestValue::Code(code) => json!(code.name),
        ast::TestValue::Codes(codes) => {
            json!(codes.iter().map(|c| c.name.as_str()).collect::<Vec<_>>())
        }
        ast::TestValue::Text(text) => json!(text),
        ast::TestValue::Number(number) => json!(number),
        ast::TestValue::Date(date) => json!(date),
        ast::TestValue::Amount { value, currency } => {
            json!({ "value": value, "currency": currency })
        }
        ast::TestValue::Records(records) => json!(records
            .iter()
            .map(|fields| {
                fields
                    .iter()
                    .map(|(id, value)| (id.name.clone(), crate::stack::guard(|| test_value(value))))
                    .collect::<serde_json::Map<_, _>>()
            })
            .collect::<Vec<_>>()),
    }
}
