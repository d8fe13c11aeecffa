//! Security events for the audit log (logins, failures, keys, role changes), written from the
//! handlers that cause them. A failed write is logged and never fails the request.

use std::net::IpAddr;

use code_remote_core::UserId;
use code_remote_store::NewAuditEntry;

use crate::AppState;

/// One event, built up and then recorded: `AuditEvent::new("auth.login").actor(id).record(&state)`.
pub struct AuditEvent {
    entry: NewAuditEntry,
}

impl AuditEvent {
    pub fn new(action: &str) -> Self {
        Self {
            entry: NewAuditEntry {
                actor: None,
                action: action.to_owned(),
                target: None,
                ip: None,
                detail: serde_json::Value::Null,
            },
        }
    }

    pub fn actor(mut self, actor: UserId) -> Self {
        self.entry.actor = Some(actor);
        self
    }

    pub fn target(mut self, target: impl Into<String>) -> Self {
        self.entry.target = Some(target.into());
        self
    }

    pub fn ip(mut self, ip: Option<IpAddr>) -> Self {
        self.entry.ip = ip.map(|ip| ip.to_string());
        self
    }

    pub fn detail(mut self, detail: serde_json::Value) -> Self {
        self.entry.detail = detail;
        self
    }

    pub async fn record(self, state: &AppState) {
        let action = self.entry.action.clone();
        if let Err(err) = state.store.audit(self.entry).await {
            tracing::error!(error = %err, action, "could not write the audit log");
        }
    }
}
