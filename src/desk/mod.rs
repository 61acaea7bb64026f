//! The staff desk as a pure state machine, beside her conversation: a staff
//! member's command or button in, replies to that staff member and effects on the
//! queue out; [`answer`] turns what the effects did into replies. Nothing here
//! knows Telegram, and nothing here sees a Telegram id: staff are handles.

use chrono::{DateTime, Utc};

use crate::conversation::{Action, Button, Command, Delivery, Input, Recipient, Reply};
use crate::keyring::RecordId;
use crate::request::{
    ContactMethod, IfOtherAnswers, Resolution, SafeTime, Topic, TryResult, Urgency,
};
use crate::shelter::{ShelterState, ShelterStatus};
use crate::text::{self, Arg, Text};

/// A staff command (listed in the one command table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeskCommand {
    Help,
    Queue,
    Next,
    Mine,
    /// Show the shelter's state, or set it (`/shelter full`: the word follows).
    Shelter,
    /// Take a request by its code (the code follows the command).
    Take,
    /// Supervisors: every open claim.
    Claims,
    /// Supervisors: suspend a staff member (the handle follows the command).
    Suspend,
    /// Supervisors: let a suspended staff member work again.
    Resume,
    /// Go on duty: urgent alerts come to this staff member.
    On,
    /// End duty: one's claims go back to the queue.
    Off,
}

/// A button on a staff member's card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeskAction {
    /// End the claim: closed with this result.
    Close(RecordId, Resolution),
    /// Put the request back in its place.
    Release(RecordId),
    /// The call did not reach her: ask what happened.
    TriedMenu(RecordId),
    /// Still working on it: keep the claim.
    Keep(RecordId),
    /// The call did not reach her, for this reason.
    Tried(RecordId, TryResult),
    /// Set the shelter's state.
    SetShelter(ShelterState),
}

/// What a staff member did.
#[derive(Clone, PartialEq)]
pub enum DeskInput {
    /// A command with what followed it (`/take K7QX`: the code; often nothing).
    Command(DeskCommand, String),
    Pressed(DeskAction),
    /// Typed text: a handover note, when one was asked for.
    Text(String),
    /// Anything else (media, her commands).
    Other,
}

impl std::fmt::Debug for DeskInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DeskInput::Command(c, _) => write!(f, "Command({c:?}, ..)"),
            DeskInput::Pressed(a) => write!(f, "Pressed({a:?})"),
            DeskInput::Text(_) => f.write_str("Text(..)"),
            DeskInput::Other => f.write_str("Other"),
        }
    }
}

impl DeskInput {
    /// What a staff member's message or button means to the desk: a staff
    /// command (read from the one command table by the shell), a staff button,
    /// /start and /help as the desk's help, typed text; anything else is other.
    pub fn read(command: Option<(DeskCommand, &str)>, input: &Input) -> DeskInput {
        match (command, input) {
            (Some((command, argument)), _) => DeskInput::Command(command, argument.to_string()),
            (None, Input::Pressed(Action::Staff(action))) => DeskInput::Pressed(*action),
            (None, Input::Command(Command::Start | Command::Help)) => {
                DeskInput::Command(DeskCommand::Help, String::new())
            }
            (None, Input::Text(text)) => DeskInput::Text(text.clone()),
            _ => DeskInput::Other,
        }
    }
}

/// What the app must do for the desk.
#[derive(Debug, Clone, PartialEq)]
pub enum DeskEffect {
    ShowQueue,
    ClaimNext,
    ClaimCode(String),
    ListMine,
    Finish {
        id: RecordId,
        resolution: Option<Resolution>,
    },
    ShowShelter,
    SetShelter(ShelterState),
    /// Set the shelter's state from a word typed in any language the bot has.
    SetShelterWord(String),
    DutyOn,
    DutyOff,
    /// Records a call that did not reach her.
    Tried(RecordId, TryResult),
    KeepClaim(RecordId),
    ListClaims,
    Suspend(String),
    Resume(String),
}

/// How many wait, by urgency and topic, and for how long.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QueueCounts {
    pub danger: u64,
    pub day: u64,
    pub wait: u64,
    pub by_topic: Vec<(Topic, u64)>,
    /// Minutes the oldest waiting request has waited.
    pub oldest_minutes: Option<i64>,
    /// Danger-now requests waiting longer than 10 minutes.
    pub urgent_late: u64,
    /// Names of staff on duty.
    pub on_duty: Vec<String>,
}

/// A claimed request as the specialist sees it: everything needed to reach her
/// safely. Sent with `protect_content`.
#[derive(Clone, PartialEq)]
pub struct Card {
    pub id: RecordId,
    pub code: String,
    pub topic: Topic,
    pub urgency: Urgency,
    pub contact: ContactMethod,
    pub phone: Option<String>,
    pub phone_not_own: bool,
    pub safe_time: SafeTime,
    pub if_other: Option<IfOtherAnswers>,
    pub code_word: Option<String>,
    pub description: Option<String>,
    pub sent_at: DateTime<Utc>,
    /// Calls that did not reach her so far.
    pub tries: u8,
    /// Another open request has the same number.
    pub same_number: bool,
}

impl std::fmt::Debug for Card {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Card")
            .field("code", &self.code)
            .field("urgency", &self.urgency)
            .finish_non_exhaustive()
    }
}

/// What came of a desk effect.
#[derive(Debug, Clone, PartialEq)]
pub enum DeskEvent {
    Queue(QueueCounts),
    Claimed(Box<Card>),
    NothingWaiting,
    Mine(Vec<String>),
    Finished {
        code: String,
        closed: bool,
    },
    NotYours,
    Shelter(Option<ShelterStatus>),
    ShelterSet(ShelterState),
    OnDuty,
    OffDuty {
        released: usize,
    },
    /// No waiting request has that code.
    NoSuchCode(String),
    /// Holding as many claims as allowed.
    AtCap(usize),
    /// Claiming faster than allowed.
    TooFast,
    /// The claim stays with its holder.
    Kept(String),
    /// Every open claim: (staff name, code, minutes held).
    Claims(Vec<(String, String, i64)>),
    Suspended {
        handle: String,
        released: usize,
    },
    Resumed(String),
    NoSuchStaff(String),
    /// A try was recorded: the request waits again, or (gave up) it closed.
    TryRecorded {
        code: String,
        tries: u8,
        gave_up: bool,
    },
}

/// The staff member's input → replies now, and effects to carry out.
pub fn step(handle: &str, input: DeskInput) -> (Vec<Reply>, Vec<DeskEffect>) {
    let effect = match input {
        DeskInput::Command(DeskCommand::Queue, _) => DeskEffect::ShowQueue,
        DeskInput::Command(DeskCommand::Next, _) => DeskEffect::ClaimNext,
        DeskInput::Command(DeskCommand::Take, code) if crate::request::looks_like_code(&code) => {
            DeskEffect::ClaimCode(code.trim().to_uppercase())
        }
        DeskInput::Command(DeskCommand::Take, _) => {
            return (
                vec![to(handle, vec![Text::new(text::DESK_TAKE_USAGE)])],
                Vec::new(),
            );
        }
        DeskInput::Command(DeskCommand::Mine, _) => DeskEffect::ListMine,
        DeskInput::Pressed(DeskAction::Close(id, resolution)) => DeskEffect::Finish {
            id,
            resolution: Some(resolution),
        },
        DeskInput::Pressed(DeskAction::Release(id)) => DeskEffect::Finish {
            id,
            resolution: None,
        },
        DeskInput::Pressed(DeskAction::TriedMenu(id)) => {
            return (vec![try_menu(handle, id)], Vec::new());
        }
        DeskInput::Pressed(DeskAction::Tried(id, result)) => DeskEffect::Tried(id, result),
        DeskInput::Pressed(DeskAction::Keep(id)) => DeskEffect::KeepClaim(id),
        DeskInput::Command(DeskCommand::Claims, _) => DeskEffect::ListClaims,
        DeskInput::Command(DeskCommand::Suspend, who) => {
            DeskEffect::Suspend(who.trim().to_lowercase())
        }
        DeskInput::Command(DeskCommand::Resume, who) => {
            DeskEffect::Resume(who.trim().to_lowercase())
        }
        DeskInput::Command(DeskCommand::Shelter, word) if word.trim().is_empty() => {
            DeskEffect::ShowShelter
        }
        DeskInput::Command(DeskCommand::Shelter, word) => DeskEffect::SetShelterWord(word),
        DeskInput::Command(DeskCommand::On, _) => DeskEffect::DutyOn,
        DeskInput::Command(DeskCommand::Off, _) => DeskEffect::DutyOff,
        DeskInput::Pressed(DeskAction::SetShelter(state)) => DeskEffect::SetShelter(state),
        DeskInput::Command(DeskCommand::Help, _) | DeskInput::Text(_) | DeskInput::Other => {
            return (
                vec![to(handle, vec![Text::new(text::DESK_HELP)])],
                Vec::new(),
            );
        }
    };
    (Vec::new(), vec![effect])
}

/// The desk's answer to what an effect did, now, at `now`.
pub fn answer(handle: &str, event: &DeskEvent, now: DateTime<Utc>) -> Vec<Reply> {
    let reply = match event {
        DeskEvent::Queue(c) => {
            let mut lines = vec![Text::new(text::DESK_QUEUE)
                .arg("total", (c.danger + c.day + c.wait) as i64)
                .arg("danger", c.danger as i64)
                .arg("day", c.day as i64)
                .arg("wait", c.wait as i64)];
            lines.extend(c.by_topic.iter().filter(|(_, n)| *n > 0).map(|(topic, n)| {
                Text::new(text::DESK_QUEUE_TOPIC)
                    .arg("topic", Arg::Msg(topic.label()))
                    .arg("count", *n as i64)
            }));
            if let Some(minutes) = c.oldest_minutes {
                lines.push(Text::new(text::DESK_QUEUE_OLDEST).arg("minutes", minutes));
            }
            if c.urgent_late > 0 {
                lines.push(
                    Text::new(text::DESK_QUEUE_URGENT_LATE).arg("count", c.urgent_late as i64),
                );
            }
            lines.push(if c.on_duty.is_empty() {
                Text::new(text::DESK_QUEUE_NOBODY_ON_DUTY)
            } else {
                Text::new(text::DESK_QUEUE_ON_DUTY).arg("names", c.on_duty.join(", "))
            });
            to(handle, vec![Text::lines(lines)])
        }
        DeskEvent::NothingWaiting => to(handle, vec![Text::new(text::DESK_NOTHING)]),
        DeskEvent::Claimed(card) => card_reply(handle, card, now),
        DeskEvent::Mine(codes) if codes.is_empty() => {
            to(handle, vec![Text::new(text::DESK_MINE_NONE)])
        }
        DeskEvent::Mine(codes) => to(
            handle,
            vec![Text::new(text::DESK_MINE).arg("codes", codes.join(", "))],
        ),
        DeskEvent::Finished { code, closed } => {
            let mut reply = to(
                handle,
                vec![Text::new(if *closed {
                    text::DESK_CLOSED
                } else {
                    text::DESK_RELEASED
                })
                .arg("code", code.as_str())],
            );
            // The card itself is replaced: nothing of her stays on the screen.
            reply.delivery = Delivery::EditPressed;
            reply
        }
        DeskEvent::NotYours => {
            let mut reply = to(handle, vec![Text::new(text::DESK_NOT_YOURS)]);
            reply.delivery = Delivery::EditPressed;
            reply
        }
        DeskEvent::Shelter(status) => {
            let line = match status {
                Some(status) => Text::new(text::DESK_SHELTER_NOW)
                    .arg("state", Arg::Msg(status.state.label()))
                    .arg("hours", (now - status.set_at).num_hours().max(0)),
                None => Text::new(text::DESK_SHELTER_NEVER),
            };
            let mut reply = to(handle, vec![line]);
            reply.keyboard = ShelterState::ALL
                .into_iter()
                .map(|state| {
                    let mut button =
                        Button::new(state.label(), Action::Staff(DeskAction::SetShelter(state)));
                    button.selected = status.is_some_and(|s| s.state == state);
                    vec![button]
                })
                .collect();
            reply
        }
        DeskEvent::OnDuty => to(handle, vec![Text::new(text::DESK_ON)]),
        DeskEvent::NoSuchCode(code) => to(
            handle,
            vec![Text::new(text::DESK_TAKE_NONE).arg("code", code.as_str())],
        ),
        DeskEvent::AtCap(count) => to(
            handle,
            vec![Text::new(text::DESK_AT_CAP).arg("count", *count as i64)],
        ),
        DeskEvent::TooFast => to(handle, vec![Text::new(text::DESK_TOO_FAST)]),
        DeskEvent::Claims(claims) if claims.is_empty() => {
            to(handle, vec![Text::new(text::DESK_CLAIMS_NONE)])
        }
        DeskEvent::Claims(claims) => {
            let lines = claims
                .iter()
                .map(|(name, code, minutes)| {
                    Text::new(text::DESK_CLAIMS_LINE)
                        .arg("name", name.as_str())
                        .arg("code", code.as_str())
                        .arg("minutes", *minutes)
                })
                .collect();
            to(
                handle,
                vec![Text::new(text::DESK_CLAIMS_TITLE), Text::lines(lines)],
            )
        }
        DeskEvent::Suspended {
            handle: who,
            released,
        } => to(
            handle,
            vec![Text::new(text::DESK_SUSPENDED)
                .arg("handle", who.as_str())
                .arg("count", *released as i64)],
        ),
        DeskEvent::Resumed(who) => to(
            handle,
            vec![Text::new(text::DESK_RESUMED).arg("handle", who.as_str())],
        ),
        DeskEvent::NoSuchStaff(who) => to(
            handle,
            vec![Text::new(text::DESK_NO_SUCH_STAFF).arg("handle", who.as_str())],
        ),
        DeskEvent::Kept(code) => {
            let mut reply = to(
                handle,
                vec![Text::new(text::DESK_KEPT).arg("code", code.as_str())],
            );
            reply.delivery = Delivery::EditPressed;
            reply
        }
        DeskEvent::TryRecorded {
            code,
            tries,
            gave_up,
        } => {
            let id = if *gave_up {
                text::DESK_TRY_GAVE_UP
            } else {
                text::DESK_TRY_RECORDED
            };
            let mut reply = to(
                handle,
                vec![Text::new(id)
                    .arg("code", code.as_str())
                    .arg("tries", i64::from(*tries))],
            );
            reply.delivery = Delivery::EditPressed;
            reply
        }
        DeskEvent::OffDuty { released } => to(
            handle,
            vec![Text::new(text::DESK_OFF).arg("count", *released as i64)],
        ),
        DeskEvent::ShelterSet(state) => {
            let mut reply = to(
                handle,
                vec![Text::new(text::DESK_SHELTER_SET).arg("state", Arg::Msg(state.label()))],
            );
            reply.delivery = Delivery::EditPressed;
            reply
        }
    };
    vec![reply]
}

/// What staff are told when she sends a request: one line in the staff chat
/// (nothing of her: code, topic, urgency, how many wait) — silent unless she is in
/// danger now, when whoever is on duty is also alerted, with sound.
pub fn new_request(code: &str, topic: Topic, urgency: Urgency, waiting: u64) -> Vec<Reply> {
    let urgent = urgency == Urgency::DangerNow;
    let mut line = to(
        "",
        vec![Text::new(text::DESK_NEW_REQUEST)
            .arg("code", code)
            .arg("topic", Arg::Msg(topic.label()))
            .arg("urgency", Arg::Msg(urgency.label()))
            .arg("waiting", waiting as i64)],
    );
    line.to = Recipient::StaffChat;
    line.silent = !urgent;
    let mut notices = Vec::new();
    if urgent {
        let mut alert = to(
            "",
            vec![Text::new(text::DESK_URGENT_ALERT).arg("code", code)],
        );
        alert.to = Recipient::OnDuty;
        notices.push(alert);
    }
    notices.push(line);
    notices
}

/// A danger-now request nobody has taken after `minutes`: whoever is on duty is
/// alerted again (step 1); then the staff chat, with sound (step 2).
pub fn still_waiting(code: &str, minutes: i64, step: u8) -> Reply {
    let mut alert = to(
        "",
        vec![Text::new(text::DESK_STILL_WAITING)
            .arg("code", code)
            .arg("minutes", minutes)],
    );
    alert.to = if step == 1 {
        Recipient::OnDuty
    } else {
        Recipient::StaffChat
    };
    alert
}

/// "What happened?" — the results of a call that did not reach her. It replaces
/// the card: her details leave the screen as the claim ends.
fn try_menu(handle: &str, id: RecordId) -> Reply {
    let mut reply = to(handle, vec![Text::new(text::DESK_TRY_WHAT)]);
    reply.keyboard = TryResult::ALL
        .into_iter()
        .map(|result| {
            vec![Button::new(
                result.label(),
                Action::Staff(DeskAction::Tried(id, result)),
            )]
        })
        .collect();
    reply.delivery = Delivery::EditPressed;
    reply
}

/// Duty lapsed after `hours`: its staff member is told.
pub fn duty_lapsed(handle: &str, hours: i64) -> Reply {
    let mut reply = to(
        handle,
        vec![Text::new(text::DESK_DUTY_LAPSED).arg("hours", hours)],
    );
    reply.to = Recipient::Staff(handle.to_string());
    reply
}

/// The shelter's state is a day old: whoever is on duty is reminded.
pub fn shelter_stale() -> Reply {
    let mut reply = to("", vec![Text::new(text::DESK_SHELTER_STALE)]);
    reply.to = Recipient::OnDuty;
    reply.silent = true;
    reply
}

/// A claim is nearly due: keep it, or put it back.
pub fn claim_check(handle: &str, id: RecordId, code: &str) -> Reply {
    let mut reply = to(
        handle,
        vec![Text::new(text::DESK_CLAIM_CHECK).arg("code", code)],
    );
    reply.keyboard = vec![
        vec![Button::new(
            text::DESK_BUTTON_KEEP,
            Action::Staff(DeskAction::Keep(id)),
        )],
        vec![Button::new(
            text::DESK_BUTTON_RELEASE,
            Action::Staff(DeskAction::Release(id)),
        )],
    ];
    reply
}

/// A claim was not kept in time: its holder and the staff chat are told.
pub fn claim_expired(handle: &str, code: &str) -> Vec<Reply> {
    let line = |to_whom| {
        let mut reply = to(
            handle,
            vec![Text::new(text::DESK_CLAIM_EXPIRED).arg("code", code)],
        );
        reply.to = to_whom;
        reply
    };
    vec![
        line(Recipient::Staff(handle.to_string())),
        line(Recipient::StaffChat),
    ]
}

fn to(handle: &str, parts: Vec<Text>) -> Reply {
    Reply {
        parts,
        keyboard: Vec::new(),
        delivery: Delivery::Send,
        to: Recipient::Staff(handle.to_string()),
        silent: false,
        protect: false,
        exposes: false,
        card: None,
    }
}

/// She cancelled or erased a request a specialist holds: tell that specialist
/// at once (the card is deleted with this note).
pub fn withdrawn(handle: &str, code: &str) -> Reply {
    let mut reply = to(
        handle,
        vec![Text::new(text::DESK_WITHDRAWN).arg("code", code)],
    );
    reply.to = Recipient::Staff(handle.to_string());
    reply
}

fn label(id: text::MsgId, value: text::MsgId) -> Text {
    Text::new(id).arg("value", Arg::Msg(value))
}

fn card_reply(handle: &str, card: &Card, now: DateTime<Utc>) -> Reply {
    let mut lines = vec![
        label(text::SUMMARY_TOPIC, card.topic.label()),
        label(text::SUMMARY_URGENCY, card.urgency.label()),
        label(text::SUMMARY_CONTACT, card.contact.label()),
    ];
    if let Some(phone) = &card.phone {
        lines.push(Text::new(text::DESK_CARD_PHONE).arg("phone", phone.as_str()));
        if card.phone_not_own {
            lines.push(Text::new(text::DESK_CARD_PHONE_NOT_OWN));
        }
        if card.same_number {
            lines.push(Text::new(text::DESK_CARD_SAME_NUMBER));
        }
    }
    lines.push(label(text::SUMMARY_SAFE_TIME, card.safe_time.label()));
    if let Some(choice) = card.if_other {
        lines.push(label(text::DESK_CARD_IF_OTHER, choice.label()));
    }
    if let Some(word) = &card.code_word {
        lines.push(Text::new(text::DESK_CARD_CODE_WORD).arg("word", word.as_str()));
    }
    if let Some(description) = &card.description {
        lines.push(Text::new(text::DESK_CARD_DESCRIPTION).arg("text", description.as_str()));
    }
    lines
        .push(Text::new(text::DESK_CARD_WAITED).arg("minutes", (now - card.sent_at).num_minutes()));
    if card.tries > 0 {
        lines.push(Text::new(text::DESK_CARD_TRIES).arg("tries", i64::from(card.tries)));
    }
    let button = |label, action| Button::new(label, Action::Staff(action));
    let mut reply = to(
        handle,
        vec![
            Text::new(text::DESK_CARD_TITLE).arg("code", card.code.as_str()),
            Text::lines(lines),
            Text::new(text::DESK_CARD_CHECKLIST),
        ],
    );
    reply.keyboard = vec![
        vec![button(
            text::DESK_BUTTON_HELPED,
            DeskAction::Close(card.id, Resolution::Helped),
        )],
        vec![button(
            text::DESK_BUTTON_TRIED,
            DeskAction::TriedMenu(card.id),
        )],
        vec![button(
            text::DESK_BUTTON_RELEASE,
            DeskAction::Release(card.id),
        )],
    ];
    // Her number, code word and words: no forwarding, no saving.
    reply.protect = true;
    reply.card = Some(card.id);
    reply
}

#[cfg(test)]
mod tests;
