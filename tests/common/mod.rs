//! The test kit: the real dispatcher against the fake Bot API on loopback.
#![allow(dead_code)]

use std::sync::Arc;

use ak_jurok::clock::ManualClock;
use ak_jurok::config::Config;
use ak_jurok::telegram::{self, Hooks, RunError};
use chrono::{TimeZone, Utc};
use fake_bot_api::FakeBotApi;
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

#[allow(unused_imports)]
pub use fake_bot_api::{FakeUser, Fault};

pub use ak_jurok::telegram::PanicOn;

/// A started bot: how to stop it, and its task.
type Running = (oneshot::Sender<()>, JoinHandle<Result<(), RunError>>);

pub struct Harness {
    pub api: FakeBotApi,
    pub dir: TempDir,
    pub clock: Arc<ManualClock>,
    pub config: Config,
    panic_on: Option<PanicOn>,
    /// While set, every store write fails as on a full disk.
    pub fail_writes: Arc<std::sync::atomic::AtomicBool>,
    running: Option<Running>,
}

impl Harness {
    pub async fn start() -> Harness {
        Harness::start_with(|_| {}, None).await
    }

    /// Starts the bot with a test configuration, adjusted by `edit`.
    pub async fn start_with(edit: impl FnOnce(&mut Config), panic_on: Option<PanicOn>) -> Harness {
        let mut harness = Harness::prepare(edit, panic_on).await;
        harness.launch();
        harness
    }

    /// The fake API and configuration, with the bot not started yet.
    pub async fn prepare(edit: impl FnOnce(&mut Config), panic_on: Option<PanicOn>) -> Harness {
        let api = FakeBotApi::start().await;
        let dir = tempfile::tempdir().unwrap();
        let url = api.url();
        let mut config = Config::load(None, |name| match name {
            "TELOXIDE_TOKEN" => Some("123456:TEST-TOKEN".into()),
            "TELOXIDE_API_URL" => Some(url.clone()),
            _ => None,
        })
        .unwrap();
        config.data_dir = dir.path().join("data");
        config.key_file = Some(dir.path().join("master.key"));
        // Scripted users type faster than people: Telegram's pace would only
        // slow the tests down (a test of the pace sets its own).
        config.telegram_limits = ak_jurok::config::TelegramLimits {
            per_chat_per_sec: 1000,
            per_chat_per_min: 60_000,
            per_group_per_min: 60_000,
            overall_per_sec: 1000,
        };
        // Nor do they need the flood limit (the flood tests set their own).
        config.flood_burst = 100_000;
        // Tests move the clock by hours: the idle cover would edit her screen
        // in between (its own tests turn it on).
        config.idle_cover_minutes = 0;
        edit(&mut config);
        Harness {
            api,
            dir,
            clock: Arc::new(ManualClock::new(
                Utc.with_ymd_and_hms(2026, 4, 6, 9, 0, 0).unwrap(),
            )),
            config,
            panic_on,
            fail_writes: Default::default(),
            running: None,
        }
    }

    pub fn launch(&mut self) {
        let bot = telegram::bot(&self.config).unwrap();
        let hooks = Hooks {
            clock: self.clock.clone(),
            panic_on: self.panic_on.clone(),
            fail_writes: Some(self.fail_writes.clone()),
            disk_probe_every: std::time::Duration::from_millis(100),
        };
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(telegram::run_with(bot, self.config.clone(), hooks, async {
            let _ = rx.await;
        }));
        self.running = Some((tx, task));
    }

    /// Waits (up to 15 s) for the bot to stop by itself; its result.
    pub async fn stopped_by_itself(&mut self) -> Option<Result<(), RunError>> {
        let (tx, task) = self.running.take()?;
        let result = tokio::time::timeout(std::time::Duration::from_secs(15), task).await;
        drop(tx);
        Some(result.ok()?.expect("bot task"))
    }

    /// Stops the bot and waits until it has closed the database.
    pub async fn stop(&mut self) {
        if let Some((tx, task)) = self.running.take() {
            let _ = tx.send(());
            task.await.expect("bot task").expect("bot run");
        }
    }

    /// Stops and starts the bot again in this process, on the same data.
    pub async fn restart(&mut self) {
        self.stop().await;
        self.launch();
    }

    pub fn user(&self, id: u64) -> FakeUser {
        self.api.user(id)
    }

    /// Whether `words` stand in clear anywhere in the database's files
    /// (stop the bot first, so everything is written).
    #[allow(dead_code)]
    pub fn database_files_hold(&self, words: &str) -> bool {
        let mut all = Vec::new();
        for entry in std::fs::read_dir(self.config.data_dir.join("db")).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                all.extend(std::fs::read(path).unwrap());
            }
        }
        all.windows(words.len()).any(|w| w == words.as_bytes())
    }

    /// The bot's store, opened by the test; only while the bot is stopped.
    pub fn open_store(&self) -> ak_jurok::store::Store {
        assert!(self.running.is_none(), "stop the bot first");
        self.config.ensure_data_dir().unwrap();
        let keys = ak_jurok::crypto::Keys::load_or_create(&self.config.key_file()).unwrap();
        ak_jurok::store::Store::open(
            &self.config.data_dir,
            &self.config.keyring_file(),
            1,
            Arc::new(keys),
        )
        .unwrap()
    }

    /// Her pseudonym, as the bot computes it.
    pub fn pseudonym(&self, user: u64) -> ak_jurok::crypto::Pseudonym {
        ak_jurok::crypto::Keys::load_or_create(&self.config.key_file())
            .unwrap()
            .pseudonym(user)
    }
}

/// A user who has chosen `language` and is on the main menu.
pub async fn at_menu(h: &Harness, id: u64, language: &str) -> FakeUser {
    let user = h.user(id);
    let first = user.say("/start").await;
    let choice = first
        .labels()
        .into_iter()
        .find(|l| l.ends_with(language))
        .expect("language button");
    let welcome = user.tap(&choice).await;
    let next = welcome.labels()[0].clone();
    user.tap(&next).await;
    user
}

/// Walks her from the menu to the summary of a phone request (Russian).
pub async fn to_summary(user: &FakeUser, phone: &str) {
    user.press("Попросить связаться со мной");
    assert!(user
        .next_reply()
        .await
        .text
        .starts_with("О чём вы хотите поговорить"));
    user.press("Юридическая помощь");
    assert!(user
        .next_reply()
        .await
        .text
        .starts_with("Насколько это срочно?"));
    user.tap("Мне нужна помощь в течение дня").await;
    user.press("Позвоните мне");
    assert!(user
        .next_reply()
        .await
        .text
        .starts_with("Напишите номер, по которому"));
    user.send_text(phone);
    assert!(user
        .next_reply()
        .await
        .text
        .starts_with("Когда вам удобно и безопасно говорить?"));
    // Afternoon (12–17 in Osh): open at the harness clock's 15:00, so /next finds her.
    user.tap("Днём (12:00–17:00)").await;
    user.press("Сказать, что ошиблись номером");
    assert!(user
        .next_reply()
        .await
        .text
        .starts_with("Можно задать кодовое слово"));
    user.send_text("подсолнух");
    assert!(user
        .next_reply()
        .await
        .text
        .starts_with("Если хотите, коротко опишите"));
    let summary = user.say("Муж забрал документы").await;
    assert!(
        summary.text.starts_with("Проверьте, пожалуйста:"),
        "{}",
        summary.text
    );
}

/// A free port on loopback, for the metrics server.
pub fn free_port() -> std::net::SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

/// A GET to the metrics server at `addr`: its status line, and its body.
pub async fn get(addr: std::net::SocketAddr, path: &str) -> (String, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(format!("GET {path} HTTP/1.1\r\nhost: x\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    (
        head.lines().next().unwrap_or_default().to_string(),
        body.to_string(),
    )
}

/// A staff member who speaks Russian, with no roles.
pub fn staff(id: u64, handle: &str) -> ak_jurok::config::StaffMember {
    ak_jurok::config::StaffMember {
        id,
        handle: handle.into(),
        name: handle.into(),
        languages: vec!["ru".into()],
        on_call: false,
        supervisor: false,
        disabled: false,
    }
}

/// She sends a phone request in Russian; returns its code.
pub async fn she_asks(h: &Harness, id: u64) -> String {
    let user = at_menu(h, id, "Русский").await;
    to_summary(&user, "0700 123 456").await;
    code_in(&user.tap("Отправить").await.text)
}

/// A supervisor (speaks Russian).
pub fn supervisor(id: u64, handle: &str) -> ak_jurok::config::StaffMember {
    ak_jurok::config::StaffMember {
        supervisor: true,
        ..staff(id, handle)
    }
}

/// A staff member with a display name.
pub fn named(id: u64, handle: &str, name: &str) -> ak_jurok::config::StaffMember {
    ak_jurok::config::StaffMember {
        name: name.into(),
        ..staff(id, handle)
    }
}

/// The ticket code in her confirmation ("… Её номер: K7QX." / "… номери: K7QX.").
pub fn code_in(confirmation: &str) -> String {
    confirmation
        .split(": ")
        .nth(1)
        .expect("the code follows a colon")
        .chars()
        .take(4)
        .collect()
}

/// What the bot sent to `chat` (delivered, not refused).
pub fn sent_to(h: &Harness, chat: i64) -> Vec<serde_json::Value> {
    h.api
        .calls_of("sendMessage")
        .into_iter()
        .filter(|c| c.body["chat_id"] == chat && !c.refused && c.fault.is_none())
        .map(|c| c.body)
        .collect()
}

/// Waits (up to 10 s, a liveness bound) until `check` holds.
pub async fn wait_until(check: impl Fn() -> bool) -> bool {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while !check() {
        if tokio::time::Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    true
}

/// She asks to be written to here, in the window labelled `when` (Russian);
/// returns the code.
pub async fn she_asks_to_be_written_to(h: &Harness, id: u64, when: &str) -> String {
    let user = at_menu(h, id, "Русский").await;
    for label in [
        "Попросить связаться со мной",
        "Юридическая помощь",
        "Мне нужна помощь в течение дня",
        "Напишите мне здесь, в Telegram",
        when,
        "Пропустить",
    ] {
        user.tap(label).await;
    }
    code_in(&user.tap("Отправить").await.text)
}

/// The knocks (neutral tips standing for a letter) sent to `chat`.
pub fn knocks(h: &Harness, chat: i64) -> Vec<serde_json::Value> {
    sent_to(h, chat)
        .into_iter()
        .filter(|m| m["text"].as_str().unwrap().starts_with("Совет дня"))
        .collect()
}
