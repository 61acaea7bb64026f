//! Taking a request: /next and /take, one claim at a time, and what a claim
//! holds (its card, its time).

use super::*;

impl Store {
    /// Claims the most urgent, oldest waiting request for staff member `by`.
    /// Two staff claiming at once never get the same request. Its details are
    /// opened before the claim is committed: a request whose key is gone is
    /// closed as data lost, never left claimed.
    pub fn claim_next(&self, by: &str, now: DateTime<Utc>) -> Result<Option<Claimed>, StoreError> {
        let _writing = self.writing();
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
        let _writing = self.writing();
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
                if self.cooling(&record, now) || record.held {
                    // Someone else answered, or the call dropped: not yet.
                    // Restored from a backup: not before a supervisor says.
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
    pub(in crate::store) fn id_of_code(&self, code: &str) -> Result<Option<RecordId>, StoreError> {
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
        let _writing = self.writing();
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
    pub(super) fn claim_one(
        &self,
        id: &RecordId,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<Claim, StoreError> {
        let _writing = self.writing();
        let Some(seen) = self
            .record(id)?
            .filter(|r| r.status == Status::Waiting && !r.held && !self.cooling(r, now))
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
                    by: by.into(),
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
                self.flush_db()?;
                Ok(Claim::Taken(Box::new(Claimed { record, details })))
            }
            Err(TransactionError::Abort(_)) => Ok(Claim::Raced),
            Err(TransactionError::Storage(e)) => Err(e.into()),
        }
    }

    /// The request with this ticket code, if it lives.
    pub fn record_of_code(&self, code: &str) -> Result<Option<RequestRecord>, StoreError> {
        match self.id_of_code(code)? {
            Some(id) => self.record(&id),
            None => Ok(None),
        }
    }

    /// [`Store::assign`] by ticket code.
    pub fn assign_code(
        &self,
        code: &str,
        to: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Assigned>, StoreError> {
        match self.id_of_code(code)? {
            Some(id) => self.assign(&id, to, by, now),
            None => Ok(None),
        }
    }

    /// A supervisor gives request `id` to `to` (`/assign`): waiting or held by
    /// someone else, it is `to`'s in one transaction, so no `/next` can take
    /// it in between. Not a request a restore holds or one cooling down.
    /// `None` when it is neither waiting nor claimed (or its key is gone).
    pub fn assign(
        &self,
        id: &RecordId,
        to: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Assigned>, StoreError> {
        let _writing = self.writing();
        loop {
            let Some(seen) = self.record(id)?.filter(|r| {
                !r.held
                    && !self.cooling(r, now)
                    && matches!(r.status, Status::Waiting | Status::Claimed { .. })
            }) else {
                return Ok(None);
            };
            let Some(details) = self.open_details(&seen) else {
                self.close_lost(&seen, now)?;
                return Ok(None);
            };
            let key = queue_key(seen.urgency, seen.seq);
            let result = (&self.requests, &self.queue, &self.counters).transaction(
                |(requests, queue, counters)| {
                    let current = read_record(requests, id)?;
                    if !current.as_ref().is_some_and(|c| unchanged(c, &seen)) {
                        return Err(ConflictableTransactionError::Abort(Abort::Moved));
                    }
                    let from = match &seen.status {
                        Status::Claimed { by, card, .. } => Some((by.clone(), *card)),
                        _ => {
                            if queue.remove(&key)?.is_none() {
                                return Err(ConflictableTransactionError::Abort(Abort::Moved));
                            }
                            waiting_counters(counters, seen.urgency, Some(details.topic), -1)?;
                            None
                        }
                    };
                    let mut record = seen.clone();
                    record.status = Status::Claimed {
                        by: to.into(),
                        at: now,
                        card: None,
                    };
                    write_record(requests, &record)?;
                    Ok((record, from))
                },
            );
            match result {
                Ok((record, from)) => {
                    self.flush_db()?;
                    let action = crate::store::AuditAction::Assigned {
                        to: to.into(),
                        from: from.as_ref().map(|(by, _)| by.clone()),
                    };
                    self.audit(now, by, &action, Some(&record.code))?;
                    // Her words relayed into the old holder's chat go with
                    // its card.
                    let from = match from {
                        Some((holder, card)) => {
                            let relayed = self.take_relayed(id)?;
                            Some((holder, card, relayed))
                        }
                        None => None,
                    };
                    return Ok(Some(Assigned {
                        claimed: Claimed { record, details },
                        from,
                    }));
                }
                Err(TransactionError::Abort(_)) => continue,
                Err(TransactionError::Storage(e)) => return Err(e.into()),
            }
        }
    }

    /// Closes an open request whose key is gone, as data lost.
    pub(in crate::store) fn close_lost(
        &self,
        record: &RequestRecord,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let _writing = self.writing();
        let closed = self.change(
            &record.id,
            None,
            Closing::new(Resolution::DataLost, now),
            None,
        )?;
        if closed {
            tracing::error!(event = "request_data_lost", code = %record.code);
            self.audit(
                now,
                "bot",
                &crate::store::AuditAction::ClosedLost,
                Some(&record.code),
            )?;
            self.recount_waiting()?;
        }
        Ok(closed)
    }

    /// Puts a claimed request back in its place in the queue.
    pub fn release(&self, id: &RecordId) -> Result<bool, StoreError> {
        let _writing = self.writing();
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

    /// Remembers where the card of a claimed request is shown, so it can be
    /// deleted when the claim ends; the message that showed it before, if
    /// another.
    pub fn remember_card(&self, id: &RecordId, message: i32) -> Result<Option<i32>, StoreError> {
        let _writing = self.writing();
        let result = self.requests.transaction(|requests| {
            let Some(mut record) = read_record(requests, id)? else {
                return Ok(None);
            };
            let mut before = None;
            if let Status::Claimed { card, .. } = &mut record.status {
                before = card.replace(message).filter(|old| *old != message);
                write_record(requests, &record)?;
            }
            Ok(before)
        });
        match result {
            Ok(before) => Ok(before),
            Err(TransactionError::Abort(_)) => Ok(None),
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
        let _writing = self.writing();
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
}
