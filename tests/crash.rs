//! The real binary, killed with SIGKILL right after it confirmed requests: every
//! request a woman was told was received is on disk, exactly once, and a
//! redelivered update never makes a second one.

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use ak_jurok::crypto::Keys;
use ak_jurok::store::Store;
use common::to_summary;
use fake_bot_api::{FakeBotApi, FakeUser};

const USERS: std::ops::Range<u64> = 301..307;

fn start(api: &FakeBotApi, dir: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_ak-jurok"))
        .arg("run")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("TELOXIDE_TOKEN", "42:TEST")
        .env("TELOXIDE_API_URL", api.url())
        .env("AKJ_DATA_DIR", dir.join("data"))
        .env("AKJ_KEY_FILE", dir.join("master.key"))
        .env_remove("AKJ_KEYRING")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Walks her from first contact to the menu, in Russian.
async fn to_menu(user: &FakeUser) {
    user.say("/start").await;
    user.tap("Русский").await;
    user.tap("Перейти в меню").await;
}

fn confirmed(api: &FakeBotApi, user: u64) -> bool {
    api.chat(user as i64).iter().any(|m| {
        m.from_bot
            && m.text
                .as_deref()
                .is_some_and(|t| t.starts_with("Спасибо, мы получили вашу заявку"))
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_confirmed_request_survives_sigkill_exactly_once() {
    let api = FakeBotApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut bot = start(&api, dir.path());
    let users: Vec<FakeUser> = USERS.map(|id| api.user(id)).collect();
    for user in &users {
        to_menu(user).await;
        to_summary(user, "0700 123 456").await;
    }
    // Everyone presses Send at once; the bot is killed the moment the first
    // confirmation reaches Telegram.
    for (user, id) in users.iter().zip(USERS) {
        let summary = api
            .chat(id as i64)
            .into_iter()
            .rev()
            .find(|m| m.from_bot && !m.deleted)
            .unwrap();
        user.press_data(summary.id, &summary.buttons()[0][0].1);
    }
    assert!(
        api.wait_for(|calls| calls.iter().any(|c| c.body["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("Спасибо"))))
            .await
    );
    bot.kill().unwrap();
    bot.wait().unwrap();
    let told: Vec<u64> = USERS.filter(|id| confirmed(&api, *id)).collect();
    assert!(!told.is_empty());

    // A new process; Telegram serves again what was not confirmed. Whoever was
    // told nothing presses Send again (a Send received but not yet handled may
    // be lost; one she was told about never is).
    let mut bot = start(&api, dir.path());
    for (user, id) in users.iter().zip(USERS) {
        // (Unless the redelivered Send has already turned the summary into the
        // confirmation meanwhile.)
        let summary = api
            .chat(id as i64)
            .into_iter()
            .filter(|m| m.from_bot && !m.deleted)
            .find(|m| m.buttons().iter().flatten().any(|(l, _)| l == "Отправить"));
        if let (false, Some(summary)) = (confirmed(&api, id), summary) {
            user.press_data(summary.id, &summary.buttons()[0][0].1);
        }
        let answered = |api: &FakeBotApi| {
            api.chat(id as i64).iter().any(|m| {
                m.text.as_deref().is_some_and(|t| {
                    t.starts_with("Спасибо, мы получили") || t.starts_with("Ваша заявка уже")
                })
            })
        };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while !answered(&api) {
            assert!(
                std::time::Instant::now() < deadline,
                "user {id} not answered"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        // Let a second answer (her press and the redelivery both) arrive first.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        user.skip_replies();
        user.say("/menu").await;
        let mine = user.tap("Моя заявка").await;
        assert!(mine.text.starts_with("Заявка "), "{id}: {}", mine.text);
    }
    bot.kill().unwrap();
    bot.wait().unwrap();

    let keys = Arc::new(Keys::load_or_create(&dir.path().join("master.key")).unwrap());
    let store = Store::open(
        &dir.path().join("data"),
        &dir.path().join("ak-jurok.keyring"),
        1,
        keys.clone(),
    )
    .unwrap();
    for id in USERS {
        let record = store.latest_request(&keys.pseudonym(id)).unwrap();
        assert!(record.is_some(), "user {id} has her request");
    }
    assert_eq!(
        store.queue_len(),
        USERS.count(),
        "each request exactly once, those confirmed before the kill included"
    );
    assert_eq!(
        store.counter("waiting/urgency/day").unwrap(),
        USERS.count() as u64
    );
}
