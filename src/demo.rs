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

use crate::app::{App, Handled, Speaker};
use crate::button_data;
use crate::commands;
use crate::config::StaffMember;
use crate::conversation::{Command, Delivery, Input, Media, Recipient};
use crate::desk::DeskInput;
use crate::render::Rendered;

/// The demo's one user. Like any user, only its pseudonym reaches the store.
const DEMO_USER: u64 = 1;

pub fn run(
    app: &App,
    lang: Option<&str>,
    input: impl BufRead,
    mut out: impl Write,
) -> std::io::Result<()> {
    let speaker = Speaker {
        who: app.keys.pseudonym(DEMO_USER),
        language_code: lang.map(str::to_string),
        chat_id: DEMO_USER as i64,
    };
    writeln!(
        out,
        "ak-jurok demo. A number presses a button; /start, /menu, /language, /help; \
         :sticker or :photo sends one; :staff NAME speaks as a staff member \
         (/queue, /next, /mine, /shelter; a supervisor also /claims, /reopen), :her as her again; end of input (Ctrl-D) quits."
    )?;
    let mut staff: Option<StaffMember> = None;
    let step = |input: Input, out: &mut dyn Write| -> std::io::Result<Vec<String>> {
        let handled = match app.handle(&speaker, input, None) {
            Ok(handled) => handled,
            Err(_) => Handled {
                replies: vec![app.apology(&speaker)],
                ..Handled::default()
            },
        };
        if handled.delete_incoming {
            writeln!(out, "(the bot deletes your message from the chat)")?;
        }
        if !handled.delete.is_empty() || handled.erased {
            writeln!(out, "(the bot deletes the other messages of the chat)")?;
        }
        let mut buttons = Vec::new();
        for reply in &handled.replies {
            buttons = print(reply, out)?;
        }
        print_notices(&handled.notices, out)?;
        Ok(buttons)
    };
    let mut buttons = step(Input::Command(Command::Start), &mut out)?;
    for line in input.lines() {
        let line = line?;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        writeln!(out, "> {line}")?;
        if let Some(handle) = line.strip_prefix(":staff ") {
            staff = Some(demo_staff(app, handle.trim()));
            writeln!(out, "(you are now staff member {})", handle.trim())?;
            continue;
        }
        if line == ":her" {
            staff = None;
            writeln!(out, "(you are her again)")?;
            continue;
        }
        if let Some(member) = &staff {
            buttons = staff_step(app, member, line, &buttons, &mut out)?;
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
        buttons = step(typed, &mut out)?;
    }
    writeln!(out, "(end of input)")?;
    Ok(())
}

/// A configured staff member with this handle, or a demo one, on call.
fn demo_staff(app: &App, handle: &str) -> StaffMember {
    app.staff
        .iter()
        .find(|m| m.handle == handle)
        .cloned()
        .unwrap_or_else(|| StaffMember {
            id: 0,
            handle: handle.to_string(),
            name: handle.to_string(),
            languages: Vec::new(),
            on_call: true,
            supervisor: false,
        })
}

/// One line typed as a staff member: a command, a button's number, or text.
fn staff_step(
    app: &App,
    member: &StaffMember,
    line: &str,
    buttons: &[String],
    out: &mut dyn Write,
) -> std::io::Result<Vec<String>> {
    let input = match line.parse::<usize>() {
        Ok(n) if (1..=buttons.len()).contains(&n) => match button_data::decode(&buttons[n - 1]) {
            Some(button_data::Pressed::Desk(action)) => DeskInput::Pressed(action),
            _ => DeskInput::Other,
        },
        _ => DeskInput::read(commands::desk_command(line), None, &read_line(line)),
    };
    let handled = match app.handle_staff(member, input) {
        Ok(handled) => handled,
        Err(_) => {
            writeln!(out, "(the desk could not do that; try again)")?;
            return Ok(Vec::new());
        }
    };
    if handled.delete_incoming {
        writeln!(out, "(the bot deletes your message from the chat)")?;
    }
    let mut shown = Vec::new();
    for reply in &handled.replies {
        if reply.delivery == Delivery::ReplacePressed {
            writeln!(out, "(the bot deletes the card)")?;
        }
        shown = print(reply, out)?;
    }
    print_notices(&handled.notices, out)?;
    Ok(shown)
}

/// Messages for other staff or the staff chat, each under whom it is for.
fn print_notices(notices: &[Rendered], out: &mut dyn Write) -> std::io::Result<()> {
    for notice in notices {
        let to = match &notice.to {
            Recipient::Staff(handle) => handle.clone(),
            _ => "the staff chat".to_string(),
        };
        writeln!(out, "(to {to})")?;
        print(notice, out)?;
    }
    Ok(())
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

/// Prints one message and returns its buttons' data in number order.
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
                data.push(b.data.clone());
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
