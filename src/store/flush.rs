//! Where a write that must last meets the disk: the one flush, the
//! generation it raises (so an older copy of the database is known for what it
//! is), and the test seam that makes it fail as a full disk would.

use std::sync::Arc;

use super::{Store, StoreError};

/// The database's generation: raised by every flush (every store intent that
/// must last ends with one), then written to the keyring's header.
pub(super) const GENERATION_KEY: &str = "generation";

impl Store {
    /// Writes everything to disk.
    pub fn flush(&self) -> Result<(), StoreError> {
        let _writing = self.writing();
        self.flush_db()
    }

    /// Flushes sled to disk: where a write that must last meets the disk.
    pub(crate) fn flush_db(&self) -> Result<(), StoreError> {
        debug_assert!(
            self.gate.held(),
            "a store write outside the write gate: a backup could copy half of it"
        );
        if self.writes_made_to_fail() {
            // ENOSPC, as a full disk answers.
            return Err(StoreError::Sled(sled::Error::Io(
                std::io::Error::from_raw_os_error(libc::ENOSPC),
            )));
        }
        // The database first, then the ring: a crash in between leaves the
        // database ahead, which the next start accepts; a database behind its
        // ring is an older copy.
        let generation = self
            .generation
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst)
            + 1;
        // Never lowered: two flushes at once may write in either order.
        self.meta.update_and_fetch(GENERATION_KEY, |old| {
            let old = old
                .and_then(|v| <[u8; 8]>::try_from(v).ok())
                .map_or(0, u64::from_be_bytes);
            Some(old.max(generation).to_be_bytes().to_vec())
        })?;
        self.db.flush()?;
        self.keyring.raise_generation(generation)?;
        Ok(())
    }

    /// A test seam: while `fail` is set, every flush fails as on a full disk.
    pub fn make_writes_fail(&self, fail: Arc<std::sync::atomic::AtomicBool>) {
        let _ = self.writes_fail.set(fail);
    }

    /// Whether the seam makes writes fail now.
    pub fn writes_made_to_fail(&self) -> bool {
        self.writes_fail
            .get()
            .is_some_and(|fail| fail.load(std::sync::atomic::Ordering::SeqCst))
    }

    /// A small write that must reach the disk: whether sled can still write
    /// (it keeps a write error until the database is opened again).
    pub fn write_probe(&self) -> Result<(), StoreError> {
        let _writing = self.writing();
        self.meta.insert("probe", &[1u8])?;
        self.flush_db()
    }
}

/// The database's generation (0 for one from before it existed).
pub(super) fn read_generation(meta: &sled::Tree) -> Result<u64, StoreError> {
    Ok(meta
        .get(GENERATION_KEY)?
        .map(|v| u64::from_be_bytes(v.as_ref().try_into().unwrap_or_default()))
        .unwrap_or(0))
}
