//! Exponential back-off after failed sign-ins, keyed by small fixed-size keys.
//!
//! The first `free` failures cost nothing; after that each failure makes the next attempt wait
//! 1 s, 2 s, 4 s, … up to `cap`. It never refuses for longer than `cap` after the last failure,
//! so nobody can lock an account for good. Entries are forgotten a while after their last
//! failure, and the map never holds more than `max_entries` keys: when it is full and nothing
//! can be pruned, new keys are not tracked (the per-IP limits still apply to them).
//!
//! Time is a parameter (`now`), so the policy is tested without sleeping.

use std::{
    collections::HashMap,
    hash::Hash,
    sync::Mutex,
    time::{Duration, Instant},
};

const FIRST_DELAY: Duration = Duration::from_secs(1);

pub struct Backoff<K> {
    free: u32,
    cap: Duration,
    forget_after: Duration,
    max_entries: usize,
    failures: Mutex<HashMap<K, Failures>>,
}

#[derive(Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

/// What a back-off allows; `free` is the number of failures that cost nothing (0: off).
pub struct BackoffPolicy {
    pub free: u32,
    pub cap: Duration,
    pub forget_after: Duration,
    pub max_entries: usize,
}

impl<K: Hash + Eq + Copy> Backoff<K> {
    pub fn new(policy: BackoffPolicy) -> Self {
        Self {
            free: policy.free,
            cap: policy.cap,
            forget_after: policy.forget_after.max(policy.cap),
            max_entries: policy.max_entries,
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn delay(&self, count: u32) -> Duration {
        if self.free == 0 || count < self.free {
            return Duration::ZERO;
        }
        let doublings = (count - self.free).min(31);
        FIRST_DELAY.saturating_mul(1 << doublings).min(self.cap)
    }

    /// How long `key` must still wait before its next attempt; `None`: it may try now.
    pub fn wait(&self, key: &K, now: Instant) -> Option<Duration> {
        let failures = *self.lock().get(key)?;
        let until = failures.last + self.delay(failures.count);
        (until > now).then(|| until - now)
    }

    pub fn failed(&self, key: K, now: Instant) {
        if self.free == 0 {
            return;
        }
        let mut map = self.lock();
        if map.len() >= self.max_entries && !map.contains_key(&key) {
            self.prune_locked(&mut map, now);
            if map.len() >= self.max_entries {
                return;
            }
        }
        let entry = map.entry(key).or_insert(Failures {
            count: 0,
            last: now,
        });
        entry.count = entry.count.saturating_add(1);
        entry.last = now;
    }

    pub fn succeeded(&self, key: &K) {
        self.lock().remove(key);
    }

    /// Forgets keys whose last failure is older than `forget_after`.
    pub fn prune(&self, now: Instant) {
        let mut map = self.lock();
        self.prune_locked(&mut map, now);
        map.shrink_to_fit();
    }

    fn prune_locked(&self, map: &mut HashMap<K, Failures>, now: Instant) {
        map.retain(|_, failures| now.saturating_duration_since(failures.last) < self.forget_after);
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, Failures>> {
        // A panic while holding the lock cannot leave the map inconsistent: keep using it.
        self.failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Keys that signed in successfully, remembered for a while (bounded like [`Backoff`]).
pub struct Recent<K> {
    ttl: Duration,
    max_entries: usize,
    seen: Mutex<HashMap<K, Instant>>,
}

impl<K: Hash + Eq + Copy> Recent<K> {
    pub fn new(ttl: Duration, max_entries: usize) -> Self {
        Self {
            ttl,
            max_entries,
            seen: Mutex::new(HashMap::new()),
        }
    }

    pub fn contains(&self, key: &K, now: Instant) -> bool {
        self.lock()
            .get(key)
            .is_some_and(|at| now.saturating_duration_since(*at) < self.ttl)
    }

    pub fn insert(&self, key: K, now: Instant) {
        let mut map = self.lock();
        if map.len() >= self.max_entries && !map.contains_key(&key) {
            map.retain(|_, at| now.saturating_duration_since(*at) < self.ttl);
            if map.len() >= self.max_entries {
                return;
            }
        }
        map.insert(key, now);
    }

    pub fn prune(&self, now: Instant) {
        let mut map = self.lock();
        map.retain(|_, at| now.saturating_duration_since(*at) < self.ttl);
        map.shrink_to_fit();
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, Instant>> {
        self.seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(free: u32, max_entries: usize) -> BackoffPolicy {
        BackoffPolicy {
            free,
            cap: Duration::from_secs(30),
            forget_after: Duration::from_secs(900),
            max_entries,
        }
    }

    #[test]
    fn free_failures_cost_nothing_then_waits_double_up_to_the_cap() {
        let backoff = Backoff::new(policy(3, 10));
        let start = Instant::now();
        for _ in 0..2 {
            backoff.failed(1u64, start);
        }
        assert_eq!(backoff.wait(&1, start), None);
        backoff.failed(1, start);
        assert_eq!(backoff.wait(&1, start), Some(Duration::from_secs(1)));
        backoff.failed(1, start);
        assert_eq!(backoff.wait(&1, start), Some(Duration::from_secs(2)));
        for _ in 0..40 {
            backoff.failed(1, start);
        }
        assert_eq!(backoff.wait(&1, start), Some(Duration::from_secs(30)));
        // Never longer than the cap after the last failure: no permanent lock-out.
        assert_eq!(backoff.wait(&1, start + Duration::from_secs(30)), None);
        assert_eq!(backoff.wait(&2, start), None, "other keys are not affected");
    }

    #[test]
    fn success_clears_and_old_failures_are_forgotten() {
        let backoff = Backoff::new(policy(1, 10));
        let start = Instant::now();
        backoff.failed(1u64, start);
        backoff.succeeded(&1);
        assert_eq!(backoff.wait(&1, start), None);
        backoff.failed(2u64, start);
        assert_eq!(backoff.len(), 1);
        backoff.prune(start + Duration::from_secs(899));
        assert_eq!(backoff.len(), 1);
        backoff.prune(start + Duration::from_secs(900));
        assert_eq!(backoff.len(), 0);
    }

    #[test]
    fn the_map_never_grows_past_its_bound() {
        let backoff = Backoff::new(policy(1, 100));
        let start = Instant::now();
        for key in 0..10_000u64 {
            backoff.failed(key, start);
        }
        assert_eq!(backoff.len(), 100);
        // Once the old entries can be forgotten, new keys are tracked again.
        let later = start + Duration::from_secs(900);
        backoff.failed(20_000, later);
        assert_eq!(backoff.len(), 1);
        assert!(backoff.wait(&20_000, later).is_some());
    }

    #[test]
    fn recent_successes_expire_and_stay_bounded() {
        let recent = Recent::new(Duration::from_secs(60), 2);
        let start = Instant::now();
        recent.insert(1u64, start);
        recent.insert(2, start);
        recent.insert(3, start);
        assert_eq!(recent.len(), 2);
        assert!(recent.contains(&1, start));
        assert!(!recent.contains(&1, start + Duration::from_secs(60)));
        recent.insert(3, start + Duration::from_secs(60));
        assert!(recent.contains(&3, start + Duration::from_secs(60)));
        assert_eq!(recent.len(), 1);
    }
}
