//! The thin Telegram shell around the core: long polling or a webhook, one
//! failure boundary around every update, and the calls that deliver replies.

pub mod delivery;
mod input;
pub mod limiter;
mod metrics;
mod output;
mod profile;
mod scheduler;
pub mod webhook;

use std::convert::Infallible;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use futures::FutureExt;
use teloxide::dispatching::UpdateHandler;
use teloxide::error_handlers::ErrorHandler;
use teloxide::prelude::*;
use teloxide::types::MessageId;
use teloxide::update_listeners::Polling;

use crate::app::{App, OpenError, Speaker};
use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::config::StaffMember;
use crate::conversation::{Action, Command, Input, Recipient};
use crate::desk::DeskInput;
use crate::render::Rendered;
use crate::store::Job;
use delivery::{kind_of, Patience, Tg};
use input::{Incoming, Origin};

/// Decides, for a test, whether handling this input should panic, and with what
/// message (a test puts her words in it, to prove the hook never prints them).
pub type PanicOn = Arc<dyn Fn(&Input) -> Option<String> + Send + Sync>;

/// Test seams: the clock, and a fault to inject into the handler.
#[derive(Clone)]
pub struct Hooks {
    pub clock: Arc<dyn Clock>,
    /// Called with each input before it is handled; `Some` makes the handler panic
    /// with that message.
    pub panic_on: Option<PanicOn>,
}

impl Default for Hooks {
    fn default() -> Hooks {
        Hooks {
            clock: Arc::new(SystemClock),
            panic_on: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Open(#[from] OpenError),
    #[error("cannot reach the Telegram Bot API (getMe failed: {0}); check TELOXIDE_TOKEN and TELOXIDE_API_URL")]
    Unreachable(String),
    #[error(
        "cannot serve metrics: {0}; check --metrics (an address like 127.0.0.1:9090 that is free)"
    )]
    Metrics(String),
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error("cannot listen for webhook requests on {0}: {1}; check --listen (a free address the reverse proxy forwards to)")]
    Listen(std::net::SocketAddr, String),
    #[error("Telegram did not accept the webhook (setWebhook failed: {0}); check the --webhook URL (public, https, port 443, 80, 88 or 8443)")]
    Webhook(String),
    #[error("another program is receiving this bot's updates (Telegram answered 409 Conflict): stop the other ak-jurok, or the webhook set elsewhere, then start this one again")]
    Conflict,
}

struct Shared {
    app: App,
    /// The paced client every delivery uses.
    tg: Tg,
    panic_on: Option<PanicOn>,
    /// Counts for `--metrics` (kept whether or not they are served).
    metrics: metrics::Metrics,
    /// The note after Erase, per chat, while it stays (in memory only, a minute
    /// or so): her Hide removes it too, as it removes everything else.
    erase_notes: std::sync::Mutex<std::collections::HashMap<i64, (std::time::Instant, Vec<i32>)>>,
}

/// Builds the bot client from the configuration (token and optional API URL;
/// plain http only to this machine unless allowed).
pub fn bot(config: &Config) -> Result<Bot, crate::config::ConfigError> {
    let mut bot = Bot::new(config.token()?.expose());
    if let Some(url) = &config.api_url {
        let parsed: url::Url = url
            .parse()
            .map_err(|_| crate::config::ConfigError::ApiUrl)?;
        // Plain http only to this machine (tests, a local Bot API server).
        let host = parsed
            .host_str()
            .unwrap_or_default()
            .trim_matches(['[', ']']);
        let loopback = host == "localhost"
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        if parsed.scheme() == "http" && !loopback {
            if !config.allow_plain_http_api {
                return Err(crate::config::ConfigError::PlainHttpApi);
            }
            tracing::warn!(event = "plain_http_bot_api_allowed");
        }
        bot = bot.set_api_url(parsed);
    }
    Ok(bot)
}

/// Runs the bot until `shutdown` completes.
pub async fn run(
    bot: Bot,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), RunError> {
    run_with(bot, config, Hooks::default(), shutdown).await
}

/// [`run`] with test seams. Returns only after every database handle is dropped, so
/// the same process may start it again on the same data directory.
pub async fn run_with(
    bot: Bot,
    config: Config,
    hooks: Hooks,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), RunError> {
    let app = App::open(config, hooks.clock)?;
    let tg = Tg::new(bot.clone(), &app.config.telegram_limits);
    delivery::send(&tg.get_me(), Patience::Background)
        .await
        .map_err(|e| RunError::Unreachable(kind_of(&e).to_string()))?;
    // Addresses first: a busy one fails the start before anything runs.
    let metrics_socket = match app.config.metrics {
        Some(addr) => Some(
            tokio::net::TcpListener::bind(addr)
                .await
                .map_err(|e| RunError::Metrics(e.to_string()))?,
        ),
        None => None,
    };
    let webhook_url = app.config.webhook()?;
    let hooked = match &webhook_url {
        Some(url) => Some(webhook::start(&tg, url.clone(), app.config.webhook_listen).await?),
        None => None,
    };
    // Only when they changed: Telegram limits how often they may be set.
    let fingerprint = profile::fingerprint(&app.locales);
    let published = app.store.published_profile().map_err(OpenError::from)?;
    let republish = published.as_deref() != Some(fingerprint.as_slice());
    if republish {
        // Remembered only when all of it went through: else tried again next start.
        if profile::publish(&tg, &app.locales).await {
            app.store
                .set_published_profile(&fingerprint)
                .map_err(OpenError::from)?;
        }
    } else {
        tracing::info!(event = "profile_unchanged");
    }
    let crashed = app.store.mark_running().map_err(OpenError::from)?;
    if crashed {
        tracing::warn!(event = "restarted_after_crash");
    }
    // Keys a crash left without their rows (only old ones: none is being used).
    app.store
        .sweep_orphans(app.clock.now(), crate::store::ORPHAN_MIN_AGE)
        .map_err(OpenError::from)?;
    // Each staff chat's menu (and who has not started the bot yet), every start.
    profile::publish_staff(&tg, &app.locales, &app.staff).await;
    let shared = Arc::new(Shared {
        tg: tg.clone(),
        app,
        panic_on: hooks.panic_on,
        metrics: metrics::Metrics::default(),
        erase_notes: Default::default(),
    });
    shared.metrics.telegram_answered();
    let watching = tokio::spawn(watch_telegram(shared.clone(), webhook_url));
    if crashed {
        // Staff should know: nothing confirmed is lost, but a reply may be.
        let notice = shared.app.restarted_notice();
        notify_staff(&tg, &shared, &notice).await;
    }
    let retention = tokio::spawn(purge_hourly(shared.clone(), tg.clone()));
    let timed = tokio::spawn(scheduler::run(shared.clone(), tg.clone()));

    let mut dispatcher = Dispatcher::builder(bot.clone(), schema())
        .dependencies(dptree::deps![shared.clone()])
        // teloxide's default handler logs whole updates, with ids and text.
        .default_handler(|_| async { tracing::debug!(event = "update_unhandled") })
        .error_handler(Arc::new(QuietErrors("handler")))
        // teloxide's own default, set on purpose: the limiter lets no person
        // queue more than a burst (30) plus the exempt few, so no chat's queue
        // fills and holds up the dispatcher for everyone.
        .worker_queue_size(64)
        .build();
    let token = dispatcher.shutdown_token();
    // Asked to stop: no new updates; handlers get SHUTDOWN_GRACE to finish.
    let (asked_tx, asked) = tokio::sync::oneshot::channel::<()>();
    let stopper = tokio::spawn(async move {
        shutdown.await;
        let _ = asked_tx.send(());
        // The dispatcher may not be running yet; ask until it is.
        loop {
            match token.shutdown() {
                Ok(done) => return done.await,
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            }
        }
    });
    let grace_over = async move {
        if asked.await.is_ok() {
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        } else {
            std::future::pending::<()>().await;
        }
    };
    let limits = limiter::Limits::of(
        shared.app.config.flood_burst,
        shared.app.config.flood_every_seconds,
    );
    let (gate, answering) = limiter::Gate::start(limits, shared.clone());
    let serving = match metrics_socket {
        Some(listener) => {
            let counted = gate.clone();
            let dropped =
                Arc::new(move || counted.dropped.load(std::sync::atomic::Ordering::Relaxed));
            tracing::info!(event = "metrics_served");
            Some(tokio::spawn(metrics::serve(
                listener,
                shared.clone(),
                dropped,
            )))
        }
        None => None,
    };
    let listening = Arc::new(ListenerErrors {
        token: dispatcher.shutdown_token(),
        conflict: Default::default(),
    });
    let (dispatching, webhook_server) = match hooked {
        Some((listener, server)) => {
            let listener = limiter::Limited::new(listener, gate);
            tracing::info!(event = "started", mode = "webhook");
            let dispatching = dispatcher.try_dispatch_with_listener(listener, listening.clone());
            (futures::future::Either::Left(dispatching), Some(server))
        }
        None => {
            // Polling takes over from a webhook set before.
            let polling = Polling::builder(bot)
                .timeout(Duration::from_secs(10))
                .delete_webhook()
                .await
                .build();
            let listener = limiter::Limited::new(polling, gate);
            tracing::info!(event = "started", mode = "polling");
            let dispatching = dispatcher.try_dispatch_with_listener(listener, listening.clone());
            (futures::future::Either::Right(dispatching), None)
        }
    };
    let result = tokio::select! {
        result = dispatching => result,
        () = grace_over => {
            // What still runs is abandoned; every confirmed request is on disk.
            tracing::warn!(event = "handlers_abandoned_at_shutdown");
            Ok(())
        }
    };
    stopper.abort();
    if let Some(server) = webhook_server {
        // Stopped with the listener; aborted if a request still hangs.
        if tokio::time::timeout(Duration::from_secs(2), server)
            .await
            .is_err()
        {
            tracing::warn!(event = "webhook_server_stop_timed_out");
        }
    }
    watching.abort();
    let _ = watching.await;
    if let Some(serving) = serving {
        serving.abort();
        let _ = serving.await;
    }
    answering.abort();
    let _ = answering.await;
    retention.abort();
    timed.abort();
    let _ = retention.await;
    let _ = timed.await;
    drop(dispatcher);
    close(shared).await;
    tracing::info!(event = "stopped");
    if listening.conflict.load(std::sync::atomic::Ordering::SeqCst) {
        return Err(RunError::Conflict);
    }
    result.map_err(|e| RunError::Unreachable(kind_of(&e).to_string()))
}

/// The webhook listener never fails: its errors are answers to Telegram.
impl ErrorHandler<Infallible> for ListenerErrors {
    fn handle_error(self: Arc<Self>, error: Infallible) -> futures::future::BoxFuture<'static, ()> {
        match error {}
    }
}

/// Errors of `getUpdates`: logged by kind, and a 409 — another instance, or a
/// webhook, takes this token's updates — stops the bot instead of fighting it
/// forever.
struct ListenerErrors {
    token: teloxide::dispatching::ShutdownToken,
    conflict: std::sync::atomic::AtomicBool,
}

impl ErrorHandler<teloxide::RequestError> for ListenerErrors {
    fn handle_error(
        self: Arc<Self>,
        error: teloxide::RequestError,
    ) -> futures::future::BoxFuture<'static, ()> {
        let conflict = matches!(
            error,
            teloxide::RequestError::Api(teloxide::ApiError::TerminatedByOtherGetUpdates)
        );
        if !conflict {
            tracing::warn!(
                event = "error",
                source = "getUpdates",
                kind = kind_of(&error)
            );
            return Box::pin(async {});
        }
        tracing::error!(event = "conflict_another_instance");
        self.conflict
            .store(true, std::sync::atomic::Ordering::SeqCst);
        let token = self.token.clone();
        // Not awaited here: the dispatcher waits for this handler to return.
        tokio::spawn(async move {
            if let Ok(done) = token.shutdown() {
                done.await;
            }
        });
        Box::pin(async {})
    }
}

/// How long handlers may still run after the bot is asked to stop.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Retention runs at start and then every hour; it hands back the screens that
/// showed what she typed in a draft she left, and they are deleted here.
async fn purge_hourly(shared: Arc<Shared>, bot: Tg) {
    let mut every_hour = tokio::time::interval(Duration::from_secs(3600));
    loop {
        every_hour.tick().await;
        match blocking(&shared, |app| app.purge()).await {
            Ok(Ok(report)) => {
                for (chat, ids) in report.to_delete {
                    output::delete_all(&bot, ChatId(chat), &ids).await;
                }
            }
            _ => tracing::error!(event = "purge_failed"),
        }
    }
}

/// Waits until the handlers have let go of the shared state, then flushes and
/// closes the database.
async fn close(mut shared: Arc<Shared>) {
    // Marked stopped (and flushed) first: an abandoned handler may still hold
    // the database for a moment, and the process may end before it lets go.
    if shared.app.store.mark_stopped().is_err() {
        tracing::error!(event = "flush_failed");
    }
    // Up to two seconds more for the last handles to go.
    for _ in 0..200 {
        match Arc::try_unwrap(shared) {
            Ok(owned) => {
                if owned.app.store.flush().is_err() {
                    tracing::error!(event = "flush_failed");
                }
                return;
            }
            Err(still_shared) => {
                shared = still_shared;
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
    tracing::error!(event = "close_timed_out");
}

/// Only the update kinds the bot answers; this also tells Telegram not to send the
/// others (edits of her messages, reactions, …) at all.
fn schema() -> UpdateHandler<Infallible> {
    dptree::entry()
        .branch(Update::filter_message().endpoint(within_budget))
        .branch(Update::filter_callback_query().endpoint(within_budget))
        .branch(Update::filter_my_chat_member().endpoint(within_budget))
}

/// One update may take at most `update_budget_seconds` (60): past it, it is
/// abandoned and counted, so a stuck call never holds her chat for good.
async fn within_budget(update: Update, shared: Arc<Shared>) -> Result<(), Infallible> {
    let kind = match update.kind {
        teloxide::types::UpdateKind::Message(_) => 0,
        teloxide::types::UpdateKind::CallbackQuery(_) => 1,
        _ => 2,
    };
    let started = std::time::Instant::now();
    let budget = Duration::from_secs(shared.app.config.update_budget_seconds.max(1).into());
    if tokio::time::timeout(budget, handle_update(update, shared.clone()))
        .await
        .is_err()
    {
        tracing::error!(event = "update_abandoned_over_budget");
        shared
            .metrics
            .failed
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    shared.metrics.handled(kind, started.elapsed());
    Ok(())
}

/// Asks Telegram every minute whether it answers (polling: `getMe`) or still
/// posts to this bot (webhook: `getWebhookInfo`): /healthz says so.
async fn watch_telegram(shared: Arc<Shared>, webhook: Option<url::Url>) {
    let mut every_minute = tokio::time::interval(Duration::from_secs(60));
    loop {
        every_minute.tick().await;
        let answered = match &webhook {
            Some(url) => webhook::still_ours(&shared.tg, url).await,
            None => delivery::send(&shared.tg.get_me(), Patience::Background)
                .await
                .is_ok(),
        };
        if answered {
            shared.metrics.telegram_answered();
        }
    }
}

/// The one boundary: errors and panics are logged by kind and answered with an
/// apology and the menu, so a failure never takes the chat's worker down.
async fn handle_update(update: Update, shared: Arc<Shared>) -> Result<(), Infallible> {
    let bot = shared.tg.clone();
    let Some(incoming) = input::read(&update) else {
        return Ok(());
    };
    let Origin::Private {
        chat,
        user,
        ref language_code,
    } = incoming.origin
    else {
        if let Origin::Group(chat) = incoming.origin {
            leave_unless_staff(&bot, &shared, chat).await;
        }
        return Ok(());
    };
    let staff = shared.app.staff.iter().find(|m| m.id == user).cloned();
    let suspended = staff
        .as_ref()
        .is_some_and(|member| shared.app.store.is_suspended(&member.handle));
    // A suspended staff member's phone is answered like anyone's.
    if let (Some(member), false) = (staff, suspended) {
        let outcome = AssertUnwindSafe(serve_staff(&bot, &shared, chat, &member, &incoming))
            .catch_unwind()
            .await;
        if !matches!(outcome, Ok(Ok(()))) {
            tracing::error!(event = "staff_update_failed");
        }
        return Ok(());
    }
    let speaker = Speaker {
        who: shared.app.keys.pseudonym(user),
        language_code: language_code.clone(),
        chat_id: chat.0,
    };
    let outcome = AssertUnwindSafe(serve(&bot, &shared, chat, &speaker, &incoming))
        .catch_unwind()
        .await;
    let failure = match outcome {
        Ok(Ok(())) => return Ok(()),
        Ok(Err(kind)) => kind,
        Err(_) => "panic",
    };
    tracing::error!(event = "update_failed", cause = failure);
    shared
        .metrics
        .failed
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    // What she sent may be what she could not say elsewhere: off her screen.
    if let Some(message) = incoming.message {
        output::delete_one(&bot, chat, message).await;
    }
    let who = speaker.clone();
    if let Ok(apology) = blocking(&shared, move |app| app.apology(&who)).await {
        match output::deliver(&bot, chat, None, &apology).await {
            // Tracked, so Hide and Erase remove it too.
            Ok(id) => {
                let tracked = blocking(&shared, move |app| app.track(&speaker, &[id.0], &[])).await;
                if !matches!(tracked, Ok(Ok(()))) {
                    tracing::warn!(event = "apology_not_tracked");
                }
            }
            Err(_) => tracing::error!(event = "apology_not_delivered"),
        }
    }
    Ok(())
}

/// Runs store work (reads, sealing, fsync) on the blocking pool, so it never
/// holds up an async worker that other chats need. A panic there comes back as
/// an error, like any other failure of the update.
async fn blocking<T: Send + 'static>(
    shared: &Arc<Shared>,
    work: impl FnOnce(&App) -> T + Send + 'static,
) -> Result<T, &'static str> {
    let shared = shared.clone();
    tokio::task::spawn_blocking(move || work(&shared.app))
        .await
        .map_err(|e| if e.is_panic() { "panic" } else { "cancelled" })
}

/// Runs store work that never waits for the disk (no flush, no keyring write:
/// reading and sealing in memory, and sled's buffered writes) right here: a hop
/// to the blocking pool and back costs more than the work (the load benchmark
/// measured ~280 µs of CPU an update for two hops). A panic comes back as an
/// error, as with [`blocking`].
fn inline<T>(shared: &Arc<Shared>, work: impl FnOnce(&App) -> T) -> Result<T, &'static str> {
    std::panic::catch_unwind(AssertUnwindSafe(|| work(&shared.app))).map_err(|_| "panic")
}

async fn serve(
    bot: &Tg,
    shared: &Arc<Shared>,
    chat: ChatId,
    speaker: &Speaker,
    incoming: &Incoming,
) -> Result<(), &'static str> {
    if let Some(id) = &incoming.callback {
        // Stops the spinner on her button; failure here changes nothing else.
        let _ = delivery::send(&bot.answer_callback_query(id.clone()), Patience::Her).await;
    }
    if let Some(message) = shared.panic_on.as_ref().and_then(|f| f(&incoming.input)) {
        panic!("{message}");
    }
    let (who, input, pressed) = (
        speaker.clone(),
        incoming.input.clone(),
        incoming.pressed.map(|m| m.0),
    );
    // Most of what she does only moves her through the screens: that is done
    // here; what writes a key or flushes goes to the blocking pool.
    let light = inline(shared, |app| app.handle_light(&who, input.clone(), pressed))?
        .map_err(|_| "store")?;
    let handled = match light {
        Some(handled) => handled,
        None => blocking(shared, move |app| app.handle(&who, input, pressed))
            .await?
            .map_err(|_| "store")?,
    };
    if let (true, Some(message)) = (handled.delete_incoming, incoming.message) {
        // What she typed: off the screen at once.
        output::delete_one(bot, chat, message).await;
    }
    let mut shown = Vec::new();
    let mut exposed = Vec::new();
    let mut expiring = Vec::new();
    for reply in &handled.replies {
        if reply.to != Recipient::Her {
            // Staff delivery comes with the staff desk.
            tracing::warn!(event = "reply_to_staff_not_delivered");
            continue;
        }
        let id = output::deliver(bot, chat, incoming.pressed, reply)
            .await
            .map_err(|e| kind_of(&e))?;
        shown.push(id.0);
        if reply.exposes {
            exposed.push(id.0);
        }
        if reply.expires {
            expiring.push(id.0);
        }
    }
    if !expiring.is_empty() {
        // A specialist's words: gone from her chat within a day, whatever she does.
        let job = Job::DeleteMessages {
            chat: chat.0,
            ids: expiring,
        };
        blocking(shared, move |app| {
            app.schedule(chrono::Duration::hours(24), &job)
        })
        .await?
        .map_err(|_| "store")?;
    }
    if !handled.delete.is_empty() {
        output::delete_all(bot, chat, &handled.delete).await;
    }
    if let (true, Some(message)) = (handled.relayed_incoming, incoming.message) {
        // Her words to the specialist stay until the conversation goes quiet
        // (remembered before they are passed on).
        let chat_id = chat.0;
        blocking(shared, move |app| {
            app.relay_touch(chat_id, &[message.0], true)
        })
        .await?
        .map_err(|_| "store")?;
    }
    notify_staff(bot, shared, &handled.notices).await;
    for (handle, message) in &handled.delete_for_staff {
        delete_for_staff(bot, shared, handle, *message).await;
    }
    if matches!(incoming.input, Input::Pressed(Action::Hide)) {
        // The note after an Erase a minute ago is still on her screen: it goes too
        // (the pressed one, if it was the note, has just become the cover).
        let note = shared
            .erase_notes
            .lock()
            .map(|mut notes| notes.remove(&chat.0))
            .ok()
            .flatten();
        if let Some((_, ids)) = note {
            let pressed = incoming.pressed.map(|m| m.0);
            let rest: Vec<i32> = ids.into_iter().filter(|id| Some(*id) != pressed).collect();
            output::delete_all(bot, chat, &rest).await;
        }
    }
    if handled.erased {
        if handled.delete_replies_later {
            if let Ok(mut notes) = shared.erase_notes.lock() {
                let keep = Duration::from_secs(shared.app.config.erase_note_seconds);
                notes.retain(|_, (at, _)| at.elapsed() < keep);
                notes.insert(chat.0, (std::time::Instant::now(), shown.clone()));
            }
            // Kept on disk: a restart in between does not leave the note behind.
            let job = Job::DeleteMessages {
                chat: chat.0,
                ids: shown,
            };
            let after = chrono::Duration::seconds(shared.app.config.erase_note_seconds as i64);
            blocking(shared, move |app| app.schedule(after, &job))
                .await?
                .map_err(|_| "store")?;
        }
        return Ok(());
    }
    let mut ids = shown;
    if let (false, Some(message)) = (handled.delete_incoming, incoming.message) {
        ids.push(message.0);
    }
    // (Her own updates run one at a time; her lock's stripe is another woman's
    // only by chance, one in 1,024, and never held across a wait for Telegram.)
    inline(shared, |app| app.track(speaker, &ids, &exposed))?.map_err(|_| "store")?;
    Ok(())
}

/// A staff member's update, in a private chat: the desk answers in that chat.
async fn serve_staff(
    bot: &Tg,
    shared: &Arc<Shared>,
    chat: ChatId,
    member: &StaffMember,
    incoming: &Incoming,
) -> Result<(), &'static str> {
    if let Some(id) = &incoming.callback {
        let _ = delivery::send(&bot.answer_callback_query(id.clone()), Patience::Her).await;
    }
    if matches!(incoming.input, Input::Command(Command::Start)) {
        // A staff member who had never written could not get their menu at start.
        profile::publish_staff(bot, &shared.app.locales, std::slice::from_ref(member)).await;
    }
    let command = incoming
        .desk_command
        .as_ref()
        .map(|(command, argument)| (*command, argument.as_str()));
    let input = DeskInput::read(command, incoming.desk, &incoming.input);
    let who = member.clone();
    let handled = blocking(shared, move |app| app.handle_staff(&who, input))
        .await?
        .map_err(|_| "store")?;
    if let (true, Some(message)) = (handled.delete_incoming, incoming.message) {
        // A handover note: kept sealed with her request, not in this chat.
        output::delete_one(bot, chat, message).await;
    }
    for (handle, message) in &handled.delete_for_staff {
        delete_for_staff(bot, shared, handle, *message).await;
    }
    notify_staff(bot, shared, &handled.notices).await;
    let mut replies: Vec<&Rendered> = handled.replies.iter().collect();
    if let Some(live) = &handled.to_her {
        // She is in the conversation: the reply goes at once, silently.
        let chat_id = live.chat;
        match output::deliver(bot, ChatId(chat_id), None, &live.rendered).await {
            Ok(message) => {
                blocking(shared, move |app| {
                    app.relay_touch(chat_id, &[message.0], false)
                })
                .await?
                .map_err(|_| "store")?;
            }
            Err(_) => {
                // She may have blocked the bot: the writer is told so, not "sent".
                tracing::warn!(event = "live_reply_undeliverable");
                replies = live.undeliverable.iter().collect();
            }
        }
    }
    for reply in replies {
        if reply.to != Recipient::Staff(member.handle.clone()) {
            tracing::warn!(event = "desk_reply_elsewhere_not_delivered");
            continue;
        }
        let shown = output::deliver(bot, chat, incoming.pressed, reply)
            .await
            .map_err(|e| kind_of(&e))?;
        if let Some(id) = reply.card {
            // Where the card is, so it can go when she withdraws.
            blocking(shared, move |app| app.store.remember_card(&id, shown.0))
                .await?
                .map_err(|_| "store")?;
        }
    }
    Ok(())
}

/// Delivers notices to staff members and the staff chat. An alert a staff
/// member cannot get (one who never started the bot, or blocked it) goes to the
/// staff chat instead, so it reaches someone.
async fn notify_staff(bot: &Tg, shared: &Arc<Shared>, notices: &[Rendered]) {
    let staff_chat = shared.app.config.staff_chat.map(ChatId);
    for notice in notices {
        let chat = match &notice.to {
            Recipient::Staff(handle) => shared
                .app
                .staff
                .iter()
                .find(|m| &m.handle == handle)
                .map(|m| ChatId(m.id as i64)),
            _ => staff_chat,
        };
        let delivered = match chat {
            Some(chat) => output::deliver(bot, chat, None, notice).await.ok(),
            None => None,
        };
        if let Some(message) = delivered {
            if let Some(request) = notice.relayed {
                // Her words in the holder's chat go with the card.
                let remembered = blocking(shared, move |app| {
                    app.store.remember_relayed(&request, message.0)
                })
                .await;
                if !matches!(remembered, Ok(Ok(()))) {
                    tracing::error!(event = "relayed_message_not_remembered");
                }
            }
            continue;
        }
        if notice.relayed.is_some() {
            // Her words never go to the staff chat.
            tracing::warn!(event = "relayed_words_not_delivered");
            continue;
        }
        tracing::warn!(event = "staff_notice_not_delivered");
        if let (Recipient::Staff(_), Some(chat)) = (&notice.to, staff_chat) {
            // In the staff chat's language, not the member's.
            let instead = notice.fallback.as_deref().unwrap_or(notice);
            if output::deliver(bot, chat, None, instead).await.is_err() {
                tracing::error!(event = "staff_notice_reached_nobody");
            }
        }
    }
}

/// Deletes a card in a staff member's chat, or, when it is too old to delete,
/// replaces it with a one-line stub.
async fn delete_for_staff(bot: &Tg, shared: &Shared, handle: &str, message: i32) {
    if let Some(member) = shared.app.staff.iter().find(|m| m.handle == handle) {
        let stub = shared.app.card_stub(handle);
        output::delete_or_stub(bot, ChatId(member.id as i64), MessageId(message), stub).await;
    }
}

async fn leave_unless_staff(bot: &Tg, shared: &Shared, chat: ChatId) {
    if shared.app.config.staff_chat == Some(chat.0) {
        return;
    }
    tracing::info!(event = "left_group");
    if delivery::send(&bot.leave_chat(chat), Patience::Background)
        .await
        .is_err()
    {
        tracing::warn!(event = "leave_group_failed");
    }
}

/// Logs that an error happened and where, never its text.
struct QuietErrors(&'static str);

impl<E: Send + Sync + 'static> ErrorHandler<E> for QuietErrors {
    fn handle_error(self: Arc<Self>, _error: E) -> futures::future::BoxFuture<'static, ()> {
        tracing::warn!(event = "error", source = self.0);
        Box::pin(async {})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_to_the_bot_api_only_on_this_machine() {
        let with = |url: &str, allow: bool| {
            let config = Config {
                token: Some(crate::config::Secret::new("1:T".into())),
                api_url: Some(url.into()),
                allow_plain_http_api: allow,
                ..Config::default()
            };
            bot(&config).map(|_| ())
        };
        for fine in [
            "http://127.0.0.1:8081",
            "http://localhost:8081",
            "http://[::1]:8081",
            "https://api.example.org",
        ] {
            assert!(with(fine, false).is_ok(), "{fine}");
        }
        assert!(matches!(
            with("http://10.0.0.5:8081", false),
            Err(crate::config::ConfigError::PlainHttpApi)
        ));
        assert!(with("http://10.0.0.5:8081", true).is_ok());
    }
}
