//! The main menu: every section one tap away.

use super::{Action, Button, Ctx, Reply};
use crate::i18n::text::{self, Text};

pub fn render(_ctx: &Ctx) -> Reply {
    Reply::new(
        vec![Text::new(text::MENU_TITLE)],
        vec![
            vec![Button::new(text::MENU_DANGER, Action::Danger)],
            vec![
                Button::new(text::MENU_HELP, Action::HelpTopics),
                Button::new(text::MENU_SHELTER, Action::Shelter),
            ],
            vec![
                Button::new(text::MENU_COVID, Action::Covid(1)),
                Button::new(text::MENU_CALLBACK, Action::RequestCallback(None)),
            ],
            vec![
                Button::new(text::MENU_MY_REQUEST, Action::MyRequest),
                Button::new(text::MENU_LANGUAGE, Action::ChooseLanguage),
            ],
            vec![Button::new(text::MENU_ERASE, Action::Erase)],
        ],
    )
}
