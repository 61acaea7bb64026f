//! Reads a Telegram update into the core's plain [`Input`], and says where it came
//! from. The only module that looks inside Telegram's message types.

use teloxide::types::{
    CallbackQueryId, ChatId, ChatMemberKind, Message, MessageId, Update, UpdateKind, User,
};

use crate::conversation::{Input, Media};
use crate::desk::{DeskAction, DeskCommand};
use crate::ui::button_data::{self, Pressed};
use crate::ui::commands;

/// Where an update came from.
pub enum Origin {
    /// A private chat with a person.
    Private {
        chat: ChatId,
        user: u64,
        language_code: Option<String>,
    },
    /// A group, supergroup or channel.
    Group(ChatId),
}

pub struct Incoming {
    pub origin: Origin,
    pub input: Input,
    /// A staff command, read as one, and what followed it; used only when the
    /// sender is staff.
    pub desk_command: Option<(DeskCommand, String)>,
    /// A staff button, decoded; used only when the sender is staff (to anyone
    /// else it is an unreadable button, like any forged one).
    pub desk: Option<DeskAction>,
    /// The message whose button was pressed.
    pub pressed: Option<MessageId>,
    /// Her own message, when she sent one.
    pub message: Option<MessageId>,
    pub callback: Option<CallbackQueryId>,
}

/// `None` for updates that ask for no answer (edits, our own membership changes in
/// private chats, updates of kinds the bot does not use).
pub fn read(update: &Update) -> Option<Incoming> {
    match &update.kind {
        UpdateKind::Message(message) => read_message(message),
        UpdateKind::CallbackQuery(query) => {
            let message = query.message.as_ref();
            let chat = message.map(|m| m.chat());
            if chat.is_some_and(|c| !c.is_private()) {
                return Some(Incoming {
                    origin: Origin::Group(chat?.id),
                    input: Input::UnreadableButton,
                    desk_command: None,
                    desk: None,
                    pressed: None,
                    message: None,
                    callback: Some(query.id.clone()),
                });
            }
            let (input, desk) = match query.data.as_deref().and_then(button_data::decode) {
                Some(Pressed::Her(action)) => (Input::Pressed(action), None),
                Some(Pressed::Desk(action)) => (Input::UnreadableButton, Some(action)),
                None => (Input::UnreadableButton, None),
            };
            Some(Incoming {
                origin: private(&query.from, chat.map(|c| c.id)),
                input,
                desk_command: None,
                desk,
                pressed: message.map(|m| m.id()),
                message: None,
                callback: Some(query.id.clone()),
            })
        }
        UpdateKind::MyChatMember(change) if !change.chat.is_private() => {
            let joined = !matches!(
                change.new_chat_member.kind,
                ChatMemberKind::Left | ChatMemberKind::Banned(_)
            );
            joined.then_some(Incoming {
                origin: Origin::Group(change.chat.id),
                input: Input::Media(Media::Other),
                desk_command: None,
                desk: None,
                pressed: None,
                message: None,
                callback: None,
            })
        }
        _ => None,
    }
}

fn private(user: &User, chat: Option<ChatId>) -> Origin {
    Origin::Private {
        chat: chat.unwrap_or(ChatId(user.id.0 as i64)),
        user: user.id.0,
        language_code: user.language_code.clone(),
    }
}

fn read_message(message: &Message) -> Option<Incoming> {
    if !message.chat.is_private() {
        return Some(Incoming {
            origin: Origin::Group(message.chat.id),
            input: Input::Media(Media::Other),
            desk_command: None,
            desk: None,
            pressed: None,
            message: None,
            callback: None,
        });
    }
    let user = message.from.as_ref()?;
    if user.is_bot {
        return None;
    }
    Some(Incoming {
        origin: private(user, Some(message.chat.id)),
        input: message_input(message, user.id.0),
        desk_command: message
            .text()
            .and_then(commands::desk_command)
            .map(|(command, argument)| (command, argument.to_string())),
        desk: None,
        pressed: None,
        message: Some(message.id),
        callback: None,
    })
}

fn message_input(message: &Message, sender: u64) -> Input {
    if let Some(contact) = message.contact() {
        // Only the number is kept; whose account it is only as "hers or not".
        return Input::SharedContact {
            phone: contact.phone_number.clone(),
            own: contact.user_id.is_some_and(|id| id.0 == sender),
        };
    }
    if let Some(text) = message.text() {
        return match text.strip_prefix('/') {
            Some(rest) => Input::Command(commands::parse_hers(rest)),
            None => Input::Text(text.to_string()),
        };
    }
    let media = if message.sticker().is_some() {
        Media::Sticker
    } else if message.photo().is_some() {
        Media::Photo
    } else if message.voice().is_some() || message.audio().is_some() {
        Media::Voice
    } else if message.video().is_some()
        || message.video_note().is_some()
        || message.animation().is_some()
    {
        Media::Video
    } else if message.document().is_some() {
        Media::Document
    } else if message.location().is_some() || message.venue().is_some() {
        Media::Location
    } else {
        Media::Other
    };
    Input::Media(media)
}
