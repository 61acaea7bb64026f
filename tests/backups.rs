//! The running bot writes its own backups (operations review §2, issue 23):
//! one at start when none is recent, one on SIGUSR1 — here while women send
//! requests. Each is a consistent copy (`Store::verify`); a restore from the
//! last brings back every request she was told was received; a backup that
//! cannot be written reaches the staff chat, and the bot goes on.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use ak_jurok::crypto::Keys;
use ak_jurok::store::Store;
use common::{get, to_summary, wait_until};
use fake_bot_api::{FakeBotApi, FakeUser};

const STAFF_CHAT: i64 = -1_005_550_700_999;
const WOMEN: std::ops::Range<u64> = 5_550_700_001..5_550_700_011;

fn config_file(dir: &Path, metrics: Option<std::net::SocketAddr>) -> PathBuf {
    let file = dir.join("bot.toml");
    let metrics = metrics.map_or(String::new(), |addr| format!("metrics = \"{addr}\"\n"));
    std::fs::write(
        &file,
        format!(
            "default_language = \"ru\"\nstaff_chat = {STAFF_CHAT}\n{metrics}\
             [telegram_limits]\nper_chat_per_sec = 1000\nper_chat_per_min = 60000\n\
             per_group_per_min = 60000\noverall_per_sec = 1000\n"
        ),
    )
    .unwrap();
    file
}

fn start(api: &FakeBotApi, dir: &Path, backups: Option<&Path>, config: &Path) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ak-jurok"));
    command
        .args(["run", "--config"])
        .arg(config)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("TELOXIDE_TOKEN", "42:TEST")
        .env("TELOXIDE_API_URL", api.url())
        .env("AKJ_DATA_DIR", dir.join("data"))
        .env("AKJ_KEY_FILE", dir.join("master.key"))
        .env_remove("AKJ_KEYRING")
        .env_remove("AKJ_BACKUP_DIR")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(backups) = backups {
        command.env("AKJ_BACKUP_DIR", backups);
    }
    command.spawn().unwrap()
}

fn signal(bot: &Child, signal: i32) {
    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc::kill(bot.id() as i32, signal) }, 0);
}

fn stop(mut bot: Child) {
    signal(&bot, libc::SIGTERM);
    assert!(bot.wait().unwrap().success());
}

/// The backup folders made so far, oldest first.
fn backups_in(dir: &Path) -> Vec<PathBuf> {
    let mut all: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().path())
                .filter(|p| {
                    p.file_name()
                        .unwrap()
                        .to_string_lossy()
                        .starts_with("ak-jurok-")
                })
                .collect()
        })
        .unwrap_or_default();
    all.sort();
    all
}

async fn wait_for_backups(dir: &Path, count: usize) {
    assert!(
        wait_until(|| backups_in(dir).len() >= count).await,
        "{count} backup(s) in {}",
        dir.display()
    );
}

fn confirmed(api: &FakeBotApi, user: u64) -> bool {
    api.chat(user as i64).iter().any(|m| {
        m.from_bot
            && m.text
                .as_deref()
                .is_some_and(|t| t.starts_with("Спасибо, мы получили вашу заявку"))
    })
}

/// Opens a backup as a restore would, in a folder of its own, with a copy of
/// today's keyring: the problems `Store::verify` finds, and whether each
/// woman's request is in it.
fn open_copy(dir: &Path, backup: &Path, keys: &Arc<Keys>) -> (Vec<String>, Vec<bool>) {
    let scratch = tempfile::tempdir_in(dir).unwrap();
    for file in ["ak-jurok.keyring", "ak-jurok.keyring.wrap"] {
        std::fs::copy(dir.join(file), scratch.path().join(file)).unwrap();
    }
    let (data, ring) = (
        scratch.path().join("data"),
        scratch.path().join("ak-jurok.keyring"),
    );
    Store::restore(&data, &ring, keys.clone(), Some(backup), chrono::Utc::now()).unwrap();
    let store = Store::open(&data, &ring, 1, keys.clone()).unwrap();
    let has = WOMEN
        .map(|id| store.latest_request(&keys.pseudonym(id)).unwrap().is_some())
        .collect();
    (store.verify().unwrap(), has)
}

async fn to_menu(user: &FakeUser) {
    let first = user.say("/start").await;
    let russian = first
        .labels()
        .into_iter()
        .find(|l| l.ends_with("Русский"))
        .expect("a language button");
    user.tap(&russian).await;
    user.tap("Перейти в меню").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_backs_up_at_start_and_on_sigusr1_under_load_and_a_restore_brings_back_every_confirmed_request(
) {
    let api = FakeBotApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let backups = dir.path().join("backups");
    let config = config_file(dir.path(), None);
    let bot = start(&api, dir.path(), Some(&backups), &config);
    // On its schedule: none yet, so one at start.
    wait_for_backups(&backups, 1).await;
    let women: Vec<FakeUser> = WOMEN.map(|id| api.user(id)).collect();
    for woman in &women {
        to_menu(woman).await;
        to_summary(woman, "0700 123 456").await;
    }
    // Everyone presses Send at once; the operator asks for a backup twice
    // while the confirmations come.
    for (woman, id) in women.iter().zip(WOMEN) {
        let summary = api
            .chat(id as i64)
            .into_iter()
            .rev()
            .find(|m| m.from_bot && !m.deleted)
            .unwrap();
        woman.press_data(summary.id, &summary.buttons()[0][0].1);
    }
    assert!(
        api.wait_for(|calls| calls.iter().any(|c| c.body["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("Спасибо"))))
            .await
    );
    for _ in 0..4 {
        signal(&bot, libc::SIGUSR1);
        tokio::time::sleep(Duration::from_millis(15)).await;
    }
    assert!(wait_until(|| WOMEN.clone().all(|id| confirmed(&api, id))).await);
    // (Signals that come while a backup is written make one more, not one
    // each.) Once those are written, one more after every confirmation.
    wait_for_backups(&backups, 2).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let before = backups_in(&backups).len();
    signal(&bot, libc::SIGUSR1);
    wait_for_backups(&backups, before + 1).await;
    stop(bot);

    let keys = Arc::new(Keys::load_or_create(&dir.path().join("master.key")).unwrap());
    let made = backups_in(&backups);
    assert!(made.len() >= 3, "at start, under load, after: {made:?}");
    for backup in &made {
        let (problems, _) = open_copy(dir.path(), backup, &keys);
        assert!(problems.is_empty(), "{}: {problems:?}", backup.display());
    }
    let last = made.last().unwrap();
    let (_, has) = open_copy(dir.path(), last, &keys);
    assert!(has.iter().all(|h| *h), "every confirmed request: {has:?}");
    // No key or keyring travels.
    for backup in &made {
        let names: Vec<String> = std::fs::read_dir(backup)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["db"], "{}", backup.display());
    }

    // The real thing: `restore` from the last backup, then the bot shows
    // every woman her request.
    let out = Command::new(env!("CARGO_BIN_EXE_ak-jurok"))
        .args(["restore"])
        .arg(last)
        .env("AKJ_DATA_DIR", dir.path().join("data"))
        .env("AKJ_KEY_FILE", dir.path().join("master.key"))
        .env_remove("AKJ_KEYRING")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bot = start(&api, dir.path(), Some(&backups), &config);
    for (woman, id) in women.iter().zip(WOMEN) {
        woman.skip_replies();
        woman.say("/menu").await;
        let mine = woman.tap("Моя заявка").await;
        assert!(mine.text.starts_with("Заявка "), "{id}: {}", mine.text);
    }
    stop(bot);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_that_fails_reaches_the_staff_chat_and_the_metrics_and_the_bot_goes_on() {
    let api = FakeBotApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    // A file where the backups' folder should be.
    let backups = dir.path().join("backups");
    std::fs::write(&backups, b"").unwrap();
    let metrics = common::free_port();
    let config = config_file(dir.path(), Some(metrics));
    let bot = start(&api, dir.path(), Some(&backups), &config);
    let told = |api: &FakeBotApi| {
        api.chat(STAFF_CHAT).into_iter().find(|m| {
            m.text
                .as_deref()
                .is_some_and(|t| t.starts_with("Резервная копия базы не записалась"))
        })
    };
    assert!(wait_until(|| told(&api).is_some()).await);
    let text = told(&api).unwrap().text.unwrap();
    assert!(
        text.contains(&backups.display().to_string()),
        "names the folder: {text}"
    );
    let (_, page) = get(metrics, "/metrics").await;
    assert!(page.contains("akj_backups_failed_total 1\n"), "{page}");
    assert!(page.contains("akj_seconds_since_last_backup "), "{page}");
    // She is answered as ever; another failure (asked for) is not told again
    // the same day.
    let woman = api.user(WOMEN.start);
    let first = woman.say("/start").await;
    assert!(!first.labels().is_empty());
    signal(&bot, libc::SIGUSR1);
    let mut failed_twice = false;
    for _ in 0..500 {
        let (_, page) = get(metrics, "/metrics").await;
        if page.contains("akj_backups_failed_total 2\n") {
            failed_twice = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(failed_twice, "the asked-for backup was tried, and failed");
    let notices = api
        .chat(STAFF_CHAT)
        .into_iter()
        .filter(|m| {
            m.text
                .as_deref()
                .is_some_and(|t| t.starts_with("Резервная копия"))
        })
        .count();
    assert_eq!(notices, 1);
    stop(bot);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigusr1_without_backups_ends_nothing() {
    let api = FakeBotApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let config = config_file(dir.path(), None);
    let bot = start(&api, dir.path(), None, &config);
    let woman = api.user(WOMEN.start);
    assert!(!woman.say("/start").await.labels().is_empty());
    signal(&bot, libc::SIGUSR1);
    tokio::time::sleep(Duration::from_millis(200)).await;
    woman.skip_replies();
    assert!(!woman.say("/start").await.text.is_empty(), "still answers");
    stop(bot);
}
