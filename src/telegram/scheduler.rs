//! The one loop for timed work: it sleeps until the earliest due job, or until a
//! new job is scheduled, or until a test's clock moves; then it does what is due
//! and marks it done. Jobs live in the store, so a restart loses none.

use std::sync::Arc;
use std::time::Duration;

use teloxide::prelude::*;
use teloxide::types::MessageId;

use super::delivery::Tg;
use super::{blocking, output, Shared};
use crate::store::Job;

/// The longest sleep with nothing due (a safety net; new jobs wake it anyway).
const IDLE: Duration = Duration::from_secs(3600);

pub async fn run(shared: Arc<Shared>, bot: Tg) {
    let jumps = shared.app.clock.jumps();
    loop {
        let now = shared.app.clock.now();
        match blocking(&shared, move |app| app.store.due_now(now)).await {
            Ok(Ok(jobs)) => {
                for (id, job) in jobs {
                    perform(&shared, &bot, job).await;
                    if !matches!(
                        blocking(&shared, move |app| app.store.complete(&id)).await,
                        Ok(Ok(()))
                    ) {
                        tracing::error!(event = "job_not_completed");
                    }
                }
            }
            _ => tracing::error!(event = "due_jobs_unreadable"),
        }
        let next = blocking(&shared, |app| app.store.next_due())
            .await
            .ok()
            .flatten();
        let wait = next.map_or(IDLE, |at| {
            (at - shared.app.clock.now())
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
            _ = shared.app.scheduled.notified() => {}
            _ = clock_moved => {}
        }
    }
}

async fn perform(shared: &Arc<Shared>, bot: &Tg, job: Job) {
    match job {
        Job::DeleteMessages { chat, ids } => output::delete_all(bot, ChatId(chat), &ids).await,
        Job::ClaimCheck { request, at } => {
            match blocking(shared, move |app| app.check_claim(&request, at)).await {
                Ok(Ok(notices)) => super::notify_staff(bot, shared, &notices).await,
                _ => tracing::error!(event = "claim_check_failed"),
            }
        }
        Job::ClaimExpire { request, at } => {
            match blocking(shared, move |app| app.expire_claim(&request, at)).await {
                Ok(Ok(expired)) => {
                    super::notify_staff(bot, shared, &expired.notices).await;
                    for (handle, message) in expired.cards {
                        super::delete_for_staff(bot, shared, &handle, message).await;
                    }
                }
                _ => tracing::error!(event = "claim_expiry_failed"),
            }
        }
        Job::DutyLapsed { handle, since } => {
            match blocking(shared, move |app| app.duty_lapsed(&handle, since)).await {
                Ok(Ok(notices)) => super::notify_staff(bot, shared, &notices).await,
                _ => tracing::error!(event = "duty_reminder_failed"),
            }
        }
        Job::ShelterStale { set_at } => {
            match blocking(shared, move |app| app.shelter_stale(set_at)).await {
                Ok(Ok(notices)) => super::notify_staff(bot, shared, &notices).await,
                _ => tracing::error!(event = "shelter_reminder_failed"),
            }
        }
        Job::Deliver { letter } => {
            let knock = match blocking(shared, move |app| app.deliver_letter(&letter)).await {
                Ok(Ok(crate::app::LetterDue::Knock(knock))) => knock,
                Ok(Ok(crate::app::LetterDue::Later | crate::app::LetterDue::Held)) => return,
                Ok(Ok(crate::app::LetterDue::Dropped(notices))) => {
                    super::notify_staff(bot, shared, &notices).await;
                    return;
                }
                _ => {
                    tracing::error!(event = "letter_delivery_failed");
                    return;
                }
            };
            let sent = output::deliver(bot, ChatId(knock.chat), None, &knock.rendered).await;
            let news = match sent {
                Ok(message) => blocking(shared, move |app| app.knocked(&letter, message.0)).await,
                Err(_) => blocking(shared, move |app| app.undeliverable(&letter)).await,
            };
            match news {
                Ok(Ok(notices)) => super::notify_staff(bot, shared, &notices).await,
                _ => tracing::error!(event = "letter_news_failed"),
            }
        }
        Job::RelayQuiet { chat, since } => {
            match blocking(shared, move |app| app.relay_quiet(chat, since)).await {
                Ok(Ok(ids)) => output::delete_all(bot, ChatId(chat), &ids).await,
                _ => tracing::error!(event = "relay_cleanup_failed"),
            }
        }
        Job::IdleCover { chat } => {
            let cover = match blocking(shared, move |app| app.idle_cover(chat)).await {
                Ok(Ok(Some(cover))) => cover,
                Ok(Ok(None)) => return,
                _ => {
                    tracing::error!(event = "idle_cover_failed");
                    return;
                }
            };
            // The newest of her messages the bot can edit becomes the cover
            // (her own cannot be edited); no new message, so nothing rings.
            let mut shown = None;
            for id in cover.ids.iter().rev().take(3) {
                if output::edit_only(bot, ChatId(chat), MessageId(*id), &cover.rendered).await {
                    shown = Some(*id);
                    break;
                }
            }
            let rest: Vec<i32> = cover
                .ids
                .iter()
                .copied()
                .filter(|id| Some(*id) != shown)
                .collect();
            output::delete_all(bot, ChatId(chat), &rest).await;
            if let Some(id) = shown {
                if !matches!(
                    blocking(shared, move |app| app.idle_covered(chat, id)).await,
                    Ok(Ok(()))
                ) {
                    tracing::warn!(event = "idle_cover_not_tracked");
                }
            }
        }
        Job::Escalate { request, step } => {
            match blocking(shared, move |app| app.escalate(&request, step)).await {
                Ok(Ok(notices)) => super::notify_staff(bot, shared, &notices).await,
                _ => tracing::error!(event = "escalation_failed"),
            }
        }
    }
}
