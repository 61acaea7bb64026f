//! The team at the desk: duty on and off, and what supervisors do with it —
//! every open claim listed, a lost phone suspended, and back.

use super::staff::StaffCtx;
use super::*;

impl App {
    /// `/claims`: every open claim, with who holds it and for how long.
    pub(super) fn list_claims(&self, c: &StaffCtx) -> Result<DeskEvent, StoreError> {
        Ok(DeskEvent::Claims(
            self.store
                .all_claims()?
                .into_iter()
                .filter_map(|record| match &record.status {
                    Status::Claimed { by, at, .. } => {
                        let (by, at) = (by.clone(), *at);
                        let name = self
                            .staff
                            .iter()
                            .find(|m| m.handle == by)
                            .map_or_else(|| by.to_string(), |m| m.name.clone());
                        let topic = self.store.open_details(&record).map(|d| d.topic);
                        Some(desk::ClaimLine {
                            id: record.id,
                            name,
                            code: record.code,
                            urgency: record.urgency,
                            topic,
                            minutes: (c.now - at).num_minutes(),
                        })
                    }
                    _ => None,
                })
                .collect(),
        ))
    }

    /// `/assign CODE HANDLE`: the request is `to`'s in one store intent (no
    /// `/next` can take it in between) — refused when `to` is not staff, is
    /// suspended or holds `max_claims` already. The new holder gets a line
    /// and the card; the old one a line, and the card leaves their chat.
    pub(super) fn assign(
        &self,
        c: &StaffCtx,
        code: TicketCode,
        to: StaffHandle,
        out: &mut StaffHandled,
    ) -> Result<DeskEvent, StoreError> {
        use desk::AssignRefusal;
        let Some(member) = self.staff_named(&to) else {
            return Ok(DeskEvent::AssignRefused(AssignRefusal::NotStaff(to)));
        };
        if member.disabled || self.store.is_suspended(&member.handle) {
            return Ok(DeskEvent::AssignRefused(AssignRefusal::Suspended(to)));
        }
        let max = self.config.max_claims;
        if self.store.claims_of(to.as_str())?.len() >= max as usize {
            return Ok(DeskEvent::AssignRefused(AssignRefusal::AtCap(to, max)));
        }
        let assigned = self
            .store
            .assign_code(&code, to.as_str(), c.handle, c.now)?;
        let Some(crate::store::Assigned { claimed, from }) = assigned else {
            return Ok(DeskEvent::AssignRefused(AssignRefusal::NotOpen(code)));
        };
        tracing::info!(event = "assigned", code = %code, by = c.handle, to = %to);
        let id = claimed.record.id;
        if let Some((old, card, relayed)) = from.filter(|(old, ..)| *old != to) {
            out.delete_for_staff
                .extend(card.into_iter().chain(relayed).map(|m| (old.clone(), m)));
            let away = desk::assigned_away(old.as_str(), &code);
            out.notices.extend(self.address(vec![away], c.now)?);
        }
        // The new holder: a line, then the card (never to the staff chat: it
        // holds her number).
        let told = desk::assigned_to(to.as_str(), &code);
        out.notices.extend(self.address(vec![told], c.now)?);
        let event = self.card_event(claimed, c.now)?;
        for reply in desk::answer(to.as_str(), &event, c.now) {
            let mut show = self.for_member(&reply, &member);
            show.failing = plan::Failing::Stops;
            if reply.card.is_some() {
                show.then = plan::Remember::Card(id);
            }
            out.notices.show(show);
        }
        Ok(DeskEvent::Assigned {
            code,
            name: member.name.clone(),
        })
    }

    /// `/suspend HANDLE`, under the desk's rule (nobody themselves; a
    /// supervisor only with a second supervisor): their claims back to the
    /// queue, their cards deleted, their letters not yet delivered dropped.
    pub(super) fn suspend(
        &self,
        c: &StaffCtx,
        who: StaffHandle,
        out: &mut StaffHandled,
    ) -> Result<DeskEvent, StoreError> {
        if self.staff_named(&who).is_none() {
            return Ok(DeskEvent::NoSuchStaff(who));
        }
        let by = StaffHandle::from(c.handle);
        let supervisor = self.staff_named(&who).is_some_and(|m| m.supervisor);
        let others: Vec<StaffHandle> = self
            .active_staff()
            .filter(|m| m.supervisor && m.handle != by && m.handle != who)
            .map(|m| m.handle.clone())
            .collect();
        match self.desk.suspension(&by, &who, supervisor, others, c.now) {
            desk::Suspension::Refused(event) => return Ok(event),
            desk::Suspension::Asked { others } => {
                let asks = others
                    .iter()
                    .map(|other| desk::suspension_asked(other, c.handle, &who))
                    .collect();
                out.notices.extend(self.address(asks, c.now)?);
                self.store.audit(
                    c.now,
                    c.handle,
                    &AuditAction::SuspendAsked(who.clone()),
                    None,
                )?;
                tracing::warn!(event = "suspension_asked", who = %who, by = c.handle);
                return Ok(DeskEvent::SuspendAsked(who));
            }
            desk::Suspension::Now => {}
        }
        self.store.set_suspended(&who, true)?;
        self.store
            .audit(c.now, c.handle, &AuditAction::Suspended(who.clone()), None)?;
        let (released, cards) = self.end_claims_of(&who, c.now)?;
        out.delete_for_staff.extend(cards);
        tracing::warn!(event = "staff_suspended", who = %who, by = c.handle);
        Ok(DeskEvent::Suspended {
            handle: who,
            released,
        })
    }

    /// A suspended member's claims go back to the queue (how many, and the
    /// cards to delete), and their letters not yet delivered are dropped: a
    /// thief's words do not reach her.
    pub(super) fn end_claims_of(
        &self,
        who: &StaffHandle,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(usize, Vec<(StaffHandle, i32)>), StoreError> {
        let mut released = 0;
        let mut cards = Vec::new();
        for record in self.store.claims_of(who)? {
            let ending = Ending::Suspended;
            if let Some(ended) = self.store.end_claim(&record.id, who, ending, now)? {
                released += usize::from(ended.now);
                cards.extend(ended.messages());
            }
        }
        let dropped = self.store.drop_letters_from(who)?;
        if dropped > 0 {
            tracing::warn!(event = "suspended_staff_letters_dropped", who = %who, dropped);
        }
        Ok((released, cards))
    }

    /// `/resume HANDLE`: their phone is staff again — unless the operator
    /// disabled them in the configuration, which no command undoes.
    pub(super) fn resume(&self, c: &StaffCtx, who: StaffHandle) -> Result<DeskEvent, StoreError> {
        match self.staff_named(&who) {
            None => return Ok(DeskEvent::NoSuchStaff(who)),
            Some(member) if member.disabled => return Ok(DeskEvent::ResumeDisabled(who)),
            Some(_) => {}
        }
        self.store.set_suspended(&who, false)?;
        self.store
            .audit(c.now, c.handle, &AuditAction::Resumed(who.clone()), None)?;
        Ok(DeskEvent::Resumed(who))
    }

    /// `/on`: on duty, until it lapses.
    pub(super) fn duty_on(&self, c: &StaffCtx) -> Result<DeskEvent, StoreError> {
        self.store.duty_on(c.handle, c.now)?;
        self.schedule(
            Duration::hours(self.config.duty_max_hours.into()),
            &Job::DutyLapsed {
                handle: c.handle.into(),
                since: c.now,
            },
        )?;
        self.store
            .audit(c.now, c.handle, &AuditAction::DutyOn, None)?;
        tracing::info!(event = "duty_on", by = c.handle);
        Ok(DeskEvent::OnDuty)
    }

    /// `/off`: each request still held asks for a handover note (sealed on
    /// its card) and goes back to the queue; then off duty, and the shift's
    /// figures to the staff chat.
    pub(super) fn duty_off(
        &self,
        c: &StaffCtx,
        step: desk::Handover,
        out: &mut StaffHandled,
    ) -> Result<DeskEvent, StoreError> {
        let mut handed = step.handed;
        let claims = self.store.claims_of(c.handle)?;
        let back: Vec<_> = claims
            .iter()
            .filter(|r| step.all || step.skip == Some(r.id))
            .collect();
        for record in back {
            let ending = Ending::OffDuty;
            if let Some(ended) = self.store.end_claim(&record.id, c.handle, ending, c.now)? {
                handed = handed.saturating_add(u16::from(ended.now));
                // The claim ends: its card (with her number) goes too.
                out.delete_for_staff.extend(ended.messages());
            }
        }
        // In the queue's order: the most urgent, then the oldest, first.
        let mut held: Vec<_> = claims
            .iter()
            .filter(|r| !step.all && step.skip != Some(r.id))
            .collect();
        held.sort_by_key(|r| (r.urgency, r.seq));
        if let Some(next) = held.first() {
            let awaited = desk::Awaited::OffNote(next.id, handed);
            self.desk.expect(c.handle, awaited, c.now);
            return Ok(DeskEvent::OffNoteAsk {
                id: next.id,
                code: next.code.clone(),
                left: held.len() - 1,
                handed,
            });
        }
        let since = self.store.duty_since(c.handle)?;
        self.store.duty_off(c.handle)?;
        self.store
            .audit(c.now, c.handle, &AuditAction::DutyOff, None)?;
        let shift = match since {
            Some(since) => Some(self.shift_figures(c.handle, since)?),
            None => None,
        };
        if let Some(figures) = &shift {
            let summary = desk::shift_summary(&c.member.name, figures);
            out.notices.extend(self.address(vec![summary], c.now)?);
        }
        tracing::info!(event = "duty_off", by = c.handle, released = handed);
        Ok(DeskEvent::OffDuty {
            released: usize::from(handed),
            shift,
        })
    }

    /// What `handle` did since `since`, from the audit log: taken, closed,
    /// calls that did not reach her, *danger now* requests worked on; and
    /// what waits now.
    fn shift_figures(
        &self,
        handle: &str,
        since: chrono::DateTime<chrono::Utc>,
    ) -> Result<desk::ShiftFigures, StoreError> {
        let mut figures = desk::ShiftFigures::default();
        let mut urgent = std::collections::BTreeSet::new();
        for line in self.store.audit_since(since)? {
            let mine = line.who == handle;
            let mut parts = line.action.split(':');
            let (verb, object) = (parts.next().unwrap_or(""), parts.next());
            match verb {
                "claimed" if mine => figures.taken += 1,
                "assigned" if object == Some(handle) => figures.taken += 1,
                "closed" if mine => figures.closed += 1,
                "tried" if mine => figures.tries += 1,
                _ => continue,
            }
            if matches!(verb, "closed" | "tried") {
                urgent.extend(line.code);
            }
        }
        for code in urgent {
            let record = self.store.record_of_code(&code)?;
            figures.urgent += u64::from(record.is_some_and(|r| r.urgency == Urgency::DangerNow));
        }
        figures.waiting = Urgency::ALL
            .iter()
            .map(|u| self.store.counter(crate::counter::Counter::Waiting(*u)))
            .sum::<Result<u64, StoreError>>()?;
        Ok(figures)
    }
}
