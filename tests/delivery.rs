//! Telegram's faults on one chat never hold up another: every call goes through
//! one bounded retry helper, and sends are paced per chat (teloxide's Throttle,
//! which freezes every chat on any 429, is not used).

mod common;

use std::time::{Duration, Instant};

use common::{at_menu, Fault, Harness};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_flood_wait_for_one_chat_does_not_hold_up_another() {
    let h = Harness::start().await;
    let a = at_menu(&h, 501, "Русский").await;
    // Telegram tells the bot to wait 30 s before the next send.
    h.api
        .inject("sendMessage", Fault::TooManyRequests { retry_after: 30 }, 1);
    a.send_sticker();
    // (Her reply meets the 429 first, not the other woman's.)
    assert!(
        h.api
            .wait_for(|calls| calls.iter().any(|c| c.fault.is_some()))
            .await
    );
    // Her reply is given up (30 s is more than she should wait for a screen)…
    let b = h.user(502);
    let started = Instant::now();
    b.send_text("/start");
    let first = b.next_reply().await;
    assert!(first.text.contains("102"), "{}", first.text);
    // …and another woman's first reply is not held behind it.
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "waited {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_token_used_elsewhere_is_an_incident_the_staff_chat_hears_of_at_once() {
    let port = common::free_port();
    let h = Harness::start_with(
        |c| {
            c.staff_chat = Some(-100_781);
            c.metrics = Some(port);
        },
        None,
    )
    .await;
    let her = at_menu(&h, 120, "Русский").await;
    assert_eq!(health(port).await, "HTTP/1.1 200 OK");
    // Someone else polls with the same token: Telegram answers 409, twice.
    h.api.inject("getUpdates", Fault::Conflict, 2);
    // Ends the long poll in progress, so the next ones meet the conflict.
    her.send_text("/menu");
    let told = |h: &Harness| {
        common::sent_to(h, -100_781)
            .iter()
            .filter(|m| m["text"].as_str().unwrap_or_default().contains("409"))
            .count()
    };
    assert!(
        common::wait_until(|| told(&h) == 1).await,
        "the staff chat was not told"
    );
    let notice = common::sent_to(&h, -100_781).pop().unwrap();
    assert!(
        notice["text"].as_str().unwrap().contains("@BotFather"),
        "{notice}"
    );
    assert_eq!(health(port).await, "HTTP/1.1 503 Service Unavailable");
    // The bot goes on answering (stopping would hand every update to the
    // other), and the staff chat is not told again at once.
    her.skip_replies();
    let menu = her.say("/menu").await;
    assert!(menu.text.starts_with("Главное меню"), "{}", menu.text);
    assert_eq!(told(&h), 1);
}

async fn health(addr: std::net::SocketAddr) -> String {
    common::get(addr, "/healthz").await.0
}

#[tokio::test]
async fn polling_survives_failing_get_updates() {
    let h = Harness::start().await;
    let her = at_menu(&h, 121, "Русский").await;
    h.api.inject("getUpdates", Fault::ServerError, 1);
    h.api.inject("getUpdates", Fault::DropConnection, 2);
    // Ends the long poll in progress, so the next ones meet the faults; teloxide
    // waits out a 5xx and backs off after each failure, so this takes a while
    // (the bound below is for liveness, not speed).
    her.send_text("/help");
    let failed = |h: &Harness| {
        h.api
            .calls_of("getUpdates")
            .iter()
            .filter(|c| c.fault.is_some())
            .count()
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while failed(&h) < 3 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(failed(&h), 3, "polling stopped asking");
    her.skip_replies();
    let menu = her.say("/menu").await;
    assert!(menu.text.starts_with("Главное меню"), "{}", menu.text);
}
