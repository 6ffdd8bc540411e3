//! The analysis pass: what is checked once every name is resolved, over the [`Resolved`]
//! instrument the checker hands over. Cycles and references to later items (`graph`),
//! duplicate labels, labels that restate their conditions (`prose`), uncited questions; and
//! pruning: the form keeps the entry file's own scales and documents and the imported ones it
//! uses or names. Then the model.

use rustc_hash::FxHashMap as HashMap;
use typed_index_collections::{TiSlice, TiVec};

use super::error::CheckError;
use super::scope::clash;
use super::{graph, prose, Reference};
use crate::arena::Arena;
use crate::model::{self, AnswerType, Block, DocumentId, ItemId, ScaleId};
use crate::span::{Note, Span};
use crate::syntax::ast;

/// The instrument with every name resolved, and what the analyses read besides: where labels
/// and declarations are, which items read which, which items may go uncited, and which scales,
/// documents and special answers the form keeps.
pub(super) struct Resolved<'a> {
    pub header: Option<&'a ast::Header>,
    pub introduction: Vec<Block>,
    pub scales: TiVec<ScaleId, model::Scale>,
    pub scale_kept: TiVec<ScaleId, bool>,
    pub scale_spans: TiVec<ScaleId, Span>,
    pub documents: TiVec<DocumentId, model::Document>,
    pub document_kept: TiVec<DocumentId, bool>,
    pub document_spans: TiVec<DocumentId, Span>,
    pub specials: Vec<model::Choice>,
    pub special_kept: Vec<bool>,
    pub special_spans: Vec<Span>,
    pub sections: Vec<model::Section>,
    pub items: TiVec<ItemId, model::Item>,
    pub report: Vec<model::ReportHeading>,
    /// The span of each item's label, to report duplicate labels.
    pub label_spans: TiVec<ItemId, Span>,
    /// Items that write `cites` or `allow uncited`.
    pub allow_uncited: TiVec<ItemId, bool>,
    /// Which item reads which, and where.
    pub references: Vec<Reference>,
    pub tests: Vec<model::Test>,
}

/// The analyses, in order: uncited questions, pruning (whose clashes need the kept scales and
/// documents), then the graph, labels and prose over the pruned instrument.
pub(super) fn analyse(resolved: &mut Resolved<'_>) -> Vec<CheckError> {
    let mut errors = Vec::new();
    resolved.uncited(&mut errors);
    resolved.prune(&mut errors);
    errors.extend(graph::check(&resolved.items, &resolved.references));
    errors.extend(labels(resolved));
    errors.extend(prose::check(
        &resolved.items,
        &resolved.scales,
        &resolved.label_spans,
    ));
    errors
}

impl Resolved<'_> {
    /// Warns of questions that cite no paragraph, when the instrument has documents to cite
    /// (outside the respondent block).
    fn uncited(&self, errors: &mut Vec<CheckError>) {
        if !self.document_kept.iter().any(|kept| *kept) {
            return;
        }
        let mut cites: TiVec<ItemId, bool> = self.items.iter().map(|_| false).collect();
        // Children come after their parents: one backward pass carries citations upwards.
        for (index, item) in self.items.iter_enumerated().rev() {
            let rows = match &item.answer {
                Some(AnswerType::Grid(grid)) => {
                    grid.rows.iter().any(|row| !row.citations.is_empty())
                }
                _ => false,
            };
            if !item.citations.is_empty() || rows || *self.allow_uncited.at(index) {
                *cites.at_mut(index) = true;
            }
            if *cites.at(index) {
                if let Some(parent) = item.parent {
                    *cites.at_mut(parent) = true;
                }
            }
        }
        for (index, item) in self.items.iter_enumerated() {
            // The respondent block asks who replies, about no paragraph.
            let respondent = self
                .sections
                .get(item.section)
                .is_some_and(|s| s.respondent);
            if item.kind == model::ItemKind::Question && !cites.at(index) && !respondent {
                errors.push(CheckError::Uncited {
                    name: item.id.clone(),
                    span: item.span,
                });
            }
        }
    }

    /// Leaves out of the compiled form the imported scales and documents that the instrument
    /// neither uses nor imports by name, and reports two kept ones with the same id.
    fn prune(&mut self, errors: &mut Vec<CheckError>) {
        let scale_map = renumber(&self.scale_kept);
        let document_map = renumber(&self.document_kept);
        let mut seen: HashMap<&str, Span> = HashMap::default();
        for (index, scale) in self.scales.iter_enumerated() {
            let Some(name) = scale.name.as_deref().filter(|_| *self.scale_kept.at(index)) else {
                continue;
            };
            if let Some(first) = seen.insert(name, *self.scale_spans.at(index)) {
                errors.push(clash("scale", name, *self.scale_spans.at(index), first));
            }
        }
        seen.clear();
        for (index, document) in self.documents.iter_enumerated() {
            if !*self.document_kept.at(index) {
                continue;
            }
            if let Some(first) = seen.insert(&document.id, *self.document_spans.at(index)) {
                let span = self.document_spans.at(index);
                errors.push(clash("document", &document.id, *span, first));
            }
        }
        seen.clear();
        for (index, special) in self.specials.iter().enumerate() {
            if !*self.special_kept.at(index) {
                continue;
            }
            if let Some(first) = seen.insert(&special.code, *self.special_spans.at(index)) {
                let span = *self.special_spans.at(index);
                errors.push(clash("special answer", &special.code, span, first));
            }
        }
        retain_kept(&self.special_kept, &mut self.specials);
        retain_kept(&self.scale_kept.raw, &mut self.scales.raw);
        retain_kept(&self.document_kept.raw, &mut self.documents.raw);
        let remap = |citations: &mut Vec<model::Citation>| {
            for citation in citations {
                citation.document = *document_map.at(citation.document);
            }
        };
        for item in &mut self.items {
            remap(&mut item.citations);
            if let Some(answer) = &mut item.answer {
                remap_answer(answer, &scale_map, &document_map);
            }
        }
        let blocks = self
            .sections
            .iter_mut()
            .flat_map(|section| section.content.iter_mut())
            .chain(self.introduction.iter_mut());
        for block in blocks {
            if let Block::Excerpt(citations) = block {
                remap(citations);
            }
        }
    }

    /// The model: the instrument the entry file declares, if it declares one.
    pub(super) fn into_instrument(self) -> Option<model::Instrument> {
        let header = self.header?;
        let field = |key: ast::HeaderKey| {
            header
                .fields
                .iter()
                .find(|field| field.key == key)
                .map(|field| field.value.value.clone())
        };
        let mut instrument = model::Instrument {
            id: header.id.name.clone(),
            title: field(ast::HeaderKey::Title)?,
            resolution: field(ast::HeaderKey::Resolution),
            version: field(ast::HeaderKey::Version),
            language: field(ast::HeaderKey::Language),
            date: field(ast::HeaderKey::Date),
            status: field(ast::HeaderKey::Status),
            introduction: self.introduction,
            scales: self.scales,
            specials: self.specials,
            documents: self.documents,
            sections: self.sections,
            items: self.items,
            translations: Vec::new(),
            report: self.report,
            tests: self.tests,
            localized: None,
        };
        instrument.print_citations();
        Some(instrument)
    }
}

/// Warns of items with an answer that have the same label as a sibling (for questions: as
/// another question of their section). Items without an answer only introduce their
/// sub-items, and may share a wording, as questions 18 and 21 of the 2006/20 annex do.
fn labels(resolved: &Resolved<'_>) -> Vec<CheckError> {
    let mut warnings = Vec::new();
    let mut seen: HashMap<(Option<ItemId>, usize, &model::Text), Span> = HashMap::default();
    for (index, item) in resolved.items.iter_enumerated() {
        if item.answer.is_none() {
            continue;
        }
        let span = *resolved.label_spans.at(index);
        let key = (item.parent, item.section, &item.label);
        match seen.get(&key) {
            Some(first) => warnings.push(CheckError::DuplicateLabel {
                label: item.label.written(|id| resolved.items.at(id).id.as_str()),
                span,
                first: Note::new(*first, "first used here"),
            }),
            None => {
                seen.insert(key, span);
            }
        }
    }
    warnings
}

/// The new id of each kept element of an arena, when the others are left out.
fn renumber<K: From<usize> + Copy>(kept: &TiSlice<K, bool>) -> TiVec<K, K> {
    let mut next = 0;
    kept.iter()
        .map(|&kept| {
            let index = next;
            next += usize::from(kept);
            K::from(index)
        })
        .collect()
}

fn retain_kept<T>(kept: &[bool], list: &mut Vec<T>) {
    let mut kept = kept.iter();
    list.retain(|_| kept.next().copied().unwrap_or(false));
}

fn remap_answer(
    answer: &mut AnswerType,
    scales: &TiSlice<ScaleId, ScaleId>,
    documents: &TiSlice<DocumentId, DocumentId>,
) {
    match answer {
        AnswerType::Choice { scale, .. } => *scale = scales[*scale],
        AnswerType::List(list) => {
            for field in &mut list.fields {
                remap_answer(&mut field.answer, scales, documents);
            }
        }
        AnswerType::Table(table) => {
            for line in table.rows.iter_mut().chain(&mut table.columns) {
                for citation in &mut line.citations {
                    citation.document = documents[citation.document];
                }
            }
        }
        AnswerType::Grid(grid) => {
            for row in &mut grid.rows {
                for citation in &mut row.citations {
                    citation.document = documents[citation.document];
                }
                if let Some(answer) = &mut row.answer {
                    remap_answer(answer, scales, documents);
                }
            }
        }
        AnswerType::Text { .. }
        | AnswerType::Date
        | AnswerType::Country
        | AnswerType::Number { .. }
        | AnswerType::Amount { .. } => {}
    }
}
