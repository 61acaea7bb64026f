//! Which of her steps stay on the async worker and which go to the blocking
//! pool: `App::step_her` steps her once; a step that waits for no disk (no
//! key written, nothing flushed, no timed job written) is carried out there
//! and then (`Carry::Done`); any other comes back as `Carry::Writes`, with
//! nothing written and no lock held, for `App::carry_her` on the blocking
//! pool, which steps her again only if her conversation changed meanwhile.

use std::sync::Arc;

use ak_jurok::clock::ManualClock;
use ak_jurok::config::Config;
use ak_jurok::conversation::{Action, Command, Input, WizardAction};
use ak_jurok::domain::request::ContactMethod;
use ak_jurok::engine::{App, Carry, Plan, Speaker};
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

/// Steps her; whether the step waited for no disk.
fn light(app: &App, her: &Speaker, input: &Input, pressed: i32) -> bool {
    match app
        .step_her(her, input.clone(), Some(pressed), None)
        .unwrap()
    {
        Carry::Done(_) => true,
        Carry::Writes(step) => {
            app.carry_her(step).unwrap();
            false
        }
    }
}

#[test]
fn screens_are_moved_inline_and_what_writes_a_key_or_flushes_is_carried_out_apart() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 4, 6, 9, 0, 0).unwrap(),
    ));
    let app = app(dir.path(), clock.clone());
    let her = app.speaker(HER, Some("ru".into()));
    let start = Input::Command(Command::Start);
    let russian = Input::Pressed(Action::SetLanguage("ru".into()));
    let menu = Input::Pressed(Action::Menu);
    // First contact writes her key: it comes back to be carried out, and
    // until it is nothing of her is kept (so choosing a language, done inline
    // for someone known, writes too).
    let Carry::Writes(first) = app.step_her(&her, start, None, Some(1)).unwrap() else {
        panic!("first contact was carried out inline");
    };
    drop(first);
    assert!(!light(&app, &her, &russian, 2));

    // Choosing her language only moves her on: inline, and kept (the menu
    // after it is Russian).
    let Carry::Done(chosen) = app.step_her(&her, russian, Some(2), None).unwrap() else {
        panic!("choosing a language waited for the disk");
    };
    assert!(!chosen.shown().is_empty());
    let Carry::Done(shown) = app.step_her(&her, menu.clone(), Some(3), None).unwrap() else {
        panic!("the menu waited for the disk");
    };
    assert!(labels(&shown).contains(&"Нужна помощь сейчас".to_string()));

    // Erase destroys keys: carried out apart — and not before it is carried
    // out: she is still there.
    let erase = Input::Pressed(Action::ConfirmErase {
        cancel_request: false,
    });
    let Carry::Writes(erasing) = app.step_her(&her, erase, Some(4), None).unwrap() else {
        panic!("Erase was carried out inline");
    };
    drop(erasing);
    assert!(light(&app, &her, &menu, 3));

    // Six minutes on, the idle cover's job is to be written again: apart,
    // and once it is written, inline again.
    clock.advance(Duration::minutes(6));
    assert!(!light(&app, &her, &menu, 3));
    assert!(light(&app, &her, &menu, 3));
}

/// How many requests wait, of any urgency.
fn queued(app: &App) -> u64 {
    app.queue_len() as u64
}

#[test]
fn a_step_waiting_to_be_carried_out_holds_no_lock_and_is_taken_again_if_she_moved_on() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 4, 6, 9, 0, 0).unwrap(),
    ));
    let app = app(dir.path(), clock);
    let her = app.speaker(HER, Some("ru".into()));
    let wizard = |action: WizardAction| Input::Pressed(Action::Wizard(action));
    // Danger now, by Telegram, up to the summary; Send stepped, not carried out.
    let stepped_send = || {
        for action in [
            Action::Danger,
            Action::UrgentCallback,
            Action::Wizard(WizardAction::Contact(ContactMethod::Telegram)),
        ] {
            app.on_her(&her, Input::Pressed(action), Some(2), None)
                .unwrap();
        }
        match app
            .step_her(&her, wizard(WizardAction::Send), Some(2), None)
            .unwrap()
        {
            Carry::Writes(send) => send,
            Carry::Done(_) => panic!("Send was carried out inline"),
        }
    };
    for input in [
        Input::Command(Command::Start),
        Input::Pressed(Action::SetLanguage("ru".into())),
    ] {
        app.on_her(&her, input, Some(2), None).unwrap();
    }
    // Before Send is carried out she cancels (the same thread: nothing is
    // held meanwhile).
    let send = stepped_send();
    app.on_her(&her, wizard(WizardAction::Cancel), Some(2), None)
        .unwrap();
    // Send is stepped again from what is there now: nothing to send.
    app.carry_her(send).unwrap();
    assert_eq!(queued(&app), 0, "a cancelled request was queued");
    // Unchanged in between, a step is carried out as it was stepped.
    app.carry_her(stepped_send()).unwrap();
    assert_eq!(queued(&app), 1);
}
