//! What her step changes in her session besides the dialogue: her core
//! decides, the engine writes it down.

use super::{Delivery, Effect, Screen, Stepped};

/// What changes in her session besides the dialogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionChange {
    /// She pressed Hide: nothing is delivered to her for a while, and the
    /// note after an Erase leaves her screen.
    Hidden,
    /// She started a request (danger now never counts): one more toward
    /// today's limit.
    StartedRequest,
    /// She is not in the wizard: the messages that showed what she typed go —
    /// all but the pressed one when it is being replaced (Send turns the
    /// summary into the confirmation, with the number masked).
    TypedGoes { keep_pressed: bool },
    /// She is still here: her screen turns into the cover if she walks away.
    StillHere,
}

/// What her step changes in her session, besides the dialogue.
pub(super) fn session_changes(
    outcome: &Stepped,
    hide: bool,
    was_in_wizard: bool,
) -> Vec<SessionChange> {
    let mut changes = Vec::new();
    if hide {
        changes.push(SessionChange::Hidden);
    }
    let in_wizard = outcome
        .dialogue
        .as_ref()
        .filter(|d| d.screen == Screen::Wizard);
    if !was_in_wizard && in_wizard.is_some_and(|d| d.draft.as_ref().is_some_and(|x| !x.danger())) {
        changes.push(SessionChange::StartedRequest);
    }
    if in_wizard.is_none() {
        let keep_pressed = outcome
            .replies
            .iter()
            .any(|r| r.delivery == Delivery::EditPressed)
            || outcome
                .effects
                .iter()
                .any(|e| matches!(e, Effect::Submit { .. }));
        changes.push(SessionChange::TypedGoes { keep_pressed });
    }
    if outcome.dialogue.is_some() {
        changes.push(SessionChange::StillHere);
    }
    changes
}
