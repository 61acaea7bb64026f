//! Bringing a backup back (security review S4). A backup is an older copy of
//! the database: a request she cancelled after it would come back open, with
//! her number on the card. So the database keeps a generation that every flush
//! raises and the keyring's header follows; a database behind its ring is
//! refused at start, and only a restore takes it: every request still open in
//! the copy is held out of `/next` and `/take` until a supervisor releases it,
//! and its card says it came from a backup.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::{RingCheck, Store, StoreError};
use crate::crypto::Keys;
use crate::domain::request::{RequestRecord, Status, TicketCode};

/// When a backup was made, in its own `meta` (milliseconds since the epoch).
pub(super) const BACKUP_AT_KEY: &str = "backup/at";

/// What a restore did.
#[derive(Debug, Default)]
pub struct RestoreReport {
    /// When the backup was made, if it says.
    pub backup_at: Option<DateTime<Utc>>,
    /// Where the database it replaced was moved (never deleted).
    pub replaced: Option<PathBuf>,
    /// Open requests, now held until a supervisor releases them.
    pub held: Vec<TicketCode>,
    /// Open requests whose keys are gone since: closed as data lost.
    pub lost: Vec<TicketCode>,
}

impl Store {
    /// Offline, with the bot stopped: takes the backup in `backup` (or, with
    /// none, the older database already in the data folder) as the database,
    /// against the current keyring. The database it replaces is moved aside.
    pub fn restore(
        data_dir: &Path,
        keyring: &Path,
        keys: Arc<Keys>,
        backup: Option<&Path>,
        now: DateTime<Utc>,
    ) -> Result<RestoreReport, StoreError> {
        let mut report = RestoreReport::default();
        if let Some(backup) = backup {
            report.replaced = bring_in(data_dir, backup, now)?;
        }
        let store = Store::open_with(data_dir, keyring, 1, keys, RingCheck::Restore)?;
        let _writing = store.writing();
        report.backup_at = store
            .meta
            .get(BACKUP_AT_KEY)?
            .and_then(|v| v.as_ref().try_into().ok().map(i64::from_be_bytes))
            .and_then(DateTime::from_timestamp_millis);
        let mut open = Vec::new();
        for entry in store.requests.iter() {
            let (_, bytes) = entry?;
            if let Ok(record) = serde_json::from_slice::<RequestRecord>(&bytes) {
                if record.status.is_open() {
                    open.push(record);
                }
            }
        }
        for record in open {
            if store.open_details(&record).is_none() {
                if store.close_lost(&record, now)? {
                    report.lost.push(record.code.clone());
                }
                continue;
            }
            // A claim in the copy is no one's now: back in its place.
            if matches!(record.status, Status::Claimed { .. }) {
                store.release(&record.id)?;
            }
            if let Some(mut current) = store.record(&record.id)? {
                current.held = true;
                current.restored = Some(report.backup_at.unwrap_or(now));
                let bytes = serde_json::to_vec(&current).expect("records serialize");
                store.requests.insert(current.id.as_bytes(), bytes)?;
                report.held.push(current.code);
            }
        }
        store.recount_waiting()?;
        store.flush_db()?;
        Ok(report)
    }
}

impl Store {
    /// The request with `code`, if a restore holds it: when its backup was made.
    pub fn held_since_restore(&self, code: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
        let Some(id) = self.id_of_code(code)? else {
            return Ok(None);
        };
        Ok(self
            .record(&id)?
            .filter(|r| r.held && r.status == Status::Waiting)
            .and_then(|r| r.restored))
    }

    /// A supervisor releases a request a restore held: `/next` and `/take`
    /// may offer it again. Its code, if it was held.
    pub fn release_held(&self, code: &str) -> Result<Option<TicketCode>, StoreError> {
        let _writing = self.writing();
        let Some(id) = self.id_of_code(code)? else {
            return Ok(None);
        };
        let Some(mut record) = self.record(&id)?.filter(|r| r.held) else {
            return Ok(None);
        };
        record.held = false;
        let bytes = serde_json::to_vec(&record).expect("records serialize");
        self.requests.insert(id.as_bytes(), bytes)?;
        self.flush_db()?;
        Ok(Some(record.code))
    }
}

/// Moves the data folder's database aside and copies the backup's in (live
/// values only, tree by tree). Refused while a bot holds either.
fn bring_in(
    data_dir: &Path,
    backup: &Path,
    now: DateTime<Utc>,
) -> Result<Option<PathBuf>, StoreError> {
    let source = backup.join("db");
    if !source.exists() {
        return Err(StoreError::Sled(sled::Error::Unsupported(format!(
            "{} holds no backup (no db folder in it)",
            backup.display()
        ))));
    }
    let live = data_dir.join("db");
    let mut replaced = None;
    if live.exists() {
        // Not while a bot holds it.
        drop(super::open_sled(&live, 1)?);
        let aside = data_dir.join(format!("db.replaced-{}", now.format("%Y%m%d-%H%M%S")));
        std::fs::rename(&live, &aside).map_err(|error| StoreError::Path {
            path: aside.display().to_string(),
            error,
        })?;
        replaced = Some(aside);
    }
    let from = super::open_sled(&source, 1)?;
    let into = super::open_sled(&live, 1)?;
    super::backup::copy_trees(&from, &into)?;
    into.flush()?;
    Ok(replaced)
}
