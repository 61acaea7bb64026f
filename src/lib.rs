//! The Ak-Jurok help bot.
//!
//! A map of the modules, from the core outwards:
//!
//! - [`conversation`] — the pure state machine `(dialogue, input, ctx) -> (dialogue,
//!   replies, effects, session changes)`; one file per screen or wizard step family. Knows nothing of
//!   Telegram or the terminal.
//! - [`desk`] — the staff desk, a second pure core beside her conversation: staff
//!   commands and card buttons in, replies to staff and queue effects out.
//! - [`domain`] — plain values: a callback request ([`domain::request`]), what
//!   a specialist records when closing ([`domain::outcome`], counters only),
//!   numbers to E.164 ([`domain::phone`]), working hours and contact windows
//!   ([`domain::schedule`]), the shelter's state, her dialogue
//!   ([`domain::dialogue`]: what her conversation remembers), the random id of a stored
//!   row ([`domain::ids::RecordId`]), the anonymous figures ([`domain::report`]).
//! - [`counter`] — what the store counts, and how it spells each counter.
//! - [`i18n`] — message ids and arguments, the plain values replies are made
//!   of ([`i18n::text`]); loads and validates `locales/<lang>/*.ftl`, formats
//!   texts.
//! - [`reply`] — what both cores say: `Reply<A>`, its buttons (carrying her
//!   `Action` or the desk's `DeskAction`), delivery and recipients.
//! - [`ui`] — above both cores: [`ui::render`] turns replies into words and
//!   button data, [`ui::button_data`] is the one codec for button data
//!   (versioned, self-contained), [`ui::commands`] the one table of commands.
//! - [`crypto`] — the master key, pseudonyms (HMAC), data keys and sealing
//!   (AEAD); [`crypto::keyring`] — data keys (per request, per person) in
//!   write-once slots outside the data folder, destroyed in place; the only
//!   link from her to her rows.
//! - [`store`] — the one sled database: sealed dialogues, the request queue,
//!   counters, retention.
//! - [`engine`] — the engine (`App`): opened resources behind four doors (`on_her`,
//!   `on_staff`, `on_job`, `delivered`), each coming to one [`engine::Plan`] of
//!   deeds (`engine/plan.rs`, `engine/entry.rs`, `engine/receipts.rs`), cut by flow:
//!   her step (`her.rs`), her live conversation (`relay.rs`), letters
//!   (`letters.rs`), her screen's cover (`cover.rs`), the desk (`staff.rs`,
//!   `claims.rs`, `team.rs`, `reports.rs`, `shelter.rs`, `desk_port.rs`), who
//!   hears of what (`alerts.rs`), timed work (`jobs.rs`), what the shells may
//!   ask (`shell.rs`).
//! - [`telegram`] — the thin Telegram shell: polling, the failure boundary, and
//!   one executor for any plan (`telegram/carry_out.rs`).
//! - [`demo`] — the terminal shell: it prints plans.
//! - [`config`], [`clock`], [`logging`] — settings, injectable time, redacting logs;
//!   [`check`] — `ak-jurok check`, what a start needs, looked at without starting.
//! - [`os`] — private files and no core dumps, set first by every command.

// Functions over the threshold in clippy.toml ask to be split (tests and
// tables may say otherwise).
#![warn(clippy::too_many_lines)]

pub mod check;
pub mod clock;
pub mod config;
pub mod conversation;
pub mod counter;
pub mod crypto;
pub mod demo;
pub mod desk;
pub mod domain;
pub mod engine;
pub mod i18n;
pub mod logging;
pub mod os;
pub mod reply;
pub mod screens;
pub mod store;
pub mod telegram;
pub mod ui;

#[cfg(test)]
mod debug_redaction_tests;

#[cfg(test)]
mod proptests;
