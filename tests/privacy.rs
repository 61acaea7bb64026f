//! After full journeys at debug log level, with the production logging and panic
//! hook and everything the process writes to its stderr captured (a panic with
//! her words in its message, an update teloxide cannot parse, a request with a
//! shared contact, cancel, Erase, Hide, names in Cyrillic), neither the data
//! folder, the key file, the keyring, the logs nor stderr hold her id, username,
//! name or anything she typed, in any encoding. Its own test binary: it takes
//! over the process's logging and fd 2, and runs without libtest (`harness =
//! false`), whose output capture would otherwise catch a panic's message before
//! it reached fd 2.

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
const FIRST_NAME: &str = "Зарина-Бегимай";
const CONTACT_PHONE: &str = "+996 555 719 304";
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
        ("contact's phone".into(), b"555719304".to_vec()),
        ("contact's phone spaced".into(), b"555 719 304".to_vec()),
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

/// Everything written to file descriptor 2 while it lives (panic messages of
/// any hook, anything a library prints), read back when it is dropped.
struct Stderr {
    saved: i32,
    reader: Option<std::thread::JoinHandle<Vec<u8>>>,
}

impl Stderr {
    fn capture() -> Stderr {
        use std::io::Read;
        use std::os::fd::FromRawFd;
        let mut fds = [0; 2];
        // SAFETY: plain descriptor calls on fds this function owns.
        let saved = unsafe {
            assert_eq!(libc::pipe(fds.as_mut_ptr()), 0);
            let saved = libc::dup(2);
            libc::dup2(fds[1], 2);
            libc::close(fds[1]);
            saved
        };
        // SAFETY: fds[0] is the pipe's read end, owned by this File from now on.
        let mut read_end = unsafe { std::fs::File::from_raw_fd(fds[0]) };
        let reader = std::thread::spawn(move || {
            let mut all = Vec::new();
            let _ = read_end.read_to_end(&mut all);
            all
        });
        Stderr {
            saved,
            reader: Some(reader),
        }
    }

    /// Puts fd 2 back and returns what was written to it.
    fn finish(mut self) -> Vec<u8> {
        // SAFETY: restores the descriptor saved above; closing our copy of the
        // pipe's write end lets the reader see the end.
        unsafe {
            libc::dup2(self.saved, 2);
            libc::close(self.saved);
        }
        self.reader.take().unwrap().join().unwrap()
    }
}

fn main() {
    let stderr = Stderr::capture();
    let logs = Captured::default();
    let writer = logs.clone();
    // The production logging and its panic hook, as `ak-jurok run` installs them.
    ak_jurok::logging::init_with_writer("debug", move || writer.clone()).unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let journey = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        runtime.block_on(journeys())
    }));
    drop(runtime);
    let err = stderr.finish();
    // Capture is over: the default hook again, so a failure below says what.
    let _ = std::panic::take_hook();
    let log = logs.0.lock().unwrap().clone();
    let Ok(h) = journey else {
        eprintln!(
            "the journeys failed; the log:\n{}",
            String::from_utf8_lossy(&log)
        );
        std::process::exit(1);
    };
    check(&h, log, err);
    // The line cargo's other test binaries print, so CI counts this one too.
    println!("test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out");
}

/// First contact, a panic with her words, stickers, a location, a forged button,
/// an unparsable update, a request with someone else's contact card, cancel, a
/// second request kept through Erase, Hide, a restart.
async fn journeys() -> Harness {
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
    user.tap("Нужна помощь сейчас").await;
    user.say(&format!("{TYPED} my name is {FIRST_NAME}, call me"))
        .await;
    user.send_text(&format!("boom {TYPED} {PHONE_TYPED}"));
    assert!(user.next_reply().await.text.starts_with("Извините"));
    user.send_sticker();
    user.next_reply().await;
    user.send_location();
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
    // A whole request with a contact card of someone else's number, a code word
    // and a description; then sent, cancelled, and the chat erased.
    for label in [
        "Мени менен байланышыңыз",
        "Юридикалык жардам",
        "Мага бир күндүн ичинде жардам керек",
        "Мага чалыңыз",
    ] {
        user.tap(label).await;
    }
    user.send_contact(CONTACT_PHONE, Some(USER_ID + 1));
    user.next_reply().await;
    user.tap("Кечинде (17:00–21:00)").await;
    user.tap("Телефонду коюп койсун").await;
    user.say(CODE_WORD).await;
    let summary = user.say(DESCRIPTION).await;
    assert!(summary.text.contains("+996555719304"), "{}", summary.text);
    user.press("Жөнөтүү");
    assert!(user.next_reply().await.text.starts_with("Рахмат"));
    user.tap("Жашыруу").await;
    h.restart().await;
    user.send_voice();
    user.next_reply().await;
    user.say("/menu").await;
    user.tap("Менин өтүнүчүм").await;
    user.tap("Өтүнүчтү жокко чыгаруу").await;
    user.tap("Ооба, жокко чыгаруу").await;
    // A second request, by phone typed this time, kept through Erase.
    user.say("/menu").await;
    for label in [
        "Мени менен байланышыңыз",
        "Психолог",
        "Мен коопсуз жердемин, күтө алам",
        "Мага чалыңыз",
    ] {
        user.tap(label).await;
    }
    user.say(PHONE_TYPED).await;
    user.tap("Кечинде (17:00–21:00)").await;
    user.tap("Телефонду коюп койсун").await;
    user.tap("Өткөрүп жиберүү").await;
    user.tap("Өткөрүп жиберүү").await;
    user.tap("Жөнөтүү").await;
    user.say("/menu").await;
    user.tap("Бул чатты жок кылуу").await;
    user.tap("Чатты жок кылуу, өтүнүч калсын").await;
    user.say(&format!("again {TYPED}")).await;
    h.stop().await;
    h
}

fn check(h: &Harness, log: Vec<u8>, err: Vec<u8>) {
    let log_text = String::from_utf8_lossy(&log);
    // The log did capture the journey, at debug level, including the libraries
    // and the panic (its place, never its message).
    assert!(log_text.contains("event=\"update_failed\""), "{log_text}");
    assert!(log_text.contains("event=\"panic\""), "{log_text}");
    assert!(log_text.contains("event=\"erased\""), "{log_text}");
    // At debug, other crates still say nothing below warn.
    assert!(
        !log_text
            .lines()
            .any(|l| (l.contains("DEBUG") || l.contains(" INFO ")) && !l.contains("ak_jurok")),
        "{log_text}"
    );
    // What she did (sent, cancelled) is logged without her code; a line that
    // names a code is stamped to the minute.
    for line in log_text.lines() {
        for hers in ["request_queued", "request_cancelled_by_her", "relayed_"] {
            assert!(
                !(line.contains(hers) && line.contains("code=")),
                "her event with a code: {line}"
            );
        }
        let stamp = line.split(' ').next().unwrap_or_default();
        if line.contains("code=") {
            assert!(
                stamp.len() == "2026-04-06T09:00Z".len() && stamp.ends_with('Z'),
                "a code stamped finer than the minute: {line}"
            );
        }
    }
    assert!(log_text.contains("event=\"request_queued\""), "{log_text}");
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
    places.push(("stderr".into(), err));
    for (place, bytes) in &places {
        for (what, needle) in needles() {
            assert!(!find(bytes, &needle), "{what} found in {place}");
        }
    }
    // The search itself works: it finds what a naive store would have written,
    // and what the default panic hook would have printed.
    let naive = format!("{{\"user\":{USER_ID},\"name\":\"{FIRST_NAME}\"}}");
    assert!(needles().iter().any(|(_, n)| find(naive.as_bytes(), n)));
    let default_hook =
        format!("panicked at src/telegram/mod.rs: injected while reading boom {TYPED}");
    assert!(needles()
        .iter()
        .any(|(_, n)| find(default_hook.as_bytes(), n)));
}
