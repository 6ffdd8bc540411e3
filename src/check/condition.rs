//! Typing conditions: resolves the names in a guard, checks that it is a yes-or-no test whose
//! operands go together, and warns when simple cases can never be true.

use super::error::{CheckError, FieldProblem, ValueProblem};
use super::{Checker, Reference};
use crate::arena::Arena;
use crate::model::{self, AnswerType, ArithOp, CompareOp, Condition, ItemId, ItemKind, Operand};
use crate::span::Span;
use crate::syntax::ast::{self, Expr, ExprKind};

/// The type of a value, as conditions see it.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Type {
    Choice {
        scale: model::ScaleId,
        multiple: bool,
    },
    Text,
    Number,
    /// An amount of money: compared and added with amounts (of one currency, which each reply
    /// says), multiplied and divided by numbers, summed; a calculated value in the currency of
    /// the amounts it computes with.
    Amount,
    Date,
    /// A name that is no item: a code, when compared with a choice.
    Code(String),
    Other(&'static str),
}

impl Type {
    pub(super) fn of(answer: &AnswerType) -> Type {
        match answer {
            AnswerType::Choice { scale, multiple } => Type::Choice {
                scale: *scale,
                multiple: *multiple,
            },
            // A country is compared as its code: `country = "KEN"`.
            AnswerType::Text { .. } | AnswerType::Country => Type::Text,
            AnswerType::Number { .. } => Type::Number,
            AnswerType::Date => Type::Date,
            AnswerType::Amount { .. } => Type::Amount,
            AnswerType::List(_) => Type::Other("a list"),
            AnswerType::Grid(_) => Type::Other("a grid"),
            AnswerType::Table(_) => Type::Other("a table"),
        }
    }

    /// The answer a calculated value of this type has.
    pub(super) fn answer(&self) -> Option<AnswerType> {
        Some(match self {
            Type::Choice { scale, multiple } => AnswerType::Choice {
                scale: *scale,
                multiple: *multiple,
            },
            Type::Text => AnswerType::Text { long: false },
            Type::Number => AnswerType::Number {
                integer: false,
                min: None,
                max: None,
            },
            Type::Date => AnswerType::Date,
            // In any currency: that of the amounts it computes with.
            Type::Amount => AnswerType::Amount {
                currencies: Vec::new(),
            },
            Type::Code(_) | Type::Other(_) => return None,
        })
    }

    pub(super) fn describe(&self) -> String {
        match self {
            Type::Choice {
                multiple: false, ..
            } => "a choice".to_owned(),
            Type::Choice { multiple: true, .. } => "a multiple choice".to_owned(),
            Type::Text => "a text".to_owned(),
            Type::Number => "a number".to_owned(),
            Type::Amount => "an amount".to_owned(),
            Type::Date => "a date".to_owned(),
            Type::Code(name) => format!("`{name}`"),
            Type::Other(what) => (*what).to_owned(),
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
            let condition = Resolver {
                checker,
                item,
                track: true,
                record: None,
            }
            .boolean(expr)?;
            if checker.walk.items.at(item).kind == ItemKind::Followup {
                bound_to_parent(checker, item, first_reference, expr.span);
            }
            condition
        }
    };
    if let Some(reason) = super::satisfy::never(checker, &condition) {
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
    let name = checker.walk.items.at(item).id.clone();
    let Some(parent) = checker.walk.items.at(item).parent else {
        checker.errors.push(CheckError::UnboundFollowup {
            name,
            span,
            reason: "it has no parent whose answer it could follow".to_owned(),
            help: Some("place it inside the question whose answer it follows".to_owned()),
        });
        return None;
    };
    let parent_item = checker.walk.items.at(parent);
    let Some(AnswerType::Choice { scale, multiple }) = parent_item.answer else {
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
        if code_of(checker, scale, code, &parent_name) {
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
fn code_of(
    checker: &mut Checker<'_>,
    scale: model::ScaleId,
    code: &ast::Ident,
    item: &str,
) -> bool {
    let options = &checker.declared.scales.at(scale).options;
    if options.iter().any(|option| option.code == code.name) {
        return true;
    }
    let help = checker
        .did_you_mean(&code.name, options.iter().map(|o| o.code.as_str()))
        .or_else(|| {
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
    let parent = checker.walk.items.at(item).parent;
    let bound = parent.is_some_and(|parent| {
        checker
            .references
            .iter()
            .skip(first_reference)
            .any(|reference| {
                let mut cursor = Some(reference.to);
                while let Some(id) = cursor {
                    if id == parent {
                        return true;
                    }
                    cursor = checker.walk.items.at(id).parent;
                }
                false
            })
    });
    if !bound {
        let reason = match parent {
            Some(parent) => format!("reads nothing of `{}`", checker.walk.items.at(parent).id),
            None => "it has no parent whose answer it could follow".to_owned(),
        };
        checker.errors.push(CheckError::UnboundFollowup {
            name: checker.walk.items.at(item).id.clone(),
            span,
            reason,
            help: Some(
                "a follow-up depends on its parent's answer; for other conditions use `item` or `ask` with `when`"
                    .to_owned(),
            ),
        });
    }
}

/// Resolves the expressions of one owner: an item's guard or calculation, a constraint, or a
/// list's own logic.
pub(super) struct Resolver<'c, 'a> {
    pub(super) checker: &'c mut Checker<'a>,
    /// The item whose condition or value this is; references from it are recorded when
    /// `track` is set.
    pub(super) item: ItemId,
    /// Whether the items read are recorded as dependencies of `item`: conditions and
    /// calculations decide what is asked; constraints do not.
    pub(super) track: bool,
    /// The list whose record `this.field` reads, in a list's own logic.
    pub(super) record: Option<ItemId>,
}

/// The functions of values, for did-you-mean.
const FUNCTIONS: [&str; 12] = [
    "sum", "count", "min", "max", "if", "today", "year", "days", "years", "unique", "score", "band",
];

impl Resolver<'_, '_> {
    /// Resolves a condition that must be a yes-or-no test.
    pub(super) fn boolean(&mut self, expr: &Expr) -> Option<Condition> {
        crate::stack::guard(|| match &expr.kind {
            ExprKind::Or(parts) => self.all(parts).map(Condition::Or),
            ExprKind::And(parts) => self.all(parts).map(Condition::And),
            ExprKind::Not(inner) => Some(Condition::Not(Box::new(self.boolean(inner)?))),
            ExprKind::Bool(value) => Some(Condition::Const(*value)),
            ExprKind::Answered(name) => Some(Condition::Answered(self.item_named(name)?)),
            ExprKind::Name(name) if !name.name.contains('.') => {
                let id = self.item_named(name)?;
                let item = self.checker.walk.items.at(id);
                let help = match item.answer {
                    Some(AnswerType::Choice { scale, multiple }) => {
                        let code = self
                            .checker
                            .declared
                            .scales
                            .at(scale)
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
            ExprKind::Call {
                function,
                args,
                filter,
                missing,
            } if function.name == "unique" => {
                self.unique(args, filter.is_some() || missing.is_some(), expr.span)
            }
            ExprKind::Number(_)
            | ExprKind::Date(_)
            | ExprKind::Text(_)
            | ExprKind::Chain { .. }
            | ExprKind::Call { .. }
            | ExprKind::Name(_) => {
                let (_, ty) = self.value(expr)?;
                self.checker.errors.push(CheckError::NotBoolean {
                    span: expr.span,
                    what: ty.describe(),
                    help: Some("compare it with something: `q15_cost > 1000`".to_owned()),
                });
                None
            }
            ExprKind::Compare { op, lhs, rhs } => self.compare(*op, lhs, rhs, expr.span),
            ExprKind::In { operand, codes } => self.one_of(operand, codes, expr.span),
            ExprKind::Has { operand, code } => self.has(operand, code, expr.span),
        })
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
                self.read(id, name.span);
                Some(id)
            }
            None => {
                self.checker.errors.push(CheckError::UnknownItem {
                    name: name.name.clone(),
                    span: name.span,
                    help: self
                        .checker
                        .did_you_mean(&name.name, self.checker.walk.item_names.keys().copied()),
                });
                None
            }
        }
    }

    /// Records that the owner reads `id`; a calculated value is resolved first, so that its
    /// type is known.
    fn read(&mut self, id: ItemId, span: Span) {
        self.checker.resolve_calc(id);
        if self.track {
            self.checker.references.push(Reference {
                from: self.item,
                to: id,
                span,
            });
        }
    }

    fn type_of(&self, id: ItemId) -> Type {
        match &self.checker.walk.items.at(id).answer {
            Some(answer) => Type::of(answer),
            None => Type::Other("a group of items"),
        }
    }

    /// The fields of the record `this` stands for.
    fn record_fields(&self) -> Option<&[model::RecordField]> {
        match &self.checker.walk.items.at(self.record?).answer {
            Some(AnswerType::List(list)) => Some(&list.fields),
            _ => None,
        }
    }

    /// A choice (an item or a field of the record) compared with a bare name: the name is one
    /// of its codes, or a special answer the item allows. `None` when this is not such a
    /// comparison; `Some(None)` when it is, with errors (reported).
    fn code_comparison(
        &mut self,
        op: CompareOp,
        lhs: &Expr,
        rhs: &Expr,
        span: Span,
    ) -> Option<Option<Condition>> {
        for (choice, other) in [(lhs, rhs), (rhs, lhs)] {
            let (ExprKind::Name(subject), ExprKind::Name(code)) = (&choice.kind, &other.kind)
            else {
                continue;
            };
            if code.name.contains('.') || self.checker.item_id(code).is_some() {
                continue;
            }
            let (subject_name, ty, operand) =
                if let Some(field) = subject.name.strip_prefix("this.") {
                    // An unknown field is reported once, here.
                    let Some(index) = self.field_index(field, subject.span) else {
                        return Some(None);
                    };
                    let ty = self
                        .record_fields()
                        .map(|fields| Type::of(&fields.at(index).answer))?;
                    (field.to_owned(), ty, Operand::Field(index))
                } else {
                    let Some(id) = self.checker.item_id(subject) else {
                        continue;
                    };
                    let item = self.checker.walk.items.at(id);
                    let special = item.specials.contains(&code.name);
                    if special && op.is_ordering() {
                        self.mismatch(
                            op,
                            &self.type_of(id),
                            &Type::Other("a special answer"),
                            span,
                            Some("special answers are tested with `=` or `!=`".to_owned()),
                        );
                        return Some(None);
                    }
                    if special {
                        self.read(id, subject.span);
                        let special = Condition::Special {
                            item: id,
                            code: code.name.clone(),
                        };
                        return Some(Some(negate_if(op, special)));
                    }
                    (item.id.clone(), self.type_of(id), Operand::Item(id))
                };
            let Type::Choice { scale, multiple } = ty else {
                continue;
            };
            if multiple || op.is_ordering() {
                let help = if multiple {
                    format!(
                        "test a code of a multiple choice with `has`: `{subject_name} has {}`",
                        code.name
                    )
                } else {
                    "choices are tested with `=`, `!=` or `in`".to_owned()
                };
                let code_type = Type::Code(code.name.clone());
                let (left, right) = if std::ptr::eq(choice, lhs) {
                    (ty, code_type)
                } else {
                    (code_type, ty)
                };
                self.mismatch(op, &left, &right, span, Some(help));
                return Some(None);
            }
            if !code_of(self.checker, scale, code, &subject_name) {
                return Some(None);
            }
            let condition = match operand {
                Operand::Item(id) => {
                    self.read(id, subject.span);
                    Condition::OneOf {
                        item: id,
                        codes: vec![code.name.clone()],
                    }
                }
                field => Condition::Compare {
                    op: CompareOp::Eq,
                    lhs: field,
                    rhs: Operand::Code(code.name.clone()),
                },
            };
            return Some(Some(negate_if(op, condition)));
        }
        None
    }

    fn compare(&mut self, op: CompareOp, lhs: &Expr, rhs: &Expr, span: Span) -> Option<Condition> {
        if let Some(resolved) = self.code_comparison(op, lhs, rhs, span) {
            return resolved;
        }
        for side in [lhs, rhs] {
            if is_condition(side) {
                let (left, right) = (self.describe(lhs), self.describe(rhs));
                self.mismatch(op, &left, &right, span, None);
                return None;
            }
        }
        // Two bare names, neither an item: the right-hand one is most likely a code of the
        // unknown left-hand item. Report the item alone.
        let left = self.value(lhs);
        let right = match (&left, &rhs.kind) {
            (None, ExprKind::Name(name)) if self.checker.item_id(name).is_none() => None,
            _ => self.value(rhs),
        };
        let ((lhs_value, left), (rhs_value, right)) = (left?, right?);
        let compatible = match (&left, &right) {
            (Type::Number, Type::Number) | (Type::Date, Type::Date) => true,
            // An amount with an amount (of the same currency, in the reply), or with a number
            // in its own currency.
            (Type::Amount, Type::Amount | Type::Number) | (Type::Number, Type::Amount) => true,
            (Type::Text, Type::Text) => !op.is_ordering(),
            (
                Type::Choice {
                    scale: a,
                    multiple: false,
                },
                Type::Choice {
                    scale: b,
                    multiple: false,
                },
            ) => a == b && !op.is_ordering(),
            _ => false,
        };
        let reads_answers = reads_answers(&lhs_value) || reads_answers(&rhs_value);
        if !compatible || !reads_answers {
            let help = compatible.then(|| "a comparison needs at least one item".to_owned());
            self.mismatch(op, &left, &right, span, help);
            return None;
        }
        Some(Condition::Compare {
            op,
            lhs: lhs_value,
            rhs: rhs_value,
        })
    }

    /// What an operand of a comparison is, for a message, without reporting anything.
    fn describe(&mut self, expr: &Expr) -> Type {
        if is_condition(expr) {
            return Type::Other("a condition");
        }
        match &expr.kind {
            ExprKind::Name(name) => match self.checker.item_id(name) {
                Some(id) => {
                    self.checker.resolve_calc(id);
                    self.type_of(id)
                }
                None => Type::Code(name.name.clone()),
            },
            ExprKind::Number(_) | ExprKind::Chain { .. } => Type::Number,
            ExprKind::Date(_) => Type::Date,
            ExprKind::Text(_) => Type::Text,
            _ => Type::Other("a value"),
        }
    }

    /// Resolves an expression that must be a value: an item, a field of the record, a
    /// literal, arithmetic or a function.
    pub(super) fn value(&mut self, expr: &Expr) -> Option<(Operand, Type)> {
        crate::stack::guard(|| match &expr.kind {
            ExprKind::Name(name) => {
                if let Some(field) = name.name.strip_prefix("this.") {
                    let index = self.field_index(field, name.span)?;
                    let ty = self
                        .record_fields()
                        .map(|fields| Type::of(&fields.at(index).answer))?;
                    return Some((Operand::Field(index), ty));
                }
                if name.name.matches('.').count() == 2 {
                    return self.cell(name);
                }
                if let Some((list, field)) = name.name.split_once('.') {
                    self.checker
                        .errors
                        .push(CheckError::BadValue(ValueProblem::EveryRecord {
                            list: list.to_owned(),
                            field: field.to_owned(),
                            span: name.span,
                        }));
                    return None;
                }
                let id = self.item_named(name)?;
                Some((Operand::Item(id), self.type_of(id)))
            }
            ExprKind::Number(value) => Some((Operand::Number(*value), Type::Number)),
            ExprKind::Date(value) => Some((Operand::Date(value.clone()), Type::Date)),
            ExprKind::Text(value) => Some((Operand::Text(value.clone()), Type::Text)),
            ExprKind::Chain { first, rest } => self.chain(first, rest),
            ExprKind::Call {
                function,
                args,
                filter,
                missing,
            } => {
                let (mut value, ty) = self.call(function, args, filter.as_deref(), expr.span)?;
                if let Some((none, span)) = *missing {
                    let policy = if none {
                        model::Missing::None
                    } else {
                        model::Missing::Skip
                    };
                    match &mut value {
                        Operand::Aggregate { missing, .. } | Operand::Records { missing, .. } => {
                            *missing = policy;
                        }
                        _ => {
                            self.checker.errors.push(CheckError::BadValue(
                                ValueProblem::MissingOutsideAggregate {
                                    function: function.name.clone(),
                                    span,
                                },
                            ));
                            return None;
                        }
                    }
                }
                // An aggregate that may have no value is tested for one wherever it is
                // computed with: an aggregate inside it would be tested again at each level.
                if let Operand::Aggregate {
                    function: aggregate,
                    over,
                    missing,
                } = &value
                {
                    let may_have_none =
                        matches!(aggregate, model::Aggregate::Min | model::Aggregate::Max)
                            || *missing == model::Missing::None
                            || ty == Type::Amount;
                    let nested = over
                        .iter()
                        .zip(args)
                        .find(|(o, _)| o.has_aggregate(&mut |_| true));
                    if let (true, Some((_, arg))) = (may_have_none, nested) {
                        self.checker.errors.push(CheckError::BadValue(
                            ValueProblem::NestedAggregate {
                                function: function.name.clone(),
                                span: arg.span,
                            },
                        ));
                        return None;
                    }
                }
                Some((value, ty))
            }
            _ => {
                // Resolved for its own errors; a condition that is right is shown as a number.
                if self.boolean(expr).is_some() {
                    let example = self.as_number(expr.span);
                    self.checker
                        .errors
                        .push(CheckError::BadValue(ValueProblem::Condition {
                            span: expr.span,
                            example,
                        }));
                }
                None
            }
        })
    }

    /// A condition written as a number, for a help: `if(men > women, 1, 0)`, with the
    /// condition as the source writes it when it is short and on one line.
    fn as_number(&self, span: Span) -> String {
        let (file, local) = self.checker.program.sources.locate(span);
        match file.text.get(local.start..local.end) {
            Some(text) if text.len() <= 80 && !text.contains('\n') => format!("if({text}, 1, 0)"),
            _ => "if(condition, 1, 0)".to_owned(),
        }
    }

    /// `a + b - c` or `a * b / c`: every operand a number, and no divisor that divides again.
    fn chain(&mut self, first: &Expr, rest: &[(ArithOp, Expr)]) -> Option<(Operand, Type)> {
        let mut ok = true;
        let op = rest.first().map_or(ArithOp::Add, |(op, _)| *op);
        let adds = matches!(op, ArithOp::Add | ArithOp::Sub);
        let (head, head_type) = self.value(first)?;
        if !matches!(head_type, Type::Number | Type::Amount) {
            self.mismatch_arith(op, &head_type, &Type::Number, first.span);
            ok = false;
        }
        // Amounts add to amounts; a product has at most one amount on each side of `/`.
        let mut amounts = [usize::from(head_type == Type::Amount), 0];
        let (mut positive, mut negative) = (vec![head], Vec::new());
        for (op, expr) in rest {
            let Some((value, ty)) = self.value(expr) else {
                ok = false;
                continue;
            };
            let fits = match adds {
                true => ty == head_type,
                false => matches!(ty, Type::Number | Type::Amount),
            };
            if !fits {
                self.mismatch_arith(*op, &head_type, &ty, expr.span);
                ok = false;
                continue;
            }
            if !adds && ty == Type::Amount {
                if let Some(count) = amounts.get_mut(usize::from(*op == ArithOp::Div)) {
                    *count += 1;
                }
            }
            if *op == ArithOp::Div && value.divides() {
                // Frontends test every divisor for zero: a divisor that divides again would
                // make that test grow with each level.
                self.checker
                    .errors
                    .push(CheckError::BadValue(ValueProblem::DivisorDivides {
                        span: expr.span,
                    }));
                ok = false;
                continue;
            }
            match op {
                ArithOp::Add | ArithOp::Mul => positive.push(value),
                ArithOp::Sub | ArithOp::Div => negative.push(value),
            }
        }
        if !ok {
            return None;
        }
        let ty = match (adds, amounts) {
            (true, _) => head_type,
            (false, [0, 0] | [1, 1]) => Type::Number,
            (false, [1, 0]) => Type::Amount,
            (false, _) => {
                let span = rest
                    .last()
                    .map_or(first.span, |(_, last)| first.span.cover(last.span));
                self.checker
                    .errors
                    .push(CheckError::BadValue(ValueProblem::AmountProduct { span }));
                return None;
            }
        };
        let operand = match op {
            ArithOp::Add | ArithOp::Sub => Operand::Sum {
                add: positive,
                subtract: negative,
            },
            ArithOp::Mul | ArithOp::Div => Operand::Product {
                multiply: positive,
                divide: negative,
            },
        };
        Some((operand, ty))
    }

    /// `sum(…)`, `count(…)`, `min(…)`, `max(…)`, `if(c, a, b)`, `today()`, `year(d)`; an
    /// aggregate over a list may take the records that meet a `filter`.
    fn call(
        &mut self,
        function: &ast::Ident,
        args: &[Expr],
        filter: Option<&Expr>,
        span: Span,
    ) -> Option<(Operand, Type)> {
        if let Some(filter) = filter {
            return self.filtered(function, args, filter);
        }
        let arity = |checker: &mut Checker<'_>, wanted: &'static str| {
            checker
                .errors
                .push(CheckError::BadValue(ValueProblem::Arity {
                    function: function.name.clone(),
                    wanted,
                    given: args.len(),
                    span,
                }));
        };
        match (function.name.as_str(), args) {
            ("score", [choice]) => self.score(choice),
            ("score", _) => {
                arity(
                    self.checker,
                    "one choice whose options have scores: `score(q1)`",
                );
                None
            }
            ("band", [value, scale, limits @ ..]) if !limits.is_empty() => {
                self.band(value, scale, limits, span)
            }
            ("band", _) => {
                arity(
                    self.checker,
                    "a number, a scale and the limits between its options: `band(total, risk, 10, 20)`",
                );
                None
            }
            ("unique", _) => {
                if self.unique(args, false, span).is_some() {
                    let example = self.as_number(span);
                    self.checker
                        .errors
                        .push(CheckError::BadValue(ValueProblem::Condition {
                            span,
                            example,
                        }));
                }
                None
            }
            ("today", []) => Some((Operand::Today, Type::Date)),
            ("today", _) => {
                arity(self.checker, "no arguments: `today()`");
                None
            }
            ("year", [date]) => {
                let (value, ty) = self.value(date)?;
                if ty != Type::Date {
                    self.wrong_argument(&function.name, date.span, &ty, "a date");
                    return None;
                }
                Some((Operand::Year(Box::new(value)), Type::Number))
            }
            ("year", _) => {
                arity(self.checker, "one date: `year(q3_adopted)`");
                None
            }
            (unit @ ("days" | "years"), [from, to]) => {
                let unit = if unit == "days" {
                    model::DateUnit::Days
                } else {
                    model::DateUnit::Years
                };
                let from_value = self.date_argument(function, from);
                let to_value = self.date_argument(function, to);
                Some((
                    Operand::Between {
                        unit,
                        from: Box::new(from_value?),
                        to: Box::new(to_value?),
                    },
                    Type::Number,
                ))
            }
            ("days" | "years", _) => {
                arity(
                    self.checker,
                    "two dates, from and to: `years(q3_adopted, today())`",
                );
                None
            }
            ("if", [condition, then, otherwise]) => {
                let condition = self.boolean(condition);
                let then_value = self.value(then);
                let otherwise_value = self.value(otherwise);
                let ((then_value, then_type), (otherwise_value, otherwise_type)) =
                    (then_value?, otherwise_value?);
                if then_type != otherwise_type {
                    self.checker
                        .errors
                        .push(CheckError::BadValue(ValueProblem::IfTypes {
                            then: then_type.describe(),
                            otherwise: otherwise_type.describe(),
                            span: then.span.cover(otherwise.span),
                        }));
                    return None;
                }
                Some((
                    Operand::If {
                        condition: Box::new(condition?),
                        then: Box::new(then_value),
                        otherwise: Box::new(otherwise_value),
                    },
                    then_type,
                ))
            }
            ("if", _) => {
                arity(
                    self.checker,
                    "a condition and two values: `if(q1 = yes, q2, 0)`",
                );
                None
            }
            (name, _) => match model::Aggregate::parse(name) {
                Some(_) if args.is_empty() => {
                    arity(self.checker, "one or more values: `sum(male, female)`");
                    None
                }
                Some(function) => self.aggregate(function, args),
                None => {
                    let help = self.checker.did_you_mean(name, FUNCTIONS).or_else(|| {
                        Some(format!(
                            "the functions are {}",
                            or_list(&FUNCTIONS.map(|f| format!("`{f}`")))
                        ))
                    });
                    self.checker
                        .errors
                        .push(CheckError::BadValue(ValueProblem::UnknownFunction {
                            name: name.to_owned(),
                            span: function.span,
                            help,
                        }));
                    None
                }
            },
        }
    }

    /// A date that `days` or `years` counts from or to: a date item or field, `today()` or a
    /// date, so that every target can take it apart.
    fn date_argument(&mut self, function: &ast::Ident, arg: &Expr) -> Option<Operand> {
        let (value, ty) = self.value(arg)?;
        let simple = matches!(
            value,
            Operand::Item(_) | Operand::Field(_) | Operand::Today | Operand::Date(_)
        );
        if ty != Type::Date || !simple {
            let found = if ty == Type::Date {
                "a computed date".to_owned()
            } else {
                ty.describe()
            };
            self.checker
                .errors
                .push(CheckError::BadValue(ValueProblem::NotADate {
                    function: function.name.clone(),
                    found,
                    span: arg.span,
                }));
            return None;
        }
        Some(value)
    }

    /// `count(q24 where …)`, `sum(q24.copies where …)`: an aggregate over the records of a
    /// list that meet a condition.
    fn filtered(
        &mut self,
        function: &ast::Ident,
        args: &[Expr],
        filter: &Expr,
    ) -> Option<(Operand, Type)> {
        let aggregate = model::Aggregate::parse(&function.name);
        let records = match (aggregate, args) {
            (Some(aggregate), [arg]) => self.records(aggregate, arg, Some(filter)),
            _ => None,
        };
        if let Some(records) = records {
            return records;
        }
        self.checker
            .errors
            .push(CheckError::BadValue(ValueProblem::FilterWithoutList {
                function: function.name.clone(),
                span: filter.span,
            }));
        None
    }

    /// The filter of an aggregate over the records of `list`: a condition on each record,
    /// which reads its fields (`this.field`) and nothing else, as every target evaluates it
    /// with the record alone.
    fn filter(&mut self, list: ItemId, expr: &Expr) -> Option<Condition> {
        let condition = Resolver {
            checker: &mut *self.checker,
            item: self.item,
            track: false,
            record: Some(list),
        }
        .boolean(expr)?;
        let mut outside = None;
        condition.for_each_item(&mut |item| {
            outside.get_or_insert(item);
        });
        let outside = match outside {
            Some(item) => Some(format!("`{}`", self.checker.walk.items.at(item).id)),
            None => condition.reads_today().then(|| "`today()`".to_owned()),
        };
        if let Some(what) = outside {
            let name = self.checker.walk.items.at(list).id.clone();
            self.checker
                .errors
                .push(CheckError::BadValue(ValueProblem::FilterReadsOutside {
                    what,
                    list: name,
                    span: expr.span,
                }));
            return None;
        }
        Some(condition)
    }

    /// What to write for a condition on the fields of a list's records given to an aggregate:
    /// `count(members.age < 5)` is `count(members where this.age < 5)`. `None` when the
    /// condition reads no list's fields, or those of two lists.
    fn filter_help(&self, function: model::Aggregate, arg: &Expr) -> Option<String> {
        let mut names = Vec::new();
        names_in(arg, &mut names);
        let mut list: Option<(&str, &str)> = None;
        let mut rewrites = Vec::new();
        for name in names {
            let Some((list_name, field)) = name.name.split_once('.') else {
                continue;
            };
            let ident = ast::Ident {
                name: list_name.to_owned(),
                span: Span::new(name.span.start, name.span.start + list_name.len()),
            };
            let is_list = self.checker.item_id(&ident).is_some_and(|id| {
                matches!(
                    self.checker.walk.items.at(id).answer,
                    Some(AnswerType::List(_))
                )
            });
            if !is_list || list.is_some_and(|(known, _)| known != list_name) {
                return None;
            }
            list.get_or_insert((list_name, field));
            rewrites.push(ident.span);
        }
        let (list, field) = list?;
        let (file, local) = self.checker.program.sources.locate(arg.span);
        let text = file.text.get(local.start..local.end)?;
        const SHOWN: usize = 160;
        let condition = if text.len() > SHOWN || text.contains('\n') {
            "…".to_owned()
        } else {
            let mut condition = String::with_capacity(text.len());
            let mut at = 0;
            for span in rewrites {
                let span = file.local(span);
                let start = span.start.checked_sub(local.start)?;
                condition.push_str(text.get(at..start)?);
                condition.push_str("this");
                at = start + (span.end - span.start);
            }
            condition.push_str(text.get(at..)?);
            condition
        };
        Some(match function {
            model::Aggregate::Count => format!(
                "count the records that meet it: `count({list} where {condition})`"
            ),
            other => format!(
                "take the values of the records that meet it: `{}({list}.{field} where {condition})`",
                other.as_str()
            ),
        })
    }

    /// An aggregate over values, or over the records of a list.
    fn aggregate(&mut self, function: model::Aggregate, args: &[Expr]) -> Option<(Operand, Type)> {
        let numeric = function != model::Aggregate::Count;
        if let [arg] = args {
            if let Some(records) = self.records(function, arg, None) {
                return records;
            }
            if is_condition(arg) {
                if let Some(help) = self.filter_help(function, arg) {
                    self.checker.errors.push(CheckError::BadValue(
                        ValueProblem::ConditionOnRecords {
                            function: function.as_str(),
                            span: arg.span,
                            help,
                        },
                    ));
                    return None;
                }
            }
        }
        let mut over = Vec::new();
        let mut failed = false;
        // Numbers, or amounts (whose currencies must then agree in the reply): as the first.
        let mut kind = None;
        for arg in args {
            match self.value(arg) {
                Some((_, ty))
                    if numeric
                        && (!matches!(ty, Type::Number | Type::Amount)
                            || kind.as_ref().is_some_and(|kind| *kind != ty)) =>
                {
                    let wanted = match kind {
                        Some(Type::Amount) => "amounts, as the first value is",
                        Some(_) => "numbers, as the first value is",
                        None => "numbers or amounts",
                    };
                    self.wrong_argument(function.as_str(), arg.span, &ty, wanted);
                    failed = true;
                }
                Some((operand, ty)) => {
                    kind.get_or_insert(ty);
                    over.push(operand);
                }
                None => failed = true,
            }
        }
        let ty = match kind {
            Some(Type::Amount) if numeric => Type::Amount,
            _ => Type::Number,
        };
        (!failed).then_some((
            Operand::Aggregate {
                function,
                over,
                missing: model::Missing::Skip,
            },
            ty,
        ))
    }

    /// `count(q24)`, `sum(q24.copies)`: an aggregate over the records of a list (those that
    /// meet `filter`, when it is given); `None` when the argument names no list.
    fn records(
        &mut self,
        function: model::Aggregate,
        arg: &Expr,
        filter: Option<&Expr>,
    ) -> Option<Option<(Operand, Type)>> {
        let ExprKind::Name(name) = &arg.kind else {
            return None;
        };
        if name.name.matches('.').count() > 1 {
            return None; // a cell of a table
        }
        let (list_name, field) = match name.name.split_once('.') {
            Some(("this", _)) => return None,
            Some((list, field)) => (list, Some(field)),
            None => (name.name.as_str(), None),
        };
        let list_ident = ast::Ident {
            name: list_name.to_owned(),
            span: Span::new(name.span.start, name.span.start + list_name.len()),
        };
        let id = self.checker.item_id(&list_ident);
        let fields = match id.map(|id| &self.checker.walk.items.at(id).answer) {
            Some(Some(AnswerType::List(list))) => list.fields.clone(),
            _ if field.is_none() => return None,
            _ => {
                self.item_named(&list_ident)?;
                self.checker
                    .errors
                    .push(CheckError::UnknownField(FieldProblem::NotAList {
                        name: list_name.to_owned(),
                        span: list_ident.span,
                    }));
                return Some(None);
            }
        };
        let id = id?;
        self.read(id, list_ident.span);
        let filter = match filter {
            Some(expr) => match self.filter(id, expr) {
                Some(condition) => Some(Box::new(condition)),
                None => return Some(None),
            },
            None => None,
        };
        let Some(field) = field else {
            if function != model::Aggregate::Count {
                self.wrong_argument(
                    function.as_str(),
                    arg.span,
                    &Type::Other("a list"),
                    "numbers",
                );
                return Some(None);
            }
            return Some(Some((
                Operand::Records {
                    function,
                    list: id,
                    field: None,
                    filter,
                    missing: model::Missing::Skip,
                },
                Type::Number,
            )));
        };
        let Some(index) = fields.iter().position(|f| f.id == field) else {
            self.unknown_field(
                list_name,
                field,
                &fields,
                Span::new(list_ident.span.end + 1, name.span.end),
            );
            return Some(None);
        };
        let ty = Type::of(&fields.at(index).answer);
        let counted = function == model::Aggregate::Count;
        if !counted && !matches!(ty, Type::Number | Type::Amount) {
            self.wrong_argument(function.as_str(), arg.span, &ty, "numbers or amounts");
            return Some(None);
        }
        Some(Some((
            Operand::Records {
                function,
                list: id,
                field: Some(index),
                filter,
                missing: model::Missing::Skip,
            },
            if counted { Type::Number } else { ty },
        )))
    }

    /// `score(q1)`: what the option a choice has scores (of a multiple choice, the sum); every
    /// option of its scale must have a score.
    fn score(&mut self, choice: &Expr) -> Option<(Operand, Type)> {
        let ExprKind::Name(name) = &choice.kind else {
            let (_, ty) = self.value(choice)?;
            self.wrong_argument("score", choice.span, &ty, "a choice");
            return None;
        };
        let id = self.item_named(name)?;
        let Some(AnswerType::Choice { scale, .. }) = self.checker.walk.items.at(id).answer else {
            let ty = self.type_of(id);
            self.wrong_argument("score", choice.span, &ty, "a choice");
            return None;
        };
        let unscored = self
            .checker
            .declared
            .scales
            .at(scale)
            .options
            .iter()
            .find(|option| option.score.is_none())
            .map(|option| option.code.clone());
        if let Some(option) = unscored {
            self.checker
                .errors
                .push(CheckError::BadValue(ValueProblem::Unscored {
                    item: name.name.clone(),
                    option,
                    span: choice.span,
                }));
            return None;
        }
        Some((Operand::Score(id), Type::Number))
    }

    /// `band(total, risk, 10, 20)`: the option of a scale a number falls in, the limits between
    /// them in increasing order: below 10 the first, below 20 the second, the third otherwise.
    /// A calculated choice, written as the `if` it is.
    fn band(
        &mut self,
        value: &Expr,
        scale: &Expr,
        limits: &[Expr],
        span: Span,
    ) -> Option<(Operand, Type)> {
        let value_span = value.span;
        let number = self.value(value);
        let ExprKind::Name(scale_name) = &scale.kind else {
            self.checker
                .errors
                .push(CheckError::BadValue(ValueProblem::Band {
                    problem: "its second argument names a scale".to_owned(),
                    span: scale.span,
                }));
            return None;
        };
        let scale_id = match self.checker.lookup(scale_name, super::scope::Kind::Scale)? {
            super::scope::Symbol::Scale(id) => id,
            _ => return None,
        };
        let (value, ty) = number?;
        if ty != Type::Number {
            self.wrong_argument("band", value_span, &ty, "a number");
            return None;
        }
        // Each limit compares the value again: a name keeps the form linear in the source.
        if !matches!(
            value,
            Operand::Item(_) | Operand::Field(_) | Operand::Cell { .. }
        ) {
            self.checker
                .errors
                .push(CheckError::BadValue(ValueProblem::Band {
                    problem:
                        "calculate the number first (`calc total \"…\" = …`), then band `total`"
                            .to_owned(),
                    span: value_span,
                }));
            return None;
        }
        let mut cuts = Vec::with_capacity(limits.len());
        for limit in limits {
            match limit.kind {
                ExprKind::Number(n) if cuts.last().is_none_or(|last| *last < n) => cuts.push(n),
                _ => {
                    self.checker
                        .errors
                        .push(CheckError::BadValue(ValueProblem::Band {
                            problem: "the limits are numbers, each greater than the one before"
                                .to_owned(),
                            span: limit.span,
                        }));
                    return None;
                }
            }
        }
        let codes: Vec<String> = self
            .checker
            .declared
            .scales
            .at(scale_id)
            .options
            .iter()
            .map(|option| option.code.clone())
            .collect();
        if codes.len() != cuts.len() + 1 {
            self.checker
                .errors
                .push(CheckError::BadValue(ValueProblem::Band {
                    problem: format!(
                        "`{}` has {} options, so it takes {} between them, not {}",
                        scale_name.name,
                        codes.len(),
                        match codes.len().saturating_sub(1) {
                            1 => "1 limit".to_owned(),
                            n => format!("{n} limits"),
                        },
                        cuts.len()
                    ),
                    span,
                }));
            return None;
        }
        // From the last band back: `if(v < 10, low, if(v < 20, medium, high))`.
        let mut codes = codes.into_iter().rev();
        let mut chosen = Operand::Code(codes.next()?);
        for (code, cut) in codes.zip(cuts.iter().rev()) {
            chosen = Operand::If {
                condition: Box::new(Condition::Compare {
                    op: CompareOp::Lt,
                    lhs: value.clone(),
                    rhs: Operand::Number(*cut),
                }),
                then: Box::new(Operand::Code(code)),
                otherwise: Box::new(chosen),
            };
        }
        Some((
            chosen,
            Type::Choice {
                scale: scale_id,
                multiple: false,
            },
        ))
    }

    /// `convicted.homicide.men`: a cell of a table, by its row and its column.
    fn cell(&mut self, name: &ast::Ident) -> Option<(Operand, Type)> {
        let mut parts = name.name.splitn(3, '.');
        let (Some(table), Some(row), Some(column)) = (parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        let table_ident = ast::Ident {
            name: table.to_owned(),
            span: Span::new(name.span.start, name.span.start + table.len()),
        };
        let id = self.item_named(&table_ident)?;
        let Some(AnswerType::Table(shape)) = &self.checker.walk.items.at(id).answer else {
            self.checker
                .errors
                .push(CheckError::BadValue(ValueProblem::NotATable {
                    name: table.to_owned(),
                    span: table_ident.span,
                }));
            return None;
        };
        let find = |lines: &[model::Heading], id: &str| lines.iter().position(|line| line.id == id);
        let (rows, columns) = (shape.rows.clone(), shape.columns.clone());
        let cell = Type::of(&shape.cell);
        let row_index = find(&rows, row);
        let column_index = find(&columns, column);
        let (Some(row_index), Some(column_index)) = (row_index, column_index) else {
            let (what, wrong, lines) = match row_index {
                None => ("row", row, &rows),
                Some(_) => ("column", column, &columns),
            };
            let suggestion = self
                .checker
                .did_you_mean(wrong, lines.iter().map(|line| line.id.as_str()));
            self.checker
                .errors
                .push(CheckError::BadValue(ValueProblem::NoCell {
                    table: table.to_owned(),
                    what,
                    name: wrong.to_owned(),
                    span: name.span,
                    suggestion,
                }));
            return None;
        };
        Some((
            Operand::Cell {
                table: id,
                row: row_index,
                column: column_index,
            },
            cell,
        ))
    }

    /// `unique(q24.title)`: no two records of a list have the same value in a field.
    fn unique(&mut self, args: &[Expr], filtered: bool, span: Span) -> Option<Condition> {
        let records = match args {
            [arg] if !filtered => self.records(model::Aggregate::Count, arg, None),
            _ => None,
        };
        let (list, field) = match records {
            Some(Some((
                Operand::Records {
                    list,
                    field: Some(field),
                    ..
                },
                _,
            ))) => (list, field),
            // Reported.
            Some(None) => return None,
            _ => {
                self.checker
                    .errors
                    .push(CheckError::BadValue(ValueProblem::UniqueArgument { span }));
                return None;
            }
        };
        if self.record == Some(list) {
            let name = self.checker.walk.items.at(list).id.clone();
            let field = match &self.checker.walk.items.at(list).answer {
                Some(AnswerType::List(declared)) => declared.fields.at(field).id.clone(),
                _ => String::new(),
            };
            self.checker
                .errors
                .push(CheckError::BadValue(ValueProblem::UniqueInRecord {
                    list: name,
                    field,
                    span,
                }));
            return None;
        }
        Some(Condition::Unique { list, field })
    }

    /// The index of `this.field` in the record at hand, reporting a field that is not there
    /// or `this` outside a list.
    fn field_index(&mut self, field: &str, span: Span) -> Option<usize> {
        let Some(list) = self.record else {
            self.checker
                .errors
                .push(CheckError::UnknownField(FieldProblem::ThisOutside { span }));
            return None;
        };
        let fields = self.record_fields()?.to_vec();
        match fields.iter().position(|f| f.id == field) {
            Some(index) => Some(index),
            None => {
                let name = self.checker.walk.items.at(list).id.clone();
                let start = span.start + "this.".len();
                self.unknown_field(&name, field, &fields, Span::new(start, span.end));
                None
            }
        }
    }

    fn unknown_field(
        &mut self,
        list: &str,
        field: &str,
        fields: &[model::RecordField],
        span: Span,
    ) {
        let suggestion = self
            .checker
            .did_you_mean(field, fields.iter().map(|f| f.id.as_str()));
        self.checker
            .errors
            .push(CheckError::UnknownField(FieldProblem::NoField {
                list: list.to_owned(),
                field: field.to_owned(),
                span,
                suggestion,
            }));
    }

    fn wrong_argument(&mut self, function: &str, span: Span, found: &Type, wanted: &str) {
        self.checker
            .errors
            .push(CheckError::BadValue(ValueProblem::WrongArgument {
                function: function.to_owned(),
                wanted: wanted.to_owned(),
                found: found.describe(),
                span,
            }));
    }

    fn mismatch(
        &mut self,
        op: CompareOp,
        left: &Type,
        right: &Type,
        span: Span,
        help: Option<String>,
    ) {
        self.checker.errors.push(CheckError::TypeMismatch {
            op: op.as_str().to_owned(),
            lhs: left.describe(),
            rhs: right.describe(),
            span,
            help,
        });
    }

    fn mismatch_arith(&mut self, op: ArithOp, left: &Type, right: &Type, span: Span) {
        self.checker.errors.push(CheckError::TypeMismatch {
            op: op.as_str().to_owned(),
            lhs: left.describe(),
            rhs: right.describe(),
            span,
            help: Some(
                "add numbers to numbers and amounts to amounts; multiply an amount by numbers: `price * 2`, `price - debt`"
                    .to_owned(),
            ),
        });
    }

    /// `q4 in [yes, yes_in_part]`, or `this.language in [en, fr]` in a list's logic.
    fn one_of(&mut self, operand: &Expr, codes: &[ast::Ident], span: Span) -> Option<Condition> {
        if let ExprKind::Name(name) = &operand.kind {
            if let Some(field) = name.name.strip_prefix("this.") {
                let index = self.field_index(field, name.span)?;
                let ty = self
                    .record_fields()
                    .map(|fields| Type::of(&fields.at(index).answer))?;
                let Type::Choice {
                    scale,
                    multiple: false,
                } = ty
                else {
                    self.checker.errors.push(CheckError::TypeMismatch {
                        op: "in".to_owned(),
                        lhs: ty.describe(),
                        rhs: "a list of codes".to_owned(),
                        span,
                        help: Some("`in` tests a single choice".to_owned()),
                    });
                    return None;
                };
                let mut parts = Vec::new();
                for code in codes {
                    if code_of(self.checker, scale, code, field) {
                        parts.push(Condition::Compare {
                            op: CompareOp::Eq,
                            lhs: Operand::Field(index),
                            rhs: Operand::Code(code.name.clone()),
                        });
                    }
                }
                return (parts.len() == codes.len()).then_some(Condition::Or(parts));
            }
        }
        let id = self.choice_operand(operand, false, "in", span)?;
        let Type::Choice { scale, .. } = self.type_of(id) else {
            return None;
        };
        let name = self.checker.walk.items.at(id).id.clone();
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
            let what = self.describe(code).describe();
            self.checker.errors.push(CheckError::TypeMismatch {
                op: "has".to_owned(),
                lhs: "a multiple choice".to_owned(),
                rhs: what,
                span,
                help: Some("`has` takes a code of the item's scale".to_owned()),
            });
            return None;
        };
        let name = self.checker.walk.items.at(id).id.clone();
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
        let found = match &operand.kind {
            ExprKind::Name(name) if !name.name.contains('.') => match self.checker.item_id(name) {
                Some(id) => {
                    self.checker.resolve_calc(id);
                    if let Type::Choice { multiple: m, .. } = self.type_of(id) {
                        if m == multiple {
                            return self.item_named(name);
                        }
                    }
                    self.type_of(id)
                }
                None => {
                    self.item_named(name);
                    return None;
                }
            },
            _ => self.describe(operand),
        };
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
        self.checker.errors.push(CheckError::TypeMismatch {
            op: op.to_owned(),
            lhs: found.describe(),
            rhs: wanted.to_owned(),
            span,
            help: Some(help.to_owned()),
        });
        None
    }
}

/// `condition`, or its negation for `!=`.
fn negate_if(op: CompareOp, condition: Condition) -> Condition {
    match op {
        CompareOp::Ne => Condition::Not(Box::new(condition)),
        _ => condition,
    }
}

/// Every name an expression reads, in order.
fn names_in<'e>(expr: &'e Expr, out: &mut Vec<&'e ast::Ident>) {
    crate::stack::guard(|| match &expr.kind {
        ExprKind::Or(parts) | ExprKind::And(parts) => {
            parts.iter().for_each(|part| names_in(part, out));
        }
        ExprKind::Not(inner) => names_in(inner, out),
        ExprKind::Compare { lhs, rhs, .. } => {
            names_in(lhs, out);
            names_in(rhs, out);
        }
        ExprKind::In { operand, .. } => names_in(operand, out),
        ExprKind::Has { operand, code } => {
            names_in(operand, out);
            names_in(code, out);
        }
        ExprKind::Chain { first, rest } => {
            names_in(first, out);
            rest.iter().for_each(|(_, part)| names_in(part, out));
        }
        ExprKind::Call { args, filter, .. } => {
            args.iter().for_each(|arg| names_in(arg, out));
            filter.iter().for_each(|filter| names_in(filter, out));
        }
        ExprKind::Name(name) => out.push(name),
        ExprKind::Answered(_)
        | ExprKind::Number(_)
        | ExprKind::Date(_)
        | ExprKind::Text(_)
        | ExprKind::Bool(_) => {}
    })
}

/// Whether an expression is a yes-or-no test rather than a value.
fn is_condition(expr: &Expr) -> bool {
    matches!(
        expr.kind,
        ExprKind::Or(_)
            | ExprKind::And(_)
            | ExprKind::Not(_)
            | ExprKind::Compare { .. }
            | ExprKind::In { .. }
            | ExprKind::Has { .. }
            | ExprKind::Answered(_)
            | ExprKind::Bool(_)
    )
}

/// Whether a value reads an answer: an item anywhere, or a field of the record at hand.
fn reads_answers(operand: &Operand) -> bool {
    let mut found = false;
    operand.for_each_item(&mut |_| found = true);
    operand.for_each_needed(&mut |read| found |= matches!(read, model::Reading::Field(_)));
    found
}

/// `a`, `a or b`, `a, b or c`.
fn or_list(items: &[String]) -> String {
    const SHOWN: usize = 12;
    match items {
        [] => "no option".to_owned(),
        [one] => one.clone(),
        [init @ .., last] if items.len() <= SHOWN => format!("{} or {last}", init.join(", ")),
        _ => format!(
            "{}, or one of {} more",
            items
                .iter()
                .take(SHOWN)
                .cloned()
                .collect::<Vec<_>>()
                .join(", "),
            items.len() - SHOWN
        ),
    }
}
