//! "I am in danger now": the emergency numbers at once, then the center.

use super::{center_contacts, menu_row, Action, Button, Ctx, Reply};
use crate::i18n::text::{self, Text};

pub fn render(lang: &str, ctx: &Ctx) -> Reply {
    let mut parts = vec![Text::new(text::DANGER_NOW)];
    parts.extend(center_contacts(lang, ctx));
    parts.push(Text::new(text::DANGER_CALLBACK));
    Reply::new(
        parts,
        vec![
            vec![Button::new(
                text::BUTTON_URGENT_CALLBACK,
                Action::UrgentCallback,
            )],
            menu_row(),
        ],
    )
}
