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

pub async fn deliver(
    bot: &Bot,
    chat: ChatId,
    pressed: Option<MessageId>,
    rendered: &Rendered,
) -> Result<(), RequestError> {
    if let (Delivery::EditPressed, Some(message)) = (rendered.delivery, pressed) {
        let mut edit = bot.edit_message_text(chat, message, rendered.text.clone());
        edit.reply_markup = markup(rendered);
        match edit.await {
            Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => return Ok(()),
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
        send
    };
    match send().await {
        // A short flood wait is worth it: she is looking at her screen.
        Err(RequestError::RetryAfter(wait)) if wait.duration() <= MAX_WAIT => {
            tokio::time::sleep(wait.duration()).await;
            send().await.map(|_| ())
        }
        other => other.map(|_| ()),
    }
}

/// The longest flood wait honoured before a reply; longer ones fail the update.
const MAX_WAIT: std::time::Duration = std::time::Duration::from_secs(5);
