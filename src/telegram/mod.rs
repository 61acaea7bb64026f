//! The thin Telegram shell around the core: long polling or a webhook, one
//! failure boundary around every update, and the calls that deliver replies.

mod backups;
mod carry_out;
pub mod delivery;
mod input;
pub mod limiter;
mod metrics;
mod output;
mod profile;
mod scheduler;
mod updates;
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
use teloxide::update_listeners::Polling;

use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::config::StaffMember;
use crate::conversation::{Command, Input};
use crate::desk::DeskInput;
use crate::engine::{App, OpenError, Speaker};
use delivery::{kind_of, Patience, Tg};
use input::{Incoming, Origin};
use updates::{blocking, handle_update};

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
    /// While set, every store write fails as on a full disk.
    pub fail_writes: Option<Arc<std::sync::atomic::AtomicBool>>,
    /// How often a degraded bot probes its disk (a minute).
    pub disk_probe_every: Duration,
}

impl Default for Hooks {
    fn default() -> Hooks {
        Hooks {
            clock: Arc::new(SystemClock),
            panic_on: None,
            fail_writes: None,
            disk_probe_every: Duration::from_secs(60),
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
    #[error("the data folder can be written again after a failed write; stopping so that the service manager starts the bot again on a freshly opened database")]
    DiskWritableAgain,
}

struct Shared {
    app: App,
    /// The paced client every delivery uses.
    tg: Tg,
    panic_on: Option<PanicOn>,
    /// Counts for `--metrics` (kept whether or not they are served).
    metrics: metrics::Metrics,
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
    // SIGUSR1 asks for a backup; listened for first, as unheard it would end
    // the process.
    let backup_asked = backups::asked();
    let app = open_app(config, &hooks)?;
    let tg = Tg::new(bot.clone(), &app.config().telegram_limits);
    delivery::send(&tg.get_me(), Patience::Background)
        .await
        .map_err(|e| RunError::Unreachable(kind_of(&e).to_string()))?;
    // Addresses first: a busy one fails the start before anything runs.
    let metrics_socket = match app.config().metrics {
        Some(addr) => Some(bind_metrics(addr).await?),
        None => None,
    };
    let webhook_url = app.config().webhook()?;
    let hooked = match &webhook_url {
        Some(url) => Some(webhook::start(&tg, url.clone(), app.config().webhook_listen).await?),
        None => None,
    };
    let crashed = announce(&app, &tg).await?;
    let shared = share(app, tg, hooks.panic_on);
    let mut background = vec![
        tokio::spawn(watch_telegram(shared.clone(), webhook_url)),
        tokio::spawn(purge_hourly(shared.clone())),
        tokio::spawn(scheduler::run(shared.clone())),
        tokio::spawn(backups::run(shared.clone(), backup_asked)),
    ];
    if crashed {
        tell_restarted(&shared).await;
    }
    let mut dispatcher = dispatcher(bot.clone(), shared.clone());
    let (stopper, grace_over) = stop_on(shutdown, dispatcher.shutdown_token());
    let gate = guard(&shared, metrics_socket, &mut background);
    let listening = Arc::new(ListenerErrors {
        shared: shared.clone(),
    });
    let writable_again = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watching = (dispatcher.shutdown_token(), writable_again.clone());
    background.push(tokio::spawn(watch_disk(
        shared.clone(),
        hooks.disk_probe_every,
        watching,
    )));
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
    wind_down(webhook_server, background).await;
    drop(dispatcher);
    close(shared).await;
    tracing::info!(event = "stopped");
    ended(&writable_again, result)
}

/// What the run came to: the reason it stopped by itself, if it did.
fn ended(
    writable_again: &std::sync::atomic::AtomicBool,
    result: Result<(), teloxide::RequestError>,
) -> Result<(), RunError> {
    if writable_again.load(std::sync::atomic::Ordering::SeqCst) {
        return Err(RunError::DiskWritableAgain);
    }
    result.map_err(|e| RunError::Unreachable(kind_of(&e).to_string()))
}

/// The app, opened, with the start's warnings said and the test seam set.
fn open_app(config: Config, hooks: &Hooks) -> Result<App, RunError> {
    let key_existed = config.key_file().exists();
    let app = App::open(config, hooks.clock.clone())?;
    warn_at_start(&app, key_existed);
    if let Some(fail) = &hooks.fail_writes {
        app.make_writes_fail(fail.clone());
    }
    Ok(app)
}

/// What works but should not be left so, one log line each: a master key just
/// made (it must be backed up off this disk, or the data is lost with it), no
/// staff, no staff chat, nobody on call.
fn warn_at_start(app: &App, key_existed: bool) {
    let config = app.config();
    if !key_existed {
        let path = config.key_file().display().to_string();
        tracing::warn!(
            event = "master_key_created",
            path = %path,
            advice = "copy it off this disk now: without it the data cannot be read"
        );
    }
    let staff = app.staff();
    if staff.is_empty() {
        tracing::warn!(
            event = "no_staff",
            advice = "requests queue but nobody can take them; add [[staff]]"
        );
    }
    if config.backup_dir.is_none() {
        tracing::warn!(
            event = "no_backups",
            advice = "the bot writes no backups; set backup_dir"
        );
    }
    if config.staff_chat.is_none() {
        tracing::warn!(
            event = "no_staff_chat",
            advice = "new requests and undeliverable alerts reach nobody; set staff_chat"
        );
    }
    if !staff.is_empty() && !staff.iter().any(|m| m.on_call) {
        tracing::warn!(
            event = "nobody_on_call",
            advice = "danger-now alerts wake nobody while nobody is on duty; set on_call = true"
        );
    }
}

/// The per-person limit in front of the dispatcher, and the metrics page
/// (which counts what it dropped), their tasks added to `background`.
fn guard(
    shared: &Arc<Shared>,
    metrics_socket: Option<tokio::net::TcpListener>,
    background: &mut Vec<tokio::task::JoinHandle<()>>,
) -> Arc<limiter::Gate> {
    let config = shared.app.config();
    let limits = limiter::Limits::of(config.flood_burst, config.flood_every_seconds);
    let (gate, answering) = limiter::Gate::start(limits, shared.clone());
    background.push(answering);
    if let Some(listener) = metrics_socket {
        let counted = gate.clone();
        let dropped = Arc::new(move || counted.dropped.load(std::sync::atomic::Ordering::Relaxed));
        tracing::info!(event = "metrics_served");
        let serving = metrics::serve(listener, shared.clone(), dropped);
        background.push(tokio::spawn(serving));
    }
    gate
}

/// The state every task shares; Telegram has just answered (`getMe`).
fn share(app: App, tg: Tg, panic_on: Option<PanicOn>) -> Arc<Shared> {
    let shared = Arc::new(Shared {
        tg,
        app,
        panic_on,
        metrics: metrics::Metrics::default(),
    });
    shared.metrics.telegram_answered();
    // "Since the last update" (and backup) counts from the start until there
    // is one.
    let now = chrono::Utc::now().timestamp();
    for at in [&shared.metrics.update_at, &shared.metrics.started_at] {
        at.store(now, std::sync::atomic::Ordering::Relaxed);
    }
    shared
}

/// The bot stopped without closing cleanly last time: staff should know
/// (nothing confirmed is lost, but a reply may be).
async fn tell_restarted(shared: &Arc<Shared>) {
    let notice = shared.app.restarted_notice();
    if let Err(failure) = carry_out::perform(shared, notice).await {
        tracing::warn!(event = "restart_notice_failed", cause = failure.cause());
    }
}

/// Binds the address `--metrics` serves on.
async fn bind_metrics(addr: std::net::SocketAddr) -> Result<tokio::net::TcpListener, RunError> {
    if !addr.ip().is_loopback() {
        return Err(RunError::Metrics(format!(
            "{addr} is not a loopback address: serve them on 127.0.0.1 (or ::1) and let a remote scraper come through an SSH tunnel or a proxy"
        )));
    }
    tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| RunError::Metrics(e.to_string()))
}

/// The dispatcher: every update through [`schema`], with the shared state.
fn dispatcher(
    bot: Bot,
    shared: Arc<Shared>,
) -> Dispatcher<Bot, Infallible, teloxide::dispatching::DefaultKey> {
    Dispatcher::builder(bot, schema())
        .dependencies(dptree::deps![shared])
        // teloxide's default handler logs whole updates, with ids and text.
        .default_handler(|_| async { tracing::debug!(event = "update_unhandled") })
        .error_handler(Arc::new(QuietErrors("handler")))
        // teloxide's own default, set on purpose: the limiter lets no person
        // queue more than a burst (30) plus the exempt few, so no chat's queue
        // fills and holds up the dispatcher for everyone.
        .worker_queue_size(64)
        .build()
}

/// After the dispatcher: the webhook server (stopped with the listener;
/// aborted if a request still hangs) and the background tasks end.
async fn wind_down(
    webhook_server: Option<tokio::task::JoinHandle<()>>,
    background: Vec<tokio::task::JoinHandle<()>>,
) {
    if let Some(server) = webhook_server {
        if tokio::time::timeout(Duration::from_secs(2), server)
            .await
            .is_err()
        {
            tracing::warn!(event = "webhook_server_stop_timed_out");
        }
    }
    for task in &background {
        task.abort();
    }
    for task in background {
        let _ = task.await;
    }
}

/// What a start tells Telegram and the store: the menus and descriptions
/// (only when they changed: Telegram limits how often they may be set), that
/// the bot runs, and each staff chat's menu. Whether it stopped without
/// closing cleanly last time.
async fn announce(app: &App, tg: &Tg) -> Result<bool, RunError> {
    let fingerprint = profile::fingerprint(app.locales());
    let republish = !app.profile_is(&fingerprint).map_err(OpenError::from)?;
    if republish {
        // Remembered only when all of it went through: else tried again next start.
        if profile::publish(tg, app.locales()).await {
            app.profile_published(&fingerprint)
                .map_err(OpenError::from)?;
        }
    } else {
        tracing::info!(event = "profile_unchanged");
    }
    let crashed = app.starting().map_err(OpenError::from)?;
    if crashed {
        tracing::warn!(event = "restarted_after_crash");
    }
    // Each staff chat's menu (and who has not started the bot yet), every start.
    profile::publish_staff(tg, app.locales(), app.staff()).await;
    Ok(crashed)
}

/// Stops the dispatcher once `shutdown` completes (no new updates); the
/// second future completes `SHUTDOWN_GRACE` later, for the handlers to finish.
fn stop_on(
    shutdown: impl Future<Output = ()> + Send + 'static,
    token: teloxide::dispatching::ShutdownToken,
) -> (tokio::task::JoinHandle<()>, impl Future<Output = ()>) {
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
    (stopper, grace_over)
}

/// The webhook listener never fails: its errors are answers to Telegram.
impl ErrorHandler<Infallible> for ListenerErrors {
    fn handle_error(self: Arc<Self>, error: Infallible) -> futures::future::BoxFuture<'static, ()> {
        match error {}
    }
}

/// Errors of `getUpdates`: logged by kind. A 409 — another program takes
/// this token's updates — is an incident: the bot keeps polling (stopping
/// would hand every update to the other), and [`token_used_elsewhere`] tells
/// the staff chat.
struct ListenerErrors {
    shared: Arc<Shared>,
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
        let shared = self.shared.clone();
        Box::pin(async move { token_used_elsewhere(&shared, "getUpdates").await })
    }
}

/// How long handlers may still run after the bot is asked to stop.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Retention runs at start and then every hour; it hands back the screens that
/// showed what she typed in a draft she left, and they are deleted here.
async fn purge_hourly(shared: Arc<Shared>) {
    let mut every_hour = tokio::time::interval(Duration::from_secs(3600));
    loop {
        every_hour.tick().await;
        match blocking(&shared, |app| app.on_purge()).await {
            Ok(Ok(plan)) => {
                if let Err(failure) = carry_out::perform(&shared, plan).await {
                    tracing::error!(event = "purge_failed", cause = failure.cause());
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
    if shared.app.stopping().is_err() {
        tracing::error!(event = "flush_failed");
    }
    // Up to two seconds more for the last handles to go.
    for _ in 0..200 {
        match Arc::try_unwrap(shared) {
            Ok(owned) => {
                if owned.app.flush().is_err() {
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
    let budget = Duration::from_secs(shared.app.config().update_budget_seconds.max(1).into());
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
            Some(url) => match webhook::webhook_of(&shared.tg, url).await {
                Some(false) => {
                    token_used_elsewhere(&shared, "webhook").await;
                    false
                }
                ours => ours == Some(true),
            },
            None => delivery::send(&shared.tg.get_me(), Patience::Background)
                .await
                .is_ok(),
        };
        if answered {
            shared.metrics.telegram_answered();
        }
    }
}

/// Someone else takes this bot's updates — a 409 while polling, or the
/// webhook set elsewhere: whoever holds the token receives the women's
/// messages, and she gets no answer. The staff chat is told at once (sending
/// still works; again after an hour if it goes on), `/healthz` says 503 for
/// the next three minutes, and the log says so.
async fn token_used_elsewhere(shared: &Arc<Shared>, via: &'static str) {
    use std::sync::atomic::Ordering;
    tracing::error!(event = "token_used_elsewhere", via);
    let now = chrono::Utc::now().timestamp();
    let metrics = &shared.metrics;
    metrics.token_elsewhere_at.store(now, Ordering::Relaxed);
    let told = metrics.token_told_at.load(Ordering::Relaxed);
    if now - told < 3600 {
        return;
    }
    metrics.token_told_at.store(now, Ordering::Relaxed);
    let plan = shared.app.token_elsewhere_notice();
    if carry_out::perform(shared, plan).await.is_err() {
        tracing::error!(event = "token_notice_not_delivered");
    }
}

/// While the bot is degraded (a store write failed): every `every` (a minute)
/// the disk is probed; once it can be written the bot stops with an error, so
/// the service manager starts it again on a fresh database (sled keeps its
/// write error until then). Meanwhile the staff chat is reminded every hour.
async fn watch_disk(
    shared: Arc<Shared>,
    every: Duration,
    (token, writable_again): (
        teloxide::dispatching::ShutdownToken,
        Arc<std::sync::atomic::AtomicBool>,
    ),
) {
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        if !shared.app.degraded() {
            continue;
        }
        if let Ok(Ok(())) = blocking(&shared, |app| app.disk_writable()).await {
            tracing::warn!(event = "disk_writable_again_restarting");
            writable_again.store(true, std::sync::atomic::Ordering::SeqCst);
            // The dispatcher may still be starting: ask until it takes it.
            while token.shutdown().is_err() {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            return;
        }
        if let Ok(Some(reminder)) = blocking(&shared, |app| app.disk_reminder()).await {
            if carry_out::perform(&shared, reminder).await.is_err() {
                tracing::error!(event = "disk_notice_not_delivered");
            }
        }
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
