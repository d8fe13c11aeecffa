//! Black-box tests of the real sandbox (root, bubblewrap, cgroups). Without them every test
//! prints why it is skipped; set CODE_REMOTE_REQUIRE_SANDBOX=1 (CI does) to fail instead.

mod artifacts;
mod catalog;
mod concurrency;
mod crash;
mod expectations;
mod hardening;
mod helpers;
mod interpreter;
mod limits;
mod live;
mod probe_cache;
mod scientific;
