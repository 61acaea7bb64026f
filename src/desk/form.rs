//! The outcome form a specialist fills in to close a request she reached. Its
//! state travels in its own buttons ([`Outcome`] is 64 bits), so nothing is kept
//! on the server until Save; every press edits the same message.
//!
//! Two pages, each headed by what it asks: *the talk, help given, referred
//! to*, then *flags, about her* (optional). The help she asked for comes
//! marked, so the common case is *Done*, *Save*.

use super::{to, Button, Delivery, DeskAction, Reply};
use crate::domain::ids::RecordId;
use crate::domain::outcome::{
    self, AgeBand, Help, Mark, Outcome, Referral, Source, Talk, Violence, Visit,
};
use crate::i18n::text::{self, Arg, MsgId, Text};

/// One page of the form: its lines (what is chosen) and its buttons.
struct Page {
    lines: Vec<Text>,
    keyboard: Vec<Vec<Button>>,
}

/// What every row of the form needs: the request, the form so far and the
/// labels of the center's own categories.
struct Form<'a> {
    id: RecordId,
    outcome: Outcome,
    center: &'a [MsgId],
}

impl Form<'_> {
    fn label(&self, mark: Mark) -> MsgId {
        match mark {
            Mark::Center(n) => self
                .center
                .get(usize::from(n))
                .copied()
                .unwrap_or(text::OUTCOME_CENTER_CATEGORIES),
            other => outcome::label(other),
        }
    }

    fn press(&self, outcome: Outcome) -> DeskAction {
        DeskAction::Form(self.id, outcome)
    }

    /// The buttons of `marks`, `per_row` a row; a chosen one is marked.
    fn buttons(&self, marks: &[Mark], per_row: usize) -> Vec<Vec<Button>> {
        marks
            .chunks(per_row)
            .map(|row| {
                row.iter()
                    .map(|&mark| {
                        let mut button =
                            Button::new(self.label(mark), self.press(self.outcome.toggle(mark)));
                        button.selected = self.outcome.has(mark);
                        button
                    })
                    .collect()
            })
            .collect()
    }

    /// A group of marks: its line (`title` with the chosen labels) and its
    /// buttons, `per_row` a row.
    fn group(&self, page: &mut Page, title: MsgId, marks: &[Mark], per_row: usize) {
        let chosen = marks
            .iter()
            .filter(|&&m| self.outcome.has(m))
            .map(|&m| self.label(m))
            .collect();
        page.lines
            .push(Text::new(title).arg("list", Arg::List(chosen)));
        page.keyboard.extend(self.buttons(marks, per_row));
    }

    /// Page 1: how the talk went; for a real one, the help given and where
    /// she was referred.
    fn first(&self) -> Page {
        let mut page = Page {
            lines: Vec::new(),
            keyboard: Vec::new(),
        };
        // The talk always has one answer: two common ones, then three rows' worth.
        let talk: Vec<Mark> = Talk::ALL.iter().map(|&t| Mark::Talk(t)).collect();
        page.lines.push(
            Text::new(text::DESK_OUTCOME_RESULT)
                .arg("list", Arg::List(vec![self.outcome.talk().label()])),
        );
        page.keyboard.extend(self.buttons(&talk[..2], 2));
        page.keyboard.extend(self.buttons(&talk[2..], 3));
        if self.outcome.talk().real() {
            let help: Vec<Mark> = Help::ALL.iter().map(|&h| Mark::Help(h)).collect();
            let referrals: Vec<Mark> = Referral::ALL.iter().map(|&r| Mark::Referral(r)).collect();
            self.group(&mut page, text::DESK_OUTCOME_HELP, &help, 2);
            self.group(&mut page, text::DESK_OUTCOME_REFERRALS, &referrals, 2);
        }
        page.keyboard.push(vec![Button::new(
            text::DESK_BUTTON_MORE,
            self.press(self.outcome.turn_page()),
        )]);
        page
    }

    /// Page 2 (optional): risks, then what she said about herself, then the
    /// center's own categories.
    fn second(&self, procedure: bool) -> Page {
        let mut page = Page {
            lines: Vec::new(),
            keyboard: Vec::new(),
        };
        self.group(
            &mut page,
            text::DESK_OUTCOME_FLAGS,
            &[Mark::ChildAtRisk, Mark::HighRisk],
            2,
        );
        if self.outcome.child_at_risk() {
            page.lines.push(Text::new(if procedure {
                text::DESK_OUTCOME_PROCEDURE
            } else {
                text::DESK_OUTCOME_NO_PROCEDURE
            }));
        }
        let violence: Vec<Mark> = Violence::ALL.iter().map(|&v| Mark::Violence(v)).collect();
        let age: Vec<Mark> = AgeBand::ALL.iter().map(|&a| Mark::Age(a)).collect();
        let visit: Vec<Mark> = Visit::ALL.iter().map(|&v| Mark::Visit(v)).collect();
        let source: Vec<Mark> = Source::ALL.iter().map(|&s| Mark::Source(s)).collect();
        self.group(&mut page, text::DESK_OUTCOME_VIOLENCE, &violence, 2);
        self.group(&mut page, text::DESK_OUTCOME_AGE, &age, 3);
        self.group(&mut page, text::DESK_OUTCOME_VISIT, &visit, 2);
        self.group(&mut page, text::DESK_OUTCOME_SOURCE, &source, 2);
        if !self.center.is_empty() {
            let center: Vec<Mark> = (0..self.center.len())
                .filter_map(|n| u8::try_from(n).ok().map(Mark::Center))
                .collect();
            self.group(&mut page, text::DESK_OUTCOME_CENTER, &center, 2);
        }
        page.keyboard.push(vec![Button::new(
            text::DESK_BUTTON_MAIN,
            self.press(self.outcome.turn_page()),
        )]);
        page
    }
}

/// The form for request `code` as filled in so far, on its first page or its
/// second; `procedure`: the center's child-protection procedure is set;
/// `center`: the labels of the center's own categories.
pub(super) fn form(
    handle: &str,
    id: RecordId,
    code: &str,
    outcome: Outcome,
    procedure: bool,
    center: &[MsgId],
) -> Reply {
    let form = Form {
        id,
        outcome,
        center,
    };
    let (title, page) = if outcome.more() {
        (text::DESK_OUTCOME_MORE_TITLE, form.second(procedure))
    } else {
        (text::DESK_OUTCOME_TITLE, form.first())
    };
    let mut keyboard = page.keyboard;
    keyboard.push(vec![Button::new(
        text::DESK_BUTTON_SAVE,
        DeskAction::Save(id, outcome),
    )]);
    if !outcome.more() {
        keyboard.push(vec![Button::new(
            text::DESK_BUTTON_CARD,
            DeskAction::ShowCard(id),
        )]);
    }
    let mut reply = to(
        handle,
        vec![Text::new(title).arg("code", code), Text::lines(page.lines)],
    );
    reply.keyboard = keyboard;
    reply.delivery = Delivery::EditPressed;
    reply
}
