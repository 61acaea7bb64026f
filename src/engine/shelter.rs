//! The shelter's state, as staff set it (a button, or a word in any of the
//! bot's languages).

use super::*;

impl App {
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
            crate::domain::shelter::freshness(),
            &Job::ShelterStale { set_at: now },
        )?;
        self.store
            .audit(now, handle, &AuditAction::Shelter(state.tag()), None)?;
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
                        .format(lang, &crate::i18n::text::Text::new(state.words()))
                        .split(',')
                        .any(|w| w.trim().to_lowercase() == word)
                })
            })
        })
    }
}
