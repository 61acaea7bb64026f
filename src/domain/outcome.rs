//! What a specialist records when she closes a request she reached: the help
//! given, where she was referred, and a few optional facts. Only the month's
//! anonymous counters keep it; the request keeps it sealed until the purge, so a
//! supervisor's reopen can take it back out of the counters.
//!
//! The form is packed in 32 bits, so its state travels in its own buttons while
//! it is filled in: nothing of it is kept on the server before Save.

use serde::{Deserialize, Serialize};

use crate::domain::request::Resolution;
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
    /// How the talk went: one, always. "Talked" is counted under the tag
    /// `helped`, its name before the form said "talked", so old and new
    /// months add up; the label is the same in the form and in the figures.
    Talk {
        Talked = "helped", OUTCOME_TALKED;
        ForSomeoneElse = "for-someone-else", OUTCOME_FOR_SOMEONE_ELSE;
        Declined = "declined", OUTCOME_DECLINED;
        Silent = "silent", OUTCOME_SILENT;
        NotReal = "not-real", OUTCOME_NOT_REAL;
    }
}

impl Talk {
    /// How a request closed with this answer ended.
    pub fn resolution(self) -> Resolution {
        match self {
            Talk::Talked => Resolution::Talked,
            Talk::ForSomeoneElse => Resolution::ForSomeoneElse,
            Talk::Declined => Resolution::Declined,
            Talk::Silent => Resolution::Silent,
            Talk::NotReal => Resolution::NotReal,
        }
    }

    /// The answer a resolution came from, when it came from the form.
    pub fn from_resolution(resolution: Resolution) -> Option<Talk> {
        Talk::ALL
            .iter()
            .copied()
            .find(|t| t.resolution() == resolution)
    }

    /// A talk about a real need: help, referrals and risks are asked for.
    pub fn real(self) -> bool {
        !matches!(self, Talk::Silent | Talk::NotReal)
    }
}

vocabulary! {
    /// Help given by the center (several may be).
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

/// At most this many categories of the center's own (`[outcome] categories`).
pub const MAX_CENTER_CATEGORIES: usize = 8;

/// One thing on the form a button changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Talk(Talk),
    Help(Help),
    Referral(Referral),
    Violence(Violence),
    Age(AgeBand),
    Visit(Visit),
    Source(Source),
    ChildAtRisk,
    HighRisk,
    /// The center's own category at this place in the configuration.
    Center(u8),
}

/// Set by forms made before the talk had five answers: she declined help.
/// Still read from old buttons and saved forms; a new form clears it.
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
/// The talk, when not "talked" (its index + 1, in 3 bits).
const TALK: u32 = 27;
const CENTER: u32 = 32;
const USED: u64 = ((1 << (CENTER as u64 + MAX_CENTER_CATEGORIES as u64)) - 1) & !(0b11 << 30);

/// A filled-in (or half filled-in) outcome form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Outcome(u64);

impl Outcome {
    /// A new form for a request about `topic`: the help she asked for is
    /// marked, where one button names it, so the common case is *Done*,
    /// *Save*. The specialist unmarks it if it was not given.
    pub fn for_topic(topic: crate::domain::request::Topic) -> Outcome {
        use crate::domain::request::Topic;
        let help = match topic {
            Topic::Legal => Some(Help::Legal),
            Topic::Documents => Some(Help::Documents),
            Topic::Psychological => Some(Help::Psychological),
            Topic::Support | Topic::Shelter | Topic::Other => None,
        };
        help.map_or(Outcome::default(), |h| {
            Outcome::default().toggle(Mark::Help(h))
        })
    }

    fn bit(self, at: u32) -> bool {
        self.0 & (1 << at) != 0
    }

    fn flip(self, at: u32) -> Outcome {
        Outcome(self.0 ^ (1 << at))
    }

    /// A choice of one, stored as its index + 1 in `width` bits (0: none).
    fn one(self, at: u32, width: u32) -> Option<u32> {
        let value = (self.0 >> at) & ((1 << width) - 1);
        (value as u32).checked_sub(1)
    }

    fn set_one(self, at: u32, width: u32, index: u32) -> Outcome {
        let mask = ((1 << width) - 1) << at;
        let value = if self.one(at, width) == Some(index) {
            0
        } else {
            u64::from(index) + 1
        };
        Outcome((self.0 & !mask) | (value << at))
    }

    /// How the talk went: "talked" unless another answer is marked.
    pub fn talk(self) -> Talk {
        match self.one(TALK, 3) {
            Some(i) => Talk::ALL.get(i as usize).copied().unwrap_or(Talk::Talked),
            None if self.bit(DECLINED) => Talk::Declined,
            None => Talk::Talked,
        }
    }

    /// The form with `talk` as the answer ("talked" is stored as none).
    fn set_talk(self, talk: Talk) -> Outcome {
        let cleared = Outcome(self.0 & !(1 << DECLINED) & !(0b111 << TALK));
        match talk {
            Talk::Talked => cleared,
            other => cleared.set_one(TALK, 3, other.index()),
        }
    }

    /// The form with `mark` changed: a flag or a choice of several toggles; a
    /// choice of one is set, or cleared when pressed again (the talk stays
    /// set: it always has one answer).
    pub fn toggle(self, mark: Mark) -> Outcome {
        match mark {
            Mark::Talk(t) => self.set_talk(t),
            Mark::Help(h) => self.flip(HELP + h.index()),
            Mark::Referral(r) => self.flip(REFERRAL + r.index()),
            Mark::Violence(v) => self.flip(VIOLENCE + v.index()),
            Mark::Age(a) => self.set_one(AGE, 3, a.index()),
            Mark::Visit(v) => self.set_one(VISIT, 2, v.index()),
            Mark::Source(s) => self.set_one(SOURCE, 3, s.index()),
            Mark::ChildAtRisk => self.flip(CHILD),
            Mark::HighRisk => self.flip(HIGH_RISK),
            Mark::Center(n) if usize::from(n) < MAX_CENTER_CATEGORIES => {
                self.flip(CENTER + u32::from(n))
            }
            Mark::Center(_) => self,
        }
    }

    /// Whether `mark` is chosen.
    pub fn has(self, mark: Mark) -> bool {
        match mark {
            Mark::Talk(t) => self.talk() == t,
            Mark::Help(h) => self.bit(HELP + h.index()),
            Mark::Referral(r) => self.bit(REFERRAL + r.index()),
            Mark::Violence(v) => self.bit(VIOLENCE + v.index()),
            Mark::Age(a) => self.one(AGE, 3) == Some(a.index()),
            Mark::Visit(v) => self.one(VISIT, 2) == Some(v.index()),
            Mark::Source(s) => self.one(SOURCE, 3) == Some(s.index()),
            Mark::ChildAtRisk => self.bit(CHILD),
            Mark::HighRisk => self.bit(HIGH_RISK),
            Mark::Center(n) => {
                usize::from(n) < MAX_CENTER_CATEGORIES && self.bit(CENTER + u32::from(n))
            }
        }
    }

    /// Every mark of the built-in form, in form order (the center's own
    /// categories are the configuration's).
    pub fn marks() -> Vec<Mark> {
        let mut all: Vec<Mark> = Talk::ALL.iter().map(|&t| Mark::Talk(t)).collect();
        all.extend(Help::ALL.iter().map(|&h| Mark::Help(h)));
        all.extend(Referral::ALL.iter().map(|&r| Mark::Referral(r)));
        all.extend(Violence::ALL.iter().map(|&v| Mark::Violence(v)));
        all.extend(AgeBand::ALL.iter().map(|&a| Mark::Age(a)));
        all.extend(Visit::ALL.iter().map(|&v| Mark::Visit(v)));
        all.extend(Source::ALL.iter().map(|&s| Mark::Source(s)));
        all.extend([Mark::ChildAtRisk, Mark::HighRisk]);
        all
    }

    pub fn child_at_risk(self) -> bool {
        self.bit(CHILD)
    }

    pub fn high_risk(self) -> bool {
        self.bit(HIGH_RISK)
    }

    /// The form shows its second page (flags, about her).
    pub fn more(self) -> bool {
        self.bit(MORE)
    }

    /// The form with its other page shown.
    pub fn turn_page(self) -> Outcome {
        self.flip(MORE)
    }

    /// The counters a close with this outcome adds to (`help/legal`,
    /// `flag/child-at-risk`, …), within the month's statistics; the talk is
    /// counted as the request's resolution. A silent or not-real contact
    /// counts no help and no referral. The center's own categories are
    /// counted by their tags ([`Outcome::center_tags`]).
    pub fn counters(self) -> Vec<String> {
        let real = self.talk().real();
        Outcome::marks()
            .into_iter()
            .filter(|&mark| self.has(mark))
            .filter_map(|mark| match mark {
                Mark::Help(h) if real => Some(format!("help/{}", h.tag())),
                Mark::Referral(r) if real => Some(format!("referral/{}", r.tag())),
                Mark::Violence(v) => Some(format!("violence/{}", v.tag())),
                Mark::Age(a) => Some(format!("age/{}", a.tag())),
                Mark::Visit(v) => Some(format!("visit/{}", v.tag())),
                Mark::Source(s) => Some(format!("source/{}", s.tag())),
                Mark::ChildAtRisk => Some("flag/child-at-risk".to_string()),
                Mark::HighRisk => Some("flag/high-risk".to_string()),
                _ => None,
            })
            .collect()
    }

    /// The tags of the center's own categories marked, of `configured`.
    pub fn center_tags(self, configured: &[String]) -> Vec<String> {
        configured
            .iter()
            .enumerate()
            .filter(|&(n, _)| u8::try_from(n).is_ok_and(|n| self.has(Mark::Center(n))))
            .map(|(_, tag)| tag.clone())
            .collect()
    }

    /// The form with only the first `count` of the center's categories: a
    /// button of a category since removed from the configuration marks nothing.
    pub fn within(self, count: usize) -> Outcome {
        let keep = count.min(MAX_CENTER_CATEGORIES) as u32;
        let mask = ((1u64 << MAX_CENTER_CATEGORIES) - 1) << CENTER;
        let kept = ((1u64 << keep) - 1) << CENTER;
        Outcome(self.0 & (!mask | kept))
    }

    /// For button data.
    pub fn to_hex(self) -> String {
        format!("{:x}", self.0)
    }

    /// From button data: only forms this version could have made.
    pub fn from_hex(hex: &str) -> Option<Outcome> {
        if hex.is_empty() || hex.len() > 16 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let outcome = Outcome(u64::from_str_radix(hex, 16).ok()?);
        let fits =
            |at, width, count: usize| outcome.one(at, width).is_none_or(|i| (i as usize) < count);
        (outcome.0 & !USED == 0
            && fits(AGE, 3, AgeBand::ALL.len())
            && fits(VISIT, 2, Visit::ALL.len())
            && fits(SOURCE, 3, Source::ALL.len())
            && fits(TALK, 3, Talk::ALL.len()))
        .then_some(outcome)
    }

    /// The form as saved: without which page was shown.
    pub fn saved(self) -> Outcome {
        Outcome(self.0 & !(1 << MORE))
    }
}

/// The label of a mark of the built-in form (the center's own categories
/// are labelled by their configured tags: [`center_label`]).
pub fn label(mark: Mark) -> MsgId {
    match mark {
        Mark::Talk(t) => t.label(),
        Mark::Help(h) => h.label(),
        Mark::Referral(r) => r.label(),
        Mark::Violence(v) => v.label(),
        Mark::Age(a) => a.label(),
        Mark::Visit(v) => v.label(),
        Mark::Source(s) => s.label(),
        Mark::ChildAtRisk => text::OUTCOME_CHILD_AT_RISK,
        Mark::HighRisk => text::OUTCOME_HIGH_RISK,
        Mark::Center(_) => text::OUTCOME_CENTER_CATEGORIES,
    }
}

/// The message that labels the center's category `tag`, in
/// `locales/*/outcome.ftl`: `outcome-center-TAG`.
pub fn center_label(tag: &str) -> MsgId {
    text::MsgId::interned(&format!("outcome-center-{tag}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mark_toggles_alone_and_back() {
        let marks: Vec<Mark> = Outcome::marks()
            .into_iter()
            .chain((0..MAX_CENTER_CATEGORIES as u8).map(Mark::Center))
            .filter(|m| !matches!(m, Mark::Talk(_)))
            .collect();
        for &mark in &marks {
            let on = Outcome::default().toggle(mark);
            assert!(on.has(mark), "{mark:?}");
            for other in marks.iter().filter(|m| **m != mark) {
                assert!(!on.has(*other), "{mark:?} also set {other:?}");
            }
            assert_eq!(on.talk(), Talk::Talked, "{mark:?}");
            assert_eq!(on.toggle(mark), Outcome::default(), "{mark:?}");
            assert_eq!(Outcome::from_hex(&on.to_hex()), Some(on));
        }
    }

    #[test]
    fn the_talk_has_one_answer_always() {
        let form = Outcome::default().toggle(Mark::Help(Help::Legal));
        assert_eq!(form.talk(), Talk::Talked);
        for &talk in Talk::ALL {
            let set = form.toggle(Mark::Talk(talk));
            assert_eq!(set.talk(), talk);
            assert_eq!(set.toggle(Mark::Talk(talk)).talk(), talk, "pressed again");
            assert!(set.has(Mark::Help(Help::Legal)));
            assert_eq!(Outcome::from_hex(&set.to_hex()), Some(set));
            for &other in Talk::ALL.iter().filter(|&&t| t != talk) {
                assert!(!set.has(Mark::Talk(other)));
            }
        }
        let back = form
            .toggle(Mark::Talk(Talk::Silent))
            .toggle(Mark::Talk(Talk::Talked));
        assert_eq!(back, form, "'talked' is stored as no answer");
    }

    #[test]
    fn forms_saved_before_five_answers_read_the_same() {
        // Bit 0 was "she declined help"; 0x8 is legal help.
        let old = Outcome::from_hex("9").unwrap();
        assert_eq!(old.talk(), Talk::Declined);
        assert!(old.has(Mark::Help(Help::Legal)));
        let again: Outcome = serde_json::from_str("9").unwrap();
        assert_eq!(again, old);
        assert_eq!(old.toggle(Mark::Talk(Talk::Talked)).talk(), Talk::Talked);
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
    fn a_silent_or_not_real_contact_counts_no_help() {
        let form = Outcome::default()
            .toggle(Mark::Help(Help::Legal))
            .toggle(Mark::Referral(Referral::Police))
            .toggle(Mark::HighRisk);
        assert_eq!(
            form.counters(),
            ["help/legal", "referral/police", "flag/high-risk"]
        );
        for talk in [Talk::Silent, Talk::NotReal] {
            let form = form.toggle(Mark::Talk(talk));
            assert_eq!(form.counters(), ["flag/high-risk"], "{talk:?}");
        }
    }

    #[test]
    fn the_help_she_asked_for_is_marked_on_a_new_form() {
        use crate::domain::request::Topic;
        let form = Outcome::for_topic(Topic::Legal);
        assert_eq!(form.counters(), ["help/legal"]);
        assert_eq!(form.talk(), Talk::Talked);
        assert_eq!(Outcome::for_topic(Topic::Shelter), Outcome::default());
    }

    #[test]
    fn the_centers_categories_count_by_tag_and_only_as_configured() {
        let tags = ["disability".to_string(), "internet".to_string()];
        let form = Outcome::default()
            .toggle(Mark::Center(1))
            .toggle(Mark::Center(5));
        assert_eq!(form.center_tags(&tags), ["internet"]);
        assert_eq!(form.within(2), Outcome::default().toggle(Mark::Center(1)));
        assert_eq!(
            Outcome::default().toggle(Mark::Center(200)),
            Outcome::default()
        );
        assert!(form.counters().is_empty());
    }

    #[test]
    fn forged_forms_do_not_decode() {
        for forged in [
            "",
            "g",
            "12345678901234567",
            "40000000",
            "ffffffffff",
            "70000",
            "e00000",
            "30000000",
            "10000000000",
        ] {
            assert_eq!(Outcome::from_hex(forged), None, "{forged}");
        }
    }
}
