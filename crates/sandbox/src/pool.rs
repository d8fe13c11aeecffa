//! The slots of a [`crate::Sandbox`] and its optional pool of warm (prepared) sandboxes.
//!
//! A slot is free, busy (a prepared or running sandbox holds it) or quarantined (its teardown
//! left processes behind; never reused). With `SandboxConfig::warm > 0`, a background thread keeps
//! that many sandboxes prepared for the default limits, so `prepare()` hands one over at once
//! and start-up leaves the request path. Warm sandboxes hold slots like any other.

use std::{
    sync::{Arc, Condvar, Mutex, MutexGuard, Weak},
    time::Duration,
};

use crate::{prepared::Prepared, sandbox::Inner};

/// After a failed warm start, wait this long before trying again.
const WARM_RETRY: Duration = Duration::from_secs(1);

#[derive(Clone, Copy, PartialEq, Eq)]
enum SlotState {
    Free,
    Busy,
    Quarantined,
}

struct State {
    slots: Vec<SlotState>,
    warm: Vec<Prepared>,
    /// Warm starts in progress (counted against the target).
    warming: usize,
    stopping: bool,
}

pub(crate) struct Pool {
    state: Mutex<State>,
    changed: Condvar,
    target: usize,
}

/// What `take` found.
pub(crate) enum Taken {
    Warm(Prepared),
    Slot(usize),
}

impl Pool {
    pub fn new(slots: usize, warm: usize) -> Pool {
        Pool {
            state: Mutex::new(State {
                slots: vec![SlotState::Free; slots],
                warm: Vec::new(),
                warming: 0,
                stopping: false,
            }),
            changed: Condvar::new(),
            target: warm.min(slots),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn free_slot(state: &mut State) -> Option<usize> {
        let k = state.slots.iter().position(|s| *s == SlotState::Free)?;
        state.slots[k] = SlotState::Busy;
        Some(k)
    }

    /// A warm sandbox if one is ready, else a free slot; blocks until either exists. Fails when
    /// every slot is quarantined, since none will ever be free again.
    pub fn take(&self) -> crate::Result<Taken> {
        let mut state = self.lock();
        loop {
            if let Some(prepared) = state.warm.pop() {
                self.changed.notify_all();
                return Ok(Taken::Warm(prepared));
            }
            if let Some(k) = Self::free_slot(&mut state) {
                return Ok(Taken::Slot(k));
            }
            if state.slots.iter().all(|s| *s == SlotState::Quarantined) {
                return Err(crate::Error::AllSlotsQuarantined);
            }
            state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    pub fn release(&self, slot: usize, quarantine: bool) {
        let mut state = self.lock();
        state.slots[slot] = if quarantine {
            SlotState::Quarantined
        } else {
            SlotState::Free
        };
        self.changed.notify_all();
    }

    /// For the warmer: blocks until the pool is below its target and a slot is free; `None`
    /// once the pool is stopping.
    fn slot_to_warm(&self) -> Option<usize> {
        let mut state = self.lock();
        loop {
            if state.stopping {
                return None;
            }
            if state.warm.len() + state.warming < self.target
                && let Some(k) = Self::free_slot(&mut state)
            {
                state.warming += 1;
                return Some(k);
            }
            state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Stocks a freshly warmed sandbox (or hands it back to be dropped when stopping).
    fn stock(&self, prepared: Option<Prepared>) -> Option<Prepared> {
        let mut state = self.lock();
        state.warming -= 1;
        self.changed.notify_all();
        match prepared {
            Some(p) if !state.stopping => {
                state.warm.push(p);
                None
            }
            other => other,
        }
    }

    /// Stops warming; returns the stock, to be dropped (torn down) outside the lock.
    pub fn stop(&self) -> Vec<Prepared> {
        let mut state = self.lock();
        state.stopping = true;
        self.changed.notify_all();
        std::mem::take(&mut state.warm)
    }

    /// Starts up to the target synchronously, then keeps refilling from a background thread
    /// (returned, to be joined after [`Pool::stop`]). No thread without a target.
    pub fn start_warming(inner: &Arc<Inner>) -> crate::Result<Option<std::thread::JoinHandle<()>>> {
        if inner.pool.target == 0 {
            return Ok(None);
        }
        for _ in 0..inner.pool.target {
            let Some(slot) = inner.pool.slot_to_warm() else {
                return Ok(None);
            };
            let prepared =
                Prepared::start(Arc::clone(inner), slot, inner.config.default_limits.clone());
            let failed = prepared.is_err();
            drop(inner.pool.stock(prepared.ok()));
            if failed {
                break;
            }
        }
        let weak = Arc::downgrade(inner);
        let warmer = std::thread::Builder::new()
            .name("sandbox-warmer".into())
            .spawn(move || warm(weak))
            .map_err(|e| crate::Error::Sys {
                call: "spawn thread",
                source: e,
            })?;
        Ok(Some(warmer))
    }
}

fn warm(inner: Weak<Inner>) {
    loop {
        let Some(inner) = inner.upgrade() else { return };
        let Some(slot) = inner.pool.slot_to_warm() else {
            return;
        };
        let prepared = Prepared::start(
            Arc::clone(&inner),
            slot,
            inner.config.default_limits.clone(),
        );
        let failed = prepared.is_err();
        // A sandbox stocked while stopping comes back here and is torn down on drop.
        drop(inner.pool.stock(prepared.ok()));
        drop(inner);
        if failed {
            std::thread::sleep(WARM_RETRY);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_handed_out_once_and_come_back_when_released() {
        let pool = Pool::new(2, 0);
        let (Ok(Taken::Slot(a)), Ok(Taken::Slot(b))) = (pool.take(), pool.take()) else {
            panic!("two free slots")
        };
        assert_ne!(a, b);
        pool.release(a, false);
        assert!(matches!(pool.take(), Ok(Taken::Slot(k)) if k == a));
    }

    #[test]
    fn when_every_slot_is_quarantined_taking_fails_instead_of_waiting_forever() {
        let pool = Pool::new(1, 0);
        let Ok(Taken::Slot(k)) = pool.take() else {
            panic!("a free slot")
        };
        pool.release(k, true);
        assert!(matches!(
            pool.take(),
            Err(crate::Error::AllSlotsQuarantined)
        ));
    }
}
