//! Which of her steps stay on the async worker and which go to the blocking
//! pool: `App::on_her_light` does a step only when it waits for no disk (no
//! key written, nothing flushed, no timed job written); any other step it
//! refuses with nothing written, and the shell hands that step whole to
//! `App::on_her` on the blocking pool.

use std::sync::Arc;

use ak_jurok::clock::ManualClock;
use ak_jurok::config::Config;
use ak_jurok::conversation::{Action, Command, Input};
use ak_jurok::engine::{App, Plan};
use chrono::{Duration, TimeZone, Utc};

const HER: u64 = 5_550_960_001;

fn app(dir: &std::path::Path, clock: Arc<ManualClock>) -> App {
    let mut config = Config::load(None, |_| None).unwrap();
    config.data_dir = dir.join("data");
    config.key_file = Some(dir.join("master.key"));
    config.keyring_file = Some(dir.join("ak-jurok.keyring"));
    App::open(config, clock).unwrap()
}

/// The labels of every button the plan shows.
fn labels(plan: &Plan) -> Vec<String> {
    plan.shown()
        .into_iter()
        .flat_map(|(_, m)| m.keyboard.iter().flatten().map(|b| b.label.clone()))
        .collect()
}

#[test]
fn screens_are_moved_light_and_what_writes_a_key_or_flushes_is_left_whole() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 4, 6, 9, 0, 0).unwrap(),
    ));
    let app = app(dir.path(), clock.clone());
    let her = app.speaker(HER, Some("ru".into()));
    let start = Input::Command(Command::Start);
    let russian = Input::Pressed(Action::SetLanguage("ru".into()));
    let menu = Input::Pressed(Action::Menu);
    // First contact writes her key: refused, and nothing of her is kept (so
    // choosing a language, light for someone known, is refused too).
    assert!(app
        .on_her_light(&her, start.clone(), None, Some(1))
        .unwrap()
        .is_none());
    assert!(app
        .on_her_light(&her, russian.clone(), Some(2), None)
        .unwrap()
        .is_none());
    assert!(!app
        .on_her(&her, start, None, Some(1))
        .unwrap()
        .shown()
        .is_empty());

    // Choosing her language only moves her on: done light, and kept (the
    // menu after it is Russian).
    let chosen = app.on_her_light(&her, russian, Some(2), None).unwrap();
    assert!(chosen.is_some_and(|plan| !plan.shown().is_empty()));
    let shown = app.on_her_light(&her, menu.clone(), Some(3), None).unwrap();
    assert!(labels(&shown.unwrap()).contains(&"Нужна помощь сейчас".to_string()));

    // Erase destroys keys: refused, and she is still there.
    let erase = Input::Pressed(Action::ConfirmErase {
        cancel_request: false,
    });
    assert!(app
        .on_her_light(&her, erase, Some(4), None)
        .unwrap()
        .is_none());
    assert!(app
        .on_her_light(&her, menu.clone(), Some(3), None)
        .unwrap()
        .is_some());

    // Six minutes on, the idle cover's job is to be written again: refused,
    // until the whole step has written it.
    clock.advance(Duration::minutes(6));
    assert!(app
        .on_her_light(&her, menu.clone(), Some(3), None)
        .unwrap()
        .is_none());
    app.on_her(&her, menu.clone(), Some(3), None).unwrap();
    assert!(app
        .on_her_light(&her, menu, Some(3), None)
        .unwrap()
        .is_some());
}
