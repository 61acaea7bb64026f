//! The request queue: enqueue, claim, release, close, cancel, and the purge that
//! destroys data keys. Every change of a request, its queue entry, her index and
//! the counters is one sled transaction; candidates are found outside it and
//! checked again inside (sled transactions have no range scans and may rerun).

use chrono::{DateTime, Datelike, Duration, Utc};
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};
use sled::Transactional;

use super::{Store, StoreError};
use crate::conversation::{Dialogue, Topic};
use crate::crypto::{Binding, Pseudonym};
use crate::request::{
    new_code, Personal, RequestRecord, RequestView, Resolution, Status, Submission, Urgency,
    ViewState, CODE_LEN,
};

#[derive(Debug, thiserror::Error)]
pub enum EnqueueError {
    #[error("she already has an open request")]
    AlreadyOpen,
    #[error("her request is no longer waiting, so it cannot be changed")]
    NotWaiting,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A request just queued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enqueued {
    pub id: u64,
    pub code: String,
    /// Waiting requests before hers.
    pub ahead: u64,
}

/// A request claimed by a specialist, with its personal part opened.
#[derive(Debug)]
pub struct Claimed {
    pub record: RequestRecord,
    pub personal: Personal,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PurgeReport {
    pub requests: usize,
    pub dialogues: usize,
}

/// Why a transaction stopped on purpose.
#[derive(Debug)]
enum Abort {
    AlreadyOpen,
    CodeTaken,
    Moved,
}

type TxResult<T> = Result<T, ConflictableTransactionError<Abort>>;

fn queue_key(urgency: Urgency, created_at: DateTime<Utc>, id: u64) -> Vec<u8> {
    let mut key = vec![urgency.rank()];
    key.extend_from_slice(&(created_at.timestamp_millis().max(0) as u64).to_be_bytes());
    key.extend_from_slice(&id.to_be_bytes());
    key
}

fn personal_binding(id: u64) -> Binding {
    Binding::new("request", &id.to_be_bytes(), "personal")
}

fn month(at: DateTime<Utc>) -> String {
    format!("{:04}-{:02}", at.year(), at.month())
}

/// Waiting-time buckets for statistics.
fn wait_bucket(waited: Duration) -> &'static str {
    match waited.num_minutes() {
        m if m < 60 => "lt1h",
        m if m < 4 * 60 => "1-4h",
        m if m < 24 * 60 => "4-24h",
        m if m < 72 * 60 => "1-3d",
        _ => "gt3d",
    }
}

fn bump(counters: &TransactionalTree, key: &str, by: i64) -> TxResult<()> {
    let current = counters
        .get(key.as_bytes())?
        .map(|v| u64::from_be_bytes(v.as_ref().try_into().unwrap_or([0; 8])))
        .unwrap_or(0);
    let next = (current as i64 + by).max(0) as u64;
    counters.insert(key.as_bytes(), &next.to_be_bytes())?;
    Ok(())
}

fn waiting_counters(counters: &TransactionalTree, r: &RequestRecord, by: i64) -> TxResult<()> {
    bump(
        counters,
        &format!("waiting/urgency/{}", r.urgency.tag()),
        by,
    )?;
    bump(counters, &format!("waiting/topic/{}", r.topic.tag()), by)
}

fn read_record(tree: &TransactionalTree, id: u64) -> TxResult<Option<RequestRecord>> {
    Ok(tree
        .get(id.to_be_bytes())?
        .and_then(|bytes| serde_json::from_slice(&bytes).ok()))
}

fn write_record(tree: &TransactionalTree, record: &RequestRecord) -> TxResult<()> {
    let bytes = serde_json::to_vec(record).expect("records serialize");
    tree.insert(&record.id.to_be_bytes(), bytes)?;
    Ok(())
}

impl Store {
    fn record(&self, id: u64) -> Result<Option<RequestRecord>, StoreError> {
        Ok(self
            .requests
            .get(id.to_be_bytes())?
            .and_then(|bytes| serde_json::from_slice(&bytes).ok()))
    }

    /// Her latest request, open or recently ended.
    pub fn latest_request(&self, who: &Pseudonym) -> Result<Option<RequestRecord>, StoreError> {
        match self.users.get(who.as_bytes())? {
            Some(id) => self.record(u64::from_be_bytes(
                id.as_ref().try_into().unwrap_or_default(),
            )),
            None => Ok(None),
        }
    }

    /// Queues her request and moves her dialogue on, in one transaction, and
    /// flushes before returning: only then may she be told it was received.
    pub fn enqueue(
        &self,
        who: &Pseudonym,
        chat_id: i64,
        submission: &Submission,
        dialogue_after: &Dialogue,
        now: DateTime<Utc>,
    ) -> Result<Enqueued, EnqueueError> {
        if self
            .latest_request(who)?
            .is_some_and(|r| r.status.is_open())
        {
            return Err(EnqueueError::AlreadyOpen);
        }
        let id = self.db.generate_id().map_err(StoreError::from)?;
        let data_key = self.keyring.create(id).map_err(StoreError::from)?;
        let personal = submission.personal(chat_id);
        let mut record = RequestRecord {
            id,
            code: String::new(),
            who: *who.as_bytes(),
            topic: submission.topic,
            urgency: submission.urgency,
            contact: submission.contact,
            safe_time: submission.safe_time,
            if_other: submission.if_other,
            created_at: now,
            status: Status::Waiting,
            personal: data_key.seal(&personal, &personal_binding(id)),
        };
        let dialogue = self.seal_dialogue(who, dialogue_after)?;
        let mut rng = rand::thread_rng();
        for attempt in 0..64 {
            // Four characters while they are plenty; longer if the space fills up.
            record.code = new_code(&mut rng, CODE_LEN + attempt / 16);
            let result = (
                &self.requests,
                &self.queue,
                &self.codes,
                &self.users,
                &self.counters,
                &self.dialogues,
            )
                .transaction(|(requests, queue, codes, users, counters, dialogues)| {
                    if let Some(latest) = users.get(who.as_bytes())? {
                        let latest =
                            u64::from_be_bytes(latest.as_ref().try_into().unwrap_or_default());
                        if read_record(requests, latest)?.is_some_and(|r| r.status.is_open()) {
                            return Err(ConflictableTransactionError::Abort(Abort::AlreadyOpen));
                        }
                    }
                    if codes.get(record.code.as_bytes())?.is_some() {
                        return Err(ConflictableTransactionError::Abort(Abort::CodeTaken));
                    }
                    write_record(requests, &record)?;
                    queue.insert(queue_key(record.urgency, now, id), &id.to_be_bytes())?;
                    codes.insert(record.code.as_bytes(), &id.to_be_bytes())?;
                    users.insert(who.as_bytes(), &id.to_be_bytes())?;
                    waiting_counters(counters, &record, 1)?;
                    let m = month(now);
                    bump(
                        counters,
                        &format!("stats/{m}/topic/{}", record.topic.tag()),
                        1,
                    )?;
                    bump(
                        counters,
                        &format!("stats/{m}/urgency/{}", record.urgency.tag()),
                        1,
                    )?;
                    bump(
                        counters,
                        &format!("stats/{m}/contact/{}", record.contact.tag()),
                        1,
                    )?;
                    dialogues.insert(who.as_bytes(), dialogue.clone())?;
                    Ok(())
                });
            match result {
                Ok(()) => {
                    self.db.flush().map_err(StoreError::from)?;
                    let ahead = self.ahead_of(record.urgency, now, id)?;
                    return Ok(Enqueued {
                        id,
                        code: record.code,
                        ahead,
                    });
                }
                Err(TransactionError::Abort(Abort::CodeTaken)) => continue,
                Err(TransactionError::Abort(_)) => {
                    let _ = self.keyring.destroy(&[id]);
                    return Err(EnqueueError::AlreadyOpen);
                }
                Err(TransactionError::Storage(e)) => {
                    let _ = self.keyring.destroy(&[id]);
                    return Err(StoreError::from(e).into());
                }
            }
        }
        let _ = self.keyring.destroy(&[id]);
        Err(StoreError::Sled(sled::Error::Unsupported("no free ticket code".into())).into())
    }

    /// Changes her waiting request in place: same code, same time of sending (so
    /// the same place within its urgency), new answers, personal part resealed
    /// under its own data key. One transaction with her dialogue, then a flush.
    pub fn replace(
        &self,
        who: &Pseudonym,
        chat_id: i64,
        submission: &Submission,
        dialogue_after: &Dialogue,
    ) -> Result<Enqueued, EnqueueError> {
        let Some(old) = self
            .latest_request(who)?
            .filter(|r| r.status == Status::Waiting)
        else {
            return Err(EnqueueError::NotWaiting);
        };
        let key = self.keyring.get(old.id).ok_or(EnqueueError::NotWaiting)?;
        let personal = submission.personal(chat_id);
        let mut new = old.clone();
        new.topic = submission.topic;
        new.urgency = submission.urgency;
        new.contact = submission.contact;
        new.safe_time = submission.safe_time;
        new.if_other = submission.if_other;
        new.personal = key.seal(&personal, &personal_binding(old.id));
        let dialogue = self.seal_dialogue(who, dialogue_after)?;
        let result = (&self.requests, &self.queue, &self.counters, &self.dialogues).transaction(
            |(requests, queue, counters, dialogues)| {
                match read_record(requests, old.id)? {
                    Some(current) if current.status == Status::Waiting => {}
                    _ => return Err(ConflictableTransactionError::Abort(Abort::Moved)),
                }
                queue.remove(queue_key(old.urgency, old.created_at, old.id))?;
                queue.insert(
                    queue_key(new.urgency, new.created_at, new.id),
                    &new.id.to_be_bytes(),
                )?;
                waiting_counters(counters, &old, -1)?;
                waiting_counters(counters, &new, 1)?;
                write_record(requests, &new)?;
                dialogues.insert(who.as_bytes(), dialogue.clone())?;
                Ok(())
            },
        );
        match result {
            Ok(()) => {
                self.db.flush().map_err(StoreError::from)?;
                Ok(Enqueued {
                    id: new.id,
                    ahead: self.ahead_of(new.urgency, new.created_at, new.id)?,
                    code: new.code,
                })
            }
            Err(TransactionError::Abort(_)) => Err(EnqueueError::NotWaiting),
            Err(TransactionError::Storage(e)) => Err(StoreError::from(e).into()),
        }
    }

    fn ahead_of(
        &self,
        urgency: Urgency,
        created_at: DateTime<Utc>,
        id: u64,
    ) -> Result<u64, StoreError> {
        let mut ahead = 0;
        for entry in self.queue.range(..queue_key(urgency, created_at, id)) {
            entry?;
            ahead += 1;
        }
        Ok(ahead)
    }

    /// What "My request" shows: her latest request, its place, the phone masked.
    pub fn view_request(&self, who: &Pseudonym) -> Result<Option<RequestView>, StoreError> {
        let Some(record) = self.latest_request(who)? else {
            return Ok(None);
        };
        let state = match record.status {
            Status::Waiting => ViewState::Waiting {
                ahead: self.ahead_of(record.urgency, record.created_at, record.id)?,
            },
            Status::Claimed { .. } => ViewState::Claimed,
            Status::Closed {
                resolution: Resolution::Cancelled,
                ..
            } => ViewState::Cancelled,
            Status::Closed { .. } => ViewState::Closed,
        };
        let phone_masked = self
            .open_personal(&record)
            .and_then(|p| p.phone.map(|phone| phone.masked()));
        Ok(Some(RequestView {
            code: record.code,
            state,
            topic: record.topic,
            urgency: record.urgency,
            contact: record.contact,
            safe_time: record.safe_time,
            phone_masked,
        }))
    }

    /// Opens a request's personal part; fails for good once its key is destroyed.
    pub fn personal(&self, id: u64) -> Result<Personal, StoreError> {
        let unreadable =
            || StoreError::Sled(sled::Error::Unsupported("personal data is gone".into()));
        let record = self.record(id)?;
        let key = self.keyring.get(id).ok_or_else(unreadable)?;
        let record = record.ok_or_else(unreadable)?;
        key.open(&record.personal, &personal_binding(id))
            .map_err(|_| unreadable())
    }

    /// Opens the personal part of a record kept elsewhere (tests of erasure).
    pub fn open_personal(&self, record: &RequestRecord) -> Option<Personal> {
        let key = self.keyring.get(record.id)?;
        key.open(&record.personal, &personal_binding(record.id))
            .ok()
    }

    /// Claims the most urgent, oldest waiting request for staff member `by`.
    /// Two staff claiming at once never get the same request.
    pub fn claim_next(
        &self,
        by: &Pseudonym,
        now: DateTime<Utc>,
    ) -> Result<Option<Claimed>, StoreError> {
        loop {
            let Some(entry) = self.queue.iter().next() else {
                return Ok(None);
            };
            let (key, id) = entry?;
            let id = u64::from_be_bytes(id.as_ref().try_into().unwrap_or_default());
            let result = (&self.requests, &self.queue, &self.counters).transaction(
                |(requests, queue, counters)| {
                    if queue.get(&key)?.is_none() {
                        return Err(ConflictableTransactionError::Abort(Abort::Moved));
                    }
                    let Some(mut record) = read_record(requests, id)? else {
                        queue.remove(&key)?;
                        return Ok(None);
                    };
                    if record.status != Status::Waiting {
                        queue.remove(&key)?;
                        return Ok(None);
                    }
                    record.status = Status::Claimed {
                        by: *by.as_bytes(),
                        at: now,
                    };
                    queue.remove(&key)?;
                    write_record(requests, &record)?;
                    waiting_counters(counters, &record, -1)?;
                    Ok(Some(record))
                },
            );
            match result {
                Ok(Some(record)) => {
                    self.db.flush()?;
                    let personal = self.open_personal(&record).ok_or_else(|| {
                        StoreError::Sled(sled::Error::Unsupported("personal data is gone".into()))
                    })?;
                    return Ok(Some(Claimed { record, personal }));
                }
                // A stale entry was cleaned up, or another claim got there first.
                Ok(None) | Err(TransactionError::Abort(_)) => continue,
                Err(TransactionError::Storage(e)) => return Err(e.into()),
            }
        }
    }

    /// Puts a claimed request back in its place in the queue.
    pub fn release(&self, id: u64) -> Result<bool, StoreError> {
        self.change(id, |record, queue, counters| {
            if !matches!(record.status, Status::Claimed { .. }) {
                return Ok(false);
            }
            record.status = Status::Waiting;
            queue.insert(
                queue_key(record.urgency, record.created_at, record.id),
                &record.id.to_be_bytes(),
            )?;
            waiting_counters(counters, record, 1)?;
            Ok(true)
        })
    }

    /// Ends a request with `resolution`; counts it for the month's statistics.
    pub fn close(
        &self,
        id: u64,
        resolution: Resolution,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.change(id, |record, queue, counters| {
            if !record.status.is_open() {
                return Ok(false);
            }
            if record.status == Status::Waiting {
                queue.remove(queue_key(record.urgency, record.created_at, record.id))?;
                waiting_counters(counters, record, -1)?;
            }
            record.status = Status::Closed {
                resolution,
                at: now,
            };
            let m = month(now);
            bump(
                counters,
                &format!("stats/{m}/outcome/{}", resolution.tag()),
                1,
            )?;
            bump(
                counters,
                &format!("stats/{m}/wait/{}", wait_bucket(now - record.created_at)),
                1,
            )?;
            Ok(true)
        })
    }

    /// She cancels her open request.
    pub fn cancel_request(&self, who: &Pseudonym, now: DateTime<Utc>) -> Result<bool, StoreError> {
        match self.latest_request(who)? {
            Some(record) if record.status.is_open() => {
                self.close(record.id, Resolution::Cancelled, now)
            }
            _ => Ok(false),
        }
    }

    /// One read-modify-write of a request with its queue entry and counters.
    fn change(
        &self,
        id: u64,
        apply: impl Fn(&mut RequestRecord, &TransactionalTree, &TransactionalTree) -> TxResult<bool>,
    ) -> Result<bool, StoreError> {
        let result = (&self.requests, &self.queue, &self.counters).transaction(
            |(requests, queue, counters)| {
                let Some(mut record) = read_record(requests, id)? else {
                    return Ok(false);
                };
                let changed = apply(&mut record, queue, counters)?;
                if changed {
                    write_record(requests, &record)?;
                }
                Ok(changed)
            },
        );
        match result {
            Ok(changed) => {
                self.db.flush()?;
                Ok(changed)
            }
            Err(TransactionError::Abort(_)) => Ok(false),
            Err(TransactionError::Storage(e)) => Err(e.into()),
        }
    }

    /// Destroys the data key of a request now and removes its record: what
    /// erasing "everything" means. Statistics keep only their counters.
    pub fn forget_request(&self, id: u64) -> Result<(), StoreError> {
        self.keyring.destroy(&[id])?;
        if let Some(record) = self.record(id)? {
            if record.status == Status::Waiting {
                self.queue
                    .remove(queue_key(record.urgency, record.created_at, id))?;
            }
            self.codes.remove(record.code.as_bytes())?;
            if self
                .users
                .get(record.who)?
                .is_some_and(|v| v.as_ref() == id.to_be_bytes())
            {
                self.users.remove(record.who)?;
            }
            self.requests.remove(id.to_be_bytes())?;
        }
        self.db.flush()?;
        Ok(())
    }

    /// Retention: ended requests lose their data key and record after `grace`;
    /// dialogues idle for `idle` are removed; keys without a request are destroyed.
    pub fn purge(
        &self,
        now: DateTime<Utc>,
        grace: Duration,
        idle: Duration,
    ) -> Result<PurgeReport, StoreError> {
        let mut report = PurgeReport::default();
        let mut expired = Vec::new();
        for entry in self.requests.iter() {
            let (_, bytes) = entry?;
            let Ok(record) = serde_json::from_slice::<RequestRecord>(&bytes) else {
                continue;
            };
            if let Status::Closed { at, .. } = record.status {
                if now - at >= grace {
                    expired.push(record.id);
                }
            }
        }
        for id in &expired {
            self.forget_request(*id)?;
            report.requests += 1;
        }
        for entry in self.dialogues.iter() {
            let (key, _) = entry?;
            let Ok(bytes) = <[u8; 32]>::try_from(key.as_ref()) else {
                continue;
            };
            let who = Pseudonym::from_bytes(bytes);
            let stale = match self.load_dialogue(&who, now)? {
                Some(dialogue) => now - dialogue.updated_at >= idle,
                None => true,
            };
            if stale {
                self.remove_dialogue(&who)?;
                report.dialogues += 1;
            }
        }
        self.db.flush()?;
        Ok(report)
    }

    /// Destroys data keys that belong to no request (left by a crash between
    /// creating a key and queueing). Only safe while nothing is being queued: at start.
    pub fn destroy_orphan_keys(&self) -> Result<usize, StoreError> {
        let orphans: Vec<u64> = self
            .keyring
            .ids()
            .into_iter()
            .filter(|id| !self.requests.contains_key(id.to_be_bytes()).unwrap_or(true))
            .collect();
        Ok(self.keyring.destroy(&orphans)?)
    }

    /// An aggregate counter (`waiting/urgency/danger`, `stats/2026-04/topic/legal`, …).
    pub fn counter(&self, key: &str) -> Result<u64, StoreError> {
        Ok(self
            .counters
            .get(key.as_bytes())?
            .map(|v| u64::from_be_bytes(v.as_ref().try_into().unwrap_or([0; 8])))
            .unwrap_or(0))
    }

    /// How many requests wait for each topic.
    pub fn waiting_by_topic(&self) -> Result<Vec<(Topic, u64)>, StoreError> {
        Topic::REQUESTABLE
            .into_iter()
            .map(|t| Ok((t, self.counter(&format!("waiting/topic/{}", t.tag()))?)))
            .collect()
    }
}

#[cfg(test)]
mod tests;
