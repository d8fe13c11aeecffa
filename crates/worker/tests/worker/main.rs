//! The worker's step against a real store and a real sandbox.

mod artifacts;
mod helpers;
mod measurement;
mod quota;
