//! Layer 4: what a function's recursion and memoisation amount to. `memo` recognises memo
//! tables in a function's syntax; `solve` turns a `Recurrence` into a time and a depth. Both
//! are pure: the interpreter gathers the facts and calls them.

pub mod memo;
pub mod solve;
