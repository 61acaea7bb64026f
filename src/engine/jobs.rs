//! Timed work on claims and alerts: the urgent re-alerts, the claim check and
//! expiry, the duty lapse and the stale shelter state.

use super::plan::{Chat, Plan};
use super::*;

impl App {
    /// A timed job is due: what it comes to.
    pub fn on_job(&self, job: Job) -> Result<Plan, StoreError> {
        Ok(match job {
            Job::DeleteMessages { chat, ids } => {
                let mut plan = Plan::new();
                plan.delete(Chat::Her(chat), ids);
                plan
            }
            Job::ClaimCheck { request, at } => self.check_claim(&request, at)?,
            Job::ClaimExpire { request, at } => self.expire_claim(&request, at)?,
            Job::DutyLapsed { handle, since } => self.duty_lapsed(&handle, since)?,
            Job::ShelterStale { set_at } => self.shelter_stale(set_at)?,
            Job::Escalate { request, step } => self.escalate(&request, step)?,
            Job::Deliver { letter } => self.deliver_letter(&letter)?,
            Job::RelayQuiet { chat, since } => {
                let mut plan = Plan::new();
                plan.delete(Chat::Her(chat), self.relay_quiet(chat, since)?);
                plan
            }
            Job::IdleCover { chat } => self.idle_cover(chat)?,
        })
    }

    /// A danger-now request's alert is due again: if nobody has taken it, the
    /// notices to send (on duty first, then the staff chat), and the next step.
    fn escalate(&self, request: &RecordId, step: u8) -> Result<Plan, StoreError> {
        let now = self.clock.now();
        // Cooling down (someone else answered): not to be called yet, so no alert.
        let Some(record) = self
            .store
            .record(request)?
            .filter(|r| r.status == Status::Waiting && !self.store.cooling(r, now))
        else {
            return Ok(Plan::new());
        };
        // How long she has waited, in whole tens of minutes (at least the
        // step's): a request back from a cool-down has waited longer.
        let sent = self
            .store
            .open_details(&record)
            .map_or(record.queued_at, |d| d.created_at);
        let waited = (now - sent).num_minutes() / ESCALATE_MINUTES * ESCALATE_MINUTES;
        let minutes = waited.max(ESCALATE_MINUTES * i64::from(step));
        tracing::warn!(event = "urgent_request_still_waiting", code = %record.code, minutes);
        self.store.audit(
            now,
            "bot",
            &AuditAction::Escalated(step),
            Some(&record.code),
        )?;
        if step == 1 {
            self.schedule(
                Duration::minutes(ESCALATE_MINUTES),
                &Job::Escalate {
                    request: *request,
                    step: 2,
                },
            )?;
        }
        self.address(desk::still_waiting(&record.code, minutes, step), now)
    }

    /// How long a claim on this request lasts before it goes back to the queue.
    pub(super) fn claim_limit(&self, urgency: Urgency) -> Duration {
        match urgency {
            Urgency::DangerNow => Duration::minutes(self.config.urgent_claim_minutes.into()),
            _ => Duration::hours(self.config.claim_hours.into()),
        }
    }

    /// A claim taken (or kept) at `at`: its holder is asked 5 minutes before
    /// the limit whether to keep it.
    pub(super) fn schedule_claim_check(
        &self,
        record: &crate::domain::request::RequestRecord,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError> {
        let ask = (self.claim_limit(record.urgency) - CLAIM_WARNING).max(Duration::zero());
        let now = self.clock.now();
        self.schedule(
            ask - (now - at),
            &Job::ClaimCheck {
                request: record.id,
                at,
            },
        )
    }

    /// Whether `request` is still claimed exactly as at `at` (not kept since,
    /// not ended): its holder and card.
    pub(super) fn claim_as_of(
        &self,
        request: &RecordId,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<
        Option<(
            crate::domain::request::RequestRecord,
            StaffHandle,
            Option<i32>,
        )>,
        StoreError,
    > {
        Ok(self
            .store
            .record(request)?
            .and_then(|record| match record.status.clone() {
                Status::Claimed {
                    by,
                    at: claimed,
                    card,
                } if claimed == at => Some((record, by, card)),
                _ => None,
            }))
    }

    /// What replaces a card that can no longer be deleted (older than 48 hours),
    /// in its holder's language.
    pub(super) fn card_stub(&self, handle: &str) -> String {
        let lang = self.language_of(handle);
        self.locales.format(
            &lang,
            &crate::i18n::text::Text::new(crate::i18n::text::DESK_CARD_STUB),
        )
    }

    /// Duty that started at `since` lapses: tell its staff member (unless they
    /// went on duty again since, or off).
    fn duty_lapsed(
        &self,
        handle: &str,
        since: chrono::DateTime<chrono::Utc>,
    ) -> Result<Plan, StoreError> {
        if self.store.duty_since(handle)? != Some(since) {
            return Ok(Plan::new());
        }
        let hours = i64::from(self.config.duty_max_hours);
        self.address(vec![desk::duty_lapsed(handle, hours)], self.clock.now())
    }

    /// The shelter's state set at `set_at` is a day old (unless set again since).
    fn shelter_stale(&self, set_at: chrono::DateTime<chrono::Utc>) -> Result<Plan, StoreError> {
        if self.store.shelter()?.map(|s| s.set_at) != Some(set_at) {
            return Ok(Plan::new());
        }
        self.address(vec![desk::shelter_stale()], self.clock.now())
    }

    /// A claim is nearly due: ask its holder to keep or release it, and put it
    /// back in 5 minutes unless kept.
    fn check_claim(
        &self,
        request: &RecordId,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<Plan, StoreError> {
        let Some((record, by, _)) = self.claim_as_of(request, at)? else {
            return Ok(Plan::new());
        };
        self.schedule(
            CLAIM_WARNING,
            &Job::ClaimExpire {
                request: *request,
                at,
            },
        )?;
        let mut ask = desk::claim_check(&by, record.id, &record.code);
        ask.to = Recipient::Staff(by);
        self.address(vec![ask], self.clock.now())
    }

    /// A claim was not kept: back in its place, its holder and the staff chat
    /// told, its card deleted.
    fn expire_claim(
        &self,
        request: &RecordId,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<Plan, StoreError> {
        let now = self.clock.now();
        let Some((_, by, _)) = self.claim_as_of(request, at)? else {
            return Ok(Plan::new());
        };
        let Some(ended) = self.store.end_claim(request, &by, Ending::Expired, now)? else {
            return Ok(Plan::new());
        };
        let notices = if ended.now {
            tracing::warn!(event = "claim_expired", code = %ended.code, by = %by);
            self.address(desk::claim_expired(&by, &ended.code), now)?
        } else {
            Plan::new()
        };
        let mut plan = notices;
        plan.extend(self.remove_cards(ended.messages()));
        Ok(plan)
    }
}
