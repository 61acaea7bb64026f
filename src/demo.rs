//! `ak-jurok demo`: the same conversation in a terminal, no Telegram needed.
//!
//! Messages are printed with numbered buttons; a number presses a button, a line
//! starting with `/` is a command, `:sticker` (`:photo`, `:voice`, `:video`,
//! `:document`, `:location`, `:contact`) sends that kind of message, anything else
//! is sent as text. `:staff HANDLE` speaks as that staff member (a configured one,
//! or a demo one on call), `:her` as her again, so a newcomer can walk a request
//! from her side to the staff desk and back. Works with piped input and ends
//! cleanly at end of input.

use std::io::{BufRead, Write};

use crate::config::StaffMember;
use crate::conversation::{Command, Delivery, Input, Media};
use crate::desk::DeskInput;
use crate::engine::{App, Chat, Deed, Plan, Receipt};
use crate::ui::button_data;
use crate::ui::commands;
use crate::ui::render::Rendered;

/// The demo's one user. Like any user, only its pseudonym reaches the store.
const DEMO_USER: u64 = 1;

pub fn run(
    app: &App,
    lang: Option<&str>,
    input: impl BufRead,
    mut out: impl Write,
) -> std::io::Result<()> {
    let speaker = app.speaker(DEMO_USER, lang.map(str::to_string));
    // Every staff command, from the one command table.
    let listed = |role| {
        crate::ui::commands::listed(role)
            .map(|spec| format!("/{}", spec.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    writeln!(
        out,
        "ak-jurok demo. A number presses a button; /start, /menu, /language, /help; \
         :sticker or :photo sends one; :staff NAME speaks as a staff member \
         ({}, /language), :supervisor NAME as a supervisor (also {}), :her as her again; \
         end of input (Ctrl-D) quits.",
        listed(crate::desk::Role::Staff),
        listed(crate::desk::Role::Supervisor),
    )?;
    let mut staff: Option<StaffMember> = None;
    let mut chat = Terminal::default();
    let step = |input: Input, chat: &mut Terminal, out: &mut dyn Write| {
        let message = chat.her_message(&input);
        let plan = app
            .on_her(&speaker, input, None, message)
            .unwrap_or_else(|_| app.on_failure(&speaker, message));
        chat.carry_out(app, plan, None, out)
    };
    let mut buttons = step(Input::Command(Command::Start), &mut chat, &mut out)?;
    for line in input.lines() {
        let line = line?;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        writeln!(out, "> {line}")?;
        if let Some(handle) = line.strip_prefix(":staff ") {
            staff = Some(demo_staff(app, handle.trim(), false));
            writeln!(out, "(you are now staff member {})", handle.trim())?;
            continue;
        }
        if let Some(handle) = line.strip_prefix(":supervisor ") {
            staff = Some(demo_staff(app, handle.trim(), true));
            writeln!(out, "(you are now supervisor {})", handle.trim())?;
            continue;
        }
        if line == ":her" {
            staff = None;
            writeln!(out, "(you are her again)")?;
            continue;
        }
        if let Some(member) = &staff {
            buttons = staff_step(app, member, line, &buttons, &mut chat, &mut out)?;
            continue;
        }
        let typed = match line.parse::<usize>() {
            Ok(n) if (1..=buttons.len()).contains(&n) => match button_data::decode(&buttons[n - 1])
            {
                Some(button_data::Pressed::Her(action)) => Input::Pressed(action),
                _ => Input::UnreadableButton,
            },
            _ => read_line(line),
        };
        buttons = step(typed, &mut chat, &mut out)?;
    }
    writeln!(out, "(end of input)")?;
    Ok(())
}

/// A configured staff member with this handle, or a demo one, on call (a
/// supervisor when asked with `:supervisor`).
fn demo_staff(app: &App, handle: &str, supervisor: bool) -> StaffMember {
    let mut member = app.staff_named(handle).unwrap_or_else(|| StaffMember {
        id: 0,
        handle: handle.into(),
        name: handle.to_string(),
        languages: Vec::new(),
        on_call: true,
        supervisor: false,
        disabled: false,
    });
    member.supervisor |= supervisor;
    member
}

/// One line typed as a staff member: a command, a button's number, or text.
fn staff_step(
    app: &App,
    member: &StaffMember,
    line: &str,
    buttons: &[String],
    chat: &mut Terminal,
    out: &mut dyn Write,
) -> std::io::Result<Vec<String>> {
    let copied = line
        .parse::<usize>()
        .ok()
        .and_then(|n| buttons.get(n.checked_sub(1)?))
        .and_then(|data| data.strip_prefix(COPIED));
    if let Some(words) = copied {
        // Telegram copies them on the phone; the bot hears nothing.
        writeln!(
            out,
            "(copied — paste it after Write to her, edit, send): {words}"
        )?;
        return Ok(buttons.to_vec());
    }
    let input = match line.parse::<usize>() {
        Ok(n) if (1..=buttons.len()).contains(&n) => match button_data::decode(&buttons[n - 1]) {
            Some(button_data::Pressed::Desk(action)) => DeskInput::Pressed(action),
            _ => DeskInput::Other,
        },
        _ => DeskInput::read(commands::desk_command(line), None, &read_line(line)),
    };
    let message = chat.next_id();
    match app.on_staff(member, input, None, Some(message)) {
        Ok(plan) => chat.carry_out(app, plan, Some(&member.handle), out),
        Err(_) => {
            writeln!(out, "(the desk could not do that; try again)")?;
            Ok(Vec::new())
        }
    }
}

/// The demo's stand-in for Telegram: it carries out a plan by printing it,
/// numbers the messages it shows, and hands the receipts back to the engine
/// as the bot does.
#[derive(Default)]
struct Terminal {
    last_id: i32,
}

impl Terminal {
    fn next_id(&mut self) -> i32 {
        self.last_id += 1;
        self.last_id
    }

    /// Her line becomes a message of hers (a button press is none).
    fn her_message(&mut self, input: &Input) -> Option<i32> {
        match input {
            Input::Pressed(_) | Input::UnreadableButton => None,
            _ => Some(self.next_id()),
        }
    }

    /// Prints the plan for the person at the terminal (her, or staff member
    /// `me`): what they would see, and under whom, what others would. Returns
    /// the buttons of the last message they see.
    fn carry_out(
        &mut self,
        app: &App,
        plan: Plan,
        me: Option<&str>,
        out: &mut dyn Write,
    ) -> std::io::Result<Vec<String>> {
        let mut buttons = Vec::new();
        let mut plan = plan;
        while !plan.is_empty() {
            let mut receipts = Vec::new();
            let mut todo: std::collections::VecDeque<Deed> = plan.deeds.into();
            while let Some(deed) = todo.pop_front() {
                match deed {
                    Deed::Show(show) => {
                        let mine = match &show.to {
                            Chat::Her(_) => me.is_none(),
                            Chat::Staff { handle, .. } => me == Some(handle.as_str()),
                            Chat::StaffChat(_) => false,
                        };
                        if !mine {
                            writeln!(out, "(to {})", whom(&show.to))?;
                        } else if show.message.delivery == Delivery::ReplacePressed {
                            writeln!(out, "(the bot deletes the card)")?;
                        }
                        let shown = print(&show.message, out)?;
                        if mine {
                            buttons = shown;
                        }
                        let id = self.next_id();
                        receipts.push(Receipt {
                            chat: show.to,
                            id: Some(id),
                            then: show.then,
                        });
                        for deed in show.and_then.into_iter().rev() {
                            todo.push_front(deed);
                        }
                    }
                    Deed::Unsend { .. } => {
                        writeln!(out, "(the bot deletes your message from the chat)")?;
                    }
                    Deed::Delete {
                        chat: Chat::Her(_), ..
                    } if me.is_none() => {
                        writeln!(out, "(the bot deletes the other messages of the chat)")?;
                    }
                    Deed::Delete { chat, .. } => {
                        writeln!(out, "(the bot deletes messages in {} chat)", whose(&chat))?;
                    }
                    Deed::Remove { chat, .. } => {
                        writeln!(out, "(the bot deletes the card in {} chat)", whose(&chat))?;
                    }
                    Deed::Cover { message, .. } => {
                        print(&message, out)?;
                    }
                    Deed::Known { chat, id, then } => receipts.push(Receipt {
                        chat,
                        id: Some(id),
                        then,
                    }),
                }
            }
            plan = app.delivered(receipts).unwrap_or_default();
        }
        Ok(buttons)
    }
}

/// Whose a chat is, for the terminal.
fn whose(chat: &Chat) -> String {
    match chat {
        Chat::Her(_) => "her".to_string(),
        Chat::Staff { handle, .. } => format!("{handle}'s"),
        Chat::StaffChat(_) => "the staff".to_string(),
    }
}

/// Who a chat is, for the terminal.
fn whom(chat: &Chat) -> String {
    match chat {
        Chat::Her(_) => "her".to_string(),
        Chat::Staff { handle, .. } => handle.to_string(),
        Chat::StaffChat(_) => "the staff chat".to_string(),
    }
}

fn read_line(line: &str) -> Input {
    let media = match line {
        ":sticker" => Some(Media::Sticker),
        ":photo" => Some(Media::Photo),
        ":voice" => Some(Media::Voice),
        ":video" => Some(Media::Video),
        ":document" => Some(Media::Document),
        ":location" => Some(Media::Location),
        ":contact" => {
            return Input::SharedContact {
                phone: "+996700000000".into(),
                own: true,
            }
        }
        _ => None,
    };
    if let Some(media) = media {
        return Input::Media(media);
    }
    match line.strip_prefix('/') {
        Some(cmd) => Input::Command(commands::parse_hers(cmd)),
        None => Input::Text(line.to_string()),
    }
}

/// A *copy text* button, in the list of a message's buttons: its words.
const COPIED: &str = "copy:";

/// Prints one message and returns its buttons' data in number order (a *copy
/// text* button's words after [`COPIED`]).
fn print(reply: &Rendered, out: &mut dyn Write) -> std::io::Result<Vec<String>> {
    writeln!(out, "────────────────────────────────")?;
    if let Some(file) = &reply.file {
        writeln!(out, "(a file: {}, {} bytes)", file.name, file.bytes.len())?;
    }
    writeln!(out, "{}", reply.text)?;
    let mut data = Vec::new();
    for row in &reply.keyboard {
        let cells: Vec<String> = row
            .iter()
            .map(|b| {
                data.push(match &b.copy {
                    Some(words) => format!("{COPIED}{words}"),
                    None => b.data.clone(),
                });
                format!("[{}] {}", data.len(), b.label)
            })
            .collect();
        writeln!(out, "  {}", cells.join("   "))?;
    }
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_lines_become_inputs() {
        assert_eq!(read_line("/menu"), Input::Command(Command::Menu));
        assert_eq!(read_line("/whatever"), Input::Command(Command::Unknown));
        assert_eq!(read_line(":sticker"), Input::Media(Media::Sticker));
        assert_eq!(read_line("hello"), Input::Text("hello".into()));
    }
}
