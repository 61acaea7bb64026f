//! What staff and she said about a request, kept sealed in its row: notes
//! on its card, and her conversation with the specialists.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::ids::StaffHandle;

/// One message of her conversation with the specialists.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Said {
    pub at: DateTime<Utc>,
    /// The specialist who wrote it; `None`: she did.
    pub by: Option<StaffHandle>,
    pub text: String,
}

impl std::fmt::Debug for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Said(..)")
    }
}

/// What a request's conversation keeps: the newest messages, this many at
/// most, and this many characters at most.
pub const THREAD_MESSAGES: usize = 30;
pub const THREAD_CHARS: usize = 20_000;

/// A note on a request's card: when, who, what.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardNote {
    pub at: DateTime<Utc>,
    pub by: StaffHandle,
    pub text: String,
}

impl std::fmt::Debug for CardNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CardNote({}, ..)", self.by)
    }
}

/// Notes a card keeps (the newest).
pub const CARD_NOTES: usize = 20;
