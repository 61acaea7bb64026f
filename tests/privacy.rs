//! After full journeys at debug log level — including a panic and an update
//! teloxide cannot parse — neither the data directory, the key file nor the logs
//! hold the user's id, username, first name or what she typed, in any encoding.

mod common;

use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

use ak_jurok::conversation::Input;
use base64::Engine;
use common::{Harness, PanicOn};
use serde_json::json;

const USER_ID: u64 = 7_301_234_567; // above 2^32
const USERNAME: &str = "zarina_osh_handle";
const FIRST_NAME: &str = "Zarinabegim";
const TYPED: &str = "quietmarkerword";
const PHONE_TYPED: &str = "0700 381 927";
const CODE_WORD: &str = "sunflowerword";
const DESCRIPTION: &str = "my husband took the documents descmarker";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every form in which the id, names or text could leak.
fn needles() -> Vec<(String, Vec<u8>)> {
    let b64 = |bytes: &[u8]| {
        [
            base64::engine::general_purpose::STANDARD.encode(bytes),
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes),
        ]
    };
    let mut out: Vec<(String, Vec<u8>)> = vec![
        ("decimal id".into(), USER_ID.to_string().into_bytes()),
        (
            "negative chat id".into(),
            format!("-{USER_ID}").into_bytes(),
        ),
        ("little-endian id".into(), USER_ID.to_le_bytes().to_vec()),
        ("big-endian id".into(), USER_ID.to_be_bytes().to_vec()),
        (
            "little-endian i64 id".into(),
            (USER_ID as i64).to_le_bytes().to_vec(),
        ),
        ("hex id".into(), format!("{USER_ID:x}").into_bytes()),
        ("HEX id".into(), format!("{USER_ID:X}").into_bytes()),
        (
            "hex of le bytes".into(),
            hex(&USER_ID.to_le_bytes()).into_bytes(),
        ),
        (
            "hex of be bytes".into(),
            hex(&USER_ID.to_be_bytes()).into_bytes(),
        ),
        ("username".into(), USERNAME.as_bytes().to_vec()),
        ("first name".into(), FIRST_NAME.as_bytes().to_vec()),
        ("typed text".into(), TYPED.as_bytes().to_vec()),
        ("phone digits".into(), b"700381927".to_vec()),
        ("phone as typed".into(), PHONE_TYPED.as_bytes().to_vec()),
        ("phone spaced".into(), b"700 381 927".to_vec()),
        ("code word".into(), CODE_WORD.as_bytes().to_vec()),
        ("description marker".into(), b"descmarker".to_vec()),
    ];
    for (name, bytes) in [
        ("decimal id", USER_ID.to_string().into_bytes()),
        ("le id", USER_ID.to_le_bytes().to_vec()),
        ("be id", USER_ID.to_be_bytes().to_vec()),
        ("username", USERNAME.as_bytes().to_vec()),
        ("first name", FIRST_NAME.as_bytes().to_vec()),
        ("phone", b"+996700381927".to_vec()),
        ("code word", CODE_WORD.as_bytes().to_vec()),
    ] {
        for encoded in b64(&bytes) {
            // Trailing characters depend on what follows; compare the stable part.
            let stable = encoded.trim_end_matches('=');
            let stable = &stable[..stable.len() - 1];
            out.push((format!("base64 of {name}"), stable.as_bytes().to_vec()));
        }
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn find(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

fn files_under(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_identity_or_text_on_disk_or_in_logs_after_full_journeys() {
    let logs = Captured::default();
    let writer = logs.clone();
    let test_hook = std::panic::take_hook();
    ak_jurok::logging::init_with_writer("debug", move || writer.clone()).unwrap();
    // Keep the bot's redacting hook out of the way of this test's own failures.
    std::panic::set_hook(test_hook);

    let panic_on: PanicOn = Arc::new(|input| match input {
        Input::Text(t) if t.contains("boom") => Some(format!("injected while reading {t}")),
        _ => None,
    });
    let mut h = Harness::start_with(
        |c| c.center.phones = vec!["+996 555 010 203".into()],
        Some(panic_on),
    )
    .await;
    let user = h.user(USER_ID).named(FIRST_NAME, USERNAME).language("ru");

    user.say(&format!("hello {TYPED}")).await;
    user.tap("✓ Русский").await;
    user.tap("Перейти в меню").await;
    user.tap("Мне угрожает опасность").await;
    user.say(&format!("{TYPED} my name is {FIRST_NAME}, call me"))
        .await;
    user.send_text(&format!("boom {TYPED}"));
    assert!(user.next_reply().await.text.starts_with("Извините"));
    user.send_sticker();
    user.next_reply().await;
    user.say("/language").await;
    user.tap("Кыргызча").await;
    user.press_data(1, "1:forged:data");
    user.next_reply().await;
    // An update teloxide cannot parse: teloxide logs such updates whole.
    h.api.push_raw_update(json!({"message": {
        "message_id": 99, "date": "yesterday",
        "chat": {"id": USER_ID, "type": "private", "first_name": FIRST_NAME, "username": USERNAME},
        "from": {"id": USER_ID, "is_bot": false, "first_name": FIRST_NAME, "username": USERNAME},
        "text": TYPED,
    }}));
    user.say("/menu").await;
    // A whole request, with a number, a code word and a description.
    for label in [
        "Мени менен байланышыңыз",
        "Юридикалык жардам",
        "Мага бир күндүн ичинде жардам керек",
        "Мага чалыңыз",
    ] {
        user.tap(label).await;
    }
    user.say(PHONE_TYPED).await;
    user.tap("Кечинде").await;
    user.tap("Телефонду коюп койсун").await;
    user.say(CODE_WORD).await;
    let summary = user.say(DESCRIPTION).await;
    assert!(summary.text.contains("+996700381927"), "{}", summary.text);
    user.press("Жөнөтүү");
    assert!(user.next_reply().await.text.starts_with("Рахмат"));
    user.tap("Жашыруу").await;
    h.restart().await;
    user.send_voice();
    user.next_reply().await;
    h.stop().await;

    let log = logs.0.lock().unwrap().clone();
    let log_text = String::from_utf8_lossy(&log);
    // The log did capture the journey, at debug level, including the libraries.
    assert!(log_text.contains("event=\"update_failed\""), "{log_text}");
    assert!(log_text.contains("DEBUG"), "debug level was on");
    assert!(
        log_text.contains("teloxide::dispatching::dispatcher: (message of another crate withheld)"),
        "teloxide's report of the unparsable update was captured and withheld"
    );

    let mut files = Vec::new();
    files_under(h.dir.path(), &mut files);
    assert!(files.iter().any(|f| f.ends_with("master.key")));
    assert!(files.len() > 3, "the database wrote files: {files:?}");
    assert!(
        files.iter().any(|f| f.ends_with("ak-jurok.keyring"))
            && files.iter().any(|f| f.ends_with("ak-jurok.keyring.wrap")),
        "the keyring was searched too"
    );
    let mut places: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|f| (f.display().to_string(), std::fs::read(f).unwrap()))
        .collect();
    places.push(("the logs".into(), log));
    for (place, bytes) in &places {
        for (what, needle) in needles() {
            assert!(!find(bytes, &needle), "{what} found in {place}");
        }
    }
    // The search itself works: it finds what a naive store would have written.
    let naive = format!("{{\"user\":{USER_ID},\"name\":\"{FIRST_NAME}\"}}");
    assert!(needles().iter().any(|(_, n)| find(naive.as_bytes(), n)));
}
