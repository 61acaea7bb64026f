//! What runs on the async worker (`App::handle_light`) and what goes to the
//! blocking pool: only steps that wait for no disk are done light, and a step
//! that would is refused with nothing written, so `App::handle` can do it whole.

use std::sync::Arc;

use ak_jurok::app::{App, Speaker};
use ak_jurok::clock::{Clock, ManualClock};
use ak_jurok::config::Config;
use ak_jurok::conversation::{Action, Command, Input};
use chrono::{Duration, TimeZone, Utc};

const HER: u64 = 5_550_960_001;

fn app(dir: &std::path::Path, clock: Arc<ManualClock>) -> App {
    let mut config = Config::load(None, |_| None).unwrap();
    config.data_dir = dir.join("data");
    config.key_file = Some(dir.join("master.key"));
    config.keyring_file = Some(dir.join("ak-jurok.keyring"));
    App::open(config, clock).unwrap()
}

#[test]
fn screens_are_moved_light_and_what_writes_a_key_or_flushes_is_left_whole() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 4, 6, 9, 0, 0).unwrap(),
    ));
    let app = app(dir.path(), clock.clone());
    let her = Speaker {
        who: app.keys.pseudonym(HER),
        language_code: Some("ru".into()),
        chat_id: HER as i64,
    };
    let start = Input::Command(Command::Start);
    // First contact writes her key: refused, and nothing of her is kept.
    assert!(app
        .handle_light(&her, start.clone(), None)
        .unwrap()
        .is_none());
    assert!(app.store.load(&her.who, clock.now()).unwrap().is_none());
    assert!(!app.handle(&her, start, None).unwrap().replies.is_empty());

    // Choosing her language only moves her on: done light, and kept.
    let russian = Input::Pressed(Action::SetLanguage("ru".into()));
    let shown = app.handle_light(&her, russian, Some(1)).unwrap();
    assert!(shown.is_some_and(|h| !h.replies.is_empty()));
    let kept = app.store.load(&her.who, clock.now()).unwrap().unwrap();
    assert_eq!(kept.dialogue.lang, "ru");

    // Erase destroys keys: refused, and she is still there.
    let erase = Input::Pressed(Action::ConfirmErase {
        cancel_request: false,
    });
    assert!(app.handle_light(&her, erase, Some(2)).unwrap().is_none());
    assert!(app.store.load(&her.who, clock.now()).unwrap().is_some());

    // Five minutes on, the idle cover's job is to be written again: refused.
    clock.advance(Duration::minutes(6));
    let menu = Input::Pressed(Action::Menu);
    assert!(app
        .handle_light(&her, menu.clone(), Some(3))
        .unwrap()
        .is_none());
    app.handle(&her, menu.clone(), Some(3)).unwrap();
    assert!(app.handle_light(&her, menu, Some(3)).unwrap().is_some());
}
