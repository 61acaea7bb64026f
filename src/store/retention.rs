//! Retention, the orphan sweep and keyring recovery.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use sled::Transactional;

use super::{RingCheck, Store, StoreError, ORPHAN_MIN_AGE};
use crate::crypto::keyring::{Aged, Target};
use crate::crypto::Keys;
use crate::domain::ids::RecordId;
use crate::domain::request::{RequestRecord, Status, TicketCode};

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PurgeReport {
    pub requests: usize,
    pub dialogues: usize,
    /// Keys that belonged to no row (a crash between a write and its key's use).
    pub orphans: usize,
    /// Messages that show what she typed, left by a draft that expired: the shell
    /// deletes them (chat, message ids).
    pub to_delete: Vec<(i64, Vec<i32>)>,
}

/// How long things are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// An ended request, before its record and key go.
    pub grace: Duration,
    /// A conversation without a message.
    pub idle: Duration,
    /// An unfinished request.
    pub draft_ttl: Duration,
    /// A line of the audit log.
    pub audit: Duration,
}

/// What `recover-keyring` did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RecoveryReport {
    /// Codes of open requests closed as data lost, for staff.
    pub lost: Vec<TicketCode>,
    pub dialogues_dropped: usize,
    pub keys_destroyed: usize,
}

impl Store {
    /// Retention: ended requests lose their record and key after `grace`;
    /// conversations idle for `idle` are forgotten (unless a request of hers is
    /// still open); a draft left longer than `draft_ttl` is forgotten and the
    /// messages that showed it are handed back for deletion; keys that belong to
    /// nothing are destroyed.
    pub fn purge(&self, now: DateTime<Utc>, keep: &Retention) -> Result<PurgeReport, StoreError> {
        let _writing = self.writing();
        let Retention {
            grace,
            idle,
            draft_ttl,
            audit,
        } = *keep;
        let mut report = PurgeReport::default();
        self.purge_audit(now, audit)?;
        let mut expired = Vec::new();
        for entry in self.requests.iter() {
            let (_, bytes) = entry?;
            let Ok(record) = serde_json::from_slice::<RequestRecord>(&bytes) else {
                continue;
            };
            if let Status::Closed { at, .. } = record.status {
                if now - at >= grace {
                    expired.push(record);
                }
            }
        }
        for record in &expired {
            (&self.requests, &self.codes)
                .transaction(|(requests, codes)| {
                    requests.remove(record.id.as_bytes().as_slice())?;
                    codes.remove(record.code.as_bytes())?;
                    Ok::<_, sled::transaction::ConflictableTransactionError<()>>(())
                })
                .map_err(|e| match e {
                    sled::transaction::TransactionError::Storage(e) => StoreError::from(e),
                    sled::transaction::TransactionError::Abort(()) => {
                        StoreError::Sled(sled::Error::Unsupported("purge aborted".into()))
                    }
                })?;
        }
        self.forget_gone_codes()?;
        self.flush_db()?;
        let targets: Vec<Target> = expired.iter().map(|r| Target::Request(r.id)).collect();
        report.requests = self.destroy_keys(&targets)?;
        for (who, _) in self.keyring.persons() {
            let _her = self.lock(&who);
            let Some(person) = self.keyring.person(&who) else {
                continue;
            };
            let Some(mut conversation) = self.load(&who, now)? else {
                // No readable dialogue: the orphan sweep decides.
                continue;
            };
            let left = now - conversation.dialogue.updated_at > draft_ttl;
            if left && !conversation.links.exposed.is_empty() {
                let chat = conversation.links.chat;
                let ids = conversation.links.take_exposed(None, now);
                let dialogue = &mut conversation.dialogue;
                dialogue.forget_draft();
                self.save(&who, dialogue, &conversation.links, now)?;
                if let (Some(chat), false) = (chat, ids.is_empty()) {
                    report.to_delete.push((chat, ids));
                }
            }
            let open = conversation.links.all().any(|id| {
                self.record(id)
                    .ok()
                    .flatten()
                    .is_some_and(|r| r.status.is_open())
            });
            if open || now - conversation.dialogue.updated_at < idle {
                continue;
            }
            self.dialogues.remove(person.dialogue.as_bytes())?;
            self.tracked.remove(person.dialogue.as_bytes())?;
            self.flush_db()?;
            report.dialogues += self.destroy_keys(&[Target::Person(person)])?;
        }
        report.orphans = self.sweep_orphans(now, ORPHAN_MIN_AGE)?;
        self.flush_db()?;
        Ok(report)
    }

    /// Destroys keys older than `min_age` that no row uses: a request key whose
    /// record is gone, her entry whose dialogue is gone, an entry a newer one of
    /// hers replaced. Young keys are left alone: they may be in use right now.
    pub fn sweep_orphans(
        &self,
        now: DateTime<Utc>,
        min_age: Duration,
    ) -> Result<usize, StoreError> {
        let _writing = self.writing();
        let mut targets = Vec::new();
        for aged in self.keyring.aged(now - min_age) {
            match aged {
                Aged::Request(id) => {
                    // A record key seals a request, or a job that waits.
                    if !self.requests.contains_key(id.as_bytes())?
                        && !self.due.contains_key(id.as_bytes())?
                    {
                        targets.push(Target::Request(id));
                    }
                }
                Aged::Person(who, person) => {
                    let _her = self.lock(&who);
                    let current = self.keyring.person(&who);
                    let same = current.is_some_and(|c| c.dialogue == person.dialogue);
                    if same && !self.dialogues.contains_key(person.dialogue.as_bytes())? {
                        self.tracked.remove(person.dialogue.as_bytes())?;
                        targets.push(Target::Person(person));
                    }
                }
                Aged::Superseded(person) => {
                    self.dialogues.remove(person.dialogue.as_bytes())?;
                    self.tracked.remove(person.dialogue.as_bytes())?;
                    targets.push(Target::Person(person));
                }
            }
        }
        if targets.is_empty() {
            return Ok(0);
        }
        self.flush_db()?;
        let destroyed = self.destroy_keys(&targets)?;
        if destroyed > 0 {
            tracing::info!(event = "orphan_keys_destroyed", count = destroyed);
        }
        Ok(destroyed)
    }

    /// Opens a database whose keyring was refused (missing, foreign, an older
    /// copy) and makes the two agree again: open requests whose keys are gone are
    /// closed as data lost, unreadable dialogues are dropped, keys that belong to
    /// no row are destroyed (so an old copy of the ring brings nothing erased
    /// back), and the ring gets a new id that the database adopts.
    pub fn recover(
        data_dir: &Path,
        keyring: &Path,
        cache_mb: u64,
        keys: Arc<Keys>,
        now: DateTime<Utc>,
    ) -> Result<RecoveryReport, StoreError> {
        let store = Store::open_with(data_dir, keyring, cache_mb, keys, RingCheck::Adopt)?;
        let _writing = store.writing();
        let mut report = RecoveryReport::default();
        let mut records = Vec::new();
        for entry in store.requests.iter() {
            let (_, bytes) = entry?;
            if let Ok(record) = serde_json::from_slice::<RequestRecord>(&bytes) {
                records.push(record);
            }
        }
        for record in records {
            if record.status.is_open()
                && store.open_details(&record).is_none()
                && store.close_lost(&record, now)?
            {
                report.lost.push(record.code.clone());
            }
        }
        let owned: HashSet<RecordId> = store
            .keyring
            .persons()
            .into_iter()
            .map(|(_, p)| p.dialogue)
            .collect();
        for entry in store.dialogues.iter() {
            let (key, _) = entry?;
            let unowned = RecordId::from_slice(&key).is_none_or(|id| !owned.contains(&id));
            if unowned {
                store.dialogues.remove(&key)?;
                store.tracked.remove(&key)?;
                report.dialogues_dropped += 1;
            }
        }
        for (who, _) in store.keyring.persons() {
            if store.load(&who, now)?.is_none() {
                if let Some(person) = store.keyring.person(&who) {
                    if store
                        .dialogues
                        .remove(person.dialogue.as_bytes())?
                        .is_some()
                    {
                        report.dialogues_dropped += 1;
                    }
                    store.tracked.remove(person.dialogue.as_bytes())?;
                }
            }
        }
        store.flush_db()?;
        report.keys_destroyed = store.sweep_orphans(now, Duration::zero())?;
        store.recount_waiting()?;
        store.mirror_mark()?;
        store.flush_db()?;
        Ok(report)
    }
}
