//! "My request": where her request stands, the phone masked, and Cancel. Also the
//! confirmation after sending, built from the queue's answer.

use super::wizard::WizardAction;
use super::{
    contact_policy, menu, menu_row, Action, Button, Ctx, Dialogue, Effect, Reply, Screen, Stepped,
};
use crate::domain::request::{ContactMethod, RequestView, Submission, Urgency, ViewState};
use crate::domain::schedule::{day_code, first_contact, FirstContact};
use crate::i18n::text::{self, Arg, Text};

fn open_view<'a>(ctx: &'a Ctx) -> Option<&'a RequestView> {
    ctx.my_request.as_ref().filter(|v| v.is_open())
}

fn details(view: &RequestView) -> Vec<Text> {
    let status = match view.state {
        ViewState::Waiting { ahead } => {
            Text::new(text::MY_REQUEST_WAITING).arg("ahead", ahead as i64)
        }
        ViewState::Claimed => Text::new(text::MY_REQUEST_CLAIMED),
        ViewState::Closed => Text::new(text::MY_REQUEST_CLOSED),
        ViewState::Cancelled => Text::new(text::MY_REQUEST_CANCELLED),
        ViewState::Unreachable => Text::new(text::MY_REQUEST_UNREACHABLE),
    };
    let mut lines = vec![
        Text::new(text::SUMMARY_TOPIC).arg("value", Arg::Msg(view.topic.label())),
        Text::new(text::SUMMARY_CONTACT).arg("value", Arg::Msg(view.contact.label())),
    ];
    if let Some(masked) = &view.phone_masked {
        lines.push(Text::new(text::SUMMARY_PHONE).arg("phone", masked.as_str()));
    }
    lines.push(Text::new(text::SUMMARY_SAFE_TIME).arg("value", Arg::Msg(view.safe_time.label())));
    vec![
        Text::new(text::MY_REQUEST_TITLE).arg("code", view.code.as_str()),
        status,
        Text::lines(lines),
    ]
}

pub fn render(ctx: &Ctx) -> Reply {
    match &ctx.my_request {
        Some(view) => {
            let mut keyboard = Vec::new();
            if view.is_open() {
                keyboard.push(vec![Button::new(
                    text::BUTTON_CANCEL_REQUEST,
                    Action::CancelRequest,
                )]);
            } else {
                // Ended: she may ask again.
                keyboard.push(vec![Button::new(
                    text::MENU_CALLBACK,
                    Action::RequestCallback(None),
                )]);
            }
            keyboard.push(menu_row());
            Reply::new(details(view), keyboard)
        }
        // The same for everyone, so it tells nobody whether a kept request exists.
        None => Reply::new(
            vec![
                Text::new(text::MY_REQUEST_NONE),
                Text::new(text::MY_REQUEST_CODE_HINT),
            ],
            vec![
                vec![Button::new(
                    text::MENU_CALLBACK,
                    Action::RequestCallback(None),
                )],
                menu_row(),
            ],
        ),
    }
}

/// She asked for a new request while one is open: view, change or cancel it.
pub fn render_open_offer(ctx: &Ctx) -> Reply {
    let Some(view) = open_view(ctx) else {
        return render(ctx);
    };
    let mut keyboard = vec![vec![Button::new(
        text::BUTTON_VIEW_REQUEST,
        Action::MyRequest,
    )]];
    if matches!(view.state, ViewState::Waiting { .. }) {
        keyboard.push(vec![Button::new(
            text::BUTTON_CHANGE_REQUEST,
            Action::Wizard(WizardAction::ChangeOpen),
        )]);
    }
    keyboard.push(vec![Button::new(
        text::BUTTON_CANCEL_REQUEST,
        Action::CancelRequest,
    )]);
    keyboard.push(menu_row());
    Reply::new(
        vec![Text::new(text::OPEN_REQUEST_EXISTS).arg("code", view.code.as_str())],
        keyboard,
    )
}

pub fn render_ask_cancel(ctx: &Ctx) -> Reply {
    let Some(view) = open_view(ctx) else {
        return render(ctx);
    };
    Reply::new(
        vec![Text::new(text::CANCEL_REQUEST_CONFIRM).arg("code", view.code.as_str())],
        vec![
            vec![Button::new(
                text::BUTTON_CONFIRM_CANCEL,
                Action::ConfirmCancelRequest,
            )],
            vec![Button::new(text::BUTTON_KEEP_REQUEST, Action::MyRequest)],
        ],
    )
}

pub fn ask_cancel(mut dialogue: Dialogue, ctx: &Ctx) -> Stepped {
    dialogue.screen = if open_view(ctx).is_some() {
        Screen::ConfirmCancelRequest
    } else {
        Screen::MyRequest
    };
    Stepped::show(dialogue, render_ask_cancel(ctx).edit_if(true))
}

pub fn cancel(mut dialogue: Dialogue, ctx: &Ctx) -> Stepped {
    if open_view(ctx).is_none() {
        dialogue.screen = Screen::MyRequest;
        return Stepped::show(dialogue, render(ctx).edit_if(true));
    }
    dialogue.screen = Screen::Menu;
    dialogue.draft = None;
    let reply = menu::render(ctx).with_note(Text::new(text::REQUEST_CANCELLED_NOTE));
    Stepped::show(dialogue, reply.edit_if(true)).with(Effect::CancelRequest)
}

/// What the confirmation says: her request as queued, and what the desk
/// can promise now.
pub(super) struct Sent<'a> {
    pub code: &'a str,
    pub ahead: u64,
    pub submission: &'a Submission,
    pub replaced: bool,
    /// Someone is on duty or on call now.
    pub reachable: bool,
    /// No staff member speaks her language: the ones they speak.
    pub answered_in: &'a [String],
}

/// The confirmation, once her request is on disk: the code, her place, when she
/// can expect contact, and how the center contacts people. Replaces the summary.
pub(super) fn sent(sent: Sent, ctx: &Ctx) -> Reply {
    let Sent {
        code,
        ahead,
        submission,
        replaced,
        reachable,
        answered_in,
    } = sent;
    let mut parts = vec![
        Text::new(if replaced {
            text::SENT_CHANGED
        } else {
            text::SENT_THANKS
        })
        .arg("code", code),
        Text::new(text::MY_REQUEST_WAITING).arg("ahead", ahead as i64),
    ];
    let urgent = submission.urgency == Urgency::DangerNow;
    // Only what the queue can keep: a try, inside the window she chose.
    let first = first_contact(
        ctx.center.schedule.as_ref(),
        ctx.windows,
        submission.safe_time,
        ctx.now,
    );
    let (from, to) = ctx.windows.of(submission.safe_time).shown();
    let hhmm = |t: chrono::NaiveTime| t.format("%H:%M").to_string();
    let expectation = match first {
        // In danger now, with someone on duty or on call: not the center's
        // next opening.
        _ if urgent && reachable => Text::new(text::EXPECT_ASAP),
        FirstContact::Now => Text::new(text::EXPECT_NOW),
        FirstContact::Today { at } => Text::new(text::EXPECT_TODAY).arg("at", hhmm(at)),
        FirstContact::Later { day, tomorrow, at } => Text::new(text::EXPECT_DAY)
            .arg("day", if tomorrow { "tomorrow" } else { day_code(day) })
            .arg("at", hhmm(at)),
        FirstContact::InWindow => Text::new(text::EXPECT_WINDOW),
    };
    parts.push(expectation.arg("from", from).arg("to", to));
    if urgent || first != FirstContact::Now {
        parts.push(Text::new(text::EXPECT_MEANWHILE));
    }
    parts.push(match (&submission.contact, &submission.phone) {
        (ContactMethod::Call, Some(phone)) => {
            Text::new(text::SENT_WE_CALL).arg("phone", phone.masked())
        }
        _ => Text::new(text::SENT_WE_WRITE),
    });
    parts.push(contact_policy(ctx));
    // A saved contact named after the center gives her away.
    parts.push(Text::new(text::SENT_DONT_SAVE));
    let name = |lang: &String| Arg::MsgIn(text::LANGUAGE_NAME, lang.clone());
    match answered_in {
        [] => {}
        [one] => parts.push(Text::new(text::SENT_OTHER_LANGUAGE_ONE).arg("first", name(one))),
        [first, second, ..] => parts.push(
            Text::new(text::SENT_OTHER_LANGUAGE_TWO)
                .arg("first", name(first))
                .arg("second", name(second)),
        ),
    }
    let mut reply = Reply::new(
        parts,
        vec![
            vec![Button::new(text::MENU_MY_REQUEST, Action::MyRequest)],
            menu_row(),
        ],
    );
    reply.delivery = super::Delivery::EditPressed;
    reply
}
