//! Logarithmic factors: digits and bits of numbers, Euclid, Fenwick trees, sorting calls.

#[allow(unused_imports)]
use super::{space, time};
