//! Webhook mode: Telegram POSTs each update to a public https URL, which a
//! reverse proxy forwards to the address the bot listens on.
//!
//! teloxide's axum listener is used without its own setup (`axum_no_setup`):
//! the bot calls `setWebhook` itself, with the update kinds it handles, keeping
//! the updates that waited while it was down (`drop_pending_updates=false`) and
//! a new random secret each start. A request without that secret is answered
//! 401 and never handled; the secret is compared in constant time before
//! teloxide's own check sees it. The webhook stays set when the bot stops:
//! Telegram keeps the updates and retries until the next start.
//!
//! Like long polling, this acknowledges an update (here: answers 200) as soon as
//! it is queued, before it is handled.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::Rng;
use teloxide::prelude::*;
use teloxide::types::AllowedUpdate;
use teloxide::update_listeners::{webhooks, UpdateListener};

use super::delivery::{kind_of, send, Patience, Tg};
use super::RunError;

/// The update kinds the bot handles (the dispatcher's schema): Telegram sends
/// no others. Long polling asks for the same through the dispatcher's hint.
pub const HANDLED: [AllowedUpdate; 3] = [
    AllowedUpdate::Message,
    AllowedUpdate::CallbackQuery,
    AllowedUpdate::MyChatMember,
];

const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// A new secret: 32 characters of Telegram's alphabet for it, from the OS.
fn new_secret() -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
    let mut rng = rand::rngs::OsRng;
    (0..32)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// Equal without an early exit, so the time taken says nothing of how much of
/// a guess was right.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len()
        && std::hint::black_box(a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y))) == 0
}

/// Requests refused for want of the secret since the last log line, and when
/// that line was written (seconds since the epoch).
static REFUSED: AtomicU64 = AtomicU64::new(0);
static REFUSED_LOGGED_AT: AtomicI64 = AtomicI64::new(0);

/// A request without the secret: counted, and logged at most once a minute
/// with the count (anyone who reaches the proxy path could fill the journal).
/// Whether this one wrote the line.
fn refused_without_secret(now: i64) -> bool {
    REFUSED.fetch_add(1, Ordering::Relaxed);
    let last = REFUSED_LOGGED_AT.load(Ordering::Relaxed);
    if now - last < 60
        || REFUSED_LOGGED_AT
            .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
            .is_err()
    {
        return false;
    }
    let count = REFUSED.swap(0, Ordering::Relaxed);
    tracing::warn!(event = "webhook_requests_without_secret", count);
    true
}

/// 401 for any request without the secret this start set.
async fn require_secret(State(secret): State<String>, request: Request, next: Next) -> Response {
    let given = request
        .headers()
        .get(SECRET_HEADER)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if !same(given, secret.as_bytes()) {
        refused_without_secret(chrono::Utc::now().timestamp());
        return StatusCode::UNAUTHORIZED.into_response();
    }
    next.run(request).await
}

/// Binds `listen`, sets the webhook to `url` and serves it. The listener stops
/// (and the server with it) when the dispatcher stops it.
pub async fn start(
    tg: &Tg,
    url: url::Url,
    listen: SocketAddr,
) -> Result<
    (
        impl UpdateListener<Err = std::convert::Infallible>,
        tokio::task::JoinHandle<()>,
    ),
    RunError,
> {
    // Bound first: a busy address fails before Telegram is told to post here.
    let socket = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| RunError::Listen(listen, e.kind().to_string()))?;
    let secret = new_secret();
    let set = tg
        .set_webhook(url.clone())
        .allowed_updates(HANDLED)
        .drop_pending_updates(false)
        .secret_token(secret.clone());
    send(&set, Patience::Background)
        .await
        .map_err(|e| RunError::Webhook(kind_of(&e).to_string()))?;
    let options = webhooks::Options::new(listen, url).secret_token(secret.clone());
    let (listener, stopped, router) = webhooks::axum_no_setup(options);
    let router = router.layer(axum::middleware::from_fn_with_state(secret, require_secret));
    let serving = tokio::spawn(async move {
        if axum::serve(socket, router)
            .with_graceful_shutdown(stopped)
            .await
            .is_err()
        {
            tracing::error!(event = "webhook_server_failed");
        }
    });
    tracing::info!(event = "webhook_set");
    Ok((listener, serving))
}

/// Whether Telegram still posts to this bot: the webhook it reports is ours.
pub async fn still_ours(tg: &Tg, url: &url::Url) -> bool {
    webhook_of(tg, url).await == Some(true)
}

/// Whether Telegram still posts this bot's updates to `url`: `Some(false)`
/// when the webhook is set elsewhere (someone else holds the token), `None`
/// when Telegram did not answer.
pub(super) async fn webhook_of(tg: &Tg, url: &url::Url) -> Option<bool> {
    match send(&tg.get_webhook_info(), Patience::Background).await {
        Ok(info) if info.url.as_ref() == Some(url) => Some(true),
        Ok(_) => {
            tracing::error!(event = "webhook_replaced_elsewhere");
            Some(false)
        }
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_without_the_secret_are_logged_once_a_minute_with_a_count() {
        let t = 2_000_000_000;
        assert!(refused_without_secret(t), "the first is logged");
        for second in 1..60 {
            assert!(!refused_without_secret(t + second), "{second}");
        }
        assert!(
            refused_without_secret(t + 60),
            "a minute later, with the count"
        );
        assert_eq!(
            REFUSED.load(Ordering::Relaxed),
            0,
            "the count went with the line"
        );
    }

    #[test]
    fn secrets_are_new_each_time_and_in_telegrams_alphabet() {
        let (a, b) = (new_secret(), new_secret());
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
        assert!(a
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-'));
    }

    #[test]
    fn only_the_same_bytes_are_the_same() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"abc", b"ab"));
        assert!(!same(b"", b"a"));
    }
}
