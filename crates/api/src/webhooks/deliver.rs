//! The delivery loop every API node runs: it turns ended jobs with a callback into deliveries,
//! then claims due deliveries under a lease and attempts them, signed, once each.
//!
//! An attempt connects only to the checked address, follows no redirect, gives up after the
//! configured timeout (5 s) and reads at most [`MAX_ANSWER_BYTES`] of the answer. A 2xx answer
//! delivers; anything else is retried after `retry_base × 2^(attempt-1)` (at most
//! [`MAX_BACKOFF`]) until `max_attempts`, then the delivery fails with the last reason. A
//! forbidden target or a missing secret fails at once: retrying cannot change it.

use std::time::Duration;

use chrono::Utc;
use code_remote_core::Execution;
use code_remote_store::{AttemptResult, Callback, Delivery, NewDelivery, Store};
use reqwest::{Url, redirect::Policy};
use serde_json::json;

use super::{
    CallbackConfig, sign,
    target::{self, Refusal},
};

/// Ended jobs turned into deliveries per round.
const CREATE_BATCH: u32 = 100;
/// Deliveries attempted at once per round.
const ATTEMPT_BATCH: u32 = 16;
/// The longest wait between two attempts.
pub(crate) const MAX_BACKOFF: Duration = Duration::from_secs(60 * 60);
/// Bytes of a receiver's answer read (for the error message); the rest is never read.
const MAX_ANSWER_BYTES: usize = 1024;
/// How long a claimed delivery stays leased: longer than one attempt can take.
const LEASE_MARGIN: Duration = Duration::from_secs(5);

/// Starts the loop on the current runtime.
pub(crate) fn start(store: Store, config: CallbackConfig) {
    let owner = format!("api-{}", uuid::Uuid::new_v4().simple());
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(config.poll);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(err) = round(&store, &config, &owner).await {
                tracing::warn!(error = %err, "webhook delivery round failed; trying again");
            }
        }
    });
}

/// One round: create the deliveries of ended jobs, then attempt the due ones.
async fn round(
    store: &Store,
    config: &CallbackConfig,
    owner: &str,
) -> Result<(), code_remote_store::Error> {
    for (job, callback) in store.pending_callbacks(CREATE_BATCH).await? {
        let Some(execution) = store.job(job).await? else {
            continue;
        };
        let (method, body) = body(&execution, &callback).await;
        let delivery = NewDelivery {
            job,
            user: execution.user_id,
            url: callback.url,
            method: method.to_owned(),
            body,
        };
        store.create_delivery(&delivery).await?;
    }
    let lease = config.timeout * 2 + LEASE_MARGIN;
    let due = store.claim_deliveries(owner, lease, ATTEMPT_BATCH).await?;
    let attempts = due.into_iter().map(|delivery| async move {
        let result = attempt(store, config, &delivery).await;
        match &result {
            AttemptResult::Delivered { status } => {
                tracing::info!(delivery = %delivery.id, status, "webhook delivered")
            }
            AttemptResult::Retry { error, .. } | AttemptResult::GiveUp { error, .. } => {
                tracing::info!(delivery = %delivery.id, attempt = delivery.attempts, %error, "webhook attempt failed")
            }
        }
        metrics::counter!("code_remote_webhook_attempts_total", "result" => match result {
            AttemptResult::Delivered { .. } => "delivered",
            AttemptResult::Retry { .. } => "retry",
            AttemptResult::GiveUp { .. } => "failed",
        })
        .increment(1);
        store.finish_attempt(delivery.id, owner, &result).await
    });
    for done in futures::future::join_all(attempts).await {
        done?;
    }
    Ok(())
}

/// The method and body of a job's delivery: Judge0's submission (8 default fields, base64, as
/// Judge0 PUTs it) or our own event with the whole execution.
async fn body(execution: &Execution, callback: &Callback) -> (&'static str, String) {
    if let Some(judge0) = &callback.judge0 {
        return ("PUT", crate::judge0::callback_body(execution, judge0).await);
    }
    let event = json!({
        "type": "execution.finished",
        "timestamp": Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "data": execution,
    });
    ("POST", event.to_string())
}

/// The `webhook-id` of a delivery: the same on every attempt.
pub(crate) fn webhook_id(delivery: &Delivery) -> String {
    format!("msg_{}", delivery.id.simple())
}

/// After failed attempt `attempt` (from 1): when to retry, or `None` to give up.
pub(crate) fn backoff(config: &CallbackConfig, attempt: u32) -> Option<Duration> {
    if attempt >= config.max_attempts {
        return None;
    }
    let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
    Some(config.retry_base.saturating_mul(factor).min(MAX_BACKOFF))
}

async fn attempt(store: &Store, config: &CallbackConfig, delivery: &Delivery) -> AttemptResult {
    let give_up = |error: String| AttemptResult::GiveUp {
        error,
        status: None,
    };
    let failed = |error: String, status: Option<u16>| match backoff(config, delivery.attempts) {
        Some(wait) => AttemptResult::Retry {
            error,
            status,
            at: Utc::now() + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::MAX),
        },
        None => AttemptResult::GiveUp {
            error: format!("{error} (gave up after {} attempts)", delivery.attempts),
            status,
        },
    };
    let secret = match store.webhook_secret(delivery.user).await {
        Ok(Some((secret, _))) => secret,
        Ok(None) => return give_up("the owner has no webhook secret to sign with".into()),
        Err(err) => return failed(format!("could not read the signing secret: {err}"), None),
    };
    let url = match Url::parse(&delivery.url) {
        Ok(url) => url,
        Err(err) => return give_up(format!("the callback URL does not parse: {err}")),
    };
    let address = match target::resolve(&url, config.allow_private, config.timeout).await {
        Ok(address) => address,
        Err(Refusal::Forbidden(why)) => return give_up(why),
        Err(Refusal::Unresolved(why)) => return failed(format!("cannot resolve: {why}"), None),
    };
    let id = webhook_id(delivery);
    let timestamp = Utc::now().timestamp();
    let Some(signature) = sign::signature(&secret, &id, timestamp, &delivery.body) else {
        return give_up("the stored webhook secret is not a whsec_ secret".into());
    };
    let mut client = reqwest::Client::builder()
        .redirect(Policy::none())
        .timeout(config.timeout)
        .no_proxy();
    if let Some(host) = url.domain() {
        // Pinned to the checked address (see `target`).
        client = client.resolve(host, address);
    }
    let client = match client.build() {
        Ok(client) => client,
        Err(err) => return failed(format!("could not build the HTTP client: {err}"), None),
    };
    let method = if delivery.method == "PUT" {
        reqwest::Method::PUT
    } else {
        reqwest::Method::POST
    };
    let sent = client
        .request(method, url)
        .header("content-type", "application/json")
        .header("user-agent", "code-remote-webhooks")
        .header("webhook-id", &id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(delivery.body.clone())
        .send()
        .await;
    let mut response = match sent {
        Ok(response) => response,
        Err(err) if err.is_timeout() => {
            return failed(format!("no answer within {:?}", config.timeout), None);
        }
        Err(err) => return failed(format!("could not send: {err}"), None),
    };
    let status = response.status();
    if status.is_success() {
        return AttemptResult::Delivered {
            status: status.as_u16(),
        };
    }
    let mut answer = Vec::new();
    while answer.len() < MAX_ANSWER_BYTES {
        match tokio::time::timeout(config.timeout, response.chunk()).await {
            Ok(Ok(Some(chunk))) => answer.extend_from_slice(&chunk),
            _ => break,
        }
    }
    answer.truncate(MAX_ANSWER_BYTES);
    let answer = String::from_utf8_lossy(&answer);
    let what = if status.is_redirection() {
        "redirected (redirects are not followed)"
    } else {
        "answered"
    };
    failed(
        format!("the receiver {what} {status}: {}", answer.trim()),
        Some(status.as_u16()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_up_to_the_last_attempt() {
        let config = CallbackConfig {
            retry_base: Duration::from_secs(2),
            max_attempts: 4,
            ..CallbackConfig::default()
        };
        let waits: Vec<_> = (1..=4).map(|attempt| backoff(&config, attempt)).collect();
        assert_eq!(
            waits,
            [
                Some(Duration::from_secs(2)),
                Some(Duration::from_secs(4)),
                Some(Duration::from_secs(8)),
                None
            ]
        );
        let long = CallbackConfig {
            max_attempts: 100,
            ..config
        };
        assert_eq!(backoff(&long, 60), Some(MAX_BACKOFF));
    }
}
