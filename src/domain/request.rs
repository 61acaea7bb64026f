//! A callback request: the plain values shared by the conversation, the queue and
//! (later) the staff desk. A stored request keeps in clear only what the queue and
//! claims need; everything she chose or typed is in [`Details`], always sealed
//! under the request's own data key.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use crate::domain::ids::{StaffHandle, TicketCode};

use crate::crypto::Sealed;
use crate::domain::ids::RecordId;
use crate::domain::phone::Phone;
use crate::i18n::text;

mod resolution;
mod said;
pub use resolution::Resolution;
pub use said::{CardNote, Said, CARD_NOTES, THREAD_CHARS, THREAD_MESSAGES};

/// What the center helps with; also the topic of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Topic {
    Legal,
    Documents,
    Psychological,
    Support,
    Shelter,
    /// Something else, or she is not sure: only as a request's topic.
    Other,
}

impl Topic {
    /// The help topics, in menu order.
    pub const ALL: [Topic; 5] = [
        Topic::Legal,
        Topic::Documents,
        Topic::Psychological,
        Topic::Support,
        Topic::Shelter,
    ];
    /// What a request can be about.
    pub const REQUESTABLE: [Topic; 6] = [
        Topic::Legal,
        Topic::Documents,
        Topic::Psychological,
        Topic::Support,
        Topic::Shelter,
        Topic::Other,
    ];

    pub fn tag(self) -> &'static str {
        match self {
            Topic::Legal => "legal",
            Topic::Documents => "docs",
            Topic::Psychological => "psy",
            Topic::Support => "support",
            Topic::Shelter => "shelter",
            Topic::Other => "other",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Topic> {
        Topic::REQUESTABLE.into_iter().find(|t| t.tag() == tag)
    }

    /// Its button label.
    pub fn label(self) -> text::MsgId {
        match self {
            Topic::Legal => text::TOPIC_LEGAL,
            Topic::Documents => text::TOPIC_DOCUMENTS,
            Topic::Psychological => text::TOPIC_PSYCHOLOGICAL,
            Topic::Support => text::TOPIC_SUPPORT,
            Topic::Shelter => text::MENU_SHELTER,
            Topic::Other => text::TOPIC_OTHER,
        }
    }
}

/// Most urgent first: the queue orders by this, then by time of sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Urgency {
    DangerNow,
    WithinDay,
    CanWait,
}

impl Urgency {
    /// The staff's word for it (the card, the staff chat): never her
    /// first-person button.
    pub fn staff_label(self) -> text::MsgId {
        match self {
            Urgency::CanWait => text::DESK_URGENCY_CAN_WAIT,
            Urgency::WithinDay => text::DESK_URGENCY_WITHIN_DAY,
            Urgency::DangerNow => text::DESK_URGENCY_DANGER_NOW,
        }
    }

    /// Its label (a button, a summary line).
    pub fn label(self) -> text::MsgId {
        match self {
            Urgency::CanWait => text::URGENCY_CAN_WAIT,
            Urgency::WithinDay => text::URGENCY_WITHIN_DAY,
            Urgency::DangerNow => text::URGENCY_DANGER_NOW,
        }
    }

    pub const ALL: [Urgency; 3] = [Urgency::DangerNow, Urgency::WithinDay, Urgency::CanWait];

    pub fn rank(self) -> u8 {
        self as u8
    }

    pub fn tag(self) -> &'static str {
        match self {
            Urgency::DangerNow => "danger",
            Urgency::WithinDay => "day",
            Urgency::CanWait => "wait",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Urgency> {
        Urgency::ALL.into_iter().find(|u| u.tag() == tag)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContactMethod {
    /// Call the number she gave.
    Call,
    /// Write to her here, through the bot; staff never see her account.
    Telegram,
}

impl ContactMethod {
    /// The staff's word for it.
    pub fn staff_label(self) -> text::MsgId {
        match self {
            ContactMethod::Call => text::DESK_CONTACT_CALL,
            ContactMethod::Telegram => text::DESK_CONTACT_WRITE,
        }
    }

    pub fn label(self) -> text::MsgId {
        match self {
            ContactMethod::Call => text::CONTACT_CALL,
            ContactMethod::Telegram => text::CONTACT_TELEGRAM,
        }
    }

    pub const ALL: [ContactMethod; 2] = [ContactMethod::Call, ContactMethod::Telegram];

    pub fn tag(self) -> &'static str {
        match self {
            ContactMethod::Call => "call",
            ContactMethod::Telegram => "tg",
        }
    }

    pub fn from_tag(tag: &str) -> Option<ContactMethod> {
        ContactMethod::ALL.into_iter().find(|c| c.tag() == tag)
    }
}

/// When it is safe to contact her.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SafeTime {
    Morning,
    Afternoon,
    Evening,
    Any,
}

impl SafeTime {
    pub fn label(self) -> text::MsgId {
        match self {
            SafeTime::Morning => text::TIME_MORNING,
            SafeTime::Afternoon => text::TIME_AFTERNOON,
            SafeTime::Evening => text::TIME_EVENING,
            SafeTime::Any => text::TIME_ANY,
        }
    }

    pub const ALL: [SafeTime; 4] = [
        SafeTime::Morning,
        SafeTime::Afternoon,
        SafeTime::Evening,
        SafeTime::Any,
    ];

    pub fn tag(self) -> &'static str {
        match self {
            SafeTime::Morning => "morning",
            SafeTime::Afternoon => "afternoon",
            SafeTime::Evening => "evening",
            SafeTime::Any => "any",
        }
    }

    pub fn from_tag(tag: &str) -> Option<SafeTime> {
        SafeTime::ALL.into_iter().find(|t| t.tag() == tag)
    }
}

/// What the specialist does if someone else answers her phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum IfOtherAnswers {
    HangUp,
    WrongNumber,
    SafeToSayCenter,
}

impl IfOtherAnswers {
    /// The staff's word for it.
    pub fn staff_label(self) -> text::MsgId {
        match self {
            IfOtherAnswers::HangUp => text::DESK_IF_OTHER_HANG_UP,
            IfOtherAnswers::WrongNumber => text::DESK_IF_OTHER_WRONG_NUMBER,
            IfOtherAnswers::SafeToSayCenter => text::DESK_IF_OTHER_SAY_CENTER,
        }
    }

    pub fn label(self) -> text::MsgId {
        match self {
            IfOtherAnswers::HangUp => text::IF_OTHER_HANG_UP,
            IfOtherAnswers::WrongNumber => text::IF_OTHER_WRONG_NUMBER,
            IfOtherAnswers::SafeToSayCenter => text::IF_OTHER_SAY_CENTER,
        }
    }

    pub const ALL: [IfOtherAnswers; 3] = [
        IfOtherAnswers::HangUp,
        IfOtherAnswers::WrongNumber,
        IfOtherAnswers::SafeToSayCenter,
    ];

    pub fn tag(self) -> &'static str {
        match self {
            IfOtherAnswers::HangUp => "hangup",
            IfOtherAnswers::WrongNumber => "wrong",
            IfOtherAnswers::SafeToSayCenter => "say",
        }
    }

    pub fn from_tag(tag: &str) -> Option<IfOtherAnswers> {
        IfOtherAnswers::ALL.into_iter().find(|t| t.tag() == tag)
    }
}

/// Everything that could name her or her situation. Sealed, always.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Personal {
    /// Needed to write to her and to erase the chat.
    pub chat_id: i64,
    pub phone: Option<Phone>,
    /// The number came from a shared contact that is not her own account.
    pub phone_not_own: bool,
    pub code_word: Option<String>,
    pub description: Option<String>,
}

impl std::fmt::Debug for Personal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Personal(..)")
    }
}

/// A request as she sends it, before it has an id or a code.
#[derive(Clone, PartialEq)]
pub struct Submission {
    pub topic: Topic,
    pub urgency: Urgency,
    pub contact: ContactMethod,
    pub safe_time: SafeTime,
    pub if_other: Option<IfOtherAnswers>,
    pub phone: Option<Phone>,
    pub phone_not_own: bool,
    pub code_word: Option<String>,
    pub description: Option<String>,
}

impl std::fmt::Debug for Submission {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Her choices, not what she typed.
        f.debug_struct("Submission")
            .field("topic", &self.topic)
            .field("urgency", &self.urgency)
            .field("contact", &self.contact)
            .field("safe_time", &self.safe_time)
            .field("if_other", &self.if_other)
            .finish_non_exhaustive()
    }
}

impl Submission {
    /// The part to seal: what names her, with the chat to write back to.
    pub fn personal(&self, chat_id: i64) -> Personal {
        Personal {
            chat_id,
            phone: self.phone.clone(),
            phone_not_own: self.phone_not_own,
            code_word: self.code_word.clone(),
            description: self.description.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Waiting,
    /// Taken by a specialist, by staff handle (never a Telegram id or pseudonym),
    /// with the id of the card in that specialist's chat once it is shown.
    Claimed {
        by: StaffHandle,
        at: DateTime<Utc>,
        #[serde(default)]
        card: Option<i32>,
    },
    /// Ended; the time only to the hour, for the retention period.
    Closed {
        resolution: Resolution,
        at: DateTime<Utc>,
    },
}

impl Status {
    pub fn is_open(&self) -> bool {
        matches!(self, Status::Waiting | Status::Claimed { .. })
    }
}

/// A request as stored: what the queue and claims need in clear (no pseudonym, no
/// topic, no exact time), the rest sealed under its data key.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RequestRecord {
    /// Random: the sled key of the record.
    pub id: RecordId,
    pub code: TicketCode,
    pub urgency: Urgency,
    /// Its place within its urgency: a sequence number, not a time.
    pub seq: u64,
    /// When it was queued, to the hour.
    pub queued_at: DateTime<Utc>,
    pub status: Status,
    /// Calls that did not reach her, and when the first was.
    #[serde(default)]
    pub tries: u8,
    #[serde(default)]
    pub first_try: Option<DateTime<Utc>>,
    /// The time from her request to the first try to reach her (a call, a
    /// letter, a talk) is counted: once, even after a reopen.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub first_try_counted: bool,
    pub details: Sealed<Details>,
    /// Every call that did not reach her (what happened, when, who called)
    /// and the earliest she may be called again, sealed under the request's
    /// key: no new clear timestamp.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempts: Option<Sealed<Attempts>>,
    /// The last handover note (after a call that did not reach her), sealed
    /// under the request's key: destroyed with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Sealed<String>>,
    /// How it was closed, sealed under its key: what a supervisor's reopen
    /// takes back out of the counters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closing: Option<Sealed<Closing>>,
    /// What she wrote while nobody held the request, sealed under its key; the
    /// next card shows it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub held_words: Vec<Sealed<String>>,
    /// Her words relayed into the holder's chat (message ids there): deleted
    /// with the card when the claim ends.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relayed: Vec<i32>,
    /// Brought back by `ak-jurok restore` from a backup made then: she may
    /// have cancelled since. Its card says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restored: Option<DateTime<Utc>>,
    /// Held out of `/next` and `/take` until a supervisor releases it
    /// (`/reopen CODE`): set by a restore.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub held: bool,
    /// Notes staff left on its card (any time, not only after a try), each
    /// sealed under its key with when and who: destroyed with it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Sealed<CardNote>>,
    /// Her conversation with the specialists about it — her words and ours —
    /// each sealed under its key: the holder and the next one see what was
    /// said; destroyed with it. The newest [`THREAD_MESSAGES`], at most
    /// [`THREAD_CHARS`] characters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub thread: Vec<Sealed<Said>>,
}

impl RequestRecord {
    /// A request just sent: waiting, its code still to be drawn.
    pub fn waiting(
        id: RecordId,
        urgency: Urgency,
        seq: u64,
        queued_at: DateTime<Utc>,
        details: Sealed<Details>,
    ) -> RequestRecord {
        RequestRecord {
            id,
            code: TicketCode::default(),
            urgency,
            seq,
            queued_at,
            status: Status::Waiting,
            tries: 0,
            first_try: None,
            first_try_counted: false,
            attempts: None,
            note: None,
            closing: None,
            restored: None,
            held: false,
            notes: Vec::new(),
            thread: Vec::new(),
            held_words: Vec::new(),
            relayed: Vec::new(),
            details,
        }
    }
}

/// A close as the counters saw it: its exact time, the outcome form and the
/// tags of the center's own categories marked on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Closing {
    pub at: DateTime<Utc>,
    pub resolution: Resolution,
    pub outcome: Option<crate::domain::outcome::Outcome>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub center: Vec<String>,
}

impl Closing {
    /// A close without an outcome form.
    pub fn new(resolution: Resolution, at: DateTime<Utc>) -> Closing {
        Closing {
            at,
            resolution,
            outcome: None,
            center: Vec::new(),
        }
    }
}

/// Why a specialist could not talk with her.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TryResult {
    NoAnswer,
    SomeoneElseAnswered,
    WrongNumber,
    CallDropped,
}

impl TryResult {
    pub const ALL: [TryResult; 4] = [
        TryResult::NoAnswer,
        TryResult::SomeoneElseAnswered,
        TryResult::WrongNumber,
        TryResult::CallDropped,
    ];

    pub fn tag(self) -> &'static str {
        match self {
            TryResult::NoAnswer => "noanswer",
            TryResult::SomeoneElseAnswered => "other",
            TryResult::WrongNumber => "wrong",
            TryResult::CallDropped => "dropped",
        }
    }

    pub fn from_tag(tag: &str) -> Option<TryResult> {
        TryResult::ALL.into_iter().find(|r| r.tag() == tag)
    }

    pub fn label(self) -> text::MsgId {
        match self {
            TryResult::NoAnswer => text::DESK_TRY_NO_ANSWER,
            TryResult::SomeoneElseAnswered => text::DESK_TRY_SOMEONE_ELSE,
            TryResult::WrongNumber => text::DESK_TRY_WRONG_NUMBER,
            TryResult::CallDropped => text::DESK_TRY_DROPPED,
        }
    }
}

/// One call that did not reach her.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attempt {
    pub result: TryResult,
    pub at: DateTime<Utc>,
    /// The staff handle of who called.
    pub by: StaffHandle,
}

/// The calls that did not reach her, oldest first, and when the request may
/// be offered again. Sealed with the request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Attempts {
    pub tries: Vec<Attempt>,
    /// Not offered again before this (after someone else answered, or the
    /// call dropped); a supervisor may clear it.
    pub not_before: Option<DateTime<Utc>>,
}

impl Attempts {
    /// Whether it must not be offered yet.
    pub fn cooling(&self, now: DateTime<Utc>) -> bool {
        self.not_before.is_some_and(|at| at > now)
    }

    /// Someone else answered one of the calls: the man who answered may hold
    /// her phone, so nothing is sent to her chat unasked.
    pub fn someone_else_answered(&self) -> bool {
        self.tries
            .iter()
            .any(|t| t.result == TryResult::SomeoneElseAnswered)
    }
}

/// What she chose and typed, and when exactly she sent it. Sealed, always.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Details {
    pub topic: Topic,
    pub contact: ContactMethod,
    pub safe_time: SafeTime,
    pub if_other: Option<IfOtherAnswers>,
    pub created_at: DateTime<Utc>,
    pub personal: Personal,
    /// The language she wrote in (for the card, and to prefer staff who speak it).
    #[serde(default)]
    pub lang: Option<String>,
}

impl std::fmt::Debug for Details {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Details(..)")
    }
}

impl Submission {
    /// What is sealed of her request when it is sent at `created_at`.
    pub fn details(&self, chat_id: i64, lang: &str, created_at: DateTime<Utc>) -> Details {
        Details {
            topic: self.topic,
            contact: self.contact,
            safe_time: self.safe_time,
            if_other: self.if_other,
            created_at,
            personal: self.personal(chat_id),
            lang: Some(lang.to_string()),
        }
    }
}

/// What "My request" shows her.
#[derive(Clone, PartialEq)]
pub struct RequestView {
    pub code: TicketCode,
    pub state: ViewState,
    pub topic: Topic,
    pub urgency: Urgency,
    pub contact: ContactMethod,
    pub safe_time: SafeTime,
    pub phone_masked: Option<String>,
    /// What she gave that *Change* keeps unless she changes it.
    pub if_other: Option<IfOtherAnswers>,
    pub code_word: Option<String>,
    pub description: Option<String>,
}

impl std::fmt::Debug for RequestView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestView")
            .field("code", &self.code)
            .field("state", &self.state)
            .field("topic", &self.topic)
            .field("urgency", &self.urgency)
            .field("contact", &self.contact)
            .field("safe_time", &self.safe_time)
            .field("if_other", &self.if_other)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewState {
    /// In the queue, with this many requests before hers.
    Waiting {
        ahead: u64,
    },
    Claimed,
    Closed,
    Cancelled,
    /// Closed after three calls over two days did not reach her.
    Unreachable,
}

impl RequestView {
    pub fn is_open(&self) -> bool {
        matches!(self.state, ViewState::Waiting { .. } | ViewState::Claimed)
    }
}

/// Ticket codes avoid look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B).
pub const CODE_ALPHABET: &[u8] = b"ACDEFGHJKMNPQRTUVWXY34679";
pub const CODE_LEN: usize = 4;

/// Whether typed text could be a ticket code (any case, spaces around).
pub fn looks_like_code(text: &str) -> bool {
    let text = text.trim();
    (CODE_LEN..=CODE_LEN + 4).contains(&text.len())
        && text
            .bytes()
            .all(|b| CODE_ALPHABET.contains(&b.to_ascii_uppercase()))
}

pub fn new_code(rng: &mut impl rand::Rng, len: usize) -> TicketCode {
    let code: String = (0..len)
        .map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char)
        .collect();
    TicketCode::from(code)
}

/// Typed text as a ticket code (any case, spaces around), if it could be one.
pub fn typed_code(text: &str) -> Option<TicketCode> {
    looks_like_code(text).then(|| TicketCode::from(text.trim().to_uppercase()))
}

/// What a letter to her says (sealed in the outbox until she opens it).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub enum Words {
    /// A specialist's message, as typed.
    Staff(String),
    /// Her request was closed (sent only if the center turned this on).
    RequestClosed,
}

impl std::fmt::Debug for Words {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Words::Staff(_) => f.write_str("Staff(..)"),
            Words::RequestClosed => f.write_str("RequestClosed"),
        }
    }
}

#[cfg(test)]
mod tests;
