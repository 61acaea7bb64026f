//! Staff commands that live in a file of their own: the command reads its
//! argument, asks the engine what it needs through a [`Port`], and says its
//! answer. Adding one is its file in `desk/own/`, its line in [`COMMANDS`]
//! (with the `mod` line above it: both in this file), and its texts in the
//! three `desk.ftl` files; the command table (`ui::commands`) lists it from
//! here, by the name, role and description it declares.

use chrono::{DateTime, Utc};

use super::{Card, Reply, Role};
use crate::domain::ids::RecordId;
use crate::domain::request::TicketCode;
use crate::i18n::text::MsgId;

mod audit;
mod card;

pub use audit::AuditLine;

/// The staff commands of their own files, in the order Telegram's menu lists
/// them after the table's.
pub const COMMANDS: &[&dyn OwnCommand] = &[&card::CardAgain, &audit::Audit];

/// A staff command of its own file.
pub trait OwnCommand: Sync {
    /// Its name, as typed after `/`.
    fn name(&self) -> &'static str;
    /// Who may use it.
    fn role(&self) -> Role;
    /// Its line in Telegram's command menu.
    fn description(&self) -> MsgId;
    /// Every message id it may say: each must be in every language (checked
    /// when the locales are opened).
    fn texts(&self) -> &'static [MsgId];
    /// Its answer to `asker`, who typed `argument` after the command.
    fn run(
        &self,
        asker: &Asker,
        argument: &str,
        port: &mut dyn Port,
    ) -> Result<Vec<Reply>, PortError>;
}

impl std::fmt::Debug for dyn OwnCommand {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "/{}", self.name())
    }
}

impl PartialEq for dyn OwnCommand {
    fn eq(&self, other: &Self) -> bool {
        self.name() == other.name()
    }
}

impl Eq for dyn OwnCommand {}

/// Who asks, and when.
pub struct Asker<'a> {
    pub handle: &'a str,
    pub supervisor: bool,
    pub now: DateTime<Utc>,
}

/// The store could not answer (the engine keeps the cause and logs it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortError;

/// What the engine lets a desk command see, for the staff member who asks.
pub trait Port {
    /// The requests the asker holds: id and code, oldest claim first.
    fn held(&mut self) -> Result<Vec<(RecordId, TicketCode)>, PortError>;
    /// The card of request `id`, if the asker holds it.
    fn card(&mut self, id: RecordId) -> Result<Option<Card>, PortError>;
    /// What happened to the request with this code, oldest first, on the
    /// center's clock: `None` when no such request lives (any more).
    fn history(&mut self, code: &TicketCode) -> Result<Option<Vec<AuditLine>>, PortError> {
        let _ = code;
        Ok(None)
    }
}
