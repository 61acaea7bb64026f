//! Her live conversation with a specialist: her words to whoever holds her
//! request, what of it stays in her chat, and when it goes.

use super::*;

impl App {
    /// What she wrote to the specialist: to whoever holds her request now (with
    /// a button to answer), else kept sealed for the next one. `None` when it
    /// went through (nothing more to say to her).
    pub(super) fn relay_from_her(
        &self,
        speaker: &Speaker,
        links: &Session,
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
                .is_some_and(|d| d.contact == crate::domain::request::ContactMethod::Telegram);
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
        // What she said, for whoever holds it now and next: sealed with it.
        self.store.add_to_thread(&record.id, None, &words, now)?;
        match &record.status {
            Status::Claimed { by, .. } => {
                let notice = desk::her_words(by, record.id, &record.code, &words);
                handled.notices.extend(self.address(vec![notice], now)?);
                tracing::info!(event = "relayed_to_staff");
                Ok(None)
            }
            _ => {
                self.store.hold_words(&record.id, &words)?;
                tracing::info!(event = "relayed_words_held");
                Ok(Some(Event::RelayWaiting))
            }
        }
    }

    /// Messages of her conversation with a specialist are in her chat: kept
    /// with her (Hide and Erase remove them), deleted when the conversation
    /// goes quiet, and each within a day whatever happens.
    pub(super) fn relay_touch(&self, chat: i64, ids: &[i32], hers: bool) -> Result<(), StoreError> {
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

    /// Her conversation with a specialist last active at `since`: if nothing
    /// was said since, its messages to delete from her chat now.
    pub(super) fn relay_quiet(
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
    pub(super) fn is_live(
        &self,
        chat: i64,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<bool, StoreError> {
        let who = self.keys.pseudonym(chat as u64);
        let quiet = Duration::minutes(self.config.relay_quiet_minutes.into());
        Ok(self.store.load(&who, now)?.is_some_and(|c| {
            c.dialogue.screen == Screen::Specialist
                && c.links.wrote_at.is_some_and(|at| now - at < quiet)
        }))
    }
}
