//! The request queue: enqueue, change, claim, release, close, cancel. Every change
//! of a request, its queue entry, her links and the counters is one sled
//! transaction; candidates are found outside it and checked again inside (sled
//! transactions have no range scans and may rerun). A request's sealed details are
//! opened before a transaction that depends on them, and the transaction checks
//! that they did not change meanwhile.

use chrono::{DateTime, Datelike, Duration, DurationRound, Utc};
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};
use sled::Transactional;

use super::{Links, Store, StoreError};
use crate::conversation::Dialogue;
use crate::crypto::{Binding, Pseudonym};
use crate::keyring::{RecordId, Target};
use crate::outcome::Outcome;
use crate::request::{
    new_code, Closing, Details, Personal, RequestRecord, RequestView, Resolution, Status,
    Submission, Topic, Urgency, ViewState, CODE_LEN,
};

/// Calls that may fail before a request closes as could-not-reach (if two days
/// have passed since the first).
pub const MAX_TRIES: u8 = 3;

/// The most requests one conversation links to (ended ones go with the purge).
const MAX_LINKS: usize = 16;

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
    pub id: RecordId,
    pub code: String,
    /// Waiting requests before hers.
    pub ahead: u64,
}

/// A request claimed by a specialist, with its details opened.
#[derive(Debug)]
pub struct Claimed {
    pub record: RequestRecord,
    pub details: Details,
}

/// How a claim attempt ended.
enum Claim {
    Taken(Box<Claimed>),
    /// Not waiting (claimed, closed, gone, or its data lost).
    Gone,
    /// Changed while being claimed: look again.
    Raced,
}

/// Why a transaction stopped on purpose.
#[derive(Debug)]
pub(super) enum Abort {
    AlreadyOpen,
    CodeTaken,
    Moved,
}

pub(super) type TxResult<T> = Result<T, ConflictableTransactionError<Abort>>;

pub(super) fn queue_key(urgency: Urgency, seq: u64) -> [u8; 9] {
    let mut key = [0u8; 9];
    key[0] = urgency.rank();
    key[1..].copy_from_slice(&seq.to_be_bytes());
    key
}

fn details_binding(id: &RecordId) -> Binding {
    Binding::new("request", id.as_bytes(), "details")
}

pub(super) fn month(at: DateTime<Utc>) -> String {
    format!("{:04}-{:02}", at.year(), at.month())
}

pub(super) fn to_hour(at: DateTime<Utc>) -> DateTime<Utc> {
    at.duration_trunc(Duration::hours(1)).unwrap_or(at)
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

pub(super) fn bump(counters: &TransactionalTree, key: &str, by: i64) -> TxResult<()> {
    let current = counters
        .get(key.as_bytes())?
        .map(|v| u64::from_be_bytes(v.as_ref().try_into().unwrap_or([0; 8])))
        .unwrap_or(0);
    let next = (current as i64 + by).max(0) as u64;
    counters.insert(key.as_bytes(), &next.to_be_bytes())?;
    Ok(())
}

/// The waiting counters: by urgency always, by topic when the topic is known (a
/// request whose key is lost has none; the topic counts are then recounted).
pub(super) fn waiting_counters(
    counters: &TransactionalTree,
    urgency: Urgency,
    topic: Option<Topic>,
    by: i64,
) -> TxResult<()> {
    bump(counters, &format!("waiting/urgency/{}", urgency.tag()), by)?;
    if let Some(topic) = topic {
        bump(counters, &format!("waiting/topic/{}", topic.tag()), by)?;
    }
    Ok(())
}

/// Counts an ending for the month's statistics (`by` 1), or takes it back out
/// (`by` -1, a supervisor's reopen).
pub(super) fn count_close(
    counters: &TransactionalTree,
    sent: DateTime<Utc>,
    closing: &Closing,
    by: i64,
) -> TxResult<()> {
    let m = month(closing.at);
    let mut keys = vec![
        format!("outcome/{}", closing.resolution.tag()),
        format!("wait/{}", wait_bucket(closing.at - sent)),
    ];
    keys.extend(closing.outcome.map(Outcome::counters).unwrap_or_default());
    for key in keys {
        bump(counters, &format!("stats/{m}/{key}"), by)?;
    }
    Ok(())
}

/// When a request was sent: the sealed exact time, or the queued hour.
pub(super) fn sent_at(record: &RequestRecord, details: Option<&Details>) -> DateTime<Utc> {
    details.map_or(record.queued_at, |d| d.created_at)
}

fn note_binding(id: &RecordId) -> Binding {
    Binding::new("request", id.as_bytes(), "note")
}

pub(super) fn closing_binding(id: &RecordId) -> Binding {
    Binding::new("request", id.as_bytes(), "closing")
}

/// How far past the first request that may be taken `/next` looks for one it
/// prefers (her language): each look opens a sealed record, and a long queue
/// must not make every `/next` open all of it.
pub const PREFERENCE_LOOKAHEAD: usize = 32;

/// How `/next` chooses among waiting requests: which may be taken now (her
/// contact window is open), and which suit this staff member better (her
/// language). Both look at the opened details; nothing is copied into clear.
pub struct Choice<'a> {
    pub open_now: &'a dyn Fn(&RequestRecord, &Details) -> bool,
    pub preferred: &'a dyn Fn(&Details) -> bool,
}

impl Choice<'_> {
    /// Every request, in queue order (the first is as good as any).
    pub fn any() -> Choice<'static> {
        Choice {
            open_now: &|_, _| true,
            preferred: &|_| true,
        }
    }
}

/// A waiting request as /queue counts it.
#[derive(Debug, Clone, Copy)]
pub struct WaitingEntry {
    pub urgency: Urgency,
    pub sent: DateTime<Utc>,
    /// `None` when its details cannot be opened.
    pub safe_time: Option<crate::request::SafeTime>,
    /// Not to be offered yet (someone else answered, or the call dropped).
    pub cooling: bool,
}

/// What came of a supervisor's reopen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reopen {
    Reopened {
        id: RecordId,
        code: String,
    },
    /// No request with that code was closed by staff within the grace period.
    Refused,
}

pub(super) fn read_record(
    tree: &TransactionalTree,
    id: &RecordId,
) -> TxResult<Option<RequestRecord>> {
    Ok(tree
        .get(id.as_bytes())?
        .and_then(|bytes| serde_json::from_slice(&bytes).ok()))
}

pub(super) fn write_record(tree: &TransactionalTree, record: &RequestRecord) -> TxResult<()> {
    let bytes = serde_json::to_vec(record).expect("records serialize");
    tree.insert(record.id.as_bytes().as_slice(), bytes)?;
    Ok(())
}

/// The same record as when its details were opened: same status, same sealed bytes.
pub(super) fn unchanged(current: &RequestRecord, seen: &RequestRecord) -> bool {
    current.status == seen.status
        && current.urgency == seen.urgency
        && current.details.clone().into_bytes() == seen.details.clone().into_bytes()
}

impl Store {
    /// A request by id (the desk, and tests that check what is stored).
    pub fn record(&self, id: &RecordId) -> Result<Option<RequestRecord>, StoreError> {
        Ok(self
            .requests
            .get(id.as_bytes())?
            .and_then(|bytes| serde_json::from_slice(&bytes).ok()))
    }

    /// Opens a request's details; `None` once its key is destroyed or lost.
    pub fn open_details(&self, record: &RequestRecord) -> Option<Details> {
        let key = self.keyring.request_key(&record.id)?;
        key.open(&record.details, &details_binding(&record.id)).ok()
    }

    /// Opens the personal part of a record (also one kept elsewhere: tests of
    /// erasure try copies).
    pub fn open_personal(&self, record: &RequestRecord) -> Option<Personal> {
        self.open_details(record).map(|d| d.personal)
    }

    /// The request she sees: her newest open one, else her newest.
    fn visible(&self, links: &Links) -> Result<Option<RequestRecord>, StoreError> {
        let mut newest = None;
        for id in links.requests.iter().rev() {
            let Some(record) = self.record(id)? else {
                continue;
            };
            if record.status.is_open() {
                return Ok(Some(record));
            }
            newest.get_or_insert(record);
        }
        Ok(newest)
    }

    /// Her request as "My request" would show it (tests and the desk).
    pub fn latest_request(&self, who: &Pseudonym) -> Result<Option<RequestRecord>, StoreError> {
        match self.load(who, Utc::now())? {
            Some(conversation) => self.visible(&conversation.links),
            None => Ok(None),
        }
    }

    /// Queues her request and moves her dialogue on (with the new link), in one
    /// transaction, and flushes before returning: only then may she be told it
    /// was received. Her request's key is on disk before the transaction.
    pub fn enqueue(
        &self,
        who: &Pseudonym,
        chat_id: i64,
        submission: &Submission,
        dialogue_after: &Dialogue,
        links: &mut Links,
        now: DateTime<Utc>,
    ) -> Result<Enqueued, EnqueueError> {
        if self.visible(links)?.is_some_and(|r| r.status.is_open()) {
            return Err(EnqueueError::AlreadyOpen);
        }
        let person = self
            .keyring
            .person_or_create(who, now)
            .map_err(StoreError::from)?;
        let (id, data_key) = self.keyring.create_request(now).map_err(StoreError::from)?;
        let details = submission.details(chat_id, &dialogue_after.lang, now);
        let mut record = RequestRecord {
            id,
            code: String::new(),
            urgency: submission.urgency,
            seq: self.db.generate_id().map_err(StoreError::from)?,
            queued_at: to_hour(now),
            status: Status::Waiting,
            tries: 0,
            first_try: None,
            attempts: None,
            note: None,
            closing: None,
            held_words: Vec::new(),
            relayed: Vec::new(),
            details: data_key.seal(&details, &details_binding(&id)),
        };
        let mut linked = links.clone();
        linked.requests.push(id);
        let excess = linked.requests.len().saturating_sub(MAX_LINKS);
        linked.requests.drain(..excess);
        let dialogue = self
            .seal_conversation(&person, dialogue_after, &linked)
            .into_bytes();
        let mut rng = rand::thread_rng();
        let mut outcome = Err(EnqueueError::Store(StoreError::Sled(
            sled::Error::Unsupported("no free ticket code".into()),
        )));
        for attempt in 0..64 {
            // Four characters while they are plenty; longer if the space fills up.
            record.code = new_code(&mut rng, CODE_LEN + attempt / 16);
            let result = (
                &self.requests,
                &self.queue,
                &self.codes,
                &self.counters,
                &self.dialogues,
            )
                .transaction(|(requests, queue, codes, counters, dialogues)| {
                    for linked in &links.requests {
                        if read_record(requests, linked)?.is_some_and(|r| r.status.is_open()) {
                            return Err(ConflictableTransactionError::Abort(Abort::AlreadyOpen));
                        }
                    }
                    if codes.get(record.code.as_bytes())?.is_some() {
                        return Err(ConflictableTransactionError::Abort(Abort::CodeTaken));
                    }
                    write_record(requests, &record)?;
                    queue.insert(&queue_key(record.urgency, record.seq), id.as_bytes())?;
                    codes.insert(record.code.as_bytes(), id.as_bytes())?;
                    waiting_counters(counters, record.urgency, Some(details.topic), 1)?;
                    let m = month(now);
                    for (dimension, tag) in [
                        ("topic", details.topic.tag()),
                        ("urgency", record.urgency.tag()),
                        ("contact", details.contact.tag()),
                    ] {
                        bump(counters, &format!("stats/{m}/{dimension}/{tag}"), 1)?;
                    }
                    dialogues.insert(person.dialogue.as_bytes(), dialogue.clone())?;
                    Ok(())
                });
            outcome = match result {
                Ok(()) => Ok(()),
                Err(TransactionError::Abort(Abort::CodeTaken)) => continue,
                Err(TransactionError::Abort(_)) => Err(EnqueueError::AlreadyOpen),
                Err(TransactionError::Storage(e)) => Err(StoreError::from(e).into()),
            };
            break;
        }
        if let Err(e) = outcome {
            // Nothing refers to the key: destroy it now (else the orphan sweep will).
            let _ = self.destroy_keys(&[Target::Request(id)]);
            return Err(e);
        }
        self.db.flush().map_err(StoreError::from)?;
        *links = linked;
        Ok(Enqueued {
            id,
            ahead: self.ahead_of_newest(record.urgency)?,
            code: record.code,
        })
    }

    /// Changes her waiting request in place: same code, same sequence (so the
    /// same place within its urgency), same time of sending, new answers resealed
    /// under its own data key. One transaction with her dialogue, then a flush.
    pub fn replace(
        &self,
        who: &Pseudonym,
        chat_id: i64,
        submission: &Submission,
        dialogue_after: &Dialogue,
        links: &Links,
        now: DateTime<Utc>,
    ) -> Result<Enqueued, EnqueueError> {
        let Some(old) = self.visible(links)?.filter(|r| r.status == Status::Waiting) else {
            return Err(EnqueueError::NotWaiting);
        };
        let key = self
            .keyring
            .request_key(&old.id)
            .ok_or(EnqueueError::NotWaiting)?;
        let old_details = self.open_details(&old).ok_or(EnqueueError::NotWaiting)?;
        let person = self
            .keyring
            .person_or_create(who, now)
            .map_err(StoreError::from)?;
        let details = submission.details(chat_id, &dialogue_after.lang, old_details.created_at);
        let mut new = old.clone();
        new.urgency = submission.urgency;
        new.details = key.seal(&details, &details_binding(&old.id));
        let dialogue = self
            .seal_conversation(&person, dialogue_after, links)
            .into_bytes();
        let result = (&self.requests, &self.queue, &self.counters, &self.dialogues).transaction(
            |(requests, queue, counters, dialogues)| {
                match read_record(requests, &old.id)? {
                    Some(current) if unchanged(&current, &old) => {}
                    _ => return Err(ConflictableTransactionError::Abort(Abort::Moved)),
                }
                queue.remove(&queue_key(old.urgency, old.seq))?;
                queue.insert(&queue_key(new.urgency, new.seq), new.id.as_bytes())?;
                waiting_counters(counters, old.urgency, Some(old_details.topic), -1)?;
                waiting_counters(counters, new.urgency, Some(details.topic), 1)?;
                write_record(requests, &new)?;
                dialogues.insert(person.dialogue.as_bytes(), dialogue.clone())?;
                Ok(())
            },
        );
        match result {
            Ok(()) => {
                self.db.flush().map_err(StoreError::from)?;
                Ok(Enqueued {
                    id: new.id,
                    // (Her place is kept: not the newest of its tier.)
                    ahead: self.ahead_of(new.urgency, new.seq)?,
                    code: new.code,
                })
            }
            Err(TransactionError::Abort(_)) => Err(EnqueueError::NotWaiting),
            Err(TransactionError::Storage(e)) => Err(StoreError::from(e).into()),
        }
    }

    /// How many wait ahead of the request at (`urgency`, `seq`): all the more
    /// urgent ones (their counters), and those of its own tier sent before it
    /// (counted in the queue).
    fn ahead_of(&self, urgency: Urgency, seq: u64) -> Result<u64, StoreError> {
        let mut ahead = self.waiting_before(urgency)?;
        for entry in self
            .queue
            .range(queue_key(urgency, 0)..queue_key(urgency, seq))
        {
            entry?;
            ahead += 1;
        }
        Ok(ahead)
    }

    /// Waiting requests more urgent than `urgency`.
    fn waiting_before(&self, urgency: Urgency) -> Result<u64, StoreError> {
        Urgency::ALL
            .into_iter()
            .filter(|u| u.rank() < urgency.rank())
            .map(|u| self.counter(&format!("waiting/urgency/{}", u.tag())))
            .sum()
    }

    /// How many wait ahead of a request just queued (the newest of its tier),
    /// from the counters alone: counting the queue would read all of it.
    fn ahead_of_newest(&self, urgency: Urgency) -> Result<u64, StoreError> {
        let same = self.counter(&format!("waiting/urgency/{}", urgency.tag()))?;
        Ok(self.waiting_before(urgency)? + same.saturating_sub(1))
    }

    /// What "My request" shows: the request she sees, its place, the phone masked.
    pub fn view_request(&self, links: &Links) -> Result<Option<RequestView>, StoreError> {
        let Some(record) = self.visible(links)? else {
            return Ok(None);
        };
        let Some(details) = self.open_details(&record) else {
            tracing::warn!(event = "request_unreadable");
            return Ok(None);
        };
        let state = match record.status {
            Status::Waiting => ViewState::Waiting {
                ahead: self.ahead_of(record.urgency, record.seq)?,
            },
            Status::Claimed { .. } => ViewState::Claimed,
            Status::Closed {
                resolution: Resolution::Cancelled,
                ..
            } => ViewState::Cancelled,
            Status::Closed {
                resolution: Resolution::Unreachable,
                ..
            } => ViewState::Unreachable,
            Status::Closed { .. } => ViewState::Closed,
        };
        Ok(Some(RequestView {
            code: record.code,
            state,
            topic: details.topic,
            urgency: record.urgency,
            contact: details.contact,
            safe_time: details.safe_time,
            phone_masked: details.personal.phone.map(|phone| phone.masked()),
        }))
    }

    /// She typed a code on "My request": a request she kept through Erase with
    /// that code becomes visible again (its id). At most `max_tries` attempts a
    /// day; a wrong code and no kept request are answered alike. `links` is
    /// changed in place; the caller saves it with her dialogue.
    pub fn reveal(
        &self,
        links: &mut Links,
        typed: &str,
        max_tries: u8,
        now: DateTime<Utc>,
    ) -> Result<Option<RecordId>, StoreError> {
        if links.kept.is_empty() {
            return Ok(None);
        }
        let today = now.timestamp().div_euclid(86_400);
        if links.tries.0 != today {
            links.tries = (today, 0);
        }
        if links.tries.1 >= max_tries {
            return Ok(None);
        }
        links.tries.1 += 1;
        let typed = typed.trim().to_uppercase();
        for (index, id) in links.kept.iter().enumerate() {
            if self.record(id)?.is_some_and(|r| r.code == typed) {
                let id = links.kept.remove(index);
                links.requests.push(id);
                return Ok(Some(id));
            }
        }
        Ok(None)
    }

    /// Claims the most urgent, oldest waiting request for staff member `by`.
    /// Two staff claiming at once never get the same request. Its details are
    /// opened before the claim is committed: a request whose key is gone is
    /// closed as data lost, never left claimed.
    pub fn claim_next(&self, by: &str, now: DateTime<Utc>) -> Result<Option<Claimed>, StoreError> {
        self.claim_next_for(by, now, &Choice::any())
    }

    /// Claims for `by` the most urgent, oldest waiting request that `choice`
    /// says may be taken now; within that urgency, one `choice` prefers comes
    /// first. Requests whose key is gone are closed as data lost on the way.
    pub fn claim_next_for(
        &self,
        by: &str,
        now: DateTime<Utc>,
        choice: &Choice,
    ) -> Result<Option<Claimed>, StoreError> {
        loop {
            let mut first: Option<(Urgency, RecordId)> = None;
            let mut preferred = None;
            let mut looked_past_first = 0;
            for entry in self.queue.iter() {
                if first.is_some() {
                    if looked_past_first >= PREFERENCE_LOOKAHEAD {
                        break;
                    }
                    looked_past_first += 1;
                }
                let (key, id) = entry?;
                let Some(id) = RecordId::from_slice(&id) else {
                    self.queue.remove(&key)?;
                    continue;
                };
                let Some(record) = self.record(&id)?.filter(|r| r.status == Status::Waiting) else {
                    // A stale entry (its request no longer waits) goes.
                    self.queue.remove(&key)?;
                    continue;
                };
                if first.is_some_and(|(urgency, _)| urgency != record.urgency) {
                    break;
                }
                if self.cooling(&record, now) {
                    // Someone else answered, or the call dropped: not yet.
                    continue;
                }
                let Some(details) = self.open_details(&record) else {
                    self.close_lost(&record, now)?;
                    continue;
                };
                if !(choice.open_now)(&record, &details) {
                    continue;
                }
                first.get_or_insert((record.urgency, id));
                if (choice.preferred)(&details) {
                    preferred = Some(id);
                    break;
                }
            }
            let Some(id) = preferred.or(first.map(|(_, id)| id)) else {
                return Ok(None);
            };
            match self.claim_one(&id, by, now)? {
                Claim::Taken(claimed) => return Ok(Some(*claimed)),
                // Another claim, or her change, got there first: look again.
                Claim::Gone | Claim::Raced => {}
            }
        }
    }

    /// The request with ticket code `code`, as typed (any case, spaces around).
    pub(super) fn id_of_code(&self, code: &str) -> Result<Option<RecordId>, StoreError> {
        Ok(self
            .codes
            .get(code.trim().to_uppercase().as_bytes())?
            .and_then(|id| RecordId::from_slice(&id)))
    }

    /// Claims the waiting request with ticket code `code` (`/take K7QX`), unless
    /// it is cooling down.
    pub fn claim_code(
        &self,
        code: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Claimed>, StoreError> {
        let Some(id) = self.id_of_code(code)? else {
            return Ok(None);
        };
        loop {
            match self.claim_one(&id, by, now)? {
                Claim::Taken(claimed) => return Ok(Some(*claimed)),
                Claim::Gone => return Ok(None),
                Claim::Raced => continue,
            }
        }
    }

    /// One claim attempt: opens the details first (a request whose key is gone is
    /// closed as data lost, never left claimed), then claims in one transaction
    /// that checks nothing changed since.
    fn claim_one(&self, id: &RecordId, by: &str, now: DateTime<Utc>) -> Result<Claim, StoreError> {
        let Some(seen) = self
            .record(id)?
            .filter(|r| r.status == Status::Waiting && !self.cooling(r, now))
        else {
            return Ok(Claim::Gone);
        };
        let key = queue_key(seen.urgency, seen.seq);
        let Some(details) = self.open_details(&seen) else {
            self.close_lost(&seen, now)?;
            return Ok(Claim::Gone);
        };
        let result = (&self.requests, &self.queue, &self.counters).transaction(
            |(requests, queue, counters)| {
                let current = read_record(requests, id)?;
                if queue.get(key)?.is_none()
                    || !current.as_ref().is_some_and(|c| unchanged(c, &seen))
                {
                    return Err(ConflictableTransactionError::Abort(Abort::Moved));
                }
                let mut record = seen.clone();
                record.status = Status::Claimed {
                    by: by.to_string(),
                    at: now,
                    card: None,
                };
                queue.remove(&key)?;
                write_record(requests, &record)?;
                waiting_counters(counters, record.urgency, Some(details.topic), -1)?;
                Ok(record)
            },
        );
        match result {
            Ok(record) => {
                self.db.flush()?;
                Ok(Claim::Taken(Box::new(Claimed { record, details })))
            }
            Err(TransactionError::Abort(_)) => Ok(Claim::Raced),
            Err(TransactionError::Storage(e)) => Err(e.into()),
        }
    }

    /// Closes an open request whose key is gone, as data lost.
    pub(super) fn close_lost(
        &self,
        record: &RequestRecord,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let closed = self.change(
            &record.id,
            None,
            Closing::new(Resolution::DataLost, now),
            None,
        )?;
        if closed {
            tracing::error!(event = "request_data_lost", code = %record.code);
            self.audit(now, "bot", "closed:lost", Some(&record.code))?;
            self.recount_waiting()?;
        }
        Ok(closed)
    }

    /// Puts a claimed request back in its place in the queue.
    pub fn release(&self, id: &RecordId) -> Result<bool, StoreError> {
        let Some(seen) = self.record(id)? else {
            return Ok(false);
        };
        let topic = self.open_details(&seen).map(|d| d.topic);
        let result = (&self.requests, &self.queue, &self.counters).transaction(
            |(requests, queue, counters)| {
                let Some(mut record) = read_record(requests, id)? else {
                    return Ok(false);
                };
                if !matches!(record.status, Status::Claimed { .. }) || !unchanged(&record, &seen) {
                    return Ok(false);
                }
                record.status = Status::Waiting;
                queue.insert(&queue_key(record.urgency, record.seq), id.as_bytes())?;
                waiting_counters(counters, record.urgency, topic, 1)?;
                write_record(requests, &record)?;
                Ok(true)
            },
        );
        self.finish(result)
    }

    /// Ends a request with `resolution`; counts it for the month's statistics.
    pub fn close(
        &self,
        id: &RecordId,
        resolution: Resolution,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let Some(seen) = self.record(id)? else {
            return Ok(false);
        };
        let details = self.open_details(&seen);
        self.change(id, details.as_ref(), Closing::new(resolution, now), None)
    }

    /// A staff member ends a request she or he holds: closes it with
    /// `resolution`, or with `None` puts it back in its place. False when the
    /// request is not (or no longer) claimed by `by`.
    pub fn finish_claim(
        &self,
        id: &RecordId,
        by: &str,
        resolution: Option<Resolution>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let Some(seen) = self.record(id)? else {
            return Ok(false);
        };
        if !matches!(&seen.status, Status::Claimed { by: holder, .. } if holder == by) {
            return Ok(false);
        }
        match resolution {
            None => self.release(id),
            Some(resolution) => {
                let details = self.open_details(&seen);
                let closing = Closing::new(resolution, now);
                self.change(id, details.as_ref(), closing, Some(&seen))
            }
        }
    }

    /// A staff member closes a request she or he holds with the outcome form:
    /// counted (help, referrals, …) for the month, the form kept sealed with
    /// the request until the purge so a reopen can take it back out. False
    /// when `by` does not hold it.
    pub fn close_claim(
        &self,
        id: &RecordId,
        by: &str,
        outcome: Outcome,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let Some(seen) = self.record(id)? else {
            return Ok(false);
        };
        if !matches!(&seen.status, Status::Claimed { by: holder, .. } if holder == by) {
            return Ok(false);
        }
        let resolution = if outcome.declined() {
            Resolution::Declined
        } else {
            Resolution::Helped
        };
        let closing = Closing {
            at: now,
            resolution,
            outcome: Some(outcome.saved()),
        };
        let details = self.open_details(&seen);
        self.change(id, details.as_ref(), closing, Some(&seen))
    }

    /// A close, sealed under the request's key (none once the key is gone).
    fn seal_closing(
        &self,
        id: &RecordId,
        closing: &Closing,
    ) -> Option<crate::crypto::Sealed<Closing>> {
        let key = self.keyring.request_key(id)?;
        Some(key.seal(closing, &closing_binding(id)))
    }

    /// Keeps `note` with open request `id` (sealed under its key), replacing an
    /// earlier one. Its code, or `None` when it is no longer open.
    pub fn set_note(&self, id: &RecordId, note: &str) -> Result<Option<String>, StoreError> {
        let Some(key) = self.keyring.request_key(id) else {
            return Ok(None);
        };
        let sealed = key.seal(&note.to_string(), &note_binding(id));
        let result = self.requests.transaction(|requests| {
            let Some(mut record) = read_record(requests, id)? else {
                return Ok(None);
            };
            if !record.status.is_open() {
                return Ok(None);
            }
            record.note = Some(sealed.clone());
            write_record(requests, &record)?;
            Ok(Some(record.code))
        });
        self.settle(result, Option::is_some, None)
    }

    /// Keeps what she wrote while nobody holds request `id`, sealed under its
    /// key. False when it is not open (or its key is gone).
    pub fn hold_words(&self, id: &RecordId, words: &str) -> Result<bool, StoreError> {
        let Some(key) = self.keyring.request_key(id) else {
            return Ok(false);
        };
        let index = self.record(id)?.map_or(0, |r| r.held_words.len());
        let sealed = key.seal(
            &words.to_string(),
            &Binding::new("request", id.as_bytes(), &format!("held/{index}")),
        );
        let result = self.requests.transaction(|requests| {
            let Some(mut record) = read_record(requests, id)? else {
                return Ok(false);
            };
            if !record.status.is_open() || record.held_words.len() != index {
                return Ok(false);
            }
            record.held_words.push(sealed.clone());
            write_record(requests, &record)?;
            Ok(true)
        });
        self.finish(result)
    }

    /// What she wrote while nobody held request `id`, opened, and forgotten.
    pub fn take_held_words(&self, id: &RecordId) -> Result<Vec<String>, StoreError> {
        let Some(key) = self.keyring.request_key(id) else {
            return Ok(Vec::new());
        };
        let result = self.requests.transaction(|requests| {
            let Some(mut record) = read_record(requests, id)? else {
                return Ok(Vec::new());
            };
            let held = std::mem::take(&mut record.held_words);
            if !held.is_empty() {
                write_record(requests, &record)?;
            }
            Ok(held)
        });
        let held = self.settle(result, |held| !held.is_empty(), Vec::new())?;
        Ok(held
            .iter()
            .enumerate()
            .filter_map(|(index, sealed)| {
                let binding = Binding::new("request", id.as_bytes(), &format!("held/{index}"));
                key.open(sealed, &binding).ok()
            })
            .collect())
    }

    /// Her words relayed to the holder of request `id` are in the holder's chat
    /// as `message`.
    pub fn remember_relayed(&self, id: &RecordId, message: i32) -> Result<(), StoreError> {
        let result = self.requests.transaction(|requests| {
            let Some(mut record) = read_record(requests, id)? else {
                return Ok(false);
            };
            record.relayed.push(message);
            write_record(requests, &record)?;
            Ok(true)
        });
        self.finish(result).map(|_| ())
    }

    /// The relayed messages of request `id`, forgotten: to delete as its claim ends.
    pub fn take_relayed(&self, id: &RecordId) -> Result<Vec<i32>, StoreError> {
        let result = self.requests.transaction(|requests| {
            let Some(mut record) = read_record(requests, id)? else {
                return Ok(Vec::new());
            };
            let relayed = std::mem::take(&mut record.relayed);
            if !relayed.is_empty() {
                write_record(requests, &record)?;
            }
            Ok(relayed)
        });
        self.settle(result, |r| !r.is_empty(), Vec::new())
    }

    /// The handover note of a request, opened.
    pub fn open_note(&self, record: &RequestRecord) -> Option<String> {
        let key = self.keyring.request_key(&record.id)?;
        key.open(record.note.as_ref()?, &note_binding(&record.id))
            .ok()
    }

    /// A supervisor reopens request `code`, closed by staff (helped, declined,
    /// could not reach) less than `grace` ago: back in its place in the queue,
    /// its tries forgotten, and its close taken back out of the month's
    /// counters. One transaction, flushed.
    pub fn reopen(
        &self,
        code: &str,
        now: DateTime<Utc>,
        grace: Duration,
    ) -> Result<Reopen, StoreError> {
        let Some(id) = self.id_of_code(code)? else {
            return Ok(Reopen::Refused);
        };
        let Some(seen) = self.record(&id)? else {
            return Ok(Reopen::Refused);
        };
        let reopenable = matches!(
            seen.status,
            Status::Closed { resolution: Resolution::Helped | Resolution::Declined | Resolution::Unreachable, at }
                if now - at <= grace
        );
        let Some(details) = self.open_details(&seen).filter(|_| reopenable) else {
            return Ok(Reopen::Refused);
        };
        let closing: Option<Closing> = seen.closing.as_ref().and_then(|sealed| {
            let key = self.keyring.request_key(&id)?;
            key.open(sealed, &closing_binding(&id)).ok()
        });
        let result = (&self.requests, &self.queue, &self.counters).transaction(
            |(requests, queue, counters)| {
                let Some(mut record) = read_record(requests, &id)? else {
                    return Ok(None);
                };
                if !unchanged(&record, &seen) {
                    return Ok(None);
                }
                if let Some(closing) = &closing {
                    count_close(counters, details.created_at, closing, -1)?;
                }
                record.status = Status::Waiting;
                record.closing = None;
                record.tries = 0;
                record.first_try = None;
                queue.insert(&queue_key(record.urgency, record.seq), id.as_bytes())?;
                waiting_counters(counters, record.urgency, Some(details.topic), 1)?;
                write_record(requests, &record)?;
                Ok(Some(record.code))
            },
        );
        Ok(match self.settle(result, Option::is_some, None)? {
            Some(code) => Reopen::Reopened { id, code },
            None => Reopen::Refused,
        })
    }

    /// Remembers where the card of a claimed request is shown, so it can be
    /// deleted when she withdraws the request.
    pub fn remember_card(&self, id: &RecordId, message: i32) -> Result<(), StoreError> {
        let result = self.requests.transaction(|requests| {
            let Some(mut record) = read_record(requests, id)? else {
                return Ok(());
            };
            if let Status::Claimed { card, .. } = &mut record.status {
                *card = Some(message);
                write_record(requests, &record)?;
            }
            Ok(())
        });
        match result {
            Ok(()) => Ok(()),
            Err(TransactionError::Abort(_)) => Ok(()),
            Err(TransactionError::Storage(e)) => Err(e.into()),
        }
    }

    /// `by` keeps a claim: its time becomes `now`, so checks of the old claim
    /// time do nothing. False when `by` does not hold it.
    pub fn keep_claim(
        &self,
        id: &RecordId,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let result = self.requests.transaction(|requests| {
            let Some(mut record) = read_record(requests, id)? else {
                return Ok(false);
            };
            match &mut record.status {
                Status::Claimed { by: holder, at, .. } if holder == by => *at = now,
                _ => return Ok(false),
            }
            write_record(requests, &record)?;
            Ok(true)
        });
        self.finish(result)
    }

    /// The requests `by` holds, oldest claim first.
    pub fn claims_of(&self, by: &str) -> Result<Vec<RequestRecord>, StoreError> {
        let mut held = Vec::new();
        for entry in self.requests.iter() {
            let (_, bytes) = entry?;
            let Ok(record) = serde_json::from_slice::<RequestRecord>(&bytes) else {
                continue;
            };
            if let Status::Claimed { by: holder, at, .. } = &record.status {
                if holder == by {
                    held.push((*at, record));
                }
            }
        }
        held.sort_by_key(|(at, _)| *at);
        Ok(held.into_iter().map(|(_, r)| r).collect())
    }

    /// Closes `id` if it is open: out of the queue, counted.
    fn change(
        &self,
        id: &RecordId,
        details: Option<&Details>,
        closing: Closing,
        unless_changed_since: Option<&RequestRecord>,
    ) -> Result<bool, StoreError> {
        let sealed = self.seal_closing(id, &closing);
        let result = (&self.requests, &self.queue, &self.counters).transaction(
            |(requests, queue, counters)| {
                let Some(mut record) = read_record(requests, id)? else {
                    return Ok(false);
                };
                if !record.status.is_open()
                    || unless_changed_since.is_some_and(|seen| !unchanged(&record, seen))
                {
                    return Ok(false);
                }
                if record.status == Status::Waiting {
                    queue.remove(&queue_key(record.urgency, record.seq))?;
                    waiting_counters(counters, record.urgency, details.map(|d| d.topic), -1)?;
                }
                count_close(counters, sent_at(&record, details), &closing, 1)?;
                record.status = Status::Closed {
                    resolution: closing.resolution,
                    at: to_hour(closing.at),
                };
                record.closing = sealed.clone();
                write_record(requests, &record)?;
                Ok(true)
            },
        );
        self.finish(result)
    }

    fn finish(&self, result: Result<bool, TransactionError<Abort>>) -> Result<bool, StoreError> {
        self.settle(result, |changed| *changed, false)
    }

    /// A transaction's end: flushed when it `wrote`, `aborted` when it stopped
    /// on purpose.
    pub(super) fn settle<T>(
        &self,
        result: Result<T, TransactionError<Abort>>,
        wrote: impl FnOnce(&T) -> bool,
        aborted: T,
    ) -> Result<T, StoreError> {
        match result {
            Ok(outcome) => {
                if wrote(&outcome) {
                    self.db.flush()?;
                }
                Ok(outcome)
            }
            Err(TransactionError::Abort(_)) => Ok(aborted),
            Err(TransactionError::Storage(e)) => Err(e.into()),
        }
    }

    /// She cancels the open request she sees; returns it as it was (claimed by
    /// whom, its card), when one was cancelled.
    pub fn cancel_request(
        &self,
        links: &Links,
        now: DateTime<Utc>,
    ) -> Result<Option<RequestRecord>, StoreError> {
        match self.visible(links)? {
            Some(record) if record.status.is_open() => Ok(self
                .close(&record.id, Resolution::Cancelled, now)?
                .then_some(record)),
            _ => Ok(None),
        }
    }

    /// Sets every waiting counter from the queue itself (after a request whose
    /// topic could not be read left it).
    pub(super) fn recount_waiting(&self) -> Result<(), StoreError> {
        let mut counts: Vec<(String, u64)> = Urgency::ALL
            .iter()
            .map(|u| (format!("waiting/urgency/{}", u.tag()), 0))
            .chain(
                Topic::REQUESTABLE
                    .iter()
                    .map(|t| (format!("waiting/topic/{}", t.tag()), 0)),
            )
            .collect();
        let mut add = |key: String| {
            if let Some(count) = counts.iter_mut().find(|(k, _)| *k == key) {
                count.1 += 1;
            }
        };
        for entry in self.queue.iter() {
            let (_, id) = entry?;
            let Some(record) = RecordId::from_slice(&id)
                .map(|id| self.record(&id))
                .transpose()?
                .flatten()
            else {
                continue;
            };
            add(format!("waiting/urgency/{}", record.urgency.tag()));
            if let Some(details) = self.open_details(&record) {
                add(format!("waiting/topic/{}", details.topic.tag()));
            }
        }
        for (key, count) in counts {
            self.counters.insert(key.as_bytes(), &count.to_be_bytes())?;
        }
        Ok(())
    }

    /// An aggregate counter (`waiting/urgency/danger`, `stats/2026-04/topic/legal`, …).
    pub fn counter(&self, key: &str) -> Result<u64, StoreError> {
        Ok(self
            .counters
            .get(key.as_bytes())?
            .map(|v| u64::from_be_bytes(v.as_ref().try_into().unwrap_or([0; 8])))
            .unwrap_or(0))
    }

    /// Every counter whose key starts with `prefix`.
    pub fn counters_with_prefix(
        &self,
        prefix: &str,
    ) -> Result<std::collections::BTreeMap<String, u64>, StoreError> {
        let mut all = std::collections::BTreeMap::new();
        for entry in self.counters.scan_prefix(prefix.as_bytes()) {
            let (key, value) = entry?;
            let value = u64::from_be_bytes(value.as_ref().try_into().unwrap_or([0; 8]));
            all.insert(String::from_utf8_lossy(&key).into_owned(), value);
        }
        Ok(all)
    }

    /// Adds one to the month's statistic `dimension/tag`.
    pub fn count_stat(
        &self,
        at: DateTime<Utc>,
        dimension: &str,
        tag: &str,
    ) -> Result<(), StoreError> {
        let key = format!("stats/{}/{dimension}/{tag}", month(at));
        self.counters.update_and_fetch(key.as_bytes(), |old| {
            let n = old
                .and_then(|v| v.try_into().ok())
                .map_or(0, u64::from_be_bytes);
            Some((n + 1).to_be_bytes().to_vec())
        })?;
        Ok(())
    }

    /// How many requests wait for each topic.
    pub fn waiting_by_topic(&self) -> Result<Vec<(Topic, u64)>, StoreError> {
        Topic::REQUESTABLE
            .into_iter()
            .map(|t| Ok((t, self.counter(&format!("waiting/topic/{}", t.tag()))?)))
            .collect()
    }

    /// The waiting requests' times of sending, oldest first, with their urgency
    /// (the sealed exact time, opened; the queued hour when it cannot be).
    pub fn waiting_since(&self, now: DateTime<Utc>) -> Result<Vec<WaitingEntry>, StoreError> {
        let mut all = Vec::new();
        for entry in self.queue.iter() {
            let (_, id) = entry?;
            let Some(record) = RecordId::from_slice(&id)
                .map(|id| self.record(&id))
                .transpose()?
                .flatten()
            else {
                continue;
            };
            let details = self.open_details(&record);
            all.push(WaitingEntry {
                urgency: record.urgency,
                sent: sent_at(&record, details.as_ref()),
                safe_time: details.map(|d| d.safe_time),
                cooling: self.cooling(&record, now),
            });
        }
        all.sort_by_key(|w| w.sent);
        Ok(all)
    }

    /// Whether another open request has this number. Found by opening the sealed
    /// parts of the open requests now: numbers are never kept in clear, nor as
    /// hashes that could be tested.
    pub fn number_also_in_another_open_request(
        &self,
        id: &RecordId,
        phone: &crate::phone::Phone,
    ) -> Result<bool, StoreError> {
        for entry in self.requests.iter() {
            let (_, bytes) = entry?;
            let Ok(record) = serde_json::from_slice::<RequestRecord>(&bytes) else {
                continue;
            };
            if record.id == *id || !record.status.is_open() {
                continue;
            }
            let same = self
                .open_details(&record)
                .and_then(|d| d.personal.phone)
                .is_some_and(|other| other == *phone);
            if same {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// How many requests wait, counting the queue itself.
    /// How many requests wait: the waiting counters, kept in the same
    /// transactions as the queue (counting the queue itself reads all of it).
    pub fn queue_len(&self) -> usize {
        Urgency::ALL
            .into_iter()
            .map(|u| {
                self.counter(&format!("waiting/urgency/{}", u.tag()))
                    .unwrap_or_default()
            })
            .sum::<u64>() as usize
    }
}

#[cfg(test)]
pub(crate) mod tests;
