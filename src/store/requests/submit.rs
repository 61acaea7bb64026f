//! Her side of the queue: a request sent, changed, seen on *My request*,
//! brought back with its code, cancelled.

use super::*;

impl Store {
    /// The request she sees: her newest open one, else her newest.
    pub(in crate::store) fn visible(
        &self,
        links: &Session,
    ) -> Result<Option<RequestRecord>, StoreError> {
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

    /// She pressed *Send*: her request queued, or her open one changed —
    /// unless she is blocked, or too many wait already (never for danger
    /// now), when nothing is kept and she is back at the menu; or unless it
    /// can no longer be sent or changed. Her dialogue is stored in every case,
    /// and a new request counts for the reports' working hours.
    pub fn submit(
        &self,
        submit: &Submit,
        links: &mut Session,
        now: DateTime<Utc>,
    ) -> Result<Submitted, StoreError> {
        let _writing = self.writing();
        let Submit {
            who,
            chat_id,
            submission,
            dialogue,
            ..
        } = *submit;
        let back_at_menu = |links: &Session| {
            let mut back = dialogue.clone();
            back.back_at_menu();
            self.save(who, &back, links, now)
        };
        if self.is_blocked(submit.block_tag, now)? {
            back_at_menu(links)?;
            return Ok(Submitted::Blocked);
        }
        let new = !submit.replaces;
        let full = self.queue_len() >= submit.max_waiting;
        if new && submission.urgency != Urgency::DangerNow && full {
            back_at_menu(links)?;
            return Ok(Submitted::QueueFull);
        }
        let result = match new {
            true => self.enqueue(who, chat_id, submission, dialogue, links, now),
            false => self.replace(who, chat_id, submission, dialogue, links, now),
        };
        match result {
            Ok(queued) => {
                if let (true, Some(inside)) = (new, submit.in_hours) {
                    let tag = if inside { "inside" } else { "outside" };
                    self.count_stat(now, "hours", tag)?;
                }
                Ok(Submitted::Queued(queued))
            }
            Err(EnqueueError::AlreadyOpen | EnqueueError::NotWaiting) => {
                // Nothing sent: her dialogue moves on to her request.
                self.save(who, dialogue, links, now)?;
                Ok(Submitted::NotQueued)
            }
            Err(EnqueueError::Store(e)) => Err(e),
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
        links: &mut Session,
        now: DateTime<Utc>,
    ) -> Result<Enqueued, EnqueueError> {
        let _writing = self.writing();
        if self.visible(links)?.is_some_and(|r| r.status.is_open()) {
            return Err(EnqueueError::AlreadyOpen);
        }
        let person = self
            .keyring
            .person_or_create(who, now)
            .map_err(StoreError::from)?;
        let (id, data_key) = self.keyring.create_request(now).map_err(StoreError::from)?;
        let details = submission.details(chat_id, &dialogue_after.lang, now);
        let seq = self.db.generate_id().map_err(StoreError::from)?;
        let sealed = data_key.seal(&details, &details_binding(&id));
        let mut record = RequestRecord::waiting(id, submission.urgency, seq, to_hour(now), sealed);
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
                    count_sent(counters, now, &details, record.urgency)?;
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
        self.flush_db()?;
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
        links: &Session,
        now: DateTime<Utc>,
    ) -> Result<Enqueued, EnqueueError> {
        let _writing = self.writing();
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
                self.flush_db()?;
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
    pub(in crate::store) fn ahead_of(&self, urgency: Urgency, seq: u64) -> Result<u64, StoreError> {
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
    pub(in crate::store) fn waiting_before(&self, urgency: Urgency) -> Result<u64, StoreError> {
        Urgency::ALL
            .into_iter()
            .filter(|u| u.rank() < urgency.rank())
            .map(|u| self.counter(Counter::Waiting(u)))
            .sum()
    }

    /// How many wait ahead of a request just queued (the newest of its tier),
    /// from the counters alone: counting the queue would read all of it.
    pub(in crate::store) fn ahead_of_newest(&self, urgency: Urgency) -> Result<u64, StoreError> {
        let same = self.counter(Counter::Waiting(urgency))?;
        Ok(self.waiting_before(urgency)? + same.saturating_sub(1))
    }

    /// What "My request" shows: the request she sees, its place, the phone masked.
    pub fn view_request(&self, links: &Session) -> Result<Option<RequestView>, StoreError> {
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
            if_other: details.if_other,
            code_word: details.personal.code_word,
            description: details.personal.description,
        }))
    }

    /// She typed a code on "My request": a request she kept through Erase with
    /// that code becomes visible again (its id). At most `max_tries` attempts a
    /// day; a wrong code and no kept request are answered alike. `links` is
    /// changed in place; the caller saves it with her dialogue.
    pub fn reveal(
        &self,
        links: &mut Session,
        typed: &str,
        max_tries: u8,
        now: DateTime<Utc>,
    ) -> Result<Option<RecordId>, StoreError> {
        let _writing = self.writing();
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
            if self.record(id)?.is_some_and(|r| r.code == typed.as_str()) {
                let id = links.kept.remove(index);
                links.requests.push(id);
                return Ok(Some(id));
            }
        }
        Ok(None)
    }

    /// She cancels the open request she sees; returns it as it was (claimed by
    /// whom, its card), when one was cancelled.
    pub fn cancel_request(
        &self,
        links: &Session,
        now: DateTime<Utc>,
    ) -> Result<Option<RequestRecord>, StoreError> {
        let _writing = self.writing();
        match self.visible(links)? {
            Some(record) if record.status.is_open() => Ok(self
                .close(&record.id, Resolution::Cancelled, now)?
                .then_some(record)),
            _ => Ok(None),
        }
    }
}
