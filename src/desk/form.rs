//! The outcome form a specialist fills in to close a request she reached. Its
//! state travels in its own buttons ([`Outcome`] is 32 bits), so nothing is kept
//! on the server until Save; every press edits the same message.

use super::{to, Button, Delivery, DeskAction, Reply};
use crate::domain::ids::RecordId;
use crate::domain::outcome::{
    self, AgeBand, Help, Mark, Outcome, Referral, Source, Violence, Visit,
};
use crate::i18n::text::{self, Arg, Text};

/// The form for request `code` as filled in so far: the main page (result, help
/// given, referrals, risks) or the optional one (about her).
// A table: the form's fields, one row each, on two pages.
#[allow(clippy::too_many_lines)]
pub(super) fn form(
    handle: &str,
    id: RecordId,
    code: &str,
    outcome: Outcome,
    procedure: bool,
) -> Reply {
    let press = |o: Outcome| DeskAction::Form(id, o);
    let toggle = |mark: Mark| {
        let mut button = Button::new(outcome::label(mark), press(outcome.toggle(mark)));
        button.selected = outcome.has(mark);
        button
    };
    let chosen = |marks: Vec<Mark>| {
        Arg::List(
            marks
                .into_iter()
                .filter(|&m| outcome.has(m))
                .map(outcome::label)
                .collect(),
        )
    };
    let rows = |marks: Vec<Mark>, per_row: usize| -> Vec<Vec<Button>> {
        marks
            .chunks(per_row)
            .map(|row| row.iter().map(|&m| toggle(m)).collect())
            .collect()
    };
    let save = Button::new(text::DESK_BUTTON_SAVE, DeskAction::Save(id, outcome));
    let (parts, mut keyboard) = if outcome.more() {
        let violence: Vec<Mark> = Violence::ALL.iter().map(|&v| Mark::Violence(v)).collect();
        let age: Vec<Mark> = AgeBand::ALL.iter().map(|&a| Mark::Age(a)).collect();
        let visit: Vec<Mark> = Visit::ALL.iter().map(|&v| Mark::Visit(v)).collect();
        let source: Vec<Mark> = Source::ALL.iter().map(|&s| Mark::Source(s)).collect();
        let lines = Text::lines(vec![
            Text::new(text::DESK_OUTCOME_VIOLENCE).arg("list", chosen(violence.clone())),
            Text::new(text::DESK_OUTCOME_AGE).arg("list", chosen(age.clone())),
            Text::new(text::DESK_OUTCOME_VISIT).arg("list", chosen(visit.clone())),
            Text::new(text::DESK_OUTCOME_SOURCE).arg("list", chosen(source.clone())),
        ]);
        let mut keyboard = rows(violence, 2);
        keyboard.extend(rows(age, 3));
        keyboard.extend(rows(visit, 2));
        keyboard.extend(rows(source, 3));
        keyboard.push(vec![Button::new(
            text::DESK_BUTTON_MAIN,
            press(outcome.turn_page()),
        )]);
        (
            vec![
                Text::new(text::DESK_OUTCOME_MORE_TITLE).arg("code", code),
                lines,
            ],
            keyboard,
        )
    } else {
        let help: Vec<Mark> = Help::ALL.iter().map(|&h| Mark::Help(h)).collect();
        let referrals: Vec<Mark> = Referral::ALL.iter().map(|&r| Mark::Referral(r)).collect();
        let flags = vec![Mark::ChildAtRisk, Mark::HighRisk];
        let result = if outcome.declined() {
            text::OUTCOME_DECLINED
        } else {
            text::OUTCOME_TALKED
        };
        let mut parts = vec![
            Text::new(text::DESK_OUTCOME_TITLE).arg("code", code),
            Text::lines(vec![
                Text::new(text::DESK_OUTCOME_RESULT).arg("value", Arg::Msg(result)),
                Text::new(text::DESK_OUTCOME_HELP).arg("list", chosen(help.clone())),
                Text::new(text::DESK_OUTCOME_REFERRALS).arg("list", chosen(referrals.clone())),
                Text::new(text::DESK_OUTCOME_FLAGS).arg("list", chosen(flags.clone())),
            ]),
        ];
        if outcome.child_at_risk() {
            parts.push(Text::new(if procedure {
                text::DESK_OUTCOME_PROCEDURE
            } else {
                text::DESK_OUTCOME_NO_PROCEDURE
            }));
        }
        // Talked, or she declined help: one of the two, always.
        let talked = outcome.declined().then(|| outcome.toggle(Mark::Declined));
        let declined = (!outcome.declined()).then(|| outcome.toggle(Mark::Declined));
        let mut talked = Button::new(text::OUTCOME_TALKED, press(talked.unwrap_or(outcome)));
        talked.selected = !outcome.declined();
        let mut declined = Button::new(text::OUTCOME_DECLINED, press(declined.unwrap_or(outcome)));
        declined.selected = outcome.declined();
        let mut keyboard = vec![vec![talked, declined]];
        keyboard.extend(rows(help, 2));
        keyboard.extend(rows(referrals, 2));
        keyboard.extend(rows(flags, 2));
        keyboard.push(vec![Button::new(
            text::DESK_BUTTON_MORE,
            press(outcome.turn_page()),
        )]);
        (parts, keyboard)
    };
    keyboard.push(vec![save]);
    if !outcome.more() {
        keyboard.push(vec![Button::new(
            text::DESK_BUTTON_CARD,
            DeskAction::ShowCard(id),
        )]);
    }
    let mut reply = to(handle, parts);
    reply.keyboard = keyboard;
    reply.delivery = Delivery::EditPressed;
    reply
}
