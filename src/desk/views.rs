//! What the desk shows: the queue's page, the claims, a card and its lines —
//! filled in by the engine from the store, rendered by the desk.

use super::*;

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
    /// The waiting requests, most urgent then oldest, from `from`: a page.
    pub listed: Vec<QueueLine>,
    pub from: u16,
    /// More wait after this page.
    pub more: bool,
}

/// A waiting request, as `/queue` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueLine {
    pub id: RecordId,
    pub code: TicketCode,
    pub urgency: Urgency,
    /// `None` when its details cannot be opened.
    pub topic: Option<Topic>,
    pub lang: Option<String>,
    /// Her contact window is open now (and it does not cool down).
    pub window_open: bool,
    pub tries: u8,
    /// Minutes since she sent it.
    pub minutes: i64,
    /// Brought back by a restore: a supervisor releases it first.
    pub held: bool,
}

/// Requests `/queue` lists at once.
pub const QUEUE_PAGE: usize = 20;

/// One open claim as a supervisor sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimLine {
    pub id: RecordId,
    /// The holder's display name.
    pub name: String,
    pub code: TicketCode,
    pub urgency: Urgency,
    /// `None` when its details cannot be opened (its key is gone).
    pub topic: Option<Topic>,
    /// How long it has been held.
    pub minutes: i64,
}

/// A claimed request as the specialist sees it: everything needed to reach her
/// safely. Sent with `protect_content`.
#[derive(Clone, PartialEq)]
pub struct Card {
    pub id: RecordId,
    pub code: TicketCode,
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
    /// Brought back from a backup of this day: she may have cancelled since.
    pub restored: Option<String>,
    /// Notes on the card, oldest first.
    pub notes: Vec<NoteLine>,
    /// Her conversation with the specialists, oldest first.
    pub thread: Vec<SaidLine>,
}

/// A message of her conversation, as the card lists it.
#[derive(Clone, PartialEq, Eq)]
pub struct SaidLine {
    /// When, on the center's clock.
    pub at: String,
    /// The specialist who wrote it; `None`: she did.
    pub by: Option<StaffHandle>,
    pub text: String,
}

/// Characters of her conversation a card shows (the newest messages): the
/// rest of the card must fit in Telegram's 4,096.
pub const CARD_THREAD_CHARS: usize = 1_500;

/// A note on a card, as the card lists it.
#[derive(Clone, PartialEq, Eq)]
pub struct NoteLine {
    /// When, on the center's clock.
    pub at: String,
    pub by: StaffHandle,
    pub text: String,
}

/// A call that did not reach her, as the card lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TryLine {
    /// When, on the center's clock (`11:40`, or `05.04 11:40` on another day).
    pub at: String,
    /// Who called (a staff handle).
    pub by: StaffHandle,
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

// Her words and notes about her: `Debug` shows none of the text.
impl std::fmt::Debug for SaidLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SaidLine({}, ..)", self.at)
    }
}

impl std::fmt::Debug for NoteLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NoteLine({}, {}, ..)", self.at, self.by)
    }
}
