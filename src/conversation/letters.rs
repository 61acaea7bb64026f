//! What came of her effects, answered (the event loop's way back into her
//! core), and what a specialist's words look like in her chat: the knock that
//! stands for a letter, the letter opened, a live message.

use super::*;

/// What came of an effect, fed back to the core to answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Her request is on disk (or her change of it), with its code and place.
    Queued {
        code: TicketCode,
        ahead: u64,
        submission: Submission,
        replaced: bool,
        /// Someone is on duty or on call now (for *danger now*: "as soon as
        /// someone is free", not the center's next opening).
        reachable: bool,
        /// No staff member speaks her language: the ones they speak.
        answered_in: Vec<String>,
    },
    /// Nothing was queued: she already has an open request, or the one she was
    /// changing is no longer waiting.
    NotQueued,
    /// She typed a code on "My request"; `ctx.my_request` is as it now stands.
    /// A request she kept through Erase and brought back with it brings the
    /// letters that waited for her (its code, the words).
    CodeTried {
        letters: Vec<(TicketCode, crate::domain::request::Words)>,
    },
    /// Nothing was queued: staff blocked this sender for a while.
    Blocked,
    /// Nothing was queued: too many requests wait already (not danger now).
    QueueFull,
    /// The letter behind the knock she tapped, about request `code`.
    Letter {
        code: TicketCode,
        words: crate::domain::request::Words,
    },
    /// The knock she tapped leads nowhere any more.
    LetterGone,
    /// What she wrote waits for a specialist to take her request.
    RelayWaiting,
    /// Nothing can be relayed: no open request to write about, or she is blocked.
    RelayRefused,
}

/// The core's answer to what came of its effects. `ctx.my_request` is as the
/// effect left it.
pub fn answer(event: &Event, ctx: &Ctx) -> Vec<Reply> {
    let mut replies = vec![match event {
        Event::Queued {
            code,
            ahead,
            submission,
            replaced,
            reachable,
            answered_in,
        } => my_request::sent(
            my_request::Sent {
                code,
                ahead: *ahead,
                submission,
                replaced: *replaced,
                reachable: *reachable,
                answered_in,
            },
            ctx,
        ),
        Event::NotQueued => my_request::render(ctx)
            .with_note(Text::new(text::WIZARD_ALREADY_SENT))
            .edit_if(true),
        Event::CodeTried { letters } => {
            // The letters follow her request, as new messages under it.
            let mut replies = vec![my_request::render(ctx)];
            replies.extend(letters.iter().map(|(_, words)| {
                let mut shown = letter(words);
                shown.delivery = Delivery::Send;
                shown
            }));
            finish(&mut replies);
            return replies;
        }
        Event::Blocked => menu::render(ctx)
            .with_note(Text::new(text::SEND_BLOCKED))
            .edit_if(true),
        Event::QueueFull => menu::render(ctx)
            .with_note(Text::new(text::QUEUE_FULL))
            .edit_if(true),
        Event::Letter { words, .. } => letter(words),
        Event::RelayWaiting => Reply::new(vec![Text::new(text::RELAY_WAITING)], Vec::new()),
        Event::RelayRefused => menu::render(ctx).with_note(Text::new(text::RELAY_REFUSED)),
        Event::LetterGone => menu::render(ctx)
            .with_note(Text::new(text::STALE_BUTTON))
            .edit_if(true),
    }];
    finish(&mut replies);
    replies
}

/// Writing with a specialist: she is told who reads it and that it goes.
pub(super) fn specialist() -> Reply {
    Reply::new(
        vec![Text::new(text::SPECIALIST_MODE)],
        vec![vec![Button::new(
            text::BUTTON_LEAVE_SPECIALIST,
            Action::LeaveSpecialist,
        )]],
    )
}

/// A specialist's message while she is in the conversation: plain, silent.
/// (No ticket code in it: whoever reads her phone must not learn the code that
/// brings a request kept through Erase back.)
pub fn live_message(words: &str) -> Reply {
    let mut reply = Reply::new(
        vec![Text::new(text::LETTER_FROM_STAFF).arg("text", words)],
        vec![vec![Button::new(
            text::BUTTON_LEAVE_SPECIALIST,
            Action::LeaveSpecialist,
        )]],
    );
    reply.silent = true;
    finish(std::slice::from_mut(&mut reply));
    reply
}

/// A knock: a neutral hygiene tip, delivered silently, standing for a letter;
/// its one button shows the letter. Nothing in it, or in its notification,
/// says who wrote or why.
pub fn knock(letter: crate::domain::ids::RecordId) -> Reply {
    let mut reply = Reply::new(
        vec![Text::new(text::KNOCK_TEXT).arg("tip", knock_tip(&letter))],
        vec![vec![Button::new(
            text::BUTTON_OPEN,
            Action::OpenLetter(letter),
        )]],
    );
    reply.silent = true;
    reply
}

/// Which neutral tip a knock shows: one of several, chosen by the letter's
/// random id, so the same "tip of the day" over and over is not a pattern.
fn knock_tip(letter: &crate::domain::ids::RecordId) -> &'static str {
    const TIPS: [&str; 4] = ["air", "hands", "water", "sleep"];
    TIPS[usize::from(letter.as_bytes()[0]) % TIPS.len()]
}

/// A letter, opened: it replaces its knock, and goes from the chat within a day.
/// A letter as she sees it, without its ticket code (see [`live_message`]).
fn letter(words: &crate::domain::request::Words) -> Reply {
    let said = match words {
        crate::domain::request::Words::Staff(text) => {
            Text::new(text::LETTER_FROM_STAFF).arg("text", text.as_str())
        }
        crate::domain::request::Words::RequestClosed => Text::new(text::LETTER_CLOSED),
    };
    let mut keyboard = Vec::new();
    if matches!(words, crate::domain::request::Words::Staff(_)) {
        keyboard.push(vec![Button::new(
            text::BUTTON_WRITE_BACK,
            Action::WriteBack,
        )]);
    }
    keyboard.push(menu_row());
    let mut reply =
        Reply::new(vec![said, Text::new(text::LETTER_DISAPPEARS)], keyboard).edit_if(true);
    reply.expires = true;
    reply
}
