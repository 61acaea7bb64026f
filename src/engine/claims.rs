//! A staff member's work on one request: taking it, its card, ending the
//! claim, a try, a block, a note or a letter, a reopen.

use super::staff::StaffCtx;
use super::*;

impl App {
    /// `/take CODE`: that request, if it waits and is not cooling down (else why not).
    pub(super) fn take_code(
        &self,
        c: &StaffCtx,
        code: TicketCode,
    ) -> Result<DeskEvent, StoreError> {
        Ok(match self.store.claim_code(&code, c.handle, c.now)? {
            Some(claimed) => self.claimed(c.handle, claimed, c.now)?,
            None => match self.store.cooling_by_code(&code, c.now)? {
                Some(attempts) => self.cooling(code, &attempts, c.now),
                None => match self.store.held_since_restore(&code)? {
                    Some(at) => DeskEvent::HeldRestored {
                        code,
                        date: at.format("%Y-%m-%d").to_string(),
                    },
                    None => DeskEvent::NoSuchCode(code),
                },
            },
        })
    }

    /// `/next`: the most urgent, oldest request that may be called now, one in a
    /// language the staff member speaks first.
    pub(super) fn take_next(&self, c: &StaffCtx) -> Result<DeskEvent, StoreError> {
        let windows = &self.config.contact_windows;
        let speaks = |d: &crate::domain::request::Details| {
            d.lang
                .as_ref()
                .is_some_and(|l| c.member.languages.contains(l))
        };
        let open_now = |r: &crate::domain::request::RequestRecord,
                        d: &crate::domain::request::Details| {
            r.urgency == Urgency::DangerNow || windows.is_open(d.safe_time, c.now)
        };
        let choice = Choice {
            open_now: &open_now,
            preferred: &speaks,
        };
        Ok(match self.store.claim_next_for(c.handle, c.now, &choice)? {
            Some(claimed) => self.claimed(c.handle, claimed, c.now)?,
            None => match self.store.queue_len() {
                0 => DeskEvent::NothingWaiting,
                waiting => DeskEvent::NothingOpenNow(waiting as u64),
            },
        })
    }

    /// *Back to the queue* by its holder.
    pub(super) fn release(
        &self,
        c: &StaffCtx,
        id: RecordId,
        out: &mut StaffHandled,
    ) -> Result<DeskEvent, StoreError> {
        Ok(
            match self
                .store
                .end_claim(&id, c.handle, Ending::Released, c.now)?
            {
                Some(ended) => {
                    out.delete_for_staff.extend(ended.messages());
                    if ended.now {
                        tracing::info!(event = "released", code = %ended.code, by = c.handle);
                        DeskEvent::Finished {
                            code: ended.code,
                            closed: false,
                        }
                    } else {
                        DeskEvent::NotYours
                    }
                }
                None => DeskEvent::NotYours,
            },
        )
    }

    /// *Save and close*: the outcome counted, her closed-notice if any, the
    /// supervisors told of a child at risk.
    pub(super) fn close(
        &self,
        c: &StaffCtx,
        id: RecordId,
        outcome: crate::domain::outcome::Outcome,
        out: &mut StaffHandled,
    ) -> Result<DeskEvent, StoreError> {
        let urgent = self
            .store
            .record(&id)?
            .is_some_and(|r| r.urgency == crate::domain::request::Urgency::DangerNow);
        let categories = &self.config.outcome.categories;
        let outcome = outcome.within(categories.len());
        let center = outcome.center_tags(categories);
        let ended = self
            .store
            .end_claim(&id, c.handle, Ending::Closed(outcome, center), c.now)?;
        if let Some(ended) = &ended {
            out.delete_for_staff.extend(ended.messages());
        }
        Ok(match ended.filter(|e| e.now).map(|e| e.code) {
            Some(code) => {
                let resolution = outcome.talk().resolution().tag();
                tracing::info!(event = "closed", code = %code, by = c.handle, resolution);
                self.closed_for_her(&id, c.now)?;
                if outcome.child_at_risk() {
                    tracing::warn!(event = "child_at_risk", code = %code, by = c.handle);
                    let notice = desk::child_at_risk(
                        &code,
                        &c.member.name,
                        !self.config.center.child_protection.is_empty(),
                    );
                    out.notices.extend(self.address(vec![notice], c.now)?);
                }
                if outcome.high_risk() {
                    tracing::warn!(event = "high_risk", code = %code, by = c.handle);
                    let notice = desk::high_risk(&code, &c.member.name);
                    out.notices.extend(self.address(vec![notice], c.now)?);
                }
                if urgent || outcome.child_at_risk() {
                    // A hard case: after the line that it is closed, one
                    // private line of care naming who to talk to (the other
                    // supervisors, from the configuration).
                    let supervisors = self
                        .active_staff()
                        .filter(|m| m.supervisor && m.handle != c.handle)
                        .map(|m| m.name.clone())
                        .collect();
                    return Ok(DeskEvent::ClosedHard { code, supervisors });
                }
                DeskEvent::Finished { code, closed: true }
            }
            _ => DeskEvent::NotYours,
        })
    }

    /// The card again (back from the form or the try menu).
    pub(super) fn show_card(&self, c: &StaffCtx, id: RecordId) -> Result<DeskEvent, StoreError> {
        let held = self.held_by(&id, c.handle)?;
        Ok(
            match held.and_then(|record| {
                let details = self.store.open_details(&record)?;
                Some(Claimed { record, details })
            }) {
                Some(claimed) => {
                    let mut event = self.card_event(claimed, c.now)?;
                    if let DeskEvent::Claimed(card) = &mut event {
                        // Back on the same message, which was sent protected.
                        card.id = id;
                    }
                    event
                }
                None => DeskEvent::NotYours,
            },
        )
    }

    /// A supervisor puts anyone's claim back; its holder is told.
    pub(super) fn release_any(
        &self,
        c: &StaffCtx,
        id: RecordId,
        out: &mut StaffHandled,
    ) -> Result<DeskEvent, StoreError> {
        let holder = match self.store.record(&id)?.map(|r| r.status) {
            Some(Status::Claimed { by, .. }) => Some(by),
            _ => None,
        };
        let why = Ending::ReleasedBy(c.handle.to_string());
        let ended = match &holder {
            Some(by) => self.store.end_claim(&id, by, why, c.now)?,
            None => None,
        };
        if let Some(ended) = &ended {
            out.delete_for_staff.extend(ended.messages());
        }
        Ok(match ended.filter(|e| e.now) {
            Some(ended) => {
                let (code, by) = (ended.code, ended.holder);
                tracing::warn!(event = "released_by_supervisor", code = %code, by = c.handle);
                if by != c.handle {
                    out.notices.extend(
                        self.address(vec![desk::released_by_supervisor(&by, &code)], c.now)?,
                    );
                }
                DeskEvent::ReleasedAny(code)
            }
            None => DeskEvent::NotYours,
        })
    }

    /// *Block sender* for `days`: an HMAC of her pseudonym, never her id.
    pub(super) fn block(
        &self,
        c: &StaffCtx,
        id: RecordId,
        days: u16,
    ) -> Result<DeskEvent, StoreError> {
        let held = self.held_by(&id, c.handle)?;
        Ok(match held {
            Some(record) if self.block_sender_of(c, &record, days)? => DeskEvent::Blocked {
                id,
                code: record.code,
                days,
            },
            _ => DeskEvent::NotYours,
        })
    }

    /// A supervisor blocks the sender of any request while it is kept (held
    /// by anyone or nobody, cancelled too): from the line about a repeated
    /// *danger now*, or from `/claims`.
    pub(super) fn block_sender(
        &self,
        c: &StaffCtx,
        id: RecordId,
        days: u16,
    ) -> Result<DeskEvent, StoreError> {
        Ok(match self.store.record(&id)? {
            Some(record) if self.block_sender_of(c, &record, days)? => DeskEvent::SenderBlocked {
                code: record.code,
                days,
            },
            _ => DeskEvent::NotYours,
        })
    }

    /// Blocks the sender of `record` for `days`, audited; false when its
    /// details can no longer be opened.
    fn block_sender_of(
        &self,
        c: &StaffCtx,
        record: &crate::domain::request::RequestRecord,
        days: u16,
    ) -> Result<bool, StoreError> {
        let Some(details) = self.store.open_details(record) else {
            return Ok(false);
        };
        // A private chat's id is its user's id.
        let who = self.keys.pseudonym(details.personal.chat_id as u64);
        let until = c.now + Duration::days(days.into());
        self.store.block(&self.keys.block_tag(&who), until)?;
        let code = &record.code;
        tracing::warn!(event = "sender_blocked", code = %code, by = c.handle, days);
        self.store
            .audit(c.now, c.handle, &AuditAction::Blocked { days }, Some(code))?;
        Ok(true)
    }

    /// A supervisor reopens a request closed by mistake, within the grace period.
    pub(super) fn reopen(&self, c: &StaffCtx, code: TicketCode) -> Result<DeskEvent, StoreError> {
        // A request a restore holds: released, to be offered again.
        if let Some(code) = self.store.release_held(&code)? {
            self.store
                .audit(c.now, c.handle, &AuditAction::ReleasedRestored, Some(&code))?;
            tracing::warn!(event = "restored_request_released", code = %code, by = c.handle);
            return Ok(DeskEvent::RestoredReleased(code));
        }
        let grace = Duration::days(self.config.request_grace_days.into());
        Ok(match self.store.reopen(&code, c.now, grace)? {
            crate::store::Reopen::Reopened { id, code } => {
                tracing::warn!(event = "reopened", code = %code, by = c.handle);
                self.store
                    .audit(c.now, c.handle, &AuditAction::Reopened, Some(&code))?;
                if let Some(record) = self.store.record(&id)? {
                    if record.urgency == Urgency::DangerNow {
                        self.schedule(
                            Duration::minutes(ESCALATE_MINUTES),
                            &Job::Escalate {
                                request: id,
                                step: 1,
                            },
                        )?;
                    }
                }
                DeskEvent::Reopened(code)
            }
            crate::store::Reopen::Refused => DeskEvent::ReopenRefused(code),
        })
    }

    /// *Could not talk*: the try recorded (and its cool-down), the card gone, a
    /// handover note asked for; danger-now cool-downs alert the supervisors.
    pub(super) fn tried(
        &self,
        c: &StaffCtx,
        id: RecordId,
        result: TryResult,
        out: &mut StaffHandled,
    ) -> Result<DeskEvent, StoreError> {
        let record = self.held_by(&id, c.handle)?;
        let windows = &self.config.contact_windows;
        let not_before = record.as_ref().and_then(|r| {
            let details = self.store.open_details(r)?;
            crate::domain::schedule::cool_down(windows, result, r.urgency, details.safe_time, c.now)
        });
        let recorded = self
            .store
            .record_try(&id, c.handle, result, not_before, c.now)?;
        let (Some(record), Some(TryRecorded { tries, gave_up })) = (record, recorded) else {
            return Ok(DeskEvent::NotYours);
        };
        let code = record.code;
        // The claim ends as every claim does: the card (the pressed message,
        // replaced below) and her words go.
        if let Status::Claimed {
            card: Some(card), ..
        } = record.status
        {
            out.delete_for_staff.push((c.handle.into(), card));
        }
        out.delete_for_staff
            .extend(self.relayed_to_delete(&id, c.handle)?);
        if gave_up {
            self.closed_for_her(&id, c.now)?;
        } else {
            self.desk.expect(c.handle, desk::Awaited::Note(id), c.now);
        }
        let action = AuditAction::Tried {
            result: result.tag(),
            gave_up,
        };
        self.store.audit(c.now, c.handle, &action, Some(&code))?;
        let until = not_before.filter(|_| !gave_up);
        if let (Some(until), Urgency::DangerNow) = (until, record.urgency) {
            self.urgent_try(c, id, &code, result, until, out)?;
        }
        Ok(DeskEvent::TryRecorded {
            code,
            tries,
            gave_up,
            until: until.map(|at| windows.local_moment(at, c.now)),
        })
    }

    /// A try on a danger-now request that cools down until `until`: when it
    /// may be called again, whoever is on duty hears of it, as of a new one;
    /// if someone else answered her phone (a man may have), the supervisors
    /// know at once, and may let it go sooner.
    fn urgent_try(
        &self,
        c: &StaffCtx,
        id: RecordId,
        code: &str,
        result: TryResult,
        until: chrono::DateTime<chrono::Utc>,
        out: &mut StaffHandled,
    ) -> Result<(), StoreError> {
        let escalate = Job::Escalate {
            request: id,
            step: 1,
        };
        self.schedule_at(until, &escalate)?;
        if result != TryResult::SomeoneElseAnswered {
            return Ok(());
        }
        tracing::warn!(event = "someone_else_answered_urgent", code = %code, by = c.handle);
        let windows = &self.config.contact_windows;
        let last = TryLine {
            at: windows.local_moment(c.now, c.now),
            by: c.handle.into(),
            result,
        };
        let until = windows.local_moment(until, c.now);
        let alert = desk::someone_else_answered(id, code, &last, &until);
        out.notices.extend(self.address(vec![alert], c.now)?);
        Ok(())
    }

    /// A supervisor lets a cooling request be offered again now.
    pub(super) fn offer_again(
        &self,
        c: &StaffCtx,
        id: RecordId,
        out: &mut StaffHandled,
    ) -> Result<DeskEvent, StoreError> {
        Ok(match self.store.offer_again(&id, c.now)? {
            Some(code) => {
                tracing::warn!(event = "offered_again", code = %code, by = c.handle);
                self.store
                    .audit(c.now, c.handle, &AuditAction::OfferedAgain, Some(&code))?;
                let urgent = self
                    .store
                    .record(&id)?
                    .is_some_and(|r| r.urgency == Urgency::DangerNow);
                if urgent {
                    out.notices
                        .extend(self.address(vec![desk::urgent_alert(&code)], c.now)?);
                }
                DeskEvent::OfferedAgain(code)
            }
            None => DeskEvent::NotCooling,
        })
    }

    /// *Still working on it*: the claim's time starts again.
    pub(super) fn keep(&self, c: &StaffCtx, id: RecordId) -> Result<DeskEvent, StoreError> {
        let record = self.store.record(&id)?;
        Ok(match record {
            Some(record) if self.store.keep_claim(&id, c.handle, c.now)? => {
                self.store
                    .audit(c.now, c.handle, &AuditAction::Kept, Some(&record.code))?;
                self.schedule_claim_check(&record, c.now)?;
                DeskEvent::Kept(record.code)
            }
            _ => DeskEvent::NotYours,
        })
    }

    /// Text a staff member typed: the handover note or the letter it was
    /// asked for, else the desk's help.
    pub(super) fn typed(
        &self,
        c: &StaffCtx,
        text: &str,
        out: &mut StaffHandled,
    ) -> Result<DeskEvent, StoreError> {
        Ok(match self.desk.typed(c.handle, text, c.now) {
            desk::TextFor::TooLong(refused) => refused,
            desk::TextFor::Note(id) => {
                // Off the staff member's screen: it lives sealed with her request.
                out.delete_incoming = true;
                match self.store.set_note(&id, text.trim())? {
                    Some(code) => {
                        self.store
                            .audit(c.now, c.handle, &AuditAction::Note, Some(&code))?;
                        DeskEvent::NoteSaved(code)
                    }
                    None => DeskEvent::NotYours,
                }
            }
            desk::TextFor::CardNote(id) => {
                // Off the staff member's screen: it lives sealed with her request.
                out.delete_incoming = true;
                match self.store.add_note(&id, c.handle, text.trim(), c.now)? {
                    Some(code) => {
                        self.store
                            .audit(c.now, c.handle, &AuditAction::Note, Some(&code))?;
                        DeskEvent::NoteSaved(code)
                    }
                    None => DeskEvent::NotYours,
                }
            }
            desk::TextFor::Letter(id) => {
                let event = self.post_letter(c.handle, &id, text.trim(), c.now, &mut out.to_her)?;
                // Posted, held or sent: it lives sealed with her request now.
                out.delete_incoming = matches!(
                    event,
                    DeskEvent::Posted(_) | DeskEvent::PostedHidden(_) | DeskEvent::SentLive(_)
                );
                event
            }
            desk::TextFor::OffNote(id, handed) => {
                // Off the staff member's screen: it lives sealed with her request.
                out.delete_incoming = true;
                if let Some(code) = self.store.add_note(&id, c.handle, text.trim(), c.now)? {
                    self.store
                        .audit(c.now, c.handle, &AuditAction::Note, Some(&code))?;
                }
                let step = desk::Handover {
                    handed,
                    skip: Some(id),
                    all: false,
                };
                self.duty_off(c, step, out)?
            }
            desk::TextFor::Nothing => DeskEvent::Help,
        })
    }

    /// *The whole conversation* on a card: in a message of its own, deleted
    /// with the card as the claim ends.
    pub(super) fn show_thread(
        &self,
        c: &StaffCtx,
        id: RecordId,
        out: &mut StaffHandled,
    ) -> Result<DeskEvent, StoreError> {
        let Some(record) = self.held_by(&id, c.handle)? else {
            return Ok(DeskEvent::NotYours);
        };
        let thread = self.said_lines(&record, c.now);
        let message = desk::thread_message(c.handle, id, &record.code, &thread);
        out.notices.show(self.for_member(&message, c.member));
        Ok(DeskEvent::ThreadShown)
    }

    /// *Note* on the card: the next text is a note on request `id`'s card.
    pub(super) fn ask_note(&self, c: &StaffCtx, id: RecordId) -> Result<DeskEvent, StoreError> {
        Ok(match self.held_by(&id, c.handle)? {
            Some(record) => {
                self.desk
                    .expect(c.handle, desk::Awaited::CardNote(id), c.now);
                DeskEvent::NoteAsk(record.code)
            }
            None => DeskEvent::NotYours,
        })
    }

    /// *Write to her*: the next text is a letter to her about request `id`.
    pub(super) fn write(&self, c: &StaffCtx, id: RecordId) -> Result<DeskEvent, StoreError> {
        Ok(match self.held_by(&id, c.handle)? {
            Some(record) => {
                self.desk.expect(c.handle, desk::Awaited::Letter(id), c.now);
                // She is in the conversation (and did not erase the chat):
                // what is written reaches her at once.
                let live = match self.store.open_details(&record) {
                    Some(details) => {
                        let chat = details.personal.chat_id;
                        !self.hidden_from_her(&id, chat, c.now)? && self.is_live(chat, c.now)?
                    }
                    None => false,
                };
                DeskEvent::WriteAsk {
                    code: record.code,
                    live,
                }
            }
            None => DeskEvent::NotYours,
        })
    }
}
