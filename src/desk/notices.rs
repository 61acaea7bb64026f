//! What staff are told without asking: a new request, the urgent alerts,
//! her words relayed, news of a letter, a claim to keep or that expired, a
//! supervisor's doing, the restart.

use super::*;

/// What staff are told when she sends a request: one line in the staff chat
/// (nothing of her: code, topic, urgency, how many wait) — silent unless she is in
/// danger now, when whoever is on duty is also alerted, with sound.
///
/// A danger-now request rings only as its sender's [`Alarm`] allows; past
/// that it is silent, the line says how many came from the same sender in 24
/// hours, and the supervisors are offered to block the sender.
pub fn new_request(
    id: RecordId,
    code: &str,
    topic: Topic,
    urgency: Urgency,
    waiting: u64,
    alarm: Option<Alarm>,
) -> Vec<Reply> {
    let mut parts = vec![Text::new(text::DESK_NEW_REQUEST)
        .arg("code", code)
        .arg("topic", Arg::Msg(topic.label()))
        .arg("urgency", Arg::Msg(urgency.staff_label()))
        .arg("waiting", waiting as i64)];
    let urgent = urgency == Urgency::DangerNow;
    let rings = urgent && alarm.is_none_or(|a| a.sound);
    let mut notices = Vec::new();
    if rings {
        notices.push(urgent_alert(code));
    }
    if let Some(alarm) = alarm.filter(|_| urgent && !rings) {
        parts.push(Text::new(text::DESK_DANGER_REPEATED).arg("count", alarm.today as i64));
        notices.push(danger_repeated(id, code, alarm.today));
    }
    let mut line = to("", parts);
    line.to = Recipient::StaffChat;
    line.silent = !rings;
    notices.push(line);
    notices
}

/// The supervisors, silently: a *danger now* request that did not ring (its
/// sender sent `today` in 24 hours), with a way to block the sender.
fn danger_repeated(id: RecordId, code: &str, today: usize) -> Reply {
    let mut notice = to(
        "",
        vec![Text::new(text::DESK_DANGER_REPEATED_SUPERVISOR)
            .arg("code", code)
            .arg("count", today as i64)],
    );
    notice.to = Recipient::Supervisors;
    notice.silent = true;
    notice.keyboard = vec![vec![Button::new(
        text::DESK_BUTTON_BLOCK,
        DeskAction::BlockSenderMenu(id),
    )]];
    notice
}

/// A danger-now request waits to be taken: whoever is on duty is alerted, with sound.
pub fn urgent_alert(code: &str) -> Reply {
    let mut alert = to(
        "",
        vec![Text::new(text::DESK_URGENT_ALERT).arg("code", code)],
    );
    alert.to = Recipient::OnDuty;
    alert
}

/// A danger-now request nobody has taken after `minutes`: whoever is on duty is
/// alerted again (step 1); then the staff chat, with sound (step 2).
pub fn still_waiting(code: &str, minutes: i64, step: u8) -> Vec<Reply> {
    let mut alert = to(
        "",
        vec![Text::new(text::DESK_STILL_WAITING)
            .arg("code", code)
            .arg("minutes", minutes)],
    );
    alert.to = if step == 1 {
        Recipient::OnDuty
    } else {
        Recipient::StaffChat
    };
    // At ten minutes the supervisors hear of it too, privately: not only
    // the same people again.
    let mut supervisors = to(
        "",
        vec![Text::new(text::DESK_STILL_WAITING_SUPERVISOR)
            .arg("code", code)
            .arg("minutes", minutes)],
    );
    supervisors.to = Recipient::Supervisors;
    if step == 1 {
        vec![alert, supervisors]
    } else {
        vec![alert]
    }
}

/// What she wrote to the specialist who holds request `code`: protected, with
/// a button to answer; deleted with the card when the claim ends.
pub fn her_words(handle: &str, id: RecordId, code: &str, words: &str) -> Reply {
    let mut reply = to(
        handle,
        vec![Text::new(text::DESK_HER_WORDS)
            .arg("code", code)
            .arg("text", words)],
    );
    reply.keyboard = vec![vec![Button::new(
        text::DESK_BUTTON_WRITE,
        DeskAction::Write(id),
    )]];
    reply.protect = true;
    reply.relayed = Some(id);
    reply
}

/// The bot restarted after a crash.
/// A shift's figures, as one line.
pub(super) fn shift_line(figures: &super::ShiftFigures) -> Text {
    let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    Text::new(text::DESK_SHIFT_FIGURES)
        .arg("taken", n(figures.taken))
        .arg("closed", n(figures.closed))
        .arg("tries", n(figures.tries))
        .arg("urgent", n(figures.urgent))
        .arg("waiting", n(figures.waiting))
}

/// To the staff chat as `name` goes off duty: the shift's counts, nothing
/// of any woman.
pub fn shift_summary(name: &str, figures: &super::ShiftFigures) -> Reply {
    let mut reply = to(
        "",
        vec![
            Text::new(text::DESK_SHIFT_OVER).arg("name", name),
            shift_line(figures),
        ],
    );
    reply.to = Recipient::StaffChat;
    reply
}

pub fn restarted() -> Reply {
    let mut reply = to("", vec![Text::new(text::DESK_RESTARTED)]);
    reply.to = Recipient::StaffChat;
    reply
}

/// What the writer of a letter is told as it goes: delivered (as a knock),
/// opened by her, or undeliverable.
pub fn letter_news(handle: &str, code: &str, news: LetterNews) -> Reply {
    let id = match news {
        LetterNews::Delivered => text::DESK_LETTER_DELIVERED,
        LetterNews::Opened => text::DESK_LETTER_OPENED,
        LetterNews::Undeliverable => text::DESK_LETTER_UNDELIVERABLE,
    };
    let mut reply = to(handle, vec![Text::new(id).arg("code", code)]);
    reply.silent = news != LetterNews::Undeliverable;
    reply
}

/// What became of a letter to her.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetterNews {
    Delivered,
    Opened,
    Undeliverable,
}

/// A supervisor put back a claim `handle` held: that staff member is told
/// (the card is deleted with this note).
pub fn released_by_supervisor(handle: &str, code: &str) -> Reply {
    to(
        handle,
        vec![Text::new(text::DESK_RELEASED_BY_SUPERVISOR).arg("code", code)],
    )
}

/// The staff chat: the bot cannot write to its disk (the cause's class and
/// the data folder): women get the emergency numbers but no request is taken.
pub fn disk_failed(cause: &str, path: &str) -> Reply {
    let mut notice = to(
        "",
        vec![Text::new(text::DESK_DISK_FAILED)
            .arg("cause", cause)
            .arg("path", path)],
    );
    notice.to = Recipient::StaffChat;
    notice
}

/// The staff chat: the bot's backup could not be written (the cause's class
/// and the backups' folder); it tries again in an hour.
pub fn backup_failed(cause: &str, path: &str) -> Reply {
    let mut notice = to(
        "",
        vec![Text::new(text::DESK_BACKUP_FAILED)
            .arg("cause", cause)
            .arg("path", path)],
    );
    notice.to = Recipient::StaffChat;
    notice
}

/// The staff chat: someone else receives this bot's updates (its token is
/// used elsewhere); the operator must revoke it.
pub fn token_elsewhere() -> Reply {
    let mut notice = to("", vec![Text::new(text::DESK_TOKEN_ELSEWHERE)]);
    notice.to = Recipient::StaffChat;
    notice
}

/// Supervisor `by` asks to suspend supervisor `who`: another supervisor
/// (`handle`) is asked to confirm with the same command.
pub fn suspension_asked(handle: &str, by: &str, who: &str) -> Reply {
    to(
        handle,
        vec![Text::new(text::DESK_SUSPEND_CONFIRM)
            .arg("by", by)
            .arg("handle", who)
            .arg("minutes", SUSPENSION_CONFIRM.num_minutes())],
    )
}

/// A request was closed with a child at risk: supervisors are told at once
/// (who marked it, and the center's procedure when it is configured).
pub fn child_at_risk(code: &str, name: &str, procedure: bool) -> Reply {
    let id = if procedure {
        text::DESK_CHILD_AT_RISK
    } else {
        text::DESK_CHILD_AT_RISK_NO_PROCEDURE
    };
    let mut reply = to("", vec![Text::new(id).arg("code", code).arg("name", name)]);
    reply.to = Recipient::Supervisors;
    reply
}

/// `/assign`: the new holder hears that a supervisor gave them the request
/// (its card follows), the old one that it is no longer theirs.
pub fn assigned_to(handle: &str, code: &str) -> Reply {
    to(
        handle,
        vec![Text::new(text::DESK_ASSIGNED_TO_YOU).arg("code", code)],
    )
}

pub fn assigned_away(handle: &str, code: &str) -> Reply {
    to(
        handle,
        vec![Text::new(text::DESK_ASSIGNED_AWAY).arg("code", code)],
    )
}

/// After closing a *danger now* or *child at risk* case: one private line
/// to the specialist — if it was hard, talk to a supervisor (named).
pub fn after_a_hard_case(handle: &str, supervisors: &[String]) -> Reply {
    let line = if supervisors.is_empty() {
        Text::new(text::DESK_CARE)
    } else {
        Text::new(text::DESK_CARE_NAMED).arg("names", supervisors.join(", "))
    };
    let mut reply = to(handle, vec![line]);
    reply.silent = true;
    reply
}

/// A request was closed marked *high risk*: supervisors are told at once,
/// privately, as for a child at risk.
pub fn high_risk(code: &str, name: &str) -> Reply {
    let mut reply = to(
        "",
        vec![Text::new(text::DESK_HIGH_RISK)
            .arg("code", code)
            .arg("name", name)],
    );
    reply.to = Recipient::Supervisors;
    reply
}

/// Someone else answered the call to a *danger now* request: the supervisors
/// are told at once; it is not offered again before `until` unless one of
/// them lets it go sooner.
pub fn someone_else_answered(id: RecordId, code: &str, last: &TryLine, until: &str) -> Reply {
    let mut reply = to(
        "",
        vec![Text::new(text::DESK_OTHER_ANSWERED_ALERT)
            .arg("code", code)
            .arg("at", last.at.as_str())
            .arg("by", last.by.as_str())
            .arg("until", until)],
    );
    reply.keyboard = vec![vec![Button::new(
        text::DESK_BUTTON_OFFER_AGAIN,
        DeskAction::OfferAgain(id),
    )]];
    reply.to = Recipient::Supervisors;
    reply
}

/// Duty lapsed after `hours`: its staff member is told.
pub fn duty_lapsed(handle: &str, hours: i64) -> Reply {
    let mut reply = to(
        handle,
        vec![Text::new(text::DESK_DUTY_LAPSED).arg("hours", hours)],
    );
    reply.to = Recipient::Staff(handle.into());
    reply
}

/// The shelter's state is a day old: whoever is on duty is reminded.
pub fn shelter_stale() -> Reply {
    let mut reply = to("", vec![Text::new(text::DESK_SHELTER_STALE)]);
    reply.to = Recipient::OnDuty;
    reply.silent = true;
    reply
}

/// A claim is nearly due: keep it, or put it back.
pub fn claim_check(handle: &str, id: RecordId, code: &str) -> Reply {
    let mut reply = to(
        handle,
        vec![Text::new(text::DESK_CLAIM_CHECK).arg("code", code)],
    );
    reply.keyboard = vec![
        vec![Button::new(text::DESK_BUTTON_KEEP, DeskAction::Keep(id))],
        vec![Button::new(
            text::DESK_BUTTON_RELEASE,
            DeskAction::Release(id),
        )],
    ];
    reply
}

/// A claim was not kept in time: its holder and the staff chat are told.
pub fn claim_expired(handle: &str, code: &str) -> Vec<Reply> {
    let line = |to_whom| {
        let mut reply = to(
            handle,
            vec![Text::new(text::DESK_CLAIM_EXPIRED).arg("code", code)],
        );
        reply.to = to_whom;
        reply
    };
    vec![
        line(Recipient::Staff(handle.into())),
        line(Recipient::StaffChat),
    ]
}

/// She cancelled or erased a request a specialist holds: tell that specialist
/// at once (the card is deleted with this note).
pub fn withdrawn(handle: &str, code: &str) -> Reply {
    let mut reply = to(
        handle,
        vec![Text::new(text::DESK_WITHDRAWN).arg("code", code)],
    );
    reply.to = Recipient::Staff(handle.into());
    reply
}
