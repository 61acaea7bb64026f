//! The bot's opened resources and the one path every input takes:
//! load the sealed dialogue, step the core, store the new dialogue, render.
//! The Telegram shell and the terminal demo both go through [`App::handle`].

use std::sync::Arc;

use chrono::Duration;

use crate::clock::Clock;
use crate::config::{Config, ConfigError};
use crate::conversation::{self, Ctx, Input};
use crate::crypto::{self, KeyError, Keys, Pseudonym};
use crate::i18n::{LocaleError, Locales};
use crate::render::{render, Rendered};
use crate::store::{Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error(transparent)]
    Locale(#[from] LocaleError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub struct App {
    pub config: Config,
    pub keys: Arc<Keys>,
    pub locales: Locales,
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    languages: Vec<String>,
}

/// Who is talking, as the shells know it.
pub struct Speaker<'a> {
    pub who: Pseudonym,
    /// Telegram's `language_code`, used only to preselect a language.
    pub language_code: Option<&'a str>,
}

impl App {
    pub fn open(config: Config, clock: Arc<dyn Clock>) -> Result<App, OpenError> {
        config.ensure_data_dir()?;
        let key_file = config.key_file();
        crypto::check_key_outside(&key_file, &config.data_dir)?;
        let keys = Arc::new(Keys::load_or_create(&key_file)?);
        let locales = Locales::load(&config.locales_dir, &config.default_language)?;
        let store = Store::open(&config.data_dir, config.sled_cache_mb, keys.clone())?;
        Ok(App {
            languages: locales.codes(),
            config,
            keys,
            locales,
            store,
            clock,
        })
    }

    fn ctx(&self, language_code: Option<&str>) -> Ctx<'_> {
        let shelter = self.store.shelter().unwrap_or_else(|_| {
            tracing::error!(event = "shelter_state_unreadable");
            None
        });
        Ctx {
            shelter,
            now: self.clock.now(),
            center: &self.config.center,
            languages: &self.languages,
            default_language: self.locales.default_code(),
            language_hint: self.locales.match_code(language_code),
            draft_ttl: Duration::hours(self.config.draft_ttl_hours.into()),
        }
    }

    pub fn handle(&self, speaker: &Speaker, input: Input) -> Result<Vec<Rendered>, StoreError> {
        let ctx = self.ctx(speaker.language_code);
        let previous = self.store.load_dialogue(&speaker.who, ctx.now)?;
        let outcome = conversation::step(previous, input, &ctx);
        self.store.save_dialogue(&speaker.who, &outcome.dialogue)?;
        let lang = &outcome.dialogue.lang;
        Ok(outcome
            .replies
            .iter()
            .map(|reply| render(&self.locales, &self.config.center, lang, reply))
            .collect())
    }

    /// The answer after a failure: an apology and the menu, in her language if known.
    pub fn apology(&self, speaker: &Speaker) -> Rendered {
        let ctx = self.ctx(speaker.language_code);
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
            &conversation::apology(&ctx),
        )
    }
}
