//! Who waits for whom in the store. Every intent that writes holds the write
//! gate shared; a backup's copy holds it alone (`store::backup`), so a copy
//! never holds half of an intent. Her stripe lock is taken inside the gate,
//! in that order everywhere.

use std::cell::RefCell;
use std::sync::{MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use super::{Store, PERSON_LOCKS};
use crate::crypto::Pseudonym;

/// Held shared by every store intent that writes, alone by the copy.
#[derive(Default)]
pub(super) struct WriteGate(RwLock<()>);

thread_local! {
    /// The gates this thread holds shared (one entry per holder): an intent
    /// calling another takes its gate once, never twice — a second shared
    /// lock would wait behind a copy waiting behind the first.
    static HELD: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// A writing intent's hold on the gate, released when dropped.
pub(super) struct Writing<'a> {
    gate: usize,
    _shared: Option<RwLockReadGuard<'a, ()>>,
}

impl WriteGate {
    fn id(&self) -> usize {
        self as *const WriteGate as usize
    }

    /// Whether this thread holds the gate.
    pub(super) fn held(&self) -> bool {
        HELD.with(|held| held.borrow().contains(&self.id()))
    }

    /// Holds the gate shared (once per thread, however deep the calls).
    pub(super) fn enter(&self) -> Writing<'_> {
        let shared = if self.held() {
            None
        } else {
            Some(self.0.read().unwrap_or_else(PoisonError::into_inner))
        };
        HELD.with(|held| held.borrow_mut().push(self.id()));
        Writing {
            gate: self.id(),
            _shared: shared,
        }
    }
}

impl Drop for Writing<'_> {
    fn drop(&mut self) {
        HELD.with(|held| {
            let mut held = held.borrow_mut();
            if let Some(at) = held.iter().rposition(|id| *id == self.gate) {
                held.remove(at);
            }
        });
    }
}

impl WriteGate {
    /// Holds the gate alone (a backup's copy): every writing intent waits.
    pub(super) fn alone(&self) -> RwLockWriteGuard<'_, ()> {
        debug_assert!(!self.held(), "a copy inside a store intent");
        self.0.write().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Her stripe's lock, inside the write gate (see [`Store::lock`]).
pub struct HerLock<'a> {
    _her: MutexGuard<'a, ()>,
    _writing: Writing<'a>,
}

impl Store {
    /// Holds the write gate for a store intent that writes (see the module).
    pub(super) fn writing(&self) -> Writing<'_> {
        self.gate.enter()
    }

    /// The lock of her stripe: held by every read-modify-write of her dialogue,
    /// tracked ids or keyring entry (her handler, the purge, Erase). Never
    /// held across a wait for another thread. It holds the write gate first:
    /// the purge takes her lock inside the gate, so taking them the other
    /// way round could wait for ever behind a backup waiting for the gate.
    pub fn lock(&self, who: &Pseudonym) -> HerLock<'_> {
        let writing = self.writing();
        let bytes = who.as_bytes();
        let stripe = usize::from(u16::from_be_bytes([bytes[0], bytes[1]])) % PERSON_LOCKS;
        HerLock {
            _her: self.locks[stripe].lock().unwrap_or_else(|e| e.into_inner()),
            _writing: writing,
        }
    }
}

#[cfg(test)]
mod tests;
