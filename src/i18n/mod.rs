//! The bot's words: message ids and arguments, the plain values both cores
//! build their replies from ([`text`]), and the locales that turn them into
//! Kyrgyz, Russian or Uzbek ([`Locales`], re-exported from `locales`).

mod locales;
pub mod text;

pub use locales::*;
