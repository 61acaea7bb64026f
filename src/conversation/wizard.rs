//! The callback request wizard: topic, urgency, how to reach her, the number, a
//! safe time, what to do if someone else answers (with an optional code word), an
//! optional description, then the summary with Send / Change / Cancel. Every step
//! has Back and Cancel; buttons carry their answer, so old ones still work.

use super::{
    menu, my_request, Action, Button, Ctx, Dialogue, Effect, Input, Reply, Screen, Stepped, Topic,
};
use crate::domain::phone::{Phone, PhoneError};
use crate::domain::request::{
    ContactMethod, IfOtherAnswers, SafeTime, Submission, Urgency, ViewState,
};
use crate::i18n::text::{self, Arg, MsgId, Text};

mod shown;
pub use crate::domain::dialogue::{Draft, Step};
pub use shown::render;

/// The longest description she can send, in characters.
pub const MAX_DESCRIPTION: usize = 500;
pub const MAX_CODE_WORD: usize = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WizardAction {
    Topic(Topic),
    Urgency(Urgency),
    Contact(ContactMethod),
    SafeTime(SafeTime),
    IfOther(IfOtherAnswers),
    /// Skip the optional code word or description (what was there goes).
    Skip,
    /// Keep the code word or description her open request already has.
    Keep,
    Send,
    Change,
    Edit(Step),
    Back,
    Cancel,
    /// Change her open request: the wizard again, with its answers.
    ChangeOpen,
}

impl Draft {
    fn calls(&self) -> bool {
        self.contact == Some(ContactMethod::Call)
    }

    pub fn danger(&self) -> bool {
        self.urgency == Some(Urgency::DangerNow)
    }

    /// The first answer still needed before it can be sent.
    fn first_missing(&self) -> Option<Step> {
        if self.topic.is_none() {
            Some(Step::Topic)
        } else if self.urgency.is_none() {
            Some(Step::Urgency)
        } else if self.contact.is_none() {
            Some(Step::Contact)
        } else if self.calls() && self.phone.is_none() {
            Some(Step::Phone)
        } else if self.safe_time.is_none() {
            Some(Step::SafeTime)
        } else if self.calls() && self.if_other.is_none() {
            Some(Step::IfOther)
        } else {
            None
        }
    }

    /// The step after `from` on her path (the danger path is short).
    fn after(&self, from: Step) -> Step {
        if self.editing {
            return self.first_missing().unwrap_or(Step::Summary);
        }
        match from {
            Step::Topic => Step::Urgency,
            Step::Urgency => Step::Contact,
            Step::Contact if self.calls() => Step::Phone,
            Step::Contact | Step::Phone if self.danger() => Step::Summary,
            Step::Contact | Step::Phone => Step::SafeTime,
            Step::SafeTime if self.calls() => Step::IfOther,
            Step::SafeTime => Step::Description,
            Step::IfOther => Step::CodeWord,
            Step::CodeWord => Step::Description,
            Step::Description | Step::Summary | Step::Change => Step::Summary,
        }
    }

    /// The step before `from`; `None` leaves the wizard.
    fn before(&self, from: Step) -> Option<Step> {
        Some(match from {
            Step::Topic => return None,
            Step::Urgency => Step::Topic,
            Step::Contact => Step::Urgency,
            Step::Phone => Step::Contact,
            Step::SafeTime if self.calls() => Step::Phone,
            Step::SafeTime => Step::Contact,
            Step::IfOther => Step::SafeTime,
            Step::CodeWord => Step::IfOther,
            Step::Description if self.calls() => Step::CodeWord,
            Step::Description => Step::SafeTime,
            Step::Summary if self.danger() && self.calls() => Step::Phone,
            Step::Summary if self.danger() => Step::Contact,
            Step::Summary => Step::Description,
            Step::Change => Step::Summary,
        })
    }

    fn advance(&mut self, from: Step) {
        self.step = self.after(from);
        if self.step == Step::Summary {
            self.editing = false;
        }
    }

    pub(crate) fn submission(&self) -> Option<Submission> {
        if self.first_missing().is_some() {
            return None;
        }
        let calls = self.calls();
        Some(Submission {
            topic: self.topic?,
            urgency: self.urgency?,
            contact: self.contact?,
            safe_time: self.safe_time?,
            if_other: self.if_other.filter(|_| calls),
            phone: self.phone.clone().filter(|_| calls),
            phone_not_own: self.phone_not_own && calls,
            code_word: self.code_word.clone().filter(|_| calls),
            description: self.description.clone(),
        })
    }
}

/// Starts the wizard (or resumes her draft); with an open request, offers it first.
pub fn start(mut dialogue: Dialogue, topic: Option<Topic>, urgent: bool, ctx: &Ctx) -> Stepped {
    if ctx.my_request.as_ref().is_some_and(|r| r.is_open()) {
        dialogue.screen = Screen::OpenRequest;
        let reply = my_request::render_open_offer(ctx).edit_if(true);
        return Stepped::show(dialogue, reply);
    }
    let resume = dialogue
        .draft
        .clone()
        .filter(|d| d.replaces.is_none() && topic.is_none() && !urgent);
    if resume.is_none() && !urgent && !ctx.may_start_request {
        // Enough new requests started today; danger now is never refused.
        dialogue.screen = Screen::Menu;
        let reply = super::menu::render(ctx)
            .with_note(Text::new(text::STARTS_LIMIT))
            .edit_if(true);
        return Stepped::show(dialogue, reply);
    }
    let draft = resume.unwrap_or_else(|| {
        let mut draft = Draft {
            topic,
            ..Draft::default()
        };
        if urgent {
            draft.topic.get_or_insert(Topic::Other);
            choose_urgency(&mut draft, Urgency::DangerNow);
            draft.step = Step::Contact;
        } else if topic.is_some() {
            draft.step = Step::Urgency;
        }
        draft
    });
    show(dialogue, draft, ctx, true)
}

fn choose_urgency(draft: &mut Draft, urgency: Urgency) {
    draft.urgency = Some(urgency);
    if urgency == Urgency::DangerNow {
        // Safe defaults, so the danger path is three taps: whoever answers
        // her phone hears of a wrong number, not a silence that raises
        // questions.
        draft.safe_time.get_or_insert(SafeTime::Any);
        draft.if_other.get_or_insert(IfOtherAnswers::WrongNumber);
    }
}

fn show(mut dialogue: Dialogue, draft: Draft, ctx: &Ctx, edit: bool) -> Stepped {
    let reply = render(&draft, &dialogue.lang, ctx).edit_if(edit);
    dialogue.screen = Screen::Wizard;
    dialogue.draft = Some(draft);
    Stepped::show(dialogue, reply)
}

// A table: one arm per wizard button.
#[allow(clippy::too_many_lines)]
pub fn press(mut dialogue: Dialogue, action: WizardAction, ctx: &Ctx) -> Stepped {
    if action == WizardAction::ChangeOpen {
        return change_open(dialogue, ctx);
    }
    let Some(mut draft) = dialogue.draft.take() else {
        // The request was sent, cancelled or forgotten: say so, never re-send.
        dialogue.screen = Screen::Menu;
        let reply = match &ctx.my_request {
            Some(view) if action == WizardAction::Send && view.is_open() => {
                dialogue.screen = Screen::MyRequest;
                my_request::render(ctx).with_note(Text::new(text::WIZARD_ALREADY_SENT))
            }
            _ => menu::render(ctx).with_note(Text::new(text::STALE_BUTTON)),
        };
        return Stepped::show(dialogue, reply.edit_if(true));
    };
    let current = draft.step;
    match action {
        WizardAction::Topic(topic) => {
            draft.topic = Some(topic);
            draft.advance(Step::Topic);
        }
        WizardAction::Urgency(urgency) => {
            choose_urgency(&mut draft, urgency);
            draft.advance(Step::Urgency);
        }
        WizardAction::Contact(contact) => {
            draft.contact = Some(contact);
            if contact == ContactMethod::Telegram {
                draft.phone = None;
                draft.phone_not_own = false;
                draft.code_word = None;
            }
            draft.advance(Step::Contact);
        }
        WizardAction::SafeTime(time) => {
            draft.safe_time = Some(time);
            draft.advance(Step::SafeTime);
        }
        WizardAction::IfOther(choice) => {
            draft.if_other = Some(choice);
            draft.advance(Step::IfOther);
        }
        WizardAction::Skip => match current {
            Step::CodeWord => {
                draft.code_word = None;
                draft.advance(Step::CodeWord);
            }
            Step::Description => {
                draft.description = None;
                draft.advance(Step::Description);
            }
            _ => {}
        },
        WizardAction::Keep => {
            if matches!(current, Step::CodeWord | Step::Description) {
                draft.advance(current);
            }
        }
        WizardAction::Send => match draft.submission() {
            Some(submission) => {
                // The confirmation is built once the request is safely on disk.
                dialogue.screen = Screen::MyRequest;
                return Stepped {
                    dialogue: Some(dialogue),
                    replies: Vec::new(),
                    effects: vec![Effect::Submit {
                        submission,
                        replaces: draft.replaces,
                    }],
                    session: Vec::new(),
                };
            }
            None => draft.step = draft.first_missing().unwrap_or(Step::Summary),
        },
        WizardAction::Change => draft.step = Step::Change,
        WizardAction::Edit(step) => {
            draft.editing = step != Step::Summary && step != Step::Change;
            draft.step = step;
        }
        WizardAction::Back => match draft.before(current) {
            Some(step) => draft.step = step,
            None => {
                // Back from the first step: the menu, with the draft kept.
                dialogue.draft = Some(draft);
                dialogue.screen = Screen::Menu;
                return Stepped::show(dialogue, menu::render(ctx).edit_if(true));
            }
        },
        WizardAction::Cancel => {
            dialogue.screen = Screen::Menu;
            let reply = menu::render(ctx).with_note(Text::new(text::WIZARD_CANCELLED));
            return Stepped::show(dialogue, reply.edit_if(true));
        }
        WizardAction::ChangeOpen => unreachable!("handled above"),
    }
    show(dialogue, draft, ctx, true)
}

/// The wizard again, filled with her open request's answers; sending replaces it.
fn change_open(mut dialogue: Dialogue, ctx: &Ctx) -> Stepped {
    match &ctx.my_request {
        Some(view) if matches!(view.state, ViewState::Waiting { .. }) => {
            let draft = Draft {
                topic: Some(view.topic),
                urgency: Some(view.urgency),
                contact: Some(view.contact),
                safe_time: Some(view.safe_time),
                if_other: view.if_other,
                code_word: view.code_word.clone(),
                description: view.description.clone(),
                replaces: Some(view.code.clone()),
                ..Draft::default()
            };
            show(dialogue, draft, ctx, true)
        }
        _ => {
            dialogue.screen = Screen::MyRequest;
            Stepped::show(dialogue, my_request::render(ctx).edit_if(true))
        }
    }
}

/// What she typed or shared while a step waits for it. `None`: not the wizard's.
pub fn typed(dialogue: &mut Dialogue, input: &Input, ctx: &Ctx) -> Option<Stepped> {
    let draft = dialogue.draft.as_mut()?;
    let lang = dialogue.lang.clone();
    let problem = match (draft.step, input) {
        (Step::Phone, Input::Text(typed)) => match Phone::parse(typed) {
            Ok(phone) => {
                draft.phone = Some(phone);
                draft.phone_not_own = false;
                draft.advance(Step::Phone);
                None
            }
            Err(PhoneError::NotANumber) => Some(Text::new(text::WIZARD_PHONE_NOT_A_NUMBER)),
            Err(PhoneError::Implausible) => Some(Text::new(text::WIZARD_PHONE_IMPLAUSIBLE)),
        },
        (Step::Phone, Input::SharedContact { phone, own }) => match Phone::from_contact(phone) {
            Ok(phone) => {
                draft.phone = Some(phone);
                draft.phone_not_own = !own;
                draft.advance(Step::Phone);
                None
            }
            Err(_) => Some(Text::new(text::WIZARD_PHONE_IMPLAUSIBLE)),
        },
        (Step::CodeWord, Input::Text(typed)) => {
            let word: String = typed.chars().filter(|c| !c.is_control()).collect();
            let word = word.trim();
            let length = word.chars().count();
            if length == 0 || length > MAX_CODE_WORD {
                Some(Text::new(text::WIZARD_CODE_WORD_INVALID).arg("max", MAX_CODE_WORD as i64))
            } else {
                draft.code_word = Some(word.to_string());
                draft.advance(Step::CodeWord);
                None
            }
        }
        (Step::Description, Input::Text(typed)) => {
            let kept: String = typed
                .chars()
                .filter(|c| *c == '\n' || !c.is_control())
                .collect();
            let kept = kept.trim();
            let length = kept.chars().count();
            if length > MAX_DESCRIPTION {
                Some(
                    Text::new(text::WIZARD_DESCRIPTION_TOO_LONG)
                        .arg("count", length as i64)
                        .arg("max", MAX_DESCRIPTION as i64),
                )
            } else if length == 0 {
                Some(Text::new(text::WIZARD_USE_BUTTONS))
            } else {
                draft.description = Some(kept.to_string());
                draft.advance(Step::Description);
                None
            }
        }
        (_, Input::Text(_)) => {
            // Not a step that reads text: nothing of it is kept.
            let reply = render(draft, &lang, ctx).with_note(Text::new(text::WIZARD_USE_BUTTONS));
            return Some(Stepped::show(dialogue.clone(), reply));
        }
        _ => return None,
    };
    let mut reply = render(draft, &lang, ctx);
    if let Some(problem) = problem {
        reply = reply.with_note(problem);
    }
    // What she typed holds a number, a code word or a description: it goes now.
    Some(Stepped::show(dialogue.clone(), reply).with(Effect::DeleteIncoming))
}

/// A draft at every step, for checks over everything the bot can show.
pub fn sample_drafts() -> Vec<Draft> {
    let full = Draft {
        topic: Some(Topic::Legal),
        urgency: Some(Urgency::WithinDay),
        contact: Some(ContactMethod::Call),
        phone: Phone::parse("0700 123 456").ok(),
        phone_not_own: true,
        safe_time: Some(SafeTime::Evening),
        if_other: Some(IfOtherAnswers::WrongNumber),
        code_word: Some("apple".into()),
        description: Some("x".into()),
        ..Draft::default()
    };
    let mut all: Vec<Draft> = Step::ALL
        .into_iter()
        .map(|step| Draft {
            step,
            ..full.clone()
        })
        .collect();
    all.push(Draft {
        step: Step::Contact,
        urgency: Some(Urgency::DangerNow),
        ..Draft::default()
    });
    all
}
