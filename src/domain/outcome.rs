//! What a specialist records when she closes a request she reached: the help
//! given, where she was referred, and a few optional facts. Only the month's
//! anonymous counters keep it; the request keeps it sealed until the purge, so a
//! supervisor's reopen can take it back out of the counters.
//!
//! The form is packed in 32 bits, so its state travels in its own buttons while
//! it is filled in: nothing of it is kept on the server before Save.

use serde::{Deserialize, Serialize};

use crate::i18n::text::{self, MsgId};

/// Declares a small vocabulary: its variants with tag and label, and `ALL`.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $tag:literal, $label:ident;)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// Its name in counters and button data.
            pub fn tag(self) -> &'static str {
                match self { $($name::$variant => $tag),* }
            }

            /// Its label on the form.
            pub fn label(self) -> MsgId {
                match self { $($name::$variant => text::$label),* }
            }

            fn index(self) -> u32 {
                self as u32
            }
        }
    };
}

vocabulary! {
    /// Help given (several may be).
    Help {
        Information = "information", OUTCOME_HELP_INFORMATION;
        Psychological = "psychological", OUTCOME_HELP_PSYCHOLOGICAL;
        Legal = "legal", OUTCOME_HELP_LEGAL;
        Documents = "documents", OUTCOME_HELP_DOCUMENTS;
        Shelter = "shelter", OUTCOME_HELP_SHELTER;
    }
}

vocabulary! {
    /// Where she was referred (several may be).
    Referral {
        Police = "police", OUTCOME_REFER_POLICE;
        SocialProtection = "social", OUTCOME_REFER_SOCIAL;
        HealthCare = "health", OUTCOME_REFER_HEALTH;
        LegalAid = "legal-aid", OUTCOME_REFER_LEGAL_AID;
        Organisation = "organisation", OUTCOME_REFER_ORGANISATION;
        Shelter = "shelter", OUTCOME_REFER_SHELTER;
    }
}

vocabulary! {
    /// Type of violence she spoke of (optional; several may be).
    Violence {
        Physical = "physical", OUTCOME_VIOLENCE_PHYSICAL;
        Psychological = "psychological", OUTCOME_VIOLENCE_PSYCHOLOGICAL;
        Economic = "economic", OUTCOME_VIOLENCE_ECONOMIC;
        Sexual = "sexual", OUTCOME_VIOLENCE_SEXUAL;
    }
}

vocabulary! {
    /// Her age band (optional; one).
    AgeBand {
        Under18 = "under-18", OUTCOME_AGE_UNDER_18;
        From18 = "18-29", OUTCOME_AGE_18;
        From30 = "30-44", OUTCOME_AGE_30;
        From45 = "45-59", OUTCOME_AGE_45;
        From60 = "60-plus", OUTCOME_AGE_60;
    }
}

vocabulary! {
    /// Whether she came to the center before (optional; one).
    Visit {
        New = "new", OUTCOME_VISIT_NEW;
        Returning = "returning", OUTCOME_VISIT_RETURNING;
    }
}

vocabulary! {
    /// Who sent her (optional; one).
    Source {
        Herself = "herself", OUTCOME_SOURCE_HERSELF;
        Family = "family", OUTCOME_SOURCE_FAMILY;
        Police = "police", OUTCOME_SOURCE_POLICE;
        HealthCare = "health", OUTCOME_SOURCE_HEALTH;
        Organisation = "organisation", OUTCOME_SOURCE_ORGANISATION;
        Other = "other", OUTCOME_SOURCE_OTHER;
    }
}

/// One thing on the form a button changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// She did not want help now (otherwise: talked, helped).
    Declined,
    Help(Help),
    Referral(Referral),
    Violence(Violence),
    Age(AgeBand),
    Visit(Visit),
    Source(Source),
    ChildAtRisk,
    HighRisk,
}

const DECLINED: u32 = 0;
const HELP: u32 = 1;
const REFERRAL: u32 = 6;
const VIOLENCE: u32 = 12;
const AGE: u32 = 16;
const VISIT: u32 = 19;
const SOURCE: u32 = 21;
const CHILD: u32 = 24;
const HIGH_RISK: u32 = 25;
const MORE: u32 = 26;
const USED: u32 = (1 << 27) - 1;

/// A filled-in (or half filled-in) outcome form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Outcome(u32);

impl Outcome {
    fn bit(self, at: u32) -> bool {
        self.0 & (1 << at) != 0
    }

    fn flip(self, at: u32) -> Outcome {
        Outcome(self.0 ^ (1 << at))
    }

    /// A choice of one, stored as its index + 1 in `width` bits (0: none).
    fn one(self, at: u32, width: u32) -> Option<u32> {
        let value = (self.0 >> at) & ((1 << width) - 1);
        value.checked_sub(1)
    }

    fn set_one(self, at: u32, width: u32, index: u32) -> Outcome {
        let mask = ((1 << width) - 1) << at;
        let value = if self.one(at, width) == Some(index) {
            0
        } else {
            index + 1
        };
        Outcome((self.0 & !mask) | (value << at))
    }

    /// The form with `mark` changed: a flag or a choice of several toggles; a
    /// choice of one is set, or cleared when pressed again.
    pub fn toggle(self, mark: Mark) -> Outcome {
        match mark {
            Mark::Declined => self.flip(DECLINED),
            Mark::Help(h) => self.flip(HELP + h.index()),
            Mark::Referral(r) => self.flip(REFERRAL + r.index()),
            Mark::Violence(v) => self.flip(VIOLENCE + v.index()),
            Mark::Age(a) => self.set_one(AGE, 3, a.index()),
            Mark::Visit(v) => self.set_one(VISIT, 2, v.index()),
            Mark::Source(s) => self.set_one(SOURCE, 3, s.index()),
            Mark::ChildAtRisk => self.flip(CHILD),
            Mark::HighRisk => self.flip(HIGH_RISK),
        }
    }

    /// Whether `mark` is chosen.
    pub fn has(self, mark: Mark) -> bool {
        match mark {
            Mark::Declined => self.bit(DECLINED),
            Mark::Help(h) => self.bit(HELP + h.index()),
            Mark::Referral(r) => self.bit(REFERRAL + r.index()),
            Mark::Violence(v) => self.bit(VIOLENCE + v.index()),
            Mark::Age(a) => self.one(AGE, 3) == Some(a.index()),
            Mark::Visit(v) => self.one(VISIT, 2) == Some(v.index()),
            Mark::Source(s) => self.one(SOURCE, 3) == Some(s.index()),
            Mark::ChildAtRisk => self.bit(CHILD),
            Mark::HighRisk => self.bit(HIGH_RISK),
        }
    }

    /// Every mark the form has, in form order.
    pub fn marks() -> Vec<Mark> {
        let mut all = vec![Mark::Declined];
        all.extend(Help::ALL.iter().map(|&h| Mark::Help(h)));
        all.extend(Referral::ALL.iter().map(|&r| Mark::Referral(r)));
        all.extend(Violence::ALL.iter().map(|&v| Mark::Violence(v)));
        all.extend(AgeBand::ALL.iter().map(|&a| Mark::Age(a)));
        all.extend(Visit::ALL.iter().map(|&v| Mark::Visit(v)));
        all.extend(Source::ALL.iter().map(|&s| Mark::Source(s)));
        all.extend([Mark::ChildAtRisk, Mark::HighRisk]);
        all
    }

    pub fn declined(self) -> bool {
        self.bit(DECLINED)
    }

    pub fn child_at_risk(self) -> bool {
        self.bit(CHILD)
    }

    pub fn high_risk(self) -> bool {
        self.bit(HIGH_RISK)
    }

    /// The form shows its optional page.
    pub fn more(self) -> bool {
        self.bit(MORE)
    }

    /// The form with its other page shown.
    pub fn turn_page(self) -> Outcome {
        self.flip(MORE)
    }

    /// The counters a close with this outcome adds to (`help/legal`,
    /// `flag/child-at-risk`, …), within the month's statistics.
    pub fn counters(self) -> Vec<String> {
        Outcome::marks()
            .into_iter()
            .filter(|&mark| mark != Mark::Declined && self.has(mark))
            .map(|mark| match mark {
                Mark::Help(h) => format!("help/{}", h.tag()),
                Mark::Referral(r) => format!("referral/{}", r.tag()),
                Mark::Violence(v) => format!("violence/{}", v.tag()),
                Mark::Age(a) => format!("age/{}", a.tag()),
                Mark::Visit(v) => format!("visit/{}", v.tag()),
                Mark::Source(s) => format!("source/{}", s.tag()),
                Mark::ChildAtRisk => "flag/child-at-risk".to_string(),
                Mark::HighRisk => "flag/high-risk".to_string(),
                Mark::Declined => unreachable!("filtered out"),
            })
            .collect()
    }

    /// For button data.
    pub fn to_hex(self) -> String {
        format!("{:x}", self.0)
    }

    /// From button data: only forms this version could have made.
    pub fn from_hex(hex: &str) -> Option<Outcome> {
        if hex.is_empty() || hex.len() > 8 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let outcome = Outcome(u32::from_str_radix(hex, 16).ok()?);
        let fits =
            |at, width, count: usize| outcome.one(at, width).is_none_or(|i| (i as usize) < count);
        (outcome.0 & !USED == 0
            && fits(AGE, 3, AgeBand::ALL.len())
            && fits(VISIT, 2, Visit::ALL.len())
            && fits(SOURCE, 3, Source::ALL.len()))
        .then_some(outcome)
    }

    /// The form as saved: without which page was shown.
    pub fn saved(self) -> Outcome {
        Outcome(self.0 & !(1 << MORE))
    }
}

/// The label of a mark on the form.
pub fn label(mark: Mark) -> MsgId {
    match mark {
        Mark::Declined => text::OUTCOME_DECLINED,
        Mark::Help(h) => h.label(),
        Mark::Referral(r) => r.label(),
        Mark::Violence(v) => v.label(),
        Mark::Age(a) => a.label(),
        Mark::Visit(v) => v.label(),
        Mark::Source(s) => s.label(),
        Mark::ChildAtRisk => text::OUTCOME_CHILD_AT_RISK,
        Mark::HighRisk => text::OUTCOME_HIGH_RISK,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mark_toggles_alone_and_back() {
        for mark in Outcome::marks() {
            let on = Outcome::default().toggle(mark);
            assert!(on.has(mark), "{mark:?}");
            let others = Outcome::marks().into_iter().filter(|m| *m != mark);
            for other in others {
                assert!(!on.has(other), "{mark:?} also set {other:?}");
            }
            assert_eq!(on.toggle(mark), Outcome::default(), "{mark:?}");
            assert_eq!(Outcome::from_hex(&on.to_hex()), Some(on));
        }
    }

    #[test]
    fn a_choice_of_one_replaces_the_earlier_choice() {
        let form = Outcome::default()
            .toggle(Mark::Age(AgeBand::From18))
            .toggle(Mark::Age(AgeBand::From60))
            .toggle(Mark::Help(Help::Legal))
            .toggle(Mark::Help(Help::Shelter));
        assert!(form.has(Mark::Age(AgeBand::From60)));
        assert!(!form.has(Mark::Age(AgeBand::From18)));
        assert!(form.has(Mark::Help(Help::Legal)) && form.has(Mark::Help(Help::Shelter)));
        assert_eq!(
            form.counters(),
            ["help/legal", "help/shelter", "age/60-plus"]
        );
    }

    #[test]
    fn forged_forms_do_not_decode() {
        for forged in [
            "",
            "g",
            "123456789",
            "8000000",
            "ffffffff",
            "70000",
            "e00000",
        ] {
            assert_eq!(Outcome::from_hex(forged), None, "{forged}");
        }
    }
}
