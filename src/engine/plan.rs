//! What the engine asks of Telegram, for any input — her update, a staff
//! member's, a timed job, a delivery receipt: a [`Plan`] of deeds, each
//! addressed to a chat the engine has already resolved, and what to remember
//! once Telegram answers. The Telegram layer carries out any plan the same way
//! and hands the [`Receipt`]s back to [`App::delivered`](super::App::delivered);
//! the demo prints one.

use crate::domain::ids::{RecordId, StaffHandle};
use crate::ui::render::Rendered;

/// The deeds one input comes to, in order.
#[derive(Debug, Default)]
pub struct Plan {
    pub deeds: Vec<Deed>,
}

/// A chat, resolved: hers, a staff member's, or the staff group.
#[derive(Clone, PartialEq, Eq)]
pub enum Chat {
    /// Her private chat (its id is her Telegram id).
    Her(i64),
    /// A staff member's private chat.
    Staff { handle: StaffHandle, id: i64 },
    /// The staff group.
    StaffChat(i64),
}

impl Chat {
    /// The Telegram chat id.
    pub fn id(&self) -> i64 {
        match self {
            Chat::Her(id) | Chat::Staff { id, .. } | Chat::StaffChat(id) => *id,
        }
    }
}

impl std::fmt::Debug for Chat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Her chat id is her Telegram id: never printed.
        match self {
            Chat::Her(_) => f.write_str("Her(..)"),
            Chat::Staff { handle, .. } => write!(f, "Staff({handle})"),
            Chat::StaffChat(_) => f.write_str("StaffChat"),
        }
    }
}

#[derive(Debug)]
pub enum Deed {
    /// Show a message.
    Show(Show),
    /// Delete the message the person just sent (what she typed, a handover
    /// note), at once.
    Unsend { chat: Chat, id: i32 },
    /// Delete messages (gone or too old is no failure worth more than a log line).
    Delete { chat: Chat, ids: Vec<i32> },
    /// Delete a card in a staff member's chat; where it is too old to delete,
    /// replace its text with `stub`, so nothing of it stays on the screen.
    Remove { chat: Chat, id: i32, stub: String },
    /// Edit the newest of `ids` that can still be edited into `message` (never
    /// a new message: nothing rings), and delete the others: the idle cover.
    Cover {
        chat: Chat,
        ids: Vec<i32>,
        message: Rendered,
    },
    /// A message already in the chat (what she sent): remembered as `then`
    /// with the rest, no call to Telegram.
    Known { chat: Chat, id: i32, then: Remember },
}

#[derive(Debug)]
pub struct Show {
    pub to: Chat,
    pub message: Rendered,
    /// The message whose button was pressed: edited or replaced as
    /// `message.delivery` says.
    pub pressed: Option<i32>,
    /// What to remember of the message shown (or of its failing).
    pub then: Remember,
    /// What its failing means.
    pub failing: Failing,
    /// Done only once this one is shown.
    pub and_then: Vec<Deed>,
}

impl Show {
    pub fn new(to: Chat, message: Rendered) -> Show {
        Show {
            to,
            message,
            pressed: None,
            then: Remember::Nothing,
            failing: Failing::Logged,
            and_then: Vec::new(),
        }
    }
}

/// What a message that could not be shown means for the rest.
#[derive(Debug)]
pub enum Failing {
    /// It was the answer to the input: the input failed, nothing more is done.
    Stops,
    /// A log line; the rest goes on.
    Logged,
    /// These deeds instead (an alert for the staff chat when its member
    /// cannot be reached); the rest goes on.
    Instead(Vec<Deed>),
}

/// What to remember of a message once Telegram has shown it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Remember {
    Nothing,
    /// A message in her chat: Hide and Erase delete it. `exposed`: it shows
    /// what she typed (deleted when she leaves the wizard); `expires`: a
    /// specialist's words (deleted within a day whatever she does).
    Hers {
        exposed: bool,
        expires: bool,
    },
    /// The note after Erase: deleted in a minute or so, or by her Hide.
    EraseNote,
    /// The card of this request in its holder's chat (deleted when the claim ends).
    Card(RecordId),
    /// Her words in the holder's chat (deleted with the card).
    Relayed(RecordId),
    /// Part of her live conversation with a specialist: `hers` when she wrote it.
    Live {
        hers: bool,
    },
    /// The knock for this letter (or, when it could not go, the letter is dropped).
    Knock(RecordId),
    /// The message that now shows the idle cover.
    Cover,
}

impl Remember {
    /// Remembering it waits for no disk (sled's buffered writes only).
    pub fn is_light(self) -> bool {
        matches!(
            self,
            Remember::Nothing | Remember::Hers { expires: false, .. }
        )
    }
}

/// What Telegram answered for one deed: the message shown (`None`: it could
/// not be shown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub chat: Chat,
    pub id: Option<i32>,
    pub then: Remember,
}

impl Plan {
    pub fn new() -> Plan {
        Plan::default()
    }

    pub fn is_empty(&self) -> bool {
        self.deeds.is_empty()
    }

    pub fn push(&mut self, deed: Deed) {
        self.deeds.push(deed);
    }

    pub fn show(&mut self, show: Show) {
        self.deeds.push(Deed::Show(show));
    }

    pub fn delete(&mut self, chat: Chat, ids: Vec<i32>) {
        if !ids.is_empty() {
            self.deeds.push(Deed::Delete { chat, ids });
        }
    }

    pub fn extend(&mut self, other: Plan) {
        self.deeds.extend(other.deeds);
    }

    /// Every message the plan would show, in order, with its chat (the demo
    /// and the tests read plans this way).
    pub fn shown(&self) -> Vec<(&Chat, &Rendered)> {
        fn walk<'a>(deeds: &'a [Deed], out: &mut Vec<(&'a Chat, &'a Rendered)>) {
            for deed in deeds {
                match deed {
                    Deed::Show(show) => {
                        out.push((&show.to, &show.message));
                        walk(&show.and_then, out);
                    }
                    Deed::Cover { chat, message, .. } => out.push((chat, message)),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.deeds, &mut out);
        out
    }
}

impl From<Vec<Deed>> for Plan {
    fn from(deeds: Vec<Deed>) -> Plan {
        Plan { deeds }
    }
}
