//! Arenas read by the ids they issued. Items, scales, documents (typed ids over
//! `typed-index-collections`), and the modules, sections and block environments numbered by
//! position, are each indexed only by ids their arena made; [`Arena::at`] is the one place such
//! an index is taken. A leaf: it imports nothing of qc.

use typed_index_collections::TiSlice;

/// Reading a typed arena by the ids it made: the one place an arena is indexed. An id is made
/// by the arena it indexes (pushed, or enumerated), and the arenas of an instrument are only
/// ever indexed by its own ids (a translated copy keeps its items), so the index is in range.
pub trait Arena<K, V> {
    fn at(&self, id: K) -> &V;
    fn at_mut(&mut self, id: K) -> &mut V;
}

/// An arena whose ids are plain positions, issued when an element is pushed or found by
/// position: the modules of a program, the sections of an instrument, the environments of
/// block expansion, the fields of a list, the columns of a grid.
impl<V> Arena<usize, V> for [V] {
    #[allow(clippy::indexing_slicing)]
    fn at(&self, id: usize) -> &V {
        &self[id]
    }

    #[allow(clippy::indexing_slicing)]
    fn at_mut(&mut self, id: usize) -> &mut V {
        &mut self[id]
    }
}

impl<K: From<usize> + Into<usize>, V> Arena<K, V> for TiSlice<K, V> {
    #[allow(clippy::indexing_slicing)]
    fn at(&self, id: K) -> &V {
        &self[id]
    }

    #[allow(clippy::indexing_slicing)]
    fn at_mut(&mut self, id: K) -> &mut V {
        &mut self[id]
    }
}
