//! The staff side: a staff member's command or button carried out on the queue.

use super::*;

/// The card of a claimed request, from its opened details.
fn card(claimed: Claimed) -> Card {
    let Claimed { record, details } = claimed;
    Card {
        lang: details.lang,
        window_open: false,
        note: None,
        held: Vec::new(),
        id: record.id,
        code: record.code,
        topic: details.topic,
        urgency: record.urgency,
        contact: details.contact,
        phone: details.personal.phone.map(|p| p.e164().to_string()),
        phone_not_own: details.personal.phone_not_own,
        safe_time: details.safe_time,
        if_other: details.if_other,
        code_word: details.personal.code_word,
        description: details.personal.description,
        sent_at: details.created_at,
        tries: record.tries,
        same_number: false,
        attempts: Vec::new(),
        hidden_from_her: false,
        restored: record.restored.map(|at| at.format("%Y-%m-%d").to_string()),
        notes: Vec::new(),
        thread: Vec::new(),
    }
}

impl App {
    /// A staff member's command or button: the desk's effects carried out on the
    /// queue, and its answers rendered in the staff member's language.
    pub(crate) fn handle_staff(
        &self,
        member: &StaffMember,
        input: DeskInput,
    ) -> Result<StaffHandled, StoreError> {
        let now = self.clock.now();
        let handle = member.handle.as_str();
        let c = &StaffCtx {
            member,
            handle,
            now,
        };
        let mut out = StaffHandled::default();
        let input = desk::gate(input, member.supervisor);
        let (mut replies, effects) = desk::step(handle, member.supervisor, input);
        for effect in effects {
            if let Some(refused) = self.claim_refused(handle, &effect, now)? {
                replies.extend(desk::answer(handle, &refused, now));
                continue;
            }
            let event = match effect {
                DeskEffect::ShowQueue(from) => {
                    DeskEvent::Queue(Box::new(self.queue_counts(now, from)?))
                }
                DeskEffect::ClaimId(id) => match self.store.record(&id)? {
                    Some(record) => self.take_code(c, record.code)?,
                    None => DeskEvent::NothingWaiting,
                },
                DeskEffect::Stats(year) => {
                    let year = year.unwrap_or_else(|| chrono::Datelike::year(&now));
                    // The latest period of the year that is over.
                    match Period::published(year, true, true, now).pop() {
                        Some(period) => DeskEvent::Stats(self.figures(period)?),
                        None => DeskEvent::NoFiguresYet(year),
                    }
                }
                DeskEffect::Export(year, span) => self.export(c, year, span)?,
                DeskEffect::ClaimCode(code) => self.take_code(c, code)?,
                DeskEffect::ClaimNext => self.take_next(c)?,
                DeskEffect::ListMine => self.list_mine(c)?,
                DeskEffect::Release(id) => self.release(c, id, &mut out)?,
                DeskEffect::Close(id, outcome) => self.close(c, id, outcome, &mut out)?,
                DeskEffect::ShowForm(id, outcome) => self.show_form(c, id, outcome)?,
                DeskEffect::ShowCard(id) => self.show_card(c, id)?,
                DeskEffect::ReleaseAny(id) => self.release_any(c, id, &mut out)?,
                DeskEffect::Block(id, days) => self.block(c, id, days)?,
                DeskEffect::BlockSender(id, days) => self.block_sender(c, id, days)?,
                DeskEffect::Reopen(code) => self.reopen(c, code)?,
                DeskEffect::Note(desk::Typed(text)) => self.typed(c, &text, &mut out)?,
                DeskEffect::Write(id) => self.write(c, id)?,
                DeskEffect::Tried(id, result) => self.tried(c, id, result, &mut out)?,
                DeskEffect::OfferAgain(id) => self.offer_again(c, id, &mut out)?,
                DeskEffect::KeepClaim(id) => self.keep(c, id)?,
                DeskEffect::ListClaims => self.list_claims(c)?,
                DeskEffect::Own(command, desk::Typed(argument)) => {
                    replies.extend(self.run_own(c, command, &argument)?);
                    continue;
                }
                DeskEffect::Suspend(who) => self.suspend(c, who, &mut out)?,
                DeskEffect::Resume(who) => self.resume(c, who)?,
                DeskEffect::ShowShelter => DeskEvent::Shelter(self.store.shelter()?),
                DeskEffect::DutyOn => self.duty_on(c)?,
                DeskEffect::DutyOff { handed, skip, all } => {
                    self.duty_off(c, desk::Handover { handed, skip, all }, &mut out)?
                }
                DeskEffect::SetShelterWord(word) => match self.shelter_word(&word) {
                    Some(state) => self.set_shelter(handle, state, now)?,
                    None => DeskEvent::Shelter(self.store.shelter()?),
                },
                DeskEffect::SetShelter(state) => self.set_shelter(handle, state, now)?,
                DeskEffect::ShowLanguages => DeskEvent::Languages(self.languages.clone()),
                DeskEffect::SetLanguage(n) => self.set_staff_language(member, n)?,
                DeskEffect::Assign(code, to) => self.assign(c, code, to, &mut out)?,
                DeskEffect::AskNote(id) => self.ask_note(c, id)?,
                DeskEffect::ShowThread(id) => self.show_thread(c, id, &mut out)?,
            };
            replies.extend(desk::answer(handle, &event, now));
        }
        let lang = self.staff_language(member);
        out.replies = replies
            .iter()
            .map(|reply| render(&self.locales, &self.config.center, &lang, reply))
            .collect();
        Ok(out)
    }

    /// Why a claim (`/next`, `/take`, a *Take* button) may not be made now:
    /// the cap, or too many tries a minute.
    fn claim_refused(
        &self,
        handle: &str,
        effect: &DeskEffect,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<DeskEvent>, StoreError> {
        if !matches!(
            effect,
            DeskEffect::ClaimNext | DeskEffect::ClaimCode(_) | DeskEffect::ClaimId(_)
        ) {
            return Ok(None);
        }
        let held = self.store.claims_of(handle)?.len();
        let max = self.config.max_claims as usize;
        Ok(self.desk.may_claim(handle, held, max, now).err())
    }

    /// `/take` of a request cooling down: why not, and until when.
    pub(super) fn cooling(
        &self,
        code: TicketCode,
        attempts: &Attempts,
        now: chrono::DateTime<chrono::Utc>,
    ) -> DeskEvent {
        let windows = &self.config.contact_windows;
        match (self.try_lines(attempts, now).pop(), attempts.not_before) {
            (Some(last), Some(until)) => DeskEvent::Cooling {
                code,
                last,
                until: windows.local_moment(until, now),
            },
            _ => DeskEvent::NoSuchCode(code),
        }
    }

    /// The tries as the card lists them, with times on the center's clock.
    pub(super) fn try_lines(
        &self,
        attempts: &Attempts,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Vec<TryLine> {
        let windows = &self.config.contact_windows;
        attempts
            .tries
            .iter()
            .map(|t| TryLine {
                at: windows.local_moment(t.at, now),
                by: t.by.clone(),
                result: t.result,
            })
            .collect()
    }

    /// Request `id` if `handle` holds it.
    pub(super) fn held_by(
        &self,
        id: &RecordId,
        handle: &str,
    ) -> Result<Option<crate::domain::request::RequestRecord>, StoreError> {
        Ok(self
            .store
            .record(id)?
            .filter(|r| matches!(&r.status, Status::Claimed { by, .. } if by == handle)))
    }

    /// A request `handle` just claimed: logged, audited, its time limit set,
    /// and its card.
    pub(super) fn claimed(
        &self,
        handle: &str,
        claimed: Claimed,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<DeskEvent, StoreError> {
        tracing::info!(event = "claimed", code = %claimed.record.code, by = handle);
        self.store.audit(
            now,
            handle,
            &AuditAction::Claimed,
            Some(&claimed.record.code),
        )?;
        self.schedule_claim_check(&claimed.record, now)?;
        self.card_event(claimed, now)
    }

    /// The card of a claimed request: its details, whether her window is open
    /// now, the handover note, and whether another open request has her number.
    pub(super) fn card_event(
        &self,
        claimed: Claimed,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<DeskEvent, StoreError> {
        let same_number = match &claimed.details.personal.phone {
            Some(phone) => self
                .store
                .number_also_in_another_open_request(&claimed.record.id, phone)?,
            None => false,
        };
        let note = self.store.open_note(&claimed.record);
        let held = self.store.take_held_words(&claimed.record.id)?;
        let attempts = self.try_lines(&self.store.open_attempts(&claimed.record), now);
        let hidden_from_her =
            self.hidden_from_her(&claimed.record.id, claimed.details.personal.chat_id, now)?;
        let window_open = self
            .config
            .contact_windows
            .is_open(claimed.details.safe_time, now);
        let windows = &self.config.contact_windows;
        let notes = self
            .store
            .open_notes(&claimed.record)
            .into_iter()
            .map(|n| desk::NoteLine {
                at: windows.local_moment(n.at, now),
                by: n.by,
                text: n.text,
            })
            .collect();
        let thread = self.said_lines(&claimed.record, now);
        let mut card = card(claimed);
        card.notes = notes;
        card.thread = thread;
        card.same_number = same_number;
        card.note = note;
        // What she wrote while it waited is in her conversation already.
        card.held = if card.thread.is_empty() {
            held
        } else {
            Vec::new()
        };
        card.window_open = window_open;
        card.attempts = attempts;
        card.hidden_from_her = hidden_from_her;
        Ok(DeskEvent::Claimed(Box::new(card)))
    }

    /// What /queue shows.
    pub(super) fn queue_counts(
        &self,
        now: chrono::DateTime<chrono::Utc>,
        from: u16,
    ) -> Result<QueueCounts, StoreError> {
        use crate::counter::Counter::Waiting;
        let mut waiting = self.store.waiting_since(now)?;
        let late = Duration::minutes(ESCALATE_MINUTES);
        let max = Duration::hours(self.config.duty_max_hours.into());
        let mut on_duty = Vec::new();
        for member in self.active_staff() {
            if self.store.on_duty(&member.handle, now, max)? {
                on_duty.push(member.name.clone());
            }
        }
        let windows = &self.config.contact_windows;
        let open = |w: &crate::store::WaitingEntry| {
            !w.cooling
                && !w.held
                && (w.urgency == Urgency::DangerNow
                    || w.safe_time.is_some_and(|t| windows.is_open(t, now)))
        };
        let oldest_minutes = waiting.first().map(|w| (now - w.sent).num_minutes());
        let urgent_late = waiting
            .iter()
            .filter(|w| w.urgency == Urgency::DangerNow && now - w.sent > late)
            .count() as u64;
        let later = waiting
            .iter()
            .filter(|w| {
                w.cooling
                    || w.urgency != Urgency::DangerNow
                        && w.safe_time.is_some_and(|t| !windows.is_open(t, now))
            })
            .count() as u64;
        // The list: most urgent, then oldest, a page from `from`.
        waiting.sort_by_key(|w| (w.urgency, w.sent));
        let start = usize::from(from).min(waiting.len());
        let listed = waiting[start..]
            .iter()
            .take(desk::QUEUE_PAGE)
            .map(|w| desk::QueueLine {
                id: w.id,
                code: w.code.clone(),
                urgency: w.urgency,
                topic: w.topic,
                lang: w.lang.clone(),
                window_open: open(w),
                tries: w.tries,
                minutes: (now - w.sent).num_minutes(),
                held: w.held,
            })
            .collect();
        Ok(QueueCounts {
            danger: self.store.counter(Waiting(Urgency::DangerNow))?,
            day: self.store.counter(Waiting(Urgency::WithinDay))?,
            wait: self.store.counter(Waiting(Urgency::CanWait))?,
            by_topic: self.store.waiting_by_topic()?,
            oldest_minutes,
            urgent_late,
            on_duty,
            later,
            listed,
            from,
            more: waiting.len() > start + desk::QUEUE_PAGE,
        })
    }

    /// Her words relayed into `holder`'s chat about request `id`: to delete as
    /// the claim ends (the card goes where the claim ends).
    pub(super) fn relayed_to_delete(
        &self,
        id: &RecordId,
        holder: &str,
    ) -> Result<Vec<(StaffHandle, i32)>, StoreError> {
        Ok(self
            .store
            .take_relayed(id)?
            .into_iter()
            .map(|m| (holder.into(), m))
            .collect())
    }
}

/// Who is acting at the desk, and when.
pub(super) struct StaffCtx<'a> {
    pub member: &'a StaffMember,
    pub handle: &'a str,
    pub now: chrono::DateTime<chrono::Utc>,
}

impl App {
    /// `/mine`: the codes of one's claims.
    fn list_mine(&self, c: &StaffCtx) -> Result<DeskEvent, StoreError> {
        let claims = self.store.claims_of(c.handle)?;
        Ok(DeskEvent::Mine(
            claims.into_iter().map(|r| (r.id, r.code)).collect(),
        ))
    }

    /// Her conversation on a request, oldest first, on the center's clock.
    pub(super) fn said_lines(
        &self,
        record: &crate::domain::request::RequestRecord,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Vec<desk::SaidLine> {
        let windows = &self.config.contact_windows;
        let said = self.store.open_thread(record).into_iter();
        said.map(|said| desk::SaidLine {
            at: windows.local_moment(said.at, now),
            by: said.by,
            text: said.text,
        })
        .collect()
    }

    /// The outcome form of a request one holds.
    fn show_form(
        &self,
        c: &StaffCtx,
        id: RecordId,
        outcome: crate::domain::outcome::Outcome,
    ) -> Result<DeskEvent, StoreError> {
        Ok(match self.held_by(&id, c.handle)? {
            Some(record) => DeskEvent::Form {
                id,
                code: record.code,
                outcome: outcome.within(self.config.outcome.categories.len()),
                procedure: !self.config.center.child_protection.is_empty(),
                center: (self.config.outcome.categories.iter())
                    .map(|tag| crate::domain::outcome::center_label(tag))
                    .collect(),
            },
            None => DeskEvent::NotYours,
        })
    }
}
