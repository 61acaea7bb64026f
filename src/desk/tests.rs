use chrono::{Duration, TimeZone};

use super::*;
use crate::ui::button_data;

pub(super) fn card() -> Card {
    Card {
        id: RecordId::random(),
        code: "K7QX".into(),
        topic: Topic::Legal,
        urgency: Urgency::DangerNow,
        contact: ContactMethod::Call,
        phone: Some("+996700123456".into()),
        phone_not_own: true,
        safe_time: SafeTime::Evening,
        if_other: Some(IfOtherAnswers::WrongNumber),
        code_word: Some("sunflower".into()),
        description: Some("documents".into()),
        sent_at: Utc.with_ymd_and_hms(2026, 4, 6, 9, 0, 0).unwrap(),
        tries: 1,
        same_number: true,
        lang: Some("ky".into()),
        window_open: false,
        note: Some("her sister answered".into()),
        held: Vec::new(),
        attempts: Vec::new(),
        hidden_from_her: false,
        restored: None,
        notes: Vec::new(),
        thread: Vec::new(),
    }
}

fn ids(reply: &Reply) -> Vec<&'static str> {
    fn walk(text: &Text, out: &mut Vec<&'static str>) {
        out.push(text.id.0);
        for line in &text.follow {
            walk(line, out);
        }
    }
    let mut out = Vec::new();
    for part in &reply.parts {
        walk(part, &mut out);
    }
    out
}

#[test]
fn commands_and_buttons_become_queue_effects() {
    let id = RecordId::random();
    for (input, effect) in [
        (
            DeskInput::Command(DeskCommand::Queue, String::new()),
            DeskEffect::ShowQueue(0),
        ),
        (
            DeskInput::Command(DeskCommand::Next, String::new()),
            DeskEffect::ClaimNext,
        ),
        (
            DeskInput::Command(DeskCommand::Mine, String::new()),
            DeskEffect::ListMine,
        ),
        (
            DeskInput::Pressed(DeskAction::Save(id, Outcome::default())),
            DeskEffect::Close(id, Outcome::default()),
        ),
        (
            DeskInput::Pressed(DeskAction::Release(id)),
            DeskEffect::Release(id),
        ),
        (
            DeskInput::Pressed(DeskAction::OfferAgain(id)),
            DeskEffect::OfferAgain(id),
        ),
        (
            DeskInput::Command(DeskCommand::Reopen, " k7qx ".into()),
            DeskEffect::Reopen("K7QX".into()),
        ),
        (
            DeskInput::Text("her sister answered".into()),
            DeskEffect::Note(Typed("her sister answered".into())),
        ),
        (
            DeskInput::Command(DeskCommand::Stats, String::new()),
            DeskEffect::Stats(None),
        ),
        (
            DeskInput::Command(DeskCommand::Export, "2025 quarter".into()),
            DeskEffect::Export(Some(2025), Span::Quarters),
        ),
        (
            DeskInput::Command(DeskCommand::Export, "YEAR 2026".into()),
            DeskEffect::Export(Some(2026), Span::Year),
        ),
    ] {
        let (replies, effects) = step("aigul", false, input);
        assert!(replies.is_empty());
        assert_eq!(effects, [effect]);
    }
    let (replies, effects) = step("aigul", false, DeskInput::Other);
    assert!(effects.is_empty());
    assert_eq!(ids(&replies[0]), [text::DESK_HELP.0]);
    assert_eq!(replies[0].to, Recipient::Staff("aigul".into()));
    for wrong in ["1999", "2026 2027", "2026 quarter", "next year", "20x6"] {
        let (replies, effects) = step(
            "aigul",
            false,
            DeskInput::Command(DeskCommand::Stats, wrong.into()),
        );
        assert!(effects.is_empty(), "{wrong}");
        assert_eq!(ids(&replies[0]), [text::REPORT_USAGE.0], "{wrong}");
    }
    let (replies, _) = step("aigul", true, DeskInput::Other);
    assert_eq!(
        ids(&replies[0]),
        [text::DESK_HELP.0, text::DESK_HELP_SUPERVISOR.0],
        "supervisors also see their commands"
    );
}

#[test]
fn the_card_shows_how_to_reach_her_safely_and_cannot_be_forwarded() {
    let card = card();
    let now = card.sent_at + Duration::minutes(42);
    let replies = answer("aigul", &DeskEvent::Claimed(Box::new(card.clone())), now);
    let reply = &replies[0];
    assert!(reply.protect, "protect_content");
    assert_eq!(reply.to, Recipient::Staff("aigul".into()));
    let shown = ids(reply);
    for id in [
        text::DESK_CARD_TITLE,
        text::DESK_CARD_PHONE,
        text::DESK_CARD_PHONE_NOT_OWN,
        text::DESK_CARD_SAME_NUMBER,
        text::DESK_CARD_IF_OTHER,
        text::DESK_CARD_CODE_WORD,
        text::DESK_CARD_DESCRIPTION,
        text::DESK_CARD_WAITED,
        text::DESK_CARD_TRIES,
        text::DESK_CARD_NOTE,
        text::DESK_CARD_LANGUAGE,
        text::DESK_CARD_WINDOW_LATER,
        text::DESK_CARD_CHECKLIST,
    ] {
        assert!(shown.contains(&id.0), "{} missing", id.0);
    }
    let waited = reply.parts[1]
        .follow
        .iter()
        .find(|t| t.id == text::DESK_CARD_WAITED)
        .unwrap();
    assert_eq!(waited.args, [("minutes", Arg::Num(42))]);
    // Its buttons carry the request and come back as the same actions.
    let actions: Vec<DeskAction> = reply.keyboard.iter().flatten().map(|b| b.action).collect();
    assert_eq!(
        actions,
        [
            DeskAction::Form(card.id, Outcome::for_topic(card.topic)),
            DeskAction::TriedMenu(card.id),
            DeskAction::NoteAsk(card.id),
            DeskAction::Release(card.id),
            DeskAction::BlockMenu(card.id),
        ]
    );
    for action in actions {
        let data = button_data::ButtonData::data(&action);
        assert!(data.len() <= button_data::MAX_LEN, "{data}");
        assert_eq!(
            button_data::decode(&data),
            Some(button_data::Pressed::Desk(action))
        );
    }
}

#[test]
fn the_checklist_follows_the_request_and_her_choices_are_in_staff_words() {
    let now = card().sent_at;
    let checklist_of = |card: Card| {
        let replies = answer("aigul", &DeskEvent::Claimed(Box::new(card)), now);
        let shown = ids(&replies[0]);
        [
            text::DESK_CARD_CHECKLIST,
            text::DESK_CARD_CHECKLIST_NO_CODE,
            text::DESK_CARD_CHECKLIST_WRITE,
        ]
        .into_iter()
        .filter(|id| shown.contains(&id.0))
        .collect::<Vec<_>>()
    };
    assert_eq!(checklist_of(card()), [text::DESK_CARD_CHECKLIST]);
    // The danger-now path asks for no code word.
    let no_code = Card {
        code_word: None,
        ..card()
    };
    assert_eq!(checklist_of(no_code), [text::DESK_CARD_CHECKLIST_NO_CODE]);
    let write = Card {
        contact: ContactMethod::Telegram,
        phone: None,
        ..card()
    };
    assert_eq!(checklist_of(write), [text::DESK_CARD_CHECKLIST_WRITE]);
    // Never her own first-person buttons.
    let replies = answer("aigul", &DeskEvent::Claimed(Box::new(card())), now);
    let values: Vec<&Arg> = replies[0].parts[1]
        .follow
        .iter()
        .flat_map(|t| t.args.iter().map(|(_, v)| v))
        .collect();
    for her_own in [
        text::URGENCY_DANGER_NOW,
        text::CONTACT_CALL,
        text::IF_OTHER_WRONG_NUMBER,
    ] {
        assert!(!values.contains(&&Arg::Msg(her_own)), "{}", her_own.0);
    }
    for staff_word in [
        text::DESK_URGENCY_DANGER_NOW,
        text::DESK_CONTACT_CALL,
        text::DESK_IF_OTHER_WRONG_NUMBER,
    ] {
        assert!(values.contains(&&Arg::Msg(staff_word)), "{}", staff_word.0);
    }
    assert!(values.contains(&&Arg::Str("+996 700 123 456".into())));
}

#[test]
fn ending_a_claim_deletes_the_card_and_says_so_in_one_line() {
    let now = Utc::now();
    for event in [
        DeskEvent::Finished {
            code: "K7QX".into(),
            closed: true,
        },
        DeskEvent::TryRecorded {
            code: "K7QX".into(),
            tries: 1,
            gave_up: false,
            until: Some("17:00".into()),
        },
    ] {
        let reply = &answer("aigul", &event, now)[0];
        assert_eq!(reply.delivery, Delivery::ReplacePressed, "{event:?}");
        assert!(reply.keyboard.is_empty());
        assert!(!reply.protect);
    }
    let reply = &answer("aigul", &DeskEvent::NotYours, now)[0];
    assert_eq!(reply.delivery, Delivery::EditPressed);
}

/// Every button of a form, with its action.
fn form_buttons(reply: &Reply) -> Vec<(Vec<&'static str>, bool, DeskAction)> {
    reply
        .keyboard
        .iter()
        .flatten()
        .map(|b| {
            (
                b.label.iter().map(|t| t.id.0).collect(),
                b.selected,
                b.action,
            )
        })
        .collect()
}

fn press_form(reply: &Reply, label: text::MsgId) -> Outcome {
    let (_, _, action) = form_buttons(reply)
        .into_iter()
        .find(|(labels, _, _)| labels == &[label.0])
        .unwrap_or_else(|| panic!("{} not on the form", label.0));
    match action {
        DeskAction::Form(_, outcome) => outcome,
        other => panic!("{other:?}"),
    }
}

/// The outcome form of request `id` (code K7QX) as filled in so far.
fn form_of(id: RecordId, outcome: Outcome, procedure: bool, center: Vec<MsgId>) -> Reply {
    let event = DeskEvent::Form {
        id,
        code: "K7QX".into(),
        outcome,
        procedure,
        center,
    };
    answer("aigul", &event, Utc::now()).remove(0)
}

/// The tags of the center's categories the Save button of `form` carries
/// (configured: `disability`).
fn saved_center(form: &Reply) -> Vec<String> {
    form_buttons(form)
        .into_iter()
        .find_map(|(_, _, action)| match action {
            DeskAction::Save(_, outcome) => Some(outcome.center_tags(&["disability".into()])),
            _ => None,
        })
        .unwrap()
}

#[test]
fn the_outcome_form_has_two_headed_pages_and_one_button_per_meaning() {
    let id = RecordId::random();
    let show = |outcome| form_of(id, outcome, false, Vec::new());
    let first = show(Outcome::for_topic(Topic::Legal));
    let page_lines = |page: &Reply| -> Vec<&str> {
        let lines = &page.parts[1];
        std::iter::once(lines.id.0)
            .chain(lines.follow.iter().map(|t| t.id.0))
            .collect()
    };
    let lines = page_lines(&first);
    assert_eq!(
        lines,
        [
            text::DESK_OUTCOME_RESULT.0,
            text::DESK_OUTCOME_HELP.0,
            text::DESK_OUTCOME_REFERRALS.0
        ]
    );
    // Every button's label is its own (two shelters once looked alike), in
    // every language.
    let locales = crate::i18n::Locales::embedded("ky").unwrap();
    let second = show(Outcome::default().turn_page());
    for page in [&first, &second] {
        let labels: Vec<Vec<&str>> = form_buttons(page).into_iter().map(|(l, _, _)| l).collect();
        for lang in locales.codes() {
            let words: Vec<String> = labels
                .iter()
                .map(|l| {
                    let said = l
                        .iter()
                        .map(|id| locales.format(&lang, &Text::new(MsgId(id))));
                    said.collect::<Vec<_>>().join(" ")
                })
                .collect();
            let mut unique = words.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), words.len(), "{lang}: {words:?}");
        }
    }
    // The help she asked for comes marked: *Done*, *Save* is the common case.
    let (_, chosen, _) = form_buttons(&first)
        .into_iter()
        .find(|(l, _, _)| l.contains(&text::OUTCOME_HELP_LEGAL.0))
        .unwrap();
    assert!(chosen);
    // A silent contact asks for no help and no referral.
    let silent = show(press_form(&first, text::OUTCOME_SILENT));
    let labels: Vec<&str> = form_buttons(&silent)
        .into_iter()
        .flat_map(|(l, _, _)| l)
        .collect();
    assert!(!labels.contains(&text::OUTCOME_HELP_LEGAL.0));
    assert!(labels.contains(&text::OUTCOME_TALKED.0));
    assert_eq!(page_lines(&second)[0], text::DESK_OUTCOME_FLAGS.0);
}

#[test]
fn the_outcome_form_carries_its_state_in_its_buttons_and_saves_it() {
    let id = RecordId::random();
    let disability = vec![text::MsgId::interned("outcome-center-disability")];
    let show = |outcome| form_of(id, outcome, true, disability.clone());
    let empty = show(Outcome::default());
    assert_eq!(
        empty.delivery,
        Delivery::EditPressed,
        "the card becomes the form"
    );
    // Help given and referrals: several; the child-at-risk flag shows the procedure.
    let form = press_form(&empty, text::OUTCOME_HELP_LEGAL);
    let form = press_form(&show(form), text::OUTCOME_HELP_DOCUMENTS);
    let form = press_form(&show(form), text::OUTCOME_REFER_POLICE);
    let shown = show(form);
    let help = shown.parts[1]
        .follow
        .iter()
        .find(|t| t.id == text::DESK_OUTCOME_HELP)
        .unwrap();
    assert_eq!(
        help.args,
        [(
            "list",
            Arg::List(vec![text::OUTCOME_HELP_LEGAL, text::OUTCOME_HELP_DOCUMENTS])
        )]
    );
    // The second page: the flags (child at risk shows the procedure), a
    // choice of one, the center's own category.
    let more = show(press_form(&shown, text::DESK_BUTTON_MORE));
    assert!(ids(&more).contains(&text::DESK_OUTCOME_MORE_TITLE.0));
    let form = press_form(&more, text::OUTCOME_CHILD_AT_RISK);
    assert!(ids(&show(form)).contains(&text::DESK_OUTCOME_PROCEDURE.0));
    let form = press_form(&show(form), text::OUTCOME_AGE_30);
    let form = press_form(
        &show(form),
        text::MsgId::interned("outcome-center-disability"),
    );
    let more = show(form);
    assert_eq!(saved_center(&more), ["disability"]);
    let form = press_form(&more, text::DESK_BUTTON_MAIN);
    // Save carries everything chosen.
    let saved = form_buttons(&show(form))
        .into_iter()
        .find_map(|(_, _, action)| match action {
            DeskAction::Save(saved_id, outcome) => Some((saved_id, outcome)),
            _ => None,
        })
        .unwrap();
    assert_eq!(saved.0, id);
    assert_eq!(
        saved.1.counters(),
        [
            "help/legal",
            "help/documents",
            "referral/police",
            "age/30-44",
            "flag/child-at-risk"
        ]
    );
    // Every button of every page fits Telegram's limit and decodes to itself.
    for page in [&empty, &shown, &more] {
        for (_, _, action) in form_buttons(page) {
            let data = button_data::ButtonData::data(&action);
            assert!(data.len() <= button_data::MAX_LEN, "{data}");
            assert_eq!(
                button_data::decode(&data),
                Some(button_data::Pressed::Desk(action))
            );
        }
    }
}

#[test]
fn a_child_at_risk_is_for_supervisors() {
    let notice = child_at_risk("K7QX", "Aigul", false);
    assert_eq!(notice.to, Recipient::Supervisors);
    assert_eq!(ids(&notice), [text::DESK_CHILD_AT_RISK_NO_PROCEDURE.0]);
    assert!(!notice.silent);
}

#[test]
fn forged_staff_button_data_is_refused() {
    let id = RecordId::random().to_hex();
    for forged in [
        format!("1:k:{id}:cancelled"),
        format!("1:k:{id}"),
        format!("1:kr:{}", &id[..30]),
        "1:kr:zz".to_string(),
        format!("1:kf:{id}:40000000"),
        format!("1:kd:{id}"),
        format!("1:kf:{id}:"),
        format!("1:ka:{id}:1"),
        format!("1:ko:{}", &id[..30]),
        "1:ko:zz".to_string(),
        format!("1:ko:{id}:1"),
        format!("1:ke:{id}"),
        format!("1:ke:{id}:x"),
        format!("1:ke:{id}:70000"),
        "1:ki:".to_string(),
        "1:ki:-1".to_string(),
    ] {
        assert_eq!(button_data::decode(&forged), None, "{forged}");
    }
}

#[test]
fn a_card_after_someone_else_answered_says_so_first_and_lists_every_try() {
    let mut card = card();
    let line = |at: &str, by: &str, result| TryLine {
        at: at.into(),
        by: by.into(),
        result,
    };
    card.attempts = vec![
        line("05.04 11:40", "aigul", TryResult::SomeoneElseAnswered),
        line("10:05", "nurzat", TryResult::NoAnswer),
    ];
    let now = card.sent_at;
    let reply = &answer("nurzat", &DeskEvent::Claimed(Box::new(card.clone())), now)[0];
    let first = &reply.parts[0];
    assert_eq!(first.id, text::DESK_CARD_OTHER_ANSWERED);
    assert_eq!(
        first.args,
        [("at", Arg::from("05.04 11:40")), ("by", Arg::from("aigul"))]
    );
    let tries: Vec<_> = reply.parts[2]
        .follow
        .iter()
        .filter(|t| t.id == text::DESK_CARD_TRY)
        .collect();
    assert_eq!(tries.len(), 2, "every try, oldest first");
    assert_eq!(tries[1].args[1], ("by", Arg::from("nurzat")));
    assert!(!ids(reply).contains(&text::DESK_CARD_HIDDEN.0));
    // Without someone else answering, the title comes first; a kept request says so.
    card.attempts.remove(0);
    card.hidden_from_her = true;
    let reply = &answer("nurzat", &DeskEvent::Claimed(Box::new(card)), now)[0];
    assert_eq!(reply.parts[0].id, text::DESK_CARD_TITLE);
    assert!(ids(reply).contains(&text::DESK_CARD_HIDDEN.0));
}

#[test]
fn someone_else_answering_a_danger_call_goes_to_the_supervisors_with_a_way_to_offer_it_sooner() {
    let id = RecordId::random();
    let last = TryLine {
        at: "15:00".into(),
        by: "aigul".into(),
        result: TryResult::SomeoneElseAnswered,
    };
    let alert = someone_else_answered(id, "K7QX", &last, "17:00");
    assert_eq!(alert.to, Recipient::Supervisors);
    assert_eq!(alert.keyboard[0][0].action, DeskAction::OfferAgain(id));
}

#[test]
fn a_supervisor_is_suspended_by_two_supervisors_within_ten_minutes_and_nobody_by_themselves() {
    let desk = DeskState::default();
    let t0 = Utc.with_ymd_and_hms(2026, 4, 6, 9, 0, 0).unwrap();
    let h = |s: &str| StaffHandle::from(s);
    let (a, b, c) = (h("sup_a"), h("sup_b"), h("sup_c"));
    assert_eq!(
        desk.suspension(&a, &a, true, vec![c.clone()], t0),
        Suspension::Refused(DeskEvent::SuspendSelf)
    );
    assert_eq!(
        desk.suspension(&a, &h("aigul"), false, vec![], t0),
        Suspension::Now,
        "a member who is not a supervisor: at once"
    );
    // No second supervisor: the operator's.
    assert_eq!(
        desk.suspension(&a, &b, true, vec![], t0),
        Suspension::Refused(DeskEvent::SuspendNeedsOperator(b.clone()))
    );
    // Asked; asking again is no confirmation; the target cannot confirm.
    let asked = Suspension::Asked {
        others: vec![c.clone()],
    };
    assert_eq!(desk.suspension(&a, &b, true, vec![c.clone()], t0), asked);
    assert_eq!(desk.suspension(&a, &b, true, vec![c.clone()], t0), asked);
    assert_eq!(
        desk.suspension(&b, &b, true, vec![a.clone(), c.clone()], t0),
        Suspension::Refused(DeskEvent::SuspendSelf)
    );
    // Another supervisor within ten minutes: done.
    let later = t0 + SUSPENSION_CONFIRM;
    assert_eq!(
        desk.suspension(&c, &b, true, vec![a.clone()], later),
        Suspension::Now
    );
    // Too late: asked anew.
    desk.suspension(&a, &b, true, vec![c.clone()], t0);
    let late = t0 + SUSPENSION_CONFIRM + Duration::seconds(1);
    assert_eq!(
        desk.suspension(&c, &b, true, vec![a.clone()], late),
        Suspension::Asked {
            others: vec![a.clone()]
        }
    );
}

#[test]
fn language_shows_the_choice_and_a_press_sets_it() {
    let (_, effects) = step(
        "aigul",
        false,
        DeskInput::Command(DeskCommand::Language, String::new()),
    );
    assert_eq!(effects, [DeskEffect::ShowLanguages]);
    let (_, effects) = step("aigul", false, DeskInput::Pressed(DeskAction::Language(1)));
    assert_eq!(effects, [DeskEffect::SetLanguage(1)]);
    let data = crate::ui::button_data::ButtonData::data(&DeskAction::Language(2));
    assert_eq!(
        crate::ui::button_data::decode(&data),
        Some(crate::ui::button_data::Pressed::Desk(DeskAction::Language(
            2
        )))
    );
}

#[test]
fn the_queue_lists_a_page_with_take_buttons_and_more() {
    let line = |n: usize| QueueLine {
        id: RecordId::random(),
        code: format!("K{n:03}").into(),
        urgency: Urgency::WithinDay,
        topic: Some(Topic::Legal),
        lang: Some("ru".into()),
        window_open: n % 2 == 0,
        tries: 0,
        minutes: n as i64,
        held: false,
    };
    let counts = QueueCounts {
        listed: (0..QUEUE_PAGE).map(line).collect(),
        from: 20,
        more: true,
        ..QueueCounts::default()
    };
    let now = card().sent_at;
    let reply = &answer("aigul", &DeskEvent::Queue(Box::new(counts.clone())), now)[0];
    let actions: Vec<DeskAction> = reply.keyboard.iter().flatten().map(|b| b.action).collect();
    assert_eq!(actions.len(), QUEUE_PAGE + 1);
    assert_eq!(actions[0], DeskAction::Take(counts.listed[0].id));
    assert_eq!(actions[QUEUE_PAGE], DeskAction::QueueFrom(40));
    assert!(ids(reply).contains(&text::DESK_QUEUE_LINE.0));
    // The last page: no *more*.
    let last = QueueCounts {
        more: false,
        ..counts
    };
    let reply = &answer("aigul", &DeskEvent::Queue(Box::new(last)), now)[0];
    assert!(!reply
        .keyboard
        .iter()
        .flatten()
        .any(|b| matches!(b.action, DeskAction::QueueFrom(_))));
    // Its buttons come back as themselves.
    for action in [
        DeskAction::Take(RecordId::random()),
        DeskAction::QueueFrom(40),
    ] {
        let data = button_data::ButtonData::data(&action);
        assert!(data.len() <= button_data::MAX_LEN, "{data}");
        assert_eq!(
            button_data::decode(&data),
            Some(button_data::Pressed::Desk(action))
        );
    }
}

#[test]
fn the_card_shows_the_newest_of_her_conversation_that_fits_and_how_many_earlier() {
    let said = |n: usize, chars: usize| SaidLine {
        at: format!("{n:02}:00"),
        by: (n % 2 == 1).then(|| StaffHandle::from("aigul")),
        text: "x".repeat(chars),
    };
    let mut long = card();
    long.thread = (0..10).map(|n| said(n, 400)).collect();
    let now = long.sent_at;
    let replies = answer("aigul", &DeskEvent::Claimed(Box::new(long)), now);
    let shown = ids(&replies[0]);
    let count = |id: text::MsgId| shown.iter().filter(|s| **s == id.0).count();
    // 1,500 characters: the newest three of 400.
    assert_eq!(
        count(text::DESK_CARD_SAID_HER) + count(text::DESK_CARD_SAID_US),
        3
    );
    assert_eq!(count(text::DESK_CARD_SAID_EARLIER), 1);
    assert_eq!(count(text::DESK_CARD_SAID_TITLE), 1);
    // One message longer than the room: shown, cut.
    let mut one = card();
    one.thread = vec![said(0, 5_000)];
    let replies = answer("aigul", &DeskEvent::Claimed(Box::new(one)), now);
    let lines = &replies[0].parts[1];
    let all: Vec<&Text> = std::iter::once(lines).chain(&lines.follow).collect();
    let her = all
        .iter()
        .find(|t| t.id == text::DESK_CARD_SAID_HER)
        .unwrap();
    let text = her.args.iter().find(|(k, _)| *k == "text").unwrap();
    assert_eq!(text.1, Arg::Str("x".repeat(CARD_THREAD_CHARS)));
}

#[test]
fn a_conversation_longer_than_the_card_has_a_button_for_all_of_it_in_a_message_that_goes_with_the_card(
) {
    let said = |n: usize| SaidLine {
        at: format!("{n:02}:00"),
        by: None,
        text: format!("{n} ") + &"x".repeat(400),
    };
    let mut long = card();
    long.thread = (0..6).map(said).collect();
    let now = long.sent_at;
    let replies = answer("aigul", &DeskEvent::Claimed(Box::new(long.clone())), now);
    assert_eq!(
        replies[0].keyboard[0][0].action,
        DeskAction::Thread(long.id)
    );
    let whole = thread_message("aigul", long.id, "K7QX", &long.thread);
    assert!(whole.protect);
    assert_eq!(whole.relayed, Some(long.id), "deleted with the card");
    let lines = &whole.parts[1];
    assert_eq!(1 + lines.follow.len(), 6, "every message, no title line");
    // A short one needs no button.
    let mut short = card();
    short.thread = vec![said(0)];
    let replies = answer("aigul", &DeskEvent::Claimed(Box::new(short)), now);
    assert!(!replies[0]
        .keyboard
        .iter()
        .flatten()
        .any(|b| matches!(b.action, DeskAction::Thread(_))));
}

#[test]
fn ready_words_are_in_her_language_short_enough_to_copy_and_only_for_a_written_request() {
    let locales = crate::i18n::Locales::embedded("ky").unwrap();
    let center = crate::config::Center::default();
    let written = Card {
        contact: ContactMethod::Telegram,
        ..card()
    };
    for her in ["ky", "ru", "uz"] {
        let card = Card {
            lang: Some(her.into()),
            ..written.clone()
        };
        let reply = answer("aigul", &DeskEvent::Claimed(Box::new(card)), Utc::now()).remove(0);
        // The staff member reads Russian; the words are in her language.
        let rendered = crate::ui::render::render(&locales, &center, "ru", &reply);
        let copied: Vec<(String, String)> = rendered
            .keyboard
            .iter()
            .flatten()
            .filter_map(|b| Some((b.label.clone(), b.copy.clone()?)))
            .collect();
        assert_eq!(copied.len(), 3, "{her}");
        assert!(copied[0].0.starts_with("📋 Что взять"), "{copied:?}");
        let expected = locales.format(her, &Text::new(text::CANNED_LATER));
        assert_eq!(copied[2].1, expected, "{her}");
        // Whole: Telegram takes at most 256 characters (the render cuts).
        for words in [text::CANNED_SHELTER, text::CANNED_LEGAL, text::CANNED_LATER] {
            let full = locales.format(her, &Text::new(words));
            assert!(
                full.chars().count() <= crate::ui::render::COPY_MAX_CHARS,
                "{her}: {full}"
            );
        }
    }
    // A call: nothing to write, no ready words.
    let call = answer("aigul", &DeskEvent::Claimed(Box::new(card())), Utc::now()).remove(0);
    assert!(call.keyboard.iter().flatten().all(|b| b.copy.is_none()));
}

#[test]
fn the_help_names_every_command_of_the_table_in_every_language() {
    use crate::ui::commands::listed;
    let locales = crate::i18n::Locales::embedded("ky").unwrap();
    for lang in locales.codes() {
        let say = |id| locales.format(&lang, &Text::new(id));
        for (role, help) in [
            (Role::Staff, say(text::DESK_HELP)),
            (Role::Supervisor, say(text::DESK_HELP_SUPERVISOR)),
        ] {
            for spec in listed(role) {
                let named = format!("/{}", spec.name);
                assert!(
                    help.contains(&named),
                    "{lang}: {named} missing from\n{help}"
                );
            }
        }
    }
}
