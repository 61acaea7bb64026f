//! The bot's backups, as a task beside the handlers: one when the schedule
//! says so (at start if the newest is older than `backup_every_hours`), and
//! one whenever the operator sends SIGUSR1 (`systemctl kill -s USR1
//! ak-jurok`, before an upgrade). The copy runs on the blocking pool; store
//! writes wait for it, reads and Telegram do not.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use tokio::signal::unix::Signal;

use super::updates::blocking;
use super::{carry_out, Shared};

/// How often the staff chat hears of backups that keep failing (each is
/// tried again an hour after the last).
const TELL_EVERY_SECONDS: i64 = 24 * 3600;

/// SIGUSR1, listened for from the start of the run: its default action would
/// end the process.
pub(super) fn asked() -> Option<Signal> {
    tokio::signal::unix::signal(tokio::signal::unix::SignalKind::user_defined1()).ok()
}

/// Takes the backups until the run ends.
pub(super) async fn run(shared: Arc<Shared>, mut asked: Option<Signal>) {
    if let Some(newest) = shared.app.newest_backup() {
        shared
            .metrics
            .backup_at
            .store(newest.timestamp(), Ordering::Relaxed);
    }
    let mut failed_at = None;
    loop {
        let due = shared.app.next_backup_at(failed_at);
        let wait = due.map(|at| (at - shared.app.clock().now()).to_std().unwrap_or_default());
        let on_schedule = async {
            match wait {
                Some(wait) => tokio::time::sleep(wait).await,
                None => std::future::pending().await,
            }
        };
        let operator = async {
            match asked.as_mut() {
                Some(signal) => signal.recv().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            () = on_schedule => {}
            Some(()) = operator => {
                tracing::info!(event = "backup_asked");
                if !shared.app.backups_on() {
                    tracing::warn!(
                        event = "backup_asked_but_off",
                        advice = "set backup_dir in the configuration file"
                    );
                    continue;
                }
            }
        }
        if back_up(&shared).await {
            failed_at = None;
        } else {
            failed_at = Some(shared.app.clock().now());
        }
    }
}

/// One backup; whether it was written. A failure is logged and counted, and
/// the staff chat hears of it (at most once a day while it lasts).
async fn back_up(shared: &Arc<Shared>) -> bool {
    let error = match blocking(shared, |app| app.back_up()).await {
        Ok(None) => return false,
        Ok(Some(Ok(made))) => {
            shared
                .metrics
                .backup_at
                .store(chrono::Utc::now().timestamp(), Ordering::Relaxed);
            tracing::info!(
                event = "backup_written",
                path = %made.path.display(),
                rows = made.rows,
                writes_waited_ms = made.held.as_millis() as u64,
                removed = made.removed,
            );
            return true;
        }
        Ok(Some(Err(error))) => error,
        Err(_) => {
            crate::store::StoreError::Sled(sled::Error::ReportableBug("the backup panicked".into()))
        }
    };
    // The error names paths and causes, never anyone.
    tracing::error!(event = "backup_failed", error = %error);
    shared
        .metrics
        .backups_failed
        .fetch_add(1, Ordering::Relaxed);
    let now = chrono::Utc::now().timestamp();
    let told = shared.metrics.backup_told_at.load(Ordering::Relaxed);
    if now - told >= TELL_EVERY_SECONDS {
        shared.metrics.backup_told_at.store(now, Ordering::Relaxed);
        let notice = shared.app.backup_failed_notice(&error);
        if carry_out::perform(shared, notice).await.is_err() {
            tracing::error!(event = "backup_notice_not_delivered");
        }
    }
    false
}
