//! Every call to Telegram goes through here. Sends are paced to Telegram's
//! limits per chat and overall ([`Pacer`]); calls are retried by [`send`] only,
//! bounded and per call.
//!
//! teloxide's `Throttle` adaptor is not used: on any 429 it freezes its whole
//! worker — every chat — for the `retry_after` Telegram gave, even with
//! `no_retry` (teloxide-core 0.13, `adaptors/throttle/request.rs`), so one chat's
//! flood wait would hold up everyone else's replies.

use std::collections::{HashMap, VecDeque};
use std::ops::Deref;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use teloxide::prelude::*;
use teloxide::requests::{Output, Request};
use teloxide::RequestError;

use crate::config::TelegramLimits;

/// The bot as the shell uses it: the client, and the pace its sends keep.
#[derive(Clone)]
pub struct Tg {
    bot: Bot,
    pacer: Arc<Pacer>,
}

impl Deref for Tg {
    type Target = Bot;

    fn deref(&self) -> &Bot {
        &self.bot
    }
}

impl Tg {
    pub fn new(bot: Bot, limits: &TelegramLimits) -> Tg {
        Tg {
            bot,
            pacer: Arc::new(Pacer::new(*limits)),
        }
    }

    /// Waits until a message may be sent to `chat` without breaking Telegram's
    /// limits (edits and deletions are not limited).
    pub async fn pace(&self, chat: ChatId) {
        loop {
            match self.pacer.take(chat.0, Instant::now()) {
                None => return,
                Some(wait) => tokio::time::sleep(wait).await,
            }
        }
    }
}

/// Recent sends, per chat and overall. Chat ids stay in memory only, and only
/// for the last minute (and the second the next sweep may take).
pub struct Pacer {
    limits: TelegramLimits,
    sent: Mutex<Sent>,
}

/// Times of recent sends: per chat (the last minute), and overall (the last second).
#[derive(Default)]
struct Sent {
    chats: HashMap<i64, VecDeque<Instant>>,
    all: VecDeque<Instant>,
    /// When chats quiet for a minute were last forgotten: a sweep reads every
    /// chat, so it runs once a second, not on every send (with 10,000 chats it
    /// was the bot's largest cost per message).
    swept: Option<Instant>,
}

fn forget_older(times: &mut VecDeque<Instant>, now: Instant, age: Duration) {
    while times
        .front()
        .is_some_and(|t| now.saturating_duration_since(*t) >= age)
    {
        times.pop_front();
    }
}

impl Pacer {
    fn new(limits: TelegramLimits) -> Pacer {
        Pacer {
            limits,
            sent: Mutex::new(Sent::default()),
        }
    }

    /// Chats the pacer remembers (for tests).
    #[cfg(test)]
    fn chats(&self) -> usize {
        self.sent.lock().map(|s| s.chats.len()).unwrap_or(0)
    }

    /// Takes a slot for `chat` at `now`, or says how long to wait for one.
    fn take(&self, chat: i64, now: Instant) -> Option<Duration> {
        let (second, minute) = (Duration::from_secs(1), Duration::from_secs(60));
        let mut sent = self.sent.lock().unwrap_or_else(|e| e.into_inner());
        let Sent { chats, all, swept } = &mut *sent;
        forget_older(all, now, second);
        if swept.is_none_or(|at| now.saturating_duration_since(at) >= second) {
            *swept = Some(now);
            chats.retain(|_, times| {
                forget_older(times, now, minute);
                !times.is_empty()
            });
        }
        let per_minute = if chat < 0 {
            self.limits.per_group_per_min
        } else {
            self.limits.per_chat_per_min
        };
        let times = chats.entry(chat).or_default();
        forget_older(times, now, minute);
        let last_second = times.iter().filter(|t| now - **t < second).count();
        let mut wait = Duration::ZERO;
        if all.len() >= self.limits.overall_per_sec.max(1) as usize {
            wait = wait.max(second - (now - all[0]));
        }
        if last_second >= self.limits.per_chat_per_sec.max(1) as usize {
            let oldest = times.iter().find(|t| now - **t < second).copied();
            wait = wait.max(oldest.map_or(Duration::ZERO, |t| second - (now - t)));
        }
        if times.len() >= per_minute.max(1) as usize {
            wait = wait.max(minute - (now - times[0]));
        }
        if wait > Duration::ZERO {
            return Some(wait);
        }
        times.push_back(now);
        all.push_back(now);
        None
    }
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

/// Calls to Telegram that failed, by kind, and retries: for `--metrics`
/// (counts for this process; nothing else).
pub struct CallStats {
    pub errors: [std::sync::atomic::AtomicU64; KINDS.len()],
    pub retries: std::sync::atomic::AtomicU64,
}

/// The kinds [`kind_of`] names, in the order [`CallStats::errors`] counts them.
pub const KINDS: [&str; 7] = [
    "api",
    "migrated",
    "retry_after",
    "network",
    "invalid_json",
    "io",
    "server",
];

pub static CALLS: CallStats = CallStats {
    errors: [const { std::sync::atomic::AtomicU64::new(0) }; KINDS.len()],
    retries: std::sync::atomic::AtomicU64::new(0),
};

fn count_error(kind: &str) {
    if let Some(at) = KINDS.iter().position(|k| *k == kind) {
        CALLS.errors[at].fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
}

/// An error Telegram's side made (a 5xx, or a gateway's error page instead of
/// JSON), not a refusal of the call: worth another try when nobody waits.
/// (teloxide-core drops the status code and has already waited 10 s.)
fn server_side(error: &RequestError) -> bool {
    const PHRASES: [&str; 4] = [
        "Internal Server Error",
        "Bad Gateway",
        "Service Unavailable",
        "Gateway Timeout",
    ];
    match error {
        RequestError::InvalidJson { .. } => true,
        RequestError::Api(teloxide::ApiError::Unknown(text)) => {
            PHRASES.iter().any(|p| text.contains(p))
        }
        _ => false,
    }
}

/// Sends `request`, retrying a flood wait (429) no longer than the caller's
/// patience allows, network failures a bounded number of times, and — when
/// nobody waits on the screen — Telegram's server errors likewise. Telegram's
/// refusals (400, 403, …) are not retried. Failures are logged and counted by
/// kind only.
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
        count_error(kind_of(&error));
        let backoff = Duration::from_millis(200) * 2u32.pow(attempt);
        let wait = match &error {
            RequestError::RetryAfter(after) if after.duration() <= patience.max_wait() => {
                after.duration()
            }
            RequestError::Network(_) | RequestError::Io(_) => backoff,
            // She would have waited 10 s already: the apology goes instead.
            e if patience == Patience::Background && server_side(e) => backoff,
            _ => return Err(error),
        };
        if attempt >= patience.retries() {
            tracing::warn!(event = "telegram_call_given_up", cause = kind_of(&error));
            return Err(error);
        }
        attempt += 1;
        CALLS
            .retries
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        tracing::debug!(event = "telegram_call_retried", cause = kind_of(&error));
        tokio::time::sleep(wait).await;
    }
}

/// A request error's kind, without its text (which may hold the token or data).
pub fn kind_of(error: &RequestError) -> &'static str {
    use teloxide::RequestError::*;
    if server_side(error) {
        return "server";
    }
    match error {
        Api(_) => "api",
        MigrateToChatId(_) => "migrated",
        RetryAfter(_) => "retry_after",
        Network(_) => "network",
        InvalidJson { .. } => "invalid_json",
        Io(_) => "io",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> TelegramLimits {
        TelegramLimits {
            per_chat_per_sec: 1,
            per_chat_per_min: 3,
            per_group_per_min: 2,
            overall_per_sec: 4,
        }
    }

    #[test]
    fn one_chat_is_paced_without_holding_up_another() {
        let pacer = Pacer::new(limits());
        let t0 = Instant::now();
        assert_eq!(pacer.take(1, t0), None);
        // The same chat waits a second; another chat does not.
        assert_eq!(pacer.take(1, t0), Some(Duration::from_secs(1)));
        assert_eq!(pacer.take(2, t0), None);
        let t1 = t0 + Duration::from_secs(1);
        assert_eq!(pacer.take(1, t1), None);
        assert_eq!(pacer.take(1, t1 + Duration::from_secs(1)), None);
        // Three a minute for this chat: the fourth waits for the first to age.
        let t3 = t0 + Duration::from_secs(3);
        assert_eq!(pacer.take(1, t3), Some(Duration::from_secs(57)));
        assert_eq!(pacer.take(1, t0 + Duration::from_secs(60)), None);
    }

    #[test]
    fn groups_and_the_whole_bot_have_their_own_limits() {
        let pacer = Pacer::new(limits());
        let t0 = Instant::now();
        for chat in [10, 11, 12, 13] {
            assert_eq!(pacer.take(chat, t0), None);
        }
        assert_eq!(
            pacer.take(14, t0),
            Some(Duration::from_secs(1)),
            "4 a second"
        );
        let group = -100;
        let later = t0 + Duration::from_secs(2);
        assert_eq!(pacer.take(group, later), None);
        assert_eq!(pacer.take(group, later + Duration::from_secs(1)), None);
        assert!(pacer.take(group, later + Duration::from_secs(2)).is_some());
    }

    #[test]
    fn a_chat_quiet_for_a_minute_is_forgotten_by_the_next_sweep() {
        let pacer = Pacer::new(limits());
        let t0 = Instant::now();
        assert_eq!(pacer.take(1, t0), None);
        assert_eq!(pacer.take(2, t0 + Duration::from_millis(500)), None);
        assert_eq!(pacer.chats(), 2);
        // Chat 1's minute is over at t0 + 60 s; the sweep a second later forgets it.
        assert_eq!(pacer.take(3, t0 + Duration::from_secs(61)), None);
        assert_eq!(pacer.chats(), 1, "only chat 3 is left");
    }
}
