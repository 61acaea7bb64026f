//! A danger-now alert cannot be turned into a weapon (security review S6): one
//! sender rings the on-duty phone at most once in 20 minutes and three times a
//! day; past that her request queues as urgent, silently, the staff chat's line
//! says how many came, and a supervisor can block the sender without holding
//! the request. Erase does not reset the count.

mod common;

use common::{at_menu, code_in, sent_to, staff, supervisor, wait_until, FakeUser, Harness};

const STAFF_CHAT: i64 = -100_779;

/// She asks for a call in danger through the wizard; her code.
async fn in_danger_again(user: &FakeUser) -> String {
    user.tap("Попросить связаться со мной").await;
    user.tap("Юридическая помощь").await;
    user.tap("Мне сейчас угрожает опасность").await;
    user.tap("Позвоните мне").await;
    user.say("+7 701 123 45 67").await;
    code_in(&user.tap("Отправить").await.text)
}

async fn cancels(user: &FakeUser) {
    user.say("/menu").await;
    user.tap("Моя заявка").await;
    user.tap("Отменить заявку").await;
    user.tap("Да, отменить").await;
}

fn line_about(h: &Harness, chat: i64, code: &str) -> Option<serde_json::Value> {
    sent_to(h, chat)
        .into_iter()
        .find(|m| m["text"].as_str().unwrap_or_default().contains(code))
}

#[tokio::test]
async fn a_send_and_cancel_loop_rings_once_then_queues_silently_and_the_sender_can_be_blocked() {
    let mut h = Harness::start_with(
        |c| {
            c.staff = vec![staff(960, "aigul"), supervisor(961, "boss")];
            c.staff_chat = Some(STAFF_CHAT);
        },
        None,
    )
    .await;
    let (aigul, boss) = (h.user(960), h.user(961));
    assert!(aigul.say("/on").await.text.starts_with("Вы на смене."));
    let user = at_menu(&h, 662, "Русский").await;
    user.tap("Нужна помощь сейчас").await;
    user.tap("Срочно: связаться со мной").await;
    user.tap("Позвоните мне").await;
    user.say("+7 701 123 45 67").await;
    let first = code_in(&user.tap("Отправить").await.text);
    assert!(wait_until(|| line_about(&h, 960, &first).is_some()).await);
    assert_eq!(
        line_about(&h, 960, &first).unwrap()["disable_notification"],
        false
    );
    assert!(wait_until(|| line_about(&h, STAFF_CHAT, &first).is_some()).await);
    assert_eq!(
        line_about(&h, STAFF_CHAT, &first).unwrap()["disable_notification"],
        false
    );
    cancels(&user).await;
    // At once again: queued as urgent, but nobody's phone rings.
    let second = in_danger_again(&user).await;
    assert!(wait_until(|| line_about(&h, STAFF_CHAT, &second).is_some()).await);
    let line = line_about(&h, STAFF_CHAT, &second).unwrap();
    assert_eq!(line["disable_notification"], true, "{line}");
    assert!(
        line["text"]
            .as_str()
            .unwrap()
            .contains("Үнсүз: ошол эле аккаунттан акыркы 24 саатта 2 шашылыш өтүнүч."),
        "{line}"
    );
    assert!(wait_until(|| line_about(&h, 961, &second).is_some()).await);
    let notice = line_about(&h, 961, &second).unwrap();
    assert_eq!(notice["disable_notification"], true);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(
        line_about(&h, 960, &second).is_none(),
        "the on-duty phone rang"
    );
    cancels(&user).await;
    // Erase is no way to ring again.
    user.say("/menu").await;
    user.tap("Удалить этот чат").await;
    user.tap("Удалить").await;
    let again = user.say("привет").await;
    let russian = again.labels().into_iter().find(|l| l.ends_with("Русский"));
    let welcome = user.tap(&russian.unwrap()).await;
    user.tap(&welcome.labels()[0]).await;
    let third = in_danger_again(&user).await;
    assert!(wait_until(|| line_about(&h, STAFF_CHAT, &third).is_some()).await);
    let line = line_about(&h, STAFF_CHAT, &third).unwrap();
    assert!(
        line["text"]
            .as_str()
            .unwrap()
            .contains("24 саатта 3 шашылыш"),
        "{line}"
    );
    assert!(
        line_about(&h, 960, &third).is_none(),
        "the on-duty phone rang"
    );
    // A supervisor blocks the sender from the line, holding nothing.
    boss.skip_replies();
    let menu = boss.tap("Заблокировать отправителя").await;
    assert!(
        menu.text.starts_with("На сколько заблокировать"),
        "{}",
        menu.text
    );
    let blocked = boss.tap("На 30 дней").await;
    assert!(
        blocked
            .text
            .starts_with(&format!("Отправитель заявки {third} заблокирован")),
        "{}",
        blocked.text
    );
    h.stop().await;
    let audit: Vec<String> =
        ak_jurok::store::Store::read_audit(&h.config.data_dir, chrono::DateTime::UNIX_EPOCH)
            .unwrap()
            .iter()
            .map(|l| l.to_string())
            .collect();
    assert!(
        audit.iter().any(|l| l.contains("boss blocked:30d")),
        "{audit:?}"
    );
}
