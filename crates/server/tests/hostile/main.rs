//! The hostile-client suite: the real `code-remote` binary under the attacks of the security
//! review (`docs/security.md`), each test asserting that the server's memory stays within a
//! stated bound while the attack runs and that an honest user is still served.

mod accounts;
mod connections;
mod helpers;
mod json_bodies;
#[path = "../support/mod.rs"]
mod support;
mod websocket;
mod workers;
