//! Running it for years: a clean stop within its grace period, and staff told
//! when the bot came back after a crash.

mod common;

use std::time::Duration;

use common::{at_menu, sent_to, wait_until, Harness};

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
