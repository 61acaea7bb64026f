//! Timed work: what must happen later, kept on disk so a restart does not lose it.
//! A job may name her (the erase note holds her chat id), so each is sealed under
//! a data key of its own, destroyed once the job is done.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sled::transaction::{ConflictableTransactionError, TransactionError};
use sled::Transactional;

use super::{Store, StoreError};
use crate::crypto::keyring::Target;
use crate::crypto::{Binding, Sealed};
use crate::domain::ids::{RecordId, StaffHandle};

/// Something to do at a time.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub enum Job {
    /// Delete these messages of a chat (the note left after Erase).
    DeleteMessages { chat: i64, ids: Vec<i32> },
    /// A danger-now request may still be waiting: alert again (step 1), then
    /// the staff chat (step 2).
    Escalate { request: RecordId, step: u8 },
    /// A claim taken at `at` is nearly due: ask its holder to keep or release it.
    ClaimCheck {
        request: RecordId,
        at: DateTime<Utc>,
    },
    /// A claim taken (or kept) at `at` was not kept: back to the queue.
    ClaimExpire {
        request: RecordId,
        at: DateTime<Utc>,
    },
    /// A staff member's duty started at `since` lapses: tell them.
    DutyLapsed {
        handle: StaffHandle,
        since: DateTime<Utc>,
    },
    /// The shelter's state set at `set_at` is a day old: remind whoever is on duty.
    ShelterStale { set_at: DateTime<Utc> },
    /// A letter in the outbox may be delivered (as a knock) if her window is open.
    Deliver { letter: RecordId },
    /// Her conversation with a specialist, last active at `since`, may have
    /// gone quiet: its messages then leave her chat.
    RelayQuiet { chat: i64, since: DateTime<Utc> },
    /// Her screen may have been left alone long enough to turn into the cover.
    IdleCover { chat: i64 },
}

impl Job {
    /// Her chat, when the job names it.
    fn chat(&self) -> Option<i64> {
        match self {
            Job::DeleteMessages { chat, .. }
            | Job::RelayQuiet { chat, .. }
            | Job::IdleCover { chat } => Some(*chat),
            _ => None,
        }
    }
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Job::DeleteMessages { ids, .. } => write!(f, "DeleteMessages({} ids)", ids.len()),
            Job::Escalate { step, .. } => write!(f, "Escalate(step {step})"),
            Job::ClaimCheck { .. } => f.write_str("ClaimCheck"),
            Job::ClaimExpire { .. } => f.write_str("ClaimExpire"),
            Job::DutyLapsed { handle, .. } => write!(f, "DutyLapsed({handle})"),
            Job::ShelterStale { .. } => f.write_str("ShelterStale"),
            Job::Deliver { .. } => f.write_str("Deliver"),
            Job::RelayQuiet { .. } => f.write_str("RelayQuiet"),
            Job::IdleCover { .. } => f.write_str("IdleCover"),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct DueRecord {
    at: DateTime<Utc>,
    job: Sealed<Job>,
}

/// Which jobs name which chat (in memory; see `Store::chat_jobs`).
#[derive(Default)]
pub(super) struct ChatJobs {
    by_chat: std::collections::HashMap<i64, Vec<RecordId>>,
    chat_of: std::collections::HashMap<RecordId, i64>,
}

impl ChatJobs {
    fn add(&mut self, chat: i64, id: RecordId) {
        self.by_chat.entry(chat).or_default().push(id);
        self.chat_of.insert(id, chat);
    }

    fn remove(&mut self, id: &RecordId) {
        let Some(chat) = self.chat_of.remove(id) else {
            return;
        };
        if let Some(ids) = self.by_chat.get_mut(&chat) {
            ids.retain(|other| other != id);
            if ids.is_empty() {
                self.by_chat.remove(&chat);
            }
        }
    }
}

fn binding(id: &RecordId) -> Binding {
    Binding::new("due", id.as_bytes(), "job")
}

/// The job's key in `due_at`: when, then its id, so keys sort by time.
fn at_key(at: DateTime<Utc>, id: &RecordId) -> [u8; 24] {
    let mut key = [0u8; 24];
    let millis = u64::try_from(at.timestamp_millis()).unwrap_or(0);
    key[..8].copy_from_slice(&millis.to_be_bytes());
    key[8..].copy_from_slice(id.as_bytes());
    key
}

/// A job's time as kept: rounded up to the minute, so the disk holds no
/// moment finer than that (the idle cover is her last tap plus five minutes).
/// Up, never down: a job is never done before its time.
fn to_the_minute(at: DateTime<Utc>) -> DateTime<Utc> {
    let seconds = at.timestamp();
    let past = seconds.rem_euclid(60);
    let exact = past == 0 && at.timestamp_subsec_nanos() == 0;
    let minute = seconds - past + if exact { 0 } else { 60 };
    DateTime::from_timestamp(minute, 0).unwrap_or(at)
}

fn record_at(bytes: &[u8]) -> Option<DateTime<Utc>> {
    serde_json::from_slice::<DueRecord>(bytes)
        .ok()
        .map(|r| r.at)
}

fn unwrap_transaction(error: TransactionError<()>) -> StoreError {
    match error {
        TransactionError::Storage(e) => StoreError::Sled(e),
        TransactionError::Abort(()) => StoreError::Sled(sled::Error::Unsupported(
            "due job transaction aborted".into(),
        )),
    }
}

impl Store {
    /// Keeps `job` for `at` (rounded up to the minute), sealed under a key of
    /// its own.
    pub fn schedule(
        &self,
        at: DateTime<Utc>,
        job: &Job,
        now: DateTime<Utc>,
    ) -> Result<RecordId, StoreError> {
        let _writing = self.writing();
        let at = to_the_minute(at);
        let (id, key) = self.keyring.create_request(now)?;
        let record = DueRecord {
            at,
            job: key.seal(job, &binding(&id)),
        };
        let bytes = serde_json::to_vec(&record).expect("due records serialize");
        let key = at_key(at, &id);
        (&self.due, &self.due_at)
            .transaction(|(due, due_at)| {
                due.insert(id.as_bytes(), bytes.as_slice())?;
                due_at.insert(&key, &[])?;
                Ok::<_, ConflictableTransactionError<()>>(())
            })
            .map_err(unwrap_transaction)?;
        if let Some(chat) = job.chat() {
            self.lock_chat_jobs().add(chat, id);
        }
        Ok(id)
    }

    fn lock_chat_jobs(&self) -> std::sync::MutexGuard<'_, ChatJobs> {
        self.chat_jobs.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Which jobs name which chat, from the jobs themselves (at open: each is
    /// opened once).
    pub(super) fn index_chat_jobs(&self) -> Result<(), StoreError> {
        let mut index = ChatJobs::default();
        for entry in self.due.iter() {
            let (key, value) = entry?;
            let Some(id) = RecordId::from_slice(&key) else {
                continue;
            };
            if let Some(chat) = self.open_job(&id, &value).and_then(|job| job.chat()) {
                index.add(chat, id);
            }
        }
        *self.lock_chat_jobs() = index;
        Ok(())
    }

    fn open_job(&self, id: &RecordId, bytes: &[u8]) -> Option<Job> {
        let record = serde_json::from_slice::<DueRecord>(bytes).ok()?;
        let key = self.keyring.request_key(id)?;
        key.open(&record.job, &binding(id)).ok()
    }

    /// Builds `due_at` from `due` for a database written before it existed (in
    /// one atomic batch, so a crash leaves it empty and it is built again).
    pub(super) fn index_due(&self) -> Result<(), StoreError> {
        let _writing = self.writing();
        if !self.due_at.is_empty() || self.due.is_empty() {
            return Ok(());
        }
        let mut batch = sled::Batch::default();
        for entry in self.due.iter() {
            let (key, value) = entry?;
            if let (Some(id), Some(at)) = (RecordId::from_slice(&key), record_at(&value)) {
                batch.insert(&at_key(at, &id), &[]);
            }
        }
        self.due_at.apply_batch(batch)?;
        Ok(())
    }

    /// Jobs in time order, up to `until` (all of them without): when, and id.
    fn due_in_order(
        &self,
        until: Option<DateTime<Utc>>,
    ) -> impl Iterator<Item = (DateTime<Utc>, RecordId)> + '_ {
        let range = match until {
            Some(until) => self.due_at.range(..=at_key(until, &RecordId::MAX)),
            None => self.due_at.range::<&[u8], _>(..),
        };
        range.filter_map(|entry| {
            let (key, _) = entry.ok()?;
            let millis = u64::from_be_bytes(key.get(..8)?.try_into().ok()?);
            let at = DateTime::from_timestamp_millis(i64::try_from(millis).ok()?)?;
            Some((at, RecordId::from_slice(key.get(8..)?)?))
        })
    }

    /// The earliest time something is due: the job's own time, not the index's
    /// milliseconds, so the scheduler does not wake a moment early and find
    /// nothing due yet.
    pub fn next_due(&self) -> Option<DateTime<Utc>> {
        let (at, id) = self.due_in_order(None).next()?;
        let exact = self.due.get(id.as_bytes()).ok().flatten();
        Some(exact.and_then(|bytes| record_at(&bytes)).unwrap_or(at))
    }

    /// Jobs due by `now`, earliest first. A job whose key is gone is dropped.
    pub fn due_now(&self, now: DateTime<Utc>) -> Result<Vec<(RecordId, Job)>, StoreError> {
        let _writing = self.writing();
        let mut due: Vec<(DateTime<Utc>, RecordId, Job)> = Vec::new();
        let mut unreadable = Vec::new();
        let records: Vec<(RecordId, DueRecord)> = self
            .due_in_order(Some(now))
            .filter_map(|(at, id)| {
                let record = self.due.get(id.as_bytes()).ok().flatten();
                match record.and_then(|bytes| serde_json::from_slice(&bytes).ok()) {
                    Some(record) => Some((id, record)),
                    None => {
                        // An index entry left without its job: it goes.
                        let _ = self.due_at.remove(at_key(at, &id));
                        None
                    }
                }
            })
            .collect();
        // (The index keeps milliseconds; the record, the exact time.)
        for (id, record) in records.into_iter().filter(|(_, r)| r.at <= now) {
            let job = self
                .keyring
                .request_key(&id)
                .and_then(|key| key.open(&record.job, &binding(&id)).ok());
            match job {
                Some(job) => due.push((record.at, id, job)),
                None => unreadable.push(id),
            }
        }
        for id in unreadable {
            self.complete(&id)?;
        }
        due.sort_by_key(|(at, _, _)| *at);
        Ok(due.into_iter().map(|(_, id, job)| (id, job)).collect())
    }

    /// Erase: the jobs that name her chat, taken out and their keys destroyed
    /// (what they were to do is the caller's to do now). Found through the
    /// in-memory index, never by opening every job (the load benchmark saw an
    /// Erase cost as much as every job waiting).
    pub fn take_jobs_of(&self, chat: i64) -> Result<Vec<Job>, StoreError> {
        let _writing = self.writing();
        let ids = self
            .lock_chat_jobs()
            .by_chat
            .get(&chat)
            .cloned()
            .unwrap_or_default();
        let mut hers = Vec::new();
        for id in ids {
            let Some(bytes) = self.due.get(id.as_bytes())? else {
                continue;
            };
            if let Some(job) = self
                .open_job(&id, &bytes)
                .filter(|job| job.chat() == Some(chat))
            {
                hers.push((id, job));
            }
        }
        for (id, _) in &hers {
            self.complete(id)?;
        }
        Ok(hers.into_iter().map(|(_, job)| job).collect())
    }

    /// A job is done: its row goes, and its key with it.
    pub fn complete(&self, id: &RecordId) -> Result<(), StoreError> {
        let _writing = self.writing();
        self.lock_chat_jobs().remove(id);
        (&self.due, &self.due_at)
            .transaction(|(due, due_at)| {
                if let Some(at) = due.remove(id.as_bytes())?.and_then(|v| record_at(&v)) {
                    due_at.remove(&at_key(at, id))?;
                }
                Ok::<_, ConflictableTransactionError<()>>(())
            })
            .map_err(unwrap_transaction)?;
        self.flush_db()?;
        self.destroy_keys(&[Target::Request(*id)])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;
    use crate::store::tests::{all_sled_bytes, open};

    #[test]
    fn jobs_wait_sealed_until_due_survive_reopening_and_leave_no_key() {
        let dir = tempfile::tempdir().unwrap();
        let t0 = Utc.with_ymd_and_hms(2026, 4, 6, 9, 0, 0).unwrap();
        let chat = 5_550_301_777_i64;
        let later = Job::DeleteMessages {
            chat,
            ids: vec![7, 8],
        };
        let sooner = Job::DeleteMessages { chat, ids: vec![9] };
        {
            let store = open(dir.path());
            store
                .schedule(t0 + Duration::minutes(2), &later, t0)
                .unwrap();
            store
                .schedule(t0 + Duration::minutes(1), &sooner, t0)
                .unwrap();
            let all = all_sled_bytes(&store);
            assert!(!all.windows(10).any(|w| w == b"5550301777"));
            assert!(!all
                .windows(8)
                .any(|w| w == chat.to_le_bytes() || w == chat.to_be_bytes()));
        }
        let store = open(dir.path());
        assert_eq!(store.next_due(), Some(t0 + Duration::minutes(1)));
        assert!(store
            .due_now(t0 + Duration::seconds(50))
            .unwrap()
            .is_empty());
        let due = store.due_now(t0 + Duration::minutes(3)).unwrap();
        assert_eq!(
            due.iter().map(|(_, j)| j.clone()).collect::<Vec<_>>(),
            [sooner, later]
        );
        for (id, _) in &due {
            store.complete(id).unwrap();
            assert!(store.keyring.request_key(id).is_none());
        }
        assert_eq!(store.next_due(), None);
        // A job's key is not an orphan while its job waits.
        let t1 = t0 + Duration::hours(1);
        store
            .schedule(
                t1 + Duration::hours(1),
                &Job::DeleteMessages { chat, ids: vec![1] },
                t0,
            )
            .unwrap();
        assert_eq!(
            store
                .sweep_orphans(t1, crate::store::ORPHAN_MIN_AGE)
                .unwrap(),
            0
        );
        assert_eq!(store.due_now(t1 + Duration::hours(1)).unwrap().len(), 1);
    }

    #[test]
    fn jobs_are_found_in_time_order_through_the_index_which_older_databases_get() {
        let dir = tempfile::tempdir().unwrap();
        let t0 = Utc.with_ymd_and_hms(2026, 4, 6, 9, 0, 0).unwrap();
        let job = |n: i64| Job::IdleCover {
            chat: 5_550_302_000 + n,
        };
        {
            let store = open(dir.path());
            for n in [5, 1, 4, 2, 3] {
                store
                    .schedule(t0 + Duration::minutes(n), &job(n), t0)
                    .unwrap();
            }
            assert_eq!(store.due_at.len(), 5);
            // As a database from before the index: the jobs alone.
            store.due_at.clear().unwrap();
            store.db.flush().unwrap();
        }
        let store = open(dir.path());
        assert_eq!(store.next_due(), Some(t0 + Duration::minutes(1)));
        let due = store
            .due_now(t0 + Duration::minutes(3) + Duration::seconds(30))
            .unwrap();
        assert_eq!(
            due.iter().map(|(_, j)| j.clone()).collect::<Vec<_>>(),
            [job(1), job(2), job(3)]
        );
        for (id, _) in &due {
            store.complete(id).unwrap();
        }
        assert_eq!(store.due_at.len(), 2);
        assert_eq!(store.next_due(), Some(t0 + Duration::minutes(4)));
        // Exactly at its time, a job is due; a moment before, not.
        let three = t0 + Duration::minutes(3);
        store.schedule(three, &job(9), t0).unwrap();
        assert_eq!(store.next_due(), Some(three));
        let (first, _) = store.due_now(three).unwrap().remove(0);
        store.complete(&first).unwrap();
        let at_four = t0 + Duration::minutes(4);
        assert!(store
            .due_now(at_four - Duration::milliseconds(1))
            .unwrap()
            .is_empty());
        assert_eq!(store.due_now(at_four).unwrap().len(), 1);
    }

    #[test]
    fn a_jobs_time_on_disk_is_rounded_up_to_the_minute_never_down() {
        let dir = tempfile::tempdir().unwrap();
        let store = open(dir.path());
        let t0 = Utc.with_ymd_and_hms(2026, 4, 6, 9, 0, 0).unwrap();
        let at = t0 + Duration::minutes(5) + Duration::milliseconds(12_345);
        let job = Job::IdleCover {
            chat: 5_550_303_001,
        };
        let id = store.schedule(at, &job, t0).unwrap();
        let minute = t0 + Duration::minutes(6);
        let (index, _) = store.due_in_order(None).next().unwrap();
        assert_eq!(index, minute, "the index's time");
        let record = store.due.get(id.as_bytes()).unwrap().unwrap();
        assert_eq!(record_at(&record), Some(minute), "the record's own time");
        assert_eq!(store.next_due(), Some(minute));
        assert!(
            store.due_now(at).unwrap().is_empty(),
            "not before its minute"
        );
        assert_eq!(store.due_now(minute).unwrap().len(), 1);
        // A time on the minute stays as it is.
        assert_eq!(to_the_minute(minute), minute);
        assert_eq!(to_the_minute(minute - Duration::nanoseconds(1)), minute);
    }

    #[test]
    fn erase_takes_the_jobs_that_name_her_chat_and_destroys_their_keys() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(dir.path());
        let t0 = Utc.with_ymd_and_hms(2026, 4, 6, 9, 0, 0).unwrap();
        let (hers, other) = (5_550_304_001_i64, 5_550_304_002_i64);
        let later = t0 + Duration::hours(24);
        let mut ids = Vec::new();
        for job in [
            Job::DeleteMessages {
                chat: hers,
                ids: vec![41, 42],
            },
            Job::IdleCover { chat: hers },
            Job::RelayQuiet {
                chat: hers,
                since: t0,
            },
            Job::DeleteMessages {
                chat: other,
                ids: vec![7],
            },
            Job::ShelterStale { set_at: t0 },
        ] {
            ids.push(store.schedule(later, &job, t0).unwrap());
        }
        // Found after a restart too: the index is built again at open.
        drop(store);
        store = open(dir.path());
        let taken = store.take_jobs_of(hers).unwrap();
        assert_eq!(taken.len(), 3);
        assert!(taken.contains(&Job::DeleteMessages {
            chat: hers,
            ids: vec![41, 42]
        }));
        for id in &ids[..3] {
            assert!(store.keyring.request_key(id).is_none(), "her job's key");
            assert!(store.due.get(id.as_bytes()).unwrap().is_none());
        }
        let left: Vec<Job> = store
            .due_now(later)
            .unwrap()
            .into_iter()
            .map(|(_, job)| job)
            .collect();
        assert_eq!(left.len(), 2);
        assert!(left.contains(&Job::DeleteMessages {
            chat: other,
            ids: vec![7]
        }));
        assert!(left.contains(&Job::ShelterStale { set_at: t0 }));
        assert_eq!(store.due_at.len(), 2);
    }
}
