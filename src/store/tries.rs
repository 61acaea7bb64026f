//! Calls that did not reach her: each try is sealed with its request (what
//! happened, when, who called), and after *someone else answered* or *call
//! dropped* the request cools down — it waits, but is not offered until then.

use chrono::{DateTime, Duration, Utc};
use sled::Transactional;

use super::requests::{
    bump_stat, count_close, count_first_try, month, queue_key, read_record, sent_at, to_hour,
    unchanged, waiting_counters, write_record, MAX_TRIES,
};
use super::{Store, StoreError};
use crate::crypto::{Binding, Sealed};
use crate::domain::ids::RecordId;
use crate::domain::request::{
    Attempt, Attempts, Closing, RequestRecord, Resolution, Status, TicketCode, TryResult,
};

fn attempts_binding(id: &RecordId) -> Binding {
    Binding::new("request", id.as_bytes(), "attempts")
}

/// What a recorded try came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TryRecorded {
    /// Tries so far.
    pub tries: u8,
    /// The third try, at least two days after the first: closed as could not reach.
    pub gave_up: bool,
}

impl Store {
    /// The tries of a request so far (none when its key is gone).
    pub fn open_attempts(&self, record: &RequestRecord) -> Attempts {
        let Some(sealed) = &record.attempts else {
            return Attempts::default();
        };
        self.keyring
            .request_key(&record.id)
            .and_then(|key| key.open(sealed, &attempts_binding(&record.id)).ok())
            .unwrap_or_default()
    }

    /// Whether a waiting request must not be offered yet (someone else
    /// answered, or the call dropped, a short while ago).
    pub fn cooling(&self, record: &RequestRecord, now: DateTime<Utc>) -> bool {
        record.attempts.is_some() && self.open_attempts(record).cooling(now)
    }

    /// The tries of the waiting request with ticket code `code`, when it is
    /// cooling down (so `/take` can say why it is not taken).
    pub fn cooling_by_code(
        &self,
        code: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Attempts>, StoreError> {
        let Some(id) = self.id_of_code(code)? else {
            return Ok(None);
        };
        Ok(self
            .record(&id)?
            .filter(|r| r.status == Status::Waiting)
            .map(|r| self.open_attempts(&r))
            .filter(|a| a.cooling(now)))
    }

    /// A call by `by` did not reach her: the try is counted and kept sealed,
    /// and the request goes back to its place — not offered before
    /// `not_before`, when that is set — or, the third try at least two days
    /// after the first, closes as could-not-reach. `None` when `by` does not
    /// hold it.
    pub fn record_try(
        &self,
        id: &RecordId,
        by: &str,
        result: TryResult,
        not_before: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<Option<TryRecorded>, StoreError> {
        let _writing = self.writing();
        let Some(seen) = self.record(id)? else {
            return Ok(None);
        };
        if !matches!(&seen.status, Status::Claimed { by: holder, .. } if holder == by) {
            return Ok(None);
        }
        let Some(key) = self.keyring.request_key(id) else {
            return Ok(None);
        };
        let details = self.open_details(&seen);
        let mut attempts = self.open_attempts(&seen);
        attempts.tries.push(Attempt {
            result,
            at: now,
            by: by.into(),
        });
        attempts.not_before = not_before;
        let sealed_attempts = key.seal(&attempts, &attempts_binding(id));
        let sealed_closing = Some(key.seal(
            &Closing::new(Resolution::Unreachable, now),
            &super::requests::closing_binding(id),
        ));
        let result = (&self.requests, &self.queue, &self.counters).transaction(
            |(requests, queue, counters)| {
                let Some(mut record) = read_record(requests, id)? else {
                    return Ok(None);
                };
                if !unchanged(&record, &seen) {
                    return Ok(None);
                }
                let sent = sent_at(&record, details.as_ref());
                count_first_try(counters, &mut record, sent, now)?;
                record.tries = record.tries.saturating_add(1);
                record.attempts = Some(sealed_attempts.clone());
                let first = *record.first_try.get_or_insert(now);
                bump_stat(counters, &month(now), "try", result.tag(), 1)?;
                let gave_up = record.tries >= MAX_TRIES && now - first >= Duration::days(2);
                if gave_up {
                    let closing = Closing::new(Resolution::Unreachable, now);
                    count_close(counters, sent_at(&record, details.as_ref()), &closing, 1)?;
                    record.closing = sealed_closing.clone();
                    record.status = Status::Closed {
                        resolution: Resolution::Unreachable,
                        at: to_hour(now),
                    };
                } else {
                    record.status = Status::Waiting;
                    queue.insert(&queue_key(record.urgency, record.seq), id.as_bytes())?;
                    waiting_counters(
                        counters,
                        record.urgency,
                        details.as_ref().map(|d| d.topic),
                        1,
                    )?;
                }
                write_record(requests, &record)?;
                Ok(Some(TryRecorded {
                    tries: record.tries,
                    gave_up,
                }))
            },
        );
        self.settle(result, Option::is_some, None)
    }

    /// A supervisor lets a cooling request be offered again now. Its code, or
    /// `None` when it no longer waits or was not cooling.
    pub fn offer_again(
        &self,
        id: &RecordId,
        now: DateTime<Utc>,
    ) -> Result<Option<TicketCode>, StoreError> {
        let _writing = self.writing();
        let Some(seen) = self.record(id)?.filter(|r| r.status == Status::Waiting) else {
            return Ok(None);
        };
        let mut attempts = self.open_attempts(&seen);
        let Some(key) = self
            .keyring
            .request_key(id)
            .filter(|_| attempts.cooling(now))
        else {
            return Ok(None);
        };
        attempts.not_before = None;
        let sealed: Sealed<Attempts> = key.seal(&attempts, &attempts_binding(id));
        let result = self.requests.transaction(|requests| {
            let Some(mut record) = read_record(requests, id)? else {
                return Ok(None);
            };
            let same = |a: &Option<Sealed<Attempts>>| a.clone().map(Sealed::into_bytes);
            if !unchanged(&record, &seen) || same(&record.attempts) != same(&seen.attempts) {
                return Ok(None);
            }
            record.attempts = Some(sealed.clone());
            write_record(requests, &record)?;
            Ok(Some(record.code))
        });
        self.settle(result, Option::is_some, None)
    }
}
