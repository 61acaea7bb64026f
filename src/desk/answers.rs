//! The desk's answer to what an effect did: one line for most, and the few
//! longer screens (the queue, the figures, the shelter, the claims, a try).

use super::card::card_reply;
use super::*;

/// The desk's answer to what an effect did, now, at `now`.
// A table: one arm per desk event.
#[allow(clippy::too_many_lines)]
pub fn answer(handle: &str, event: &DeskEvent, now: DateTime<Utc>) -> Vec<Reply> {
    let about = |id, code: &str| to(handle, vec![Text::new(id).arg("code", code)]);
    let count = |id, name, n: i64| to(handle, vec![Text::new(id).arg(name, n)]);
    let say = |id| to(handle, vec![Text::new(id)]);
    let reply = match event {
        DeskEvent::Queue(counts) => queue(handle, counts),
        DeskEvent::NothingWaiting => say(text::DESK_NOTHING),
        DeskEvent::NothingOpenNow(n) => count(text::DESK_NOTHING_OPEN, "count", *n as i64),
        DeskEvent::Form {
            id,
            code,
            outcome,
            procedure,
            center,
        } => form::form(handle, *id, code, *outcome, *procedure, center),
        DeskEvent::ReleasedAny(code) => about(text::DESK_RELEASED, code),
        DeskEvent::Reopened(code) => about(text::DESK_REOPENED, code),
        DeskEvent::ReopenRefused(code) => about(text::DESK_REOPEN_NONE, code),
        DeskEvent::NoteSaved(code) => about(text::DESK_NOTE_SAVED, code),
        DeskEvent::NoteTooLong(max) => count(text::DESK_NOTE_TOO_LONG, "max", *max as i64),
        DeskEvent::Help => help(handle, false),
        DeskEvent::WriteAsk { code, live } => write_ask(handle, code, *live),
        DeskEvent::WriteTooLong(max) => count(text::DESK_WRITE_TOO_LONG, "max", *max as i64),
        DeskEvent::SentLive(code) => about(text::DESK_SENT_LIVE, code),
        DeskEvent::Posted(code) => about(text::DESK_WRITE_POSTED, code),
        DeskEvent::PostedHidden(code) => about(text::DESK_WRITE_HIDDEN, code),
        DeskEvent::Cooling { code, last, until } => to(
            handle,
            vec![Text::new(text::DESK_TAKE_COOLING)
                .arg("code", code.as_str())
                .arg("at", last.at.as_str())
                .arg("by", last.by.as_str())
                .arg("result", Arg::Msg(last.result.label()))
                .arg("until", until.as_str())],
        ),
        DeskEvent::OfferedAgain(code) => in_place(about(text::DESK_OFFERED_AGAIN, code)),
        DeskEvent::NotCooling => in_place(say(text::DESK_NOT_COOLING)),
        DeskEvent::Languages(languages) => choose_language(handle, languages),
        DeskEvent::LanguageSet => say(text::DESK_LANGUAGE_SET),
        DeskEvent::NoteAsk(code) => to(
            handle,
            vec![Text::new(text::DESK_CARD_NOTE_ASK)
                .arg("code", code.as_str())
                .arg("max", NOTE_MAX_CHARS as i64)],
        ),
        DeskEvent::Assigned { code, name } => to(
            handle,
            vec![Text::new(text::DESK_ASSIGNED)
                .arg("code", code.as_str())
                .arg("name", name.as_str())],
        ),
        DeskEvent::AssignRefused(why) => to(handle, vec![assign_refused(why)]),
        DeskEvent::Blocked { id, code, days } => {
            let mut reply = to(
                handle,
                vec![Text::new(text::DESK_BLOCKED)
                    .arg("code", code.as_str())
                    .arg("days", i64::from(*days))],
            );
            reply.keyboard = vec![vec![Button::new(
                text::DESK_BUTTON_CARD,
                DeskAction::ShowCard(*id),
            )]];
            in_place(reply)
        }
        DeskEvent::Stats(table) => return figures(handle, table),
        DeskEvent::ClosedHard { code, supervisors } => {
            return vec![
                replacing_the_card(about(text::DESK_CLOSED, code)),
                notices::after_a_hard_case(handle, supervisors),
            ]
        }
        DeskEvent::ThreadShown => return Vec::new(),
        DeskEvent::NoFiguresYet(year) => to(
            handle,
            vec![Text::new(text::REPORT_NONE_YET).arg("year", i64::from(*year))],
        ),
        DeskEvent::Export(tables) => {
            let period = tables.last().map(|t| t.period.name()).unwrap_or_default();
            let mut file = to(
                handle,
                vec![Text::new(text::REPORT_EXPORT_CAPTION).arg("period", period.as_str())],
            );
            file.figures = Some(Figures::Csv(tables.clone()));
            // Not to be forwarded from the supervisor's chat.
            file.protect = true;
            file
        }
        DeskEvent::Claimed(card) => card_reply(handle, card, now),
        DeskEvent::Mine(codes) if codes.is_empty() => say(text::DESK_MINE_NONE),
        DeskEvent::Mine(held) => mine(handle, held),
        DeskEvent::Finished { code, closed } => {
            let id = if *closed {
                text::DESK_CLOSED
            } else {
                text::DESK_RELEASED
            };
            replacing_the_card(about(id, code))
        }
        DeskEvent::NotYours => in_place(say(text::DESK_NOT_YOURS)),
        DeskEvent::Shelter(status) => shelter(handle, status.as_ref(), now),
        DeskEvent::OnDuty => say(text::DESK_ON),
        DeskEvent::NoSuchCode(code) => about(text::DESK_TAKE_NONE, code),
        DeskEvent::AtCap(n) => count(text::DESK_AT_CAP, "count", *n as i64),
        DeskEvent::TooFast => say(text::DESK_TOO_FAST),
        DeskEvent::Claims(claims) if claims.is_empty() => say(text::DESK_CLAIMS_NONE),
        DeskEvent::Claims(claims) => claims_list(handle, claims),
        DeskEvent::Suspended {
            handle: who,
            released,
        } => to(
            handle,
            vec![Text::new(text::DESK_SUSPENDED)
                .arg("handle", who.as_str())
                .arg("count", *released as i64)],
        ),
        DeskEvent::Resumed(who) => to(
            handle,
            vec![Text::new(text::DESK_RESUMED).arg("handle", who.as_str())],
        ),
        DeskEvent::NoSuchStaff(who) => to(
            handle,
            vec![Text::new(text::DESK_NO_SUCH_STAFF).arg("handle", who.as_str())],
        ),
        DeskEvent::HeldRestored { code, date } => to(
            handle,
            vec![Text::new(text::DESK_TAKE_HELD)
                .arg("code", code.as_str())
                .arg("date", date.as_str())],
        ),
        DeskEvent::RestoredReleased(code) => about(text::DESK_RESTORED_RELEASED, code),
        DeskEvent::SenderBlocked { code, days } => in_place(to(
            handle,
            vec![Text::new(text::DESK_BLOCKED)
                .arg("code", code.as_str())
                .arg("days", i64::from(*days))],
        )),
        DeskEvent::SuspendSelf => say(text::DESK_SUSPEND_SELF),
        DeskEvent::SuspendAsked(who) => to(
            handle,
            vec![Text::new(text::DESK_SUSPEND_ASKED)
                .arg("handle", who.as_str())
                .arg("minutes", SUSPENSION_CONFIRM.num_minutes())],
        ),
        DeskEvent::SuspendNeedsOperator(who) => to(
            handle,
            vec![Text::new(text::DESK_SUSPEND_OPERATOR).arg("handle", who.as_str())],
        ),
        DeskEvent::ResumeDisabled(who) => to(
            handle,
            vec![Text::new(text::DESK_RESUME_DISABLED).arg("handle", who.as_str())],
        ),
        DeskEvent::Kept(code) => in_place(about(text::DESK_KEPT, code)),
        DeskEvent::TryRecorded {
            code,
            tries,
            gave_up,
            until,
        } => try_recorded(handle, code, *tries, *gave_up, until.as_deref()),
        DeskEvent::OffDuty { released, shift } => off_duty(handle, *released, *shift),
        DeskEvent::OffNoteAsk {
            id,
            code,
            left,
            handed,
        } => handover_ask(handle, *id, code, *left, *handed),
        DeskEvent::ShelterSet(state) => in_place(to(
            handle,
            vec![Text::new(text::DESK_SHELTER_SET).arg("state", Arg::Msg(state.label()))],
        )),
    };
    vec![reply]
}

/// Shown in place of the pressed message.
fn in_place(mut reply: Reply) -> Reply {
    reply.delivery = Delivery::EditPressed;
    reply
}

/// `/queue`: how many wait, by urgency and topic, the oldest, the late urgent
/// ones, those waiting for their time, and who is on duty.
fn queue(handle: &str, c: &QueueCounts) -> Reply {
    let mut lines = vec![Text::new(text::DESK_QUEUE)
        .arg("total", (c.danger + c.day + c.wait) as i64)
        .arg("danger", c.danger as i64)
        .arg("day", c.day as i64)
        .arg("wait", c.wait as i64)];
    lines.extend(c.by_topic.iter().filter(|(_, n)| *n > 0).map(|(topic, n)| {
        Text::new(text::DESK_QUEUE_TOPIC)
            .arg("topic", Arg::Msg(topic.label()))
            .arg("count", *n as i64)
    }));
    if let Some(minutes) = c.oldest_minutes {
        lines.push(Text::new(text::DESK_QUEUE_OLDEST).arg("minutes", minutes));
    }
    if c.urgent_late > 0 {
        lines.push(Text::new(text::DESK_QUEUE_URGENT_LATE).arg("count", c.urgent_late as i64));
    }
    if c.later > 0 {
        lines.push(Text::new(text::DESK_QUEUE_LATER).arg("count", c.later as i64));
    }
    lines.push(if c.on_duty.is_empty() {
        Text::new(text::DESK_QUEUE_NOBODY_ON_DUTY)
    } else {
        Text::new(text::DESK_QUEUE_ON_DUTY).arg("names", c.on_duty.join(", "))
    });
    let mut parts = vec![Text::lines(lines)];
    if !c.listed.is_empty() {
        parts.push(Text::lines(c.listed.iter().map(queue_line).collect()));
    }
    let mut reply = to(handle, parts);
    // Two *take* buttons a row, then *more*.
    reply.keyboard = c
        .listed
        .chunks(2)
        .map(|pair| {
            pair.iter()
                .map(|line| {
                    Button::new(
                        Text::new(text::DESK_BUTTON_TAKE).arg("code", line.code.as_str()),
                        DeskAction::Take(line.id),
                    )
                })
                .collect()
        })
        .collect();
    if c.more {
        let next = c.from.saturating_add(QUEUE_PAGE as u16);
        reply.keyboard.push(vec![Button::new(
            text::DESK_BUTTON_QUEUE_MORE,
            DeskAction::QueueFrom(next),
        )]);
    }
    reply
}

/// One waiting request on `/queue`: code, urgency, topic, language, whether
/// she may be contacted now, tries, how long she has waited.
fn queue_line(line: &QueueLine) -> Text {
    let topic = line.topic.map_or(text::DESK_TOPIC_UNKNOWN, Topic::label);
    let lang = match &line.lang {
        Some(lang) => Arg::MsgIn(text::LANGUAGE_NAME, lang.clone()),
        None => Arg::Str("?".into()),
    };
    let window = if line.held {
        text::DESK_QUEUE_HELD
    } else if line.window_open {
        text::DESK_QUEUE_WINDOW_OPEN
    } else {
        text::DESK_QUEUE_WINDOW_LATER
    };
    Text::new(text::DESK_QUEUE_LINE)
        .arg("code", line.code.as_str())
        .arg("urgency", Arg::Msg(line.urgency.staff_label()))
        .arg("topic", Arg::Msg(topic))
        .arg("language", lang)
        .arg("window", Arg::Msg(window))
        .arg("tries", i64::from(line.tries))
        .arg("minutes", line.minutes)
}

/// `/stats`: the year's figures as lines, then as a chart.
fn figures(handle: &str, table: &crate::domain::report::Table) -> Vec<Reply> {
    let period = table.period.name();
    let mut lines = to(
        handle,
        vec![Text::new(text::REPORT_TITLE).arg("period", period.as_str())],
    );
    lines.figures = Some(Figures::Lines(table.clone()));
    let mut chart = to(
        handle,
        vec![Text::new(text::REPORT_CHART_TITLE).arg("period", period.as_str())],
    );
    chart.figures = Some(Figures::Chart(table.clone()));
    // Not to be forwarded from the supervisor's chat.
    lines.protect = true;
    chart.protect = true;
    vec![lines, chart]
}

/// `/shelter`: its state and how old it is, with a button for each state.
fn shelter(handle: &str, status: Option<&ShelterStatus>, now: DateTime<Utc>) -> Reply {
    let line = match status {
        Some(status) => Text::new(text::DESK_SHELTER_NOW)
            .arg("state", Arg::Msg(status.state.label()))
            .arg("hours", (now - status.set_at).num_hours().max(0)),
        None => Text::new(text::DESK_SHELTER_NEVER),
    };
    let mut reply = to(handle, vec![line]);
    reply.keyboard = ShelterState::ALL
        .into_iter()
        .map(|state| {
            let mut button = Button::new(state.label(), DeskAction::SetShelter(state));
            button.selected = status.is_some_and(|s| s.state == state);
            vec![button]
        })
        .collect();
    reply
}

/// `/claims`, for supervisors only: every open claim, each with a button to
/// put it back.
fn claims_list(handle: &str, claims: &[ClaimLine]) -> Reply {
    let lines = claims
        .iter()
        .map(|claim| {
            Text::new(text::DESK_CLAIMS_LINE)
                .arg("name", claim.name.as_str())
                .arg("code", claim.code.as_str())
                .arg("urgency", Arg::Msg(claim.urgency.staff_label()))
                .arg(
                    "topic",
                    Arg::Msg(claim.topic.map_or(text::DESK_TOPIC_UNKNOWN, Topic::label)),
                )
                .arg("minutes", claim.minutes)
        })
        .collect();
    let mut reply = to(
        handle,
        vec![Text::new(text::DESK_CLAIMS_TITLE), Text::lines(lines)],
    );
    reply.keyboard = claims
        .iter()
        .map(|claim| {
            vec![
                Button::new(
                    Text::new(text::DESK_BUTTON_RELEASE_CODE).arg("code", claim.code.as_str()),
                    DeskAction::ReleaseAny(claim.id),
                ),
                Button::new(
                    Text::new(text::DESK_BUTTON_BLOCK_CODE).arg("code", claim.code.as_str()),
                    DeskAction::BlockSenderMenu(claim.id),
                ),
            ]
        })
        .collect();
    reply
}

/// A try recorded: the request waits again (until when, if it cools down,
/// and a handover note asked for), or it closed as could not reach.
fn try_recorded(handle: &str, code: &str, tries: u8, gave_up: bool, until: Option<&str>) -> Reply {
    let id = if gave_up {
        text::DESK_TRY_GAVE_UP
    } else {
        text::DESK_TRY_RECORDED
    };
    let mut parts = vec![Text::new(id)
        .arg("code", code)
        .arg("tries", i64::from(tries))];
    if let Some(until) = until {
        parts.push(Text::new(text::DESK_TRY_COOLING).arg("until", until));
    }
    if !gave_up {
        parts.push(Text::new(text::DESK_NOTE_ASK));
    }
    replacing_the_card(to(handle, parts))
}

/// `/language`: the bot's languages, each named as it names itself.
fn choose_language(handle: &str, languages: &[String]) -> Reply {
    let mut reply = to(handle, vec![Text::new(text::DESK_LANGUAGE_CHOOSE)]);
    reply.keyboard = languages
        .iter()
        .enumerate()
        .map(|(n, lang)| {
            let name = Text::new(text::LANGUAGE_NAME).in_lang(lang);
            vec![Button::new(name, DeskAction::Language(n as u8))]
        })
        .collect();
    reply
}

/// Why `/assign` was refused, in a line.
fn assign_refused(why: &AssignRefusal) -> Text {
    match why {
        AssignRefusal::NotStaff(who) => {
            Text::new(text::DESK_ASSIGN_NOT_STAFF).arg("handle", who.as_str())
        }
        AssignRefusal::Suspended(who) => {
            Text::new(text::DESK_ASSIGN_SUSPENDED).arg("handle", who.as_str())
        }
        AssignRefusal::AtCap(who, max) => Text::new(text::DESK_ASSIGN_AT_CAP)
            .arg("handle", who.as_str())
            .arg("max", i64::from(*max)),
        AssignRefusal::NotOpen(code) => {
            Text::new(text::DESK_ASSIGN_NOT_OPEN).arg("code", code.as_str())
        }
    }
}

/// *Write to her*: what to type, and whether she sees it at once.
fn write_ask(handle: &str, code: &TicketCode, live: bool) -> Reply {
    let id = if live {
        text::DESK_WRITE_ASK_LIVE
    } else {
        text::DESK_WRITE_ASK
    };
    to(
        handle,
        vec![Text::new(id)
            .arg("code", code.as_str())
            .arg("max", LETTER_MAX_CHARS as i64)],
    )
}

/// `/mine`: the codes, each with a button that brings its card back (when
/// messages have scrolled it away).
fn mine(handle: &str, held: &[(RecordId, TicketCode)]) -> Reply {
    let codes: Vec<&str> = held.iter().map(|(_, code)| code.as_str()).collect();
    let mut reply = to(
        handle,
        vec![Text::new(text::DESK_MINE).arg("codes", codes.join(", "))],
    );
    reply.keyboard = held
        .iter()
        .map(|(id, code)| {
            vec![Button::new(
                Text::new(text::DESK_BUTTON_CARD_OF).arg("code", code.as_str()),
                DeskAction::ShowCard(*id),
            )]
        })
        .collect();
    reply
}

/// Off duty: how many went back to the queue, and the shift's counts.
fn off_duty(handle: &str, released: usize, shift: Option<super::ShiftFigures>) -> Reply {
    let mut parts = vec![Text::new(text::DESK_OFF).arg("count", released as i64)];
    parts.extend(shift.map(|figures| super::notices::shift_line(&figures)));
    to(handle, parts)
}

/// Going off duty: the handover note for request `code`, or none, or none for
/// any (`handed` went back already; `left` more after this one).
fn handover_ask(handle: &str, id: RecordId, code: &str, left: usize, handed: u16) -> Reply {
    let mut reply = to(
        handle,
        vec![Text::new(text::DESK_OFF_NOTE_ASK)
            .arg("code", code)
            .arg("left", left as i64)
            .arg("max", NOTE_MAX_CHARS as i64)],
    );
    reply.keyboard = vec![
        vec![Button::new(
            text::DESK_BUTTON_NO_NOTE,
            DeskAction::OffSkip(id, handed),
        )],
        vec![Button::new(
            text::DESK_BUTTON_OFF_NOW,
            DeskAction::OffAll(handed),
        )],
    ];
    reply
}
