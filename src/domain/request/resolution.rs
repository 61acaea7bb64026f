//! How a request ended: by a specialist with the outcome form, or not.

use serde::{Deserialize, Serialize};

/// How a request ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Resolution {
    /// A specialist talked with her (written `Helped` before the form said
    /// "talked"; read either way).
    #[serde(alias = "Helped")]
    Talked,
    /// A specialist talked with her about someone else's need.
    ForSomeoneElse,
    Unreachable,
    Declined,
    /// Reached, but nobody spoke.
    Silent,
    /// Not a real request (a joke, a test).
    NotReal,
    /// She cancelled it.
    Cancelled,
    /// Its data key was lost (a keyring restored from an old copy, or missing):
    /// nobody can read how to reach her.
    DataLost,
}

impl Resolution {
    const ALL: [Resolution; 8] = [
        Resolution::Talked,
        Resolution::ForSomeoneElse,
        Resolution::Unreachable,
        Resolution::Declined,
        Resolution::Silent,
        Resolution::NotReal,
        Resolution::Cancelled,
        Resolution::DataLost,
    ];

    /// Its name in counters and the audit log (`helped` for "talked": the
    /// counters' name from before, so months add up).
    pub fn tag(self) -> &'static str {
        match self {
            Resolution::Unreachable => "unreachable",
            Resolution::Cancelled => "cancelled",
            Resolution::DataLost => "lost",
            closed_by_staff => crate::domain::outcome::Talk::from_resolution(closed_by_staff)
                .map_or("unreachable", crate::domain::outcome::Talk::tag),
        }
    }

    pub fn from_tag(tag: &str) -> Option<Resolution> {
        Resolution::ALL.into_iter().find(|r| r.tag() == tag)
    }

    /// Closed by a specialist with the outcome form.
    pub fn talked_with_form(self) -> bool {
        crate::domain::outcome::Talk::from_resolution(self).is_some()
    }
}
