//! Choosing the language: from the first reply, the menu or `/language`.

use super::{Action, Button, Ctx, Reply};
use crate::i18n::text::{self, Text};

pub fn render(current: &str, ctx: &Ctx) -> Reply {
    Reply::new(
        vec![Text::new(text::LANGUAGE_CHOOSE)],
        vec![
            buttons(current, ctx),
            vec![Button::new(text::BUTTON_BACK, Action::Menu)],
        ],
    )
}

/// One button per language, each named in its own language; the current one marked.
pub fn buttons(current: &str, ctx: &Ctx) -> Vec<Button> {
    ctx.languages
        .iter()
        .map(|code| {
            let id = if code == current {
                text::LANGUAGE_CURRENT
            } else {
                text::LANGUAGE_NAME
            };
            Button::new(
                Text::new(id).in_lang(code),
                Action::SetLanguage(code.clone()),
            )
        })
        .collect()
}
