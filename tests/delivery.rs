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
async fn a_second_instance_on_the_same_token_stops_the_bot_with_one_clear_error() {
    let mut h = Harness::start().await;
    let her = at_menu(&h, 120, "Русский").await;
    h.api.inject("getUpdates", Fault::Conflict, 1);
    // Ends the long poll in progress, so the next one meets the conflict.
    her.send_text("/menu");
    let result = h.stopped_by_itself().await.expect("the bot was running");
    let error = result.expect_err("a 409 ends the bot");
    assert!(
        error
            .to_string()
            .contains("another program is receiving this bot's updates"),
        "{error}"
    );
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
