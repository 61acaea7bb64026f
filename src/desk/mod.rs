//! The staff desk as a pure state machine, beside her conversation: a staff
//! member's command or button in, replies to that staff member and effects on the
//! queue out; [`answer`] turns what the effects did into replies. Nothing here
//! knows Telegram, and nothing here sees a Telegram id: staff are handles.

use chrono::{DateTime, Utc};

use crate::conversation::{Command, Input};
pub use crate::reply::{Delivery, Figures, Recipient};

/// A reply to a staff member: its buttons carry the desk's actions.
pub type Reply = crate::reply::Reply<DeskAction>;
/// A button on a staff member's screen.
pub type Button = crate::reply::Button<DeskAction>;
use crate::domain::ids::{RecordId, StaffHandle};
use crate::domain::outcome::Outcome;
use crate::domain::request::{
    ContactMethod, IfOtherAnswers, SafeTime, TicketCode, Topic, TryResult, Urgency,
};
use crate::domain::shelter::{ShelterState, ShelterStatus};
use crate::i18n::text::{self, Arg, MsgId, Text};
pub use own::{Asker, AuditLine, OwnCommand, Port, PortError};

/// Who may use a command: the desk's rule, which the command table and the
/// supervisor gate read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Anyone writing to the bot.
    Anyone,
    /// Staff, in a private chat with the bot.
    Staff,
    /// Supervisors (also staff).
    Supervisor,
}

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
    /// A command in a file of its own (see `own`).
    Own(&'static dyn OwnCommand),
    /// The language the desk speaks to this staff member (`/language`).
    Language,
    /// Supervisors: give a request to a staff member (code and handle follow).
    Assign,
}

impl DeskCommand {
    /// Who may use it.
    pub fn role(self) -> Role {
        match self {
            DeskCommand::Help
            | DeskCommand::Queue
            | DeskCommand::Next
            | DeskCommand::Mine
            | DeskCommand::Shelter
            | DeskCommand::Take
            | DeskCommand::On
            | DeskCommand::Off
            | DeskCommand::Language => Role::Staff,
            DeskCommand::Stats
            | DeskCommand::Export
            | DeskCommand::Claims
            | DeskCommand::Suspend
            | DeskCommand::Resume
            | DeskCommand::Reopen
            | DeskCommand::Assign => Role::Supervisor,
            DeskCommand::Own(command) => command.role(),
        }
    }
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
    /// Supervisors: how long to block the sender of any request (held by
    /// anyone or nobody, cancelled ones too, while it is kept)?
    BlockSenderMenu(RecordId),
    /// Supervisors: block the sender of any request for this many days.
    BlockSender(RecordId, u16),
    /// The desk speaks this language (an index into the bot's languages).
    Language(u8),
    /// Take this waiting request (a button on `/queue`).
    Take(RecordId),
    /// Leave a note on this request's card (the next text typed).
    NoteAsk(RecordId),
    /// The whole of her conversation on this request, in a message of its own.
    Thread(RecordId),
    /// `/queue` from this place on (its *more* button).
    QueueFrom(u16),
    /// Going off duty: this request back to the queue without a handover
    /// note; `handed` already went back in this `/off`.
    OffSkip(RecordId, u16),
    /// Going off duty: every request still held back without notes.
    OffAll(u16),
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
    /// A supervisor's command from a staff member who is not one.
    SupervisorsOnly,
}

impl std::fmt::Debug for DeskInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DeskInput::Command(c, _) => write!(f, "Command({c:?}, ..)"),
            DeskInput::Pressed(a) => write!(f, "Pressed({a:?})"),
            DeskInput::Text(_) => f.write_str("Text(..)"),
            DeskInput::Other => f.write_str("Other"),
            DeskInput::SupervisorsOnly => f.write_str("SupervisorsOnly"),
        }
    }
}

impl DeskInput {
    /// What a staff member's message or button means to the desk: a staff
    /// command (read from the one command table by the shell), a staff button
    /// (`pressed`, decoded by the shell), /start and /help as the desk's help,
    /// typed text; anything else is other.
    pub fn read(
        command: Option<(DeskCommand, &str)>,
        pressed: Option<DeskAction>,
        input: &Input,
    ) -> DeskInput {
        if let Some(action) = pressed.filter(|_| command.is_none()) {
            return DeskInput::Pressed(action);
        }
        match (command, input) {
            (Some((command, argument)), _) => DeskInput::Command(command, argument.to_string()),
            (None, Input::Command(Command::Start | Command::Help)) => {
                DeskInput::Command(DeskCommand::Help, String::new())
            }
            (None, Input::Command(Command::Language)) => {
                DeskInput::Command(DeskCommand::Language, String::new())
            }
            (None, Input::Text(text)) => DeskInput::Text(text.clone()),
            _ => DeskInput::Other,
        }
    }
}

/// What the app must do for the desk.
#[derive(Debug, Clone, PartialEq)]
pub enum DeskEffect {
    /// The queue's counts, and its list from this place.
    ShowQueue(u16),
    /// Take the waiting request with this id (a `/queue` button).
    ClaimId(RecordId),
    ClaimNext,
    ClaimCode(TicketCode),
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
    Reopen(TicketCode),
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
    /// `/off`, or its next step: `handed` requests went back in it so far;
    /// `skip`: this one goes back without a note; `all`: every one does.
    DutyOff {
        handed: u16,
        skip: Option<RecordId>,
        all: bool,
    },
    /// Records a call that did not reach her.
    Tried(RecordId, TryResult),
    KeepClaim(RecordId),
    /// A supervisor lets a cooling request be offered again now.
    OfferAgain(RecordId),
    /// A supervisor blocks the sender of any request, for days.
    BlockSender(RecordId, u16),
    /// A command in a file of its own, with what followed it.
    Own(&'static dyn OwnCommand, Typed),
    ListClaims,
    Suspend(StaffHandle),
    Resume(StaffHandle),
    /// The languages the desk can speak, to choose from.
    ShowLanguages,
    /// The desk speaks this language (an index into the bot's languages).
    SetLanguage(u8),
    /// A supervisor gives this request to this staff member.
    Assign(TicketCode, StaffHandle),
    /// The next text typed is a note on this request's card.
    AskNote(RecordId),
    /// The whole of her conversation on this request.
    ShowThread(RecordId),
}

/// A step of going off duty (`/off`): `handed` requests went back so far;
/// `skip`: this one goes back now (its note written or declined); `all`:
/// every one still held goes back without a note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Handover {
    pub handed: u16,
    pub skip: Option<RecordId>,
    pub all: bool,
}

/// A shift's work, counted from the audit log when its member goes off
/// duty: posted to the staff chat (counts only, nothing of her).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ShiftFigures {
    /// Requests taken (`/next`, `/take`, or given by a supervisor).
    pub taken: u64,
    /// Closed with the outcome form.
    pub closed: u64,
    /// Calls that did not reach her.
    pub tries: u64,
    /// *Danger now* requests closed or tried.
    pub urgent: u64,
    /// Requests waiting in the queue as the shift ends.
    pub waiting: u64,
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

/// What came of a desk effect.
#[derive(Debug, Clone, PartialEq)]
pub enum DeskEvent {
    Queue(Box<QueueCounts>),
    Claimed(Box<Card>),
    NothingWaiting,
    /// Requests wait, but it is no time to contact any of them now.
    NothingOpenNow(u64),
    /// The outcome form of a request one holds; `procedure`: the center's
    /// child-protection procedure is configured.
    Form {
        id: RecordId,
        code: TicketCode,
        outcome: Outcome,
        procedure: bool,
        /// The labels of the center's own categories, in configured order.
        center: Vec<MsgId>,
    },
    /// A supervisor put a claim back.
    ReleasedAny(TicketCode),
    Reopened(TicketCode),
    ReopenRefused(TicketCode),
    NoteSaved(TicketCode),
    NoteTooLong(usize),
    /// The next text will go to her, about request `code`.
    /// `live`: she is in the conversation now, and sees it at once.
    WriteAsk {
        code: TicketCode,
        live: bool,
    },
    /// A message to her is longer than allowed.
    WriteTooLong(usize),
    /// A message to her waits in the outbox.
    Posted(TicketCode),
    /// A message to her went at once: she is in the conversation.
    SentLive(TicketCode),
    /// A message to her waits sealed: she erased the chat and kept the
    /// request, so it reaches her only if she comes back with its code.
    PostedHidden(TicketCode),
    /// The sender of request `code` is blocked for `days`.
    Blocked {
        id: RecordId,
        code: TicketCode,
        days: u16,
    },
    /// A year's figures.
    Stats(crate::domain::report::Table),
    /// No quarter of this year is over yet: nothing may be published.
    NoFiguresYet(i32),
    /// Figures for a file, one table per period.
    Export(Vec<crate::domain::report::Table>),
    /// The desk's help (text typed when no note was asked for).
    Help,
    /// The requests one holds: id and code.
    Mine(Vec<(RecordId, TicketCode)>),
    /// A *danger now* or *child at risk* request closed: said, then one
    /// private line of care naming these supervisors.
    ClosedHard {
        code: TicketCode,
        supervisors: Vec<String>,
    },
    Finished {
        code: TicketCode,
        closed: bool,
    },
    NotYours,
    Shelter(Option<ShelterStatus>),
    ShelterSet(ShelterState),
    OnDuty,
    /// Off duty: `released` requests went back to the queue; the shift's
    /// figures, when there was a shift (`/on`).
    OffDuty {
        released: usize,
        shift: Option<ShiftFigures>,
    },
    /// Going off duty: a handover note for request `code`, still held;
    /// `left` more after it; `handed` went back already.
    OffNoteAsk {
        id: RecordId,
        code: TicketCode,
        left: usize,
        handed: u16,
    },
    /// No waiting request has that code.
    NoSuchCode(TicketCode),
    /// Holding as many claims as allowed.
    AtCap(usize),
    /// Claiming faster than allowed.
    TooFast,
    /// The claim stays with its holder.
    Kept(TicketCode),
    /// Every open claim.
    Claims(Vec<ClaimLine>),
    Suspended {
        handle: StaffHandle,
        released: usize,
    },
    Resumed(StaffHandle),
    NoSuchStaff(StaffHandle),
    /// `/take` of a request a restore holds: from a backup of `date`.
    HeldRestored {
        code: TicketCode,
        date: String,
    },
    /// A supervisor released a request a restore held.
    RestoredReleased(TicketCode),
    /// A supervisor blocked the sender of request `code`.
    SenderBlocked {
        code: TicketCode,
        days: u16,
    },
    /// `/suspend` of oneself: refused.
    SuspendSelf,
    /// A supervisor's suspension waits for a second supervisor.
    SuspendAsked(StaffHandle),
    /// A supervisor's suspension with no second supervisor: the operator's.
    SuspendNeedsOperator(StaffHandle),
    /// `/resume` of someone disabled in the configuration: the operator's.
    ResumeDisabled(StaffHandle),
    /// A try was recorded: the request waits again — not offered before
    /// `until` (on the center's clock) when that is set — or (gave up) it closed.
    TryRecorded {
        code: TicketCode,
        tries: u8,
        gave_up: bool,
        until: Option<String>,
    },
    /// `/take` of a request cooling down: its last try, and when it may be
    /// offered again (on the center's clock).
    Cooling {
        code: TicketCode,
        last: TryLine,
        until: String,
    },
    /// A supervisor let a cooling request be offered again.
    OfferedAgain(TicketCode),
    /// It was not cooling any more (taken, closed, or already let go).
    NotCooling,
    /// The bot's languages (codes), to choose the desk's from.
    Languages(Vec<String>),
    /// The desk speaks the chosen language from now on.
    LanguageSet,
    /// The next text typed becomes a note on this request's card.
    NoteAsk(TicketCode),
    /// Her whole conversation went to the holder's chat (a message of its
    /// own, deleted with the card): nothing more to say.
    ThreadShown,
    /// `/assign`: the request is the staff member's now (their name).
    Assigned {
        code: TicketCode,
        name: String,
    },
    /// `/assign` refused, and why.
    AssignRefused(AssignRefusal),
}

/// Why a supervisor's `/assign` was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssignRefusal {
    NotStaff(StaffHandle),
    Suspended(StaffHandle),
    /// They hold `max_claims` already.
    AtCap(StaffHandle, u32),
    /// Not waiting and not claimed (closed, cooling, held after a restore).
    NotOpen(TicketCode),
}

/// The staff member's input → replies now, and effects to carry out.
pub fn step(handle: &str, supervisor: bool, input: DeskInput) -> (Vec<Reply>, Vec<DeskEffect>) {
    let said = |id| to(handle, vec![Text::new(id)]);
    let effect = match input {
        DeskInput::Command(DeskCommand::Help, _) | DeskInput::Other => {
            Err(help(handle, supervisor))
        }
        DeskInput::SupervisorsOnly => Err(said(text::DESK_SUPERVISORS_ONLY)),
        DeskInput::Text(text) => Ok(DeskEffect::Note(Typed(text))),
        DeskInput::Pressed(action) => pressed(handle, action).map_err(|menu| *menu),
        DeskInput::Command(command, argument) => commanded(command, argument).map_err(said),
    };
    match effect {
        Ok(effect) => (Vec::new(), vec![effect]),
        Err(reply) => (vec![reply], Vec::new()),
    }
}

/// A command → its effect, or the line to say instead (its usage; the help
/// is answered before).
fn commanded(command: DeskCommand, argument: String) -> Result<DeskEffect, text::MsgId> {
    let code = |usage| {
        if crate::domain::request::looks_like_code(&argument) {
            Ok(TicketCode::from(argument.trim().to_uppercase()))
        } else {
            Err(usage)
        }
    };
    Ok(match command {
        DeskCommand::Queue => DeskEffect::ShowQueue(0),
        DeskCommand::Next => DeskEffect::ClaimNext,
        DeskCommand::Take => DeskEffect::ClaimCode(code(text::DESK_TAKE_USAGE)?),
        DeskCommand::Reopen => DeskEffect::Reopen(code(text::DESK_REOPEN_USAGE)?),
        DeskCommand::Mine => DeskEffect::ListMine,
        DeskCommand::Stats | DeskCommand::Export => {
            figures_asked(command, &argument).ok_or(text::REPORT_USAGE)?
        }
        DeskCommand::Claims => DeskEffect::ListClaims,
        DeskCommand::Suspend => DeskEffect::Suspend(argument.trim().to_lowercase().into()),
        DeskCommand::Resume => DeskEffect::Resume(argument.trim().to_lowercase().into()),
        DeskCommand::Shelter if argument.trim().is_empty() => DeskEffect::ShowShelter,
        DeskCommand::Shelter => DeskEffect::SetShelterWord(argument),
        DeskCommand::Own(command) => DeskEffect::Own(command, Typed(argument)),
        DeskCommand::On => DeskEffect::DutyOn,
        DeskCommand::Off => DeskEffect::DutyOff {
            handed: 0,
            skip: None,
            all: false,
        },
        DeskCommand::Language => DeskEffect::ShowLanguages,
        DeskCommand::Assign => {
            let mut words = argument.split_whitespace();
            match (words.next(), words.next(), words.next()) {
                (Some(code), Some(handle), None)
                    if crate::domain::request::looks_like_code(code) =>
                {
                    DeskEffect::Assign(
                        TicketCode::from(code.to_uppercase()),
                        handle.to_lowercase().into(),
                    )
                }
                _ => return Err(text::DESK_ASSIGN_USAGE),
            }
        }
        DeskCommand::Help => return Err(text::DESK_HELP),
    })
}

/// A button → its effect, or the menu it opens.
fn pressed(handle: &str, action: DeskAction) -> Result<DeskEffect, Box<Reply>> {
    Ok(match action {
        DeskAction::Form(id, outcome) => DeskEffect::ShowForm(id, outcome),
        DeskAction::Save(id, outcome) => DeskEffect::Close(id, outcome),
        DeskAction::ShowCard(id) => DeskEffect::ShowCard(id),
        DeskAction::Release(id) => DeskEffect::Release(id),
        DeskAction::ReleaseAny(id) => DeskEffect::ReleaseAny(id),
        DeskAction::BlockMenu(id) => return Err(Box::new(block_menu(handle, id))),
        DeskAction::Block(id, days) => DeskEffect::Block(id, days),
        DeskAction::BlockSenderMenu(id) => return Err(Box::new(sender_block_menu(handle, id))),
        DeskAction::BlockSender(id, days) => DeskEffect::BlockSender(id, days),
        DeskAction::Write(id) => DeskEffect::Write(id),
        DeskAction::TriedMenu(id) => return Err(Box::new(try_menu(handle, id))),
        DeskAction::Tried(id, result) => DeskEffect::Tried(id, result),
        DeskAction::Keep(id) => DeskEffect::KeepClaim(id),
        DeskAction::OfferAgain(id) => DeskEffect::OfferAgain(id),
        DeskAction::SetShelter(state) => DeskEffect::SetShelter(state),
        DeskAction::Language(n) => DeskEffect::SetLanguage(n),
        DeskAction::Take(id) => DeskEffect::ClaimId(id),
        DeskAction::NoteAsk(id) => DeskEffect::AskNote(id),
        DeskAction::Thread(id) => DeskEffect::ShowThread(id),
        DeskAction::QueueFrom(from) => DeskEffect::ShowQueue(from),
        DeskAction::OffSkip(id, handed) => DeskEffect::DutyOff {
            handed,
            skip: Some(id),
            all: false,
        },
        DeskAction::OffAll(handed) => DeskEffect::DutyOff {
            handed,
            skip: None,
            all: true,
        },
    })
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

fn to(handle: &str, parts: Vec<Text>) -> Reply {
    let mut reply = Reply::new(parts, Vec::new());
    reply.to = Recipient::Staff(handle.into());
    reply
}

mod alarms;
mod answers;
mod card;
pub use card::thread_message;
mod views;
pub use views::*;
mod form;
mod notices;
pub mod own;
mod state;
#[cfg(test)]
mod tests;

pub use alarms::{Alarm, Alarms, SOUNDS_PER_DAY, SOUND_EVERY};
pub use answers::answer;
use card::{block_menu, sender_block_menu, try_menu};
pub use notices::*;
pub use state::{
    gate, Awaited, DeskState, Suspension, TextFor, CLAIMS_PER_MINUTE, LETTER_MAX_CHARS,
    NOTE_MAX_CHARS, SUSPENSION_CONFIRM,
};
