//! When the disk fails she still gets help (issue 22): a test seam makes every
//! store write fail, as on a full disk. The bot stays up, degraded: the first
//! reply, the danger screen and Hide answer without a write; what needs the
//! disk answers that no request can be taken now, with 102, 112 and the
//! center's phone; the staff chat is told; /healthz says 503; once writes can
//! succeed again the bot stops with an error, for systemd to start it afresh.

mod common;

use std::sync::atomic::Ordering;

use common::{at_menu, sent_to, to_summary, wait_until, Harness};

const STAFF_CHAT: i64 = -100_780;

async fn health(addr: std::net::SocketAddr) -> String {
    common::get(addr, "/healthz").await.0
}

#[tokio::test]
async fn with_a_full_disk_she_gets_the_numbers_staff_are_told_and_the_bot_restarts_once_it_can_write(
) {
    let port = common::free_port();
    let mut h = Harness::start_with(
        |c| {
            c.staff_chat = Some(STAFF_CHAT);
            c.center.phones = vec!["+996 555 010 203".into()];
            c.metrics = Some(port);
        },
        None,
    )
    .await;
    let user = at_menu(&h, 5_550_400_001, "Русский").await;
    assert_eq!(health(port).await, "HTTP/1.1 200 OK");
    to_summary(&user, "0700 123 456").await;
    h.fail_writes.store(true, Ordering::SeqCst);
    // Send needs the disk: not "something went wrong", but where to call.
    let answer = user.tap("Отправить").await;
    for wanted in [
        "Сейчас бот не может принять заявку",
        "102",
        "112",
        "+996 555 010 203",
    ] {
        assert!(answer.text.contains(wanted), "{wanted}: {}", answer.text);
    }
    assert!(!answer.text.contains("Спасибо"), "{}", answer.text);
    assert!(
        wait_until(|| sent_to(&h, STAFF_CHAT)
            .iter()
            .any(|m| m["text"].as_str().unwrap_or_default().contains("disk_full")))
        .await,
        "{:?}",
        sent_to(&h, STAFF_CHAT)
    );
    assert_eq!(health(port).await, "HTTP/1.1 503 Service Unavailable");
    // Degraded: the danger screen and Hide still answer, without a write.
    user.say("/menu").await;
    let danger = user.tap("Нужна помощь сейчас").await;
    assert!(danger.text.contains("102"), "{}", danger.text);
    let hidden = user.tap("Скрыть").await;
    assert!(!hidden.text.contains("102"), "the cover: {}", hidden.text);
    // A newcomer gets the first reply.
    let newcomer = h.user(5_550_400_002).say("/start").await;
    assert!(newcomer.text.contains("102"), "{}", newcomer.text);
    // Nothing of what she sent is queued.
    assert_eq!(
        sent_to(&h, STAFF_CHAT)
            .iter()
            .filter(|m| m["text"]
                .as_str()
                .unwrap_or_default()
                .contains("Жаңы өтүнүч"))
            .count(),
        0
    );
    // Told once, then every hour while it lasts.
    let told = |h: &Harness| {
        sent_to(h, STAFF_CHAT)
            .iter()
            .filter(|m| m["text"].as_str().unwrap_or_default().contains("disk_full"))
            .count()
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(told(&h), 1);
    h.clock.advance(chrono::Duration::minutes(61));
    assert!(wait_until(|| told(&h) == 2).await);
    // The disk can be written again: the bot stops with an error.
    h.fail_writes.store(false, Ordering::SeqCst);
    let stopped = h.stopped_by_itself().await;
    assert!(
        matches!(
            stopped,
            Some(Err(ak_jurok::telegram::RunError::DiskWritableAgain))
        ),
        "{stopped:?}"
    );
}
