//! The shelter's availability: a coarse state staff set, with its time. Never an
//! address or an exact count: an abuser could watch it.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

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

impl ShelterState {
    pub const ALL: [ShelterState; 3] = [
        ShelterState::Available,
        ShelterState::Few,
        ShelterState::Full,
    ];

    pub fn tag(self) -> &'static str {
        match self {
            ShelterState::Available => "available",
            ShelterState::Few => "few",
            ShelterState::Full => "full",
        }
    }

    pub fn from_tag(tag: &str) -> Option<ShelterState> {
        ShelterState::ALL.into_iter().find(|s| s.tag() == tag)
    }

    /// The message listing the words a staff member may type after `/shelter`
    /// for this state, in each language (`есть, места есть`).
    pub fn words(self) -> crate::i18n::text::MsgId {
        match self {
            ShelterState::Available => crate::i18n::text::DESK_SHELTER_WORDS_AVAILABLE,
            ShelterState::Few => crate::i18n::text::DESK_SHELTER_WORDS_FEW,
            ShelterState::Full => crate::i18n::text::DESK_SHELTER_WORDS_FULL,
        }
    }

    /// Its short label for staff.
    pub fn label(self) -> crate::i18n::text::MsgId {
        match self {
            ShelterState::Available => crate::i18n::text::DESK_SHELTER_AVAILABLE,
            ShelterState::Few => crate::i18n::text::DESK_SHELTER_FEW,
            ShelterState::Full => crate::i18n::text::DESK_SHELTER_FULL,
        }
    }
}

/// After this long without an update, the state is not shown as current.
pub fn freshness() -> Duration {
    Duration::hours(24)
}
