//! Every type that can hold her data prints none of it with `{:?}`: a future log
//! line, error or `unwrap` must not be able to leak a number, a code word, a
//! description, a typed text, a pseudonym or a Telegram id.

use chrono::{TimeZone, Utc};

use crate::config::Config;
use crate::conversation::{Delivery, Dialogue, Draft, Effect, Input, Recipient, Reply, Screen};
use crate::crypto::Keys;
use crate::domain::phone::Phone;
use crate::domain::request::{
    ContactMethod, Personal, RequestView, SafeTime, Submission, Topic, Urgency, ViewState,
};
use crate::engine::Handled;
use crate::i18n::text::{self, Text};
use crate::ui::render::Rendered;

const TYPED: &str = "he-beat-me-again-8812";
const PHONE: &str = "0700 381 927";
const DIGITS: &str = "700381927";
const CODE_WORD: &str = "sunflower-7734";
const DESCRIPTION: &str = "husband-took-documents-2417";
const CHAT_ID: i64 = 5_550_301_777;
const STAFF_ID: u64 = 4_242_424_242;

fn needles() -> Vec<String> {
    let who = Keys::from_master(&[1u8; 32]).pseudonym(CHAT_ID as u64);
    let hex: String = who.as_bytes()[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    vec![
        TYPED.into(),
        DIGITS.into(),
        CODE_WORD.into(),
        DESCRIPTION.into(),
        CHAT_ID.to_string(),
        STAFF_ID.to_string(),
        (STAFF_ID + 1).to_string(),
        "927".into(),
        hex,
        format!("{:?}", &who.as_bytes()[..4]),
    ]
}

#[test]
#[allow(clippy::too_many_lines)] // a test: every value, one after another
fn nothing_of_her_shows_in_debug_output() {
    let phone = Phone::parse(PHONE).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 4, 6, 9, 0, 0).unwrap();
    let draft = Draft {
        phone: Some(phone.clone()),
        code_word: Some(CODE_WORD.into()),
        description: Some(DESCRIPTION.into()),
        topic: Some(Topic::Legal),
        ..Draft::default()
    };
    let dialogue = Dialogue {
        lang: "ru".into(),
        screen: Screen::Wizard,
        updated_at: now,
        draft: Some(draft.clone()),
    };
    let submission = Submission {
        topic: Topic::Legal,
        urgency: Urgency::DangerNow,
        contact: ContactMethod::Call,
        safe_time: SafeTime::Any,
        if_other: None,
        phone: Some(phone.clone()),
        phone_not_own: false,
        code_word: Some(CODE_WORD.into()),
        description: Some(DESCRIPTION.into()),
    };
    let summary_line = Text::new(text::SUMMARY_PHONE).arg("phone", phone.e164());
    let reply = Reply {
        parts: vec![
            summary_line.clone(),
            Text::lines(vec![summary_line.clone()]),
        ],
        keyboard: Vec::new(),
        delivery: Delivery::Send,
        to: Recipient::Her,
        silent: false,
        protect: false,
        exposes: true,
        card: None,
        relayed: None,
        figures: None,
        expires: false,
    };
    let rendered = Rendered {
        text: format!("Phone: {} {CODE_WORD} {DESCRIPTION}", phone.e164()),
        keyboard: Vec::new(),
        delivery: Delivery::Send,
        to: Recipient::Her,
        silent: false,
        protect: false,
        exposes: true,
        card: None,
        file: None,
        expires: false,
    };
    let handled = Handled {
        replies: vec![rendered.clone()],
        ..Handled::default()
    };
    let view = RequestView {
        code: "K7QX".into(),
        state: ViewState::Claimed,
        topic: Topic::Legal,
        urgency: Urgency::WithinDay,
        contact: ContactMethod::Call,
        safe_time: SafeTime::Evening,
        phone_masked: Some(phone.masked()),
        if_other: None,
        code_word: Some(CODE_WORD.into()),
        description: Some(DESCRIPTION.into()),
    };
    let details = submission.details(CHAT_ID, "ky", now);
    let personal: Personal = details.personal.clone();
    let config = Config {
        staff_ids: vec![STAFF_ID],
        staff: vec![crate::config::StaffMember {
            id: STAFF_ID + 1,
            handle: "aigul".into(),
            name: "Aigul".into(),
            languages: vec!["ky".into()],
            on_call: true,
            supervisor: false,
            disabled: false,
        }],
        staff_chat: Some(-(STAFF_ID as i64)),
        ..Config::default()
    };
    let config_error = Config::load(None, |name| {
        (name == "AKJ_STAFF_IDS").then(|| format!("1,x{STAFF_ID}"))
    })
    .err()
    .unwrap();
    let chat_error = Config::load(None, |name| {
        (name == "AKJ_STAFF_CHAT").then(|| format!("x{STAFF_ID}"))
    })
    .err()
    .unwrap();
    let who = Keys::from_master(&[1u8; 32]).pseudonym(CHAT_ID as u64);
    let printed = [
        format!("{:?}", Input::Text(TYPED.into())),
        format!(
            "{:?}",
            Input::SharedContact {
                phone: PHONE.into(),
                own: false
            }
        ),
        format!("{draft:?}"),
        format!("{dialogue:?}"),
        format!("{submission:?}"),
        format!(
            "{:?}",
            Effect::Submit {
                submission: submission.clone(),
                replaces: None
            }
        ),
        format!("{:?}", Effect::RevealRequest { code: TYPED.into() }),
        format!("{summary_line:?}"),
        format!("{reply:?}"),
        format!("{rendered:?}"),
        format!("{handled:?}"),
        format!("{view:?}"),
        format!("{details:?}"),
        format!("{personal:?}"),
        format!("{phone:?}"),
        format!("{who:?}"),
        format!("{config:?}"),
        format!("{config_error:?} {config_error}"),
        format!("{chat_error:?} {chat_error}"),
        format!("{:?}", crate::desk::DeskInput::Text(TYPED.into())),
        format!("{:?}", Effect::Relay(TYPED.into())),
        format!(
            "{:?}",
            crate::conversation::Event::Letter {
                code: "K7QX".into(),
                words: crate::domain::request::Words::Staff(TYPED.into())
            }
        ),
        format!(
            "{:?}",
            crate::store::Letter {
                chat_id: CHAT_ID,
                words: crate::domain::request::Words::Staff(TYPED.into()),
                from: None,
                posted_at: None,
            }
        ),
        format!("{:?}", {
            use crate::engine::{Chat, Deed, Plan, Show};
            let staff = Chat::Staff {
                handle: "aigul".into(),
                id: STAFF_ID as i64,
            };
            Plan::from(vec![
                Deed::Show(Show::new(Chat::Her(CHAT_ID), rendered.clone())),
                Deed::Delete {
                    chat: staff,
                    ids: vec![1],
                },
            ])
        }),
        format!(
            "{:?}",
            crate::engine::Receipt {
                chat: crate::engine::Chat::Her(CHAT_ID),
                id: Some(1),
                then: crate::engine::Remember::Nothing,
            }
        ),
        format!(
            "{:?}",
            crate::desk::step("aigul", false, crate::desk::DeskInput::Text(TYPED.into()))
        ),
        format!(
            "{:?}",
            crate::desk::DeskInput::Command(crate::desk::DeskCommand::Take, TYPED.into())
        ),
        format!(
            "{:?}",
            crate::desk::SaidLine {
                at: "11:40".into(),
                by: None,
                text: TYPED.into(),
            }
        ),
        format!(
            "{:?}",
            crate::desk::NoteLine {
                at: "11:40".into(),
                by: "aigul".into(),
                text: DESCRIPTION.into(),
            }
        ),
        format!(
            "{:?}",
            crate::domain::request::Said {
                at: now,
                by: None,
                text: TYPED.into(),
            }
        ),
        format!(
            "{:?}",
            crate::domain::request::CardNote {
                at: now,
                by: "aigul".into(),
                text: DESCRIPTION.into(),
            }
        ),
    ];
    for (n, out) in printed.iter().enumerate() {
        for needle in needles() {
            assert!(!out.contains(&needle), "value {n} shows {needle:?}: {out}");
        }
    }
    // The check finds what an ordinary derive would print.
    assert!(format!("{:?}", (TYPED, DIGITS)).contains(TYPED));
}
