//! The staff desk as a pure state machine, beside her conversation: a staff
//! member's command or button in, replies to that staff member and effects on the
//! queue out; [`answer`] turns what the effects did into replies. Nothing here
//! knows Telegram, and nothing here sees a Telegram id: staff are handles.

use chrono::{DateTime, Utc};

use crate::conversation::{Action, Button, Command, Delivery, Figures, Input, Recipient, Reply};
use crate::keyring::RecordId;
use crate::outcome::Outcome;
use crate::request::{ContactMethod, IfOtherAnswers, SafeTime, Topic, TryResult, Urgency};
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
    /// Supervisors: reopen a request closed by mistake (the code follows).
    Reopen,
    /// The year's anonymous figures, with a chart (a year may follow).
    Stats,
    /// The year's figures as a CSV file (a year, and `quarter` or `year`, may follow).
    Export,
    /// Go on duty: urgent alerts come to this staff member.
    On,
    /// End duty: one's claims go back to the queue.
    Off,
}

/// A button on a staff member's card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeskAction {
    /// The outcome form, filled in so far (Done on the card opens it empty).
    Form(RecordId, Outcome),
    /// End the claim: closed with this outcome.
    Save(RecordId, Outcome),
    /// Back from the form or the try menu to the card.
    ShowCard(RecordId),
    /// Put the request back in its place.
    Release(RecordId),
    /// Supervisors: put anyone's claim back in its place.
    ReleaseAny(RecordId),
    /// How long to block the sender of this request?
    BlockMenu(RecordId),
    /// Write to her through the bot (a request to be contacted here).
    Write(RecordId),
    /// Block the sender of this request for this many days (1 or 30).
    Block(RecordId, u16),
    /// The call did not reach her: ask what happened.
    TriedMenu(RecordId),
    /// Still working on it: keep the claim.
    Keep(RecordId),
    /// The call did not reach her, for this reason.
    Tried(RecordId, TryResult),
    /// Set the shelter's state.
    SetShelter(ShelterState),
    /// Supervisors: a request cooling down after someone else answered may be
    /// offered again now.
    OfferAgain(RecordId),
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
    /// The holder puts it back.
    Release(RecordId),
    /// The holder closes it with this outcome.
    Close(RecordId, Outcome),
    ShowForm(RecordId, Outcome),
    ShowCard(RecordId),
    /// A supervisor puts anyone's claim back.
    ReleaseAny(RecordId),
    /// Blocks the sender of a request one holds, for days.
    Block(RecordId, u16),
    /// The next text typed is a message to her, about this request.
    Write(RecordId),
    Reopen(String),
    /// Typed text: the handover note, if one was asked for.
    Note(Typed),
    /// The figures of a year (this year if none).
    Stats(Option<i32>),
    Export(Option<i32>, Span),
    ShowShelter,
    SetShelter(ShelterState),
    /// Set the shelter's state from a word typed in any language the bot has.
    SetShelterWord(String),
    DutyOn,
    DutyOff,
    /// Records a call that did not reach her.
    Tried(RecordId, TryResult),
    KeepClaim(RecordId),
    /// A supervisor lets a cooling request be offered again now.
    OfferAgain(RecordId),
    ListClaims,
    Suspend(String),
    Resume(String),
}

/// Which periods an export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// Each quarter, then the year.
    Both,
    Quarters,
    Year,
}

/// Text a staff member typed (it may be about her): `Debug` shows none of it.
#[derive(Clone, PartialEq, Eq)]
pub struct Typed(pub String);

impl std::fmt::Debug for Typed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Typed(..)")
    }
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
    /// Requests not to be called now: their contact window is closed (not
    /// danger now), or they cool down after someone else answered.
    pub later: u64,
}

/// One open claim as a supervisor sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimLine {
    pub id: RecordId,
    /// The holder's display name.
    pub name: String,
    pub code: String,
    pub minutes: i64,
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
    /// Her language, as a language code.
    pub lang: Option<String>,
    /// Her contact window is open now.
    pub window_open: bool,
    /// The handover note of the last try.
    pub note: Option<String>,
    /// What she wrote while nobody held the request.
    pub held: Vec<String>,
    /// Each call that did not reach her, oldest first.
    pub attempts: Vec<TryLine>,
    /// She erased the chat and kept the request: nothing reaches her chat
    /// unless she comes back with its code.
    pub hidden_from_her: bool,
}

/// A call that did not reach her, as the card lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TryLine {
    /// When, on the center's clock (`11:40`, or `05.04 11:40` on another day).
    pub at: String,
    /// Who called (a staff handle).
    pub by: String,
    pub result: TryResult,
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
    /// Requests wait, but it is no time to contact any of them now.
    NothingOpenNow(u64),
    /// The outcome form of a request one holds; `procedure`: the center's
    /// child-protection procedure is configured.
    Form {
        id: RecordId,
        code: String,
        outcome: Outcome,
        procedure: bool,
    },
    /// A supervisor put a claim back.
    ReleasedAny(String),
    Reopened(String),
    ReopenRefused(String),
    NoteSaved(String),
    NoteTooLong(usize),
    /// The next text will go to her, about request `code`.
    WriteAsk(String),
    /// A message to her is longer than allowed.
    WriteTooLong(usize),
    /// A message to her waits in the outbox.
    Posted(String),
    /// A message to her went at once: she is in the conversation.
    SentLive(String),
    /// A message to her waits sealed: she erased the chat and kept the
    /// request, so it reaches her only if she comes back with its code.
    PostedHidden(String),
    /// The sender of request `code` is blocked for `days`.
    Blocked {
        id: RecordId,
        code: String,
        days: u16,
    },
    /// A year's figures.
    Stats(crate::report::Table),
    /// Figures for a file, one table per period.
    Export(Vec<crate::report::Table>),
    /// The desk's help (text typed when no note was asked for).
    Help,
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
    /// Every open claim.
    Claims(Vec<ClaimLine>),
    Suspended {
        handle: String,
        released: usize,
    },
    Resumed(String),
    NoSuchStaff(String),
    /// A try was recorded: the request waits again — not offered before
    /// `until` (on the center's clock) when that is set — or (gave up) it closed.
    TryRecorded {
        code: String,
        tries: u8,
        gave_up: bool,
        until: Option<String>,
    },
    /// `/take` of a request cooling down: its last try, and when it may be
    /// offered again (on the center's clock).
    Cooling {
        code: String,
        last: TryLine,
        until: String,
    },
    /// A supervisor let a cooling request be offered again.
    OfferedAgain(String),
    /// It was not cooling any more (taken, closed, or already let go).
    NotCooling,
}

/// The staff member's input → replies now, and effects to carry out.
pub fn step(handle: &str, supervisor: bool, input: DeskInput) -> (Vec<Reply>, Vec<DeskEffect>) {
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
        DeskInput::Pressed(DeskAction::Form(id, outcome)) => DeskEffect::ShowForm(id, outcome),
        DeskInput::Pressed(DeskAction::Save(id, outcome)) => DeskEffect::Close(id, outcome),
        DeskInput::Pressed(DeskAction::ShowCard(id)) => DeskEffect::ShowCard(id),
        DeskInput::Pressed(DeskAction::Release(id)) => DeskEffect::Release(id),
        DeskInput::Pressed(DeskAction::ReleaseAny(id)) => DeskEffect::ReleaseAny(id),
        DeskInput::Pressed(DeskAction::BlockMenu(id)) => {
            return (vec![block_menu(handle, id)], Vec::new());
        }
        DeskInput::Pressed(DeskAction::Block(id, days)) => DeskEffect::Block(id, days),
        DeskInput::Pressed(DeskAction::Write(id)) => DeskEffect::Write(id),
        DeskInput::Command(DeskCommand::Reopen, code) if crate::request::looks_like_code(&code) => {
            DeskEffect::Reopen(code.trim().to_uppercase())
        }
        DeskInput::Command(DeskCommand::Reopen, _) => {
            return (
                vec![to(handle, vec![Text::new(text::DESK_REOPEN_USAGE)])],
                Vec::new(),
            );
        }
        DeskInput::Text(text) => DeskEffect::Note(Typed(text)),
        DeskInput::Command(command @ (DeskCommand::Stats | DeskCommand::Export), words) => {
            match figures_asked(command, &words) {
                Some(effect) => effect,
                None => {
                    return (
                        vec![to(handle, vec![Text::new(text::REPORT_USAGE)])],
                        Vec::new(),
                    )
                }
            }
        }
        DeskInput::Pressed(DeskAction::TriedMenu(id)) => {
            return (vec![try_menu(handle, id)], Vec::new());
        }
        DeskInput::Pressed(DeskAction::Tried(id, result)) => DeskEffect::Tried(id, result),
        DeskInput::Pressed(DeskAction::Keep(id)) => DeskEffect::KeepClaim(id),
        DeskInput::Pressed(DeskAction::OfferAgain(id)) => DeskEffect::OfferAgain(id),
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
        DeskInput::Command(DeskCommand::Help, _) | DeskInput::Other => {
            return (vec![help(handle, supervisor)], Vec::new());
        }
    };
    (Vec::new(), vec![effect])
}

/// `/stats [YEAR]`, `/export [YEAR] [quarter|year]`; `None` when it cannot be read.
fn figures_asked(command: DeskCommand, words: &str) -> Option<DeskEffect> {
    let mut year = None;
    let mut span = Span::Both;
    for word in words.split_whitespace() {
        match word.to_lowercase().as_str() {
            "quarter" | "quarters" if command == DeskCommand::Export => span = Span::Quarters,
            "year" if command == DeskCommand::Export => span = Span::Year,
            number => {
                let y: i32 = number.parse().ok()?;
                if !(2000..=2100).contains(&y) || year.is_some() {
                    return None;
                }
                year = Some(y);
            }
        }
    }
    Some(match command {
        DeskCommand::Stats => DeskEffect::Stats(year),
        _ => DeskEffect::Export(year, span),
    })
}

/// The desk's commands; supervisors also see theirs.
fn help(handle: &str, supervisor: bool) -> Reply {
    let mut parts = vec![Text::new(text::DESK_HELP)];
    if supervisor {
        parts.push(Text::new(text::DESK_HELP_SUPERVISOR));
    }
    to(handle, parts)
}

/// Replaces the pressed message with a new one: the card (or what it became)
/// is deleted as the claim ends, and this line is sent instead.
fn replacing_the_card(mut reply: Reply) -> Reply {
    reply.delivery = Delivery::ReplacePressed;
    reply
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
            if c.later > 0 {
                lines.push(Text::new(text::DESK_QUEUE_LATER).arg("count", c.later as i64));
            }
            lines.push(if c.on_duty.is_empty() {
                Text::new(text::DESK_QUEUE_NOBODY_ON_DUTY)
            } else {
                Text::new(text::DESK_QUEUE_ON_DUTY).arg("names", c.on_duty.join(", "))
            });
            to(handle, vec![Text::lines(lines)])
        }
        DeskEvent::NothingWaiting => to(handle, vec![Text::new(text::DESK_NOTHING)]),
        DeskEvent::NothingOpenNow(count) => to(
            handle,
            vec![Text::new(text::DESK_NOTHING_OPEN).arg("count", *count as i64)],
        ),
        DeskEvent::Form {
            id,
            code,
            outcome,
            procedure,
        } => form::form(handle, *id, code, *outcome, *procedure),
        DeskEvent::ReleasedAny(code) => to(
            handle,
            vec![Text::new(text::DESK_RELEASED).arg("code", code.as_str())],
        ),
        DeskEvent::Reopened(code) => to(
            handle,
            vec![Text::new(text::DESK_REOPENED).arg("code", code.as_str())],
        ),
        DeskEvent::ReopenRefused(code) => to(
            handle,
            vec![Text::new(text::DESK_REOPEN_NONE).arg("code", code.as_str())],
        ),
        DeskEvent::NoteSaved(code) => to(
            handle,
            vec![Text::new(text::DESK_NOTE_SAVED).arg("code", code.as_str())],
        ),
        DeskEvent::NoteTooLong(max) => to(
            handle,
            vec![Text::new(text::DESK_NOTE_TOO_LONG).arg("max", *max as i64)],
        ),
        DeskEvent::Help => help(handle, false),
        DeskEvent::WriteAsk(code) => to(
            handle,
            vec![Text::new(text::DESK_WRITE_ASK)
                .arg("code", code.as_str())
                .arg("max", LETTER_MAX_CHARS as i64)],
        ),
        DeskEvent::WriteTooLong(max) => to(
            handle,
            vec![Text::new(text::DESK_WRITE_TOO_LONG).arg("max", *max as i64)],
        ),
        DeskEvent::SentLive(code) => to(
            handle,
            vec![Text::new(text::DESK_SENT_LIVE).arg("code", code.as_str())],
        ),
        DeskEvent::Posted(code) => to(
            handle,
            vec![Text::new(text::DESK_WRITE_POSTED).arg("code", code.as_str())],
        ),
        DeskEvent::PostedHidden(code) => to(
            handle,
            vec![Text::new(text::DESK_WRITE_HIDDEN).arg("code", code.as_str())],
        ),
        DeskEvent::Cooling { code, last, until } => to(
            handle,
            vec![Text::new(text::DESK_TAKE_COOLING)
                .arg("code", code.as_str())
                .arg("at", last.at.as_str())
                .arg("by", last.by.as_str())
                .arg("result", Arg::Msg(last.result.label()))
                .arg("until", until.as_str())],
        ),
        DeskEvent::OfferedAgain(code) => {
            let mut reply = to(
                handle,
                vec![Text::new(text::DESK_OFFERED_AGAIN).arg("code", code.as_str())],
            );
            reply.delivery = Delivery::EditPressed;
            reply
        }
        DeskEvent::NotCooling => {
            let mut reply = to(handle, vec![Text::new(text::DESK_NOT_COOLING)]);
            reply.delivery = Delivery::EditPressed;
            reply
        }
        DeskEvent::Blocked { id, code, days } => {
            let mut reply = to(
                handle,
                vec![Text::new(text::DESK_BLOCKED)
                    .arg("code", code.as_str())
                    .arg("days", i64::from(*days))],
            );
            reply.keyboard = vec![vec![Button::new(
                text::DESK_BUTTON_CARD,
                Action::Staff(DeskAction::ShowCard(*id)),
            )]];
            reply.delivery = Delivery::EditPressed;
            reply
        }
        DeskEvent::Stats(table) => {
            let period = table.period.name();
            let mut lines = to(
                handle,
                vec![Text::new(text::REPORT_TITLE).arg("period", period.as_str())],
            );
            lines.figures = Some(Figures::Lines(table.clone()));
            let mut chart = to(
                handle,
                vec![Text::new(text::REPORT_CHART_TITLE).arg("period", period.as_str())],
            );
            chart.figures = Some(Figures::Chart(table.clone()));
            return vec![lines, chart];
        }
        DeskEvent::Export(tables) => {
            let period = tables.last().map(|t| t.period.name()).unwrap_or_default();
            let mut file = to(
                handle,
                vec![Text::new(text::REPORT_EXPORT_CAPTION).arg("period", period.as_str())],
            );
            file.figures = Some(Figures::Csv(tables.clone()));
            file
        }
        DeskEvent::Claimed(card) => card_reply(handle, card, now),
        DeskEvent::Mine(codes) if codes.is_empty() => {
            to(handle, vec![Text::new(text::DESK_MINE_NONE)])
        }
        DeskEvent::Mine(codes) => to(
            handle,
            vec![Text::new(text::DESK_MINE).arg("codes", codes.join(", "))],
        ),
        DeskEvent::Finished { code, closed } => replacing_the_card(to(
            handle,
            vec![Text::new(if *closed {
                text::DESK_CLOSED
            } else {
                text::DESK_RELEASED
            })
            .arg("code", code.as_str())],
        )),
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
                .map(|claim| {
                    Text::new(text::DESK_CLAIMS_LINE)
                        .arg("name", claim.name.as_str())
                        .arg("code", claim.code.as_str())
                        .arg("minutes", claim.minutes)
                })
                .collect();
            let mut reply = to(
                handle,
                vec![Text::new(text::DESK_CLAIMS_TITLE), Text::lines(lines)],
            );
            // Only supervisors see this list; each claim can be put back.
            reply.keyboard = claims
                .iter()
                .map(|claim| {
                    vec![Button::new(
                        Text::new(text::DESK_BUTTON_RELEASE_CODE).arg("code", claim.code.as_str()),
                        Action::Staff(DeskAction::ReleaseAny(claim.id)),
                    )]
                })
                .collect();
            reply
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
            until,
        } => {
            let id = if *gave_up {
                text::DESK_TRY_GAVE_UP
            } else {
                text::DESK_TRY_RECORDED
            };
            let mut parts = vec![Text::new(id)
                .arg("code", code.as_str())
                .arg("tries", i64::from(*tries))];
            if let Some(until) = until {
                parts.push(Text::new(text::DESK_TRY_COOLING).arg("until", until.as_str()));
            }
            if !gave_up {
                parts.push(Text::new(text::DESK_NOTE_ASK));
            }
            replacing_the_card(to(handle, parts))
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
        notices.push(urgent_alert(code));
    }
    notices.push(line);
    notices
}

/// A danger-now request waits to be taken: whoever is on duty is alerted, with sound.
pub fn urgent_alert(code: &str) -> Reply {
    let mut alert = to(
        "",
        vec![Text::new(text::DESK_URGENT_ALERT).arg("code", code)],
    );
    alert.to = Recipient::OnDuty;
    alert
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
    reply.keyboard.push(vec![Button::new(
        text::DESK_BUTTON_CARD,
        Action::Staff(DeskAction::ShowCard(id)),
    )]);
    reply.delivery = Delivery::EditPressed;
    reply
}

/// What she wrote to the specialist who holds request `code`: protected, with
/// a button to answer; deleted with the card when the claim ends.
pub fn her_words(handle: &str, id: RecordId, code: &str, words: &str) -> Reply {
    let mut reply = to(
        handle,
        vec![Text::new(text::DESK_HER_WORDS)
            .arg("code", code)
            .arg("text", words)],
    );
    reply.keyboard = vec![vec![Button::new(
        text::DESK_BUTTON_WRITE,
        Action::Staff(DeskAction::Write(id)),
    )]];
    reply.protect = true;
    reply.relayed = Some(id);
    reply
}

/// The bot restarted after a crash.
pub fn restarted() -> Reply {
    let mut reply = to("", vec![Text::new(text::DESK_RESTARTED)]);
    reply.to = Recipient::StaffChat;
    reply
}

/// What the writer of a letter is told as it goes: delivered (as a knock),
/// opened by her, or undeliverable.
pub fn letter_news(handle: &str, code: &str, news: LetterNews) -> Reply {
    let id = match news {
        LetterNews::Delivered => text::DESK_LETTER_DELIVERED,
        LetterNews::Opened => text::DESK_LETTER_OPENED,
        LetterNews::Undeliverable => text::DESK_LETTER_UNDELIVERABLE,
    };
    let mut reply = to(handle, vec![Text::new(id).arg("code", code)]);
    reply.silent = news != LetterNews::Undeliverable;
    reply
}

/// What became of a letter to her.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetterNews {
    Delivered,
    Opened,
    Undeliverable,
}

/// For how long to block the sender of request `id`: the card turns into this.
fn block_menu(handle: &str, id: RecordId) -> Reply {
    let mut reply = to(handle, vec![Text::new(text::DESK_BLOCK_ASK)]);
    reply.keyboard = vec![
        vec![Button::new(
            text::DESK_BUTTON_BLOCK_DAY,
            Action::Staff(DeskAction::Block(id, 1)),
        )],
        vec![Button::new(
            text::DESK_BUTTON_BLOCK_MONTH,
            Action::Staff(DeskAction::Block(id, 30)),
        )],
        vec![Button::new(
            text::DESK_BUTTON_CARD,
            Action::Staff(DeskAction::ShowCard(id)),
        )],
    ];
    reply.delivery = Delivery::EditPressed;
    reply
}

/// A supervisor put back a claim `handle` held: that staff member is told
/// (the card is deleted with this note).
pub fn released_by_supervisor(handle: &str, code: &str) -> Reply {
    to(
        handle,
        vec![Text::new(text::DESK_RELEASED_BY_SUPERVISOR).arg("code", code)],
    )
}

/// A request was closed with a child at risk: supervisors are told at once
/// (who marked it, and the center's procedure when it is configured).
pub fn child_at_risk(code: &str, name: &str, procedure: bool) -> Reply {
    let id = if procedure {
        text::DESK_CHILD_AT_RISK
    } else {
        text::DESK_CHILD_AT_RISK_NO_PROCEDURE
    };
    let mut reply = to("", vec![Text::new(id).arg("code", code).arg("name", name)]);
    reply.to = Recipient::Supervisors;
    reply
}

/// Someone else answered the call to a *danger now* request: the supervisors
/// are told at once; it is not offered again before `until` unless one of
/// them lets it go sooner.
pub fn someone_else_answered(id: RecordId, code: &str, last: &TryLine, until: &str) -> Reply {
    let mut reply = to(
        "",
        vec![Text::new(text::DESK_OTHER_ANSWERED_ALERT)
            .arg("code", code)
            .arg("at", last.at.as_str())
            .arg("by", last.by.as_str())
            .arg("until", until)],
    );
    reply.keyboard = vec![vec![Button::new(
        text::DESK_BUTTON_OFFER_AGAIN,
        Action::Staff(DeskAction::OfferAgain(id)),
    )]];
    reply.to = Recipient::Supervisors;
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
        relayed: None,
        figures: None,
        expires: false,
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
    let mut lines = Vec::new();
    if card.hidden_from_her {
        lines.push(Text::new(text::DESK_CARD_HIDDEN));
    }
    lines.extend([
        label(text::SUMMARY_TOPIC, card.topic.label()),
        label(text::SUMMARY_URGENCY, card.urgency.label()),
    ]);
    if let Some(lang) = &card.lang {
        // Her language's name, as that language writes it.
        lines.push(
            Text::new(text::DESK_CARD_LANGUAGE)
                .arg("language", Arg::MsgIn(text::LANGUAGE_NAME, lang.clone())),
        );
    }
    lines.push(label(text::SUMMARY_CONTACT, card.contact.label()));
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
    lines.push(Text::new(if card.window_open {
        text::DESK_CARD_WINDOW_OPEN
    } else {
        text::DESK_CARD_WINDOW_LATER
    }));
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
    lines.extend(card.attempts.iter().map(|t| {
        Text::new(text::DESK_CARD_TRY)
            .arg("at", t.at.as_str())
            .arg("by", t.by.as_str())
            .arg("result", Arg::Msg(t.result.label()))
    }));
    if let Some(note) = &card.note {
        lines.push(Text::new(text::DESK_CARD_NOTE).arg("text", note.as_str()));
    }
    for words in &card.held {
        lines.push(Text::new(text::DESK_CARD_HELD).arg("text", words.as_str()));
    }
    let button = |label, action| Button::new(label, Action::Staff(action));
    let mut parts = Vec::new();
    // Whoever calls next reads this first: a man may hold her phone.
    let other = card
        .attempts
        .iter()
        .rfind(|t| t.result == TryResult::SomeoneElseAnswered);
    if let Some(other) = other {
        parts.push(
            Text::new(text::DESK_CARD_OTHER_ANSWERED)
                .arg("at", other.at.as_str())
                .arg("by", other.by.as_str()),
        );
    }
    parts.extend([
        Text::new(text::DESK_CARD_TITLE).arg("code", card.code.as_str()),
        Text::lines(lines),
        Text::new(text::DESK_CARD_CHECKLIST),
    ]);
    let mut reply = to(handle, parts);
    reply.keyboard = vec![
        vec![button(
            text::DESK_BUTTON_HELPED,
            DeskAction::Form(card.id, Outcome::default()),
        )],
        vec![button(
            text::DESK_BUTTON_TRIED,
            DeskAction::TriedMenu(card.id),
        )],
        vec![button(
            text::DESK_BUTTON_RELEASE,
            DeskAction::Release(card.id),
        )],
        vec![button(
            text::DESK_BUTTON_BLOCK,
            DeskAction::BlockMenu(card.id),
        )],
    ];
    if card.contact == ContactMethod::Telegram {
        reply.keyboard.insert(
            0,
            vec![button(text::DESK_BUTTON_WRITE, DeskAction::Write(card.id))],
        );
    }
    // Her number, code word and words: no forwarding, no saving.
    reply.protect = true;
    reply.card = Some(card.id);
    reply
}

mod form;
mod state;
#[cfg(test)]
mod tests;

pub use state::{
    gate, Awaited, DeskState, TextFor, CLAIMS_PER_MINUTE, LETTER_MAX_CHARS, NOTE_MAX_CHARS,
};
