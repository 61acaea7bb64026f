//! What the shells may ask of the engine besides its doors: the configuration
//! and words they need to run, the timed work that is due, the bot's own
//! bookkeeping at start and stop, and the counts for `--metrics`. The store,
//! the keys and the staff's Telegram ids stay inside.

use super::plan::{Chat, Plan};
use super::*;
use crate::counter::Counter;
use crate::crypto::Pseudonym;

impl App {
    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn locales(&self) -> &Locales {
        &self.locales
    }

    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// The staff, for their chats' menus.
    pub fn staff(&self) -> &[StaffMember] {
        &self.staff
    }

    /// Notified when a job is scheduled, so the scheduler looks again.
    pub fn scheduled(&self) -> &tokio::sync::Notify {
        &self.scheduled
    }

    /// The pseudonym of Telegram user `user` (the limiter counts by it).
    pub fn pseudonym(&self, user: u64) -> Pseudonym {
        self.keys.pseudonym(user)
    }

    /// Her language: the one she chose, else Telegram's (`hint`), else the
    /// default.
    pub fn her_language(&self, who: &Pseudonym, hint: Option<&str>) -> String {
        self.store
            .load_dialogue(who, self.clock.now())
            .ok()
            .flatten()
            .map(|d| d.lang)
            .filter(|l| self.locales.has(l))
            .or_else(|| self.locales.match_code(hint))
            .unwrap_or_else(|| self.locales.default_code().to_string())
    }

    /// The timed jobs due now, oldest first, with the ids to mark them done.
    pub fn jobs_due(&self) -> Result<Vec<(RecordId, Job)>, StoreError> {
        self.store.due_now(self.clock.now())
    }

    /// Job `id` is done: it is not done again.
    pub fn job_done(&self, id: &RecordId) -> Result<(), StoreError> {
        self.store.complete(id)
    }

    /// When the next job is due.
    pub fn next_due(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.store.next_due()
    }

    /// Whether the menus and descriptions published last are these (their
    /// fingerprint): Telegram limits how often they may be set.
    pub fn profile_is(&self, fingerprint: &[u8]) -> Result<bool, StoreError> {
        Ok(self.store.published_profile()?.as_deref() == Some(fingerprint))
    }

    /// The menus and descriptions with this fingerprint are published.
    pub fn profile_published(&self, fingerprint: &[u8]) -> Result<(), StoreError> {
        self.store.set_published_profile(fingerprint)
    }

    /// The bot starts: marked running, and the keys a crash left without their
    /// rows swept (only old ones: none is being used). Whether it stopped
    /// without closing cleanly last time.
    pub fn starting(&self) -> Result<bool, StoreError> {
        let crashed = self.store.mark_running()?;
        self.store
            .sweep_orphans(self.clock.now(), crate::store::ORPHAN_MIN_AGE)?;
        // Suspended while the bot was stopped (`ak-jurok staff suspend`, or
        // `disabled = true`): their claims go back and their letters go.
        let inactive: Vec<StaffHandle> = self
            .staff
            .iter()
            .filter(|m| m.disabled || self.store.is_suspended(&m.handle))
            .map(|m| m.handle.clone())
            .collect();
        for who in inactive {
            let (released, _cards) = self.end_claims_of(&who, self.clock.now())?;
            if released > 0 {
                tracing::warn!(event = "suspended_staff_claims_released", who = %who, released);
            }
        }
        Ok(crashed)
    }

    /// The bot stops: marked stopped, and flushed.
    pub fn stopping(&self) -> Result<(), StoreError> {
        self.store.mark_stopped()
    }

    /// Everything written so far is on disk.
    pub fn flush(&self) -> Result<(), StoreError> {
        self.store.flush()
    }

    /// Whether the database answers.
    pub fn database_answers(&self) -> bool {
        let danger = Counter::Waiting(Urgency::DangerNow);
        self.store.counter(danger).is_ok()
    }

    /// How many requests wait, of any urgency (the queue's length).
    pub fn queue_len(&self) -> usize {
        self.store.queue_len()
    }

    /// Retention, as the bot runs it every hour: [`App::purge`], and the
    /// screens that showed what she typed in a draft she left, deleted.
    pub fn on_purge(&self) -> Result<Plan, StoreError> {
        let report = self.purge()?;
        let mut plan = Plan::new();
        for (chat, ids) in report.to_delete {
            plan.delete(Chat::Her(chat), ids);
        }
        Ok(plan)
    }
}
