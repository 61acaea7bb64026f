//! Suspension through Telegram (security review S3, T8): nobody suspends
//! themselves, a supervisor only with a second supervisor, the operator's
//! `disabled = true` wins, and a suspended member receives nothing.

mod common;

use common::{at_menu, code_in, knocks, sent_to, staff, supervisor, wait_until, Harness};

fn texts(h: &Harness, chat: i64) -> Vec<String> {
    sent_to(h, chat)
        .iter()
        .map(|m| m["text"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn a_supervisor_is_suspended_only_when_a_second_one_confirms_and_nobody_suspends_themselves()
{
    let mut h = Harness::start_with(
        |c| {
            c.staff = vec![
                supervisor(910, "sup1"),
                supervisor(911, "sup2"),
                supervisor(912, "sup3"),
                staff(913, "aigul"),
            ]
        },
        None,
    )
    .await;
    let (sup1, sup2, sup3) = (h.user(910), h.user(911), h.user(912));
    let myself = sup1.say("/suspend sup1").await;
    assert!(
        myself.text.starts_with("Отстранить себя нельзя."),
        "{}",
        myself.text
    );
    // One supervisor (a thief on that phone, say) cannot lock another out.
    let asked = sup1.say("/suspend sup2").await;
    assert!(
        asked.text.starts_with("sup2 — руководитель: отстранение вступит в силу, если другой руководитель подтвердит его в течение 10 минут."),
        "{}",
        asked.text
    );
    assert!(
        wait_until(|| texts(&h, 912)
            .iter()
            .any(|t| t.starts_with("sup1 просит отстранить руководителя sup2")))
        .await,
        "the third supervisor is asked"
    );
    assert!(
        !texts(&h, 911)
            .iter()
            .any(|t| t.contains("просит отстранить")),
        "not the one to be suspended"
    );
    // Asking again changes nothing; sup2 still works.
    sup1.say("/suspend sup2").await;
    assert!(sup2.say("/claims").await.text.starts_with("Сейчас никто"));
    // A non-supervisor is suspended at once.
    assert!(sup1
        .say("/suspend aigul")
        .await
        .text
        .starts_with("aigul отстранён(а)."));
    // The second supervisor confirms: now it is done.
    sup3.skip_replies();
    let done = sup3.say("/suspend sup2").await;
    assert!(done.text.starts_with("sup2 отстранён(а)."), "{}", done.text);
    let now_anyone = sup2.say("/claims").await;
    assert!(now_anyone.text.contains("102"), "{}", now_anyone.text);
    h.stop().await;
    let lines: Vec<String> =
        ak_jurok::store::Store::read_audit(&h.config.data_dir, chrono::DateTime::UNIX_EPOCH)
            .unwrap()
            .iter()
            .map(|l| format!("{} {}", l.who, l.action))
            .collect();
    assert!(
        lines.contains(&"sup1 suspend-asked:sup2".to_string()),
        "{lines:?}"
    );
    assert!(
        lines.contains(&"sup3 suspended:sup2".to_string()),
        "{lines:?}"
    );
}

#[tokio::test]
async fn with_no_second_supervisor_only_the_operator_can_suspend_one() {
    let h = Harness::start_with(
        |c| c.staff = vec![supervisor(920, "sup1"), supervisor(921, "sup2")],
        None,
    )
    .await;
    let refused = h.user(920).say("/suspend sup2").await;
    assert!(
        refused.text.contains("ak-jurok staff suspend sup2"),
        "{}",
        refused.text
    );
    assert!(h
        .user(921)
        .say("/claims")
        .await
        .text
        .starts_with("Сейчас никто"));
}

#[tokio::test]
async fn a_suspended_member_gets_no_alert_and_the_staff_chat_gets_it_instead() {
    let h = Harness::start_with(
        |c| {
            let mut on_call = staff(930, "aigul");
            on_call.on_call = true;
            c.staff = vec![on_call, supervisor(931, "boss")];
            c.staff_chat = Some(-100778);
        },
        None,
    )
    .await;
    h.user(931).say("/suspend aigul").await;
    let user = at_menu(&h, 632, "Русский").await;
    user.tap("Нужна помощь сейчас").await;
    user.tap("Срочно: связаться со мной").await;
    user.tap("Позвоните мне").await;
    user.say("+7 701 123 45 67").await;
    let code = code_in(&user.tap("Отправить").await.text);
    assert!(
        wait_until(|| texts(&h, -100778)
            .iter()
            .any(|t| t.starts_with(&format!("Шашылыш: {code} өтүнүчү"))))
        .await,
        "{:?}",
        texts(&h, -100778)
    );
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(
        !texts(&h, 930).iter().any(|t| t.contains(&code)),
        "the suspended phone: {:?}",
        texts(&h, 930)
    );
}

#[tokio::test]
async fn disabled_in_the_configuration_wins_over_resume() {
    let h = Harness::start_with(
        |c| {
            let mut lost = staff(940, "aigul");
            lost.disabled = true;
            c.staff = vec![lost, supervisor(941, "boss")];
        },
        None,
    )
    .await;
    let refused = h.user(941).say("/resume aigul").await;
    assert!(
        refused
            .text
            .starts_with("aigul отстранён(а) в настройках бота"),
        "{}",
        refused.text
    );
    let anyone = h.user(940).say("/queue").await;
    assert!(anyone.text.contains("102"), "{}", anyone.text);
}

#[tokio::test]
async fn a_letter_a_suspended_member_wrote_and_was_not_yet_delivered_never_reaches_her() {
    let h = Harness::start_with(
        |c| c.staff = vec![staff(950, "aigul"), supervisor(951, "boss")],
        None,
    )
    .await;
    // Her window is the evening (17–21 in Osh); the harness clock is 15:00 there.
    let code = common::she_asks_to_be_written_to(&h, 652, "Вечером (17:00–21:00)").await;
    let aigul = h.user(950);
    aigul.say(&format!("/take {code}")).await;
    aigul.tap("Написать ей").await;
    let posted = aigul.say("Здравствуйте, это центр").await;
    assert!(posted.text.contains("ждёт её времени"), "{}", posted.text);
    h.user(951).say("/suspend aigul").await;
    // Her window opens: no knock comes.
    h.clock.advance(chrono::Duration::hours(2));
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(knocks(&h, 652).is_empty(), "a knock reached her");
}

/// The desk itself refuses a suspended member, whatever shell brings the
/// input (Telegram looks first; the demo, or a second shell, might not).
#[test]
fn the_desk_does_nothing_for_a_suspended_member_whatever_shell_asks() {
    use ak_jurok::conversation::Input;
    use ak_jurok::desk::DeskInput;
    use ak_jurok::ui::commands::desk_command;
    let dir = tempfile::tempdir().unwrap();
    let mut config = ak_jurok::config::Config::load(None, |_| None).unwrap();
    config.data_dir = dir.path().join("data");
    config.key_file = Some(dir.path().join("master.key"));
    config.keyring_file = Some(dir.path().join("ak-jurok.keyring"));
    config.staff = vec![staff(900, "aigul"), supervisor(902, "bolot")];
    let clock = std::sync::Arc::new(ak_jurok::clock::ManualClock::new(chrono::Utc::now()));
    let app = ak_jurok::engine::App::open(config, clock).unwrap();
    let typed = |line: &str| DeskInput::read(desk_command(line), None, &Input::Text(line.into()));
    let aigul = app.staff_named("aigul").unwrap();
    let bolot = app.staff_named("bolot").unwrap();
    assert!(!app
        .on_staff(&aigul, typed("/queue"), None, None)
        .unwrap()
        .shown()
        .is_empty());
    app.on_staff(&bolot, typed("/suspend aigul"), None, None)
        .unwrap();
    assert!(!app.may_work(&aigul));
    let refused = app.on_staff(&aigul, typed("/queue"), None, None).unwrap();
    assert!(refused.shown().is_empty(), "nothing shown, nothing done");
    app.on_staff(&bolot, typed("/resume aigul"), None, None)
        .unwrap();
    assert!(!app
        .on_staff(&aigul, typed("/queue"), None, None)
        .unwrap()
        .shown()
        .is_empty());
}
