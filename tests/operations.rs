//! Running it for years: a clean stop within its grace period, and staff told
//! when the bot came back after a crash.

mod common;

use std::time::Duration;

use common::{at_menu, get, sent_to, wait_until, Harness};

#[tokio::test]
async fn after_a_crash_the_staff_chat_is_told_and_after_a_clean_stop_it_is_not() {
    let mut h = Harness::start_with(|c| c.staff_chat = Some(-100777), None).await;
    let restarted = |h: &Harness| {
        sent_to(h, -100777)
            .iter()
            .filter(|m| m["text"].as_str().unwrap().starts_with("Бот катадан кийин"))
            .count()
    };
    h.restart().await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(restarted(&h), 0, "a clean stop is not a crash");
    // As if the process had been killed: it never marked itself stopped.
    h.stop().await;
    h.open_store().mark_running().unwrap();
    h.launch();
    assert!(wait_until(|| restarted(&h) == 1).await);
}

#[tokio::test]
async fn a_stop_abandons_what_still_runs_after_its_grace_and_closes_cleanly() {
    let mut h = Harness::start().await;
    let her = at_menu(&h, 130, "Русский").await;
    // Her next answer would take 16 seconds to go out (more than the grace).
    h.api.delay_chat(130, Duration::from_secs(16));
    her.send_text("/menu");
    tokio::time::sleep(Duration::from_millis(300)).await;
    // The stop finishes (a liveness bound, not a measurement) and is clean.
    assert!(
        tokio::time::timeout(Duration::from_secs(15), h.stop())
            .await
            .is_ok(),
        "the stop waited for the stuck handler"
    );
    // (The abandoned handler lets go of the database when its send returns.)
    let keys =
        std::sync::Arc::new(ak_jurok::crypto::Keys::load_or_create(&h.config.key_file()).unwrap());
    let reopen = async {
        loop {
            let ring = h.config.keyring_file();
            match ak_jurok::store::Store::open(&h.config.data_dir, &ring, 1, keys.clone()) {
                Ok(store) => break store,
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        }
    };
    let store = tokio::time::timeout(Duration::from_secs(60), reopen)
        .await
        .expect("the database is let go");
    assert!(
        !store.mark_running().unwrap(),
        "it marked itself stopped: the next start is not taken for a crash"
    );
}

/// `GET path` on `addr`: the status line and the body.
#[tokio::test]
async fn metrics_are_counts_only_and_health_says_whether_all_answers() {
    let port = common::free_port();
    let h = Harness::start_with(|c| c.metrics = Some(port), None).await;
    // One dropped connection on a reply: counted, and retried.
    h.api
        .inject("sendMessage", common::Fault::DropConnection, 1);
    common::she_asks(&h, 5_550_000_150).await;
    let (status, body) = get(port, "/metrics").await;
    assert_eq!(status, "HTTP/1.1 200 OK");
    let value = |line: &str| {
        body.lines()
            .find(|l| l.starts_with(line))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or_else(|| panic!("{line} missing:\n{body}"))
    };
    assert!(value("akj_updates_total{kind=\"message\"}") >= 1.0);
    assert!(value("akj_updates_total{kind=\"callback_query\"}") >= 1.0);
    // No gauge moves with one woman's request: nothing of the queue.
    assert!(!body.contains("waiting"), "{body}");
    assert!(value("akj_seconds_since_last_update") < 60.0);
    assert_eq!(value("akj_store_failures_total"), 0.0);
    assert_eq!(value("akj_store_degraded"), 0.0);
    assert!(value("akj_staff_messages_undelivered_total") >= 0.0);
    assert!(value("akj_handler_seconds_count") >= 1.0);
    assert_eq!(value("akj_updates_dropped_total"), 0.0);
    assert!(value("akj_telegram_errors_total{kind=\"network\"}") >= 1.0);
    assert!(value("akj_telegram_retries_total") >= 1.0);
    // Counts only: nothing of her.
    for hers in ["5550000150", "700123456", "подсолнух"] {
        assert!(!body.contains(hers), "{hers} in the metrics");
    }
    assert_eq!(get(port, "/healthz").await.0, "HTTP/1.1 200 OK");
    assert_eq!(get(port, "/other").await.0, "HTTP/1.1 404 Not Found");
}

#[tokio::test]
async fn metrics_are_served_on_loopback_only_and_to_at_most_eight_at_once() {
    // Anything but loopback is refused at start, in one line.
    let mut h = Harness::start_with(|c| c.metrics = Some("0.0.0.0:0".parse().unwrap()), None).await;
    let refused = h.stopped_by_itself().await.expect("it stopped");
    let error = refused.expect_err("a public metrics address").to_string();
    assert!(error.contains("not a loopback address"), "{error}");
    let port = common::free_port();
    let h = Harness::start_with(|c| c.metrics = Some(port), None).await;
    at_menu(&h, 5_550_000_170, "Русский").await;
    assert_eq!(get(port, "/healthz").await.0, "HTTP/1.1 200 OK");
    // Eight connections that say nothing hold every slot…
    let mut idle = Vec::new();
    for _ in 0..8 {
        idle.push(tokio::net::TcpStream::connect(port).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let waiting = tokio::spawn(get(port, "/healthz"));
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!waiting.is_finished(), "a ninth was served at once");
    // …and one going lets the ninth in.
    drop(idle.pop());
    let answered = tokio::time::timeout(Duration::from_secs(10), waiting)
        .await
        .expect("served once a slot is free")
        .unwrap();
    assert_eq!(answered.0, "HTTP/1.1 200 OK");
}

#[tokio::test]
async fn an_update_over_its_budget_is_abandoned_counted_and_her_chat_goes_on() {
    let port = common::free_port();
    let h = Harness::start_with(
        |c| {
            c.update_budget_seconds = 2;
            c.metrics = Some(port);
        },
        None,
    )
    .await;
    let her = at_menu(&h, 160, "Русский").await;
    // Her next answer is stuck for 30 seconds; the budget is 2.
    h.api.delay_chat(160, Duration::from_secs(30));
    her.send_text("/menu");
    let failed = || async {
        let (_, body) = get(port, "/metrics").await;
        body.lines()
            .find(|l| l.starts_with("akj_updates_failed_total"))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while failed().await == 0 && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(
        failed().await,
        1,
        "the stuck update was abandoned and counted"
    );
    // Her chat is not held: the next update is handled (its answer goes out).
    h.api.delay_chat(160, Duration::from_millis(0));
    her.skip_replies();
    let menu = her.say("/menu").await;
    assert!(menu.text.starts_with("Главное меню"), "{}", menu.text);
}
