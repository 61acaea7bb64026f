//! Her dialogue: what her conversation remembers between two updates — the
//! screen she is on, her language, the request she is filling in. Stored
//! sealed under her key with the rest of her session; her core
//! (`conversation`) steps it, the store keeps it and asks it to forget what
//! she was typing. Plain values, no I/O.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::phone::Phone;
use crate::domain::request::{ContactMethod, IfOtherAnswers, SafeTime, TicketCode, Topic, Urgency};

/// What one user's conversation remembers. Stored sealed, keyed by pseudonym.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dialogue {
    pub lang: String,
    pub screen: Screen,
    pub updated_at: DateTime<Utc>,
    /// A callback request being filled in; kept while she looks elsewhere.
    #[serde(default)]
    pub draft: Option<Draft>,
}

impl Dialogue {
    /// A conversation that starts over: her next message gets the first reply.
    pub fn first_contact(lang: String, now: DateTime<Utc>) -> Dialogue {
        Dialogue {
            lang,
            screen: Screen::FirstContact,
            updated_at: now,
            draft: None,
        }
    }

    /// Her session at the menu, in `lang` (a state from an older version of
    /// the bot starts here).
    pub fn at_menu(lang: String, now: DateTime<Utc>) -> Dialogue {
        Dialogue {
            lang,
            screen: Screen::Menu,
            updated_at: now,
            draft: None,
        }
    }

    /// What she was typing is forgotten; if she was in the wizard, she is
    /// back at the menu.
    pub fn forget_draft(&mut self) {
        self.draft = None;
        if self.screen == Screen::Wizard {
            self.screen = Screen::Menu;
        }
    }

    /// Back at the menu, with what she was typing forgotten (a request that
    /// was not taken).
    pub fn back_at_menu(&mut self) {
        self.draft = None;
        self.screen = Screen::Menu;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Screen {
    FirstContact,
    Welcome,
    Menu,
    Danger,
    Language,
    Help,
    HelpTopics,
    Topic(Topic),
    SafetyPlan,
    Shelter,
    /// A COVID-19 page, from 1 to the core's last page.
    Covid(u8),
    /// The callback wizard, at the draft's step.
    Wizard,
    /// She started a new request while one is open.
    OpenRequest,
    MyRequest,
    ConfirmCancelRequest,
    ConfirmErase,
    /// Writing with a specialist: what she types goes to the one who holds her
    /// request.
    Specialist,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Step {
    #[default]
    Topic,
    Urgency,
    Contact,
    Phone,
    SafeTime,
    IfOther,
    CodeWord,
    Description,
    Summary,
    /// Choosing which answer to change.
    Change,
}

impl Step {
    pub const ALL: [Step; 10] = [
        Step::Topic,
        Step::Urgency,
        Step::Contact,
        Step::Phone,
        Step::SafeTime,
        Step::IfOther,
        Step::CodeWord,
        Step::Description,
        Step::Summary,
        Step::Change,
    ];

    pub fn tag(self) -> &'static str {
        match self {
            Step::Topic => "topic",
            Step::Urgency => "urgency",
            Step::Contact => "contact",
            Step::Phone => "phone",
            Step::SafeTime => "time",
            Step::IfOther => "other",
            Step::CodeWord => "code",
            Step::Description => "desc",
            Step::Summary => "summary",
            Step::Change => "change",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|s| s.tag() == tag)
    }
}

/// A request being filled in. Sealed with the dialogue.
#[derive(Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Draft {
    pub step: Step,
    pub topic: Option<Topic>,
    pub urgency: Option<Urgency>,
    pub contact: Option<ContactMethod>,
    pub phone: Option<Phone>,
    pub phone_not_own: bool,
    pub safe_time: Option<SafeTime>,
    pub if_other: Option<IfOtherAnswers>,
    pub code_word: Option<String>,
    pub description: Option<String>,
    /// Came from the summary to change one answer: go back there after it.
    pub editing: bool,
    /// Changing her open request (this code) instead of sending a new one.
    pub replaces: Option<TicketCode>,
}

impl std::fmt::Debug for Draft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // What she typed shows only as present or not.
        let typed = |present: bool| if present { "Some(..)" } else { "None" };
        f.debug_struct("Draft")
            .field("step", &self.step)
            .field("topic", &self.topic)
            .field("urgency", &self.urgency)
            .field("contact", &self.contact)
            .field("phone", &format_args!("{}", typed(self.phone.is_some())))
            .field("safe_time", &self.safe_time)
            .field("if_other", &self.if_other)
            .field(
                "code_word",
                &format_args!("{}", typed(self.code_word.is_some())),
            )
            .field(
                "description",
                &format_args!("{}", typed(self.description.is_some())),
            )
            .field("editing", &self.editing)
            .field("replaces", &self.replaces)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forgetting_the_draft_leaves_the_wizard_only() {
        let now = chrono::Utc::now();
        let mut typing = Dialogue {
            screen: Screen::Wizard,
            draft: Some(Draft::default()),
            ..Dialogue::at_menu("ky".into(), now)
        };
        let mut reading = Dialogue {
            screen: Screen::Shelter,
            ..typing.clone()
        };
        typing.forget_draft();
        reading.forget_draft();
        assert_eq!(
            (typing.screen, typing.draft.is_none()),
            (Screen::Menu, true)
        );
        assert_eq!(
            (reading.screen, reading.draft.is_none()),
            (Screen::Shelter, true)
        );
        reading.back_at_menu();
        assert_eq!(reading.screen, Screen::Menu);
    }
}
