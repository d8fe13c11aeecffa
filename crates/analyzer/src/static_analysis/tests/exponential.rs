//! Exponential and constant-size work: subsets, permutations, fixed-size inputs.

#[allow(unused_imports)]
use super::{space, time};
