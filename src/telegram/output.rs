//! Sends rendered replies: edits (or replaces) the pressed message where asked,
//! else sends.

use teloxide::prelude::*;
use teloxide::requests::HasPayload;
use teloxide::types::{
    CopyTextButton, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, MessageId,
};
use teloxide::{ApiError, RequestError};

use super::delivery::{send as call, Patience, Tg};
use crate::conversation::Delivery;
use crate::ui::render::Rendered;

fn markup(rendered: &Rendered) -> Option<InlineKeyboardMarkup> {
    (!rendered.keyboard.is_empty()).then(|| {
        InlineKeyboardMarkup::new(rendered.keyboard.iter().map(|row| {
            row.iter()
                .map(|b| match &b.copy {
                    Some(words) => InlineKeyboardButton::copy_text_button(
                        b.label.clone(),
                        CopyTextButton {
                            text: words.clone(),
                        },
                    ),
                    None => InlineKeyboardButton::callback(b.label.clone(), b.data.clone()),
                })
                .collect::<Vec<_>>()
        }))
    })
}

/// Shows `rendered`; returns the id of the message that shows it.
pub async fn deliver(
    bot: &Tg,
    chat: ChatId,
    pressed: Option<MessageId>,
    rendered: &Rendered,
) -> Result<MessageId, RequestError> {
    let edit = match (rendered.delivery, pressed) {
        (Delivery::EditPressed, Some(message)) => Some(message),
        // The card goes; Telegram refuses to delete what is older than 48
        // hours, and then the card becomes this message instead.
        (Delivery::ReplacePressed, Some(message)) => {
            let deleted = call(&bot.delete_message(chat, message), Patience::Her).await;
            deleted.is_err().then_some(message)
        }
        _ => None,
    };
    if let Some(message) = edit {
        let mut edit = bot.edit_message_text(chat, message, rendered.text.clone());
        edit.payload_mut().reply_markup = markup(rendered);
        match call(&edit, Patience::Her).await {
            Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => return Ok(message),
            // Too old or gone: fall through and send it as a new message.
            Err(RequestError::Api(_)) => {
                tracing::debug!(event = "edit_fell_back_to_send");
            }
            Err(other) => return Err(other),
        }
    }
    bot.pace(chat).await;
    if let Some(file) = &rendered.file {
        // A chart or a CSV file, with the text as its caption.
        let input = InputFile::memory(file.bytes.clone()).file_name(file.name.clone());
        let sent = if file.photo {
            let mut photo = bot.send_photo(chat, input);
            photo.payload_mut().caption = Some(rendered.text.clone());
            photo.payload_mut().disable_notification = Some(rendered.silent);
            photo.payload_mut().protect_content = Some(rendered.protect);
            call(&photo, Patience::Her).await
        } else {
            let mut document = bot.send_document(chat, input);
            document.payload_mut().caption = Some(rendered.text.clone());
            document.payload_mut().disable_notification = Some(rendered.silent);
            document.payload_mut().protect_content = Some(rendered.protect);
            call(&document, Patience::Her).await
        };
        return sent.map(|m| m.id);
    }
    let mut send = bot.send_message(chat, rendered.text.clone());
    send.payload_mut().reply_markup = markup(rendered).map(Into::into);
    send.payload_mut().disable_notification = Some(rendered.silent);
    send.payload_mut().protect_content = Some(rendered.protect);
    // A short flood wait is worth it: she is looking at her screen.
    call(&send, Patience::Her).await.map(|m| m.id)
}

/// Edits `message` to show `rendered`, and nothing else: never a new message
/// (which would show up, and maybe ring, on her phone). Whether it worked.
pub async fn edit_only(bot: &Tg, chat: ChatId, message: MessageId, rendered: &Rendered) -> bool {
    let mut edit = bot.edit_message_text(chat, message, rendered.text.clone());
    edit.payload_mut().reply_markup = markup(rendered);
    matches!(
        call(&edit, Patience::Background).await,
        Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified))
    )
}

/// Deletes messages, at most 100 a call as Telegram allows. Messages already gone
/// or too old are not an error worth more than a log line.
pub async fn delete_all(bot: &Tg, chat: ChatId, ids: &[i32]) {
    for chunk in ids.chunks(100) {
        let chunk: Vec<MessageId> = chunk.iter().copied().map(MessageId).collect();
        if call(&bot.delete_messages(chat, chunk), Patience::Background)
            .await
            .is_err()
        {
            tracing::debug!(event = "delete_messages_failed");
        }
    }
}

/// Deletes a message; when Telegram no longer allows it (older than 48 hours),
/// replaces its text with `stub`, so nothing of it stays on the screen.
pub async fn delete_or_stub(bot: &Tg, chat: ChatId, message: MessageId, stub: String) {
    if call(&bot.delete_message(chat, message), Patience::Background)
        .await
        .is_ok()
    {
        return;
    }
    if call(
        &bot.edit_message_text(chat, message, stub),
        Patience::Background,
    )
    .await
    .is_err()
    {
        tracing::warn!(event = "card_not_removed");
    }
}

/// Deletes the message just sent (what she typed); a failure is only logged.
pub async fn delete_one(bot: &Tg, chat: ChatId, message: MessageId) {
    if call(&bot.delete_message(chat, message), Patience::Her)
        .await
        .is_err()
    {
        tracing::warn!(event = "delete_incoming_failed");
    }
}
