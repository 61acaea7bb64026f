//! The one table of commands: name, aliases, who may use it and its description
//! per language (a message id). The Telegram input, the demo and the command list
//! published to Telegram all read it.

use crate::conversation::Command;
use crate::text::{self, MsgId};

/// Who may use a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Anyone writing to the bot.
    Anyone,
}

pub struct Spec {
    pub command: Command,
    /// As typed after `/`, and as listed in Telegram's menu.
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub role: Role,
    /// Its description in the command menu.
    pub description: MsgId,
}

pub const TABLE: &[Spec] = &[
    Spec {
        command: Command::Start,
        name: "start",
        aliases: &[],
        role: Role::Anyone,
        description: text::CMD_START,
    },
    Spec {
        command: Command::Menu,
        name: "menu",
        aliases: &[],
        role: Role::Anyone,
        description: text::CMD_MENU,
    },
    Spec {
        command: Command::Language,
        name: "language",
        aliases: &["lang"],
        role: Role::Anyone,
        description: text::CMD_LANGUAGE,
    },
    Spec {
        command: Command::Help,
        name: "help",
        aliases: &[],
        role: Role::Anyone,
        description: text::CMD_HELP,
    },
];

/// What follows `/`: `start`, `start@SomeBot` and `START payload` all read as
/// `/start`; anything else is an unknown command.
pub fn parse(after_slash: &str) -> Command {
    let name = after_slash
        .split(|c: char| c.is_whitespace() || c == '@')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    TABLE
        .iter()
        .find(|spec| spec.name == name || spec.aliases.contains(&name.as_str()))
        .map_or(Command::Unknown, |spec| spec.command)
}

/// The commands listed for `role` in Telegram's menu.
pub fn listed(role: Role) -> impl Iterator<Item = &'static Spec> {
    TABLE.iter().filter(move |spec| spec.role == role)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_read_with_bot_names_aliases_and_payloads() {
        assert_eq!(parse("start"), Command::Start);
        assert_eq!(parse("start@AkBot"), Command::Start);
        assert_eq!(parse("MENU now"), Command::Menu);
        assert_eq!(parse("language"), Command::Language);
        assert_eq!(parse("lang"), Command::Language);
        assert_eq!(parse("help"), Command::Help);
        assert_eq!(parse("next"), Command::Unknown);
        assert_eq!(parse(""), Command::Unknown);
    }

    #[test]
    fn every_command_of_hers_is_in_the_table_once() {
        for command in [
            Command::Start,
            Command::Menu,
            Command::Language,
            Command::Help,
        ] {
            assert_eq!(
                TABLE.iter().filter(|s| s.command == command).count(),
                1,
                "{command:?}"
            );
        }
    }
}
