//! Every call to Telegram goes through here: the bot is wrapped in teloxide's
//! `Throttle` (Telegram's per-chat and global limits) without its own retry
//! loop, which on a 429 retries without bound and holds every chat's queue
//! meanwhile; retries happen in [`send`] instead, bounded and per call.

use std::time::Duration;

use teloxide::adaptors::throttle::{Limits, Settings, Throttle};
use teloxide::prelude::*;
use teloxide::requests::{Output, Request};
use teloxide::RequestError;

use crate::config::TelegramLimits;

/// The bot as the shell uses it.
pub type Tg = Throttle<Bot>;

/// Wraps `bot`; the throttle's worker runs on the current runtime.
pub fn throttled(bot: Bot, limits: &TelegramLimits) -> Tg {
    let limits = Limits {
        messages_per_sec_chat: limits.per_chat_per_sec,
        messages_per_min_chat: limits.per_chat_per_min,
        messages_per_min_channel_or_supergroup: limits.per_group_per_min,
        messages_per_sec_overall: limits.overall_per_sec,
    };
    Throttle::spawn_with_settings(bot, Settings::default().limits(limits).no_retry())
}

/// How long a call may take before it is given up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Patience {
    /// She is looking at her screen: a short flood wait, one retry.
    Her,
    /// Nobody waits (deletions, the profile, timed work): a few retries.
    Background,
}

impl Patience {
    fn max_wait(self) -> Duration {
        match self {
            Patience::Her => Duration::from_secs(5),
            Patience::Background => Duration::from_secs(30),
        }
    }

    fn retries(self) -> u32 {
        match self {
            Patience::Her => 1,
            Patience::Background => 3,
        }
    }
}

/// Sends `request`, retrying a flood wait (429) no longer than the caller's
/// patience allows and network failures a bounded number of times. Telegram's
/// refusals (400, 403, …) are not retried. Failures are logged by kind only.
pub async fn send<R>(request: &R, patience: Patience) -> Result<Output<R>, RequestError>
where
    R: Request<Err = RequestError>,
{
    let mut attempt = 0;
    loop {
        let error = match request.send_ref().await {
            Ok(output) => return Ok(output),
            Err(error) => error,
        };
        let wait = match &error {
            RequestError::RetryAfter(after) if after.duration() <= patience.max_wait() => {
                after.duration()
            }
            RequestError::Network(_) | RequestError::Io(_) => {
                Duration::from_millis(200) * 2u32.pow(attempt)
            }
            _ => return Err(error),
        };
        if attempt >= patience.retries() {
            tracing::warn!(event = "telegram_call_given_up", cause = kind_of(&error));
            return Err(error);
        }
        attempt += 1;
        tracing::debug!(event = "telegram_call_retried", cause = kind_of(&error));
        tokio::time::sleep(wait).await;
    }
}

/// A request error's kind, without its text (which may hold the token or data).
pub fn kind_of(error: &RequestError) -> &'static str {
    use teloxide::RequestError::*;
    match error {
        Api(_) => "api",
        MigrateToChatId(_) => "migrated",
        RetryAfter(_) => "retry_after",
        Network(_) => "network",
        InvalidJson { .. } => "invalid_json",
        Io(_) => "io",
    }
}
