//! One update, served: the failure boundary around each, her path and a staff
//! member's, the notices to staff, and the store work on the blocking pool.

use super::*;

/// The one boundary: errors and panics are logged by kind and answered with an
/// apology and the menu, so a failure never takes the chat's worker down.
pub(super) async fn handle_update(update: Update, shared: Arc<Shared>) -> Result<(), Infallible> {
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
pub(super) async fn blocking<T: Send + 'static>(
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
pub(super) fn inline<T>(
    shared: &Arc<Shared>,
    work: impl FnOnce(&App) -> T,
) -> Result<T, &'static str> {
    std::panic::catch_unwind(AssertUnwindSafe(|| work(&shared.app))).map_err(|_| "panic")
}

pub(super) async fn serve(
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
pub(super) async fn serve_staff(
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
pub(super) async fn notify_staff(bot: &Tg, shared: &Arc<Shared>, notices: &[Rendered]) {
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
pub(super) async fn delete_for_staff(bot: &Tg, shared: &Shared, handle: &str, message: i32) {
    if let Some(member) = shared.app.staff.iter().find(|m| m.handle == handle) {
        let stub = shared.app.card_stub(handle);
        output::delete_or_stub(bot, ChatId(member.id as i64), MessageId(message), stub).await;
    }
}

pub(super) async fn leave_unless_staff(bot: &Tg, shared: &Shared, chat: ChatId) {
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
