//! The diagnostics of the `check` stage: every semantic error and warning, each with a stable
//! code, labels on the offending text and, where one helps, a help line.

use std::cell::Cell;

use miette::Diagnostic;
use thiserror::Error;

use crate::span::{Note, Span};

/// One semantic problem in an instrument.
#[derive(Clone, Debug, Error, Diagnostic, PartialEq)]
pub enum CheckError {
    #[error("duplicate {kind} `{name}`")]
    #[diagnostic(code(E0101), help("every {kind} needs a name of its own"))]
    Duplicate {
        kind: &'static str,
        name: String,
        #[label("defined again here")]
        span: Span,
        #[related]
        first: Vec<Note>,
    },

    #[error("unknown item `{name}`")]
    #[diagnostic(code(E0102))]
    UnknownItem {
        name: String,
        #[label("no item has this id")]
        span: Span,
        #[help]
        help: Option<String>,
    },

    #[error("unknown option `{code}` for `{item}`")]
    #[diagnostic(code(E0103))]
    UnknownCode {
        code: String,
        item: String,
        #[label("not an option of this scale")]
        span: Span,
        #[help]
        help: Option<String>,
    },

    #[error("unknown scale `{name}`")]
    #[diagnostic(code(E0104))]
    UnknownScale {
        name: String,
        #[label("no scale has this name")]
        span: Span,
        #[help]
        help: Option<String>,
    },

    #[error("unknown document `{name}`")]
    #[diagnostic(code(E0105))]
    UnknownDocument {
        name: String,
        #[label("no document has this id")]
        span: Span,
        #[help]
        help: Option<String>,
    },

    #[error("unknown paragraph `{reference}` of `{document}`")]
    #[diagnostic(code(E0106))]
    UnknownParagraph {
        reference: String,
        document: String,
        #[label("not declared in the document")]
        span: Span,
        #[help]
        help: Option<String>,
    },

    #[error("condition is not a yes-or-no test")]
    #[diagnostic(code(E0107))]
    NotBoolean {
        #[label("this is {what}, not true or false")]
        span: Span,
        what: String,
        #[help]
        help: Option<String>,
    },

    #[error("cannot compare {lhs} with {rhs} using `{op}`")]
    #[diagnostic(code(E0108))]
    TypeMismatch {
        op: String,
        lhs: String,
        rhs: String,
        #[label("these operands do not go together")]
        span: Span,
        #[help]
        help: Option<String>,
    },

    #[error("{what} form a cycle: {cycle}")]
    #[diagnostic(
        code(E0109),
        help("an item cannot depend, directly or through others, on its own answer")
    )]
    Cycle {
        /// "conditions", or "conditions and calculated values".
        what: &'static str,
        cycle: String,
        #[label("{label}")]
        span: Span,
        label: String,
        #[related]
        rest: Vec<Note>,
    },

    #[error("scale `{name}` has no options")]
    #[diagnostic(
        code(E0110),
        help("add options such as `yes \"Yes\"` between the braces")
    )]
    EmptyScale {
        name: String,
        #[label("nothing to choose from")]
        span: Span,
    },

    #[error("duplicate code `{code}` in {scale}")]
    #[diagnostic(code(E0111), help("each option of a scale needs a code of its own"))]
    DuplicateCode {
        code: String,
        scale: String,
        #[label("used again here")]
        span: Span,
        #[related]
        first: Vec<Note>,
    },

    #[error("follow-up `{name}` is not bound to an answer of its parent")]
    #[diagnostic(code(E0112))]
    UnboundFollowup {
        name: String,
        #[label("{reason}")]
        span: Span,
        reason: String,
        #[help]
        help: Option<String>,
    },

    #[error("the least value {min} is above the greatest {max}")]
    #[diagnostic(code(E0113), help("swap the bounds, or correct one of them"))]
    InvertedBounds {
        min: f64,
        max: f64,
        #[label("no number fits these bounds")]
        span: Span,
    },

    #[error("{message}")]
    #[diagnostic(
        code(E0114),
        help("a file starts with `instrument id {{ title \"…\" }}`, once")
    )]
    Header {
        message: String,
        #[label("{label}")]
        span: Span,
        label: String,
    },

    #[error("item `{name}` is both required and optional")]
    #[diagnostic(code(E0115), help("keep one of the two"))]
    RequiredAndOptional {
        name: String,
        #[label("optional here")]
        span: Span,
        #[related]
        required: Vec<Note>,
    },

    #[error("item `{name}` has nothing to answer")]
    #[diagnostic(
        code(E0116),
        help("give it an answer type such as `: yes_no`, or sub-items in braces")
    )]
    NothingToAnswer {
        name: String,
        #[label("no answer type and no sub-items")]
        span: Span,
    },

    #[error("field `{name}` is outside a follow-up")]
    #[diagnostic(
        code(E0117),
        help("fields belong in a `followup`; elsewhere, use `item` or `ask`")
    )]
    FieldOutsideFollowup {
        name: String,
        #[label("inside {parent}")]
        span: Span,
        parent: String,
    },

    #[error("the name `{name}` is taken twice")]
    #[diagnostic(code(E0120))]
    NameClash {
        name: String,
        #[label("{label}")]
        span: Span,
        label: String,
        #[related]
        first: Vec<Note>,
        #[help]
        help: Option<String>,
    },

    #[error("an imported file declares {what}")]
    #[diagnostic(
        code(E0121),
        help("an imported file may declare scales, documents and blocks; the instrument itself belongs in the file that imports them")
    )]
    NotAModule {
        what: String,
        #[label("not allowed in an imported file")]
        span: Span,
        #[related]
        import: Vec<Note>,
    },

    #[error("{message}")]
    #[diagnostic(code(E0122))]
    UnknownImport {
        message: String,
        #[label("{label}")]
        span: Span,
        label: String,
        #[help]
        help: Option<String>,
    },

    #[error("unknown block `{name}`")]
    #[diagnostic(code(E0123))]
    UnknownBlock {
        name: String,
        #[label("no block has this name")]
        span: Span,
        #[help]
        help: Option<String>,
    },

    #[error("{message}")]
    #[diagnostic(code(E0124))]
    BlockArguments {
        message: String,
        #[label("{label}")]
        span: Span,
        label: String,
        #[help]
        help: Option<String>,
    },

    #[error("block `{name}` uses itself")]
    #[diagnostic(
        code(E0125),
        help("a block cannot use itself, directly or through other blocks: it would never end")
    )]
    BlockRecursion {
        name: String,
        #[label("used again here")]
        span: Span,
        #[related]
        chain: Vec<Note>,
    },

    #[error("blocks expand past their limit: {what}")]
    #[diagnostic(
        code(E0135),
        help("blocks that use other blocks several times multiply at each level; write the repeated part once, or use the blocks fewer times")
    )]
    ExpansionBudget {
        /// Which limit: the bytes expanded, or how deep uses nest.
        what: String,
        #[label("the limit is reached here")]
        span: Span,
        #[related]
        chain: Vec<Note>,
    },

    #[error("unknown parameter `{name}`")]
    #[diagnostic(code(E0126))]
    UnknownParameter {
        name: String,
        #[label("{label}")]
        span: Span,
        label: String,
        #[help]
        help: Option<String>,
    },

    #[error("{message}")]
    #[diagnostic(code(E0129))]
    TestExpectation {
        message: String,
        #[label("{label}")]
        span: Span,
        label: String,
        #[help]
        help: Option<String>,
    },

    #[error("{message}")]
    #[diagnostic(code(E0130))]
    BadValue {
        message: String,
        #[label("{label}")]
        span: Span,
        label: String,
        #[help]
        help: Option<String>,
    },

    #[error("{message}")]
    #[diagnostic(code(E0131))]
    UnknownField {
        message: String,
        #[label("{label}")]
        span: Span,
        label: String,
        #[help]
        help: Option<String>,
    },

    #[error("{message}")]
    #[diagnostic(code(E0132))]
    BadSpecial {
        message: String,
        #[label("{label}")]
        span: Span,
        label: String,
        #[help]
        help: Option<String>,
    },

    #[error("{message}")]
    #[diagnostic(code(E0133))]
    BadTable {
        message: String,
        #[label("{label}")]
        span: Span,
        label: String,
        #[help]
        help: Option<String>,
    },

    #[error("condition refers to `{name}`, which comes later")]
    #[diagnostic(
        code(W0201),
        severity(Warning),
        help("a respondent answers in order: move the condition, or the item it reads, so the item it reads comes first")
    )]
    LaterReference {
        name: String,
        #[label("asked after this item")]
        span: Span,
    },

    #[error("condition can never be true")]
    #[diagnostic(code(W0202), severity(Warning))]
    NeverTrue {
        #[label("{reason}")]
        span: Span,
        reason: String,
        #[help]
        help: Option<String>,
    },

    #[error("duplicate label `{label}`")]
    #[diagnostic(
        code(W0203),
        severity(Warning),
        help("a respondent cannot tell these apart; reword one of them")
    )]
    DuplicateLabel {
        label: String,
        #[label("used again here")]
        span: Span,
        #[related]
        first: Vec<Note>,
    },

    #[error("the label of `{name}` disagrees with its condition")]
    #[diagnostic(
        code(W0208),
        severity(Warning),
        help("{says}, but {reads}: correct the text, or the condition; in a block, `{{name}}` of an item parameter writes its current number")
    )]
    ProseDisagrees {
        name: String,
        #[label("{says}")]
        span: Span,
        says: String,
        reads: String,
    },

    #[error("question `{name}` cites no paragraph")]
    #[diagnostic(
        code(W0204),
        severity(Warning),
        help("add `cites document 12` to the question or its sub-items, or `allow uncited` if it asks about no paragraph")
    )]
    Uncited {
        name: String,
        #[label("no citation here or in its sub-items")]
        span: Span,
    },

    #[error("quoted paragraph `{reference}` of `{document}` has no text yet")]
    #[diagnostic(
        code(W0205),
        severity(Warning),
        help("the paragraph is declared `pending`: the respondent would see its number and no text; add the official text or quote another paragraph")
    )]
    PendingQuote {
        reference: String,
        document: String,
        #[label("its text is pending")]
        span: Span,
    },
}

impl CheckError {
    /// The offending text: the span the diagnostic is sorted by.
    pub fn span(&self) -> Span {
        crate::span::primary(self)
    }

    /// An error, rather than a warning: the instrument is refused.
    pub fn is_error(&self) -> bool {
        matches!(
            Diagnostic::severity(self),
            None | Some(miette::Severity::Error)
        )
    }
}

/// "did you mean `q25`?" for the candidate closest to `name` by edit distance (a swap of two
/// neighbours counts once), if any is close enough: within a third of the name's length.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    did_you_mean_within(name, candidates, &Cell::new(u64::MAX))
}

/// How many character comparisons suggestions may cost in one compilation: a file with 20,000
/// unknown names among 20,000 items would otherwise compare every pair. Past it, diagnostics
/// carry no suggestion.
pub const SUGGESTION_BUDGET: u64 = 50_000_000;

/// The longest name a suggestion is looked for.
const SUGGESTED_LENGTH: usize = 64;

/// [`did_you_mean`], spending the comparisons of characters it makes from `budget`; none once
/// the budget is spent. Only candidates whose length is within reach are compared.
pub fn did_you_mean_within<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    budget: &Cell<u64>,
) -> Option<String> {
    let length = name.chars().count();
    if length > SUGGESTED_LENGTH || budget.get() == 0 {
        return None;
    }
    let limit = (length / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        // A name longer or shorter by more than the limit is farther than it.
        let other = candidate.len();
        if other > length * 4 + limit || candidate.chars().count().abs_diff(length) > limit {
            continue;
        }
        let cost = (length.max(1) * other.max(1)) as u64;
        let Some(left) = budget.get().checked_sub(cost) else {
            budget.set(0);
            return None;
        };
        budget.set(left);
        let distance = strsim::damerau_levenshtein(name, candidate);
        let closer = best
            .is_none_or(|(top, chosen)| distance < top || (distance == top && candidate < chosen));
        if distance <= limit && closer {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| format!("did you mean `{candidate}`?"))
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggests_the_closest_name_within_reach() {
        let ids = ["q25", "q26", "q2a"];
        assert_eq!(
            did_you_mean("q52", ids).as_deref(),
            Some("did you mean `q25`?")
        );
        assert_eq!(
            did_you_mean("guideline", ["guidelines"]).as_deref(),
            Some("did you mean `guidelines`?")
        );
        assert_eq!(did_you_mean("completely_else", ids), None);
    }
}
