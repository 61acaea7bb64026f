//! The shelter: what it offers, who can come, what to bring, and availability as a
//! coarse state. Never an address or an exact count: an abuser could watch it.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::{center_contacts, contact_policy, menu_row, Action, Button, Ctx, Reply, Topic};
use crate::text::{self, Text};

/// Availability as staff set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShelterState {
    Available,
    Few,
    Full,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShelterStatus {
    pub state: ShelterState,
    pub set_at: DateTime<Utc>,
}

/// After this long without an update, the state is not shown as current.
pub fn freshness() -> Duration {
    Duration::hours(24)
}

fn availability(ctx: &Ctx) -> Text {
    let current = ctx
        .shelter
        .filter(|s| ctx.now - s.set_at <= freshness() && s.set_at <= ctx.now);
    Text::new(match current.map(|s| s.state) {
        Some(ShelterState::Available) => text::SHELTER_AVAILABLE,
        Some(ShelterState::Few) => text::SHELTER_FEW,
        Some(ShelterState::Full) => text::SHELTER_FULL,
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
