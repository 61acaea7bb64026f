//! What the desk remembers between a staff member's inputs, and the rules that
//! use it: who may use a supervisor's command, how often one may claim and how
//! many one may hold, what a typed text is for, for how long, and how long it
//! may be. In memory only: a restart only means asking again.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

use super::{DeskAction, DeskEvent, DeskInput, Role};
use crate::domain::ids::{RecordId, StaffHandle};

/// Claims one staff member may try in a minute (/next, /take).
pub const CLAIMS_PER_MINUTE: usize = 6;

/// How long after a try (or *Write to her*) the text may be typed.
pub const TYPING_WINDOW: Duration = Duration::minutes(30);

/// The longest message staff may send her, in characters (Telegram's limit is
/// 4096, and the letter's frame needs some).
pub const LETTER_MAX_CHARS: usize = 3900;

/// The longest handover note, in characters.
pub const NOTE_MAX_CHARS: usize = 500;

/// What a staff member's next typed text is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Awaited {
    /// The handover note of a try on this request.
    Note(RecordId),
    /// A note on this request's card.
    CardNote(RecordId),
    /// A message to her about this request.
    Letter(RecordId),
    /// Going off duty: the handover note of this request, then the next;
    /// this many went back before it.
    OffNote(RecordId, u16),
}

/// What a typed text turned out to be.
#[derive(Debug, Clone, PartialEq)]
pub enum TextFor {
    Note(RecordId),
    CardNote(RecordId),
    Letter(RecordId),
    OffNote(RecordId, u16),
    /// Longer than allowed: refused, and asked for again.
    TooLong(DeskEvent),
    /// Nothing was asked for (or it was asked too long ago).
    Nothing,
}

/// How long a supervisor's suspension waits for a second supervisor.
pub const SUSPENSION_CONFIRM: Duration = Duration::minutes(10);

/// What a supervisor's `/suspend` comes to.
#[derive(Debug, Clone, PartialEq)]
pub enum Suspension {
    /// Suspended now.
    Now,
    /// A supervisor: it waits for one of `others` to send the same command.
    Asked {
        others: Vec<StaffHandle>,
    },
    Refused(DeskEvent),
}

/// The desk's memory, for every staff member, by handle.
#[derive(Default)]
pub struct DeskState {
    awaiting: Mutex<HashMap<String, (Awaited, DateTime<Utc>)>>,
    claims: Mutex<HashMap<String, Vec<DateTime<Utc>>>>,
    /// A supervisor's suspension asked for, by target: who asked, when.
    suspensions: Mutex<HashMap<StaffHandle, (StaffHandle, DateTime<Utc>)>>,
}

impl DeskState {
    /// `handle`'s next typed text is for `what`.
    pub fn expect(&self, handle: &str, what: Awaited, now: DateTime<Utc>) {
        self.awaiting
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(handle.to_string(), (what, now));
    }

    /// What the text `handle` typed is for; a text too long is refused and
    /// asked for again, anything else ends the asking.
    pub fn typed(&self, handle: &str, text: &str, now: DateTime<Utc>) -> TextFor {
        let asked = self
            .awaiting
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(handle)
            .filter(|(_, at)| now - *at <= TYPING_WINDOW)
            .map(|(what, _)| what);
        let length = text.chars().count();
        match asked {
            Some(what @ (Awaited::Note(_) | Awaited::CardNote(_) | Awaited::OffNote(..)))
                if length > NOTE_MAX_CHARS =>
            {
                self.expect(handle, what, now);
                TextFor::TooLong(DeskEvent::NoteTooLong(NOTE_MAX_CHARS))
            }
            Some(what @ Awaited::Letter(_)) if length > LETTER_MAX_CHARS => {
                self.expect(handle, what, now);
                TextFor::TooLong(DeskEvent::WriteTooLong(LETTER_MAX_CHARS))
            }
            Some(Awaited::Note(id)) => TextFor::Note(id),
            Some(Awaited::CardNote(id)) => TextFor::CardNote(id),
            Some(Awaited::Letter(id)) => TextFor::Letter(id),
            Some(Awaited::OffNote(id, handed)) => TextFor::OffNote(id, handed),
            None => TextFor::Nothing,
        }
    }

    /// `by` suspends `target`. Nobody suspends themselves (a thief on a phone
    /// must not lock its owner out of the way back). A supervisor is suspended
    /// only when a second one — one of `others`, the active supervisors but
    /// these two — sends the same command within [`SUSPENSION_CONFIRM`]; with
    /// no other, only the operator can (`ak-jurok staff suspend`).
    pub fn suspension(
        &self,
        by: &StaffHandle,
        target: &StaffHandle,
        supervisor: bool,
        others: Vec<StaffHandle>,
        now: DateTime<Utc>,
    ) -> Suspension {
        if by == target {
            return Suspension::Refused(DeskEvent::SuspendSelf);
        }
        if !supervisor {
            return Suspension::Now;
        }
        let mut asked = self.suspensions.lock().unwrap_or_else(|e| e.into_inner());
        asked.retain(|_, (_, at)| now - *at <= SUSPENSION_CONFIRM);
        match asked.get(target) {
            Some((first, _)) if first != by => {
                asked.remove(target);
                Suspension::Now
            }
            _ if others.is_empty() => {
                Suspension::Refused(DeskEvent::SuspendNeedsOperator(target.clone()))
            }
            _ => {
                asked.insert(target.clone(), (by.clone(), now));
                Suspension::Asked { others }
            }
        }
    }

    /// Whether `handle`, holding `held` of at most `max` claims, may claim one
    /// more now; the attempt counts against the rate when it is not too fast.
    pub fn may_claim(
        &self,
        handle: &str,
        held: usize,
        max: usize,
        now: DateTime<Utc>,
    ) -> Result<(), DeskEvent> {
        let mut claims = self.claims.lock().unwrap_or_else(|e| e.into_inner());
        let mine = claims.entry(handle.to_string()).or_default();
        mine.retain(|at| now - *at < Duration::minutes(1));
        if mine.len() >= CLAIMS_PER_MINUTE {
            return Err(DeskEvent::TooFast);
        }
        mine.push(now);
        if held >= max {
            return Err(DeskEvent::AtCap(max));
        }
        Ok(())
    }
}

/// Supervisors' commands and buttons: for anyone else, as if unknown.
pub fn gate(input: DeskInput, supervisor: bool) -> DeskInput {
    match input {
        DeskInput::Command(command, _) if !supervisor && command.role() == Role::Supervisor => {
            DeskInput::SupervisorsOnly
        }
        DeskInput::Pressed(
            DeskAction::ReleaseAny(_)
            | DeskAction::OfferAgain(_)
            | DeskAction::BlockSenderMenu(_)
            | DeskAction::BlockSender(..),
        ) if !supervisor => DeskInput::Other,
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desk::DeskCommand;

    fn t0() -> DateTime<Utc> {
        chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 4, 6, 9, 0, 0).unwrap()
    }

    #[test]
    fn a_typed_text_is_for_what_was_asked_within_half_an_hour_and_only_once() {
        let desk = DeskState::default();
        let id = RecordId::random();
        assert_eq!(desk.typed("aigul", "hello", t0()), TextFor::Nothing);
        desk.expect("aigul", Awaited::Note(id), t0());
        assert_eq!(
            desk.typed("nurzat", "hello", t0()),
            TextFor::Nothing,
            "another's"
        );
        assert_eq!(desk.typed("aigul", "sister", t0()), TextFor::Note(id));
        assert_eq!(desk.typed("aigul", "again", t0()), TextFor::Nothing, "once");
        desk.expect("aigul", Awaited::Letter(id), t0());
        let late = t0() + TYPING_WINDOW + Duration::seconds(1);
        assert_eq!(
            desk.typed("aigul", "hello", late),
            TextFor::Nothing,
            "too late"
        );
    }

    #[test]
    fn a_note_or_letter_too_long_is_refused_and_asked_for_again() {
        let desk = DeskState::default();
        let id = RecordId::random();
        desk.expect("aigul", Awaited::Note(id), t0());
        // A two-byte letter: lengths are counted in characters, not bytes.
        let letter = "\u{0430}";
        let long_note = letter.repeat(NOTE_MAX_CHARS + 1);
        assert_eq!(
            desk.typed("aigul", &long_note, t0()),
            TextFor::TooLong(DeskEvent::NoteTooLong(NOTE_MAX_CHARS))
        );
        let note = letter.repeat(NOTE_MAX_CHARS);
        assert_eq!(desk.typed("aigul", &note, t0()), TextFor::Note(id));
        desk.expect("aigul", Awaited::Letter(id), t0());
        let long_letter = letter.repeat(LETTER_MAX_CHARS + 1);
        assert_eq!(
            desk.typed("aigul", &long_letter, t0()),
            TextFor::TooLong(DeskEvent::WriteTooLong(LETTER_MAX_CHARS))
        );
        assert_eq!(desk.typed("aigul", &note, t0()), TextFor::Letter(id));
    }

    #[test]
    fn six_claims_a_minute_at_most_and_never_past_the_cap() {
        let desk = DeskState::default();
        for n in 0..CLAIMS_PER_MINUTE {
            assert_eq!(desk.may_claim("aigul", 0, 3, t0()), Ok(()), "{n}");
        }
        assert_eq!(desk.may_claim("aigul", 0, 3, t0()), Err(DeskEvent::TooFast));
        assert_eq!(desk.may_claim("nurzat", 0, 3, t0()), Ok(()), "per person");
        let later = t0() + Duration::minutes(1);
        assert_eq!(
            desk.may_claim("aigul", 3, 3, later),
            Err(DeskEvent::AtCap(3))
        );
        assert_eq!(desk.may_claim("aigul", 2, 3, later), Ok(()));
    }

    #[test]
    fn supervisors_commands_are_refused_by_name_and_their_buttons_unknown_to_anyone_else() {
        let id = RecordId::random();
        for input in [
            DeskInput::Command(DeskCommand::Claims, String::new()),
            DeskInput::Command(DeskCommand::Suspend, "aigul".into()),
            DeskInput::Command(DeskCommand::Reopen, "K7QX".into()),
        ] {
            assert_eq!(
                gate(input.clone(), false),
                DeskInput::SupervisorsOnly,
                "{input:?}"
            );
            assert_eq!(gate(input.clone(), true), input);
        }
        for input in [
            DeskInput::Pressed(DeskAction::ReleaseAny(id)),
            DeskInput::Pressed(DeskAction::OfferAgain(id)),
            DeskInput::Pressed(DeskAction::BlockSenderMenu(id)),
            DeskInput::Pressed(DeskAction::BlockSender(id, 30)),
        ] {
            assert_eq!(gate(input.clone(), false), DeskInput::Other, "{input:?}");
            assert_eq!(gate(input.clone(), true), input);
        }
        let next = DeskInput::Command(DeskCommand::Next, String::new());
        assert_eq!(gate(next.clone(), false), next);
        // And the desk says so.
        let (replies, effects) = crate::desk::step("aigul", false, DeskInput::SupervisorsOnly);
        assert!(effects.is_empty());
        assert_eq!(
            replies[0].parts[0].id,
            crate::i18n::text::DESK_SUPERVISORS_ONLY
        );
    }
}
