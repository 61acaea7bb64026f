//! The shelter screen: what it offers, who can come, what to bring, and
//! availability as a coarse state.

use super::{center_contacts, contact_policy, menu_row, Action, Button, Ctx, Reply};
use crate::domain::request::Topic;
use crate::domain::shelter::{freshness, ShelterState};
use crate::i18n::text::{self, Text};

fn availability(ctx: &Ctx) -> Text {
    let current = ctx
        .shelter
        .filter(|s| ctx.now - s.set_at <= freshness() && s.set_at <= ctx.now);
    Text::new(match current.map(|s| s.state) {
        Some(ShelterState::Available) => text::SHELTER_AVAILABLE,
        Some(ShelterState::Few) => text::SHELTER_FEW,
        Some(ShelterState::Full) => text::SHELTER_FULL,
        // "Call the center" only when there is a number to call.
        None if ctx.center.phones.is_empty() => text::SHELTER_UNKNOWN_NO_PHONE,
        None => text::SHELTER_UNKNOWN,
    })
}

pub fn render(lang: &str, ctx: &Ctx) -> Reply {
    let mut parts = vec![
        Text::new(text::SHELTER_ABOUT),
        Text::new(text::SHELTER_WHO),
        Text::new(text::SHELTER_BRING),
        availability(ctx),
    ];
    parts.extend(center_contacts(lang, ctx));
    parts.push(contact_policy(ctx));
    Reply::new(
        parts,
        vec![
            vec![Button::new(
                text::BUTTON_REQUEST_TOPIC,
                Action::RequestCallback(Some(Topic::Shelter)),
            )],
            menu_row(),
        ],
    )
}
