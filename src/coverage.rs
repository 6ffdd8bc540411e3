//! Citation coverage: for each paragraph of each reference document of an instrument, the
//! items and grid rows that cite it, and the paragraphs that nothing cites. `qc coverage`
//! prints it; it reads the checked model only.

use serde::Serialize;

use crate::model::{AnswerType, Citation, Instrument};

/// The coverage of every reference document of an instrument.
#[derive(Debug, Serialize)]
pub struct Coverage {
    pub instrument: String,
    pub documents: Vec<DocumentCoverage>,
}

#[derive(Debug, Serialize)]
pub struct DocumentCoverage {
    pub id: String,
    pub title: String,
    pub paragraphs: Vec<ParagraphCoverage>,
    /// The paragraphs that nothing cites, neither whole nor by a subparagraph.
    pub uncited: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ParagraphCoverage {
    pub number: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    /// The official text is not at hand yet.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub pending: bool,
    /// What cites the whole paragraph.
    pub cited_by: Vec<Citer>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub subparagraphs: Vec<SubparagraphCoverage>,
}

#[derive(Debug, Serialize)]
pub struct SubparagraphCoverage {
    pub letter: String,
    pub cited_by: Vec<Citer>,
}

/// An item, or a row of a grid, that cites a paragraph.
#[derive(Clone, Debug, Serialize)]
pub struct Citer {
    /// The item id.
    pub item: String,
    /// Its printed number, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// The row of a grid, when a row cites.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<String>,
}

impl Citer {
    /// `4 (c)`, `q23` or `ta_areas (structures)`.
    pub fn display(&self) -> String {
        let item = self.number.as_deref().unwrap_or(&self.item);
        match &self.row {
            Some(row) => format!("{item} ({row})"),
            None => item.to_owned(),
        }
    }
}

impl ParagraphCoverage {
    /// Whether anything cites the paragraph, whole or by a subparagraph.
    pub fn is_cited(&self) -> bool {
        !self.cited_by.is_empty() || self.subparagraphs.iter().any(|s| !s.cited_by.is_empty())
    }
}

/// Works out the coverage of an instrument's reference documents: one pass over its items.
pub fn coverage(instrument: &Instrument) -> Coverage {
    let mut documents: Vec<DocumentCoverage> = instrument
        .documents
        .iter()
        .map(|document| DocumentCoverage {
            id: document.id.clone(),
            title: document.title.clone(),
            paragraphs: document
                .paragraphs
                .iter()
                .map(|paragraph| ParagraphCoverage {
                    number: paragraph.number.clone(),
                    heading: paragraph.heading.clone(),
                    pending: paragraph.text.is_none(),
                    cited_by: Vec::new(),
                    subparagraphs: paragraph
                        .subparagraphs
                        .iter()
                        .map(|sub| SubparagraphCoverage {
                            letter: sub.letter.clone(),
                            cited_by: Vec::new(),
                        })
                        .collect(),
                })
                .collect(),
            uncited: Vec::new(),
        })
        .collect();
    let mut record = |citations: &[Citation], citer: Citer| {
        for citation in citations {
            // The coverage lists every paragraph of the instrument's documents, in order.
            let paragraph = documents
                .get_mut(usize::from(citation.document))
                .and_then(|document| document.paragraphs.get_mut(usize::from(citation.paragraph)));
            let Some(paragraph) = paragraph else {
                continue;
            };
            let list = match citation.subparagraph {
                Some(sub) => match paragraph.subparagraphs.get_mut(usize::from(sub)) {
                    Some(subparagraph) => &mut subparagraph.cited_by,
                    None => continue,
                },
                None => &mut paragraph.cited_by,
            };
            list.push(citer.clone());
        }
    };
    for item in &instrument.items {
        let citer = Citer {
            item: item.id.clone(),
            number: item.number.clone(),
            row: None,
        };
        record(&item.citations, citer);
        // The rows of grids and tables cite on their own.
        let rows: Vec<(&str, &[Citation])> = match &item.answer {
            Some(AnswerType::Grid(grid)) => grid
                .rows
                .iter()
                .map(|row| (row.id.as_str(), row.citations.as_slice()))
                .collect(),
            Some(AnswerType::Table(table)) => table
                .rows
                .iter()
                .chain(&table.columns)
                .map(|line| (line.id.as_str(), line.citations.as_slice()))
                .collect(),
            _ => Vec::new(),
        };
        for (row, citations) in rows {
            let citer = Citer {
                item: item.id.clone(),
                number: item.number.clone(),
                row: Some(row.to_owned()),
            };
            record(citations, citer);
        }
    }
    for document in &mut documents {
        document.uncited = document
            .paragraphs
            .iter()
            .filter(|paragraph| !paragraph.is_cited())
            .map(|paragraph| paragraph.number.clone())
            .collect();
    }
    Coverage {
        instrument: instrument.id.clone(),
        documents,
    }
}

/// The coverage as text for people: a line per paragraph and subparagraph, then the
/// paragraphs no item cites.
pub fn to_text(coverage: &Coverage) -> String {
    let mut out = String::new();
    for document in &coverage.documents {
        let cited = document.paragraphs.iter().filter(|p| p.is_cited()).count();
        out.push_str(&format!(
            "{}: {} ({} of {} paragraphs cited)\n",
            document.id,
            document.title,
            cited,
            document.paragraphs.len()
        ));
        for paragraph in &document.paragraphs {
            let pending = if paragraph.pending {
                " [text pending]"
            } else {
                ""
            };
            out.push_str(&format!(
                "  para {:<4}{}{}\n",
                paragraph.number,
                citers(&paragraph.cited_by),
                pending
            ));
            for sub in &paragraph.subparagraphs {
                out.push_str(&format!(
                    "    ({}){:<width$}{}\n",
                    sub.letter,
                    "",
                    citers(&sub.cited_by),
                    width = 4usize.saturating_sub(sub.letter.len() + 1)
                ));
            }
        }
        if document.uncited.is_empty() {
            out.push_str("  every paragraph is cited\n");
        } else {
            out.push_str(&format!("  not cited: {}\n", document.uncited.join(", ")));
        }
    }
    if coverage.documents.is_empty() {
        out.push_str("the instrument has no reference documents\n");
    }
    out
}

fn citers(citers: &[Citer]) -> String {
    if citers.is_empty() {
        return "-".to_owned();
    }
    let names: Vec<String> = citers.iter().map(Citer::display).collect();
    names.join(", ")
}
