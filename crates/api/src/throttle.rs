//! Rate limits and quotas: requests per second per user and per IP, login attempts per account
//! and per IP, and CPU-seconds per user per day. Going over answers 429 with `Retry-After` and a
//! message naming the limit.
//!
//! Request and login limits are kept in memory per API node (a client spread over N nodes gets
//! at most N times the rate); the CPU quota is read from the shared database.

use std::{net::IpAddr, num::NonZeroU32, time::Duration};

use axum::{
    extract::{Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use code_remote_core::UserId;
use code_remote_store::CpuQuota;
use governor::{
    DefaultKeyedRateLimiter, Quota, RateLimiter,
    clock::{Clock, DefaultClock},
};

use crate::{AppState, client_ip::client_ip, error::ApiError};

/// Configured limits; `None` or 0 switches one off.
#[derive(Clone, Debug)]
pub struct RateLimits {
    pub user_requests_per_second: u32,
    pub user_burst: u32,
    pub ip_requests_per_second: u32,
    pub ip_burst: u32,
    pub logins_per_minute_per_account: u32,
    pub logins_per_minute_per_ip: u32,
    /// CPU-seconds one user's runs may use per UTC day.
    pub cpu_seconds_per_user_per_day: Option<u64>,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            user_requests_per_second: 20,
            user_burst: 60,
            ip_requests_per_second: 50,
            ip_burst: 100,
            logins_per_minute_per_account: 10,
            logins_per_minute_per_ip: 30,
            cpu_seconds_per_user_per_day: None,
        }
    }
}

pub struct Throttle {
    users: Option<DefaultKeyedRateLimiter<UserId>>,
    ips: Option<DefaultKeyedRateLimiter<IpAddr>>,
    login_accounts: Option<DefaultKeyedRateLimiter<String>>,
    login_ips: Option<DefaultKeyedRateLimiter<IpAddr>>,
    cpu_seconds_per_day: Option<u64>,
}

fn per_second(rate: u32, burst: u32) -> Option<Quota> {
    let rate = NonZeroU32::new(rate)?;
    Some(Quota::per_second(rate).allow_burst(NonZeroU32::new(burst).unwrap_or(rate)))
}

fn per_minute(rate: u32) -> Option<Quota> {
    NonZeroU32::new(rate).map(Quota::per_minute)
}

fn check<K: std::hash::Hash + Eq + Clone>(
    limiter: &Option<DefaultKeyedRateLimiter<K>>,
    key: &K,
    code: &'static str,
    message: &str,
) -> Result<(), ApiError> {
    let Some(limiter) = limiter else {
        return Ok(());
    };
    limiter
        .check_key(key)
        .map_err(|not_until| ApiError::TooManyRequests {
            code,
            message: message.to_owned(),
            retry_after: not_until
                .wait_time_from(DefaultClock::default().now())
                .max(Duration::from_secs(1)),
        })
}

impl Throttle {
    pub fn new(limits: &RateLimits) -> Self {
        Self {
            users: per_second(limits.user_requests_per_second, limits.user_burst)
                .map(RateLimiter::keyed),
            ips: per_second(limits.ip_requests_per_second, limits.ip_burst).map(RateLimiter::keyed),
            login_accounts: per_minute(limits.logins_per_minute_per_account)
                .map(RateLimiter::keyed),
            login_ips: per_minute(limits.logins_per_minute_per_ip).map(RateLimiter::keyed),
            cpu_seconds_per_day: limits.cpu_seconds_per_user_per_day,
        }
    }

    pub fn user_request(&self, user: UserId) -> Result<(), ApiError> {
        check(
            &self.users,
            &user,
            "rate_limited",
            "too many requests from this account; slow down",
        )
    }

    pub fn login_attempt(&self, username: &str, ip: Option<IpAddr>) -> Result<(), ApiError> {
        check(
            &self.login_accounts,
            &username.to_lowercase(),
            "too_many_login_attempts",
            "too many login attempts for this account; wait before trying again",
        )?;
        match ip {
            Some(ip) => check(
                &self.login_ips,
                &ip,
                "too_many_login_attempts",
                "too many login attempts from this address; wait before trying again",
            ),
            None => Ok(()),
        }
    }

    /// Today's CPU allowance per user, or `None` without a quota. The enqueue checks it in
    /// the same statement as its insert, counting the user's open jobs at their limits, so
    /// concurrent submissions cannot overrun it (see `executions::enqueue`).
    pub fn cpu_quota(&self) -> Option<CpuQuota> {
        self.cpu_seconds_per_day.map(CpuQuota::daily)
    }
}

/// Per-IP request limit for every request, keyed by the client's address (see `client_ip`).
pub async fn limit_ips(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if let Some(ip) = client_ip(request.extensions())
        && let Err(err) = check(
            &state.throttle.ips,
            &ip,
            "rate_limited",
            "too many requests from this address; slow down",
        )
    {
        return err.into_response();
    }
    next.run(request).await
}
