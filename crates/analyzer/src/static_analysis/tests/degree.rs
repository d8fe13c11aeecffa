//! Polynomial degree: nested loops, amortised pointers, copies inside loops.

#[allow(unused_imports)]
use super::{space, time};
