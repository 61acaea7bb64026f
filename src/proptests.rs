//! Properties over random input: the codecs and the phone parser never panic
//! and round-trip what they accept; both cores, fed random sequences, never
//! panic and always answer. Few cases, so the suite stays quick.

use proptest::prelude::*;

use crate::conversation::{self, Action, Command, Input, Media};
use crate::desk::{self, DeskCommand, DeskInput};
use crate::domain::outcome::Outcome;
use crate::domain::phone::Phone;
use crate::ui::button_data;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 64,
        ..ProptestConfig::default()
    }
}

/// One thing she might do: a real button, a forged one, text, media, a command.
fn input() -> impl Strategy<Value = Input> {
    let actions = button_data::tests::every_action();
    prop_oneof![
        (0..actions.len()).prop_map(move |i| Input::Pressed(actions[i].clone())),
        ".{0,300}".prop_map(Input::Text),
        "[0-9 +()-]{0,20}".prop_map(Input::Text),
        Just(Input::UnreadableButton),
        Just(Input::Media(Media::Sticker)),
        Just(Input::Media(Media::Location)),
        Just(Input::Command(Command::Start)),
        Just(Input::Command(Command::Menu)),
        Just(Input::Command(Command::Unknown)),
        "[0-9+ ]{0,16}".prop_map(|phone| Input::SharedContact { phone, own: false }),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn button_data_never_panics_and_what_decodes_encodes_back(data in ".{0,80}") {
        if let Some(pressed) = button_data::decode(&data) {
            let again = match &pressed {
                button_data::Pressed::Her(action) => button_data::encode(action),
                button_data::Pressed::Desk(action) => button_data::ButtonData::data(action),
            };
            prop_assert!(again.len() <= button_data::MAX_LEN);
            prop_assert_eq!(button_data::decode(&again), Some(pressed));
        }
    }

    #[test]
    fn the_phone_parser_never_panics_and_its_numbers_parse_again(text in ".{0,40}") {
        if let Ok(phone) = Phone::parse(&text) {
            prop_assert_eq!(Phone::parse(phone.e164()).ok(), Some(phone));
        }
    }

    #[test]
    fn outcome_forms_in_button_data_round_trip(hex in "[0-9a-f]{0,9}") {
        if let Some(form) = Outcome::from_hex(&hex) {
            prop_assert_eq!(Outcome::from_hex(&form.to_hex()), Some(form));
        }
    }

    #[test]
    fn her_conversation_answers_every_input_and_never_panics(
        inputs in proptest::collection::vec(input(), 1..25)
    ) {
        let center = crate::config::Center::default();
        let languages = vec!["ky".to_string(), "ru".to_string()];
        let windows = crate::domain::schedule::ContactWindows::default();
        let ctx = conversation::Ctx::defaults(chrono::Utc::now(), &center, &languages, "ky", &windows);
        let mut dialogue = None;
        for input in inputs {
            let outcome = conversation::step(dialogue, input, &ctx);
            // Silence only where the shell answers (an effect's event), else a reply.
            prop_assert!(!outcome.replies.is_empty() || !outcome.effects.is_empty());
            for reply in &outcome.replies {
                let hides = reply.keyboard.iter().flatten().filter(|b| b.action == Action::Hide).count();
                prop_assert!(hides <= 1);
            }
            dialogue = outcome.dialogue;
        }
    }

    #[test]
    fn the_desk_answers_every_input_and_never_panics(
        words in ".{0,60}",
        pick in 0usize..6,
        supervisor in any::<bool>(),
    ) {
        let command = [
            DeskCommand::Take,
            DeskCommand::Reopen,
            DeskCommand::Stats,
            DeskCommand::Export,
            DeskCommand::Shelter,
            DeskCommand::Suspend,
        ][pick];
        for input in [DeskInput::Command(command, words.clone()), DeskInput::Text(words.clone())] {
            let (replies, effects) = desk::step("aigul", supervisor, input);
            prop_assert!(!replies.is_empty() || !effects.is_empty());
        }
    }
}
