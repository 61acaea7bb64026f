use chrono::{Duration, TimeZone, Utc};

use super::*;
use crate::config::Center;

fn center() -> Center {
    Center {
        phones: vec!["+996 555 000 111".into()],
        hours: [("ru".to_string(), "пн–пт 9–18".to_string())].into(),
    }
}

fn langs() -> Vec<String> {
    vec!["ky".into(), "ru".into()]
}

fn ctx<'a>(center: &'a Center, langs: &'a [String], hint: Option<&str>) -> Ctx<'a> {
    Ctx {
        now: Utc.with_ymd_and_hms(2026, 3, 1, 10, 0, 0).unwrap(),
        center,
        languages: langs,
        default_language: "ky",
        language_hint: hint.map(str::to_string),
        draft_ttl: Duration::hours(6),
    }
}

fn ids(reply: &Reply) -> Vec<&'static str> {
    reply.parts.iter().map(|t| t.id.0).collect()
}

fn actions(reply: &Reply) -> Vec<Action> {
    reply
        .keyboard
        .iter()
        .flatten()
        .map(|b| b.action.clone())
        .collect()
}

#[test]
fn first_message_gets_the_bilingual_first_reply_with_numbers() {
    let (c, l) = (center(), langs());
    let out = step(None, Input::Text("salam".into()), &ctx(&c, &l, None));
    assert_eq!(out.dialogue.screen, Screen::FirstContact);
    let reply = &out.replies[0];
    let first: Vec<_> = reply
        .parts
        .iter()
        .filter(|t| t.id == text::FIRST_CONTACT)
        .map(|t| t.lang.clone().unwrap())
        .collect();
    assert_eq!(first, ["ky", "ru"]);
    assert!(ids(reply).contains(&"center-phones"));
    assert_eq!(
        reply.keyboard[0][0].label.len(),
        2,
        "danger label in both languages"
    );
    assert_eq!(
        actions(reply),
        [
            Action::Danger,
            Action::SetLanguage("ky".into()),
            Action::SetLanguage("ru".into())
        ]
    );
}

#[test]
fn telegram_language_is_preselected() {
    let (c, l) = (center(), langs());
    let out = step(
        None,
        Input::Command(Command::Start),
        &ctx(&c, &l, Some("ru")),
    );
    assert_eq!(out.dialogue.lang, "ru");
    let marked: Vec<_> = out.replies[0].keyboard[1]
        .iter()
        .map(|b| b.label[0].id)
        .collect();
    assert_eq!(marked, [text::LANGUAGE_NAME, text::LANGUAGE_CURRENT]);
}

#[test]
fn unconfigured_center_phone_is_left_out() {
    let (c, l) = (Center::default(), langs());
    let out = step(None, Input::Command(Command::Start), &ctx(&c, &l, None));
    assert!(!ids(&out.replies[0]).contains(&"center-phones"));
    let danger = step(
        Some(out.dialogue),
        Input::Pressed(Action::Danger),
        &ctx(&c, &l, None),
    );
    assert_eq!(ids(&danger.replies[0]), ["danger-now", "danger-callback"]);
}

#[test]
fn choosing_a_language_leads_to_welcome_then_menu() {
    let (c, l) = (center(), langs());
    let cx = ctx(&c, &l, None);
    let first = step(None, Input::Command(Command::Start), &cx);
    let welcome = step(
        Some(first.dialogue),
        Input::Pressed(Action::SetLanguage("ru".into())),
        &cx,
    );
    assert_eq!(welcome.dialogue.lang, "ru");
    assert_eq!(welcome.dialogue.screen, Screen::Welcome);
    assert_eq!(
        ids(&welcome.replies[0]),
        ["welcome", "welcome-privacy", "welcome-hide-erase"]
    );
    let menu = step(
        Some(welcome.dialogue),
        Input::Pressed(Action::Continue),
        &cx,
    );
    assert_eq!(menu.dialogue.screen, Screen::Menu);
    let all = actions(&menu.replies[0]);
    for section in Section::ALL {
        assert!(all.contains(&Action::Open(section)), "{section:?} missing");
    }
    assert!(all.contains(&Action::Danger) && all.contains(&Action::ChooseLanguage));
}

#[test]
fn danger_screen_shows_numbers_center_and_hours_in_her_language() {
    let (c, l) = (center(), langs());
    let cx = ctx(&c, &l, Some("ru"));
    let out = step(None, Input::Pressed(Action::Danger), &cx);
    assert_eq!(out.dialogue.screen, Screen::Danger);
    assert_eq!(
        ids(&out.replies[0]),
        [
            "danger-now",
            "center-phones",
            "center-hours",
            "danger-callback"
        ]
    );
    assert_eq!(out.replies[0].delivery, Delivery::EditPressed);
}

#[test]
fn language_changes_from_the_menu_and_the_command() {
    let (c, l) = (center(), langs());
    let cx = ctx(&c, &l, None);
    let d = Dialogue {
        lang: "ky".into(),
        screen: Screen::Menu,
        updated_at: cx.now,
    };
    let out = step(Some(d), Input::Command(Command::Language), &cx);
    assert_eq!(out.dialogue.screen, Screen::Language);
    let out = step(
        Some(out.dialogue),
        Input::Pressed(Action::SetLanguage("ru".into())),
        &cx,
    );
    assert_eq!(out.dialogue.lang, "ru");
    assert_eq!(out.dialogue.screen, Screen::Menu);
    assert_eq!(out.replies[0].parts[0].id, text::LANGUAGE_CHANGED);
}

#[test]
fn unknown_language_in_a_button_is_answered_with_the_menu() {
    let (c, l) = (center(), langs());
    let cx = ctx(&c, &l, None);
    let d = Dialogue {
        lang: "ru".into(),
        screen: Screen::Danger,
        updated_at: cx.now,
    };
    let out = step(
        Some(d),
        Input::Pressed(Action::SetLanguage("xx".into())),
        &cx,
    );
    assert_eq!(out.dialogue.lang, "ru");
    assert_eq!(out.dialogue.screen, Screen::Menu);
    assert_eq!(out.replies[0].parts[0].id, text::STALE_BUTTON);
}

#[test]
fn unexpected_inputs_get_a_note_and_the_current_screen() {
    let (c, l) = (center(), langs());
    let cx = ctx(&c, &l, None);
    let on_danger = Dialogue {
        lang: "ky".into(),
        screen: Screen::Danger,
        updated_at: cx.now,
    };
    for (input, note) in [
        (Input::Media(Media::Sticker), text::UNEXPECTED_MEDIA),
        (Input::Text("x".repeat(10_000)), text::FREE_TEXT),
        (Input::Command(Command::Unknown), text::UNKNOWN_COMMAND),
    ] {
        let out = step(Some(on_danger.clone()), input, &cx);
        assert_eq!(out.dialogue.screen, Screen::Danger);
        assert_eq!(out.replies[0].parts[0].id, note);
        assert_eq!(out.replies[0].parts[1].id, text::DANGER_NOW);
    }
    let out = step(Some(on_danger), Input::UnreadableButton, &cx);
    assert_eq!(out.dialogue.screen, Screen::Menu);
    assert_eq!(out.replies[0].parts[0].id, text::STALE_BUTTON);
}

#[test]
fn idle_sub_screen_returns_to_the_menu_after_the_draft_ttl() {
    let (c, l) = (center(), langs());
    let cx = ctx(&c, &l, None);
    let old = Dialogue {
        lang: "ru".into(),
        screen: Screen::Section(Section::Callback),
        updated_at: cx.now - Duration::hours(7),
    };
    let out = step(Some(old.clone()), Input::Media(Media::Photo), &cx);
    assert_eq!(out.dialogue.screen, Screen::Menu);
    assert_eq!(out.dialogue.updated_at, cx.now);
    let recent = Dialogue {
        updated_at: cx.now - Duration::hours(5),
        ..old
    };
    let out = step(Some(recent), Input::Media(Media::Photo), &cx);
    assert_eq!(out.dialogue.screen, Screen::Section(Section::Callback));
}

#[test]
fn every_menu_section_has_a_way_back_to_the_menu() {
    let (c, l) = (center(), langs());
    let cx = ctx(&c, &l, None);
    for section in Section::ALL {
        let d = Dialogue {
            lang: "ky".into(),
            screen: Screen::Menu,
            updated_at: cx.now,
        };
        let out = step(Some(d), Input::Pressed(Action::Open(section)), &cx);
        assert!(actions(&out.replies[0]).contains(&Action::Menu));
    }
}
