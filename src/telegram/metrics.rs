//! `--metrics ADDR`: counts only, in Prometheus' text format, and `GET /healthz`
//! (200 while the database answers and Telegram answered lately). Nothing here
//! names anyone: kinds, totals, a queue length, a latency histogram.

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
    /// When someone else last took this bot's updates (409, or the webhook
    /// set elsewhere), and when the staff chat was last told (0: never).
    pub token_elsewhere_at: AtomicI64,
    pub token_told_at: AtomicI64,
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
    out.push_str("# TYPE akj_waiting_requests gauge\n");
    let waiting = shared.app.waiting();
    for (urgency, count) in &waiting.by_urgency {
        out.push_str(&format!(
            "akj_waiting_requests{{urgency=\"{}\"}} {count}\n",
            urgency.tag()
        ));
    }
    let oldest = waiting.oldest_seconds;
    out.push_str(&format!(
        "# TYPE akj_oldest_wait_seconds gauge\nakj_oldest_wait_seconds {oldest}\n"
    ));
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
    loop {
        let Ok((mut stream, _)) = listener.accept().await else {
            continue;
        };
        let shared = shared.clone();
        let dropped = dropped.clone();
        tokio::spawn(async move {
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
                "/metrics" => {
                    let shared = shared.clone();
                    let dropped = dropped();
                    let body = tokio::task::spawn_blocking(move || page(&shared, dropped))
                        .await
                        .unwrap_or_default();
                    ("200 OK", body)
                }
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
