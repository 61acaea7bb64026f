//! Hide (one tap: the screen becomes a hygiene tip, the rest of the chat goes) and
//! Erase (after a confirm: the chat's messages and her dialogue go; her request
//! stays or goes as she chooses).

use super::{covid, Action, Button, Ctx, Dialogue, Effect, Reply, Stepped};
use crate::i18n::text::{self, Text};

pub fn hide(dialogue: Dialogue) -> Stepped {
    // Her place is kept, so she can come back to it.
    Stepped::show(dialogue, covid::render(1).edit_if(true))
        .with(Effect::DeleteTracked { keep_pressed: true })
}

pub fn render_confirm(ctx: &Ctx) -> Reply {
    let open = ctx.my_request.as_ref().is_some_and(|r| r.is_open());
    let mut parts = vec![Text::new(text::ERASE_CONFIRM)];
    let mut keyboard = Vec::new();
    if open {
        parts.push(Text::new(text::ERASE_HAS_REQUEST));
        keyboard.push(vec![Button::new(
            text::BUTTON_ERASE_KEEP_REQUEST,
            Action::ConfirmErase {
                cancel_request: false,
            },
        )]);
        keyboard.push(vec![Button::new(
            text::BUTTON_ERASE_EVERYTHING,
            Action::ConfirmErase {
                cancel_request: true,
            },
        )]);
    } else {
        keyboard.push(vec![Button::new(
            text::BUTTON_ERASE,
            Action::ConfirmErase {
                cancel_request: false,
            },
        )]);
    }
    keyboard.push(vec![Button::new(text::BUTTON_BACK, Action::Menu)]);
    Reply::new(parts, keyboard)
}

pub fn erase(cancel_request: bool, ctx: &Ctx) -> Stepped {
    let kept = !cancel_request && ctx.my_request.as_ref().is_some_and(|r| r.is_open());
    let mut parts = vec![Text::new(text::ERASE_DONE)];
    if kept {
        parts.push(Text::new(text::ERASE_DONE_REQUEST_KEPT));
    }
    parts.push(Text::new(text::ERASE_PHONE_ADVICE));
    Stepped {
        dialogue: None,
        replies: vec![Reply::new(parts, Vec::new())],
        effects: vec![
            Effect::DeleteTracked {
                keep_pressed: false,
            },
            Effect::Erase { cancel_request },
            Effect::DeleteReplyLater,
        ],
        session: Vec::new(),
    }
}
