use chrono::{Duration, TimeZone, Utc};

use super::*;
use crate::config::Center;
use crate::text::Arg;

fn center() -> Center {
    Center {
        phones: vec!["+996 555 000 111".into()],
        hours: [("ru".to_string(), "пн–пт 9–18".to_string())].into(),
        ..Center::default()
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
        shelter: None,
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
    assert_eq!(
        actions(&menu.replies[0]),
        [
            Action::Danger,
            Action::HelpTopics,
            Action::Shelter,
            Action::Covid(1),
            Action::RequestCallback(None),
            Action::Open(Section::MyRequest),
            Action::ChooseLanguage,
            Action::Open(Section::Erase),
        ]
    );
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

fn on(screen: Screen, cx: &Ctx) -> Dialogue {
    Dialogue {
        lang: "ru".into(),
        screen,
        updated_at: cx.now,
    }
}

#[test]
fn every_help_topic_explains_and_offers_a_callback_about_itself() {
    let (c, l) = (center(), langs());
    let cx = ctx(&c, &l, None);
    let topics = step(
        Some(on(Screen::Menu, &cx)),
        Input::Pressed(Action::HelpTopics),
        &cx,
    );
    let listed = actions(&topics.replies[0]);
    for topic in Topic::ALL {
        assert!(listed.contains(&Action::Topic(topic)), "{topic:?} listed");
        let out = step(
            Some(on(Screen::HelpTopics, &cx)),
            Input::Pressed(Action::Topic(topic)),
            &cx,
        );
        let buttons = actions(&out.replies[0]);
        assert!(
            buttons.contains(&Action::RequestCallback(Some(topic))),
            "{topic:?}"
        );
        assert!(buttons.contains(&Action::Menu));
        assert!(
            ids(&out.replies[0]).contains(&"contact-policy-bot"),
            "{topic:?}"
        );
    }
    assert!(listed.contains(&Action::SafetyPlan));
}

#[test]
fn contact_policy_names_the_configured_numbers() {
    let mut c = center();
    c.call_from = vec!["+996 312 000 001".into()];
    c.working_hours.insert("ru".into(), "пн–пт 9–18".into());
    let l = langs();
    let cx = ctx(&c, &l, None);
    let out = step(
        Some(on(Screen::HelpTopics, &cx)),
        Input::Pressed(Action::Topic(Topic::Legal)),
        &cx,
    );
    let policy = &out.replies[0].parts[1];
    assert_eq!(policy.id, text::CONTACT_POLICY_NUMBERS);
    assert_eq!(
        policy.args,
        [("numbers", Arg::Str("+996 312 000 001".into()))]
    );
    assert_eq!(out.replies[0].parts[2].id, text::CENTER_WORKING_HOURS);
}

#[test]
fn shelter_availability_is_coarse_and_expires_after_a_day() {
    let (c, l) = (center(), langs());
    let mut cx = ctx(&c, &l, None);
    let shown = |cx: &Ctx| {
        let out = step(
            Some(on(Screen::Menu, cx)),
            Input::Pressed(Action::Shelter),
            cx,
        );
        out.replies[0].parts[3].id
    };
    assert_eq!(shown(&cx), text::SHELTER_UNKNOWN, "never set");
    for (state, id) in [
        (ShelterState::Available, text::SHELTER_AVAILABLE),
        (ShelterState::Few, text::SHELTER_FEW),
        (ShelterState::Full, text::SHELTER_FULL),
    ] {
        cx.shelter = Some(ShelterStatus {
            state,
            set_at: cx.now - Duration::hours(23),
        });
        assert_eq!(shown(&cx), id);
        cx.shelter = Some(ShelterStatus {
            state,
            set_at: cx.now - Duration::hours(25),
        });
        assert_eq!(shown(&cx), text::SHELTER_UNKNOWN, "stale");
    }
    let from_topics = step(
        Some(on(Screen::HelpTopics, &cx)),
        Input::Pressed(Action::Topic(Topic::Shelter)),
        &cx,
    );
    assert_eq!(from_topics.dialogue.screen, Screen::Shelter);
}

#[test]
fn covid_pages_turn_in_place_with_a_counter() {
    let (c, l) = (center(), langs());
    let cx = ctx(&c, &l, None);
    let mut dialogue = on(Screen::Menu, &cx);
    for page in 1..=COVID_PAGES {
        let out = step(Some(dialogue), Input::Pressed(Action::Covid(page)), &cx);
        let reply = &out.replies[0];
        assert_eq!(reply.delivery, Delivery::EditPressed);
        assert_eq!(
            reply.parts[0].args,
            [("page", Arg::Num(page.into())), ("total", Arg::Num(6))]
        );
        let turns = actions(reply);
        assert_eq!(turns.contains(&Action::Covid(page + 1)), page < COVID_PAGES);
        assert_eq!(
            turns.contains(&Action::Covid(page.wrapping_sub(1))),
            page > 1
        );
        assert!(turns.contains(&Action::Menu));
        dialogue = out.dialogue;
    }
    assert_eq!(dialogue.screen, Screen::Covid(6));
}
