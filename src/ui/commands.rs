//! The one table of commands: name, aliases, who may use it and its description
//! per language (a message id). The Telegram input, the demo and the command list
//! published to Telegram all read it.

use crate::conversation::Command;
use crate::desk::{DeskCommand, Role};
use crate::i18n::text::{self, MsgId};

/// A command of her conversation or of the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Said {
    Her(Command),
    Desk(DeskCommand),
}

#[derive(Clone, Copy)]
pub struct Spec {
    pub command: Said,
    /// As typed after `/`, and as listed in Telegram's menu.
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    /// Its description in the command menu.
    pub description: MsgId,
}

impl Spec {
    /// Who may use it (the desk says, for its commands).
    pub fn role(&self) -> Role {
        match self.command {
            Said::Her(_) => Role::Anyone,
            Said::Desk(command) => command.role(),
        }
    }

    /// The entry of a staff command of its own file, as it declares itself.
    fn own(command: &'static dyn crate::desk::OwnCommand) -> Spec {
        Spec {
            command: Said::Desk(DeskCommand::Own(command)),
            name: command.name(),
            aliases: &[],
            description: command.description(),
        }
    }
}

/// Her commands and the desk's built-in ones; the desk's commands of their
/// own files follow them (see [`all`]).
pub const TABLE: &[Spec] = &[
    Spec {
        command: Said::Her(Command::Start),
        name: "start",
        aliases: &[],
        description: text::CMD_START,
    },
    Spec {
        command: Said::Her(Command::Menu),
        name: "menu",
        aliases: &[],
        description: text::CMD_MENU,
    },
    Spec {
        command: Said::Her(Command::Language),
        name: "language",
        aliases: &["lang"],
        description: text::CMD_LANGUAGE,
    },
    Spec {
        command: Said::Her(Command::Help),
        name: "help",
        aliases: &[],
        description: text::CMD_HELP,
    },
    Spec {
        command: Said::Desk(DeskCommand::Queue),
        name: "queue",
        aliases: &[],
        description: text::CMD_QUEUE,
    },
    Spec {
        command: Said::Desk(DeskCommand::Next),
        name: "next",
        aliases: &[],
        description: text::CMD_NEXT,
    },
    Spec {
        command: Said::Desk(DeskCommand::Mine),
        name: "mine",
        aliases: &[],
        description: text::CMD_MINE,
    },
    Spec {
        command: Said::Desk(DeskCommand::Take),
        name: "take",
        aliases: &[],
        description: text::CMD_TAKE,
    },
    Spec {
        command: Said::Desk(DeskCommand::Claims),
        name: "claims",
        aliases: &[],
        description: text::CMD_CLAIMS,
    },
    Spec {
        command: Said::Desk(DeskCommand::Suspend),
        name: "suspend",
        aliases: &[],
        description: text::CMD_SUSPEND,
    },
    Spec {
        command: Said::Desk(DeskCommand::Resume),
        name: "resume",
        aliases: &[],
        description: text::CMD_RESUME,
    },
    Spec {
        command: Said::Desk(DeskCommand::Reopen),
        name: "reopen",
        aliases: &[],
        description: text::CMD_REOPEN,
    },
    Spec {
        command: Said::Desk(DeskCommand::Assign),
        name: "assign",
        aliases: &[],
        description: text::CMD_ASSIGN,
    },
    Spec {
        command: Said::Desk(DeskCommand::Stats),
        name: "stats",
        aliases: &[],
        description: text::CMD_STATS,
    },
    Spec {
        command: Said::Desk(DeskCommand::Export),
        name: "export",
        aliases: &[],
        description: text::CMD_EXPORT,
    },
    Spec {
        command: Said::Desk(DeskCommand::On),
        name: "on",
        aliases: &[],
        description: text::CMD_ON,
    },
    Spec {
        command: Said::Desk(DeskCommand::Off),
        name: "off",
        aliases: &[],
        description: text::CMD_OFF,
    },
    Spec {
        command: Said::Desk(DeskCommand::Shelter),
        name: "shelter",
        aliases: &[],
        description: text::CMD_SHELTER,
    },
];

/// What follows `/` from someone of `role`: `start`, `start@SomeBot` and
/// `START payload` all read as `/start`. A command that is not for `role` reads
/// as unknown, exactly like a typo: nothing hints that it exists.
pub fn parse(after_slash: &str, role: Role) -> Said {
    let name = after_slash
        .split(|c: char| c.is_whitespace() || c == '@')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    all()
        .filter(|spec| {
            let may = spec.role();
            may == Role::Anyone || may == role || (may == Role::Staff && role == Role::Supervisor)
        })
        .find(|spec| spec.name == name || spec.aliases.contains(&name.as_str()))
        .map_or(Said::Her(Command::Unknown), |spec| spec.command)
}

/// What follows a command's name (`/take k7qx` → `k7qx`).
pub fn argument(after_slash: &str) -> &str {
    after_slash
        .split_once(char::is_whitespace)
        .map(|(_, rest)| rest.trim())
        .unwrap_or_default()
}

/// A staff command and what followed it, in a typed line (`/take k7qx`).
pub fn desk_command(line: &str) -> Option<(DeskCommand, &str)> {
    let rest = line.strip_prefix('/')?;
    match parse(rest, Role::Supervisor) {
        Said::Desk(command) => Some((command, argument(rest))),
        Said::Her(_) => None,
    }
}

/// Her command, from anyone who is not staff.
pub fn parse_hers(after_slash: &str) -> Command {
    match parse(after_slash, Role::Anyone) {
        Said::Her(command) => command,
        Said::Desk(_) => Command::Unknown,
    }
}

/// The staff commands that live in files of their own.
pub fn own() -> impl Iterator<Item = &'static dyn crate::desk::OwnCommand> {
    crate::desk::own::COMMANDS.iter().copied()
}

/// Every command: the table's, then the desk's of their own files.
pub fn all() -> impl Iterator<Item = Spec> {
    TABLE.iter().copied().chain(own().map(Spec::own))
}

/// The commands listed for `role` in Telegram's menu.
pub fn listed(role: Role) -> impl Iterator<Item = Spec> {
    all().filter(move |spec| spec.role() == role)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_read_with_bot_names_aliases_and_payloads() {
        assert_eq!(parse_hers("start"), Command::Start);
        assert_eq!(parse_hers("start@AkBot"), Command::Start);
        assert_eq!(parse_hers("MENU now"), Command::Menu);
        assert_eq!(parse_hers("language"), Command::Language);
        assert_eq!(parse_hers("lang"), Command::Language);
        assert_eq!(parse_hers("help"), Command::Help);
        assert_eq!(parse_hers(""), Command::Unknown);
    }

    #[test]
    fn staff_commands_exist_only_for_staff() {
        assert_eq!(parse_hers("next"), Command::Unknown);
        assert_eq!(parse_hers("queue@AkBot"), Command::Unknown);
        assert_eq!(
            parse("next@AkBot", Role::Staff),
            Said::Desk(DeskCommand::Next)
        );
        assert_eq!(parse("menu", Role::Staff), Said::Her(Command::Menu));
        assert_eq!(
            parse("shelter few", Role::Staff),
            Said::Desk(DeskCommand::Shelter)
        );
        assert_eq!(argument("shelter  few "), "few");
        assert_eq!(parse_hers("shelter full"), Command::Unknown);
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
                TABLE
                    .iter()
                    .filter(|s| s.command == Said::Her(command))
                    .count(),
                1,
                "{command:?}"
            );
        }
    }
}
