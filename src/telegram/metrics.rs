//! `--metrics ADDR` (loopback only): counts only, in Prometheus' text format,
//! and `GET /healthz` (200 while the database answers and can be written and
//! Telegram answered lately). Nothing here names anyone, and nothing moves with
//! one woman's request: no queue gauge (a live count of *danger now* requests
//! would time hers). A scrape reads counters only, never the store; at most
//! [`MAX_CONNECTIONS`] are served at once.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::Shared;

/// Update kinds counted.
pub const KINDS: [&str; 3] = ["message", "callback_query", "my_chat_member"];

/// Upper bounds of the handler latency buckets, in seconds.
const BUCKETS: [f64; 8] = [0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0, 30.0];

/// How long Telegram may go unanswered before /healthz says so.
const STALE: Duration = Duration::from_secs(180);

/// Connections served at once; more wait to be accepted.
pub const MAX_CONNECTIONS: usize = 8;

#[derive(Default)]
pub struct Metrics {
    updates: [AtomicU64; 3],
    /// Updates that failed (answered with the apology) or ran over budget.
    pub failed: AtomicU64,
    latency: [AtomicU64; 8],
    latency_count: AtomicU64,
    latency_sum_micros: AtomicU64,
    /// When Telegram last answered (seconds since the epoch).
    pub telegram_ok_at: AtomicI64,
    /// When the last update was handled, or the bot started (seconds since
    /// the epoch).
    pub update_at: AtomicI64,
    /// When the bot started.
    pub started_at: AtomicI64,
    /// Updates and jobs that failed on the store.
    pub store_failures: AtomicU64,
    /// When someone else last took this bot's updates (409, or the webhook
    /// set elsewhere), and when the staff chat was last told (0: never).
    pub token_elsewhere_at: AtomicI64,
    pub token_told_at: AtomicI64,
    /// When the newest backup was made (0: none yet), how many failed, and
    /// when the staff chat last heard of a failure.
    pub backup_at: AtomicI64,
    pub backups_failed: AtomicU64,
    pub backup_told_at: AtomicI64,
}

impl Metrics {
    /// An update of `kind` was handled in `took`.
    pub fn handled(&self, kind: usize, took: Duration) {
        if let Some(count) = self.updates.get(kind) {
            count.fetch_add(1, Ordering::Relaxed);
        }
        let seconds = took.as_secs_f64();
        for (bound, bucket) in BUCKETS.iter().zip(&self.latency) {
            if seconds <= *bound {
                bucket.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.latency_count.fetch_add(1, Ordering::Relaxed);
        self.latency_sum_micros
            .fetch_add(took.as_micros() as u64, Ordering::Relaxed);
        self.update_at
            .store(chrono::Utc::now().timestamp(), Ordering::Relaxed);
    }

    pub fn telegram_answered(&self) {
        self.telegram_ok_at
            .store(chrono::Utc::now().timestamp(), Ordering::Relaxed);
    }
}

/// The metrics page.
fn page(shared: &Shared, dropped: u64) -> String {
    let m = &shared.metrics;
    let mut out = String::new();
    out.push_str("# TYPE akj_updates_total counter\n");
    for (kind, count) in KINDS.iter().zip(&m.updates) {
        out.push_str(&format!(
            "akj_updates_total{{kind=\"{kind}\"}} {}\n",
            count.load(Ordering::Relaxed)
        ));
    }
    out.push_str(&format!(
        "# TYPE akj_updates_failed_total counter\nakj_updates_failed_total {}\n",
        m.failed.load(Ordering::Relaxed)
    ));
    out.push_str(&format!(
        "# TYPE akj_updates_dropped_total counter\nakj_updates_dropped_total {dropped}\n"
    ));
    out.push_str("# TYPE akj_telegram_errors_total counter\n");
    for (kind, count) in super::delivery::KINDS
        .iter()
        .zip(&super::delivery::CALLS.errors)
    {
        out.push_str(&format!(
            "akj_telegram_errors_total{{kind=\"{kind}\"}} {}\n",
            count.load(Ordering::Relaxed)
        ));
    }
    out.push_str(&format!(
        "# TYPE akj_telegram_retries_total counter\nakj_telegram_retries_total {}\n",
        super::delivery::CALLS.retries.load(Ordering::Relaxed)
    ));
    let now = chrono::Utc::now().timestamp();
    let since_update = (now - m.update_at.load(Ordering::Relaxed)).max(0);
    out.push_str(&format!(
        "# TYPE akj_seconds_since_last_update gauge\nakj_seconds_since_last_update {since_update}\n"
    ));
    out.push_str(&format!(
        "# TYPE akj_store_failures_total counter\nakj_store_failures_total {}\n",
        m.store_failures.load(Ordering::Relaxed)
    ));
    out.push_str(&format!(
        "# TYPE akj_store_degraded gauge\nakj_store_degraded {}\n",
        u8::from(shared.app.degraded())
    ));
    out.push_str(&format!(
        "# TYPE akj_staff_messages_undelivered_total counter\nakj_staff_messages_undelivered_total {}\n",
        super::carry_out::UNDELIVERED_TO_STAFF.load(Ordering::Relaxed)
    ));
    if shared.app.backups_on() {
        // From the newest backup, or from the start while there is none.
        let at = match m.backup_at.load(Ordering::Relaxed) {
            0 => m.started_at.load(Ordering::Relaxed),
            at => at,
        };
        out.push_str(&format!(
            "# TYPE akj_seconds_since_last_backup gauge\nakj_seconds_since_last_backup {}\n\
             # TYPE akj_backups_failed_total counter\nakj_backups_failed_total {}\n",
            (now - at).max(0),
            m.backups_failed.load(Ordering::Relaxed)
        ));
    }
    out.push_str("# TYPE akj_handler_seconds histogram\n");
    for (bound, bucket) in BUCKETS.iter().zip(&m.latency) {
        out.push_str(&format!(
            "akj_handler_seconds_bucket{{le=\"{bound}\"}} {}\n",
            bucket.load(Ordering::Relaxed)
        ));
    }
    let count = m.latency_count.load(Ordering::Relaxed);
    out.push_str(&format!(
        "akj_handler_seconds_bucket{{le=\"+Inf\"}} {count}\nakj_handler_seconds_count {count}\nakj_handler_seconds_sum {}\n",
        m.latency_sum_micros.load(Ordering::Relaxed) as f64 / 1e6
    ));
    out
}

/// Whether the bot is healthy: the database answers, Telegram answered lately.
fn healthy(shared: &Shared) -> bool {
    let database = shared.app.database_answers();
    let answered = shared.metrics.telegram_ok_at.load(Ordering::Relaxed);
    let lately = chrono::Utc::now().timestamp() - answered < STALE.as_secs() as i64;
    let elsewhere = shared.metrics.token_elsewhere_at.load(Ordering::Relaxed);
    let ours = chrono::Utc::now().timestamp() - elsewhere >= STALE.as_secs() as i64;
    database && lately && ours && !shared.app.degraded()
}

/// Serves `/metrics` and `/healthz` on `listener` until the task is aborted.
pub async fn serve(
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
    dropped: Arc<dyn Fn() -> u64 + Send + Sync>,
) {
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let mut backoff = Duration::from_millis(50);
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        let mut stream = match listener.accept().await {
            Ok((stream, _)) => {
                backoff = Duration::from_millis(50);
                stream
            }
            Err(_) => {
                // Out of descriptors, say: wait rather than spin.
                tracing::warn!(event = "metrics_accept_failed");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(5));
                continue;
            }
        };
        let shared = shared.clone();
        let dropped = dropped.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let mut request = [0u8; 1024];
            let read = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut request))
                .await
                .ok()
                .and_then(Result::ok)
                .unwrap_or(0);
            let line = String::from_utf8_lossy(&request[..read]);
            let path = line
                .split_whitespace()
                .nth(1)
                .unwrap_or_default()
                .to_string();
            let (status, body) = match path.as_str() {
                // Counters only: cheap enough for the async worker.
                "/metrics" => ("200 OK", page(&shared, dropped())),
                "/healthz" if healthy(&shared) => ("200 OK", "ok\n".to_string()),
                "/healthz" => ("503 Service Unavailable", "unhealthy\n".to_string()),
                _ => ("404 Not Found", "not found\n".to_string()),
            };
            let response = format!(
                "HTTP/1.1 {status}\r\ncontent-type: text/plain; version=0.0.4\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes()).await;
        });
    }
}
