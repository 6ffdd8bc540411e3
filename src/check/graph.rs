//! Graph checks over the items that conditions read: cycles (errors) and references to items
//! asked later (warnings). An item also depends on its parent: it is asked only when its
//! parent is.

use rustc_hash::FxHashSet as HashSet;
use typed_index_collections::{TiSlice, TiVec};

use super::error::CheckError;
use super::Reference;
use crate::arena::Arena;
use crate::model::graph::Cycle;
use crate::model::{self, Item, ItemId, ItemKind};
use crate::span::Note;
use crate::span::Span;

pub(super) fn check(items: &TiSlice<ItemId, Item>, references: &[Reference]) -> Vec<CheckError> {
    let (mut problems, cyclic) = cycles(items, references);
    for reference in references {
        // A calculated value is not asked: the order of what it reads, or of where it is
        // read, does not matter.
        let calculated = [reference.from, reference.to]
            .iter()
            .any(|id| items[*id].kind == ItemKind::Calculated);
        let later = reference.to > reference.from && !calculated;
        // A reference in a cycle is already an error; a warning about its order adds nothing.
        let in_cycle = cyclic.contains(&(reference.from, reference.to));
        if later && !in_cycle && !is_within(items, reference.to, reference.from) {
            problems.push(CheckError::LaterReference {
                name: items[reference.to].id.clone(),
                span: reference.span,
            });
        }
    }
    problems
}

/// Whether `item` is `ancestor` or lies under it.
fn is_within(items: &TiSlice<ItemId, Item>, item: ItemId, ancestor: ItemId) -> bool {
    let mut cursor = Some(item);
    while let Some(id) = cursor {
        if id == ancestor {
            return true;
        }
        cursor = items[id].parent;
    }
    false
}

/// Each item's edges: the item depended on, and the text that makes the dependency.
type Edges = TiVec<ItemId, Vec<(ItemId, Span)>>;

/// Finds every cycle that the walk of [`model::graph::cycles`] closes over the items read,
/// and the edges in cycles.
fn cycles(
    items: &TiSlice<ItemId, Item>,
    references: &[Reference],
) -> (Vec<CheckError>, HashSet<(ItemId, ItemId)>) {
    let mut edges: Edges = items.iter().map(|_| Vec::new()).collect();
    for reference in references {
        edges
            .at_mut(reference.from)
            .push((reference.to, reference.span));
    }
    for (id, item) in items.iter_enumerated() {
        if let Some(parent) = item.parent {
            edges.at_mut(id).push((parent, item.span));
        }
    }
    let mut problems = Vec::new();
    let mut cyclic = HashSet::default();
    model::graph::cycles(
        &edges,
        |(to, _)| *to,
        |cycle| {
            let start = cycle.first().map_or(ItemId::from(0), |(node, _)| *node);
            for (index, (node, _)) in cycle.iter().enumerate() {
                let to = cycle.get(index + 1).map_or(start, |(next, _)| *next);
                cyclic.insert((*node, to));
            }
            problems.push(diagnostic(items, &edges, &cycle));
            true
        },
    );
    (problems, cyclic)
}

/// The diagnostic for a cycle, with the place of each edge it follows.
fn diagnostic(items: &TiSlice<ItemId, Item>, edges: &Edges, cycle: &Cycle) -> CheckError {
    let start = cycle.first().map_or(ItemId::from(0), |(node, _)| *node);
    // Each step: an item, and the span of the edge it followed.
    let steps: Vec<(ItemId, Span)> = cycle
        .iter()
        .map(|&(node, edge)| {
            let followed = edges.at(node).get(edge);
            (node, followed.map_or_else(Span::default, |(_, span)| *span))
        })
        .collect();
    let mut names: Vec<String> = steps
        .iter()
        .map(|(node, _)| format!("`{}`", items[*node].id))
        .collect();
    names.push(format!("`{}`", items[start].id));
    let (first_node, first_span) = steps.first().copied().unwrap_or((start, Span::default()));
    let second = steps.get(1).map_or(start, |(node, _)| *node);
    let rest = steps
        .iter()
        .skip(1)
        .map(|(node, span)| {
            let target = steps
                .iter()
                .skip_while(|(n, _)| n != node)
                .nth(1)
                .map_or(start, |(n, _)| *n);
            let text = format!(
                "`{}` depends on `{}` here",
                items[*node].id, items[target].id
            );
            Note {
                message: "the cycle goes on".to_owned(),
                span: *span,
                label: text,
            }
        })
        .collect();
    let calculated = steps
        .iter()
        .any(|(node, _)| items[*node].kind == ItemKind::Calculated);
    CheckError::Cycle {
        what: if calculated {
            "conditions and calculated values"
        } else {
            "conditions"
        },
        cycle: names.join(" → "),
        span: first_span,
        label: format!(
            "`{}` depends on `{}` here",
            items[first_node].id, items[second].id
        ),
        rest,
    }
}
