//! Sections whose screens are still being built: an honest note and the way back.

use super::{Action, Button, Reply, Section};
use crate::text::{self, Text};

pub fn render(section: Section) -> Reply {
    Reply::new(
        vec![Text::new(section.title()), Text::new(text::COMING_SOON)],
        vec![vec![Button::new(text::BUTTON_BACK, Action::Menu)]],
    )
}
