//! Ending a request: closed with or without the outcome form, counted, and
//! reopened by a supervisor.

use super::*;

impl Store {
    /// Ends a request with `resolution`; counts it for the month's statistics.
    pub fn close(
        &self,
        id: &RecordId,
        resolution: Resolution,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let _writing = self.writing();
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
        let _writing = self.writing();
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
        center: Vec<String>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let _writing = self.writing();
        let Some(seen) = self.record(id)? else {
            return Ok(false);
        };
        if !matches!(&seen.status, Status::Claimed { by: holder, .. } if holder == by) {
            return Ok(false);
        }
        let closing = Closing {
            at: now,
            resolution: outcome.talk().resolution(),
            outcome: Some(outcome.saved()),
            center,
        };
        let details = self.open_details(&seen);
        self.change(id, details.as_ref(), closing, Some(&seen))
    }

    /// A close, sealed under the request's key (none once the key is gone).
    pub(in crate::store) fn seal_closing(
        &self,
        id: &RecordId,
        closing: &Closing,
    ) -> Option<crate::crypto::Sealed<Closing>> {
        let key = self.keyring.request_key(id)?;
        Some(key.seal(closing, &closing_binding(id)))
    }

    /// A supervisor reopens request `code`, closed by staff (with the outcome form or
    /// could not reach) less than `grace` ago: back in its place in the queue,
    /// its tries forgotten, and its close taken back out of the month's
    /// counters. One transaction, flushed.
    pub fn reopen(
        &self,
        code: &str,
        now: DateTime<Utc>,
        grace: Duration,
    ) -> Result<Reopen, StoreError> {
        let _writing = self.writing();
        let Some(id) = self.id_of_code(code)? else {
            return Ok(Reopen::Refused);
        };
        let Some(seen) = self.record(&id)? else {
            return Ok(Reopen::Refused);
        };
        let reopenable = matches!(
            seen.status,
            Status::Closed { resolution, at }
                if (resolution.talked_with_form() || resolution == Resolution::Unreachable)
                    && now - at <= grace
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

    /// Closes `id` if it is open: out of the queue, counted.
    pub(in crate::store) fn change(
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
                let sent = sent_at(&record, details);
                if closing.outcome.is_some() {
                    // Closed with the form: she was reached.
                    count_first_try(counters, &mut record, sent, closing.at)?;
                }
                count_close(counters, sent, &closing, 1)?;
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

    pub(in crate::store) fn finish(
        &self,
        result: Result<bool, TransactionError<Abort>>,
    ) -> Result<bool, StoreError> {
        self.settle(result, |changed| *changed, false)
    }
}
