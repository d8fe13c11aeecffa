mod auth;
mod errors;
mod executions;
mod helpers;
mod websocket;
