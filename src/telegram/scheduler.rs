//! The one loop for timed work: it sleeps until the earliest due job, or until a
//! new job is scheduled, or until a test's clock moves; then it does what is due
//! and marks it done. Jobs live in the store, so a restart loses none.

use std::sync::Arc;
use std::time::Duration;

use super::{blocking, carry_out, Shared};

/// The longest sleep with nothing due (a safety net; new jobs wake it anyway).
const IDLE: Duration = Duration::from_secs(3600);

/// How long the scheduler rests while the disk cannot be written: a job it
/// cannot mark done would otherwise come round again at once, for ever.
const DEGRADED_REST: Duration = Duration::from_secs(60);

pub async fn run(shared: Arc<Shared>) {
    let jumps = shared.app.clock().jumps();
    loop {
        if shared.app.degraded() {
            tokio::time::sleep(DEGRADED_REST).await;
            continue;
        }
        match blocking(&shared, |app| app.jobs_due()).await {
            Ok(Ok(jobs)) => {
                for (id, job) in jobs {
                    match blocking(&shared, move |app| app.on_job(job)).await {
                        Ok(Ok(plan)) => {
                            if let Err(failure) = carry_out::perform(&shared, plan).await {
                                tracing::error!(event = "job_failed", cause = failure.cause());
                            }
                        }
                        Ok(Err(_)) => {
                            tracing::error!(event = "job_failed", cause = "store");
                            super::updates::disk_check(&shared).await;
                        }
                        Err(failure) => {
                            tracing::error!(event = "job_failed", cause = failure.cause())
                        }
                    }
                    if !matches!(
                        blocking(&shared, move |app| app.job_done(&id)).await,
                        Ok(Ok(()))
                    ) {
                        tracing::error!(event = "job_not_completed");
                    }
                }
            }
            _ => tracing::error!(event = "due_jobs_unreadable"),
        }
        let next = blocking(&shared, |app| app.next_due()).await.ok().flatten();
        let wait = next.map_or(IDLE, |at| {
            (at - shared.app.clock().now())
                .to_std()
                .unwrap_or(Duration::ZERO)
                .min(IDLE)
        });
        let clock_moved = async {
            match &jumps {
                Some(moved) => moved.notified().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = shared.app.scheduled().notified() => {}
            _ = clock_moved => {}
        }
    }
}
