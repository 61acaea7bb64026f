use chrono::{Duration, TimeZone, Utc};

use super::*;
use crate::config::Center;
use crate::domain::shelter::ShelterState;
use crate::i18n::text::Arg;

fn center() -> Center {
    Center {
        phones: vec!["+996 555 000 111".into()],
        hours: [("ru".to_string(), "Mon-Fri 9-18".to_string())].into(),
        ..Center::default()
    }
}

fn langs() -> Vec<String> {
    vec!["ky".into(), "ru".into()]
}

fn ctx<'a>(center: &'a Center, langs: &'a [String], hint: Option<&str>) -> Ctx<'a> {
    let now = Utc.with_ymd_and_hms(2026, 3, 1, 10, 0, 0).unwrap();
    Ctx {
        language_hint: hint.map(str::to_string),
        ..Ctx::defaults(now, center, langs, "ky", &WINDOWS)
    }
}

static WINDOWS: std::sync::LazyLock<crate::domain::schedule::ContactWindows> =
    std::sync::LazyLock::new(Default::default);

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
    assert_eq!(out.dialogue.as_ref().unwrap().screen, Screen::FirstContact);
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
            Action::SetLanguage("ru".into()),
            Action::Hide
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
    assert_eq!(out.dialogue.as_ref().unwrap().lang, "ru");
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
        out.dialogue,
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
        first.dialogue,
        Input::Pressed(Action::SetLanguage("ru".into())),
        &cx,
    );
    assert_eq!(welcome.dialogue.as_ref().unwrap().lang, "ru");
    assert_eq!(welcome.dialogue.as_ref().unwrap().screen, Screen::Welcome);
    assert_eq!(
        ids(&welcome.replies[0]),
        ["welcome", "welcome-privacy", "welcome-hide-erase"]
    );
    let menu = step(welcome.dialogue, Input::Pressed(Action::Continue), &cx);
    assert_eq!(menu.dialogue.as_ref().unwrap().screen, Screen::Menu);
    assert_eq!(
        actions(&menu.replies[0]),
        [
            Action::Danger,
            Action::HelpTopics,
            Action::Shelter,
            Action::Covid(1),
            Action::RequestCallback(None),
            Action::MyRequest,
            Action::ChooseLanguage,
            Action::Erase,
            Action::Hide,
        ]
    );
}

#[test]
fn danger_screen_shows_numbers_center_and_hours_in_her_language() {
    let (c, l) = (center(), langs());
    let cx = ctx(&c, &l, Some("ru"));
    let out = step(None, Input::Pressed(Action::Danger), &cx);
    assert_eq!(out.dialogue.as_ref().unwrap().screen, Screen::Danger);
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
        draft: None,
    };
    let out = step(Some(d), Input::Command(Command::Language), &cx);
    assert_eq!(out.dialogue.as_ref().unwrap().screen, Screen::Language);
    let out = step(
        out.dialogue,
        Input::Pressed(Action::SetLanguage("ru".into())),
        &cx,
    );
    assert_eq!(out.dialogue.as_ref().unwrap().lang, "ru");
    assert_eq!(out.dialogue.as_ref().unwrap().screen, Screen::Menu);
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
        draft: None,
    };
    let out = step(
        Some(d),
        Input::Pressed(Action::SetLanguage("xx".into())),
        &cx,
    );
    assert_eq!(out.dialogue.as_ref().unwrap().lang, "ru");
    assert_eq!(out.dialogue.as_ref().unwrap().screen, Screen::Menu);
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
        draft: None,
    };
    for (input, note) in [
        (Input::Media(Media::Sticker), text::UNEXPECTED_MEDIA),
        (Input::Text("x".repeat(10_000)), text::FREE_TEXT),
        (Input::Command(Command::Unknown), text::UNKNOWN_COMMAND),
    ] {
        let out = step(Some(on_danger.clone()), input, &cx);
        assert_eq!(out.dialogue.as_ref().unwrap().screen, Screen::Danger);
        assert_eq!(out.replies[0].parts[0].id, note);
        assert_eq!(out.replies[0].parts[1].id, text::DANGER_NOW);
    }
    let out = step(Some(on_danger), Input::UnreadableButton, &cx);
    assert_eq!(out.dialogue.as_ref().unwrap().screen, Screen::Menu);
    assert_eq!(out.replies[0].parts[0].id, text::STALE_BUTTON);
}

#[test]
fn after_the_draft_ttl_she_is_back_at_the_menu_and_the_draft_is_forgotten() {
    let (c, l) = (center(), langs());
    let cx = ctx(&c, &l, None);
    let old = Dialogue {
        lang: "ru".into(),
        screen: Screen::Wizard,
        updated_at: cx.now - Duration::hours(7),
        draft: Some(Draft {
            step: Step::Description,
            ..Draft::default()
        }),
    };
    let out = step(Some(old.clone()), Input::Media(Media::Photo), &cx);
    let after = out.dialogue.unwrap();
    assert_eq!((after.screen, after.draft), (Screen::Menu, None));
    assert_eq!(after.updated_at, cx.now);
    let recent = Dialogue {
        updated_at: cx.now - Duration::hours(5),
        ..old
    };
    let out = step(Some(recent), Input::Media(Media::Photo), &cx);
    assert_eq!(out.dialogue.unwrap().screen, Screen::Wizard);
}

#[test]
fn whatever_she_sends_leaves_her_screen_and_buttons_leave_nothing() {
    let (c, l) = (center(), langs());
    let cx = ctx(&c, &l, None);
    let sent = [
        Input::Command(Command::Menu),
        Input::Command(Command::Unknown),
        Input::Text("hello".into()),
        Input::SharedContact {
            phone: "+996700123456".into(),
            own: true,
        },
    ]
    .into_iter()
    .chain(
        [
            Media::Sticker,
            Media::Photo,
            Media::Voice,
            Media::Video,
            Media::Document,
            Media::Location,
            Media::Other,
        ]
        .map(Input::Media),
    );
    for input in sent {
        let out = step(Some(on(Screen::Shelter, &cx)), input.clone(), &cx);
        assert!(out.effects.contains(&Effect::DeleteIncoming), "{input:?}");
    }
    for input in [Input::Pressed(Action::Menu), Input::UnreadableButton] {
        let out = step(Some(on(Screen::Shelter, &cx)), input.clone(), &cx);
        assert!(!out.effects.contains(&Effect::DeleteIncoming), "{input:?}");
    }
}

#[test]
fn every_screen_has_hide_and_a_way_on() {
    let (c, l) = (center(), langs());
    let cx = ctx(&c, &l, None);
    for screen in every_screen() {
        let d = Dialogue {
            lang: "ky".into(),
            screen,
            updated_at: cx.now,
            draft: Some(Draft::default()),
        };
        let out = step(Some(d), Input::Media(Media::Sticker), &cx);
        let all = actions(&out.replies[0]);
        assert_eq!(all.last(), Some(&Action::Hide), "{screen:?}");
        assert!(all.len() > 1, "{screen:?} has more than Hide");
    }
}

fn on(screen: Screen, cx: &Ctx) -> Dialogue {
    Dialogue {
        lang: "ru".into(),
        screen,
        updated_at: cx.now,
        draft: None,
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
    c.working_hours.insert("ru".into(), "Mon-Fri 9-18".into());
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
    assert_eq!(
        from_topics.dialogue.as_ref().unwrap().screen,
        Screen::Shelter
    );
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
        dialogue = out.dialogue.unwrap();
    }
    assert_eq!(dialogue.screen, Screen::Covid(6));
}

mod wizard_flow {
    use super::*;
    use crate::domain::phone::Phone;
    use crate::domain::request::{
        ContactMethod, IfOtherAnswers, RequestView, SafeTime, Urgency, ViewState,
    };

    fn press(out: Stepped, action: WizardAction, cx: &Ctx) -> Stepped {
        step(out.dialogue, Input::Pressed(Action::Wizard(action)), cx)
    }

    fn typed(out: Stepped, text: &str, cx: &Ctx) -> Stepped {
        step(out.dialogue, Input::Text(text.into()), cx)
    }

    fn at(out: &Stepped) -> Step {
        out.dialogue.as_ref().unwrap().draft.as_ref().unwrap().step
    }

    fn submitted(out: &Stepped) -> Option<crate::domain::request::Submission> {
        out.effects.iter().find_map(|e| match e {
            Effect::Submit { submission, .. } => Some(submission.clone()),
            _ => None,
        })
    }

    #[test]
    fn the_full_path_collects_every_answer_and_submits_once() {
        let (c, l) = (center(), langs());
        let cx = ctx(&c, &l, None);
        let mut out = step(
            Some(on(Screen::Menu, &cx)),
            Input::Pressed(Action::RequestCallback(None)),
            &cx,
        );
        assert_eq!(at(&out), Step::Topic);
        out = press(out, WizardAction::Topic(Topic::Documents), &cx);
        out = press(out, WizardAction::Urgency(Urgency::WithinDay), &cx);
        out = press(out, WizardAction::Contact(ContactMethod::Call), &cx);
        assert_eq!(at(&out), Step::Phone);
        out = typed(out, "0555 12-34-56", &cx);
        assert_eq!(out.effects, [Effect::DeleteIncoming]);
        out = press(out, WizardAction::SafeTime(SafeTime::Morning), &cx);
        out = press(out, WizardAction::IfOther(IfOtherAnswers::WrongNumber), &cx);
        out = typed(out, "  lilac\u{7} ", &cx);
        assert_eq!(out.effects, [Effect::DeleteIncoming]);
        out = typed(out, "line one\nline\u{0}two", &cx);
        assert_eq!(at(&out), Step::Summary);
        let summary = &out.replies[0];
        let lines = summary
            .parts
            .iter()
            .flat_map(|p| std::iter::once(p).chain(&p.follow));
        assert!(lines.clone().any(|p| p
            .args
            .contains(&("phone", Arg::Str("+996555123456".into())))));
        out = press(out, WizardAction::Send, &cx);
        let sent = submitted(&out).expect("submitted");
        assert_eq!(sent.topic, Topic::Documents);
        assert_eq!(sent.phone, Phone::parse("+996555123456").ok());
        assert_eq!(sent.code_word.as_deref(), Some("lilac"));
        assert_eq!(sent.description.as_deref(), Some("line one\nlinetwo"));
        assert_eq!(sent.if_other, Some(IfOtherAnswers::WrongNumber));
        assert!(
            out.replies.is_empty(),
            "the confirmation waits for the queue"
        );
        assert_eq!(out.dialogue.as_ref().unwrap().draft, None);
        // A second Send (double tap, redelivered update) never submits again.
        let again = press(out, WizardAction::Send, &cx);
        assert_eq!(submitted(&again), None);
    }

    #[test]
    fn from_a_help_topic_the_topic_is_preselected() {
        let (c, l) = (center(), langs());
        let cx = ctx(&c, &l, None);
        let out = step(
            Some(on(Screen::Topic(Topic::Psychological), &cx)),
            Input::Pressed(Action::RequestCallback(Some(Topic::Psychological))),
            &cx,
        );
        let draft = out.dialogue.unwrap().draft.unwrap();
        assert_eq!(
            (draft.topic, draft.step),
            (Some(Topic::Psychological), Step::Urgency)
        );
    }

    #[test]
    fn danger_now_is_three_taps_with_safe_defaults() {
        let (c, l) = (center(), langs());
        let cx = ctx(&c, &l, None);
        let out = step(
            Some(on(Screen::Danger, &cx)),
            Input::Pressed(Action::UrgentCallback),
            &cx,
        );
        assert_eq!(at(&out), Step::Contact);
        assert_eq!(
            out.replies[0].parts[0].id,
            text::DANGER_NOW,
            "numbers first"
        );
        let out = press(out, WizardAction::Contact(ContactMethod::Call), &cx);
        let out = typed(out, "+7 916 123 45 67", &cx);
        assert_eq!(at(&out), Step::Summary);
        let sent = submitted(&press(out, WizardAction::Send, &cx)).unwrap();
        assert_eq!(sent.urgency, Urgency::DangerNow);
        assert_eq!(sent.safe_time, SafeTime::Any);
        assert_eq!(sent.if_other, Some(IfOtherAnswers::WrongNumber));
        // By Telegram it is two.
        let out = step(
            Some(on(Screen::Danger, &cx)),
            Input::Pressed(Action::UrgentCallback),
            &cx,
        );
        let out = press(out, WizardAction::Contact(ContactMethod::Telegram), &cx);
        assert_eq!(at(&out), Step::Summary);
        let sent = submitted(&press(out, WizardAction::Send, &cx)).unwrap();
        assert_eq!((sent.phone, sent.if_other), (None, None));
    }

    #[test]
    fn her_core_says_what_changes_in_her_session() {
        let (c, l) = (center(), langs());
        let cx = ctx(&c, &l, None);
        let changes = |out: &Stepped| out.session.clone();
        let typed_goes = |keep_pressed| SessionChange::TypedGoes { keep_pressed };
        // Into the wizard from the menu: a start counts; nothing typed goes.
        let out = step(
            Some(on(Screen::Menu, &cx)),
            Input::Pressed(Action::RequestCallback(None)),
            &cx,
        );
        assert_eq!(
            changes(&out),
            [SessionChange::StartedRequest, SessionChange::StillHere]
        );
        // A step inside the wizard counts nothing more.
        let out = press(out, WizardAction::Topic(Topic::Legal), &cx);
        assert_eq!(changes(&out), [SessionChange::StillHere]);
        // Out of it: what she typed goes — all of it after /start, all but
        // the pressed message after the menu's button (it becomes the menu).
        let start = step(out.dialogue.clone(), Input::Command(Command::Start), &cx);
        assert_eq!(
            changes(&start),
            [typed_goes(false), SessionChange::StillHere]
        );
        let menu = step(out.dialogue.clone(), Input::Pressed(Action::Menu), &cx);
        assert_eq!(changes(&menu), [typed_goes(true), SessionChange::StillHere]);
        // Danger now never counts toward the day's limit.
        let danger = step(
            Some(on(Screen::Danger, &cx)),
            Input::Pressed(Action::UrgentCallback),
            &cx,
        );
        assert_eq!(changes(&danger), [SessionChange::StillHere]);
        // Send keeps the pressed summary (it becomes the confirmation).
        let danger = press(danger, WizardAction::Contact(ContactMethod::Telegram), &cx);
        let sent = press(danger, WizardAction::Send, &cx);
        assert_eq!(changes(&sent), [typed_goes(true), SessionChange::StillHere]);
        // Hide: she is quiet for a while.
        let hidden = step(
            Some(on(Screen::Shelter, &cx)),
            Input::Pressed(Action::Hide),
            &cx,
        );
        assert!(changes(&hidden).contains(&SessionChange::Hidden));
    }

    fn at_step(step_: Step, contact: ContactMethod, cx: &Ctx) -> Stepped {
        let mut d = on(Screen::Wizard, cx);
        d.draft = Some(Draft {
            step: step_,
            topic: Some(Topic::Legal),
            urgency: Some(Urgency::CanWait),
            contact: Some(contact),
            ..Draft::default()
        });
        Stepped {
            dialogue: Some(d),
            replies: Vec::new(),
            effects: Vec::new(),
            session: Vec::new(),
        }
    }

    #[test]
    fn wrong_numbers_are_refused_with_an_example_and_deleted() {
        let (c, l) = (center(), langs());
        let cx = ctx(&c, &l, None);
        for (wrong, note) in [
            ("call me at home", text::WIZARD_PHONE_NOT_A_NUMBER),
            ("12345", text::WIZARD_PHONE_IMPLAUSIBLE),
            ("89161234567", text::WIZARD_PHONE_IMPLAUSIBLE),
        ] {
            let out = typed(at_step(Step::Phone, ContactMethod::Call, &cx), wrong, &cx);
            assert_eq!(at(&out), Step::Phone, "{wrong}");
            assert_eq!(out.replies[0].parts[0].id, note);
            assert_eq!(out.effects, [Effect::DeleteIncoming]);
        }
    }

    #[test]
    fn shared_contacts_are_accepted_and_marked_when_not_her_own() {
        let (c, l) = (center(), langs());
        let cx = ctx(&c, &l, None);
        let out = step(
            at_step(Step::Phone, ContactMethod::Call, &cx).dialogue,
            Input::SharedContact {
                phone: "996700111222".into(),
                own: false,
            },
            &cx,
        );
        let draft = out.dialogue.as_ref().unwrap().draft.clone().unwrap();
        assert_eq!(draft.phone, Phone::parse("+996700111222").ok());
        assert!(draft.phone_not_own);
        assert_eq!(out.effects, [Effect::DeleteIncoming]);
    }

    #[test]
    fn long_descriptions_are_refused_not_cut() {
        let (c, l) = (center(), langs());
        let cx = ctx(&c, &l, None);
        let out = typed(
            at_step(Step::Description, ContactMethod::Telegram, &cx),
            &"\u{44f}".repeat(501),
            &cx,
        );
        assert_eq!(at(&out), Step::Description);
        let note = &out.replies[0].parts[0];
        assert_eq!(note.id, text::WIZARD_DESCRIPTION_TOO_LONG);
        assert!(note.args.contains(&("count", Arg::Num(501))));
        assert_eq!(out.effects, [Effect::DeleteIncoming]);
        let ok = typed(
            at_step(Step::Description, ContactMethod::Telegram, &cx),
            &"\u{44f}".repeat(500),
            &cx,
        );
        assert_eq!(at(&ok), Step::Summary);
    }

    #[test]
    fn code_words_must_be_short() {
        let (c, l) = (center(), langs());
        let cx = ctx(&c, &l, None);
        for wrong in ["", "   ", &"x".repeat(41)] {
            let out = typed(
                at_step(Step::CodeWord, ContactMethod::Call, &cx),
                wrong,
                &cx,
            );
            assert_eq!(at(&out), Step::CodeWord);
            assert_eq!(out.replies[0].parts[0].id, text::WIZARD_CODE_WORD_INVALID);
        }
        let out = press(
            at_step(Step::CodeWord, ContactMethod::Call, &cx),
            WizardAction::Skip,
            &cx,
        );
        assert_eq!(at(&out), Step::Description);
    }

    #[test]
    fn every_step_has_back_and_cancel_and_cancel_forgets_the_draft() {
        let (c, l) = (center(), langs());
        let cx = ctx(&c, &l, None);
        for s in Step::ALL {
            let out = step(
                at_step(s, ContactMethod::Call, &cx).dialogue,
                Input::Media(Media::Sticker),
                &cx,
            );
            let all = actions(&out.replies[0]);
            assert!(all.contains(&Action::Wizard(WizardAction::Cancel)), "{s:?}");
            if s != Step::Summary {
                assert!(all.contains(&Action::Wizard(WizardAction::Back)), "{s:?}");
            }
            let cancelled = press(
                at_step(s, ContactMethod::Call, &cx),
                WizardAction::Cancel,
                &cx,
            );
            let d = cancelled.dialogue.unwrap();
            assert_eq!((d.screen, d.draft), (Screen::Menu, None));
        }
        let back = press(
            at_step(Step::Description, ContactMethod::Telegram, &cx),
            WizardAction::Back,
            &cx,
        );
        assert_eq!(at(&back), Step::SafeTime);
    }

    #[test]
    fn a_button_from_an_older_step_still_sets_its_answer() {
        let (c, l) = (center(), langs());
        let cx = ctx(&c, &l, None);
        let out = press(
            at_step(Step::Phone, ContactMethod::Call, &cx),
            WizardAction::Urgency(Urgency::WithinDay),
            &cx,
        );
        let draft = out.dialogue.unwrap().draft.unwrap();
        assert_eq!(
            (draft.urgency, draft.step),
            (Some(Urgency::WithinDay), Step::Contact)
        );
    }

    #[test]
    fn changing_one_answer_returns_to_the_summary() {
        let (c, l) = (center(), langs());
        let cx = ctx(&c, &l, None);
        let mut start = at_step(Step::Summary, ContactMethod::Telegram, &cx);
        start
            .dialogue
            .as_mut()
            .unwrap()
            .draft
            .as_mut()
            .unwrap()
            .safe_time = Some(SafeTime::Any);
        let out = press(start, WizardAction::Change, &cx);
        assert_eq!(at(&out), Step::Change);
        let out = press(out, WizardAction::Edit(Step::SafeTime), &cx);
        let out = press(out, WizardAction::SafeTime(SafeTime::Evening), &cx);
        assert_eq!(at(&out), Step::Summary);
        // Switching to a call needs the number first, then the summary again.
        let out = press(out, WizardAction::Edit(Step::Contact), &cx);
        let out = press(out, WizardAction::Contact(ContactMethod::Call), &cx);
        assert_eq!(at(&out), Step::Phone);
    }

    fn open_view() -> RequestView {
        RequestView {
            code: "K7Q3".into(),
            state: ViewState::Waiting { ahead: 2 },
            topic: Topic::Legal,
            urgency: Urgency::CanWait,
            contact: ContactMethod::Call,
            safe_time: SafeTime::Any,
            phone_masked: Some("+996 ••• ••• 456".into()),
            if_other: Some(IfOtherAnswers::WrongNumber),
            code_word: Some("подсолнух".into()),
            description: Some("about the documents".into()),
        }
    }

    #[test]
    fn with_an_open_request_she_is_offered_to_view_change_or_cancel_it() {
        let (c, l) = (center(), langs());
        let mut cx = ctx(&c, &l, None);
        cx.my_request = Some(open_view());
        let out = step(
            Some(on(Screen::Menu, &cx)),
            Input::Pressed(Action::RequestCallback(None)),
            &cx,
        );
        assert_eq!(out.dialogue.as_ref().unwrap().screen, Screen::OpenRequest);
        let all = actions(&out.replies[0]);
        for wanted in [
            Action::MyRequest,
            Action::Wizard(WizardAction::ChangeOpen),
            Action::CancelRequest,
        ] {
            assert!(all.contains(&wanted), "{wanted:?}");
        }
        let change = step(
            out.dialogue,
            Input::Pressed(Action::Wizard(WizardAction::ChangeOpen)),
            &cx,
        );
        let draft = change.dialogue.unwrap().draft.unwrap();
        assert_eq!(draft.replaces.as_deref(), Some("K7Q3"));
        assert_eq!(draft.topic, Some(Topic::Legal));
    }

    #[test]
    fn change_keeps_her_code_word_what_if_someone_else_answers_and_the_description() {
        let (c, l) = (center(), langs());
        let mut cx = ctx(&c, &l, None);
        cx.my_request = Some(open_view());
        let mut out = step(
            Some(on(Screen::OpenRequest, &cx)),
            Input::Pressed(Action::Wizard(WizardAction::ChangeOpen)),
            &cx,
        );
        // She taps through what is chosen already, types the number again,
        // and keeps the word and the description.
        for action in [
            WizardAction::Topic(Topic::Legal),
            WizardAction::Urgency(Urgency::CanWait),
            WizardAction::Contact(ContactMethod::Call),
        ] {
            out = step(out.dialogue, Input::Pressed(Action::Wizard(action)), &cx);
        }
        out = step(out.dialogue, Input::Text("0700 381 927".into()), &cx);
        out = step(
            out.dialogue,
            Input::Pressed(Action::Wizard(WizardAction::SafeTime(SafeTime::Any))),
            &cx,
        );
        let if_other = actions(&out.replies[0]);
        assert!(if_other.contains(&Action::Wizard(WizardAction::IfOther(
            IfOtherAnswers::WrongNumber
        ))));
        out = step(
            out.dialogue,
            Input::Pressed(Action::Wizard(WizardAction::IfOther(
                IfOtherAnswers::WrongNumber,
            ))),
            &cx,
        );
        for _ in [Step::CodeWord, Step::Description] {
            let offered = actions(&out.replies[0]);
            assert!(
                offered.contains(&Action::Wizard(WizardAction::Keep)),
                "{offered:?}"
            );
            assert!(offered.contains(&Action::Wizard(WizardAction::Skip)));
            out = step(
                out.dialogue,
                Input::Pressed(Action::Wizard(WizardAction::Keep)),
                &cx,
            );
        }
        let sent = step(
            out.dialogue,
            Input::Pressed(Action::Wizard(WizardAction::Send)),
            &cx,
        );
        let Some(Effect::Submit {
            submission,
            replaces,
        }) = sent.effects.first()
        else {
            panic!("not sent: {:?}", sent.effects);
        };
        assert_eq!(replaces.as_deref(), Some("K7Q3"));
        assert_eq!(submission.if_other, Some(IfOtherAnswers::WrongNumber));
        assert_eq!(submission.code_word.as_deref(), Some("подсолнух"));
        assert_eq!(
            submission.description.as_deref(),
            Some("about the documents")
        );
    }

    #[test]
    fn a_second_send_shows_her_request_instead() {
        let (c, l) = (center(), langs());
        let mut cx = ctx(&c, &l, None);
        cx.my_request = Some(open_view());
        let out = step(
            Some(on(Screen::MyRequest, &cx)),
            Input::Pressed(Action::Wizard(WizardAction::Send)),
            &cx,
        );
        assert!(out.effects.is_empty());
        assert_eq!(out.replies[0].parts[0].id, text::WIZARD_ALREADY_SENT);
        assert!(out.replies[0]
            .parts
            .iter()
            .any(|p| p.args.contains(&("code", Arg::Str("K7Q3".into())))));
    }

    #[test]
    fn cancelling_her_request_asks_first() {
        let (c, l) = (center(), langs());
        let mut cx = ctx(&c, &l, None);
        cx.my_request = Some(open_view());
        let ask = step(
            Some(on(Screen::MyRequest, &cx)),
            Input::Pressed(Action::CancelRequest),
            &cx,
        );
        assert!(ask.effects.is_empty());
        assert!(actions(&ask.replies[0]).contains(&Action::ConfirmCancelRequest));
        let done = step(
            ask.dialogue,
            Input::Pressed(Action::ConfirmCancelRequest),
            &cx,
        );
        assert_eq!(done.effects, [Effect::CancelRequest]);
    }

    #[test]
    fn hide_keeps_her_place_and_deletes_the_rest() {
        let (c, l) = (center(), langs());
        let cx = ctx(&c, &l, None);
        let before = at_step(Step::Phone, ContactMethod::Call, &cx)
            .dialogue
            .unwrap();
        let out = step(Some(before.clone()), Input::Pressed(Action::Hide), &cx);
        assert_eq!(out.effects, [Effect::DeleteTracked { keep_pressed: true }]);
        assert_eq!(out.replies[0].parts[1].id, text::COVID_1);
        assert_eq!(out.replies[0].delivery, Delivery::EditPressed);
        let after = out.dialogue.unwrap();
        assert_eq!((after.screen, after.draft), (before.screen, before.draft));
    }

    #[test]
    fn erase_forgets_her_and_offers_to_keep_an_open_request() {
        let (c, l) = (center(), langs());
        let mut cx = ctx(&c, &l, None);
        let ask = step(
            Some(on(Screen::Menu, &cx)),
            Input::Pressed(Action::Erase),
            &cx,
        );
        assert!(actions(&ask.replies[0]).contains(&Action::ConfirmErase {
            cancel_request: false
        }));
        assert!(!actions(&ask.replies[0]).contains(&Action::ConfirmErase {
            cancel_request: true
        }));
        cx.my_request = Some(open_view());
        let ask = step(
            Some(on(Screen::Menu, &cx)),
            Input::Pressed(Action::Erase),
            &cx,
        );
        assert!(actions(&ask.replies[0]).contains(&Action::ConfirmErase {
            cancel_request: true
        }));
        let done = step(
            ask.dialogue,
            Input::Pressed(Action::ConfirmErase {
                cancel_request: false,
            }),
            &cx,
        );
        assert!(done.dialogue.is_none());
        assert_eq!(
            done.effects,
            [
                Effect::DeleteTracked {
                    keep_pressed: false
                },
                Effect::Erase {
                    cancel_request: false
                },
                Effect::DeleteReplyLater
            ]
        );
        assert!(done.replies[0]
            .parts
            .iter()
            .any(|p| p.id == text::ERASE_DONE_REQUEST_KEPT));
    }
}

#[test]
fn a_contact_card_outside_the_number_step_is_answered_and_deleted() {
    let (c, l) = (center(), langs());
    let cx = ctx(&c, &l, None);
    let out = step(
        Some(on(Screen::Menu, &cx)),
        Input::SharedContact {
            phone: "+996700000001".into(),
            own: true,
        },
        &cx,
    );
    assert_eq!(out.replies[0].parts[0].id, text::UNEXPECTED_MEDIA);
    assert_eq!(out.effects, [Effect::DeleteIncoming]);
}

#[test]
fn every_answer_to_what_an_effect_did_carries_hide_once() {
    let (center, langs) = (center(), langs());
    let c = ctx(&center, &langs, None);
    let submission = crate::conversation::sample_drafts()[0]
        .submission()
        .unwrap();
    for event in [
        Event::Queued {
            code: "K7QX".into(),
            ahead: 2,
            submission,
            replaced: false,
            reachable: false,
            answered_in: Vec::new(),
        },
        Event::NotQueued,
        Event::CodeTried {
            letters: vec![(
                "K7QX".into(),
                crate::domain::request::Words::Staff("hello".into()),
            )],
        },
    ] {
        for reply in answer(&event, &c).iter().chain([&apology("ru", &c)]) {
            assert_eq!(reply.to, Recipient::Her);
            let hides = actions(reply)
                .iter()
                .filter(|a| **a == Action::Hide)
                .count();
            assert_eq!(hides, 1, "{event:?}");
        }
    }
}

#[test]
fn knocks_rotate_among_several_neutral_tips() {
    let mut tips = Vec::new();
    for _ in 0..64 {
        let args = knock(crate::domain::ids::RecordId::random()).parts[0]
            .args
            .clone();
        if !tips.contains(&args) {
            tips.push(args);
        }
    }
    assert!(tips.len() > 1, "always the same tip");
}
