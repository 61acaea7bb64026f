//! One update, served: the failure boundary around each, her path and a staff
//! member's, the notices to staff, and the store work on the blocking pool.

use super::carry_out::{self, Failure};
use super::*;
use crate::engine::{Carry, Chat, Deed, Plan};

/// The one boundary: errors and panics are logged by kind and answered with an
/// apology and the menu, so a failure never takes the chat's worker down.
pub(super) async fn handle_update(update: Update, shared: Arc<Shared>) -> Result<(), Infallible> {
    let bot = shared.tg.clone();
    let Some(incoming) = input::read(&update) else {
        return Ok(());
    };
    let Origin::Private {
        user,
        ref language_code,
        ..
    } = incoming.origin
    else {
        if let Origin::Group(chat) = incoming.origin {
            leave_unless_staff(&bot, &shared, chat).await;
        }
        return Ok(());
    };
    // A suspended staff member's phone is answered like anyone's.
    if let Some(member) = shared.app.staff_member(user) {
        let outcome = AssertUnwindSafe(serve_staff(&bot, &shared, &member, &incoming))
            .catch_unwind()
            .await;
        if let Some(cause) = failed(outcome) {
            tracing::error!(event = "staff_update_failed", cause);
            if cause == Failure::Store.cause() {
                disk_check(&shared).await;
            }
        }
        return Ok(());
    }
    let speaker = shared.app.speaker(user, language_code.clone());
    let outcome = AssertUnwindSafe(serve(&bot, &shared, &speaker, &incoming))
        .catch_unwind()
        .await;
    let Some(cause) = failed(outcome) else {
        return Ok(());
    };
    tracing::error!(event = "update_failed", cause);
    shared
        .metrics
        .failed
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    if cause == Failure::Store.cause() {
        disk_check(&shared).await;
    }
    let message = incoming.message.map(|m| m.0);
    let pressed = incoming.pressed.map(|m| m.0);
    let input = incoming.input.clone();
    let plan = match blocking(&shared, move |app| {
        if app.degraded() {
            // No request can be taken: the numbers to call instead.
            app.on_her_degraded(&speaker, input, pressed, message)
        } else {
            app.on_failure(&speaker, message)
        }
    })
    .await
    {
        Ok(plan) => plan,
        Err(_) => {
            tracing::error!(event = "apology_not_made");
            // Even then, what she sent goes from her screen.
            let chat = Chat::Her(user as i64);
            let unsend = message.map(|id| Deed::Unsend { chat, id });
            Plan::from(unsend.into_iter().collect::<Vec<_>>())
        }
    };
    if carry_out::perform(&shared, plan).await.is_err() {
        tracing::error!(event = "apology_not_delivered");
    }
    Ok(())
}

/// After a store failure: whether the disk can still be written; if not, the
/// bot is degraded from now on and the staff chat is told.
pub(super) async fn disk_check(shared: &Arc<Shared>) {
    shared
        .metrics
        .store_failures
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    if let Ok(Some(notice)) = blocking(shared, |app| app.note_store_failure()).await {
        if carry_out::perform(shared, notice).await.is_err() {
            tracing::error!(event = "disk_notice_not_delivered");
        }
    }
}

/// The cause of a failed update, if it failed (a panic, caught, or a failure).
fn failed(outcome: std::thread::Result<Result<(), Failure>>) -> Option<&'static str> {
    match outcome {
        Ok(Ok(())) => None,
        Ok(Err(failure)) => Some(failure.cause()),
        Err(_) => Some(Failure::Panic.cause()),
    }
}

/// Runs store work (reads, sealing, fsync) on the blocking pool, so it never
/// holds up an async worker that other chats need. A panic there comes back as
/// an error, like any other failure of the update.
pub(super) async fn blocking<T: Send + 'static>(
    shared: &Arc<Shared>,
    work: impl FnOnce(&App) -> T + Send + 'static,
) -> Result<T, Failure> {
    let shared = shared.clone();
    tokio::task::spawn_blocking(move || work(&shared.app))
        .await
        .map_err(|e| {
            if e.is_panic() {
                Failure::Panic
            } else {
                Failure::Cancelled
            }
        })
}

/// Runs store work that never waits for the disk (no flush, no keyring write:
/// reading and sealing in memory, and sled's buffered writes) right here: a hop
/// to the blocking pool and back costs more than the work (the load benchmark
/// measured ~280 µs of CPU an update for two hops). A panic comes back as an
/// error, as with [`blocking`].
pub(super) fn inline<T>(shared: &Arc<Shared>, work: impl FnOnce(&App) -> T) -> Result<T, Failure> {
    std::panic::catch_unwind(AssertUnwindSafe(|| work(&shared.app))).map_err(|_| Failure::Panic)
}

pub(super) async fn serve(
    bot: &Tg,
    shared: &Arc<Shared>,
    speaker: &Speaker,
    incoming: &Incoming,
) -> Result<(), Failure> {
    if let Some(id) = &incoming.callback {
        // Stops the spinner on her button; failure here changes nothing else.
        let _ = delivery::send(&bot.answer_callback_query(id.clone()), Patience::Her).await;
    }
    if let Some(message) = shared.panic_on.as_ref().and_then(|f| f(&incoming.input)) {
        panic!("{message}");
    }
    let (who, input) = (speaker.clone(), incoming.input.clone());
    let pressed = incoming.pressed.map(|m| m.0);
    let message = incoming.message.map(|m| m.0);
    if shared.app.degraded() {
        // The disk cannot be written: her answer needs no read or write.
        let plan = inline(shared, |app| {
            app.on_her_degraded(&who, input, pressed, message)
        })?;
        return carry_out::perform(shared, plan).await;
    }
    // She is stepped here, once; most of what she does only moves her through
    // the screens and is carried out here too. A step that writes a key or
    // flushes is carried out on the blocking pool (stepped again there only
    // if her conversation changed meanwhile).
    let step = inline(shared, |app| app.step_her(&who, input, pressed, message))?
        .map_err(|_| Failure::Store)?;
    let plan = match step {
        Carry::Done(plan) => plan,
        Carry::Writes(step) => blocking(shared, move |app| app.carry_her(step))
            .await?
            .map_err(|_| Failure::Store)?,
    };
    carry_out::perform(shared, plan).await
}

/// A staff member's update, in a private chat: the desk answers in that chat.
pub(super) async fn serve_staff(
    bot: &Tg,
    shared: &Arc<Shared>,
    member: &StaffMember,
    incoming: &Incoming,
) -> Result<(), Failure> {
    if let Some(id) = &incoming.callback {
        let _ = delivery::send(&bot.answer_callback_query(id.clone()), Patience::Her).await;
    }
    if matches!(incoming.input, Input::Command(Command::Start)) {
        // A staff member who had never written could not get their menu at start.
        profile::publish_staff(bot, shared.app.locales(), std::slice::from_ref(member)).await;
    }
    let command = incoming
        .desk_command
        .as_ref()
        .map(|(command, argument)| (*command, argument.as_str()));
    let input = DeskInput::read(command, incoming.desk, &incoming.input);
    let who = member.clone();
    let pressed = incoming.pressed.map(|m| m.0);
    let message = incoming.message.map(|m| m.0);
    let plan = blocking(shared, move |app| {
        app.on_staff(&who, input, pressed, message)
    })
    .await?
    .map_err(|_| Failure::Store)?;
    carry_out::perform(shared, plan).await
}

pub(super) async fn leave_unless_staff(bot: &Tg, shared: &Shared, chat: ChatId) {
    if shared.app.config().staff_chat == Some(chat.0) {
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
