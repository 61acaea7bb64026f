//! Sends rendered replies: edits the pressed message where asked, else sends.

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId};
use teloxide::{ApiError, RequestError};

use crate::conversation::Delivery;
use crate::render::Rendered;

fn markup(rendered: &Rendered) -> Option<InlineKeyboardMarkup> {
    (!rendered.keyboard.is_empty()).then(|| {
        InlineKeyboardMarkup::new(rendered.keyboard.iter().map(|row| {
            row.iter()
                .map(|b| InlineKeyboardButton::callback(b.label.clone(), b.data.clone()))
                .collect::<Vec<_>>()
        }))
    })
}

/// Shows `rendered`; returns the id of the message that shows it.
pub async fn deliver(
    bot: &Bot,
    chat: ChatId,
    pressed: Option<MessageId>,
    rendered: &Rendered,
) -> Result<MessageId, RequestError> {
    if let (Delivery::EditPressed, Some(message)) = (rendered.delivery, pressed) {
        let mut edit = bot.edit_message_text(chat, message, rendered.text.clone());
        edit.reply_markup = markup(rendered);
        match edit.await {
            Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => return Ok(message),
            // Too old or gone: fall through and send it as a new message.
            Err(RequestError::Api(_)) => {
                tracing::debug!(event = "edit_fell_back_to_send");
            }
            Err(other) => return Err(other),
        }
    }
    let send = || {
        let mut send = bot.send_message(chat, rendered.text.clone());
        send.reply_markup = markup(rendered).map(Into::into);
        send.disable_notification = Some(rendered.silent);
        send.protect_content = Some(rendered.protect);
        send
    };
    match send().await {
        // A short flood wait is worth it: she is looking at her screen.
        Err(RequestError::RetryAfter(wait)) if wait.duration() <= MAX_WAIT => {
            tokio::time::sleep(wait.duration()).await;
            send().await.map(|m| m.id)
        }
        other => other.map(|m| m.id),
    }
}

/// Deletes messages, at most 100 a call as Telegram allows. Messages already gone
/// or too old are not an error worth more than a log line.
pub async fn delete_all(bot: &Bot, chat: ChatId, ids: &[i32]) {
    for chunk in ids.chunks(100) {
        let chunk: Vec<MessageId> = chunk.iter().copied().map(MessageId).collect();
        if bot.delete_messages(chat, chunk).await.is_err() {
            tracing::debug!(event = "delete_messages_failed");
        }
    }
}

/// The longest flood wait honoured before a reply; longer ones fail the update.
const MAX_WAIT: std::time::Duration = std::time::Duration::from_secs(5);
