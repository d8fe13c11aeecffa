//! Layer 5: the abstract interpreter. `Walker` walks statements and expressions with the
//! program's facts and a slim frame per function; loops get their trip counts from the
//! registry of named rules; calls of user functions use summaries (recursion, effects).

pub mod bounds;
pub mod calls;
pub mod classes;
pub mod effects;
pub mod exprs;
pub mod for_loop;
pub mod growth;
pub mod linking;
pub mod loops;
pub mod recursion;
pub mod walker;
pub mod while_loop;
