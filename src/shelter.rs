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

/// After this long without an update, the state is not shown as current.
pub fn freshness() -> Duration {
    Duration::hours(24)
}
