//! Letters to her: posted by a specialist, held or knocked, opened, or told
//! undeliverable — and the one rule for a request she kept through Erase.

use super::plan::{Chat, Deed, Failing, Plan, Remember, Show};
use super::*;

impl App {
    /// A message from `handle` to her about request `id`, which they hold: into
    /// the outbox, sealed, to go as a knock in her window.
    pub(super) fn post_letter(
        &self,
        handle: &str,
        id: &RecordId,
        text: &str,
        now: chrono::DateTime<chrono::Utc>,
        to_her: &mut Option<Show>,
    ) -> Result<DeskEvent, StoreError> {
        let Some(record) = self.held_by(id, handle)? else {
            return Ok(DeskEvent::NotYours);
        };
        let Some(details) = self.store.open_details(&record) else {
            return Ok(DeskEvent::NotYours);
        };
        // What we said, for whoever holds it next: sealed with the request.
        self.store.add_to_thread(id, Some(handle), text, now)?;
        let chat = details.personal.chat_id;
        // She erased the chat and kept the request: never live, never a knock.
        let hidden = self.hidden_from_her(id, chat, now)?;
        if !hidden && self.is_live(chat, now)? {
            // She is in the conversation: plain and silent, at once.
            let lang = details
                .lang
                .as_deref()
                .unwrap_or(self.locales.default_code());
            let message = conversation::live_message(text);
            let news = desk::letter_news(handle, &record.code, desk::LetterNews::Undeliverable);
            let rendered = render(&self.locales, &self.config.center, lang, &message);
            // If she blocked the bot, the writer is told so, not "sent".
            let undeliverable = self.address(vec![news], now)?;
            *to_her = Some(Show {
                then: Remember::Live { hers: false },
                failing: Failing::Instead(undeliverable.deeds),
                ..Show::new(Chat::Her(chat), rendered)
            });
            self.store
                .audit(now, handle, &AuditAction::Wrote, Some(&record.code))?;
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
        self.store
            .audit(now, handle, &AuditAction::Wrote, Some(&record.code))?;
        if hidden {
            // No code in this line: the log need not say which request she hid.
            tracing::info!(event = "letter_held_for_her_code");
            return Ok(DeskEvent::PostedHidden(record.code));
        }
        self.schedule(Duration::zero(), &Job::Deliver { letter })?;
        tracing::info!(event = "letter_posted", code = %record.code, by = handle);
        Ok(DeskEvent::Posted(record.code))
    }

    /// Whether request `id`, whose details name chat `chat`, is one she kept
    /// through Erase and has not brought back with its code. The one rule for
    /// all that would reach her chat about it: nothing does — no knock, no
    /// live message, no closed-notice; its letters wait sealed for her code.
    pub(super) fn hidden_from_her(
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
    pub(super) fn closed_for_her(
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
                tracing::info!(event = "kept_request_letters_destroyed", count = destroyed);
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

    /// A letter's delivery is due: the knock to send now (shown or not, its
    /// receipt says what becomes of the letter) — or nothing yet: it waits
    /// for her window, or for the quiet after Hide (scheduled again), or for
    /// her code (she kept its request through Erase); or it cannot go (she
    /// erased the chat or cancelled the request, or its key is destroyed):
    /// dropped, and its writer told.
    pub(super) fn deliver_letter(&self, id: &RecordId) -> Result<Plan, StoreError> {
        let now = self.clock.now();
        let Some((posted, letter)) = self.store.letter(id)? else {
            return Ok(Plan::new());
        };
        let dropped = || -> Result<Plan, StoreError> {
            self.store.drop_letter(id)?;
            let news = desk::LetterNews::Undeliverable;
            let notices = self.letter_news(&posted.request, &letter, news, now)?;
            Ok(notices)
        };
        let record = self.store.record(&posted.request)?;
        let details = record.as_ref().and_then(|r| self.store.open_details(r));
        let (Some(record), Some(details)) = (record, details) else {
            return dropped();
        };
        let cancelled = matches!(
            record.status,
            Status::Closed {
                resolution: crate::domain::request::Resolution::Cancelled,
                ..
            }
        );
        let who = self.keys.pseudonym(letter.chat_id as u64);
        let _her = self.store.lock(&who);
        let conversation = self.store.load(&who, now)?;
        let Some(conversation) = conversation.filter(|_| !cancelled) else {
            return dropped();
        };
        if conversation.links.hides(&posted.request) {
            return Ok(Plan::new());
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
            self.schedule_at(at, &Job::Deliver { letter: *id })?;
            return Ok(Plan::new());
        }
        let knock = conversation::knock(*id);
        let lang = conversation.dialogue.lang;
        let rendered = render(&self.locales, &self.config.center, &lang, &knock);
        Ok(Plan::from(vec![Deed::Show(Show {
            then: Remember::Knock(*id),
            ..Show::new(Chat::Her(letter.chat_id), rendered)
        })]))
    }

    /// The knock for letter `id` is in her chat as `message`: remembered (so
    /// Hide and Erase remove it), and its writer told.
    pub(super) fn knocked(&self, id: &RecordId, message: i32) -> Result<Plan, StoreError> {
        let now = self.clock.now();
        let Some((posted, letter)) = self.store.letter(id)? else {
            return Ok(Plan::new());
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
    pub(super) fn undeliverable(&self, id: &RecordId) -> Result<Plan, StoreError> {
        let Some((posted, letter)) = self.store.letter(id)? else {
            return Ok(Plan::new());
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

    pub(super) fn letter_news(
        &self,
        request: &RecordId,
        letter: &crate::store::Letter,
        news: desk::LetterNews,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Plan, StoreError> {
        let (Some(from), Some(record)) = (&letter.from, self.store.record(request)?) else {
            return Ok(Plan::new());
        };
        self.address(vec![desk::letter_news(from, &record.code, news)], now)
    }

    /// She tapped *Open* on a knock: the letter behind it, in the chat it was
    /// written to only (a forged button finds nothing), and never about a
    /// request she kept through Erase (an old knock would show it to whoever
    /// holds her phone now). Its writer is told she opened it.
    pub(super) fn open_letter(
        &self,
        speaker: &Speaker,
        id: &RecordId,
        links: &Session,
        now: chrono::DateTime<chrono::Utc>,
        handled: &mut Handled,
    ) -> Result<Event, StoreError> {
        let Some((posted, letter)) = self.store.letter(id)? else {
            return Ok(Event::LetterGone);
        };
        if letter.chat_id != speaker.chat_id || links.hides(&posted.request) {
            return Ok(Event::LetterGone);
        }
        self.store.drop_letter(id)?;
        let news = desk::LetterNews::Opened;
        handled
            .notices
            .extend(self.letter_news(&posted.request, &letter, news, now)?);
        let code = self
            .store
            .record(&posted.request)?
            .map(|r| r.code)
            .unwrap_or_default();
        Ok(Event::Letter {
            code,
            words: letter.words,
        })
    }

    /// She typed a code on *My request*: a request she kept through Erase
    /// comes back, with what the specialist wrote meanwhile — shown there, as
    /// the answer to her own tap, never knocked.
    pub(super) fn reveal(
        &self,
        code: &str,
        links: &mut Session,
        now: chrono::DateTime<chrono::Utc>,
        handled: &mut Handled,
    ) -> Result<Vec<(TicketCode, Words)>, StoreError> {
        match self.store.reveal(links, code, REVEAL_TRIES_PER_DAY, now)? {
            Some(id) => {
                tracing::info!(event = "kept_request_revealed");
                self.letters_on_reveal(&id, now, handled)
            }
            None => Ok(Vec::new()),
        }
    }

    /// She brought back request `id` with its code: the letters that waited
    /// for her, to show on that screen (they go from the outbox, and their
    /// writers are told she read them). A closed request's are destroyed.
    pub(super) fn letters_on_reveal(
        &self,
        id: &RecordId,
        now: chrono::DateTime<chrono::Utc>,
        handled: &mut Handled,
    ) -> Result<Vec<(TicketCode, Words)>, StoreError> {
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
}
