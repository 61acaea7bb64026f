//! `/help`: what the bot can do and the commands.

use super::{menu_row, Reply};
use crate::i18n::text::{self, Text};

pub fn render() -> Reply {
    Reply::new(vec![Text::new(text::HELP)], vec![menu_row()])
}
