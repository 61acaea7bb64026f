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
use crate::crypto::{self, KeyError, Keys, Pseudonym};
use crate::desk::{self, Card, DeskEffect, DeskEvent, DeskInput, QueueCounts, TryLine};
use crate::i18n::{LocaleError, Locales};
use crate::keyring::RecordId;
use crate::keyring::{self, KeyringError};
use crate::render::{render, Rendered};
use crate::report::Period;
use crate::request::{Attempts, RequestView, Resolution, Status, TryResult, Urgency};
use crate::shelter::ShelterState;
use crate::store::{
    Choice, Claimed, Ending, EnqueueError, Job, Links, PurgeReport, Retention, Store, StoreError,
    TryRecorded, Words,
};

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

/// What the shell must do after a staff member's input.
#[derive(Debug, Default)]
pub struct StaffHandled {
    pub replies: Vec<Rendered>,
    /// Cards to delete in staff members' chats (handle, message id).
    pub delete_for_staff: Vec<(String, i32)>,
    /// Messages for other staff (a supervisor told of a child at risk, a
    /// holder told a supervisor released the claim).
    pub notices: Vec<Rendered>,
    /// Delete the message the staff member just sent (a handover note: it is
    /// kept sealed with the request instead).
    pub delete_incoming: bool,
    /// A message for her to send at once: she is in the conversation.
    pub to_her: Option<Knock>,
}

/// What an expired claim leaves to do: notices, and the card (and her relayed
/// words) to delete (its holder's handle, the message id).
#[derive(Default)]
pub struct Expired {
    pub notices: Vec<Rendered>,
    pub cards: Vec<(String, i32)>,
}

/// How long before a claim's limit its holder is asked to keep it.
const CLAIM_WARNING: Duration = Duration::minutes(5);

/// Minutes between the alerts about a danger-now request nobody has taken.
const ESCALATE_MINUTES: i64 = 10;

/// Attempts a day at typing the code of a request kept through Erase.
pub const REVEAL_TRIES_PER_DAY: u8 = 3;

/// What a letter's delivery came to.
pub enum LetterDue {
    /// Send this knock now.
    Knock(Box<Knock>),
    /// Not yet (her window, the quiet after Hide): scheduled again.
    Later,
    /// Not unless she asks: she kept its request through Erase, so it waits
    /// sealed until she types the request's code (then it shows on *My
    /// request*), or is destroyed when the request closes.
    Held,
    /// It cannot go (she erased the chat, cancelled the request, or its key is
    /// gone): dropped, and its writer told (these notices).
    Dropped(Vec<Rendered>),
}

/// A message ready to go to her chat (a knock, or a live reply).
pub struct Knock {
    pub chat: i64,
    pub rendered: Rendered,
    /// If Telegram refuses it (she blocked the bot), what its writer is told.
    pub undeliverable: Option<Rendered>,
}

impl std::fmt::Debug for Knock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Knock(..)")
    }
}

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
    pub staff: Vec<StaffMember>,
    /// What the desk remembers between a staff member's inputs (typed text
    /// asked for, recent claims): its rules live in `desk`.
    desk: desk::DeskState,
    /// Notified when a job is scheduled, so the scheduler looks again.
    pub scheduled: tokio::sync::Notify,
    pub config: Config,
    pub keys: Arc<Keys>,
    pub locales: Locales,
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    languages: Vec<String>,
}

/// Her screen, turned into the cover after she left it alone.
pub struct IdleCover {
    /// Her chat's messages that can still be deleted, oldest first.
    pub ids: Vec<i32>,
    pub rendered: Rendered,
}

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
pub struct Handled {
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
    pub notices: Vec<Rendered>,
    /// Messages to delete in staff members' chats (handle, message id): the
    /// card of a request she withdrew.
    pub delete_for_staff: Vec<(String, i32)>,
    /// What she sent went to a specialist: her message stays in her chat until
    /// the conversation goes quiet (the shell reports its id to `relay_touch`).
    pub relayed_incoming: bool,
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
        let store = Store::open(
            &config.data_dir,
            &keyring,
            config.sled_cache_mb,
            keys.clone(),
        )?;
        Ok(App {
            staff: config.staff_members()?,
            desk: Default::default(),
            scheduled: tokio::sync::Notify::new(),
            languages: locales.codes(),
            config,
            keys,
            locales,
            store,
            clock,
        })
    }

    fn my_request(&self, links: &Links) -> Option<RequestView> {
        self.store.view_request(links).unwrap_or_else(|_| {
            tracing::error!(event = "request_unreadable");
            None
        })
    }

    fn ctx(&self, speaker: &Speaker) -> Ctx<'_> {
        let shelter = self.store.shelter().unwrap_or_else(|_| {
            tracing::error!(event = "shelter_state_unreadable");
            None
        });
        Ctx {
            shelter,
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

    pub fn handle(
        &self,
        speaker: &Speaker,
        input: Input,
        pressed: Option<i32>,
    ) -> Result<Handled, StoreError> {
        self.handle_in(speaker, input, pressed, false)
            .map(Option::unwrap_or_default)
    }

    /// [`App::handle`], when it does not wait for the disk: she has a
    /// conversation (no key to write), what she did only moves her through the
    /// screens (nothing is flushed), and no idle-cover job is due to be written.
    /// Otherwise None, with nothing written: the shell then runs `handle` on the
    /// blocking pool.
    pub fn handle_light(
        &self,
        speaker: &Speaker,
        input: Input,
        pressed: Option<i32>,
    ) -> Result<Option<Handled>, StoreError> {
        self.handle_in(speaker, input, pressed, true)
    }

    fn handle_in(
        &self,
        speaker: &Speaker,
        input: Input,
        pressed: Option<i32>,
        light_only: bool,
    ) -> Result<Option<Handled>, StoreError> {
        let who = &speaker.who;
        // Everything below reads and writes her rows: one at a time per person.
        let _her = self.store.lock(who);
        let mut ctx = self.ctx(speaker);
        let (previous, mut links) = match self.store.load(who, ctx.now)? {
            Some(conversation) => (Some(conversation.dialogue), conversation.links),
            None => (None, Links::default()),
        };
        if conversation::needs_my_request(previous.as_ref(), &input) {
            ctx.my_request = self.my_request(&links);
        }
        ctx.may_start_request = links.starts_on(ctx.now) < self.config.wizard_starts_per_day;
        let was_in_wizard = previous
            .as_ref()
            .is_some_and(|d| d.screen == Screen::Wizard);
        let lang_before = previous.as_ref().map(|d| d.lang.clone());
        // After Hide, nothing is delivered to her for a while.
        if input == Input::Pressed(conversation::Action::Hide) {
            links.hidden_at = Some(ctx.now);
        }
        let known = previous.is_some();
        let outcome = conversation::step(previous, input, &ctx);
        let idle = Duration::minutes(self.config.idle_cover_minutes.into());
        let idle_job = idle > Duration::zero()
            && outcome.dialogue.is_some()
            && links.idle_due.is_none_or(|due| due <= ctx.now);
        if light_only {
            let light = known
                && outcome.dialogue.is_some()
                && !idle_job
                && outcome.effects.iter().all(|e| {
                    matches!(
                        e,
                        Effect::DeleteIncoming
                            | Effect::DeleteTracked { .. }
                            | Effect::DeleteReplyLater
                    )
                });
            if !light {
                return Ok(None);
            }
        }
        // She left the wizard: the messages that showed what she typed go.
        let mut exposed = Vec::new();
        if outcome
            .dialogue
            .as_ref()
            .is_none_or(|d| d.screen != Screen::Wizard)
        {
            // Except the pressed message when it is being replaced (Send turns
            // the summary into the confirmation, with the number masked).
            let edits_pressed = outcome
                .replies
                .iter()
                .any(|r| r.delivery == Delivery::EditPressed)
                || outcome
                    .effects
                    .iter()
                    .any(|e| matches!(e, Effect::Submit { .. }));
            exposed = links.take_exposed(pressed.filter(|_| edits_pressed), ctx.now);
        }
        if !was_in_wizard
            && outcome.dialogue.as_ref().is_some_and(|d| {
                d.screen == Screen::Wizard && d.draft.as_ref().is_some_and(|x| !x.danger())
            })
        {
            links.count_start(ctx.now);
        }
        let lang = outcome
            .dialogue
            .as_ref()
            .map(|d| d.lang.clone())
            .or(lang_before)
            .unwrap_or_else(|| ctx.default_language.to_string());
        // Her screen turns into the cover if she walks away from it: one timed
        // job at a time, which looks again when it is due.
        if idle_job {
            links.idle_due = Some(ctx.now + idle);
            self.schedule(
                idle,
                &Job::IdleCover {
                    chat: speaker.chat_id,
                },
            )?;
        }
        let mut handled = Handled::default();
        let mut replies = outcome.replies;
        let mut dialogue_stored = false;
        for effect in outcome.effects {
            match effect {
                Effect::DeleteIncoming => handled.delete_incoming = true,
                Effect::DeleteTracked { keep_pressed } => {
                    let keep = pressed.filter(|_| keep_pressed);
                    // Tracked ids include the exposed ones: all of them go.
                    links.take_exposed(keep, ctx.now);
                    handled.delete = self.store.take_tracked(who, keep, ctx.now)?;
                }
                Effect::Submit {
                    submission,
                    replaces,
                } => {
                    let Some(dialogue) = &outcome.dialogue else {
                        continue;
                    };
                    if self.store.is_blocked(&self.keys.block_tag(who), ctx.now)? {
                        // Blocked: nothing is queued; she is back at the menu.
                        let mut back = dialogue.clone();
                        back.screen = Screen::Menu;
                        back.draft = None;
                        self.store.save(who, &back, &links, ctx.now)?;
                        dialogue_stored = true;
                        tracing::info!(event = "blocked_sender_not_queued");
                        replies.extend(conversation::answer(&Event::Blocked, &ctx));
                        continue;
                    }
                    let full = self.store.queue_len() >= self.config.max_waiting as usize;
                    if replaces.is_none() && submission.urgency != Urgency::DangerNow && full {
                        // Too many wait already: she is asked to call, nothing is kept.
                        let mut back = dialogue.clone();
                        back.screen = Screen::Menu;
                        back.draft = None;
                        self.store.save(who, &back, &links, ctx.now)?;
                        dialogue_stored = true;
                        tracing::warn!(event = "queue_full_request_not_taken");
                        replies.extend(conversation::answer(&Event::QueueFull, &ctx));
                        continue;
                    }
                    let result = match &replaces {
                        Some(_) => self.store.replace(
                            who,
                            speaker.chat_id,
                            &submission,
                            dialogue,
                            &links,
                            ctx.now,
                        ),
                        None => self.store.enqueue(
                            who,
                            speaker.chat_id,
                            &submission,
                            dialogue,
                            &mut links,
                            ctx.now,
                        ),
                    };
                    dialogue_stored = true;
                    let event = match result {
                        Ok(queued) => {
                            tracing::info!(event = "request_queued", code = %queued.code, urgency = submission.urgency.tag());
                            if replaces.is_none() && submission.urgency == Urgency::DangerNow {
                                self.schedule(
                                    Duration::minutes(ESCALATE_MINUTES),
                                    &Job::Escalate {
                                        request: queued.id,
                                        step: 1,
                                    },
                                )?;
                            }
                            if let (None, Some(schedule)) =
                                (&replaces, &self.config.center.schedule)
                            {
                                // For the reports: did she write in working hours?
                                let inside = matches!(
                                    schedule.expectation(ctx.now),
                                    crate::schedule::Expectation::Today { .. }
                                );
                                let tag = if inside { "inside" } else { "outside" };
                                self.store.count_stat(ctx.now, "hours", tag)?;
                            }
                            if replaces.is_none() {
                                let notices = desk::new_request(
                                    &queued.code,
                                    submission.topic,
                                    submission.urgency,
                                    self.store.queue_len() as u64,
                                );
                                handled.notices = self.address(notices, ctx.now)?;
                            }
                            Event::Queued {
                                code: queued.code,
                                ahead: queued.ahead,
                                replaced: replaces.is_some(),
                                submission,
                            }
                        }
                        Err(EnqueueError::AlreadyOpen | EnqueueError::NotWaiting) => {
                            // Saved nothing: her dialogue moves on to her request.
                            self.store.save(who, dialogue, &links, ctx.now)?;
                            Event::NotQueued
                        }
                        Err(EnqueueError::Store(e)) => return Err(e),
                    };
                    ctx.my_request = self.my_request(&links);
                    replies.extend(conversation::answer(&event, &ctx));
                }
                Effect::CancelRequest => {
                    if let Some(record) = self.store.cancel_request(&links, ctx.now)? {
                        tracing::info!(event = "request_cancelled_by_her", code = %record.code);
                        if let Status::Claimed { by, card, .. } = &record.status {
                            let messages = card.iter().chain(&record.relayed).copied().collect();
                            self.withdraw(&mut handled, &record.code, by, messages, ctx.now)?;
                        }
                    }
                }
                Effect::RevealRequest { code } => {
                    let revealed =
                        self.store
                            .reveal(&mut links, &code, REVEAL_TRIES_PER_DAY, ctx.now)?;
                    let mut letters = Vec::new();
                    if let Some(id) = revealed {
                        tracing::info!(event = "kept_request_revealed");
                        // What the specialist wrote meanwhile: shown here, as
                        // the answer to her own tap — never knocked.
                        letters = self.letters_on_reveal(&id, ctx.now, &mut handled)?;
                    }
                    ctx.my_request = self.my_request(&links);
                    replies.extend(conversation::answer(&Event::CodeTried { letters }, &ctx));
                }
                Effect::Erase { cancel_request } => {
                    let erased = self.store.erase(who, !cancel_request, ctx.now)?;
                    for (code, by, messages) in &erased.withdrawn {
                        self.withdraw(&mut handled, code, by, messages.clone(), ctx.now)?;
                    }
                    handled.erased = true;
                    dialogue_stored = true;
                    tracing::info!(
                        event = "erased",
                        request_cancelled = erased.cancelled,
                        requests_kept = erased.kept
                    );
                }
                Effect::DeleteReplyLater => handled.delete_replies_later = true,
                Effect::Relay(words) => {
                    if let Some(event) =
                        self.relay_from_her(speaker, &links, &words, ctx.now, &mut handled)?
                    {
                        replies.extend(conversation::answer(&event, &ctx));
                    }
                }
                Effect::OpenLetter(id) => {
                    let event = match self.store.letter(&id)? {
                        // Only in the chat it was written to (a forged button
                        // finds nothing), and never about a request she kept
                        // through Erase (an old knock would show it to whoever
                        // holds her phone now).
                        Some((posted, letter))
                            if letter.chat_id == speaker.chat_id
                                && !links.hides(&posted.request) =>
                        {
                            self.store.drop_letter(&id)?;
                            handled.notices.extend(self.letter_news(
                                &posted.request,
                                &letter,
                                desk::LetterNews::Opened,
                                ctx.now,
                            )?);
                            let code = self
                                .store
                                .record(&posted.request)?
                                .map(|r| r.code)
                                .unwrap_or_default();
                            Event::Letter {
                                code,
                                words: letter.words,
                            }
                        }
                        _ => Event::LetterGone,
                    };
                    replies.extend(conversation::answer(&event, &ctx));
                }
            }
        }
        for id in exposed {
            if !handled.delete.contains(&id) {
                handled.delete.push(id);
            }
        }
        if !dialogue_stored {
            match &outcome.dialogue {
                Some(dialogue) => self.store.save(who, dialogue, &links, ctx.now)?,
                None => {
                    self.store.erase(who, true, ctx.now)?;
                }
            }
        }
        handled.replies = replies
            .iter()
            .map(|reply| render(&self.locales, &self.config.center, &lang, reply))
            .collect();
        Ok(Some(handled))
    }

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

    /// A message from `handle` to her about request `id`, which they hold: into
    /// the outbox, sealed, to go as a knock in her window.
    fn post_letter(
        &self,
        handle: &str,
        id: &RecordId,
        text: &str,
        now: chrono::DateTime<chrono::Utc>,
        to_her: &mut Option<Knock>,
    ) -> Result<DeskEvent, StoreError> {
        let Some(record) = self.held_by(id, handle)? else {
            return Ok(DeskEvent::NotYours);
        };
        let Some(details) = self.store.open_details(&record) else {
            return Ok(DeskEvent::NotYours);
        };
        let chat = details.personal.chat_id;
        // She erased the chat and kept the request: never live, never a knock.
        let hidden = self.hidden_from_her(id, chat, now)?;
        if !hidden && self.is_live(chat, now)? {
            // She is in the conversation: plain and silent, at once.
            let lang = details
                .lang
                .as_deref()
                .unwrap_or(self.locales.default_code());
            let message = conversation::live_message(&record.code, text);
            let news = desk::letter_news(handle, &record.code, desk::LetterNews::Undeliverable);
            *to_her = Some(Knock {
                chat,
                rendered: render(&self.locales, &self.config.center, lang, &message),
                undeliverable: self.address(vec![news], now)?.pop(),
            });
            self.store.audit(now, handle, "wrote", Some(&record.code))?;
            return Ok(DeskEvent::SentLive(record.code));
        }
        let letter = crate::store::Letter {
            chat_id: chat,
            words: Words::Staff(text.to_string()),
            from: Some(handle.to_string()),
            posted_at: Some(now),
        };
        let Some(letter) = self.store.post(id, &letter)? else {
            return Ok(DeskEvent::NotYours);
        };
        self.store.audit(now, handle, "wrote", Some(&record.code))?;
        if hidden {
            tracing::info!(event = "letter_held_for_her_code", code = %record.code, by = handle);
            return Ok(DeskEvent::PostedHidden(record.code));
        }
        self.schedule(Duration::zero(), &Job::Deliver { letter })?;
        tracing::info!(event = "letter_posted", code = %record.code, by = handle);
        Ok(DeskEvent::Posted(record.code))
    }

    /// What she wrote to the specialist: to whoever holds her request now (with
    /// a button to answer), else kept sealed for the next one. `None` when it
    /// went through (nothing more to say to her).
    fn relay_from_her(
        &self,
        speaker: &Speaker,
        links: &Links,
        words: &str,
        now: chrono::DateTime<chrono::Utc>,
        handled: &mut Handled,
    ) -> Result<Option<Event>, StoreError> {
        if self
            .store
            .is_blocked(&self.keys.block_tag(&speaker.who), now)?
        {
            return Ok(Some(Event::RelayRefused));
        }
        let mut about = None;
        for id in links.requests().iter().rev() {
            let Some(record) = self.store.record(id)?.filter(|r| r.status.is_open()) else {
                continue;
            };
            let here = self
                .store
                .open_details(&record)
                .is_some_and(|d| d.contact == crate::request::ContactMethod::Telegram);
            if here {
                about = Some(record);
                break;
            }
        }
        let Some(record) = about else {
            return Ok(Some(Event::RelayRefused));
        };
        // Telegram allows 4096 characters; the frame around her words needs some.
        let words: String = words.chars().take(desk::LETTER_MAX_CHARS).collect();
        handled.relayed_incoming = true;
        match &record.status {
            Status::Claimed { by, .. } => {
                let notice = desk::her_words(by, record.id, &record.code, &words);
                handled.notices.extend(self.address(vec![notice], now)?);
                tracing::info!(event = "relayed_to_staff", code = %record.code);
                Ok(None)
            }
            _ => {
                self.store.hold_words(&record.id, &words)?;
                tracing::info!(event = "relayed_words_held", code = %record.code);
                Ok(Some(Event::RelayWaiting))
            }
        }
    }

    /// Messages of her conversation with a specialist are in her chat: kept
    /// with her (Hide and Erase remove them), deleted when the conversation
    /// goes quiet, and each within a day whatever happens.
    pub fn relay_touch(&self, chat: i64, ids: &[i32], hers: bool) -> Result<(), StoreError> {
        let now = self.clock.now();
        let who = self.keys.pseudonym(chat as u64);
        {
            let _her = self.store.lock(&who);
            self.store.relay_touch(&who, ids, hers, now)?;
        }
        self.schedule(
            Duration::minutes(self.config.relay_quiet_minutes.into()),
            &Job::RelayQuiet { chat, since: now },
        )?;
        self.schedule(
            Duration::hours(24),
            &Job::DeleteMessages {
                chat,
                ids: ids.to_vec(),
            },
        )
    }

    /// Her screen's idle job is due. If she did nothing for the idle time and
    /// her screen is not already the cover: the cover (in her language) and
    /// the messages to delete — newest last; the shell edits the newest it can
    /// into the cover. If she did something since, the job is set again.
    pub fn idle_cover(&self, chat: i64) -> Result<Option<IdleCover>, StoreError> {
        let now = self.clock.now();
        let who = self.keys.pseudonym(chat as u64);
        let _her = self.store.lock(&who);
        let Some(conversation) = self.store.load(&who, now)? else {
            return Ok(None);
        };
        let (dialogue, mut links) = (conversation.dialogue, conversation.links);
        let idle = Duration::minutes(self.config.idle_cover_minutes.into());
        let last = dialogue.updated_at;
        links.idle_due = None;
        if idle > Duration::zero() && now - last < idle {
            let due = last + idle;
            links.idle_due = Some(due);
            self.schedule(due - now, &Job::IdleCover { chat })?;
            self.store.save(&who, &dialogue, &links, now)?;
            return Ok(None);
        }
        let hidden = links.hidden_at.is_some_and(|at| at >= last);
        let covered = matches!(dialogue.screen, Screen::Covid(_));
        let ids = if hidden || covered || idle == Duration::zero() {
            Vec::new()
        } else {
            self.store.take_tracked(&who, None, now)?
        };
        self.store.save(&who, &dialogue, &links, now)?;
        if ids.is_empty() {
            return Ok(None);
        }
        tracing::info!(event = "idle_screen_covered");
        let mut cover = conversation::covid::render(1);
        cover.delivery = Delivery::EditPressed;
        Ok(Some(IdleCover {
            ids,
            rendered: render(&self.locales, &self.config.center, &dialogue.lang, &cover),
        }))
    }

    /// The message that now shows the cover is remembered, so Hide and Erase
    /// remove it too.
    pub fn idle_covered(&self, chat: i64, message: i32) -> Result<(), StoreError> {
        let who = self.keys.pseudonym(chat as u64);
        let _her = self.store.lock(&who);
        self.store.track(&who, &[message], self.clock.now())
    }

    /// Her conversation with a specialist last active at `since`: if nothing
    /// was said since, its messages to delete from her chat now.
    pub fn relay_quiet(
        &self,
        chat: i64,
        since: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<i32>, StoreError> {
        let who = self.keys.pseudonym(chat as u64);
        let _her = self.store.lock(&who);
        self.store.take_quiet_relay(&who, since, self.clock.now())
    }

    /// Whether she is in the conversation with a specialist now: on that
    /// screen, and she wrote within the quiet time.
    fn is_live(&self, chat: i64, now: chrono::DateTime<chrono::Utc>) -> Result<bool, StoreError> {
        let who = self.keys.pseudonym(chat as u64);
        let quiet = Duration::minutes(self.config.relay_quiet_minutes.into());
        Ok(self.store.load(&who, now)?.is_some_and(|c| {
            c.dialogue.screen == Screen::Specialist
                && c.links.wrote_at.is_some_and(|at| now - at < quiet)
        }))
    }

    /// Whether request `id`, whose details name chat `chat`, is one she kept
    /// through Erase and has not brought back with its code. The one rule for
    /// all that would reach her chat about it: nothing does — no knock, no
    /// live message, no closed-notice; its letters wait sealed for her code.
    fn hidden_from_her(
        &self,
        id: &RecordId,
        chat: i64,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<bool, StoreError> {
        let who = self.keys.pseudonym(chat as u64);
        Ok(self
            .store
            .load(&who, now)?
            .is_some_and(|c| c.links.hides(id)))
    }

    /// Request `id` closed. If she kept it through Erase, its waiting letters
    /// are destroyed with it. Otherwise, if the center wants it, she gets a
    /// letter saying so — but never after a could-not-reach close, nor once
    /// someone else answered a call to her (he may hold her phone).
    fn closed_for_her(
        &self,
        id: &RecordId,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError> {
        let Some(record) = self.store.record(id)? else {
            return Ok(());
        };
        let Some(details) = self.store.open_details(&record) else {
            return Ok(());
        };
        let chat = details.personal.chat_id;
        if self.hidden_from_her(id, chat, now)? {
            let destroyed = self.store.drop_letters_of(id)?;
            if destroyed > 0 {
                tracing::info!(event = "kept_request_letters_destroyed", code = %record.code, count = destroyed);
            }
            return Ok(());
        }
        let unreachable = matches!(
            record.status,
            Status::Closed {
                resolution: Resolution::Unreachable,
                ..
            }
        );
        if !self.config.tell_her_when_closed
            || unreachable
            || self.store.open_attempts(&record).someone_else_answered()
        {
            return Ok(());
        }
        let letter = crate::store::Letter {
            chat_id: chat,
            words: Words::RequestClosed,
            from: None,
            posted_at: Some(now),
        };
        if let Some(letter) = self.store.post(id, &letter)? {
            self.schedule(Duration::zero(), &Job::Deliver { letter })?;
        }
        Ok(())
    }

    /// She brought back request `id` with its code: the letters that waited
    /// for her, to show on that screen (they go from the outbox, and their
    /// writers are told she read them). A closed request's are destroyed.
    fn letters_on_reveal(
        &self,
        id: &RecordId,
        now: chrono::DateTime<chrono::Utc>,
        handled: &mut Handled,
    ) -> Result<Vec<(String, Words)>, StoreError> {
        let Some(record) = self.store.record(id)? else {
            return Ok(Vec::new());
        };
        let mut shown = Vec::new();
        for (letter_id, letter) in self.store.letters_of(id)? {
            self.store.drop_letter(&letter_id)?;
            if !record.status.is_open() {
                continue;
            }
            let news = desk::LetterNews::Opened;
            handled
                .notices
                .extend(self.letter_news(id, &letter, news, now)?);
            shown.push((record.code.clone(), letter.words));
        }
        if !shown.is_empty() {
            tracing::info!(event = "held_letters_shown", count = shown.len());
        }
        Ok(shown)
    }

    /// `/take` of a request cooling down: why not, and until when.
    fn cooling(
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
    fn try_lines(&self, attempts: &Attempts, now: chrono::DateTime<chrono::Utc>) -> Vec<TryLine> {
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

    /// A letter's delivery is due: the knock to send now, or `None` — then it
    /// waits for her window, or for the quiet after Hide (scheduled again), or
    /// it is gone (she erased the chat or cancelled the request, or its key is
    /// destroyed).
    pub fn deliver_letter(&self, id: &RecordId) -> Result<LetterDue, StoreError> {
        let now = self.clock.now();
        let Some((posted, letter)) = self.store.letter(id)? else {
            return Ok(LetterDue::Later);
        };
        let record = self.store.record(&posted.request)?;
        let details = record.as_ref().and_then(|r| self.store.open_details(r));
        let (Some(record), Some(details)) = (record, details) else {
            self.store.drop_letter(id)?;
            let news = desk::LetterNews::Undeliverable;
            return Ok(LetterDue::Dropped(self.letter_news(
                &posted.request,
                &letter,
                news,
                now,
            )?));
        };
        let cancelled = matches!(
            record.status,
            Status::Closed {
                resolution: crate::request::Resolution::Cancelled,
                ..
            }
        );
        let who = self.keys.pseudonym(letter.chat_id as u64);
        let _her = self.store.lock(&who);
        let conversation = self.store.load(&who, now)?;
        let Some(conversation) = conversation.filter(|_| !cancelled) else {
            self.store.drop_letter(id)?;
            let news = desk::LetterNews::Undeliverable;
            return Ok(LetterDue::Dropped(self.letter_news(
                &posted.request,
                &letter,
                news,
                now,
            )?));
        };
        if conversation.links.hides(&posted.request) {
            return Ok(LetterDue::Held);
        }
        let mut at = self
            .config
            .contact_windows
            .next_open(details.safe_time, now);
        if let Some(hidden) = conversation.links.hidden_at {
            let quiet = hidden + Duration::minutes(self.config.quiet_after_hide_minutes.into());
            at = at.max(quiet);
        }
        if at > now {
            self.schedule(at - now, &Job::Deliver { letter: *id })?;
            return Ok(LetterDue::Later);
        }
        let knock = conversation::knock(*id);
        let lang = conversation.dialogue.lang;
        Ok(LetterDue::Knock(Box::new(Knock {
            chat: letter.chat_id,
            rendered: render(&self.locales, &self.config.center, &lang, &knock),
            undeliverable: None,
        })))
    }

    /// The knock for letter `id` is in her chat as `message`: remembered (so
    /// Hide and Erase remove it), and its writer told.
    pub fn knocked(&self, id: &RecordId, message: i32) -> Result<Vec<Rendered>, StoreError> {
        let now = self.clock.now();
        let Some((posted, letter)) = self.store.letter(id)? else {
            return Ok(Vec::new());
        };
        self.store.knocked(id, message)?;
        let who = self.keys.pseudonym(letter.chat_id as u64);
        {
            let _her = self.store.lock(&who);
            self.store.track(&who, &[message], now)?;
        }
        self.letter_news(&posted.request, &letter, desk::LetterNews::Delivered, now)
    }

    /// Telegram refused the knock for letter `id` (she blocked the bot): the
    /// letter goes, and its writer is told.
    pub fn undeliverable(&self, id: &RecordId) -> Result<Vec<Rendered>, StoreError> {
        let Some((posted, letter)) = self.store.letter(id)? else {
            return Ok(Vec::new());
        };
        self.store.drop_letter(id)?;
        tracing::warn!(event = "letter_undeliverable");
        self.letter_news(
            &posted.request,
            &letter,
            desk::LetterNews::Undeliverable,
            self.clock.now(),
        )
    }

    fn letter_news(
        &self,
        request: &RecordId,
        letter: &crate::store::Letter,
        news: desk::LetterNews,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<Rendered>, StoreError> {
        let (Some(from), Some(record)) = (&letter.from, self.store.record(request)?) else {
            return Ok(Vec::new());
        };
        self.address(vec![desk::letter_news(from, &record.code, news)], now)
    }

    /// The bot restarted after it stopped without closing cleanly: the staff
    /// chat is told (nothing confirmed is lost; a reply in flight may be).
    pub fn restarted_notice(&self) -> Vec<Rendered> {
        let mut notice = desk::restarted();
        notice.to = Recipient::StaffChat;
        vec![render(
            &self.locales,
            &self.config.center,
            self.locales.default_code(),
            &notice,
        )]
    }

    /// The anonymous figures of `period`, from the counters.
    fn figures(&self, period: Period) -> Result<crate::report::Table, StoreError> {
        let counters = self.store.counters_with_prefix("stats/")?;
        Ok(crate::report::Table::of(period, |key| {
            counters.get(key).copied().unwrap_or(0)
        }))
    }

    /// Request `id` if `handle` holds it.
    fn held_by(
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
    fn claimed(
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
    fn card_event(
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
    fn set_shelter(
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
    fn shelter_word(&self, word: &str) -> Option<ShelterState> {
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
    fn queue_counts(&self, now: chrono::DateTime<chrono::Utc>) -> Result<QueueCounts, StoreError> {
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

    /// She withdrew a request `by` holds: that staff member is told at once, and
    /// the card with her details is deleted.
    fn withdraw(
        &self,
        handled: &mut Handled,
        code: &str,
        by: &str,
        messages: Vec<i32>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError> {
        self.store.audit(now, by, "withdrawn_by_her", Some(code))?;
        let notices = self.address(vec![desk::withdrawn(by, code)], now)?;
        handled.notices.extend(notices);
        handled
            .delete_for_staff
            .extend(messages.into_iter().map(|m| (by.to_string(), m)));
        Ok(())
    }

    /// Her words relayed into `holder`'s chat about request `id`: to delete as
    /// the claim ends (the card goes where the claim ends).
    fn relayed_to_delete(
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

    /// Renders the desk's notices for the people they are for: the staff chat (in
    /// the default language), or whoever is on duty — else the on-call staff,
    /// else, so that an alert never reaches nobody, the staff chat.
    fn address(
        &self,
        notices: Vec<Reply>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<Rendered>, StoreError> {
        let max = Duration::hours(self.config.duty_max_hours.into());
        let mut on_duty = Vec::new();
        for member in &self.staff {
            if self.store.on_duty(&member.handle, now, max)? {
                on_duty.push(member);
            }
        }
        if on_duty.is_empty() {
            on_duty = self.staff.iter().filter(|m| m.on_call).collect();
        }
        let mut out = Vec::new();
        // For one staff member, in their language; should it not reach them,
        // the staff chat gets it in the chat's (the default) language.
        let for_member = |notice: &mut Reply, handle: &str| {
            notice.to = Recipient::Staff(handle.to_string());
            let lang = self.language_of(handle);
            let mut rendered = render(&self.locales, &self.config.center, lang, notice);
            notice.to = Recipient::StaffChat;
            let chat_lang = self.locales.default_code();
            rendered.fallback = Some(Box::new(render(
                &self.locales,
                &self.config.center,
                chat_lang,
                notice,
            )));
            rendered
        };
        for mut notice in notices {
            // One copy for each of them, in each one's language.
            let mut each = |members: &[&StaffMember], notice: &mut Reply| {
                for member in members {
                    out.push(for_member(notice, &member.handle));
                }
            };
            let supervisors: Vec<&StaffMember> =
                self.staff.iter().filter(|m| m.supervisor).collect();
            match notice.to.clone() {
                Recipient::Staff(handle) => {
                    out.push(for_member(&mut notice, &handle));
                }
                Recipient::Supervisors if !supervisors.is_empty() => {
                    each(&supervisors, &mut notice);
                }
                Recipient::OnDuty if !on_duty.is_empty() => each(&on_duty, &mut notice),
                _ => {
                    notice.to = Recipient::StaffChat;
                    let lang = self.locales.default_code();
                    out.push(render(&self.locales, &self.config.center, lang, &notice));
                }
            }
        }
        Ok(out)
    }

    /// The language of staff member `handle` (the default for anyone else).
    fn language_of(&self, handle: &str) -> &str {
        self.staff
            .iter()
            .find(|m| m.handle == handle)
            .map_or(self.locales.default_code(), |m| self.staff_language(m))
    }

    /// The first language a staff member speaks that the bot has.
    fn staff_language<'a>(&'a self, member: &'a StaffMember) -> &'a str {
        member
            .languages
            .iter()
            .find(|l| self.locales.has(l))
            .map_or(self.locales.default_code(), String::as_str)
    }

    /// Remembers messages of her chat so Hide and Erase can delete them, and
    /// which of them show what she typed (`exposed`), so they go when she leaves
    /// the wizard.
    pub fn track(&self, speaker: &Speaker, ids: &[i32], exposed: &[i32]) -> Result<(), StoreError> {
        let _her = self.store.lock(&speaker.who);
        let now = self.clock.now();
        self.store.track(&speaker.who, ids, now)?;
        self.store
            .expose(&speaker.who, speaker.chat_id, exposed, now)
    }

    /// A danger-now request's alert is due again: if nobody has taken it, the
    /// notices to send (on duty first, then the staff chat), and the next step.
    pub fn escalate(&self, request: &RecordId, step: u8) -> Result<Vec<Rendered>, StoreError> {
        let now = self.clock.now();
        // Cooling down (someone else answered): not to be called yet, so no alert.
        let Some(record) = self
            .store
            .record(request)?
            .filter(|r| r.status == Status::Waiting && !self.store.cooling(r, now))
        else {
            return Ok(Vec::new());
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
        if step == 1 {
            self.schedule(
                Duration::minutes(ESCALATE_MINUTES),
                &Job::Escalate {
                    request: *request,
                    step: 2,
                },
            )?;
        }
        self.address(vec![desk::still_waiting(&record.code, minutes, step)], now)
    }

    /// How long a claim on this request lasts before it goes back to the queue.
    fn claim_limit(&self, urgency: Urgency) -> Duration {
        match urgency {
            Urgency::DangerNow => Duration::minutes(self.config.urgent_claim_minutes.into()),
            _ => Duration::hours(self.config.claim_hours.into()),
        }
    }

    /// A claim taken (or kept) at `at`: its holder is asked 5 minutes before
    /// the limit whether to keep it.
    fn schedule_claim_check(
        &self,
        record: &crate::request::RequestRecord,
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
    fn claim_as_of(
        &self,
        request: &RecordId,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<(crate::request::RequestRecord, String, Option<i32>)>, StoreError> {
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
    pub fn card_stub(&self, handle: &str) -> String {
        let lang = self.language_of(handle);
        self.locales
            .format(lang, &crate::text::Text::new(crate::text::DESK_CARD_STUB))
    }

    /// Duty that started at `since` lapses: tell its staff member (unless they
    /// went on duty again since, or off).
    pub fn duty_lapsed(
        &self,
        handle: &str,
        since: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<Rendered>, StoreError> {
        if self.store.duty_since(handle)? != Some(since) {
            return Ok(Vec::new());
        }
        let hours = i64::from(self.config.duty_max_hours);
        self.address(vec![desk::duty_lapsed(handle, hours)], self.clock.now())
    }

    /// The shelter's state set at `set_at` is a day old (unless set again since).
    pub fn shelter_stale(
        &self,
        set_at: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<Rendered>, StoreError> {
        if self.store.shelter()?.map(|s| s.set_at) != Some(set_at) {
            return Ok(Vec::new());
        }
        self.address(vec![desk::shelter_stale()], self.clock.now())
    }

    /// A claim is nearly due: ask its holder to keep or release it, and put it
    /// back in 5 minutes unless kept.
    pub fn check_claim(
        &self,
        request: &RecordId,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<Rendered>, StoreError> {
        let Some((record, by, _)) = self.claim_as_of(request, at)? else {
            return Ok(Vec::new());
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
    /// told, its card deleted (the message to delete: holder, card).
    pub fn expire_claim(
        &self,
        request: &RecordId,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<Expired, StoreError> {
        let now = self.clock.now();
        let Some((_, by, _)) = self.claim_as_of(request, at)? else {
            return Ok(Expired::default());
        };
        let Some(ended) = self.store.end_claim(request, &by, Ending::Expired, now)? else {
            return Ok(Expired::default());
        };
        let notices = if ended.now {
            tracing::warn!(event = "claim_expired", code = %ended.code, by = %by);
            self.address(desk::claim_expired(&by, &ended.code), now)?
        } else {
            Vec::new()
        };
        Ok(Expired {
            notices,
            cards: ended.messages(),
        })
    }

    /// Keeps `job` to be done `after` from now, and wakes the scheduler.
    pub fn schedule(&self, after: Duration, job: &Job) -> Result<(), StoreError> {
        let now = self.clock.now();
        self.store.schedule(now + after, job, now)?;
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
    pub fn apology(&self, speaker: &Speaker) -> Rendered {
        let ctx = self.ctx(speaker);
        let lang = self
            .store
            .load_dialogue(&speaker.who, ctx.now)
            .ok()
            .flatten()
            .map(|d| d.lang)
            .filter(|l| self.locales.has(l))
            .or_else(|| ctx.language_hint.clone())
            .unwrap_or_else(|| ctx.default_language.to_string());
        render(
            &self.locales,
            &self.config.center,
            &lang,
            &conversation::apology(&lang, &ctx),
        )
    }
}
