//! Typing conditions: resolves the names in a guard, checks that it is a yes-or-no test whose
//! operands go together, and warns when simple cases can never be true.

use rustc_hash::FxHashMap as HashMap;

use super::error::{did_you_mean, CheckError};
use super::{Checker, Reference};
use crate::model::{Answer, CompareOp, Condition, ItemId, ItemKind, Operand};
use crate::span::Span;
use crate::syntax::ast::{self, Expr, ExprKind};

/// What an operand of a comparison turned out to be.
enum Side<'e> {
    Item(ItemId, Span),
    /// A name that is not an item: a code, if the other side is a choice.
    Name(&'e ast::Ident),
    Number(f64),
    Date(String),
    Text(String),
    /// A condition, or `true`/`false`: nothing to compare.
    Condition,
}

/// The type of an item's answer, as conditions see it.
#[derive(Clone, Copy, PartialEq)]
enum Type {
    Choice { scale: usize, multiple: bool },
    Text,
    Number,
    Date,
    Other(&'static str),
}

impl Type {
    fn describe(self) -> String {
        match self {
            Type::Choice {
                multiple: false, ..
            } => "a choice".to_owned(),
            Type::Choice { multiple: true, .. } => "a multiple choice".to_owned(),
            Type::Text => "a text".to_owned(),
            Type::Number => "a number".to_owned(),
            Type::Date => "a date".to_owned(),
            Type::Other(what) => what.to_owned(),
        }
    }
}

/// Resolves the guard of `item`; `None` when it has errors (reported).
pub(super) fn resolve(
    checker: &mut Checker<'_>,
    item: ItemId,
    guard: &ast::Guard,
) -> Option<Condition> {
    let first_reference = checker.references.len();
    let condition = match guard {
        ast::Guard::On { codes, span } => on_answers(checker, item, codes, *span)?,
        ast::Guard::When(expr) => {
            let condition = Resolver { checker, item }.boolean(expr)?;
            if checker.items[item.0].kind == ItemKind::Followup {
                bound_to_parent(checker, item, first_reference, expr.span);
            }
            condition
        }
    };
    if let Some(reason) = never(checker, &condition) {
        checker.errors.push(CheckError::NeverTrue {
            span: guard.span(),
            reason,
            help: Some("no reply can ever see this item; correct the condition".to_owned()),
        });
    }
    Some(condition)
}

/// `on yes, no`: the parent's answer is one of these codes.
fn on_answers(
    checker: &mut Checker<'_>,
    item: ItemId,
    codes: &[ast::Ident],
    span: Span,
) -> Option<Condition> {
    let name = checker.items[item.0].id.clone();
    let Some(parent) = checker.items[item.0].parent else {
        checker.errors.push(CheckError::UnboundFollowup {
            name,
            span,
            reason: "it has no parent whose answer it could follow".to_owned(),
            help: Some("place it inside the question whose answer it follows".to_owned()),
        });
        return None;
    };
    let parent_item = &checker.items[parent.0];
    let Some(Answer::Choice { scale, multiple }) = parent_item.answer else {
        let reason = format!("`{}` has no choice to follow", parent_item.id);
        checker.errors.push(CheckError::UnboundFollowup {
            name,
            span,
            reason,
            help: Some(
                "`on` follows an answer of a choice; use `when` for other conditions".to_owned(),
            ),
        });
        return None;
    };
    let parent_name = parent_item.id.clone();
    let mut valid = Vec::new();
    for code in codes {
        if code_of(checker, scale.0, code, &parent_name) {
            valid.push(code.name.clone());
        }
    }
    if valid.len() != codes.len() {
        return None;
    }
    checker.references.push(Reference {
        from: item,
        to: parent,
        span,
    });
    Some(if multiple {
        let has = valid
            .into_iter()
            .map(|code| Condition::Has { item: parent, code });
        Condition::Or(has.collect())
    } else {
        Condition::OneOf {
            item: parent,
            codes: valid,
        }
    })
}

/// Checks that `code` is an option of `scale`, reporting it otherwise.
fn code_of(checker: &mut Checker<'_>, scale: usize, code: &ast::Ident, item: &str) -> bool {
    let options = &checker.scales[scale].options;
    if options.iter().any(|option| option.code == code.name) {
        return true;
    }
    let help = did_you_mean(&code.name, options.iter().map(|o| o.code.as_str())).or_else(|| {
        let codes: Vec<String> = options.iter().map(|o| format!("`{}`", o.code)).collect();
        Some(format!("`{item}` takes {}", or_list(&codes)))
    });
    checker.errors.push(CheckError::UnknownCode {
        code: code.name.clone(),
        item: item.to_owned(),
        span: code.span,
        help,
    });
    false
}

/// A follow-up's `when` must read its parent or something under its parent.
fn bound_to_parent(checker: &mut Checker<'_>, item: ItemId, first_reference: usize, span: Span) {
    let parent = checker.items[item.0].parent;
    let bound = parent.is_some_and(|parent| {
        checker.references[first_reference..]
            .iter()
            .any(|reference| {
                let mut cursor = Some(reference.to);
                while let Some(id) = cursor {
                    if id == parent {
                        return true;
                    }
                    cursor = checker.items[id.0].parent;
                }
                false
            })
    });
    if !bound {
        let reason = match parent {
            Some(parent) => format!("reads nothing of `{}`", checker.items[parent.0].id),
            None => "it has no parent whose answer it could follow".to_owned(),
        };
        checker.errors.push(CheckError::UnboundFollowup {
            name: checker.items[item.0].id.clone(),
            span,
            reason,
            help: Some(
                "a follow-up depends on its parent's answer; for other conditions use `item` or `ask` with `when`"
                    .to_owned(),
            ),
        });
    }
}

struct Resolver<'c, 'a> {
    checker: &'c mut Checker<'a>,
    /// The item whose condition this is.
    item: ItemId,
}

impl Resolver<'_, '_> {
    /// Resolves a condition that must be a yes-or-no test.
    fn boolean(&mut self, expr: &Expr) -> Option<Condition> {
        match &expr.kind {
            ExprKind::Or(parts) => self.all(parts).map(Condition::Or),
            ExprKind::And(parts) => self.all(parts).map(Condition::And),
            ExprKind::Not(inner) => Some(Condition::Not(Box::new(self.boolean(inner)?))),
            ExprKind::Bool(value) => Some(Condition::Const(*value)),
            ExprKind::Answered(name) => Some(Condition::Answered(self.item_named(name)?)),
            ExprKind::Name(name) => {
                let id = self.item_named(name)?;
                let item = &self.checker.items[id.0];
                let help = match item.answer {
                    Some(Answer::Choice { scale, multiple }) => {
                        let code = self.checker.scales[scale.0]
                            .options
                            .first()
                            .map_or("yes", |option| option.code.as_str());
                        Some(if multiple {
                            format!("test a code: `{} has {code}`", item.id)
                        } else {
                            format!("compare it with a code: `{} = {code}`", item.id)
                        })
                    }
                    _ => Some(format!(
                        "test whether it was answered: `answered({})`",
                        item.id
                    )),
                };
                self.checker.errors.push(CheckError::NotBoolean {
                    span: expr.span,
                    what: self.type_of(id).describe(),
                    help,
                });
                None
            }
            ExprKind::Number(_) | ExprKind::Date(_) | ExprKind::Text(_) => {
                let what = match expr.kind {
                    ExprKind::Number(_) => "a number",
                    ExprKind::Date(_) => "a date",
                    _ => "a text",
                };
                self.checker.errors.push(CheckError::NotBoolean {
                    span: expr.span,
                    what: what.to_owned(),
                    help: Some("compare it with an item: `q15_cost > 1000`".to_owned()),
                });
                None
            }
            ExprKind::Compare { op, lhs, rhs } => self.compare(*op, lhs, rhs, expr.span),
            ExprKind::In { operand, codes } => self.one_of(operand, codes, expr.span),
            ExprKind::Has { operand, code } => self.has(operand, code, expr.span),
        }
    }

    /// Resolves every part, so that every error is reported, not just the first.
    fn all(&mut self, parts: &[Expr]) -> Option<Vec<Condition>> {
        let resolved: Vec<Option<Condition>> =
            parts.iter().map(|part| self.boolean(part)).collect();
        resolved.into_iter().collect()
    }

    /// Looks an item up by name and records the reference, reporting an unknown name.
    fn item_named(&mut self, name: &ast::Ident) -> Option<ItemId> {
        match self.checker.item_id(name) {
            Some(id) => {
                self.checker.references.push(Reference {
                    from: self.item,
                    to: id,
                    span: name.span,
                });
                Some(id)
            }
            None => {
                self.checker.errors.push(CheckError::UnknownItem {
                    name: name.name.clone(),
                    span: name.span,
                    help: did_you_mean(&name.name, self.checker.item_names.keys().copied()),
                });
                None
            }
        }
    }

    fn type_of(&self, id: ItemId) -> Type {
        match &self.checker.items[id.0].answer {
            Some(Answer::Choice { scale, multiple }) => Type::Choice {
                scale: scale.0,
                multiple: *multiple,
            },
            Some(Answer::Text { .. }) => Type::Text,
            Some(Answer::Number { .. }) => Type::Number,
            Some(Answer::Date) => Type::Date,
            Some(Answer::Amount { .. }) => Type::Other("an amount"),
            Some(Answer::List { .. }) => Type::Other("a list"),
            Some(Answer::Grid(_)) => Type::Other("a grid"),
            None => Type::Other("a group of items"),
        }
    }

    fn side<'e>(&self, expr: &'e Expr) -> Side<'e> {
        match &expr.kind {
            ExprKind::Name(name) => match self.checker.item_id(name) {
                Some(id) => Side::Item(id, name.span),
                None => Side::Name(name),
            },
            ExprKind::Number(value) => Side::Number(*value),
            ExprKind::Date(value) => Side::Date(value.clone()),
            ExprKind::Text(value) => Side::Text(value.clone()),
            _ => Side::Condition,
        }
    }

    fn describe(&self, side: &Side<'_>) -> String {
        match side {
            Side::Item(id, _) => self.type_of(*id).describe(),
            Side::Name(name) => format!("`{}`", name.name),
            Side::Number(_) => "a number".to_owned(),
            Side::Date(_) => "a date".to_owned(),
            Side::Text(_) => "a text".to_owned(),
            Side::Condition => "a condition".to_owned(),
        }
    }

    fn compare(&mut self, op: CompareOp, lhs: &Expr, rhs: &Expr, span: Span) -> Option<Condition> {
        let left = self.side(lhs);
        let right = self.side(rhs);
        // A choice against a name: the name is one of its codes.
        for (choice, other) in [(&left, &right), (&right, &left)] {
            if let (Side::Item(id, item_span), Side::Name(code)) = (choice, other) {
                if let Type::Choice { scale, multiple } = self.type_of(*id) {
                    let item_name = self.checker.items[id.0].id.clone();
                    if multiple || op.is_ordering() {
                        let help = if multiple {
                            format!(
                                "test a code of a multiple choice with `has`: `{item_name} has {}`",
                                code.name
                            )
                        } else {
                            "choices are tested with `=`, `!=` or `in`".to_owned()
                        };
                        self.mismatch(op, &left, &right, span, Some(help));
                        return None;
                    }
                    if !code_of(self.checker, scale, code, &item_name) {
                        return None;
                    }
                    self.checker.references.push(Reference {
                        from: self.item,
                        to: *id,
                        span: *item_span,
                    });
                    let one_of = Condition::OneOf {
                        item: *id,
                        codes: vec![code.name.clone()],
                    };
                    return Some(match op {
                        CompareOp::Ne => Condition::Not(Box::new(one_of)),
                        _ => one_of,
                    });
                }
            }
        }
        // Any other bare name must be an item. When neither side is one, the right-hand name
        // is most likely a code of the unknown left-hand item: report the item alone.
        if let Some(Side::Name(name)) = [&left, &right]
            .into_iter()
            .find(|side| matches!(side, Side::Name(_)))
        {
            self.item_named(name);
            return None;
        }
        let operand = |side: &Side<'_>| match side {
            Side::Item(id, _) => Some(Operand::Item(*id)),
            Side::Number(value) => Some(Operand::Number(*value)),
            Side::Date(value) => Some(Operand::Date(value.clone())),
            Side::Text(value) => Some(Operand::Text(value.clone())),
            Side::Name(_) | Side::Condition => None,
        };
        let type_of = |side: &Side<'_>| match side {
            Side::Item(id, _) => Some(self.type_of(*id)),
            Side::Number(_) => Some(Type::Number),
            Side::Date(_) => Some(Type::Date),
            Side::Text(_) => Some(Type::Text),
            Side::Name(_) | Side::Condition => None,
        };
        let compatible = match (type_of(&left), type_of(&right)) {
            (Some(Type::Number), Some(Type::Number)) | (Some(Type::Date), Some(Type::Date)) => true,
            (Some(Type::Text), Some(Type::Text)) => !op.is_ordering(),
            (
                Some(Type::Choice {
                    scale: a,
                    multiple: false,
                }),
                Some(Type::Choice {
                    scale: b,
                    multiple: false,
                }),
            ) => a == b && !op.is_ordering(),
            _ => false,
        };
        let has_item = matches!(left, Side::Item(..)) || matches!(right, Side::Item(..));
        if !compatible || !has_item {
            let help = if compatible {
                Some("a comparison needs at least one item".to_owned())
            } else {
                None
            };
            self.mismatch(op, &left, &right, span, help);
            return None;
        }
        for side in [&left, &right] {
            if let Side::Item(id, item_span) = side {
                self.checker.references.push(Reference {
                    from: self.item,
                    to: *id,
                    span: *item_span,
                });
            }
        }
        Some(Condition::Compare {
            op,
            lhs: operand(&left)?,
            rhs: operand(&right)?,
        })
    }

    fn mismatch(
        &mut self,
        op: CompareOp,
        left: &Side<'_>,
        right: &Side<'_>,
        span: Span,
        help: Option<String>,
    ) {
        let lhs = self.describe(left);
        let rhs = self.describe(right);
        self.checker.errors.push(CheckError::TypeMismatch {
            op: op.as_str().to_owned(),
            lhs,
            rhs,
            span,
            help,
        });
    }

    /// `q4 in [yes, yes_in_part]`
    fn one_of(&mut self, operand: &Expr, codes: &[ast::Ident], span: Span) -> Option<Condition> {
        let id = self.choice_operand(operand, false, "in", span)?;
        let Type::Choice { scale, .. } = self.type_of(id) else {
            return None;
        };
        let name = self.checker.items[id.0].id.clone();
        let mut valid = Vec::new();
        for code in codes {
            if code_of(self.checker, scale, code, &name) {
                valid.push(code.name.clone());
            }
        }
        (valid.len() == codes.len()).then_some(Condition::OneOf {
            item: id,
            codes: valid,
        })
    }

    /// `q9 has media`
    fn has(&mut self, operand: &Expr, code: &Expr, span: Span) -> Option<Condition> {
        let id = self.choice_operand(operand, true, "has", span)?;
        let Type::Choice { scale, .. } = self.type_of(id) else {
            return None;
        };
        let ExprKind::Name(code) = &code.kind else {
            let what = self.describe(&self.side(code));
            self.checker.errors.push(CheckError::TypeMismatch {
                op: "has".to_owned(),
                lhs: "a multiple choice".to_owned(),
                rhs: what,
                span,
                help: Some("`has` takes a code of the item's scale".to_owned()),
            });
            return None;
        };
        let name = self.checker.items[id.0].id.clone();
        code_of(self.checker, scale, code, &name).then(|| Condition::Has {
            item: id,
            code: code.name.clone(),
        })
    }

    /// The item on the left of `in` or `has`, which must be a single or a multiple choice.
    fn choice_operand(
        &mut self,
        operand: &Expr,
        multiple: bool,
        op: &str,
        span: Span,
    ) -> Option<ItemId> {
        let side = self.side(operand);
        if let Side::Name(name) = side {
            self.item_named(name);
            return None;
        }
        if let Side::Item(id, _) = side {
            if let Type::Choice { multiple: m, .. } = self.type_of(id) {
                if m == multiple {
                    return self.item_named(match &operand.kind {
                        ExprKind::Name(name) => name,
                        _ => return None,
                    });
                }
            }
        }
        let (wanted, help) = if multiple {
            (
                "a code",
                "`has` tests a multiple choice; a single choice is tested with `=` or `in`",
            )
        } else {
            (
                "a list of codes",
                "`in` tests a single choice; a multiple choice is tested with `has`",
            )
        };
        let lhs = self.describe(&side);
        self.checker.errors.push(CheckError::TypeMismatch {
            op: op.to_owned(),
            lhs,
            rhs: wanted.to_owned(),
            span,
            help: Some(help.to_owned()),
        });
        None
    }
}

/// Why a condition can never be true, for simple cases: `false`; a choice that would need two
/// different codes at once; a number outside its bounds or between bounds that cross.
fn never(checker: &Checker<'_>, condition: &Condition) -> Option<String> {
    match condition {
        Condition::Const(false) => Some("it is `false`".to_owned()),
        Condition::Or(parts) => {
            let all = parts.iter().all(|part| never(checker, part).is_some());
            all.then(|| "none of its alternatives can be true".to_owned())
        }
        Condition::And(parts) => parts
            .iter()
            .find_map(|part| never(checker, part))
            .or_else(|| conflicts(checker, parts)),
        other => conflicts(checker, std::slice::from_ref(other)),
    }
}

/// Whether tests joined by `and` contradict each other.
fn conflicts(checker: &Checker<'_>, tests: &[Condition]) -> Option<String> {
    let mut codes: HashMap<ItemId, Vec<&str>> = HashMap::default();
    let mut ranges: HashMap<ItemId, Range> = HashMap::default();
    for test in tests {
        let (negated, test) = match test {
            Condition::Not(inner) => (true, inner.as_ref()),
            test => (false, test),
        };
        match test {
            Condition::OneOf {
                item,
                codes: wanted,
            } => {
                let allowed =
                    codes
                        .entry(*item)
                        .or_insert_with(|| match &checker.items[item.0].answer {
                            Some(Answer::Choice { scale, .. }) => checker.scales[scale.0]
                                .options
                                .iter()
                                .map(|option| option.code.as_str())
                                .collect(),
                            _ => Vec::new(),
                        });
                allowed.retain(|code| wanted.iter().any(|w| w == code) != negated);
                if allowed.is_empty() {
                    let name = &checker.items[item.0].id;
                    return Some(format!("no answer to `{name}` passes these tests"));
                }
            }
            Condition::Compare { op, lhs, rhs } if !negated => {
                let (item, value, op) = match (lhs, rhs) {
                    (Operand::Item(item), Operand::Number(value)) => (*item, *value, *op),
                    (Operand::Number(value), Operand::Item(item)) => (*item, *value, op.flip()),
                    _ => continue,
                };
                let range =
                    ranges
                        .entry(item)
                        .or_insert_with(|| match &checker.items[item.0].answer {
                            Some(Answer::Number { min, max, .. }) => Range {
                                low: min.map(|min| (min, true)),
                                high: max.map(|max| (max, true)),
                            },
                            _ => Range::default(),
                        });
                range.narrow(op, value);
                if range.is_empty() {
                    let name = &checker.items[item.0].id;
                    return Some(format!("no number for `{name}` passes these tests"));
                }
            }
            _ => {}
        }
    }
    None
}

/// The numbers a value may still take: each bound and whether it is included.
#[derive(Default)]
struct Range {
    low: Option<(f64, bool)>,
    high: Option<(f64, bool)>,
}

impl Range {
    fn narrow(&mut self, op: CompareOp, value: f64) {
        let raise = |low: &mut Option<(f64, bool)>, bound: (f64, bool)| {
            if low
                .is_none_or(|(v, inclusive)| bound.0 > v || (bound.0 == v && inclusive && !bound.1))
            {
                *low = Some(bound);
            }
        };
        let lower = |high: &mut Option<(f64, bool)>, bound: (f64, bool)| {
            if high
                .is_none_or(|(v, inclusive)| bound.0 < v || (bound.0 == v && inclusive && !bound.1))
            {
                *high = Some(bound);
            }
        };
        match op {
            CompareOp::Eq => {
                raise(&mut self.low, (value, true));
                lower(&mut self.high, (value, true));
            }
            CompareOp::Gt => raise(&mut self.low, (value, false)),
            CompareOp::Ge => raise(&mut self.low, (value, true)),
            CompareOp::Lt => lower(&mut self.high, (value, false)),
            CompareOp::Le => lower(&mut self.high, (value, true)),
            CompareOp::Ne => {}
        }
    }

    fn is_empty(&self) -> bool {
        match (self.low, self.high) {
            (Some((low, low_in)), Some((high, high_in))) => {
                low > high || (low == high && !(low_in && high_in))
            }
            _ => false,
        }
    }
}

/// `a`, `a or b`, `a, b or c`.
fn or_list(items: &[String]) -> String {
    match items {
        [] => "no option".to_owned(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}
