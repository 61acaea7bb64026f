//! One person can never stall the others. teloxide keeps a queue of updates per
//! chat and, when one is full, its dispatcher waits — for every chat; a dptree
//! filter runs after that queue. So the limit sits here, around the update
//! listener (polling or webhook alike): a token bucket per person (by pseudonym,
//! in memory) drops the excess before it reaches her chat's queue. A dropped
//! button press gets a short toast; a dropped message at most one kind slow-down
//! note a minute, with 102 and 112. The danger screen, /start, Hide and Erase
//! pass the bucket but have a small one of their own. Staff have a larger
//! bucket of their own, never an exemption (a stolen staff phone must not stall
//! the bot); a suspended staff account is limited like anyone.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::stream::BoxStream;
use futures::StreamExt;
use teloxide::prelude::*;
use teloxide::stop::StopToken;
use teloxide::types::AllowedUpdate;
use teloxide::update_listeners::{AsUpdateStream, UpdateListener};

use super::delivery::{send, Patience};
use super::input::{self, Origin};
use super::{blocking, Shared};
use crate::conversation::{Action, Command, Input};
use crate::crypto::Pseudonym;
use crate::i18n::text::{self, Text};

/// How much one person may send.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Updates let through at once.
    pub burst: f64,
    /// Then one more every this long.
    pub every: Duration,
    /// The exempt ones (danger, /start, Hide, Erase): at once, then per minute.
    pub exempt_burst: f64,
    pub exempt_per_minute: f64,
    /// A staff member (not suspended): at once, then one more every this long.
    /// The burst stays below the dispatcher's per-chat queue (64), and the
    /// pace below what one staff chat's answers take to go out, so even a
    /// staff account's flood never fills its queue and holds up the others.
    pub staff_burst: f64,
    pub staff_every: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            burst: 30.0,
            every: Duration::from_secs(3),
            exempt_burst: 5.0,
            exempt_per_minute: 5.0,
            staff_burst: 45.0,
            staff_every: Duration::from_secs(2),
        }
    }
}

impl Limits {
    /// The configured limit for her (`flood_burst`, `flood_every_seconds`);
    /// staff get half again as many at once, and one more every two thirds of
    /// her period.
    pub fn of(burst: u32, every_seconds: u32) -> Limits {
        let every = Duration::from_secs(every_seconds.max(1).into());
        Limits {
            burst: burst.into(),
            every,
            staff_burst: f64::from(burst) * 1.5,
            staff_every: every * 2 / 3,
            ..Limits::default()
        }
    }
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn full(tokens: f64, now: Instant) -> Bucket {
        Bucket { tokens, at: now }
    }

    /// Takes one token if there is one, after refilling `rate` tokens a second
    /// up to `cap`.
    fn take(&mut self, cap: f64, rate: f64, now: Instant) -> bool {
        let refill = now.duration_since(self.at).as_secs_f64() * rate;
        self.tokens = (self.tokens + refill).min(cap);
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

struct Person {
    ordinary: Bucket,
    exempt: Bucket,
    /// When she was last told to slow down.
    told: Option<Instant>,
    /// When a dropped press of hers was last answered with a toast.
    toasted: Option<Instant>,
}

/// What to say to someone whose update was dropped.
struct Note {
    who: Pseudonym,
    /// Telegram's language code for her, if her own choice is not known.
    hint: Option<String>,
    kind: NoteKind,
}

enum NoteKind {
    Toast(teloxide::types::CallbackQueryId),
    SlowDown(ChatId),
}

/// The limiter's state, shared by the listener wrapper and the task that
/// answers dropped updates.
pub struct Gate {
    limits: Limits,
    shared: Arc<Shared>,
    people: Mutex<HashMap<Pseudonym, Person>>,
    notes: tokio::sync::mpsc::UnboundedSender<Note>,
    /// Updates dropped so far (for logs and metrics).
    pub dropped: std::sync::atomic::AtomicU64,
}

impl Gate {
    /// A gate, and the task that answers dropped updates (ended with `shared`).
    pub(super) fn start(
        limits: Limits,
        shared: Arc<Shared>,
    ) -> (Arc<Gate>, tokio::task::JoinHandle<()>) {
        let (notes, mut queue) = tokio::sync::mpsc::unbounded_channel::<Note>();
        let answering = shared.clone();
        let task = tokio::spawn(async move {
            let bot = &answering.tg;
            while let Some(note) = queue.recv().await {
                // In her language: the one she chose, else Telegram's, else the default.
                let Note { who, hint, kind } = note;
                let lang = blocking(&answering, move |app| {
                    app.her_language(&who, hint.as_deref())
                })
                .await
                .unwrap_or_default();
                let say = |id| answering.app.locales().format(&lang, &Text::new(id));
                let result = match kind {
                    NoteKind::Toast(callback) => {
                        let mut answer = bot.answer_callback_query(callback);
                        answer.text = Some(say(text::LIMIT_TOAST));
                        send(&answer, Patience::Background).await.map(|_| ())
                    }
                    NoteKind::SlowDown(chat) => {
                        bot.pace(chat).await;
                        let mut message = bot.send_message(chat, say(text::LIMIT_SLOW_DOWN));
                        message.disable_notification = Some(true);
                        send(&message, Patience::Background).await.map(|_| ())
                    }
                };
                if result.is_err() {
                    tracing::debug!(event = "limit_note_not_sent");
                }
            }
        });
        let gate = Arc::new(Gate {
            limits,
            shared,
            people: Mutex::new(HashMap::new()),
            notes,
            dropped: Default::default(),
        });
        (gate, task)
    }

    /// Whether `update` goes on to the dispatcher. Updates from groups and
    /// channels, and those without a sender, pass (they are answered by leaving
    /// or not at all).
    pub fn admit(&self, update: &Update) -> bool {
        let Some(incoming) = input::read(update) else {
            return true;
        };
        let Origin::Private {
            chat,
            user,
            language_code,
        } = &incoming.origin
        else {
            return true;
        };
        let app = &self.shared.app;
        let staff = app.staff_member(*user).is_some();
        let exempt = !staff && exempt(&incoming.input);
        let now = Instant::now();
        let limits = self.limits;
        let who = app.pseudonym(*user);
        let mut people = self.people.lock().unwrap_or_else(|e| e.into_inner());
        if people.len() > 100_000 {
            // Only the active matter: a bucket not touched for an hour is full anyway.
            people.retain(|_, p| now.duration_since(p.ordinary.at) < Duration::from_secs(3600));
        }
        let person = people
            .entry(who)
            .or_insert_with(|| limits.person(staff, now));
        if limits.take(person, staff, exempt, now) {
            return true;
        }
        self.dropped
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        // At most one note a minute, and a toast every few seconds: a flood
        // is not answered with a flood.
        let (last, gap) = match incoming.callback {
            Some(_) => (&mut person.toasted, Duration::from_secs(3)),
            None => (&mut person.told, Duration::from_secs(60)),
        };
        if last.is_none_or(|at| now.duration_since(at) >= gap) {
            *last = Some(now);
            let kind = match incoming.callback {
                Some(callback) => NoteKind::Toast(callback),
                None => NoteKind::SlowDown(*chat),
            };
            let _ = self.notes.send(Note {
                who,
                hint: language_code.clone(),
                kind,
            });
        }
        tracing::debug!(event = "update_dropped_by_limiter");
        false
    }
}

/// What anyone may do however fast she goes: start, and the safety buttons.
fn exempt(input: &Input) -> bool {
    matches!(
        input,
        Input::Command(Command::Start)
            | Input::Pressed(
                Action::Danger
                    | Action::UrgentCallback
                    | Action::Hide
                    | Action::Erase
                    | Action::ConfirmErase { .. }
            )
    )
}

impl Limits {
    /// Someone first seen: full buckets.
    fn person(&self, staff: bool, now: Instant) -> Person {
        let burst = if staff { self.staff_burst } else { self.burst };
        Person {
            ordinary: Bucket::full(burst, now),
            exempt: Bucket::full(self.exempt_burst, now),
            told: None,
            toasted: None,
        }
    }

    /// Whether one more update of `person` goes through now: staff from
    /// their own bucket, the exempt inputs from theirs, the rest from hers.
    fn take(&self, person: &mut Person, staff: bool, exempt: bool, now: Instant) -> bool {
        if staff {
            let rate = 1.0 / self.staff_every.as_secs_f64();
            person.ordinary.take(self.staff_burst, rate, now)
        } else if exempt {
            let rate = self.exempt_per_minute / 60.0;
            person.exempt.take(self.exempt_burst, rate, now)
        } else {
            let rate = 1.0 / self.every.as_secs_f64();
            person.ordinary.take(self.burst, rate, now)
        }
    }
}

/// An update listener whose updates pass the [`Gate`] first.
pub struct Limited<L, G = Gate> {
    inner: L,
    gate: Arc<G>,
}

/// What decides, around the listener, whether an update goes on.
pub trait Admit: Send + Sync + 'static {
    fn admit(&self, update: &Update) -> bool;
}

impl Admit for Gate {
    fn admit(&self, update: &Update) -> bool {
        Gate::admit(self, update)
    }
}

/// Lets every update through: the load benchmark's ceiling bot wraps its
/// listener in the same [`Limited`] with this.
pub struct AdmitAll;

impl Admit for AdmitAll {
    fn admit(&self, _: &Update) -> bool {
        true
    }
}

impl<L, G> Limited<L, G> {
    pub fn new(inner: L, gate: Arc<G>) -> Limited<L, G> {
        Limited { inner, gate }
    }
}

impl<'a, L, G: Admit> AsUpdateStream<'a> for Limited<L, G>
where
    L: AsUpdateStream<'a>,
    L::StreamErr: Send + 'a,
{
    type StreamErr = L::StreamErr;
    type Stream = BoxStream<'a, Result<Update, L::StreamErr>>;

    fn as_stream(&'a mut self) -> Self::Stream {
        let gate = self.gate.clone();
        self.inner
            .as_stream()
            .filter(move |result| {
                let pass = match result {
                    Ok(update) => gate.admit(update),
                    Err(_) => true,
                };
                futures::future::ready(pass)
            })
            .boxed()
    }
}

impl<L, G: Admit> UpdateListener for Limited<L, G>
where
    L: UpdateListener,
    L::Err: Send,
    for<'a> <L as AsUpdateStream<'a>>::StreamErr: Send + 'a,
{
    type Err = L::Err;

    fn stop_token(&mut self) -> StopToken {
        self.inner.stop_token()
    }

    fn hint_allowed_updates(&mut self, hint: &mut dyn Iterator<Item = AllowedUpdate>) {
        self.inner.hint_allowed_updates(hint);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_lets_a_burst_through_then_one_per_period() {
        let start = Instant::now();
        let mut bucket = Bucket::full(3.0, start);
        let taken = (0..5)
            .filter(|_| bucket.take(3.0, 1.0 / 3.0, start))
            .count();
        assert_eq!(taken, 3);
        assert!(!bucket.take(3.0, 1.0 / 3.0, start + Duration::from_secs(2)));
        assert!(bucket.take(3.0, 1.0 / 3.0, start + Duration::from_secs(4)));
    }
}
