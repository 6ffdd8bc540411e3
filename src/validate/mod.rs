//! Validating replies: a form is compiled once into a [`Validator`], a tree of small checks,
//! which then checks any number of replies. `is_valid` takes a fast path that stops at the
//! first error and builds no message; `validate` collects every problem. Both run the same
//! checks. Conditions are evaluated by [`crate::eval`], as everywhere in qc.
//!
//! The reply format is documented in `docs/response-format.md`.

mod problem;
mod reply;

use rustc_hash::FxHashMap;
use serde_json::{Map, Value};
use typed_index_collections::TiVec;

use crate::arena::Arena;
use crate::codes::Code;
use crate::eval::{self, Answers};
use crate::model::{AnswerType, Constraint, Count, Instrument, ItemId, ItemKind, Severity};
pub use problem::Problem;
pub use reply::{parse_json, parse_reply, ReplyError, FORM_MAX_DEPTH, MAX_DEPTH};

/// What a validation demands beyond the reply's types.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Enabled required items must be answered (an error, not a warning).
    pub complete: bool,
}

/// What checking one item's answer reads besides the item: the reply's answers, the answers
/// with calculated values and today's date, whether the item is asked, and the options.
#[derive(Clone, Copy)]
struct Scope<'a> {
    answers: &'a Map<String, Value>,
    computed: &'a Answers,
    asked: bool,
    options: Options,
}

/// A form compiled for checking replies.
pub struct Validator<'i> {
    instrument: &'i Instrument,
    /// How each item's answer is checked, by item; `None` for items that take no answer.
    checks: TiVec<ItemId, Option<Rule<'i>>>,
    by_id: FxHashMap<&'i str, ItemId>,
    /// The date `today()` reads, as `YYYY-MM-DD`.
    today: String,
    /// Whether the rules read calculated values or today's date, beyond the answers.
    computes: bool,
    /// The calculated values, each after those it reads.
    calculations: Vec<ItemId>,
    /// The items whose answers logic reads: what a reply's scope copies.
    reads: Vec<ItemId>,
}

/// The check of one answer type.
enum Rule<'i> {
    Choice {
        codes: Vec<&'i str>,
        multiple: bool,
    },
    Text,
    Date,
    Country,
    Number {
        integer: bool,
        min: Option<f64>,
        max: Option<f64>,
    },
    Amount {
        currencies: &'i [String],
    },
    List {
        fields: Vec<Field<'i>>,
    },
    Grid(Grid<'i>),
    Table(Table<'i>),
}

struct Field<'i> {
    id: &'i str,
    required: bool,
    /// Asked of some records only: whether it is asked, and so required, is decided with the
    /// list's own logic.
    conditional: bool,
    check: Rule<'i>,
}

struct Table<'i> {
    /// Each row's id, and whether it is the total row.
    rows: Vec<(&'i str, bool)>,
    columns: Vec<(&'i str, bool)>,
    cell: Box<Rule<'i>>,
}

struct Grid<'i> {
    columns: Vec<&'i str>,
    /// Each row: its id and, for a row answered in words, its check.
    rows: Vec<(&'i str, Option<Rule<'i>>)>,
    /// The index into the grid's columns, for each column with a condition.
    column_conditions: Vec<(usize, &'i crate::model::Condition)>,
}

impl<'i> Validator<'i> {
    pub fn new(instrument: &'i Instrument) -> Validator<'i> {
        let checks = instrument
            .items
            .iter()
            .map(|item| {
                item.answer
                    .as_ref()
                    .map(|answer| compile(instrument, answer))
            })
            .collect();
        let by_id = instrument
            .items
            .iter()
            .enumerate()
            .filter(|(_, item)| item.answer.is_some())
            .map(|(index, item)| (item.id.as_str(), ItemId::from(index)))
            .collect();
        Validator {
            instrument,
            checks,
            by_id,
            today: eval::today(),
            computes: instrument.computes(),
            calculations: eval::calculation_order(instrument),
            reads: eval::logic_reads(instrument),
        }
    }

    /// The validator with another date for `today()`, as `YYYY-MM-DD`: tests use a fixed one.
    pub fn with_today(mut self, today: &str) -> Validator<'i> {
        today.clone_into(&mut self.today);
        self
    }

    pub fn instrument(&self) -> &'i Instrument {
        self.instrument
    }

    /// Every problem of a reply, in the order of the form.
    pub fn validate(&self, reply: &Value, options: Options) -> Vec<Problem> {
        self.validate_at_most(reply, options, usize::MAX).problems
    }

    /// The first `limit` problems of a reply, in the order of the form, and how many more
    /// there are: what a reply with a million bad records costs stays bounded. The verdict
    /// counts every problem.
    pub fn validate_at_most(&self, reply: &Value, options: Options, limit: usize) -> Checked {
        let mut report = Report::collecting(limit);
        self.run(reply, options, &mut report);
        Checked {
            problems: report.problems,
            omitted: report.omitted,
            valid: !report.failed,
        }
    }

    /// Whether a reply has no error (warnings allowed); stops at the first error.
    pub fn is_valid(&self, reply: &Value, options: Options) -> bool {
        let mut report = Report::fast();
        self.run(reply, options, &mut report);
        !report.failed
    }

    /// A copy of the reply without the answers to items that are not asked, nor the ticks in
    /// grid columns that are not asked.
    pub fn strip_disabled(&self, reply: &Value) -> Value {
        let mut reply = reply.clone();
        let Some(answers) = reply.get_mut("answers").and_then(Value::as_object_mut) else {
            return reply;
        };
        let snapshot = self.scope(answers).into_owned();
        let enabled = eval::enabled(self.instrument, &snapshot);
        answers.retain(|id, _| match self.by_id.get(id.as_str()) {
            Some(item) => *enabled.at(*item),
            None => true,
        });
        for (id, value) in answers.iter_mut() {
            let Some(item) = self.by_id.get(id.as_str()) else {
                continue;
            };
            if let (Some(Rule::Grid(grid)), Some(rows)) =
                (&self.checks.at(*item), value.as_object_mut())
            {
                let closed = grid.closed_columns(self.instrument, &snapshot);
                for ticks in rows.values_mut().filter_map(Value::as_array_mut) {
                    ticks.retain(|tick| !tick.as_str().is_some_and(|c| closed.contains(&c)));
                }
            }
        }
        reply
    }

    /// The answers as the rules read them: with today's date and the calculated values.
    fn scope<'a>(&self, answers: &'a Map<String, Value>) -> std::borrow::Cow<'a, Answers> {
        eval::scope(
            self.instrument,
            answers,
            &self.today,
            self.computes,
            &self.calculations,
            &self.reads,
        )
    }

    /// Checks a reply: its envelope, then each answer, then the sections' constraints.
    fn run(&self, reply: &Value, options: Options, report: &mut Report) {
        let Some(answers) = self.envelope(reply, report) else {
            return;
        };
        self.unknown_ids(answers, report);
        let computed = self.scope(answers);
        let computed = computed.as_ref();
        let enabled = eval::enabled(self.instrument, computed);
        for (item, rule) in self.checks.iter_enumerated() {
            if report.stopped() {
                return;
            }
            let Some(rule) = rule else { continue };
            let scope = Scope {
                answers,
                computed,
                asked: *enabled.at(item),
                options,
            };
            self.item(item, rule, &scope, report);
        }
        for section in &self.instrument.sections {
            self.constraints(None, &section.constraints, computed, None, report);
        }
    }

    /// The reply's envelope: an object for this form (and version) with an `answers` object,
    /// which it gives; `None` when there is nothing to check one by one.
    fn envelope<'r>(
        &self,
        reply: &'r Value,
        report: &mut Report,
    ) -> Option<&'r Map<String, Value>> {
        let Some(object) = reply.as_object() else {
            report.error(|| Problem::reply(Code::NotAReply, "", "the reply is not a JSON object"));
            return None;
        };
        // Answers to another form, or to no form named, are not worth checking one by one.
        match object.get("form") {
            Some(Value::String(form)) if form == &self.instrument.id => {}
            Some(Value::String(form)) => {
                let expected = &self.instrument.id;
                report.error(|| {
                    Problem::reply(
                        Code::WrongForm,
                        "/form",
                        format!("the reply is to form `{}`, not `{expected}`", shown(form)),
                    )
                });
                return None;
            }
            _ => {
                report.error(|| {
                    Problem::reply(Code::NotAReply, "/form", "the reply has no `form` string")
                });
                return None;
            }
        }
        let version = object.get("version").filter(|version| !version.is_null());
        if version.is_some_and(|version| !version.is_string()) {
            report.error(|| {
                Problem::reply(Code::NotAReply, "/version", "`version` must be a string")
            });
        }
        let version = version.and_then(Value::as_str);
        if let (Some(version), Some(expected)) = (version, self.instrument.version.as_deref()) {
            if version != expected {
                report.warning(|| {
                    Problem::reply(
                        Code::WrongVersion,
                        "/version",
                        format!(
                            "the reply is to version `{}`, the form is version `{expected}`",
                            shown(version)
                        ),
                    )
                });
            }
        }
        let answers = object.get("answers").and_then(Value::as_object);
        if answers.is_none() {
            report.error(|| {
                Problem::reply(
                    Code::NotAReply,
                    "/answers",
                    "the reply has no `answers` object",
                )
            });
        }
        answers
    }

    /// Answers to ids the form does not have.
    fn unknown_ids(&self, answers: &Map<String, Value>, report: &mut Report) {
        for (id, _) in answers {
            if report.stopped() {
                return;
            }
            if !self.by_id.contains_key(id.as_str()) {
                report.error(|| {
                    Problem::reply(
                        Code::UnknownItem,
                        &pointer(&[id]),
                        format!("the form has no item `{}` that takes an answer", shown(id)),
                    )
                });
            }
        }
    }

    /// One item's answer: its value by its rule, whether it may be answered, whether it must
    /// be, and its constraints.
    fn item(&self, item: ItemId, rule: &Rule<'_>, scope: &Scope<'_>, report: &mut Report) {
        let Scope {
            answers,
            computed,
            asked,
            options,
        } = *scope;
        let id = self.instrument.item(item).id.as_str();
        if self.instrument.item(item).kind == ItemKind::Calculated {
            self.calculation(item, answers, computed, report);
            return;
        }
        let required = self.instrument.item(item).required;
        match answers.get(id).filter(|value| !value.is_null()) {
            Some(value) => {
                if !asked {
                    report.error(|| {
                        self.problem(
                            item,
                            Code::Disabled,
                            &pointer(&[id]),
                            "is answered, but it is not asked: its condition is false".to_owned(),
                        )
                    });
                }
                let path = Path::item(id);
                if let Some(special) = special_object(value) {
                    self.special(item, special, &path, report);
                    return;
                }
                self.value(item, rule, value, &path, report);
                match rule {
                    Rule::Grid(grid) => {
                        self.grid_columns(item, grid, value, computed, &path, report);
                        // "Mark the box(es)": a required grid has a tick in a column asked.
                        if asked && required && !grid.ticked(self.instrument, value, computed) {
                            let problem = || {
                                self.problem(
                                    item,
                                    Code::Unanswered,
                                    &pointer(&[id]),
                                    "is asked and required, but no box is ticked in a column that is asked"
                                        .to_owned(),
                                )
                            };
                            match options.complete {
                                true => report.error(problem),
                                false => report.warning(problem),
                            }
                        }
                    }
                    Rule::List { fields } if asked => {
                        self.records(item, fields, value, computed, &path, options, report);
                    }
                    Rule::Table(table) => {
                        self.totals(item, table, value, &path, report);
                        if asked && required {
                            self.cells(item, table, value, &path, options, report);
                        }
                    }
                    _ => {}
                }
            }
            None if asked && required => {
                let problem = || {
                    self.problem(
                        item,
                        Code::Unanswered,
                        &pointer(&[id]),
                        "is asked and required, but not answered".to_owned(),
                    )
                };
                if options.complete {
                    report.error(problem);
                } else {
                    report.warning(problem);
                }
            }
            None => {}
        }
        if asked {
            let constraints = &self.instrument.item(item).constraints;
            self.constraints(Some(item), constraints, computed, None, report);
        }
    }

    /// Reports the constraints that the answers break (or, in a list, the record at hand).
    fn constraints(
        &self,
        item: Option<ItemId>,
        constraints: &[Constraint],
        answers: &Answers,
        record: Option<(ItemId, &Map<String, Value>, &Path<'_>)>,
        report: &mut Report,
    ) {
        for constraint in constraints {
            let scope = record.map(|(list, record, _)| (list, record));
            if let [ours, theirs] =
                eval::currencies(self.instrument, constraint, answers, scope).as_slice()
            {
                // A difference of currency is the reply's problem, not a rate to apply.
                let at = match (record, item) {
                    (Some((_, _, path)), _) => path.render(),
                    (None, Some(item)) => pointer(&[&self.instrument.item(item).id]),
                    (None, None) => "/answers".to_owned(),
                };
                let message = format!(
                    "compares amounts in {ours} and in {theirs}, which qc does not convert: “{}” is not checked",
                    self.filled(&constraint.message, answers)
                );
                report.warning(|| {
                    let mut problem = match item {
                        Some(item) => Problem::new(
                            Code::Currencies,
                            &at,
                            message.clone(),
                            Some((self.instrument, item)),
                        ),
                        None => Problem::reply(Code::Currencies, &at, message.clone()),
                    };
                    problem.span = Some(constraint.span);
                    problem
                });
                continue;
            }
            if eval::keeps(self.instrument, constraint, answers, scope) {
                continue;
            }
            let problem = || {
                if let Some(problem) = self.repeated(constraint, answers, record.is_some()) {
                    return problem;
                }
                let pointer = match (record, item) {
                    (Some((_, _, path)), _) => path.render(),
                    (None, Some(item)) => pointer(&[&self.instrument.item(item).id]),
                    (None, None) => "/answers".to_owned(),
                };
                let message = self.filled(&constraint.message, answers);
                let mut problem = match item {
                    Some(item) => Problem::new(
                        Code::Constraint,
                        &pointer,
                        message,
                        Some((self.instrument, item)),
                    ),
                    None => Problem::reply(Code::Constraint, &pointer, message),
                };
                problem.span = Some(constraint.span);
                problem
            };
            match constraint.severity {
                Severity::Error => report.error(problem),
                _ => report.warning(problem),
            }
        }
    }

    /// A broken `unique(list.field)` rule, located at the first record that repeats an
    /// earlier one's value: `/answers/members/2/name`, "…: record 3 repeats record 1".
    fn repeated(
        &self,
        constraint: &Constraint,
        answers: &Answers,
        in_record: bool,
    ) -> Option<Problem> {
        let crate::model::Condition::Unique { list, field } = &constraint.condition else {
            return None;
        };
        if in_record {
            return None;
        }
        let (earlier, later) = eval::repeated(self.instrument, answers, *list, *field)?;
        let Some(AnswerType::List(declared)) = &self.instrument.item(*list).answer else {
            return None;
        };
        let field = &declared.fields.get(*field)?.id;
        let at = pointer(&[&self.instrument.item(*list).id, &later.to_string(), field]);
        // Located at the field, with its label, as other problems of a record's field are.
        let mut problem = self.problem(*list, Code::Constraint, &at, String::new());
        problem.message = format!(
            "{}: record {} repeats record {}",
            self.filled(&constraint.message, answers),
            later + 1,
            earlier + 1
        );
        problem.span = Some(constraint.span);
        Some(problem)
    }

    /// A text with the values it pipes filled in from the answers, as a frontend shows it
    /// (`docs/form-format.md`, "Piped values"): an option's label, a number, an amount's value
    /// and currency, a special answer's label; nothing for an item without a value.
    fn filled(&self, text: &crate::model::Text, answers: &Answers) -> String {
        let mut out = String::new();
        for part in text.parts() {
            match part {
                crate::model::Part::Literal(literal) => out.push_str(literal),
                crate::model::Part::Piped(id) => {
                    out.push_str(&shown(&self.shown_value(*id, answers)))
                }
            }
        }
        out
    }

    /// An item's value as a text shows it.
    fn shown_value(&self, id: ItemId, answers: &Answers) -> String {
        let item = self.instrument.item(id);
        let Some(value) = answers.get(&item.id).filter(|value| !value.is_null()) else {
            return String::new();
        };
        if let Some(code) = value.get("special").and_then(Value::as_str) {
            return self
                .instrument
                .specials
                .iter()
                .find(|special| special.code == code)
                .map_or_else(
                    || code.to_owned(),
                    |special| self.instrument.written(&special.label),
                );
        }
        let label = |code: &str, scale: crate::model::ScaleId| {
            self.instrument
                .scale(scale)
                .options
                .iter()
                .find(|option| option.code == code)
                .map_or_else(
                    || code.to_owned(),
                    |option| self.instrument.written(&option.label),
                )
        };
        match (&item.answer, value) {
            (Some(AnswerType::Choice { scale, .. }), Value::String(code)) => label(code, *scale),
            // In the order of the options.
            (Some(AnswerType::Choice { scale, .. }), Value::Array(codes)) => self
                .instrument
                .scale(*scale)
                .options
                .iter()
                .filter(|option| codes.iter().any(|code| code.as_str() == Some(&option.code)))
                .map(|option| label(&option.code, *scale))
                .collect::<Vec<_>>()
                .join(", "),
            (Some(AnswerType::Amount { .. }), Value::Object(amount)) => {
                let part = |key: &str| match amount.get(key) {
                    Some(Value::String(text)) => text.clone(),
                    Some(other) => other.to_string(),
                    None => String::new(),
                };
                format!("{} {}", part("value"), part("currency"))
                    .trim()
                    .to_owned()
            }
            (_, Value::String(text)) => text.clone(),
            (_, Value::Number(number)) => eval::number_text(number),
            (_, other) => other.to_string(),
        }
    }

    /// A calculated value stored in the reply must be the one the answers give.
    fn calculation(
        &self,
        item: ItemId,
        answers: &Answers,
        computed: &Answers,
        report: &mut Report,
    ) {
        let id = self.instrument.item(item).id.as_str();
        if let Some(calculation) = &self.instrument.item(item).calculation {
            if let [ours, theirs] =
                eval::value_currencies(self.instrument, calculation, computed, None).as_slice()
            {
                report.warning(|| {
                    self.problem(
                        item,
                        Code::Currencies,
                        &pointer(&[id]),
                        format!("computes with amounts in {ours} and in {theirs}, which qc does not convert: it has no value"),
                    )
                });
            }
        }
        let Some(stored) = answers.get(id).filter(|value| !value.is_null()) else {
            return;
        };
        let expected = computed.get(id).unwrap_or(&Value::Null);
        if !same_value(stored, expected) {
            let shown_expected = shown_value(expected);
            report.error(|| {
                self.problem(
                    item,
                    Code::Calculation,
                    &pointer(&[id]),
                    format!(
                        "is stored as {}, but the answers give {shown_expected}",
                        shown(&stored.to_string())
                    ),
                )
            });
        }
    }

    /// A special answer is `{"special": "code"}`, alone, with a code the item allows.
    fn special(
        &self,
        item: ItemId,
        object: &Map<String, Value>,
        path: &Path<'_>,
        report: &mut Report,
    ) {
        let special = match object.get("special") {
            Some(Value::String(code)) if object.len() == 1 => code.as_str(),
            Some(Value::String(_)) => {
                return report.error(|| {
                    self.problem(
                        item,
                        Code::BadSpecial,
                        &path.render(),
                        "has a special answer with other keys beside `special`: a special answer is `{\"special\": \"code\"}` alone".to_owned(),
                    )
                });
            }
            _ => {
                return report.error(|| {
                    self.problem(
                        item,
                        Code::BadSpecial,
                        &path.render(),
                        "has a `special` that is not a code (a string)".to_owned(),
                    )
                });
            }
        };
        let allowed = &self.instrument.item(item).specials;
        if allowed.iter().any(|code| code == special) {
            return;
        }
        report.error(|| {
            let list: Vec<String> = allowed.iter().map(|c| format!("`{c}`")).collect();
            let detail = match list.as_slice() {
                [] => "allows no special answer".to_owned(),
                [one] => format!("allows only the special answer {one}"),
                _ => format!("allows the special answers {}", list.join(", ")),
            };
            self.problem(
                item,
                Code::BadSpecial,
                &path.render(),
                format!("has special answer `{}`, but {detail}", shown(special)),
            )
        });
    }

    /// A list's own logic: how many records, which fields each record is asked, and the
    /// constraints on each record.
    #[allow(clippy::too_many_arguments)]
    fn records(
        &self,
        item: ItemId,
        fields: &[Field<'_>],
        value: &Value,
        answers: &Answers,
        path: &Path<'_>,
        options: Options,
        report: &mut Report,
    ) {
        let Some(records) = value.as_array() else {
            return;
        };
        let Some(AnswerType::List(list)) = &self.instrument.item(item).answer else {
            return;
        };
        let count = |count: &Count| match count {
            Count::Number(n) => Some(*n as f64),
            Count::Item(id) => answers
                .get(&self.instrument.item(*id).id)
                .and_then(Value::as_f64),
        };
        let len = records.len() as f64;
        for (bound, too) in [(&list.min, "few"), (&list.max, "many")] {
            let Some(limit) = bound.as_ref().and_then(count) else {
                continue;
            };
            let broken = if too == "few" {
                len < limit
            } else {
                len > limit
            };
            if !broken {
                continue;
            }
            // A number read from an answer: the records and that answer may both still change
            // while the reply is in progress, so it is an error only when it must be complete.
            let from_answer = match bound {
                Some(Count::Item(id)) => {
                    let counted = self.instrument.item(*id);
                    Some(match &counted.number {
                        Some(number) => {
                            format!(" (the answer to question {number} `{}`)", counted.id)
                        }
                        None => format!(" (the answer to `{}`)", counted.id),
                    })
                }
                _ => None,
            };
            let problem = || {
                self.problem(
                    item,
                    Code::RecordCount,
                    &path.render(),
                    format!(
                        "has {len} record{}: too {too}, it takes {} {limit}{}",
                        if records.len() == 1 { "" } else { "s" },
                        if too == "few" { "at least" } else { "at most" },
                        from_answer.as_deref().unwrap_or_default()
                    ),
                )
            };
            match from_answer.is_some() && !options.complete {
                true => report.warning(problem),
                false => report.error(problem),
            }
        }
        let computes = list.fields.iter().any(|field| field.calculation.is_some());
        for (index, record) in records.iter().enumerate() {
            let Some(stored) = record.as_object() else {
                continue;
            };
            let path = path.index(index);
            // The record's computed fields as computed, which its logic reads.
            let computed;
            let object = match computes {
                true => {
                    computed = eval::with_record_values(self.instrument, item, stored, answers);
                    self.record_values(item, answers, stored, &computed, &path, report);
                    &computed
                }
                false => stored,
            };
            for (field, model) in fields.iter().zip(&list.fields) {
                let Some(condition) = &model.condition else {
                    continue;
                };
                let asked =
                    eval::holds_in_record(self.instrument, condition, answers, (item, object));
                let present = object.get(field.id).is_some_and(|value| !value.is_null());
                if present && !asked {
                    report.error(|| {
                        self.problem(
                            item,
                            Code::Disabled,
                            &path.key(field.id).render(),
                            "is answered where it is not asked: its condition is false".to_owned(),
                        )
                    });
                } else if asked && !present && field.required {
                    report.error(|| {
                        self.problem(
                            item,
                            Code::BadRecord,
                            &path.key(field.id).render(),
                            "is asked and required, but not answered".to_owned(),
                        )
                    });
                }
            }
            self.constraints(
                Some(item),
                &list.constraints,
                answers,
                Some((item, object, &path)),
                report,
            );
        }
    }

    /// A record's computed fields, where the reply stores them, agree with what its fields
    /// give (V0115), as a calculated value's do.
    fn record_values(
        &self,
        item: ItemId,
        answers: &Answers,
        stored: &Map<String, Value>,
        computed: &Map<String, Value>,
        path: &Path<'_>,
        report: &mut Report,
    ) {
        let Some(AnswerType::List(list)) = &self.instrument.item(item).answer else {
            return;
        };
        for field in &list.fields {
            let Some(calculation) = &field.calculation else {
                continue;
            };
            if let [ours, theirs] = eval::value_currencies(
                self.instrument,
                calculation,
                answers,
                Some((item, computed)),
            )
            .as_slice()
            {
                report.warning(|| {
                    self.problem(
                        item,
                        Code::Currencies,
                        &path.key(&field.id).render(),
                        format!("`{}` computes with amounts in {ours} and in {theirs}, which qc does not convert: it has no value", field.id),
                    )
                });
            }
            let Some(value) = stored.get(&field.id).filter(|value| !value.is_null()) else {
                continue;
            };
            let expected = computed.get(&field.id).unwrap_or(&Value::Null);
            if same_value(value, expected) {
                continue;
            }
            report.error(|| {
                self.problem(
                    item,
                    Code::Calculation,
                    &path.key(&field.id).render(),
                    format!(
                        "is stored as {}, but the record's fields give {}",
                        shown(&value.to_string()),
                        shown_value(expected)
                    ),
                )
            });
        }
    }

    /// Every cell of a required table is filled in, with a value or a special answer; like an
    /// unanswered item, a missing cell is a warning unless the reply must be complete.
    fn cells(
        &self,
        item: ItemId,
        table: &Table<'_>,
        value: &Value,
        path: &Path<'_>,
        options: Options,
        report: &mut Report,
    ) {
        let Some(rows) = value.as_object() else {
            return;
        };
        for (row, _) in &table.rows {
            let cells = rows.get(*row).and_then(Value::as_object);
            for (column, _) in &table.columns {
                let filled = cells
                    .and_then(|cells| cells.get(*column))
                    .is_some_and(|cell| !cell.is_null());
                if filled {
                    continue;
                }
                let problem = || {
                    self.problem(
                        item,
                        Code::Unanswered,
                        &path.key(row).key(column).render(),
                        format!("has no value in row `{row}`, column `{column}`"),
                    )
                };
                if options.complete {
                    report.error(problem);
                } else {
                    report.warning(problem);
                }
            }
        }
    }

    /// The totals of a table: each total cell is the sum of the cells it totals, when they are
    /// all numbers.
    fn totals(
        &self,
        item: ItemId,
        table: &Table<'_>,
        value: &Value,
        path: &Path<'_>,
        report: &mut Report,
    ) {
        let Some(rows) = value.as_object() else {
            return;
        };
        let cell = |row: &str, column: &str| -> Option<f64> {
            let value = rows.get(row)?.get(column)?;
            value.as_f64().or_else(|| value.get("value")?.as_f64())
        };
        // Both ways: the total row sums each column, the total column sums each row.
        for (lines, across, by_row) in [
            (&table.rows, &table.columns, true),
            (&table.columns, &table.rows, false),
        ] {
            let Some((total, _)) = lines.iter().find(|(_, total)| *total) else {
                continue;
            };
            for (other, _) in across.iter() {
                let at = |line: &str| {
                    if by_row {
                        cell(line, other)
                    } else {
                        cell(other, line)
                    }
                };
                let Some(stated) = at(total) else { continue };
                let parts: Option<Vec<f64>> = lines
                    .iter()
                    .filter(|(_, is_total)| !is_total)
                    .map(|(line, _)| at(line))
                    .collect();
                let Some(parts) = parts else { continue };
                let sum: f64 = parts.iter().sum();
                if !same_number(sum, stated) {
                    let (row, column) = if by_row {
                        (*total, *other)
                    } else {
                        (*other, *total)
                    };
                    report.error(|| {
                        self.problem(
                            item,
                            Code::Total,
                            &path.key(row).key(column).render(),
                            format!(
                                "states {stated} in row `{row}`, column `{column}`, but its {} add up to {sum}",
                                if by_row { "rows" } else { "columns" }
                            ),
                        )
                    });
                }
            }
        }
    }

    /// A problem with an item's answer, naming the item: `question 2 `members``. In a list's
    /// answer, it names the record the pointer names, counted from 1 in words (`record 1` is
    /// `/0`), and the field, which it locates.
    fn problem(&self, id: ItemId, code: Code, pointer: &str, message: String) -> Problem {
        let item = self.instrument.item(id);
        let name = match &item.number {
            Some(number) => format!("question {number} `{}`", item.id),
            None => format!("`{}`", item.id),
        };
        let (message, field) = match self.in_record(id, pointer) {
            Some((index, Some(field))) => (
                format!(
                    "field `{}` of record {} of {name} {message}",
                    field.id,
                    index + 1
                ),
                Some(field),
            ),
            Some((index, None)) => (format!("record {} of {name} {message}", index + 1), None),
            None => (format!("{name} {message}"), None),
        };
        let mut problem = Problem::new(code, pointer, message, Some((self.instrument, id)));
        if let Some(field) = field {
            problem.label = Some(self.instrument.written(&field.label));
            if field.span != crate::span::Span::default() {
                problem.span = Some(field.span);
            }
        }
        problem
    }

    /// The record (its index) and the field of a list's answer that a pointer names, if it
    /// names one: `/answers/members/0/age`.
    fn in_record(
        &self,
        id: ItemId,
        pointer: &str,
    ) -> Option<(usize, Option<&'i crate::model::RecordField>)> {
        let item = self.instrument.item(id);
        let Some(AnswerType::List(list)) = &item.answer else {
            return None;
        };
        let rest = pointer.strip_prefix(&self::pointer(&[&item.id]))?;
        let mut tokens = rest.strip_prefix('/')?.split('/');
        let index: usize = tokens.next()?.parse().ok()?;
        let field = tokens.next().and_then(|token| {
            let key = token.replace("~1", "/").replace("~0", "~");
            list.fields.iter().find(|field| field.id == key)
        });
        Some((index, field))
    }

    fn value(
        &self,
        item: ItemId,
        check: &Rule<'_>,
        value: &Value,
        path: &Path<'_>,
        report: &mut Report,
    ) {
        let mismatch = |report: &mut Report, expected: &str| {
            let found = kind_of(value);
            report.error(|| {
                self.problem(
                    item,
                    Code::WrongType,
                    &path.render(),
                    format!("takes {expected}, not {found}"),
                )
            });
        };
        match check {
            Rule::Choice {
                codes,
                multiple: false,
            } => match value.as_str() {
                Some(code) => self.code(item, codes, code, path, report),
                None => mismatch(report, "a code (a string)"),
            },
            Rule::Choice {
                codes,
                multiple: true,
            } => {
                let Some(chosen) = value.as_array() else {
                    return mismatch(report, "an array of codes");
                };
                for (index, code) in chosen.iter().enumerate() {
                    let path = path.index(index);
                    match code.as_str() {
                        Some(code) => self.code(item, codes, code, &path, report),
                        None => report.error(|| {
                            self.problem(
                                item,
                                Code::WrongType,
                                &path.render(),
                                format!("takes codes (strings), not {}", kind_of(code)),
                            )
                        }),
                    }
                }
                if let Some(code) = first_duplicate(chosen) {
                    report.error(|| {
                        self.problem(
                            item,
                            Code::Duplicate,
                            &path.render(),
                            format!("has code `{}` twice", shown(code)),
                        )
                    });
                }
            }
            Rule::Text => {
                if !value.is_string() {
                    mismatch(report, "a text (a string)");
                }
            }
            Rule::Country => match value.as_str() {
                Some(code) if crate::countries::valid(code) => {}
                Some(code) => report.error(|| {
                    self.problem(
                        item,
                        Code::UnknownCode,
                        &path.render(),
                        format!(
                            "takes a country's ISO 3166-1 alpha-3 code, such as `KEN`, not `{}`",
                            shown(code)
                        ),
                    )
                }),
                None => mismatch(report, "a country (its ISO 3166-1 alpha-3 code, a string)"),
            },
            Rule::Date => match value.as_str() {
                Some(date) if is_date(date) => {}
                Some(date) => report.error(|| {
                    self.problem(
                        item,
                        Code::InvalidDate,
                        &path.render(),
                        format!("takes a date as YYYY-MM-DD, not `{}`", shown(date)),
                    )
                }),
                None => mismatch(report, "a date (a string YYYY-MM-DD)"),
            },
            Rule::Number { integer, min, max } => {
                let Some(number) = value.as_f64() else {
                    return mismatch(report, "a number");
                };
                if *integer && number.fract() != 0.0 {
                    report.error(|| {
                        self.problem(
                            item,
                            Code::OutOfBounds,
                            &path.render(),
                            format!("takes a whole number, not {number}"),
                        )
                    });
                }
                let below = min.is_some_and(|min| number < min);
                let above = max.is_some_and(|max| number > max);
                if below || above {
                    report.error(|| {
                        self.problem(
                            item,
                            Code::OutOfBounds,
                            &path.render(),
                            format!("takes a number {}, not {number}", bounds(*min, *max)),
                        )
                    });
                }
            }
            Rule::Amount { currencies } => self.amount(item, currencies, value, path, report),
            Rule::List { fields } => {
                let Some(records) = value.as_array() else {
                    return mismatch(report, "a list of records (an array)");
                };
                for (index, record) in records.iter().enumerate() {
                    let path = path.index(index);
                    self.record(item, fields, record, &path, report);
                }
            }
            Rule::Grid(grid) => self.grid(item, grid, value, path, report),
            Rule::Table(table) => self.table(item, table, value, path, report),
        }
    }

    /// The rows of a grid's or a table's answer, an object; reports another value.
    fn rows<'v>(
        &self,
        item: ItemId,
        value: &'v Value,
        path: &Path<'_>,
        report: &mut Report,
    ) -> Option<&'v Map<String, Value>> {
        let rows = value.as_object();
        if rows.is_none() {
            let found = kind_of(value);
            report.error(|| {
                self.problem(
                    item,
                    Code::WrongType,
                    &path.render(),
                    format!("takes an object of rows, not {found}"),
                )
            });
        }
        rows
    }

    /// The cells of a table: known rows and columns, each cell a value or an allowed special
    /// answer.
    fn table(
        &self,
        item: ItemId,
        table: &Table<'_>,
        value: &Value,
        path: &Path<'_>,
        report: &mut Report,
    ) {
        let Some(rows) = self.rows(item, value, path, report) else {
            return;
        };
        for (row, cells) in rows {
            let path = path.key(row);
            if !table.rows.iter().any(|(id, _)| id == row) {
                report.error(|| {
                    self.problem(
                        item,
                        Code::BadGrid,
                        &path.render(),
                        format!("has no row `{}`", shown(row)),
                    )
                });
                continue;
            }
            let Some(cells) = cells.as_object() else {
                let found = kind_of(cells);
                report.error(|| {
                    self.problem(
                        item,
                        Code::WrongType,
                        &path.render(),
                        format!(
                            "takes an object of columns in row `{}`, not {found}",
                            shown(row)
                        ),
                    )
                });
                continue;
            };
            for (column, cell) in cells {
                let path = path.key(column);
                if !table.columns.iter().any(|(id, _)| id == column) {
                    report.error(|| {
                        self.problem(
                            item,
                            Code::BadGrid,
                            &path.render(),
                            format!("has no column `{}`", shown(column)),
                        )
                    });
                    continue;
                }
                if cell.is_null() {
                    continue;
                }
                match special_object(cell) {
                    Some(special) => self.special(item, special, &path, report),
                    None => self.value(item, &table.cell, cell, &path, report),
                }
            }
        }
    }

    fn code(&self, item: ItemId, codes: &[&str], code: &str, path: &Path<'_>, report: &mut Report) {
        if !codes.contains(&code) {
            report.error(|| {
                let list: Vec<String> = codes.iter().map(|c| format!("`{c}`")).collect();
                self.problem(
                    item,
                    Code::UnknownCode,
                    &path.render(),
                    format!(
                        "has no option `{}`; it takes {}",
                        shown(code),
                        list.join(", ")
                    ),
                )
            });
        }
    }

    fn amount(
        &self,
        item: ItemId,
        currencies: &[String],
        value: &Value,
        path: &Path<'_>,
        report: &mut Report,
    ) {
        let malformed = |report: &mut Report, detail: String| {
            report.error(|| self.problem(item, Code::BadAmount, &path.render(), detail));
        };
        let Some(object) = value.as_object() else {
            return malformed(
                report,
                format!(
                    "takes an amount `{{\"value\": 1000, \"currency\": \"USD\"}}`, not {}",
                    kind_of(value)
                ),
            );
        };
        if let Some(key) = object
            .keys()
            .find(|key| *key != "value" && *key != "currency")
        {
            malformed(
                report,
                format!("has an unknown key `{}` in its amount", shown(key)),
            );
        }
        if !object.get("value").is_some_and(Value::is_number) {
            malformed(report, "needs a number `value` in its amount".to_owned());
        }
        match object.get("currency").and_then(Value::as_str) {
            None => malformed(report, "needs a `currency` code in its amount".to_owned()),
            Some(code) if iso_currency::Currency::from_code(code).is_none() => {
                malformed(
                    report,
                    format!(
                        "has `{}`, which is not an ISO 4217 currency code",
                        shown(code)
                    ),
                );
            }
            Some(code) if !currencies.is_empty() && !currencies.iter().any(|c| c == code) => {
                malformed(
                    report,
                    format!(
                        "takes amounts in {}, not `{}`",
                        currencies.join(", "),
                        shown(code)
                    ),
                );
            }
            Some(_) => {}
        }
    }

    fn record(
        &self,
        item: ItemId,
        fields: &[Field<'_>],
        record: &Value,
        path: &Path<'_>,
        report: &mut Report,
    ) {
        let Some(object) = record.as_object() else {
            let found = kind_of(record);
            return report.error(|| {
                self.problem(
                    item,
                    Code::WrongType,
                    &path.render(),
                    format!("is {found}, not a record (an object)"),
                )
            });
        };
        for key in object.keys() {
            if !fields.iter().any(|field| field.id == key) {
                report.error(|| {
                    self.problem(
                        item,
                        Code::BadRecord,
                        &path.key(key).render(),
                        format!("has no field `{}`", shown(key)),
                    )
                });
            }
        }
        for field in fields {
            match object.get(field.id).filter(|value| !value.is_null()) {
                Some(value) => self.value(item, &field.check, value, &path.key(field.id), report),
                None if field.required && !field.conditional => report.error(|| {
                    self.problem(
                        item,
                        Code::BadRecord,
                        &path.key(field.id).render(),
                        "is required, but not answered".to_owned(),
                    )
                }),
                None => {}
            }
        }
    }

    fn grid(
        &self,
        item: ItemId,
        grid: &Grid<'_>,
        value: &Value,
        path: &Path<'_>,
        report: &mut Report,
    ) {
        let Some(rows) = self.rows(item, value, path, report) else {
            return;
        };
        for (row, answer) in rows {
            let path = path.key(row);
            let Some((_, text)) = grid.rows.iter().find(|(id, _)| id == row) else {
                report.error(|| {
                    self.problem(
                        item,
                        Code::BadGrid,
                        &path.render(),
                        format!("has no row `{}`", shown(row)),
                    )
                });
                continue;
            };
            if let Some(check) = text {
                self.value(item, check, answer, &path, report);
                continue;
            }
            let Some(ticks) = answer.as_array() else {
                let found = kind_of(answer);
                report.error(|| {
                    self.problem(
                        item,
                        Code::WrongType,
                        &path.render(),
                        format!(
                            "takes an array of column ids in row `{}`, not {found}",
                            shown(row)
                        ),
                    )
                });
                continue;
            };
            for (index, tick) in ticks.iter().enumerate() {
                if !tick
                    .as_str()
                    .is_some_and(|column| grid.columns.contains(&column))
                {
                    report.error(|| {
                        self.problem(
                            item,
                            Code::BadGrid,
                            &path.index(index).render(),
                            format!("has no column {}", shown(&tick.to_string())),
                        )
                    });
                }
            }
            if let Some(column) = first_duplicate(ticks) {
                report.error(|| {
                    self.problem(
                        item,
                        Code::Duplicate,
                        &path.render(),
                        format!("ticks column `{column}` twice"),
                    )
                });
            }
        }
    }

    /// Ticks in a column whose condition is false.
    fn grid_columns(
        &self,
        item: ItemId,
        grid: &Grid<'_>,
        value: &Value,
        answers: &Map<String, Value>,
        path: &Path<'_>,
        report: &mut Report,
    ) {
        let Some(rows) = value.as_object() else {
            return;
        };
        let closed = grid.closed_columns(self.instrument, answers);
        if closed.is_empty() {
            return;
        }
        for (row, ticks) in rows {
            for (index, tick) in ticks.as_array().into_iter().flatten().enumerate() {
                if let Some(column) = tick.as_str().filter(|c| closed.contains(c)) {
                    report.error(|| {
                        self.problem(item, Code::DisabledColumn, &path.key(row).index(index).render(), format!("ticks column `{column}`, which is not asked: its condition is false"))
                    });
                }
            }
        }
    }
}

impl<'i> Grid<'i> {
    /// Whether a grid's answer ticks a box in a column that is open for these answers.
    fn ticked(&self, instrument: &Instrument, value: &Value, answers: &Map<String, Value>) -> bool {
        // A grid of text rows only, or without columns, has no box to tick.
        if self.columns.is_empty() || self.rows.iter().all(|(_, text)| text.is_some()) {
            return true;
        }
        let closed = self.closed_columns(instrument, answers);
        let Some(rows) = value.as_object() else {
            return false;
        };
        rows.values()
            .filter_map(Value::as_array)
            .flatten()
            .any(|tick| {
                tick.as_str().is_some_and(|column| {
                    self.columns.contains(&column) && !closed.contains(&column)
                })
            })
    }

    /// The columns whose condition is false for these answers.
    fn closed_columns(
        &self,
        instrument: &Instrument,
        answers: &Map<String, Value>,
    ) -> Vec<&'i str> {
        self.column_conditions
            .iter()
            .filter(|(_, condition)| !eval::holds(instrument, condition, answers))
            .map(|(index, _)| *self.columns.at(*index))
            .collect()
    }
}

fn compile<'i>(instrument: &'i Instrument, answer: &'i AnswerType) -> Rule<'i> {
    match answer {
        AnswerType::Choice { scale, multiple } => Rule::Choice {
            codes: instrument
                .scale(*scale)
                .options
                .iter()
                .map(|o| o.code.as_str())
                .collect(),
            multiple: *multiple,
        },
        AnswerType::Text { .. } => Rule::Text,
        AnswerType::Date => Rule::Date,
        AnswerType::Country => Rule::Country,
        AnswerType::Number { integer, min, max } => Rule::Number {
            integer: *integer,
            min: *min,
            max: *max,
        },
        AnswerType::Amount { currencies } => Rule::Amount { currencies },
        AnswerType::List(list) => Rule::List {
            fields: list
                .fields
                .iter()
                .map(|field| Field {
                    id: &field.id,
                    required: field.required,
                    conditional: field.condition.is_some(),
                    check: compile(instrument, &field.answer),
                })
                .collect(),
        },
        AnswerType::Table(table) => Rule::Table(Table {
            rows: table
                .rows
                .iter()
                .map(|r| (r.id.as_str(), r.total))
                .collect(),
            columns: table
                .columns
                .iter()
                .map(|c| (c.id.as_str(), c.total))
                .collect(),
            cell: Box::new(compile(instrument, &table.cell)),
        }),
        AnswerType::Grid(grid) => Rule::Grid(Grid {
            columns: grid.columns.iter().map(|c| c.id.as_str()).collect(),
            rows: grid
                .rows
                .iter()
                .map(|row| {
                    (
                        row.id.as_str(),
                        row.answer.as_ref().map(|a| compile(instrument, a)),
                    )
                })
                .collect(),
            column_conditions: grid
                .columns
                .iter()
                .enumerate()
                .filter_map(|(index, column)| Some((index, column.condition.as_ref()?)))
                .collect(),
        }),
    }
}

/// Problems found so far; in the fast mode, it keeps no message and stops at the first error.
struct Report {
    problems: Vec<Problem>,
    collect: bool,
    failed: bool,
    /// How many problems are kept; the rest are counted in `omitted`.
    limit: usize,
    omitted: usize,
}

/// The problems of a reply, as far as they are kept.
#[derive(Clone, Debug, PartialEq)]
pub struct Checked {
    /// The first problems, in the order of the form.
    pub problems: Vec<Problem>,
    /// How many problems came after them.
    pub omitted: usize,
    /// Whether the reply has no error at all, kept or not.
    pub valid: bool,
}

impl Report {
    fn collecting(limit: usize) -> Report {
        Report {
            problems: Vec::new(),
            collect: true,
            failed: false,
            limit,
            omitted: 0,
        }
    }

    fn fast() -> Report {
        Report {
            problems: Vec::new(),
            collect: false,
            failed: false,
            limit: 0,
            omitted: 0,
        }
    }

    /// Whether a problem is to be built and kept: past the limit, it is only counted.
    fn keeps(&mut self) -> bool {
        if !self.collect {
            return false;
        }
        if self.problems.len() < self.limit {
            return true;
        }
        self.omitted += 1;
        false
    }

    fn error(&mut self, problem: impl FnOnce() -> Problem) {
        self.failed = true;
        if self.keeps() {
            self.problems.push(problem());
        }
    }

    fn warning(&mut self, problem: impl FnOnce() -> Problem) {
        if self.keeps() {
            let mut problem = problem();
            problem.severity = Severity::Warning;
            self.problems.push(problem);
        }
    }

    /// Whether the fast mode has its answer.
    fn stopped(&self) -> bool {
        self.failed && !self.collect
    }
}

/// A place in the reply, rendered as a JSON pointer only when a problem is reported.
enum Path<'a> {
    Item(&'a str),
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl<'a> Path<'a> {
    fn item(id: &'a str) -> Path<'a> {
        Path::Item(id)
    }

    fn key(&'a self, key: &'a str) -> Path<'a> {
        Path::Key(self, key)
    }

    fn index(&'a self, index: usize) -> Path<'a> {
        Path::Index(self, index)
    }

    fn render(&self) -> String {
        match self {
            Path::Item(id) => pointer(&[id]),
            Path::Key(parent, key) => format!("{}/{}", parent.render(), escape(key)),
            Path::Index(parent, index) => format!("{}/{index}", parent.render()),
        }
    }
}

/// The JSON pointer to an answer: `/answers/<id>/…`.
/// Whether a stored computed value is the one computed: numbers by value.
/// Whether two values are the same: numbers (and amounts' values) as numbers, amounts of the
/// same currency, anything else as JSON.
pub fn same_value(stored: &Value, expected: &Value) -> bool {
    match (eval::Scalar::of(stored), eval::Scalar::of(expected)) {
        (Some(eval::Scalar::Number(a)), Some(eval::Scalar::Number(b))) => same_number(a, b),
        // An amount by value and currency.
        (Some(eval::Scalar::Amount(a, ours)), Some(eval::Scalar::Amount(b, theirs))) => {
            same_number(a, b) && ours == theirs
        }
        _ => stored == expected,
    }
}

/// A computed value in a message: "no value" for none, an amount as `300000 EUR`.
pub(crate) fn shown_value(value: &Value) -> String {
    match eval::Scalar::of(value) {
        _ if value.is_null() => "no value".to_owned(),
        Some(eval::Scalar::Amount(amount, currency)) => {
            let amount = eval::Scalar::Number(amount).into_json();
            format!("{amount} {}", shown(&currency))
        }
        Some(eval::Scalar::Number(_)) => match value {
            Value::Number(n) => eval::number_text(n),
            other => other.to_string(),
        },
        _ => value.to_string(),
    }
}

fn pointer(parts: &[&str]) -> String {
    let mut out = String::from("/answers");
    for part in parts {
        out.push('/');
        out.push_str(&escape(part));
    }
    out
}

/// Escapes a JSON pointer token (RFC 6901).
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// A text from the reply as a message shows it: at most 60 characters, so that a hostile
/// 100 MB answer makes a short message.
fn shown(text: &str) -> String {
    const MAX: usize = 60;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// Whether two numbers agree, up to the rounding of decimal arithmetic.
pub(crate) fn same_number(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// An object that means to be a special answer, `{"special": "dont_know"}`.
fn special_object(value: &Value) -> Option<&Map<String, Value>> {
    value
        .as_object()
        .filter(|object| object.contains_key("special"))
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The first string of `values` that comes twice, found in linear time.
fn first_duplicate(values: &[Value]) -> Option<&str> {
    let mut seen: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
    values
        .iter()
        .filter_map(Value::as_str)
        .find(|value| !seen.insert(value))
}

fn bounds(min: Option<f64>, max: Option<f64>) -> String {
    match (min, max) {
        (Some(min), Some(max)) => format!("from {min} to {max}"),
        (Some(min), None) => format!("of at least {min}"),
        (None, Some(max)) => format!("of at most {max}"),
        (None, None) => String::new(),
    }
}

pub use crate::eval::is_date;
