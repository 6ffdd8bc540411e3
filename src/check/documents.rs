//! Reference documents: declaring them (numbered paragraphs, lettered subparagraphs, each
//! once), and resolving the citations of items, rows and excerpts to their paragraphs.

use rustc_hash::FxHashMap as HashMap;
use typed_index_collections::TiVec;

use super::error::CheckError;
use super::scope::{Kind, Symbol};
use super::Checker;
use crate::arena::Arena;
use crate::model;
use crate::span::{Note, Span};
use crate::syntax::ast;

impl<'a> Checker<'a> {
    pub(super) fn document(
        &mut self,
        document: &'a ast::DocumentDecl,
    ) -> Option<model::DocumentId> {
        let mut paragraphs: TiVec<model::ParagraphId, model::Paragraph> = TiVec::new();
        let mut spans: HashMap<&str, Span> = HashMap::default();
        for paragraph in &document.paragraphs {
            if let Some(first) = spans.get(paragraph.number.name.as_str()) {
                self.errors.push(CheckError::Duplicate {
                    kind: "paragraph",
                    name: paragraph.number.name.clone(),
                    span: paragraph.number.span,
                    first: Note::new(*first, "first defined here"),
                });
                continue;
            }
            spans.insert(&paragraph.number.name, paragraph.number.span);
            self.declared.paragraph_index.insert(
                (
                    self.declared.documents.next_key(),
                    paragraph.number.name.as_str(),
                ),
                paragraphs.next_key(),
            );
            let mut letters: HashMap<&str, Span> = HashMap::default();
            let mut subparagraphs = TiVec::new();
            for sub in &paragraph.subparagraphs {
                if let Some(first) = letters.get(sub.letter.name.as_str()) {
                    self.errors.push(CheckError::Duplicate {
                        kind: "subparagraph",
                        name: format!("{} ({})", paragraph.number.name, sub.letter.name),
                        span: sub.letter.span,
                        first: Note::new(*first, "first defined here"),
                    });
                    continue;
                }
                letters.insert(&sub.letter.name, sub.letter.span);
                subparagraphs.push(model::Subparagraph {
                    letter: sub.letter.name.clone(),
                    text: sub.text.as_ref().map(|text| text.value.clone()),
                });
            }
            paragraphs.push(model::Paragraph {
                number: paragraph.number.name.clone(),
                heading: paragraph.heading.as_ref().map(|text| text.value.clone()),
                text: paragraph.text.as_ref().map(|text| text.value.clone()),
                subparagraphs,
            });
        }
        self.declared.documents.push(model::Document {
            id: document.id.name.clone(),
            title: document.title.value.clone(),
            sources: document.sources.iter().map(|s| s.value.clone()).collect(),
            paragraphs,
        });
        self.declared.document_kept.push(false);
        self.declared.document_spans.push(document.id.span);
        self.declared.documents.last_key()
    }

    /// Resolves `guidelines 6 (a), 8`; unknown references are reported and left out.
    pub(super) fn citations(&mut self, refs: &ast::ParaRefs) -> Vec<model::Citation> {
        let Some(Symbol::Document(document)) = self.lookup(&refs.document, Kind::Document) else {
            return Vec::new();
        };
        let mut citations = Vec::new();
        for reference in &refs.refs {
            let paragraphs = &self.declared.documents.at(document).paragraphs;
            let found = self
                .declared
                .paragraph_index
                .get(&(document, reference.number.as_str()));
            let Some(&paragraph) = found else {
                self.errors.push(CheckError::UnknownParagraph {
                    reference: display_ref(reference),
                    document: refs.document.name.clone(),
                    span: reference.span,
                    help: self.did_you_mean(
                        &reference.number,
                        paragraphs.iter().map(|p| p.number.as_str()),
                    ),
                });
                continue;
            };
            let subparagraph = match &reference.letter {
                None => None,
                Some(letter) => {
                    let subs = &paragraphs[paragraph].subparagraphs;
                    match subs.position(|s| &s.letter == letter) {
                        Some(index) => Some(index),
                        None => {
                            let help = if subs.is_empty() {
                                format!("paragraph {} has no subparagraphs", reference.number)
                            } else {
                                let letters: Vec<String> =
                                    subs.iter().map(|s| format!("({})", s.letter)).collect();
                                format!(
                                    "paragraph {} has subparagraphs {}",
                                    reference.number,
                                    letters.join(", ")
                                )
                            };
                            self.errors.push(CheckError::UnknownParagraph {
                                reference: display_ref(reference),
                                document: refs.document.name.clone(),
                                span: reference.span,
                                help: Some(help),
                            });
                            continue;
                        }
                    }
                }
            };
            citations.push(model::Citation {
                document,
                paragraph,
                subparagraph,
            });
        }
        citations
    }

    /// `quote`: citations shown to the respondent, whose text must be at hand.
    pub(super) fn quote(&mut self, refs: &ast::ParaRefs) -> Vec<model::Citation> {
        let citations = self.citations(refs);
        for (citation, reference) in citations.iter().zip(&refs.refs) {
            let paragraph = &self
                .declared
                .documents
                .at(citation.document)
                .paragraphs
                .at(citation.paragraph);
            let pending = match citation.subparagraph {
                Some(sub) => paragraph.subparagraphs.at(sub).text.is_none(),
                None => {
                    paragraph.text.is_none()
                        || paragraph.subparagraphs.iter().any(|sub| sub.text.is_none())
                }
            };
            if pending {
                self.errors.push(CheckError::PendingQuote {
                    reference: display_ref(reference),
                    document: refs.document.name.clone(),
                    span: reference.span,
                });
            }
        }
        citations
    }
}

fn display_ref(reference: &ast::ParaRef) -> String {
    match &reference.letter {
        Some(letter) => format!("{} ({letter})", reference.number),
        None => reference.number.clone(),
    }
}
