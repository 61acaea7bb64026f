//! The one codec for inline-button data.
//!
//! Data carries a version tag and a self-contained action (never a reference to
//! server-side state), so a button from an old message still does what its label
//! says. Anything that does not decode is treated as an unreadable button.

use crate::conversation::{Action, Step, WizardAction, COVID_PAGES};
use crate::desk::DeskAction;
use crate::domain::ids::RecordId;
use crate::domain::outcome::Outcome;
use crate::domain::request::{ContactMethod, IfOtherAnswers, SafeTime, Urgency};
use crate::domain::request::{Resolution, Topic, TryResult};
use crate::domain::shelter::ShelterState;

/// Telegram's limit for `callback_data`.
pub const MAX_LEN: usize = 64;
const VERSION: &str = "1";

/// A pressed button, as its data says: one of hers, or a staff member's.
#[derive(Debug, Clone, PartialEq)]
pub enum Pressed {
    Her(Action),
    Desk(DeskAction),
}

/// An action a button can carry: what its data is.
pub trait ButtonData {
    fn data(&self) -> String;
}

impl ButtonData for Action {
    fn data(&self) -> String {
        encode(self)
    }
}

impl ButtonData for DeskAction {
    fn data(&self) -> String {
        encode_desk(self)
    }
}

pub fn encode(action: &Action) -> String {
    let body = match action {
        Action::Danger => "d".to_string(),
        Action::SetLanguage(code) => format!("l:{code}"),
        Action::Continue => "c".to_string(),
        Action::Menu => "m".to_string(),
        Action::ChooseLanguage => "g".to_string(),
        Action::HelpTopics => "h".to_string(),
        Action::Topic(topic) => format!("t:{}", topic.tag()),
        Action::SafetyPlan => "p".to_string(),
        Action::Shelter => "s".to_string(),
        Action::Covid(page) => format!("v:{page}"),
        Action::RequestCallback(None) => "r".to_string(),
        Action::RequestCallback(Some(topic)) => format!("r:{}", topic.tag()),
        Action::UrgentCallback => "u".to_string(),
        Action::Wizard(w) => format!("w:{}", wizard(w)),
        Action::MyRequest => "q".to_string(),
        Action::CancelRequest => "qc".to_string(),
        Action::ConfirmCancelRequest => "qy".to_string(),
        Action::Erase => "e".to_string(),
        Action::ConfirmErase { cancel_request } => format!("e:{}", u8::from(*cancel_request)),
        Action::Hide => "x".to_string(),
        Action::OpenLetter(id) => format!("ol:{}", id.to_hex()),
        Action::WriteBack => "wb".to_string(),
        Action::LeaveSpecialist => "ws".to_string(),
    };
    format!("{VERSION}:{body}")
}

/// The data of a staff button (the desk's actions, `k…`).
fn encode_desk(action: &DeskAction) -> String {
    let body = match action {
        DeskAction::Form(id, outcome) => {
            format!("kf:{}:{}", id.to_hex(), outcome.to_hex())
        }
        DeskAction::Save(id, outcome) => {
            format!("kd:{}:{}", id.to_hex(), outcome.to_hex())
        }
        DeskAction::ShowCard(id) => format!("kc:{}", id.to_hex()),
        DeskAction::Release(id) => format!("kr:{}", id.to_hex()),
        DeskAction::ReleaseAny(id) => format!("ka:{}", id.to_hex()),
        DeskAction::BlockMenu(id) => format!("kb:{}", id.to_hex()),
        DeskAction::Write(id) => format!("kw:{}", id.to_hex()),
        DeskAction::Block(id, days) => format!("kx:{}:{days}", id.to_hex()),
        DeskAction::SetShelter(state) => format!("ks:{}", state.tag()),
        DeskAction::Language(n) => format!("kg:{n}"),
        DeskAction::Take(id) => format!("kq:{}", id.to_hex()),
        DeskAction::NoteAsk(id) => format!("km:{}", id.to_hex()),
        DeskAction::Thread(id) => format!("kh:{}", id.to_hex()),
        DeskAction::QueueFrom(from) => format!("kn:{from}"),
        DeskAction::OffSkip(id, handed) => format!("ke:{}:{handed}", id.to_hex()),
        DeskAction::OffAll(handed) => format!("ki:{handed}"),
        DeskAction::TriedMenu(id) => format!("kt:{}", id.to_hex()),
        DeskAction::Keep(id) => format!("kk:{}", id.to_hex()),
        DeskAction::OfferAgain(id) => format!("ko:{}", id.to_hex()),
        DeskAction::BlockSenderMenu(id) => format!("kv:{}", id.to_hex()),
        DeskAction::BlockSender(id, days) => format!("kz:{}:{days}", id.to_hex()),
        DeskAction::Tried(id, result) => {
            format!("ky:{}:{}", id.to_hex(), result.tag())
        }
    };
    format!("{VERSION}:{body}")
}

/// A request and a block's length (1 or 30 days), as `id:days`.
fn block_days(rest: &str) -> Option<(RecordId, u16)> {
    let (id, days) = rest.split_once(':')?;
    let days = match days {
        "1" => 1,
        "30" => 30,
        _ => return None,
    };
    Some((RecordId::from_hex(id)?, days))
}

pub fn decode(data: &str) -> Option<Pressed> {
    if data.len() > MAX_LEN {
        return None;
    }
    let body = data.strip_prefix(VERSION)?.strip_prefix(':')?;
    let (head, rest) = match body.split_once(':') {
        Some((head, rest)) => (head, Some(rest)),
        None => (body, None),
    };
    if head.starts_with('k') {
        return decode_desk(head, rest).map(Pressed::Desk);
    }
    let her = match (head, rest) {
        ("d", None) => Some(Action::Danger),
        ("c", None) => Some(Action::Continue),
        ("m", None) => Some(Action::Menu),
        ("g", None) => Some(Action::ChooseLanguage),
        ("l", Some(code))
            if (2..=8).contains(&code.len())
                && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') =>
        {
            Some(Action::SetLanguage(code.to_string()))
        }
        ("h", None) => Some(Action::HelpTopics),
        ("t", Some(tag)) => Topic::from_tag(tag).map(Action::Topic),
        ("p", None) => Some(Action::SafetyPlan),
        ("s", None) => Some(Action::Shelter),
        ("v", Some(page)) => page
            .parse::<u8>()
            .ok()
            .filter(|p| (1..=COVID_PAGES).contains(p) && !page.starts_with('0'))
            .map(Action::Covid),
        ("r", None) => Some(Action::RequestCallback(None)),
        ("r", Some(tag)) => Topic::from_tag(tag).map(|t| Action::RequestCallback(Some(t))),
        ("u", None) => Some(Action::UrgentCallback),
        ("w", Some(rest)) => decode_wizard(rest).map(Action::Wizard),
        ("q", None) => Some(Action::MyRequest),
        ("qc", None) => Some(Action::CancelRequest),
        ("qy", None) => Some(Action::ConfirmCancelRequest),
        ("e", None) => Some(Action::Erase),
        ("e", Some("0")) => Some(Action::ConfirmErase {
            cancel_request: false,
        }),
        ("e", Some("1")) => Some(Action::ConfirmErase {
            cancel_request: true,
        }),
        ("x", None) => Some(Action::Hide),
        ("wb", None) => Some(Action::WriteBack),
        ("ws", None) => Some(Action::LeaveSpecialist),
        ("ol", Some(id)) => Some(Action::OpenLetter(RecordId::from_hex(id)?)),
        _ => None,
    };
    her.map(Pressed::Her)
}

/// A staff button's action, from its data.
fn decode_desk(head: &str, rest: Option<&str>) -> Option<DeskAction> {
    match (head, rest) {
        // "Done" on a card sent before the outcome form: opens the form.
        ("k", Some(rest)) => {
            let (id, tag) = rest.split_once(':')?;
            (tag == Resolution::Talked.tag()).then_some(())?;
            Some(DeskAction::Form(
                RecordId::from_hex(id)?,
                Outcome::default(),
            ))
        }
        ("kf" | "kd", Some(rest)) => {
            let (id, form) = rest.split_once(':')?;
            let (id, form) = (RecordId::from_hex(id)?, Outcome::from_hex(form)?);
            Some(if head == "kf" {
                DeskAction::Form(id, form)
            } else {
                DeskAction::Save(id, form)
            })
        }
        ("kw", Some(id)) => Some(DeskAction::Write(RecordId::from_hex(id)?)),
        ("kg", Some(n)) => Some(DeskAction::Language(n.parse().ok()?)),
        ("kq", Some(id)) => Some(DeskAction::Take(RecordId::from_hex(id)?)),
        ("km", Some(id)) => Some(DeskAction::NoteAsk(RecordId::from_hex(id)?)),
        ("kh", Some(id)) => Some(DeskAction::Thread(RecordId::from_hex(id)?)),
        ("kn", Some(from)) => Some(DeskAction::QueueFrom(from.parse().ok()?)),
        ("kb", Some(id)) => Some(DeskAction::BlockMenu(RecordId::from_hex(id)?)),
        ("kx", Some(rest)) => {
            let (id, days) = block_days(rest)?;
            Some(DeskAction::Block(id, days))
        }
        ("kv", Some(id)) => Some(DeskAction::BlockSenderMenu(RecordId::from_hex(id)?)),
        ("kz", Some(rest)) => {
            let (id, days) = block_days(rest)?;
            Some(DeskAction::BlockSender(id, days))
        }
        ("kc", Some(id)) => Some(DeskAction::ShowCard(RecordId::from_hex(id)?)),
        ("kr", Some(id)) => Some(DeskAction::Release(RecordId::from_hex(id)?)),
        ("ka", Some(id)) => Some(DeskAction::ReleaseAny(RecordId::from_hex(id)?)),
        ("kt", Some(id)) => Some(DeskAction::TriedMenu(RecordId::from_hex(id)?)),
        ("kk", Some(id)) => Some(DeskAction::Keep(RecordId::from_hex(id)?)),
        ("ko", Some(id)) => Some(DeskAction::OfferAgain(RecordId::from_hex(id)?)),
        ("ky", Some(rest)) => {
            let (id, tag) = rest.split_once(':')?;
            Some(DeskAction::Tried(
                RecordId::from_hex(id)?,
                TryResult::from_tag(tag)?,
            ))
        }
        ("ks", Some(tag)) => ShelterState::from_tag(tag).map(DeskAction::SetShelter),
        ("ke", Some(rest)) => {
            let (id, handed) = rest.split_once(':')?;
            Some(DeskAction::OffSkip(
                RecordId::from_hex(id)?,
                handed.parse().ok()?,
            ))
        }
        ("ki", Some(handed)) => Some(DeskAction::OffAll(handed.parse().ok()?)),
        _ => None,
    }
}

fn wizard(action: &WizardAction) -> String {
    match action {
        WizardAction::Topic(t) => format!("t:{}", t.tag()),
        WizardAction::Urgency(u) => format!("u:{}", u.tag()),
        WizardAction::Contact(c) => format!("c:{}", c.tag()),
        WizardAction::SafeTime(t) => format!("s:{}", t.tag()),
        WizardAction::IfOther(o) => format!("o:{}", o.tag()),
        WizardAction::Skip => "k".into(),
        WizardAction::Keep => "kp".into(),
        WizardAction::Send => "send".into(),
        WizardAction::Change => "chg".into(),
        WizardAction::Edit(step) => format!("e:{}", step.tag()),
        WizardAction::Back => "b".into(),
        WizardAction::Cancel => "x".into(),
        WizardAction::ChangeOpen => "co".into(),
    }
}

fn decode_wizard(body: &str) -> Option<WizardAction> {
    let (head, rest) = match body.split_once(':') {
        Some((head, rest)) => (head, Some(rest)),
        None => (body, None),
    };
    Some(match (head, rest) {
        ("t", Some(tag)) => WizardAction::Topic(Topic::from_tag(tag)?),
        ("u", Some(tag)) => WizardAction::Urgency(Urgency::from_tag(tag)?),
        ("c", Some(tag)) => WizardAction::Contact(ContactMethod::from_tag(tag)?),
        ("s", Some(tag)) => WizardAction::SafeTime(SafeTime::from_tag(tag)?),
        ("o", Some(tag)) => WizardAction::IfOther(IfOtherAnswers::from_tag(tag)?),
        ("k", None) => WizardAction::Skip,
        ("kp", None) => WizardAction::Keep,
        ("send", None) => WizardAction::Send,
        ("chg", None) => WizardAction::Change,
        ("e", Some(tag)) => WizardAction::Edit(Step::from_tag(tag)?),
        ("b", None) => WizardAction::Back,
        ("x", None) => WizardAction::Cancel,
        ("co", None) => WizardAction::ChangeOpen,
        _ => return None,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn every_action() -> Vec<Action> {
        let mut all = vec![
            Action::Danger,
            Action::Continue,
            Action::Menu,
            Action::ChooseLanguage,
            Action::SetLanguage("ky".into()),
            Action::SetLanguage("ru".into()),
            Action::SetLanguage("uz-Latn".into()),
            Action::HelpTopics,
            Action::SafetyPlan,
            Action::Shelter,
            Action::RequestCallback(None),
            Action::UrgentCallback,
            Action::MyRequest,
            Action::CancelRequest,
            Action::ConfirmCancelRequest,
            Action::Erase,
            Action::ConfirmErase {
                cancel_request: false,
            },
            Action::ConfirmErase {
                cancel_request: true,
            },
            Action::Hide,
        ];
        for w in [
            WizardAction::Skip,
            WizardAction::Keep,
            WizardAction::Send,
            WizardAction::Change,
            WizardAction::Back,
            WizardAction::Cancel,
            WizardAction::ChangeOpen,
        ] {
            all.push(Action::Wizard(w));
        }
        all.extend(Topic::REQUESTABLE.map(|t| Action::Wizard(WizardAction::Topic(t))));
        all.extend(Urgency::ALL.map(|u| Action::Wizard(WizardAction::Urgency(u))));
        all.extend(ContactMethod::ALL.map(|c| Action::Wizard(WizardAction::Contact(c))));
        all.extend(SafeTime::ALL.map(|t| Action::Wizard(WizardAction::SafeTime(t))));
        all.extend(IfOtherAnswers::ALL.map(|o| Action::Wizard(WizardAction::IfOther(o))));
        all.extend(Step::ALL.map(|s| Action::Wizard(WizardAction::Edit(s))));
        all.extend(Topic::ALL.map(Action::Topic));
        all.extend(Topic::ALL.map(|t| Action::RequestCallback(Some(t))));
        all.extend((1..=COVID_PAGES).map(Action::Covid));
        all
    }

    fn every_desk_action() -> Vec<DeskAction> {
        let id = RecordId::random();
        let mut all = vec![
            DeskAction::ShowCard(id),
            DeskAction::Release(id),
            DeskAction::ReleaseAny(id),
            DeskAction::BlockMenu(id),
            DeskAction::Write(id),
            DeskAction::Block(id, 30),
            DeskAction::TriedMenu(id),
            DeskAction::Keep(id),
            DeskAction::OfferAgain(id),
            DeskAction::BlockSenderMenu(id),
            DeskAction::BlockSender(id, 1),
            DeskAction::BlockSender(id, 30),
        ];
        all.extend(TryResult::ALL.map(|r| DeskAction::Tried(id, r)));
        all
    }

    #[test]
    fn every_action_round_trips_within_telegram_limit() {
        for action in every_action() {
            let data = encode(&action);
            assert!(data.len() <= MAX_LEN, "{data} is too long");
            assert_eq!(decode(&data), Some(Pressed::Her(action)));
        }
        // A staff button never reads as one of hers, nor hers as a staff one.
        for action in every_desk_action() {
            let data = action.data();
            assert!(data.len() <= MAX_LEN, "{data} is too long");
            assert_eq!(decode(&data), Some(Pressed::Desk(action)));
        }
    }

    #[test]
    fn forged_or_foreign_data_does_not_decode() {
        for forged in [
            "",
            "m",
            "2:m",
            "1:",
            "1:o:nothing",
            "1:l:",
            "1:l:../../etc",
            "1:m:extra",
            "1:d:1",
            "1:v:0",
            "1:v:7",
            "1:v:01",
            "1:v:-1",
            "1:t:unknown",
            "1:r:",
            "1:o:callback",
            "1:w:t:",
            "1:w:u:soon",
            "1:e:2",
            "1:w:send:1",
            &"1:l:".repeat(40),
            "1:\u{0}",
        ] {
            assert_eq!(decode(forged), None, "{forged:?}");
        }
    }
}
