mod access;
mod auth;
mod errors;
mod executions;
mod helpers;
mod limits;
mod oidc;
mod websocket;
