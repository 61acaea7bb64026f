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
    }
}

impl App {
    /// A staff member's command or button: the desk's effects carried out on the
    /// queue, and its answers rendered in the staff member's language.
    pub fn handle_staff(
        &self,
        member: &StaffMember,
        input: DeskInput,
    ) -> Result<StaffHandled, StoreError> {
        let now = self.clock.now();
        let handle = member.handle.as_str();
        let mut delete_for_staff = Vec::new();
        let mut notices = Vec::new();
        let mut delete_incoming = false;
        let mut to_her = None;
        let input = desk::gate(input, member.supervisor);
        let (mut replies, effects) = desk::step(handle, member.supervisor, input);
        for effect in effects {
            if matches!(effect, DeskEffect::ClaimNext | DeskEffect::ClaimCode(_)) {
                let held = self.store.claims_of(handle)?.len();
                let max = self.config.max_claims as usize;
                if let Err(refused) = self.desk.may_claim(handle, held, max, now) {
                    replies.extend(desk::answer(handle, &refused, now));
                    continue;
                }
            }
            let event = match effect {
                DeskEffect::ShowQueue => DeskEvent::Queue(self.queue_counts(now)?),
                DeskEffect::Stats(year) => {
                    let year = year.unwrap_or_else(|| chrono::Datelike::year(&now));
                    DeskEvent::Stats(self.figures(Period::Year(year))?)
                }
                DeskEffect::Export(year, span) => {
                    let year = year.unwrap_or_else(|| chrono::Datelike::year(&now));
                    let mut periods = Vec::new();
                    if span != desk::Span::Year {
                        periods.extend(Period::quarters(year));
                    }
                    if span != desk::Span::Quarters {
                        periods.push(Period::Year(year));
                    }
                    let tables = periods
                        .into_iter()
                        .map(|p| self.figures(p))
                        .collect::<Result<_, _>>()?;
                    DeskEvent::Export(tables)
                }
                DeskEffect::ClaimCode(code) => match self.store.claim_code(&code, handle, now)? {
                    Some(claimed) => self.claimed(handle, claimed, now)?,
                    None => match self.store.cooling_by_code(&code, now)? {
                        Some(attempts) => self.cooling(code, &attempts, now),
                        None => DeskEvent::NoSuchCode(code),
                    },
                },
                DeskEffect::ClaimNext => {
                    let windows = &self.config.contact_windows;
                    let speaks = |d: &crate::request::Details| {
                        d.lang
                            .as_ref()
                            .is_some_and(|l| member.languages.contains(l))
                    };
                    let open_now =
                        |r: &crate::request::RequestRecord, d: &crate::request::Details| {
                            r.urgency == Urgency::DangerNow || windows.is_open(d.safe_time, now)
                        };
                    let choice = Choice {
                        open_now: &open_now,
                        preferred: &speaks,
                    };
                    match self.store.claim_next_for(handle, now, &choice)? {
                        Some(claimed) => self.claimed(handle, claimed, now)?,
                        None => match self.store.queue_len() {
                            0 => DeskEvent::NothingWaiting,
                            waiting => DeskEvent::NothingOpenNow(waiting as u64),
                        },
                    }
                }
                DeskEffect::ListMine => DeskEvent::Mine(
                    self.store
                        .claims_of(handle)?
                        .into_iter()
                        .map(|r| r.code)
                        .collect(),
                ),
                DeskEffect::Release(id) => {
                    match self.store.end_claim(&id, handle, Ending::Released, now)? {
                        Some(ended) => {
                            delete_for_staff.extend(ended.messages());
                            if ended.now {
                                tracing::info!(event = "released", code = %ended.code, by = handle);
                                DeskEvent::Finished {
                                    code: ended.code,
                                    closed: false,
                                }
                            } else {
                                DeskEvent::NotYours
                            }
                        }
                        None => DeskEvent::NotYours,
                    }
                }
                DeskEffect::Close(id, outcome) => {
                    let ended = self
                        .store
                        .end_claim(&id, handle, Ending::Closed(outcome), now)?;
                    if let Some(ended) = &ended {
                        delete_for_staff.extend(ended.messages());
                    }
                    match ended.filter(|e| e.now).map(|e| e.code) {
                        Some(code) => {
                            let resolution = if outcome.declined() {
                                "declined"
                            } else {
                                "helped"
                            };
                            tracing::info!(event = "closed", code = %code, by = handle, resolution);
                            self.closed_for_her(&id, now)?;
                            if outcome.child_at_risk() {
                                tracing::warn!(event = "child_at_risk", code = %code, by = handle);
                                let notice = desk::child_at_risk(
                                    &code,
                                    &member.name,
                                    !self.config.center.child_protection.is_empty(),
                                );
                                notices.extend(self.address(vec![notice], now)?);
                            }
                            DeskEvent::Finished { code, closed: true }
                        }
                        _ => DeskEvent::NotYours,
                    }
                }
                DeskEffect::ShowForm(id, outcome) => match self.held_by(&id, handle)? {
                    Some(record) => DeskEvent::Form {
                        id,
                        code: record.code,
                        outcome,
                        procedure: !self.config.center.child_protection.is_empty(),
                    },
                    None => DeskEvent::NotYours,
                },
                DeskEffect::ShowCard(id) => {
                    let held = self.held_by(&id, handle)?;
                    match held.and_then(|record| {
                        let details = self.store.open_details(&record)?;
                        Some(Claimed { record, details })
                    }) {
                        Some(claimed) => {
                            let mut event = self.card_event(claimed, now)?;
                            if let DeskEvent::Claimed(card) = &mut event {
                                // Back on the same message, which was sent protected.
                                card.id = id;
                            }
                            event
                        }
                        None => DeskEvent::NotYours,
                    }
                }
                DeskEffect::ReleaseAny(id) => {
                    let holder = match self.store.record(&id)?.map(|r| r.status) {
                        Some(Status::Claimed { by, .. }) => Some(by),
                        _ => None,
                    };
                    let why = Ending::ReleasedBy(handle.to_string());
                    let ended = match &holder {
                        Some(by) => self.store.end_claim(&id, by, why, now)?,
                        None => None,
                    };
                    if let Some(ended) = &ended {
                        delete_for_staff.extend(ended.messages());
                    }
                    match ended.filter(|e| e.now) {
                        Some(ended) => {
                            let (code, by) = (ended.code, ended.holder);
                            tracing::warn!(event = "released_by_supervisor", code = %code, by = handle);
                            if by != handle {
                                notices.extend(self.address(
                                    vec![desk::released_by_supervisor(&by, &code)],
                                    now,
                                )?);
                            }
                            DeskEvent::ReleasedAny(code)
                        }
                        None => DeskEvent::NotYours,
                    }
                }
                DeskEffect::Block(id, days) => {
                    let held = self.held_by(&id, handle)?;
                    match held.and_then(|r| Some((self.store.open_details(&r)?, r.code))) {
                        Some((details, code)) => {
                            // A private chat's id is its user's id.
                            let who = self.keys.pseudonym(details.personal.chat_id as u64);
                            let until = now + Duration::days(days.into());
                            self.store.block(&self.keys.block_tag(&who), until)?;
                            tracing::warn!(event = "sender_blocked", code = %code, by = handle, days);
                            self.store.audit(
                                now,
                                handle,
                                &format!("blocked:{days}d"),
                                Some(&code),
                            )?;
                            DeskEvent::Blocked { id, code, days }
                        }
                        None => DeskEvent::NotYours,
                    }
                }
                DeskEffect::Reopen(code) => {
                    let grace = Duration::days(self.config.request_grace_days.into());
                    match self.store.reopen(&code, now, grace)? {
                        crate::store::Reopen::Reopened { id, code } => {
                            tracing::warn!(event = "reopened", code = %code, by = handle);
                            self.store.audit(now, handle, "reopened", Some(&code))?;
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
                    }
                }
                DeskEffect::Note(desk::Typed(text)) => {
                    match self.desk.typed(handle, &text, now) {
                        desk::TextFor::TooLong(refused) => refused,
                        desk::TextFor::Note(id) => {
                            // Off the staff member's screen: it lives sealed with her request.
                            delete_incoming = true;
                            match self.store.set_note(&id, text.trim())? {
                                Some(code) => {
                                    self.store.audit(now, handle, "note", Some(&code))?;
                                    DeskEvent::NoteSaved(code)
                                }
                                None => DeskEvent::NotYours,
                            }
                        }
                        desk::TextFor::Letter(id) => {
                            let event =
                                self.post_letter(handle, &id, text.trim(), now, &mut to_her)?;
                            delete_incoming = matches!(
                                event,
                                DeskEvent::Posted(_)
                                    | DeskEvent::PostedHidden(_)
                                    | DeskEvent::SentLive(_)
                            );
                            event
                        }
                        desk::TextFor::Nothing => DeskEvent::Help,
                    }
                }
                DeskEffect::Write(id) => match self.held_by(&id, handle)? {
                    Some(record) => {
                        self.desk.expect(handle, desk::Awaited::Letter(id), now);
                        DeskEvent::WriteAsk(record.code)
                    }
                    None => DeskEvent::NotYours,
                },
                DeskEffect::Tried(id, result) => {
                    let record = self.held_by(&id, handle)?;
                    let windows = &self.config.contact_windows;
                    let not_before = record.as_ref().and_then(|r| {
                        let details = self.store.open_details(r)?;
                        crate::schedule::cool_down(
                            windows,
                            result,
                            r.urgency,
                            details.safe_time,
                            now,
                        )
                    });
                    match (
                        record,
                        self.store
                            .record_try(&id, handle, result, not_before, now)?,
                    ) {
                        (Some(record), Some(TryRecorded { tries, gave_up })) => {
                            let code = record.code;
                            // The claim ends as every claim does: the card
                            // (the pressed message, replaced below) and her words go.
                            if let Status::Claimed {
                                card: Some(card), ..
                            } = record.status
                            {
                                delete_for_staff.push((handle.to_string(), card));
                            }
                            delete_for_staff.extend(self.relayed_to_delete(&id, handle)?);
                            if gave_up {
                                self.closed_for_her(&id, now)?;
                            } else {
                                self.desk.expect(handle, desk::Awaited::Note(id), now);
                            }
                            let action = if gave_up {
                                format!("tried:{}:closed", result.tag())
                            } else {
                                format!("tried:{}", result.tag())
                            };
                            self.store.audit(now, handle, &action, Some(&code))?;
                            let until = not_before
                                .filter(|_| !gave_up)
                                .map(|at| windows.local_moment(at, now));
                            let danger = record.urgency == Urgency::DangerNow;
                            if let (Some(at), true, false) = (not_before, danger, gave_up) {
                                // When it may be called again, whoever is on
                                // duty hears of it, as of a new one.
                                self.schedule(
                                    at - now,
                                    &Job::Escalate {
                                        request: id,
                                        step: 1,
                                    },
                                )?;
                            }
                            if let (Some(until), TryResult::SomeoneElseAnswered, true) =
                                (&until, result, danger)
                            {
                                // A man may have answered her phone: the
                                // supervisors know at once, and may let it go sooner.
                                tracing::warn!(event = "someone_else_answered_urgent", code = %code, by = handle);
                                let last = TryLine {
                                    at: windows.local_moment(now, now),
                                    by: handle.to_string(),
                                    result,
                                };
                                let alert = desk::someone_else_answered(id, &code, &last, until);
                                notices.extend(self.address(vec![alert], now)?);
                            }
                            DeskEvent::TryRecorded {
                                code,
                                tries,
                                gave_up,
                                until,
                            }
                        }
                        _ => DeskEvent::NotYours,
                    }
                }
                DeskEffect::OfferAgain(id) => match self.store.offer_again(&id, now)? {
                    Some(code) => {
                        tracing::warn!(event = "offered_again", code = %code, by = handle);
                        self.store
                            .audit(now, handle, "offered_again", Some(&code))?;
                        let urgent = self
                            .store
                            .record(&id)?
                            .is_some_and(|r| r.urgency == Urgency::DangerNow);
                        if urgent {
                            notices.extend(self.address(vec![desk::urgent_alert(&code)], now)?);
                        }
                        DeskEvent::OfferedAgain(code)
                    }
                    None => DeskEvent::NotCooling,
                },
                DeskEffect::KeepClaim(id) => {
                    let record = self.store.record(&id)?;
                    match record {
                        Some(record) if self.store.keep_claim(&id, handle, now)? => {
                            self.store.audit(now, handle, "kept", Some(&record.code))?;
                            self.schedule_claim_check(&record, now)?;
                            DeskEvent::Kept(record.code)
                        }
                        _ => DeskEvent::NotYours,
                    }
                }
                DeskEffect::ListClaims => DeskEvent::Claims(
                    self.store
                        .all_claims()?
                        .into_iter()
                        .filter_map(|record| match record.status {
                            Status::Claimed { by, at, .. } => {
                                let name = self
                                    .staff
                                    .iter()
                                    .find(|m| m.handle == by)
                                    .map_or(by, |m| m.name.clone());
                                Some(desk::ClaimLine {
                                    id: record.id,
                                    name,
                                    code: record.code,
                                    minutes: (now - at).num_minutes(),
                                })
                            }
                            _ => None,
                        })
                        .collect(),
                ),
                DeskEffect::Suspend(who) | DeskEffect::Resume(who)
                    if !self.staff.iter().any(|m| m.handle == who) =>
                {
                    DeskEvent::NoSuchStaff(who)
                }
                DeskEffect::Suspend(who) => {
                    self.store.set_suspended(&who, true)?;
                    self.store
                        .audit(now, handle, &format!("suspended:{who}"), None)?;
                    let mut released = 0;
                    for record in self.store.claims_of(&who)? {
                        let ending = Ending::Suspended;
                        if let Some(ended) = self.store.end_claim(&record.id, &who, ending, now)? {
                            released += usize::from(ended.now);
                            delete_for_staff.extend(ended.messages());
                        }
                    }
                    tracing::warn!(event = "staff_suspended", who = %who, by = handle);
                    DeskEvent::Suspended {
                        handle: who,
                        released,
                    }
                }
                DeskEffect::Resume(who) => {
                    self.store.set_suspended(&who, false)?;
                    self.store
                        .audit(now, handle, &format!("resumed:{who}"), None)?;
                    DeskEvent::Resumed(who)
                }
                DeskEffect::ShowShelter => DeskEvent::Shelter(self.store.shelter()?),
                DeskEffect::DutyOn => {
                    self.store.duty_on(handle, now)?;
                    self.schedule(
                        Duration::hours(self.config.duty_max_hours.into()),
                        &Job::DutyLapsed {
                            handle: handle.to_string(),
                            since: now,
                        },
                    )?;
                    self.store.audit(now, handle, "duty_on", None)?;
                    tracing::info!(event = "duty_on", by = handle);
                    DeskEvent::OnDuty
                }
                DeskEffect::DutyOff => {
                    self.store.duty_off(handle)?;
                    self.store.audit(now, handle, "duty_off", None)?;
                    let mut released = 0;
                    for record in self.store.claims_of(handle)? {
                        let ending = Ending::OffDuty;
                        if let Some(ended) =
                            self.store.end_claim(&record.id, handle, ending, now)?
                        {
                            released += usize::from(ended.now);
                            // The claim ends: its card (with her number) goes too.
                            delete_for_staff.extend(ended.messages());
                        }
                    }
                    tracing::info!(event = "duty_off", by = handle, released);
                    DeskEvent::OffDuty { released }
                }
                DeskEffect::SetShelterWord(word) => match self.shelter_word(&word) {
                    Some(state) => self.set_shelter(handle, state, now)?,
                    None => DeskEvent::Shelter(self.store.shelter()?),
                },
                DeskEffect::SetShelter(state) => self.set_shelter(handle, state, now)?,
            };
            replies.extend(desk::answer(handle, &event, now));
        }
        let lang = self.staff_language(member);
        Ok(StaffHandled {
            replies: replies
                .iter()
                .map(|reply| render(&self.locales, &self.config.center, lang, reply))
                .collect(),
            delete_for_staff,
            notices,
            delete_incoming,
            to_her,
        })
    }

    /// `/take` of a request cooling down: why not, and until when.
    pub(super) fn cooling(
        &self,
        code: String,
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

    /// The anonymous figures of `period`, from the counters.
    pub(super) fn figures(&self, period: Period) -> Result<crate::report::Table, StoreError> {
        let counters = self.store.counters_with_prefix("stats/")?;
        Ok(crate::report::Table::of(period, |key| {
            counters.get(key).copied().unwrap_or(0)
        }))
    }

    /// Request `id` if `handle` holds it.
    pub(super) fn held_by(
        &self,
        id: &RecordId,
        handle: &str,
    ) -> Result<Option<crate::request::RequestRecord>, StoreError> {
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
        self.store
            .audit(now, handle, "claimed", Some(&claimed.record.code))?;
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
        let mut card = card(claimed);
        card.same_number = same_number;
        card.note = note;
        card.held = held;
        card.window_open = window_open;
        card.attempts = attempts;
        card.hidden_from_her = hidden_from_her;
        Ok(DeskEvent::Claimed(Box::new(card)))
    }

    /// Sets the shelter's state for `handle`: stored with its time, audited, and
    /// a reminder scheduled for when it is a day old.
    pub(super) fn set_shelter(
        &self,
        handle: &str,
        state: ShelterState,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<DeskEvent, StoreError> {
        self.store.set_shelter(state, now)?;
        self.schedule(
            crate::shelter::freshness(),
            &Job::ShelterStale { set_at: now },
        )?;
        self.store
            .audit(now, handle, &format!("shelter:{}", state.tag()), None)?;
        tracing::info!(event = "shelter_set", state = state.tag(), by = handle);
        Ok(DeskEvent::ShelterSet(state))
    }

    /// The state a word typed after `/shelter` names: its English tag, or one of
    /// its words in any language the bot has (from the locale files).
    pub(super) fn shelter_word(&self, word: &str) -> Option<ShelterState> {
        let word = word.trim().to_lowercase();
        ShelterState::from_tag(&word).or_else(|| {
            ShelterState::ALL.into_iter().find(|state| {
                self.locales.codes().iter().any(|lang| {
                    self.locales
                        .format(lang, &crate::text::Text::new(state.words()))
                        .split(',')
                        .any(|w| w.trim().to_lowercase() == word)
                })
            })
        })
    }

    /// What /queue shows.
    pub(super) fn queue_counts(
        &self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<QueueCounts, StoreError> {
        let waiting = self.store.waiting_since(now)?;
        let late = Duration::minutes(ESCALATE_MINUTES);
        let max = Duration::hours(self.config.duty_max_hours.into());
        let mut on_duty = Vec::new();
        for member in &self.staff {
            if self.store.on_duty(&member.handle, now, max)? {
                on_duty.push(member.name.clone());
            }
        }
        Ok(QueueCounts {
            danger: self.store.counter("waiting/urgency/danger")?,
            day: self.store.counter("waiting/urgency/day")?,
            wait: self.store.counter("waiting/urgency/wait")?,
            by_topic: self.store.waiting_by_topic()?,
            oldest_minutes: waiting.first().map(|w| (now - w.sent).num_minutes()),
            urgent_late: waiting
                .iter()
                .filter(|w| w.urgency == Urgency::DangerNow && now - w.sent > late)
                .count() as u64,
            on_duty,
            later: waiting
                .iter()
                .filter(|w| {
                    let windows = &self.config.contact_windows;
                    w.cooling
                        || w.urgency != Urgency::DangerNow
                            && w.safe_time.is_some_and(|t| !windows.is_open(t, now))
                })
                .count() as u64,
        })
    }

    /// Her words relayed into `holder`'s chat about request `id`: to delete as
    /// the claim ends (the card goes where the claim ends).
    pub(super) fn relayed_to_delete(
        &self,
        id: &RecordId,
        holder: &str,
    ) -> Result<Vec<(String, i32)>, StoreError> {
        Ok(self
            .store
            .take_relayed(id)?
            .into_iter()
            .map(|m| (holder.to_string(), m))
            .collect())
    }
}
