//! COVID-19 hygiene guidance: short pages, one idea each, turned in place.
//! The pages double as the neutral cover a screen can be turned into.

use super::{menu_row, Action, Button, Reply};
use crate::i18n::text::{self, MsgId, Text};

const PAGE_TEXTS: [MsgId; 6] = [
    text::COVID_1,
    text::COVID_2,
    text::COVID_3,
    text::COVID_4,
    text::COVID_5,
    text::COVID_6,
];
pub const PAGES: u8 = PAGE_TEXTS.len() as u8;

/// Whether `reply` is a page of the cover (what Hide leaves on her screen).
pub fn is_cover(reply: &Reply) -> bool {
    reply
        .parts
        .first()
        .is_some_and(|t| t.id == text::COVID_TITLE)
}

/// A page number from outside (old state, button data) brought into range.
pub fn clamp(page: u8) -> u8 {
    page.clamp(1, PAGES)
}

pub fn render(page: u8) -> Reply {
    let page = clamp(page);
    let mut turn = Vec::new();
    if page > 1 {
        turn.push(Button::new(text::BUTTON_BACK, Action::Covid(page - 1)));
    }
    if page < PAGES {
        turn.push(Button::new(text::BUTTON_NEXT, Action::Covid(page + 1)));
    }
    Reply::new(
        vec![
            Text::new(text::COVID_TITLE)
                .arg("page", i64::from(page))
                .arg("total", i64::from(PAGES)),
            Text::new(PAGE_TEXTS[usize::from(page - 1)]),
        ],
        vec![turn, menu_row()],
    )
}
