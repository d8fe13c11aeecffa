//! Layer 1 of the analyzer: pure queries over ruff's syntax tree. Nothing here knows about
//! costs, values or the walk; every function answers a question about the shape of the code
//! (which names a block assigns, how a variable is updated, where a loop can be left).

pub mod counters;
pub mod exits;
pub mod handouts;
pub mod indices;
pub mod lines;
pub mod literals;
pub mod marks;
pub mod names;
pub mod narrowed;
pub mod patterns;
pub mod powers;
pub mod ranges;
pub mod recursive;
pub mod scan;
pub mod tables;
pub mod updates;
pub mod visits;
