//! What both cores say: a reply (text pieces, a keyboard of buttons whose
//! action is the core's own type, how it goes and to whom). The shells only
//! deliver; the renderer turns it into words and button data.

use crate::i18n::text::Text;

/// A button: its label (pieces joined by " / "), what it does, and whether it is
/// the answer already chosen (shown with a check mark).
#[derive(Debug, Clone, PartialEq)]
pub struct Button<A> {
    pub label: Vec<Text>,
    pub action: A,
    pub selected: bool,
    /// A *copy text* button: a tap copies these words to the phone's
    /// clipboard (Telegram sends the bot nothing; `action` is only for a
    /// shell without a clipboard).
    pub copy: Option<Text>,
}

impl<A> Button<A> {
    pub fn new(label: impl Into<Text>, action: A) -> Button<A> {
        Button {
            label: vec![label.into()],
            action,
            selected: false,
            copy: None,
        }
    }

    /// A button that copies `words` to the clipboard.
    pub fn copy(label: impl Into<Text>, words: Text, action: A) -> Button<A> {
        Button {
            copy: Some(words),
            ..Button::new(label, action)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// A new message.
    Send,
    /// Replace the message whose button was pressed (a new one when there is none).
    EditPressed,
    /// Delete the message whose button was pressed and send this one; where it
    /// can no longer be deleted (older than 48 hours), edit it instead. A card
    /// goes this way when its claim ends.
    ReplacePressed,
}

/// Who a reply is for. The shells only deliver; the core decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipient {
    /// The woman whose input this answers.
    Her,
    /// One staff member, by handle.
    Staff(crate::domain::ids::StaffHandle),
    /// The staff group.
    StaffChat,
    /// Whoever is on duty (else the on-call staff).
    OnDuty,
    /// Every supervisor (else the staff chat).
    Supervisors,
}

/// One message to show: text pieces joined by blank lines, and a keyboard,
/// addressed, and how it goes.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply<A> {
    pub parts: Vec<Text>,
    pub keyboard: Vec<Vec<Button<A>>>,
    pub delivery: Delivery,
    pub to: Recipient,
    /// Without sound.
    pub silent: bool,
    /// Telegram's `protect_content`: no forwarding or saving.
    pub protect: bool,
    /// It shows what she typed (her number on the summary): the message is
    /// deleted once she leaves the wizard or her draft expires.
    pub exposes: bool,
    /// It is the card of this request in a specialist's chat: its id is kept
    /// with the claim, so the card can be deleted when she withdraws.
    pub card: Option<crate::domain::ids::RecordId>,
    /// Her words relayed to the holder of this request: its id is kept with
    /// the request, so the message goes with the card.
    pub relayed: Option<crate::domain::ids::RecordId>,
    /// Anonymous figures, put into words or a file in the reader's language.
    pub figures: Option<Figures>,
    /// It shows a specialist's words in her chat: deleted within a day,
    /// whatever she does.
    pub expires: bool,
}

/// Figures a reply carries: the renderer turns them into lines of its text, a
/// chart (the reply's text its caption) or a CSV file.
#[derive(Debug, Clone, PartialEq)]
pub enum Figures {
    Lines(crate::domain::report::Table),
    Chart(crate::domain::report::Table),
    Csv(Vec<crate::domain::report::Table>),
}

impl<A> Reply<A> {
    pub fn new(parts: Vec<Text>, keyboard: Vec<Vec<Button<A>>>) -> Reply<A> {
        Reply {
            parts,
            keyboard,
            delivery: Delivery::Send,
            to: Recipient::Her,
            silent: false,
            protect: false,
            exposes: false,
            card: None,
            relayed: None,
            figures: None,
            expires: false,
        }
    }
}
