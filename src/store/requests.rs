//! The request queue: enqueue, change, claim, release, close, cancel. Every change
//! of a request, its queue entry, her links and the counters is one sled
//! transaction; candidates are found outside it and checked again inside (sled
//! transactions have no range scans and may rerun). A request's sealed details are
//! opened before a transaction that depends on them, and the transaction checks
//! that they did not change meanwhile.

use chrono::{DateTime, Datelike, Duration, DurationRound, Utc};
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};
use sled::Transactional;

use super::{Session, Store, StoreError};
use crate::counter::Counter;
use crate::crypto::keyring::Target;
use crate::crypto::{Binding, Pseudonym};
use crate::domain::dialogue::Dialogue;
use crate::domain::ids::{RecordId, StaffHandle};
use crate::domain::outcome::Outcome;
use crate::domain::request::{
    new_code, Closing, Details, Personal, RequestRecord, RequestView, Resolution, Status,
    Submission, TicketCode, Topic, Urgency, ViewState, CODE_LEN,
};

/// Calls that may fail before a request closes as could-not-reach (if two days
/// have passed since the first).
pub const MAX_TRIES: u8 = 3;

/// The most requests one conversation links to (ended ones go with the purge).
const MAX_LINKS: usize = 16;

/// What pressing *Send* asks of the store.
pub struct Submit<'a> {
    pub who: &'a Pseudonym,
    pub block_tag: &'a crate::crypto::BlockTag,
    /// Her chat, sealed into the request so staff can write back.
    pub chat_id: i64,
    pub submission: &'a Submission,
    /// Her dialogue after *Send*.
    pub dialogue: &'a Dialogue,
    /// It changes her open request instead of sending a new one.
    pub replaces: bool,
    /// How many may wait at most (a danger-now request is always taken).
    pub max_waiting: usize,
    /// Whether she wrote within the center's working hours, when they are set.
    pub in_hours: Option<bool>,
}

/// What came of pressing *Send*.
#[derive(Debug)]
pub enum Submitted {
    Queued(Enqueued),
    /// She is blocked: nothing is kept.
    Blocked,
    /// Too many wait already: nothing is kept.
    QueueFull,
    /// Her request can no longer be sent or changed (already open, or taken).
    NotQueued,
}

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
    pub code: TicketCode,
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

pub(super) fn bump(counters: &TransactionalTree, counter: Counter, by: i64) -> TxResult<()> {
    let key = counter.key();
    let current = counters
        .get(key.as_bytes())?
        .map(|v| u64::from_be_bytes(v.as_ref().try_into().unwrap_or([0; 8])))
        .unwrap_or(0);
    let next = (current as i64 + by).max(0) as u64;
    counters.insert(key.as_bytes(), &next.to_be_bytes())?;
    Ok(())
}

/// Adds `by` to a month's figure (`month`, as `2026-04`).
pub(super) fn bump_stat(
    counters: &TransactionalTree,
    month: &str,
    dimension: &str,
    tag: &str,
    by: i64,
) -> TxResult<()> {
    let stat = Counter::Stat {
        month,
        dimension,
        tag,
    };
    bump(counters, stat, by)
}

/// The waiting counters: by urgency always, by topic when the topic is known (a
/// request whose key is lost has none; the topic counts are then recounted).
pub(super) fn waiting_counters(
    counters: &TransactionalTree,
    urgency: Urgency,
    topic: Option<Topic>,
    by: i64,
) -> TxResult<()> {
    bump(counters, Counter::Waiting(urgency), by)?;
    if let Some(topic) = topic {
        bump(counters, Counter::WaitingTopic(topic), by)?;
    }
    Ok(())
}

/// Counts a request sent, for the month's statistics: its topic, urgency and
/// way to contact her.
pub(super) fn count_sent(
    counters: &TransactionalTree,
    now: DateTime<Utc>,
    details: &Details,
    urgency: Urgency,
) -> TxResult<()> {
    let month = &month(now);
    for (dimension, tag) in [
        ("topic", details.topic.tag()),
        ("urgency", urgency.tag()),
        ("contact", details.contact.tag()),
    ] {
        bump_stat(counters, month, dimension, tag, 1)?;
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
    keys.extend(closing.center.iter().map(|tag| format!("center/{tag}")));
    for key in keys {
        let (dimension, tag) = key.split_once('/').unwrap_or((&key, ""));
        bump_stat(counters, &m, dimension, tag, by)?;
    }
    Ok(())
}

/// Counts the time from her request (`sent`) to the first try to reach her —
/// a call, the first letter, or a talk closed with the form — once per
/// request (a request tried before this figure existed is not counted).
pub(super) fn count_first_try(
    counters: &TransactionalTree,
    record: &mut RequestRecord,
    sent: DateTime<Utc>,
    now: DateTime<Utc>,
) -> TxResult<()> {
    if record.first_try_counted || record.tries > 0 || record.first_try.is_some() {
        return Ok(());
    }
    record.first_try_counted = true;
    bump_stat(
        counters,
        &month(now),
        "first-try",
        wait_bucket(now - sent),
        1,
    )
}

/// When a request was sent: the sealed exact time, or the queued hour.
pub(super) fn sent_at(record: &RequestRecord, details: Option<&Details>) -> DateTime<Utc> {
    details.map_or(record.queued_at, |d| d.created_at)
}

fn note_binding(id: &RecordId) -> Binding {
    Binding::new("request", id.as_bytes(), "note")
}

fn thread_binding(id: &RecordId) -> Binding {
    Binding::new("request", id.as_bytes(), "thread")
}

fn card_note_binding(id: &RecordId) -> Binding {
    Binding::new("request", id.as_bytes(), "card-note")
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
#[derive(Debug, Clone)]
pub struct WaitingEntry {
    pub id: RecordId,
    pub code: TicketCode,
    pub urgency: Urgency,
    pub sent: DateTime<Utc>,
    /// `None` when its details cannot be opened.
    pub topic: Option<Topic>,
    /// Her language, when known.
    pub lang: Option<String>,
    /// Calls that did not reach her so far.
    pub tries: u8,
    /// Brought back by a restore, until a supervisor releases it.
    pub held: bool,
    /// `None` when its details cannot be opened.
    pub safe_time: Option<crate::domain::request::SafeTime>,
    /// Not to be offered yet (someone else answered, or the call dropped).
    pub cooling: bool,
}

/// A request a supervisor gave to a staff member (`/assign`).
pub struct Assigned {
    pub claimed: Claimed,
    /// Its holder before, with the card and her words relayed in their chat.
    pub from: Option<(StaffHandle, Option<i32>, Vec<i32>)>,
}

/// What came of a supervisor's reopen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reopen {
    Reopened {
        id: RecordId,
        code: TicketCode,
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

    /// A transaction's end: flushed when it `wrote`, `aborted` when it stopped
    /// on purpose.
    pub(super) fn settle<T>(
        &self,
        result: Result<T, TransactionError<Abort>>,
        wrote: impl FnOnce(&T) -> bool,
        aborted: T,
    ) -> Result<T, StoreError> {
        let _writing = self.writing();
        match result {
            Ok(outcome) => {
                if wrote(&outcome) {
                    self.flush_db()?;
                }
                Ok(outcome)
            }
            Err(TransactionError::Abort(_)) => Ok(aborted),
            Err(TransactionError::Storage(e)) => Err(e.into()),
        }
    }
}

mod claim;
mod close;
mod counts;
mod held;
mod submit;

#[cfg(test)]
pub(crate) mod tests;
