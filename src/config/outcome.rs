//! `[outcome]`: the outcome form's categories of the center's own.

use serde::Deserialize;

use super::ConfigError;

/// The outcome form's additions, from `[outcome]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeSettings {
    /// Categories the center's director confirmed for donors and the state
    /// (never invented here): stable tags, kept in the counters and exports,
    /// each labelled `outcome-center-TAG` in every `locales/*/outcome.ftl`.
    #[serde(default)]
    pub categories: Vec<String>,
}

impl OutcomeSettings {
    /// Tags a counter can hold, at most [`MAX_CENTER_CATEGORIES`], each once.
    ///
    /// [`MAX_CENTER_CATEGORIES`]: crate::domain::outcome::MAX_CENTER_CATEGORIES
    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        let most = crate::domain::outcome::MAX_CENTER_CATEGORIES;
        if self.categories.len() > most {
            return Err(ConfigError::Categories(format!(
                "{} listed; the form has room for {most}",
                self.categories.len()
            )));
        }
        for (n, tag) in self.categories.iter().enumerate() {
            let well_formed = (1..=24).contains(&tag.len())
                && tag
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !well_formed {
                return Err(ConfigError::Categories(format!(
                    "entry {} is not a tag: use 1 to 24 lowercase Latin letters, digits and -, e.g. \"disability\"",
                    n + 1
                )));
            }
            if self.categories[..n].contains(tag) {
                return Err(ConfigError::Categories(format!("`{tag}` is listed twice")));
            }
        }
        Ok(())
    }

    /// Every category has its label in every language the bot has.
    pub fn validate_labels(&self, locales: &crate::i18n::Locales) -> Result<(), ConfigError> {
        for tag in &self.categories {
            let id = crate::domain::outcome::center_label(tag);
            if let Some(lang) = locales.lacks(id) {
                return Err(ConfigError::Categories(format!(
                    "`{tag}` has no label in {lang}: add `{} = …` to locales/{lang}/outcome.ftl in every language (your own locales_dir, a copy of the built-in locales/)",
                    id.0
                )));
            }
        }
        Ok(())
    }
}
