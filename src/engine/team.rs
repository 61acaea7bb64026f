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
                .filter_map(|record| match record.status {
                    Status::Claimed { by, at, .. } => {
                        let name = self
                            .staff
                            .iter()
                            .find(|m| m.handle == by)
                            .map_or_else(|| by.to_string(), |m| m.name.clone());
                        Some(desk::ClaimLine {
                            id: record.id,
                            name,
                            code: record.code,
                            minutes: (c.now - at).num_minutes(),
                        })
                    }
                    _ => None,
                })
                .collect(),
        ))
    }

    /// `/suspend HANDLE`: their claims back to the queue, their cards deleted.
    pub(super) fn suspend(
        &self,
        c: &StaffCtx,
        who: StaffHandle,
        out: &mut StaffHandled,
    ) -> Result<DeskEvent, StoreError> {
        self.store.set_suspended(&who, true)?;
        self.store
            .audit(c.now, c.handle, &AuditAction::Suspended(who.clone()), None)?;
        let mut released = 0;
        for record in self.store.claims_of(&who)? {
            let ending = Ending::Suspended;
            if let Some(ended) = self.store.end_claim(&record.id, &who, ending, c.now)? {
                released += usize::from(ended.now);
                out.delete_for_staff.extend(ended.messages());
            }
        }
        tracing::warn!(event = "staff_suspended", who = %who, by = c.handle);
        Ok(DeskEvent::Suspended {
            handle: who,
            released,
        })
    }

    /// `/resume HANDLE`: their phone is staff again.
    pub(super) fn resume(&self, c: &StaffCtx, who: StaffHandle) -> Result<DeskEvent, StoreError> {
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

    /// `/off`: off duty, and one's claims back to the queue.
    pub(super) fn duty_off(
        &self,
        c: &StaffCtx,
        out: &mut StaffHandled,
    ) -> Result<DeskEvent, StoreError> {
        self.store.duty_off(c.handle)?;
        self.store
            .audit(c.now, c.handle, &AuditAction::DutyOff, None)?;
        let mut released = 0;
        for record in self.store.claims_of(c.handle)? {
            let ending = Ending::OffDuty;
            if let Some(ended) = self.store.end_claim(&record.id, c.handle, ending, c.now)? {
                released += usize::from(ended.now);
                // The claim ends: its card (with her number) goes too.
                out.delete_for_staff.extend(ended.messages());
            }
        }
        tracing::info!(event = "duty_off", by = c.handle, released);
        Ok(DeskEvent::OffDuty { released })
    }
}
