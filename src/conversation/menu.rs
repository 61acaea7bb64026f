//! The main menu: every section one tap away.

use super::{Action, Button, Ctx, Reply, Section};
use crate::text::{self, Text};

pub fn render(_ctx: &Ctx) -> Reply {
    let open = |section: Section| Button::new(section.title(), Action::Open(section));
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
                open(Section::MyRequest),
                Button::new(text::MENU_LANGUAGE, Action::ChooseLanguage),
            ],
            vec![open(Section::Erase)],
        ],
    )
}
