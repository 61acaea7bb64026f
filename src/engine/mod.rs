//! The bot's opened resources and the one path every input takes: load the sealed
//! dialogue, step the core, carry out its effects on the store, store the new
//! dialogue, render. The Telegram shell and the terminal demo both go through
//! [`App::handle`].

use std::sync::Arc;

use chrono::Duration;

use crate::clock::Clock;
use crate::config::StaffMember;
use crate::config::{Config, ConfigError};
use crate::conversation::{self, Ctx, Delivery, Effect, Event, Input, Recipient, Reply, Screen};
use crate::crypto::keyring::{self, KeyringError};
use crate::crypto::{self, KeyError, Keys, Pseudonym};
use crate::desk::{self, Card, DeskEffect, DeskEvent, DeskInput, QueueCounts, TryLine};
use crate::domain::ids::{RecordId, StaffHandle};
use crate::domain::report::Period;
use crate::domain::request::{
    Attempts, RequestView, Resolution, Status, TicketCode, TryResult, Urgency, Words,
};
use crate::domain::shelter::ShelterState;
use crate::i18n::{LocaleError, Locales};
use crate::store::{
    AuditAction, Choice, Claimed, Ending, Job, PurgeReport, Retention, Session, Store, StoreError,
    Submit, Submitted, TryRecorded,
};
use crate::ui::render::{render, Rendered};

mod alerts;
mod backups;
mod claims;
mod cover;
mod desk_port;
mod disk;
mod entry;
mod her;
mod jobs;
mod letters;
mod plan;
mod receipts;
mod relay;
mod reports;
mod shell;
mod shelter;
mod staff;
mod team;

pub use her::{Carry, HerStep};
pub use plan::{Chat, Deed, Failing, Plan, Receipt, Remember, Show};

/// What the shell must do after a staff member's input.
#[derive(Debug, Default)]
pub(crate) struct StaffHandled {
    pub replies: Vec<Rendered>,
    /// Cards to delete in staff members' chats (handle, message id).
    pub delete_for_staff: Vec<(StaffHandle, i32)>,
    /// Messages for other staff (a supervisor told of a child at risk, a
    /// holder told a supervisor released the claim).
    pub notices: plan::Plan,
    /// Delete the message the staff member just sent (a handover note: it is
    /// kept sealed with the request instead).
    pub delete_incoming: bool,
    /// A message for her to send at once: she is in the conversation.
    pub to_her: Option<plan::Show>,
}

/// How long before a claim's limit its holder is asked to keep it.
const CLAIM_WARNING: Duration = Duration::minutes(5);

/// Minutes between the alerts about a danger-now request nobody has taken.
const ESCALATE_MINUTES: i64 = 10;

/// Attempts a day at typing the code of a request kept through Erase.
pub const REVEAL_TRIES_PER_DAY: u8 = 3;

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error(transparent)]
    Locale(#[from] LocaleError),
    #[error(transparent)]
    Keyring(#[from] KeyringError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub struct App {
    /// Staff, with their Telegram ids: in memory only, from the configuration.
    staff: Vec<StaffMember>,
    /// What the desk remembers between a staff member's inputs (typed text
    /// asked for, recent claims): its rules live in `desk`.
    desk: desk::DeskState,
    /// Notified when a job is scheduled, so the scheduler looks again.
    scheduled: tokio::sync::Notify,
    config: Config,
    keys: Arc<Keys>,
    locales: Locales,
    store: Store,
    clock: Arc<dyn Clock>,
    languages: Vec<String>,
    /// The note after Erase, per chat, while it stays (in memory only, a
    /// minute or so): her Hide removes it too, as it removes everything else.
    erase_notes: std::sync::Mutex<std::collections::HashMap<i64, ErasedNote>>,
    /// Her *danger now* requests of the last day, by pseudonym: how often
    /// they may ring (in memory, so Erase does not reset it).
    alarms: desk::Alarms<Pseudonym>,
    /// Whether a store write failed for good in this process (degraded).
    disk: disk::DiskState,
    /// The desk language each staff member chose (`/language`), by handle,
    /// mirrored from the store.
    staff_languages: std::sync::RwLock<std::collections::HashMap<String, String>>,
}

/// The note shown after Erase: when, and its messages.
type ErasedNote = (chrono::DateTime<chrono::Utc>, Vec<i32>);

/// Who is talking, as the shells know it.
#[derive(Clone)]
pub struct Speaker {
    pub who: Pseudonym,
    /// Telegram's `language_code`, used only to preselect a language.
    pub language_code: Option<String>,
    /// Her chat, sealed into a request so staff can write back and erase.
    pub chat_id: i64,
}

/// What the shell must do after an input.
#[derive(Debug, Default)]
pub(crate) struct Handled {
    pub replies: Vec<Rendered>,
    /// Delete the message she just sent (it held personal data).
    pub delete_incoming: bool,
    /// Message ids to delete now (Hide, Erase).
    pub delete: Vec<i32>,
    /// Delete the replies after `erase_note_seconds`.
    pub delete_replies_later: bool,
    /// She was erased: nothing of this exchange is remembered.
    pub erased: bool,
    /// Messages for staff (a new request's line, an urgent alert), each to a
    /// staff member or the staff chat, in their language.
    pub notices: plan::Plan,
    /// Messages to delete in staff members' chats (handle, message id): the
    /// card of a request she withdrew.
    pub delete_for_staff: Vec<(StaffHandle, i32)>,
    /// What she sent went to a specialist: her message stays in her chat until
    /// the conversation goes quiet (the shell reports its id to `relay_touch`).
    pub relayed_incoming: bool,
}

/// Every text of the staff commands in files of their own is in every
/// language (the others are checked as the locales load).
fn own_texts_known(locales: &Locales) -> Result<(), LocaleError> {
    for lang in locales.codes() {
        let known = locales.ids(&lang);
        let texts = crate::ui::commands::own().flat_map(|command| command.texts());
        if let Some(id) = texts.into_iter().find(|id| !known.contains(id.0)) {
            return Err(LocaleError::Missing {
                lang,
                id: id.0.to_string(),
            });
        }
    }
    Ok(())
}

impl App {
    pub fn open(config: Config, clock: Arc<dyn Clock>) -> Result<App, OpenError> {
        config.ensure_data_dir()?;
        let key_file = config.key_file();
        crypto::check_key_outside(&key_file, &config.data_dir)?;
        let keyring = config.keyring_file();
        keyring::check_outside(&keyring, &config.data_dir)?;
        let keys = Arc::new(Keys::load_or_create(&key_file)?);
        let locales = match &config.locales_dir {
            Some(dir) => Locales::load(dir, &config.default_language)?,
            None => Locales::embedded(&config.default_language)?,
        };
        own_texts_known(&locales)?;
        config.validate(&locales.codes())?;
        config.outcome.validate_labels(&locales)?;
        let store = Store::open(
            &config.data_dir,
            &keyring,
            config.sled_cache_mb,
            keys.clone(),
        )?;
        let staff_languages = std::sync::RwLock::new(store.staff_languages()?);
        Ok(App {
            staff_languages,
            staff: config.staff_members()?,
            desk: Default::default(),
            scheduled: tokio::sync::Notify::new(),
            languages: locales.codes(),
            config,
            keys,
            locales,
            store,
            clock,
            erase_notes: Default::default(),
            alarms: Default::default(),
            disk: Default::default(),
        })
    }

    fn ctx(&self, speaker: &Speaker) -> Ctx<'_> {
        let shelter = self.store.shelter().unwrap_or_else(|_| {
            tracing::error!(event = "shelter_state_unreadable");
            None
        });
        Ctx {
            shelter,
            ..self.bare_ctx(speaker)
        }
    }

    /// Her core's context from the configuration alone: nothing read.
    fn bare_ctx(&self, speaker: &Speaker) -> Ctx<'_> {
        Ctx {
            shelter: None,
            my_request: None,
            now: self.clock.now(),
            center: &self.config.center,
            languages: &self.languages,
            default_language: self.locales.default_code(),
            language_hint: self.locales.match_code(speaker.language_code.as_deref()),
            draft_ttl: Duration::hours(self.config.draft_ttl_hours.into()),
            windows: &self.config.contact_windows,
            may_start_request: true,
            idle_days: self.config.dialogue_idle_days,
            grace_days: self.config.request_grace_days,
        }
    }

    /// The note after Erase is shown in `chat`: it goes in a minute or so —
    /// kept on disk, so a restart in between does not leave it behind — or
    /// at her Hide, whichever comes first.
    pub(super) fn erase_note_shown(&self, chat: i64, ids: Vec<i32>) -> Result<(), StoreError> {
        let now = self.clock.now();
        let keep = Duration::seconds(self.config.erase_note_seconds as i64);
        if let Ok(mut notes) = self.erase_notes.lock() {
            notes.retain(|_, (at, _)| now - *at < keep);
            notes.insert(chat, (now, ids.clone()));
        }
        self.schedule(keep, &Job::DeleteMessages { chat, ids })
    }

    /// The note after Erase still on her screen in `chat`, taken.
    pub(super) fn take_erase_note(&self, chat: i64) -> Vec<i32> {
        self.erase_notes
            .lock()
            .ok()
            .and_then(|mut notes| notes.remove(&chat))
            .map(|(_, ids)| ids)
            .unwrap_or_default()
    }

    /// Keeps `job` to be done `after` from now, and wakes the scheduler.
    pub fn schedule(&self, after: Duration, job: &Job) -> Result<(), StoreError> {
        self.schedule_at(self.clock.now() + after, job)
    }

    /// Keeps `job` to be done at `at` (a time worked out from a `now` read
    /// earlier: the clock may have moved since, and `at - now` added to the
    /// clock again would land late), and wakes the scheduler.
    pub fn schedule_at(
        &self,
        at: chrono::DateTime<chrono::Utc>,
        job: &Job,
    ) -> Result<(), StoreError> {
        self.store.schedule(at, job, self.clock.now())?;
        self.scheduled.notify_one();
        Ok(())
    }

    /// Retention: destroys the data of requests ended before the grace period and
    /// removes idle dialogues.
    pub fn purge(&self) -> Result<PurgeReport, StoreError> {
        let report = self.store.purge(
            self.clock.now(),
            &Retention {
                grace: Duration::days(self.config.request_grace_days.into()),
                idle: Duration::days(self.config.dialogue_idle_days.into()),
                draft_ttl: Duration::hours(self.config.draft_ttl_hours.into()),
                audit: Duration::days(self.config.audit_days.into()),
            },
        )?;
        let blocks_ended = self.store.purge_blocks(self.clock.now())?;
        tracing::info!(
            event = "purged",
            blocks_ended,
            requests = report.requests,
            dialogues = report.dialogues,
            orphan_keys = report.orphans
        );
        Ok(report)
    }

    /// The answer after a failure: an apology and the menu, in her language if known.
    pub(crate) fn apology(&self, speaker: &Speaker) -> Rendered {
        let ctx = self.ctx(speaker);
        let lang = self.her_language(&speaker.who, speaker.language_code.as_deref());
        render(
            &self.locales,
            &self.config.center,
            &lang,
            &conversation::apology(&lang, &ctx),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_language_without_an_own_commands_text_does_not_open() {
        let dir = tempfile::tempdir().unwrap();
        let ky = dir.path().join("ky");
        std::fs::create_dir_all(&ky).unwrap();
        let all: String = crate::i18n::text::ALL
            .iter()
            .map(|id| format!("{} = x\n", id.0))
            .collect();
        std::fs::write(ky.join("all.ftl"), &all).unwrap();
        let locales = Locales::load(dir.path(), "ky").unwrap();
        let missing = own_texts_known(&locales).unwrap_err().to_string();
        assert!(missing.contains("cmd-card"), "{missing}");
        let own: String = crate::ui::commands::own()
            .flat_map(|command| command.texts())
            .map(|id| format!("{} = x\n", id.0))
            .collect();
        std::fs::write(ky.join("all.ftl"), all + &own).unwrap();
        let locales = Locales::load(dir.path(), "ky").unwrap();
        assert!(own_texts_known(&locales).is_ok());
    }
}
