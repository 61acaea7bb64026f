//! Who the center is, what the bot keeps and what it does not, how to hide and erase.

use super::{Action, Button, Ctx, Reply};
use crate::i18n::text::{self, Text};

pub fn render(ctx: &Ctx) -> Reply {
    Reply::new(
        vec![
            Text::new(text::WELCOME),
            Text::new(text::WELCOME_PRIVACY)
                .arg("hours", ctx.draft_ttl.num_hours())
                .arg("days", i64::from(ctx.idle_days))
                .arg("grace", i64::from(ctx.grace_days)),
            Text::new(text::WELCOME_HIDE_ERASE),
        ],
        vec![vec![Button::new(text::BUTTON_CONTINUE, Action::Continue)]],
    )
}
