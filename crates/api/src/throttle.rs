//! Rate limits and quotas: requests per second per user and per IP, sign-in attempts and
//! registrations per IP, back-off after failed sign-ins, and CPU-seconds per user per day. Going
//! over answers 429 with `Retry-After` and a message naming the limit.
//!
//! Request and sign-in limits are kept in memory per API node (a client spread over N nodes gets
//! at most N times the rate); the CPU quota is read from the shared database.
//!
//! Every key is small and fixed-size (A1, A12): IPv6 clients are keyed by their /64, accounts by
//! a keyed hash of the lowercased username. Every keyed map is pruned by a background task, and
//! the back-off maps are bounded, so a flood of new keys does not grow memory for good.

mod backoff;
mod hashers;

use std::{
    hash::BuildHasher,
    net::{IpAddr, Ipv6Addr},
    num::NonZeroU32,
    sync::{Arc, Weak},
    time::{Duration, Instant},
};

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
use backoff::{Backoff, BackoffPolicy, Recent};

/// Configured limits; 0 or `None` switches one off.
#[derive(Clone, Debug)]
pub struct RateLimits {
    pub user_requests_per_second: u32,
    pub user_burst: u32,
    pub ip_requests_per_second: u32,
    pub ip_burst: u32,
    /// Sign-in attempts per minute from one IP address (IPv6: one /64), any accounts.
    pub logins_per_minute_per_ip: u32,
    /// Failed sign-ins to one account from one address before each further attempt from there
    /// waits (1 s, doubling, at most 15 min). Four times as many failures to one account from
    /// anywhere make attempts from addresses that have not signed in to it recently wait too,
    /// at most 30 s. 0 switches back-off off.
    pub login_failures_before_backoff: u32,
    /// Accounts one IP address (IPv6: one /64) may register per hour.
    pub registrations_per_hour_per_ip: u32,
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
            logins_per_minute_per_ip: 30,
            login_failures_before_backoff: 5,
            registrations_per_hour_per_ip: 5,
            cpu_seconds_per_user_per_day: None,
        }
    }
}

/// Longest wait after failures from one address to one account.
const ACCOUNT_IP_BACKOFF_CAP: Duration = Duration::from_secs(15 * 60);
/// Longest wait after failures to one account from anywhere: brief, so a stranger can only
/// delay the owner, never lock them out.
const ACCOUNT_BACKOFF_CAP: Duration = Duration::from_secs(30);
/// Failures are forgotten this long after the last one.
const FORGET_FAILURES_AFTER: Duration = Duration::from_secs(15 * 60);
/// An address that signed in to an account skips that account's global back-off this long.
const TRUST_SIGN_IN_FOR: Duration = Duration::from_secs(30 * 24 * 3600);
/// Most keys one back-off or trust map holds.
const MAX_TRACKED: usize = 100_000;
/// How often the background task prunes every keyed limiter.
const PRUNE_EVERY: Duration = Duration::from_secs(60);

/// The key of an account in the sign-in maps: a keyed hash of its lowercased name, so a long
/// name costs 8 bytes and nobody can aim collisions at a chosen account.
type AccountKey = u64;

/// What [`Throttle::login_attempt`] let through; report the outcome with it.
#[derive(Clone, Copy, Debug)]
pub struct LoginKey {
    account: AccountKey,
    ip: Option<IpAddr>,
}

/// The keyed limiters; shared with the pruning task.
struct Limiters {
    users: Option<DefaultKeyedRateLimiter<UserId>>,
    ips: Option<DefaultKeyedRateLimiter<IpAddr>>,
    login_ips: Option<DefaultKeyedRateLimiter<IpAddr>>,
    registrations: Option<DefaultKeyedRateLimiter<IpAddr>>,
    account_ip_failures: Backoff<(AccountKey, IpAddr)>,
    account_failures: Backoff<AccountKey>,
    signed_in_from: Recent<(AccountKey, IpAddr)>,
}

pub struct Throttle {
    limiters: Arc<Limiters>,
    accounts: std::hash::RandomState,
    /// Password hashing and verification, one per CPU at once (A8): argon2 is meant to be
    /// expensive.
    hashing: hashers::Hashers,
    cpu_seconds_per_day: Option<u64>,
}

fn per_second(rate: u32, burst: u32) -> Option<Quota> {
    let rate = NonZeroU32::new(rate)?;
    Some(Quota::per_second(rate).allow_burst(NonZeroU32::new(burst).unwrap_or(rate)))
}

fn per_minute(rate: u32) -> Option<Quota> {
    NonZeroU32::new(rate).map(Quota::per_minute)
}

fn per_hour(rate: u32) -> Option<Quota> {
    NonZeroU32::new(rate).map(Quota::per_hour)
}

/// The address a client is limited as: IPv4 as is, IPv6 by its /64 (one subscriber's prefix).
pub fn ip_key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !((1u128 << 64) - 1))),
        v4 => v4,
    }
}

fn too_many(code: &'static str, message: &str, wait: Duration) -> ApiError {
    ApiError::TooManyRequests {
        code,
        message: message.to_owned(),
        retry_after: wait.max(Duration::from_secs(1)),
    }
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
    limiter.check_key(key).map_err(|not_until| {
        too_many(
            code,
            message,
            not_until.wait_time_from(DefaultClock::default().now()),
        )
    })
}

impl Limiters {
    fn prune(&self, now: Instant) {
        for limiter in [&self.ips, &self.login_ips, &self.registrations]
            .into_iter()
            .flatten()
        {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
        if let Some(users) = &self.users {
            users.retain_recent();
            users.shrink_to_fit();
        }
        self.account_ip_failures.prune(now);
        self.account_failures.prune(now);
        self.signed_in_from.prune(now);
    }
}

impl Throttle {
    /// Also starts the pruning task when called inside a Tokio runtime; it ends with the
    /// throttle.
    pub fn new(limits: &RateLimits) -> Self {
        let free = limits.login_failures_before_backoff;
        let limiters = Arc::new(Limiters {
            users: per_second(limits.user_requests_per_second, limits.user_burst)
                .map(RateLimiter::keyed),
            ips: per_second(limits.ip_requests_per_second, limits.ip_burst).map(RateLimiter::keyed),
            login_ips: per_minute(limits.logins_per_minute_per_ip).map(RateLimiter::keyed),
            registrations: per_hour(limits.registrations_per_hour_per_ip).map(RateLimiter::keyed),
            account_ip_failures: Backoff::new(BackoffPolicy {
                free,
                cap: ACCOUNT_IP_BACKOFF_CAP,
                forget_after: FORGET_FAILURES_AFTER,
                max_entries: MAX_TRACKED,
            }),
            account_failures: Backoff::new(BackoffPolicy {
                free: free.saturating_mul(4),
                cap: ACCOUNT_BACKOFF_CAP,
                forget_after: FORGET_FAILURES_AFTER,
                max_entries: MAX_TRACKED,
            }),
            signed_in_from: Recent::new(TRUST_SIGN_IN_FOR, MAX_TRACKED),
        });
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(prune_periodically(Arc::downgrade(&limiters)));
        }
        let cpus = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        Self {
            limiters,
            accounts: std::hash::RandomState::new(),
            hashing: hashers::Hashers::new(cpus),
            cpu_seconds_per_day: limits.cpu_seconds_per_user_per_day,
        }
    }

    pub fn user_request(&self, user: UserId) -> Result<(), ApiError> {
        check(
            &self.limiters.users,
            &user,
            "rate_limited",
            "too many requests from this account; slow down",
        )
    }

    /// The sign-in key of `username` from `ip`. Callers validate the username first.
    pub fn login_key(&self, username: &str, ip: Option<IpAddr>) -> LoginKey {
        LoginKey {
            account: self.accounts.hash_one(username.to_ascii_lowercase()),
            ip: ip.map(ip_key),
        }
    }

    /// Counts a sign-in attempt against its address, and refuses it while the account is in
    /// back-off for this address (A6). An address that signed in to the account recently is not
    /// held back by failures that came from elsewhere.
    pub fn login_attempt(&self, key: LoginKey) -> Result<(), ApiError> {
        let limiters = &self.limiters;
        let now = Instant::now();
        if let Some(ip) = key.ip {
            check(
                &limiters.login_ips,
                &ip,
                "too_many_login_attempts",
                "too many login attempts from this address; wait before trying again",
            )?;
            if let Some(wait) = limiters.account_ip_failures.wait(&(key.account, ip), now) {
                return Err(too_many(
                    "too_many_login_attempts",
                    "too many failed login attempts for this account from this address; wait before trying again",
                    wait,
                ));
            }
        }
        let trusted = key
            .ip
            .is_some_and(|ip| limiters.signed_in_from.contains(&(key.account, ip), now));
        if !trusted && let Some(wait) = limiters.account_failures.wait(&key.account, now) {
            return Err(too_many(
                "too_many_login_attempts",
                "too many failed login attempts for this account; wait a few seconds before trying again",
                wait,
            ));
        }
        Ok(())
    }

    pub fn login_failed(&self, key: LoginKey) {
        let now = Instant::now();
        if let Some(ip) = key.ip {
            self.limiters
                .account_ip_failures
                .failed((key.account, ip), now);
        }
        self.limiters.account_failures.failed(key.account, now);
    }

    /// A successful sign-in (or registration): clears the back-off and trusts the address.
    pub fn login_succeeded(&self, key: LoginKey) {
        let limiters = &self.limiters;
        limiters.account_failures.succeeded(&key.account);
        if let Some(ip) = key.ip {
            limiters.account_ip_failures.succeeded(&(key.account, ip));
            limiters
                .signed_in_from
                .insert((key.account, ip), Instant::now());
        }
    }

    /// Counts a registration against its address (A8).
    pub fn registration_attempt(&self, ip: Option<IpAddr>) -> Result<(), ApiError> {
        match ip {
            Some(ip) => check(
                &self.limiters.registrations,
                &ip_key(ip),
                "too_many_registrations",
                "too many accounts registered from this address; try again later",
            ),
            None => Ok(()),
        }
    }

    /// Hashes or verifies a password with `work` on a password-hashing thread, once one is free
    /// (see `hashers`).
    pub async fn hash<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        self.hashing.run(work).await
    }

    /// Keys held by the sign-in and registration limiters (for tests and metrics).
    pub fn login_key_count(&self) -> usize {
        let limiters = &self.limiters;
        [&limiters.login_ips, &limiters.registrations]
            .into_iter()
            .flatten()
            .map(|limiter| limiter.len())
            .sum::<usize>()
            + limiters.account_ip_failures.len()
            + limiters.account_failures.len()
            + limiters.signed_in_from.len()
    }

    /// Prunes every keyed limiter as the background task would at `now`.
    pub fn prune_at(&self, now: Instant) {
        self.limiters.prune(now);
    }

    /// Today's CPU allowance per user, or `None` without a quota. The enqueue checks it in
    /// the same statement as its insert, counting the user's open jobs at their limits, so
    /// concurrent submissions cannot overrun it (see `executions::enqueue`).
    pub fn cpu_quota(&self) -> Option<CpuQuota> {
        self.cpu_seconds_per_day.map(CpuQuota::daily)
    }
}

async fn prune_periodically(limiters: Weak<Limiters>) {
    let mut interval = tokio::time::interval(PRUNE_EVERY);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        let Some(limiters) = limiters.upgrade() else {
            return;
        };
        limiters.prune(Instant::now());
    }
}

/// Per-IP request limit for every request, keyed by the client's address (see `client_ip`).
pub async fn limit_ips(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if let Some(ip) = client_ip(request.extensions())
        && let Err(err) = check(
            &state.throttle.limiters.ips,
            &ip_key(ip),
            "rate_limited",
            "too many requests from this address; slow down",
        )
    {
        return err.into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_clients_are_keyed_by_their_64_and_ipv4_by_address() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(ip_key(a), ip_key(b));
        assert_ne!(ip_key(a), ip_key(c));
        let v4: IpAddr = "203.0.113.7".parse().unwrap();
        assert_eq!(ip_key(v4), v4);
        let mapped: IpAddr = "::ffff:203.0.113.7".parse().unwrap();
        assert_eq!(ip_key(mapped), v4);
    }

    #[test]
    fn account_keys_ignore_letter_case() {
        let throttle = Throttle::new(&RateLimits::default());
        let ip = Some("203.0.113.7".parse().unwrap());
        assert_eq!(
            throttle.login_key("Ada", ip).account,
            throttle.login_key("ada", ip).account
        );
    }
}
