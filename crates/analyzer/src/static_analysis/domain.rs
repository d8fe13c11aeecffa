//! Layer 2: the values the interpreter computes with. Abstract values (`values`), the cost of
//! a piece of code and where it sits in the loop nest (`flow`), the builtin cost table
//! (`builtins`) and the registry of named rules (`rules`). It depends only on `syntax` and on
//! the cost algebra (`crate::cost`).

pub mod budget;
pub mod builtins;
pub mod flow;
pub mod rules;
pub mod values;
