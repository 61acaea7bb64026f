use chrono::{Duration, TimeZone};

use super::*;
use crate::button_data;

fn card() -> Card {
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
            DeskEffect::ShowQueue,
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
            DeskInput::Pressed(DeskAction::Close(id, Resolution::Helped)),
            DeskEffect::Finish {
                id,
                resolution: Some(Resolution::Helped),
            },
        ),
        (
            DeskInput::Pressed(DeskAction::Release(id)),
            DeskEffect::Finish {
                id,
                resolution: None,
            },
        ),
    ] {
        let (replies, effects) = step("aigul", input);
        assert!(replies.is_empty());
        assert_eq!(effects, [effect]);
    }
    let (replies, effects) = step("aigul", DeskInput::Other);
    assert!(effects.is_empty());
    assert_eq!(ids(&replies[0]), [text::DESK_HELP.0]);
    assert_eq!(replies[0].to, Recipient::Staff("aigul".into()));
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
    let actions: Vec<Action> = reply
        .keyboard
        .iter()
        .flatten()
        .map(|b| b.action.clone())
        .collect();
    assert_eq!(
        actions,
        [
            Action::Staff(DeskAction::Close(card.id, Resolution::Helped)),
            Action::Staff(DeskAction::TriedMenu(card.id)),
            Action::Staff(DeskAction::Release(card.id)),
        ]
    );
    for action in actions {
        let data = button_data::encode(&action);
        assert!(data.len() <= button_data::MAX_LEN, "{data}");
        assert_eq!(button_data::decode(&data), Some(action));
    }
}

#[test]
fn ending_a_claim_replaces_the_card() {
    let now = Utc::now();
    for event in [
        DeskEvent::Finished {
            code: "K7QX".into(),
            closed: true,
        },
        DeskEvent::NotYours,
    ] {
        let reply = &answer("aigul", &event, now)[0];
        assert_eq!(reply.delivery, Delivery::EditPressed);
        assert!(reply.keyboard.is_empty());
    }
}

#[test]
fn forged_staff_button_data_is_refused() {
    let id = RecordId::random().to_hex();
    for forged in [
        format!("1:k:{id}:cancelled"),
        format!("1:k:{id}"),
        format!("1:kr:{}", &id[..30]),
        "1:kr:zz".to_string(),
    ] {
        assert_eq!(button_data::decode(&forged), None, "{forged}");
    }
}
