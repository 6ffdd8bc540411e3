//! Cycles among items, found by one iterative depth-first walk in time linear in the edges (a
//! chain of 10,000 items must not overflow the stack). The compiler's graph check walks the
//! items its conditions and values read, each with its place in the source; a compiled form
//! read back walks [`Instrument::dependencies`](super::Instrument::dependencies). Both find
//! the same cycles, the same way.

use typed_index_collections::{TiSlice, TiVec};

use super::ItemId;
use crate::arena::Arena;

/// A cycle: each item on it in order, with the index (in its own edges) of the edge it follows
/// to the next; the last one's edge leads back to the first.
pub type Cycle = Vec<(ItemId, usize)>;

/// Walks `edges` (each item's, in order; `target` gives where an edge leads) and calls `found`
/// with each cycle the walk closes, until `found` returns false.
pub fn cycles<E>(
    edges: &TiSlice<ItemId, Vec<E>>,
    target: impl Fn(&E) -> ItemId,
    mut found: impl FnMut(Cycle) -> bool,
) {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        OnPath,
        Done,
    }
    let mut state: TiVec<ItemId, State> = edges.iter().map(|_| State::New).collect();
    for root in edges.keys() {
        if *state.at(root) != State::New {
            continue;
        }
        // The current path: each item with the index of its next edge to follow.
        let mut path: Vec<(ItemId, usize)> = vec![(root, 0)];
        *state.at_mut(root) = State::OnPath;
        while let Some(&mut (node, ref mut next)) = path.last_mut() {
            let Some(to) = edges.at(node).get(*next).map(&target) else {
                *state.at_mut(node) = State::Done;
                path.pop();
                continue;
            };
            *next += 1;
            match state.at(to) {
                State::New => {
                    *state.at_mut(to) = State::OnPath;
                    path.push((to, 0));
                }
                State::OnPath => {
                    let from = path.iter().position(|(n, _)| *n == to).unwrap_or(0);
                    let cycle = path
                        .iter()
                        .skip(from)
                        .map(|&(node, next)| (node, next.saturating_sub(1)))
                        .collect();
                    if !found(cycle) {
                        return;
                    }
                }
                State::Done => {}
            }
        }
    }
}
