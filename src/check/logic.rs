//! The logic beyond guards: calculated values, constraints, special answers, numeric tables
//! and the own logic of lists (conditions on fields, constraints on records, record counts).
//! Declarations are read with the items; their expressions are resolved once every item is
//! known, by the same resolver as conditions.

use rustc_hash::FxHashMap as HashMap;

use super::block::EnvId;
use super::condition::{Resolver, Type};
use super::error::{CheckError, FieldProblem, SpecialProblem, TableProblem, ValueProblem};
use super::scope::{Kind, Symbol};
use super::Checker;
use crate::arena::Arena;
use crate::model::Severity;
use crate::model::{self, AnswerType, End, ItemId, ItemKind};
use crate::span::Note;
use crate::span::Span;
use crate::syntax::ast;

/// What a constraint belongs to.
#[derive(Clone, Copy)]
pub(super) enum Owner {
    Item(ItemId),
    Section(usize),
    /// Each record of this list.
    Records(ItemId),
}

/// An expression to resolve once every item is known, with where its names are looked up.
pub(super) struct Pending<'a> {
    kind: PendingKind<'a>,
    env: EnvId,
}

enum PendingKind<'a> {
    Constraint {
        owner: Owner,
        constraint: &'a ast::ConstraintDecl,
    },
    /// `field … when this.x = y` in a list.
    FieldCondition {
        list: ItemId,
        field: usize,
        condition: &'a ast::Expr,
    },
    /// `list min … max …`
    Count {
        list: ItemId,
        end: End,
        count: &'a ast::RecordCount,
    },
}

/// Where a calculated value stands: waiting to be resolved (its expression and scope), being
/// resolved (a cycle, reported by the graph check), or done.
pub(super) enum CalcState<'a> {
    Waiting(&'a ast::Expr, EnvId),
    Resolving,
    Done,
}

impl<'a> Checker<'a> {
    /// Declares a special answer; returns its index.
    pub(super) fn special(&mut self, special: &'a ast::SpecialDecl) -> usize {
        let label = self.text(&special.label);
        self.declared.specials.push(model::Choice {
            code: special.id.name.clone(),
            label,
            score: None,
        });
        // The instrument's own are kept; an imported one when an item allows it.
        self.declared.special_kept.push(self.env == self.entry());
        self.declared.special_spans.push(special.id.span);
        self.declared.specials.len() - 1
    }

    /// `allow dont_know, refused` on an item.
    pub(super) fn allow_specials(&mut self, id: ItemId, names: &[ast::Ident]) {
        if self.walk.items.at(id).answer.is_none() {
            if let Some(name) = names.first() {
                self.errors
                    .push(CheckError::BadSpecial(SpecialProblem::NothingToReplace {
                        item: self.walk.items.at(id).id.clone(),
                        span: name.span,
                    }));
            }
            return;
        }
        for name in names {
            let Some(Symbol::Special(index)) = self.lookup(name, Kind::Special) else {
                continue;
            };
            let code = self.declared.specials.at(index).code.clone();
            if self.walk.items.at(id).specials.contains(&code) {
                self.errors
                    .push(CheckError::BadSpecial(SpecialProblem::Twice {
                        code,
                        span: name.span,
                    }));
                continue;
            }
            if let Some(AnswerType::Choice { scale, .. }) = &self.walk.items.at(id).answer {
                if self.declared.scales.at(*scale).has_code(&code) {
                    self.errors
                        .push(CheckError::BadSpecial(SpecialProblem::AlsoAnOption {
                            code,
                            item: self.walk.items.at(id).id.clone(),
                            span: name.span,
                        }));
                    continue;
                }
            }
            self.walk.items.at_mut(id).specials.push(code);
        }
    }

    /// `calc id "label" = value`: an item that is computed, never asked.
    pub(super) fn calc(
        &mut self,
        calc: &'a ast::CalcDecl,
        parent: Option<ItemId>,
        section: usize,
    ) -> ItemId {
        let id = self.push_item(&calc.id, &calc.label, ItemKind::Calculated, parent, section);
        self.walk.items.at_mut(id).shown = calc.shown;
        // A calculated value asks nothing, so it cites nothing.
        *self.walk.allow_uncited.at_mut(id) = true;
        self.deferred
            .calc_state
            .insert(id, CalcState::Waiting(&calc.value, self.env));
        id
    }

    /// Resolves a calculated value now, if it waits: its type must be known before anything
    /// that reads it is typed. A calculated value met again while it is being resolved is in a
    /// cycle, which the graph check reports.
    pub(super) fn resolve_calc(&mut self, id: ItemId) {
        let Some(CalcState::Waiting(expr, env)) = self.deferred.calc_state.get(&id) else {
            return;
        };
        let (expr, env) = (*expr, *env);
        self.deferred.calc_state.insert(id, CalcState::Resolving);
        let here = std::mem::replace(&mut self.env, env);
        let resolved = Resolver {
            checker: self,
            item: id,
            track: true,
            record: None,
        }
        .value(expr);
        self.env = here;
        if let Some((value, ty)) = resolved {
            match ty.answer() {
                Some(answer) => {
                    self.walk.items.at_mut(id).answer = Some(answer);
                    self.walk.items.at_mut(id).calculation = Some(value);
                }
                None => self
                    .errors
                    .push(CheckError::BadValue(ValueProblem::NotCalculable {
                        item: self.walk.items.at(id).id.clone(),
                        found: ty.describe(),
                        span: expr.span,
                    })),
            }
        }
        self.deferred.calc_state.insert(id, CalcState::Done);
    }

    /// `check condition else error "message"`, resolved later.
    pub(super) fn constraint(&mut self, owner: Owner, constraint: &'a ast::ConstraintDecl) {
        self.deferred.logic.push(Pending {
            kind: PendingKind::Constraint { owner, constraint },
            env: self.env,
        });
    }

    /// Records a list's own logic for later: conditions on fields, constraints on records and
    /// the number of records. Only an item's own list may have it.
    pub(super) fn list_logic(
        &mut self,
        list: &'a ast::ListDecl,
        owner: Option<ItemId>,
        fields: &[model::RecordField],
    ) {
        let Some(owner) = owner else {
            let span = list
                .fields
                .iter()
                .find_map(|field| field.when.as_ref().map(|when| when.span))
                .or_else(|| list.constraints.first().map(|c| c.span))
                .or_else(|| list.min.as_ref().or(list.max.as_ref()).map(count_span));
            if let Some(span) = span {
                self.errors
                    .push(CheckError::UnknownField(FieldProblem::InnerLogic { span }));
            }
            return;
        };
        let env = self.env;
        for field in &list.fields {
            if let Some(condition) = &field.when {
                // Fields dropped for errors (reported) have no index.
                if let Some(index) = fields.iter().position(|f| f.id == field.id.name) {
                    self.deferred.logic.push(Pending {
                        kind: PendingKind::FieldCondition {
                            list: owner,
                            field: index,
                            condition,
                        },
                        env,
                    });
                }
            }
        }
        for constraint in &list.constraints {
            self.constraint(Owner::Records(owner), constraint);
        }
        for (count, end) in [(&list.min, End::Min), (&list.max, End::Max)] {
            if let Some(count) = count {
                self.deferred.logic.push(Pending {
                    kind: PendingKind::Count {
                        list: owner,
                        end,
                        count,
                    },
                    env,
                });
            }
        }
    }

    /// `table id "label" : integer { row … column … total row … }`
    pub(super) fn table(
        &mut self,
        table: &'a ast::TableDecl,
        parent: Option<ItemId>,
        section: usize,
    ) -> ItemId {
        let id = self.push_item(&table.id, &table.label, ItemKind::Table, parent, section);
        if let Some(guard) = &table.guard {
            self.deferred.guards.push(super::PendingGuard {
                item: id,
                column: None,
                guard,
                env: self.env,
            });
        }
        let cell = self.answer(&table.cell, None);
        let rows = self.lines(id, table, &table.rows, "row");
        let columns = self.lines(id, table, &table.columns, "column");
        if let Some(cell) = cell {
            self.walk.items.at_mut(id).answer = Some(AnswerType::Table(model::Table {
                cell: Box::new(cell),
                rows,
                columns,
            }));
        }
        self.attributes(id, &table.id, &table.attributes);
        // Items asked with the table, such as a comment on its figures.
        for member in &table.attributes {
            if let ast::ItemMember::Item(child) = member {
                self.item(child, Some(id), section);
            }
        }
        id
    }

    /// The rows or the columns of a table: at least one that is not a total, at most one total.
    fn lines(
        &mut self,
        id: ItemId,
        table: &'a ast::TableDecl,
        lines: &'a [ast::TableLine],
        what: &'static str,
    ) -> Vec<model::Heading> {
        let mut seen: HashMap<&str, Span> = HashMap::default();
        let mut total: Option<Span> = None;
        let mut out = Vec::new();
        for line in lines {
            if let Some(first) = seen.get(line.id.name.as_str()) {
                self.errors.push(CheckError::Duplicate {
                    kind: if what == "row" { "row" } else { "column" },
                    name: line.id.name.clone(),
                    span: line.id.span,
                    first: Note::new(*first, "first defined here"),
                });
                continue;
            }
            seen.insert(&line.id.name, line.id.span);
            if line.total {
                if let Some(first) = total {
                    self.errors
                        .push(CheckError::BadTable(TableProblem::TwoTotals {
                            table: table.id.name.clone(),
                            what,
                            first: self.program.sources.location(first),
                            span: line.id.span,
                        }));
                    continue;
                }
                total = Some(line.id.span);
            }
            let citations = match &line.cites {
                Some(refs) => {
                    *self.walk.allow_uncited.at_mut(id) = true;
                    self.citations(refs)
                }
                None => Vec::new(),
            };
            out.push(model::Heading {
                id: line.id.name.clone(),
                label: self.text(&line.label),
                total: line.total,
                citations,
                cited: None,
            });
        }
        if !out.iter().any(|line| !line.total) {
            self.errors
                .push(CheckError::BadTable(TableProblem::NothingToFill {
                    table: table.id.name.clone(),
                    what,
                    span: table.id.span,
                }));
        }
        out
    }

    /// Resolves constraints, conditions on fields and record counts, once every item is known.
    pub(super) fn resolve_logic(&mut self) {
        for pending in std::mem::take(&mut self.deferred.logic) {
            self.env = pending.env;
            match pending.kind {
                PendingKind::Constraint { owner, constraint } => {
                    self.resolve_constraint(owner, constraint);
                }
                PendingKind::FieldCondition {
                    list,
                    field,
                    condition,
                } => {
                    let resolved = Resolver {
                        checker: self,
                        item: list,
                        track: false,
                        record: Some(list),
                    }
                    .boolean(condition);
                    if let (Some(resolved), Some(AnswerType::List(records))) =
                        (resolved, &mut self.walk.items.at_mut(list).answer)
                    {
                        records.fields.at_mut(field).condition = Some(resolved);
                    }
                }
                PendingKind::Count { list, end, count } => self.record_count(list, end, count),
            }
        }
        self.env = self.entry();
    }

    fn resolve_constraint(&mut self, owner: Owner, constraint: &'a ast::ConstraintDecl) {
        let (item, record) = match owner {
            Owner::Item(id) => (id, None),
            Owner::Records(id) => (id, Some(id)),
            // A section's constraint reads as if from its first item; nothing is tracked.
            Owner::Section(_) => (ItemId::from(0), None),
        };
        let condition = Resolver {
            checker: self,
            item,
            track: false,
            record,
        }
        .boolean(&constraint.condition);
        let Some(condition) = condition else { return };
        if let Some(reason) = super::satisfy::never(self, &condition) {
            self.errors.push(CheckError::NeverTrue {
                span: constraint.condition.span,
                reason,
                help: Some("no reply can keep this constraint; correct it".to_owned()),
            });
        }
        let resolved = model::Constraint {
            condition,
            severity: if constraint.warning {
                Severity::Warning
            } else {
                Severity::Error
            },
            message: self.text(&constraint.message),
            span: constraint.span,
        };
        match owner {
            Owner::Item(id) => self.walk.items.at_mut(id).constraints.push(resolved),
            Owner::Section(section) => self
                .walk
                .sections
                .at_mut(section)
                .constraints
                .push(resolved),
            Owner::Records(id) => {
                if let Some(AnswerType::List(list)) = &mut self.walk.items.at_mut(id).answer {
                    list.constraints.push(resolved);
                }
            }
        }
    }

    /// `min 1`, `max household_size`: a whole number, or an item whose answer is a number.
    fn record_count(&mut self, list: ItemId, end: End, count: &'a ast::RecordCount) {
        let resolved = match count {
            ast::RecordCount::Number(value, span) => {
                // A whole, non-negative f64 converts exactly up to 2^53.
                if *value > 9_007_199_254_740_992.0 {
                    self.errors
                        .push(CheckError::BadValue(ValueProblem::CountTooLarge {
                            value: *value,
                            span: *span,
                        }));
                    return;
                }
                if value.fract() != 0.0 || *value < 0.0 {
                    self.errors
                        .push(CheckError::BadValue(ValueProblem::CountNotWhole {
                            value: *value,
                            span: *span,
                        }));
                    return;
                }
                model::Count::Number(*value as u64)
            }
            ast::RecordCount::Item(name) => {
                let Some(id) = self.item_id(name) else {
                    self.errors.push(CheckError::UnknownItem {
                        name: name.name.clone(),
                        span: name.span,
                        help: self.did_you_mean(&name.name, self.walk.item_names.keys().copied()),
                    });
                    return;
                };
                self.resolve_calc(id);
                if !matches!(
                    self.walk.items.at(id).answer,
                    Some(AnswerType::Number { .. })
                ) {
                    let found =
                        self.walk.items.at(id).answer.as_ref().map_or_else(
                            || "a group of items".to_owned(),
                            |a| Type::of(a).describe(),
                        );
                    self.errors.push(CheckError::TypeMismatch {
                        op: end.keyword().to_owned(),
                        lhs: "a number of records".to_owned(),
                        rhs: found,
                        span: name.span,
                        help: Some("the number of records comes from a number".to_owned()),
                    });
                    return;
                }
                model::Count::Item(id)
            }
        };
        if let Some(AnswerType::List(records)) = &mut self.walk.items.at_mut(list).answer {
            *records.count_mut(end) = Some(resolved);
            if let (Some(model::Count::Number(min)), Some(model::Count::Number(max))) =
                (&records.min, &records.max)
            {
                if min > max {
                    let (min, max) = (*min as f64, *max as f64);
                    self.errors.push(CheckError::InvertedBounds {
                        min,
                        max,
                        span: count_span(count),
                    });
                }
            }
        }
    }
}

fn count_span(count: &ast::RecordCount) -> Span {
    match count {
        ast::RecordCount::Number(_, span) => *span,
        ast::RecordCount::Item(name) => name.span,
    }
}
