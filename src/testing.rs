//! Tests written in an instrument (`test "…" { given { … } expect … }`): checking that their
//! answers fit the instrument, running them, and which conditions they exercise.
//!
//! A test's answers make a reply; its expectations are checked with the one evaluator of
//! conditions ([`eval`](crate::eval)) and the one validator ([`validate`](crate::validate)), so
//! a test says what `qc validate` and every export's logic will do.

use miette::Diagnostic;
use serde::Serialize;
use serde_json::{json, Value};
use thiserror::Error;
use typed_index_collections::TiSlice;

use crate::arena::Arena;
use crate::codes::Code;
use crate::eval;
use crate::model::{AnswerType, Expect, Instrument, ItemId, Severity, Test};
use crate::span::Span;
use crate::validate::{Options, Problem, Validator};

/// A diagnostic of the testing stage, at check time.
#[derive(Clone, Debug, Error, Diagnostic, PartialEq)]
pub enum TestError {
    #[error("an answer of test “{test}” does not fit")]
    #[diagnostic(
        code(E0128),
        help("give answers a reply could give, or expect the problem: `{expectation}`")
    )]
    AnswerDoesNotFit {
        test: String,
        #[label("{} {message}", code.as_str())]
        span: Span,
        /// The problem the validator finds in the test's reply.
        code: Code,
        message: String,
        /// The expectation that would say the problem: `expect problem V0114 at hh_size`.
        expectation: String,
    },
}

/// What running the tests of an instrument found.
#[derive(Debug, Serialize)]
pub struct Report {
    pub tests: Vec<Outcome>,
    /// Each condition, and whether some test saw it true and some test saw it false.
    pub conditions: Vec<ConditionCoverage>,
}

impl Report {
    pub fn failed(&self) -> usize {
        self.tests.iter().filter(|t| !t.failures.is_empty()).count()
    }

    /// The conditions that no test saw both true and false.
    pub fn uncovered(&self) -> impl Iterator<Item = &ConditionCoverage> {
        self.conditions
            .iter()
            .filter(|c| !(c.seen_true && c.seen_false))
    }
}

/// One test's result.
#[derive(Debug, Serialize)]
pub struct Outcome {
    pub name: String,
    #[serde(skip)]
    pub span: Span,
    pub failures: Vec<Failure>,
}

/// An expectation that did not hold.
#[derive(Debug, Serialize)]
pub struct Failure {
    pub message: String,
    /// The `expect` that failed.
    #[serde(skip)]
    pub span: Span,
}

/// Whether the tests saw a condition both ways.
#[derive(Debug, Serialize)]
pub struct ConditionCoverage {
    /// The item whose condition it is.
    pub item: String,
    /// The grid column whose condition it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The field of a list's records whose condition it is: seen on each record a test gives.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The `if` of a calculated value whose condition it is, counted from 1 in the order
    /// written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branch: Option<usize>,
    pub seen_true: bool,
    pub seen_false: bool,
    #[serde(skip)]
    pub span: Span,
}

/// The reply a test's answers make.
fn reply(instrument: &Instrument, test: &Test) -> Value {
    let mut reply = json!({ "form": instrument.id, "answers": test.answers });
    if let (Some(version), Some(object)) = (&instrument.version, reply.as_object_mut()) {
        object.insert("version".to_owned(), json!(version));
    }
    reply
}

/// The answers of each test that expects no problem must fit the instrument: an answer of the
/// wrong type, or to an item its other answers do not ask, makes the test mean nothing. (A
/// test that expects a problem may give wrong answers on purpose.)
pub fn check(instrument: &Instrument) -> Vec<TestError> {
    let validator = Validator::new(instrument);
    let mut errors = Vec::new();
    for test in &instrument.tests {
        let expects_problem = test
            .expectations
            .iter()
            .any(|e| matches!(e.expect, Expect::Problem { .. }));
        if expects_problem {
            continue;
        }
        let problems = validator.validate(&reply(instrument, test), Options { complete: false });
        for problem in problems.iter().filter(|p| is_error(p)) {
            let key = problem.pointer.split('/').nth(2).unwrap_or("");
            let span = test
                .given
                .iter()
                .find(|(given, _)| given == key)
                .map_or(test.span, |(_, span)| *span);
            let expectation = match &problem.item {
                Some(item) => format!("expect problem {} at {item}", problem.code.as_str()),
                None => format!("expect problem {}", problem.code.as_str()),
            };
            errors.push(TestError::AnswerDoesNotFit {
                test: test.name.clone(),
                span,
                code: problem.code,
                message: problem.message.clone(),
                expectation,
            });
        }
    }
    errors
}

/// An error other than an unanswered item: tests give only the answers they need.
fn is_error(problem: &Problem) -> bool {
    problem.severity == Severity::Error && problem.code != Code::Unanswered
}

/// Runs every test of an instrument.
pub fn run(instrument: &Instrument) -> Report {
    let today = eval::today();
    let validator = Validator::new(instrument).with_today(&today);
    let mut conditions = conditions(instrument);
    let mut tests = Vec::with_capacity(instrument.tests.len());
    for test in &instrument.tests {
        let reply = reply(instrument, test);
        // Conditions read calculated values as the validator computes them.
        let answers = &eval::with_calculations(instrument, &test.answers, &today);
        let enabled = eval::enabled(instrument, answers);
        for coverage in &mut conditions {
            let (item, column) = (coverage.id, coverage.column_index);
            if let Some(condition) = &coverage.branch {
                let holds = eval::holds(instrument, condition, answers);
                coverage.coverage.seen_true |= holds;
                coverage.coverage.seen_false |= !holds;
            } else if let Some(field) = coverage.field_index {
                // On each record of the list, where the list is asked.
                for holds in field_holds(instrument, &enabled, item, field, answers) {
                    coverage.coverage.seen_true |= holds;
                    coverage.coverage.seen_false |= !holds;
                }
            } else if let Some(holds) = condition_holds(instrument, item, column, answers) {
                coverage.coverage.seen_true |= holds;
                coverage.coverage.seen_false |= !holds;
            }
        }
        let mut problems: Option<Vec<Problem>> = None;
        let mut failures = Vec::new();
        for expectation in &test.expectations {
            let failure = match &expectation.expect {
                Expect::Asked {
                    item,
                    column,
                    asked,
                } => {
                    let is = column_asked(instrument, &enabled, *item, *column, answers);
                    (is != *asked).then(|| {
                        let what = describe(instrument, *item, *column);
                        if *asked {
                            format!("expected {what} to be asked, but it is not")
                        } else {
                            format!("expected {what} not to be asked, but it is")
                        }
                    })
                }
                Expect::Required { item, required } => {
                    let asked = enabled.at(*item);
                    let is = *asked && instrument.item(*item).required;
                    let id = &instrument.item(*item).id;
                    (is != *required).then(|| match (required, asked) {
                        (true, false) => {
                            format!("expected `{id}` to be required, but it is not asked")
                        }
                        (true, true) => {
                            format!("expected `{id}` to be required, but it is optional")
                        }
                        _ => format!(
                            "expected `{id}` not to be required, but it is asked and required"
                        ),
                    })
                }
                Expect::Valid { complete } => {
                    let found = validator.validate(
                        &reply,
                        Options {
                            complete: *complete,
                        },
                    );
                    let errors: Vec<&Problem> = found
                        .iter()
                        .filter(|p| p.severity == Severity::Error)
                        .collect();
                    (!errors.is_empty()).then(|| {
                        let what = if *complete {
                            "a complete reply"
                        } else {
                            "no error"
                        };
                        format!("expected {what}, but validation found {}", list(&errors))
                    })
                }
                Expect::Value { item, value } => {
                    let id = &instrument.item(*item).id;
                    let is = answers.get(id).cloned().unwrap_or(Value::Null);
                    (!crate::validate::same_value(&is, value)).then(|| {
                        let shown = crate::validate::shown_value;
                        format!(
                            "expected `{id}` to be {}, but it is {}",
                            shown(value),
                            shown(&is)
                        )
                    })
                }
                Expect::Problem {
                    code,
                    item,
                    severity,
                } => {
                    let found = problems.get_or_insert_with(|| {
                        validator.validate(&reply, Options { complete: true })
                    });
                    let id = item.map(|item| instrument.item(item).id.as_str());
                    let matches = |p: &&Problem| {
                        p.code.as_str() == code
                            && (id.is_none() || p.item.as_deref() == id)
                            && severity.is_none_or(|severity| p.severity == severity)
                    };
                    (!found.iter().any(|p| matches(&p))).then(|| {
                        let at = id.map_or(String::new(), |id| format!(" at `{id}`"));
                        let code = match severity {
                            Some(Severity::Warning) => format!("warning {code}"),
                            Some(_) => format!("error {code}"),
                            None => format!("problem {code}"),
                        };
                        let all: Vec<&Problem> = found.iter().collect();
                        if all.is_empty() {
                            format!("expected {code}{at}, but validation found none")
                        } else {
                            format!("expected {code}{at}, but validation found {}", list(&all))
                        }
                    })
                }
            };
            if let Some(message) = failure {
                failures.push(Failure {
                    message,
                    span: expectation.span,
                });
            }
        }
        tests.push(Outcome {
            name: test.name.clone(),
            span: test.span,
            failures,
        });
    }
    Report {
        tests,
        conditions: conditions.into_iter().map(|c| c.coverage).collect(),
    }
}

/// A condition being tracked, and where it is.
struct Tracked {
    id: ItemId,
    column_index: Option<usize>,
    field_index: Option<usize>,
    /// The condition of an `if` in a calculated value.
    branch: Option<crate::model::Condition>,
    coverage: ConditionCoverage,
}

/// Every condition of the instrument: items', grid columns' and list fields'.
fn conditions(instrument: &Instrument) -> Vec<Tracked> {
    let mut out = Vec::new();
    for (index, item) in instrument.items.iter().enumerate() {
        let track = |column: Option<(usize, &str)>| Tracked {
            id: ItemId::from(index),
            column_index: column.map(|(i, _)| i),
            field_index: None,
            branch: None,
            coverage: ConditionCoverage {
                item: item.id.clone(),
                column: column.map(|(_, id)| id.to_owned()),
                field: None,
                branch: None,
                seen_true: false,
                seen_false: false,
                span: item.span,
            },
        };
        if item.condition.is_some() {
            out.push(track(None));
        }
        if let Some(calculation) = &item.calculation {
            let mut branches = Vec::new();
            if_conditions(calculation, &mut branches);
            for (n, condition) in branches.into_iter().enumerate() {
                let mut tracked = track(None);
                tracked.branch = Some(condition);
                tracked.coverage.branch = Some(n + 1);
                out.push(tracked);
            }
        }
        if let Some(AnswerType::List(list)) = &item.answer {
            for (i, field) in list.fields.iter().enumerate() {
                if field.condition.is_some() {
                    let mut tracked = track(None);
                    tracked.field_index = Some(i);
                    tracked.coverage.field = Some(field.id.clone());
                    if field.span != Span::default() {
                        tracked.coverage.span = field.span;
                    }
                    out.push(tracked);
                }
            }
        }
        if let Some(AnswerType::Grid(grid)) = &item.answer {
            for (i, column) in grid.columns.iter().enumerate() {
                if column.condition.is_some() {
                    out.push(track(Some((i, column.id.as_str()))));
                }
            }
        }
    }
    out
}

/// The conditions of the `if`s in a value, in the order written.
fn if_conditions(operand: &crate::model::Operand, out: &mut Vec<crate::model::Condition>) {
    use crate::model::Operand;
    crate::stack::guard(|| match operand {
        Operand::If {
            condition,
            then,
            otherwise,
        } => {
            out.push((**condition).clone());
            if_conditions(then, out);
            if_conditions(otherwise, out);
        }
        Operand::Sum {
            add: first,
            subtract: second,
        }
        | Operand::Product {
            multiply: first,
            divide: second,
        } => first
            .iter()
            .chain(second)
            .for_each(|o| if_conditions(o, out)),
        Operand::Aggregate { over, .. } => over.iter().for_each(|o| if_conditions(o, out)),
        Operand::Year(inner) => if_conditions(inner, out),
        Operand::Between { from, to, .. } => {
            if_conditions(from, out);
            if_conditions(to, out);
        }
        _ => {}
    })
}

/// Whether a field's condition holds, on each record of its list (none when the list is not
/// asked).
fn field_holds(
    instrument: &Instrument,
    enabled: &TiSlice<ItemId, bool>,
    list: ItemId,
    field: usize,
    answers: &eval::Answers,
) -> Vec<bool> {
    let item = instrument.item(list);
    let Some(AnswerType::List(shape)) = &item.answer else {
        return Vec::new();
    };
    let Some(condition) = shape.fields.get(field).and_then(|f| f.condition.as_ref()) else {
        return Vec::new();
    };
    if !enabled[list] {
        return Vec::new();
    }
    answers
        .get(&item.id)
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(serde_json::Value::as_object)
        .map(|record| eval::holds_in_record(instrument, condition, answers, (list, record)))
        .collect()
}

fn condition_holds(
    instrument: &Instrument,
    item: ItemId,
    column: Option<usize>,
    answers: &eval::Answers,
) -> Option<bool> {
    let item = instrument.item(item);
    let condition = match (column, &item.answer) {
        (None, _) => item.condition.as_ref()?,
        (Some(index), Some(AnswerType::Grid(grid))) => grid.columns.at(index).condition.as_ref()?,
        _ => return None,
    };
    Some(eval::holds(instrument, condition, answers))
}

/// Whether an item, or a column of a grid, is asked.
fn column_asked(
    instrument: &Instrument,
    enabled: &TiSlice<ItemId, bool>,
    item: ItemId,
    column: Option<usize>,
    answers: &eval::Answers,
) -> bool {
    enabled[item]
        && column.is_none_or(|_| condition_holds(instrument, item, column, answers) != Some(false))
}

fn describe(instrument: &Instrument, item: ItemId, column: Option<usize>) -> String {
    let item = instrument.item(item);
    match (column, &item.answer) {
        (Some(index), Some(AnswerType::Grid(grid))) => {
            format!("column `{}` of `{}`", grid.columns.at(index).id, item.id)
        }
        _ => format!("`{}`", item.id),
    }
}

/// The first problems, for a failure message.
fn list(problems: &[&Problem]) -> String {
    let shown: Vec<String> = problems
        .iter()
        .take(3)
        .map(|p| {
            let kind = match p.severity {
                Severity::Warning => "warning ",
                _ => "",
            };
            format!("{kind}{} at {}", p.code.as_str(), p.pointer)
        })
        .collect();
    let more = if problems.len() > 3 {
        format!(" and {} more", problems.len() - 3)
    } else {
        String::new()
    };
    format!("{}{more}", shown.join(", "))
}
