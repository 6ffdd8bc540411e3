//! Room on the stack for the passes that recurse once per level of nesting.
//!
//! Brackets nest at most [`syntax::MAX_DEPTH`](crate::syntax::MAX_DEPTH) deep in a source and
//! forms at most [`FORM_MAX_DEPTH`](crate::validate::FORM_MAX_DEPTH) deep; those limits, not
//! the size of the thread's stack (2 MiB on a worker thread), bound what qc accepts. Each
//! recursive pass calls [`guard`] at every level: when less than [`RED_ZONE`] of stack is left,
//! the rest of the pass runs on a new segment.

/// The stack a level may use before the next is guarded.
pub const RED_ZONE: usize = 128 * 1024;

/// The size of each new segment.
const SEGMENT: usize = 4 * 1024 * 1024;

/// Runs `f` with at least [`RED_ZONE`] bytes of stack.
#[inline]
pub fn guard<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(RED_ZONE, SEGMENT, f)
}

/// Runs `f`, a pass whose own recursion cannot be guarded (pest's), with at least 1 MiB of
/// stack: enough for [`syntax::MAX_DEPTH`](crate::syntax::MAX_DEPTH) levels of brackets.
pub fn guard_parser<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(1024 * 1024, SEGMENT, f)
}
