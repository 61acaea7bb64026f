//! `ak-jurok demo`: the same conversation in a terminal, no Telegram needed.
//!
//! Messages are printed with numbered buttons; a number presses a button, a line
//! starting with `/` is a command, `:sticker` (`:photo`, `:voice`, `:video`,
//! `:document`, `:location`, `:contact`) sends that kind of message, anything else
//! is sent as text. `:staff HANDLE` speaks as that staff member (a configured one,
//! or a demo one on call), `:her` as her again, so a newcomer can walk a request
//! from her side to the staff desk and back. Works with piped input and ends
//! cleanly at end of input.

use std::collections::HashMap;
use std::io::{BufRead, Write};

use chrono::Duration;

use crate::clock::{Clock, ManualClock};
use crate::config::StaffMember;
use crate::conversation::{Command, Delivery, Input, Media};
use crate::desk::DeskInput;
use crate::engine::{App, Chat, Deed, Plan, Receipt, Speaker};
use crate::ui::button_data;
use crate::ui::commands;
use crate::ui::render::Rendered;

/// The demo's first woman; `:her 2` is user 2, and so on. Like any user, only
/// her pseudonym reaches the store.
const DEMO_USER: u64 = 1;

/// The longest `:wait` (a week): time moves through every timer due in it.
const LONGEST_WAIT: i64 = 7 * 24 * 60;

/// At most this many rounds of timers in one `:wait`.
const MOST_TIMERS: usize = 10_000;

/// Who is at the terminal.
#[derive(Clone)]
enum Who {
    Her(u64),
    Staff(StaffMember),
}

impl Who {
    /// Says who the person at the terminal is now.
    fn announce(&self, out: &mut dyn Write) -> std::io::Result<()> {
        match self {
            Who::Her(user) => writeln!(out, "(you are her again — woman {user})"),
            Who::Staff(member) if member.supervisor => {
                writeln!(out, "(you are now supervisor {})", member.handle)
            }
            Who::Staff(member) => writeln!(out, "(you are now staff member {})", member.handle),
        }
    }

    /// The chat this person reads.
    fn screen(&self) -> String {
        match self {
            Who::Her(user) => format!("her:{user}"),
            Who::Staff(member) => format!("staff:{}", member.handle),
        }
    }
}

/// The chat a deed is for, as [`Who::screen`] names it.
fn screen_of(chat: &Chat) -> String {
    match chat {
        Chat::Her(id) => format!("her:{id}"),
        Chat::Staff { handle, .. } => format!("staff:{handle}"),
        Chat::StaffChat(_) => "staff-chat".to_string(),
    }
}

/// The banner: every command, staff ones from the one command table.
fn banner(out: &mut dyn Write) -> std::io::Result<()> {
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
         ({}, /language), :supervisor NAME as a supervisor (also {}), :her as her again, \
         :her 2 as a second woman (3, …); :wait 30m (or 2h, 1d) moves time on and runs \
         every timer due (letters' knocks, claim checks, re-alerts, the end of a shift, \
         the idle cover, cool-downs); end of input (Ctrl-D) quits.",
        listed(crate::desk::Role::Staff),
        listed(crate::desk::Role::Supervisor),
    )
}

/// The demo's time on the center's clock (`14:05`).
fn local_now(app: &App, clock: &ManualClock) -> String {
    let now = clock.now();
    app.config().contact_windows.local_moment(now, now)
}

/// `30m`, `2h`, `1d` (at most a week), in minutes.
fn wait_of(text: &str) -> Option<i64> {
    let text = text.trim();
    let unit = text.chars().last()?;
    let number = text.strip_suffix(unit)?;
    let n: i64 = number.parse().ok().filter(|n| *n > 0)?;
    let minutes = match unit {
        'm' => n,
        'h' => n.checked_mul(60)?,
        'd' => n.checked_mul(24 * 60)?,
        _ => return None,
    };
    (minutes <= LONGEST_WAIT).then_some(minutes)
}

pub fn run(
    app: &App,
    clock: &ManualClock,
    lang: Option<&str>,
    input: impl BufRead,
    mut out: impl Write,
) -> std::io::Result<()> {
    banner(&mut out)?;
    let mut speakers: HashMap<u64, Speaker> = HashMap::new();
    let mut speaker = |user: u64| {
        speakers
            .entry(user)
            .or_insert_with(|| app.speaker(user, lang.map(str::to_string)))
            .clone()
    };
    let mut who = Who::Her(DEMO_USER);
    let mut chat = Terminal::default();
    let step = |speaker: &Speaker, input: Input, chat: &mut Terminal, out: &mut dyn Write| {
        let message = chat.her_message(&input);
        let plan = app
            .on_her(speaker, input, None, message)
            .unwrap_or_else(|_| app.on_failure(speaker, message));
        chat.carry_out(app, plan, &format!("her:{}", speaker.chat_id), out)
    };
    let mut buttons = step(
        &speaker(DEMO_USER),
        Input::Command(Command::Start),
        &mut chat,
        &mut out,
    )?;
    for line in input.lines() {
        let line = line?;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        writeln!(out, "> {line}")?;
        let last_her = chat.last_her.unwrap_or(DEMO_USER);
        let switched = match switch(app, line, &who, last_her) {
            Ok(switched) => switched,
            Err(usage) => {
                writeln!(out, "({usage})")?;
                continue;
            }
        };
        if let Some(next) = switched {
            who = next;
            who.announce(&mut out)?;
            if let Who::Her(user) = who {
                chat.last_her = Some(user);
            }
            // Her screen, or the staff member's, as it was left; a woman who
            // never wrote starts at the beginning.
            buttons = match (chat.screens.get(&who.screen()), &who) {
                (Some(shown), _) => print(shown, &mut out)?,
                (None, Who::Her(user)) => step(
                    &speaker(*user),
                    Input::Command(Command::Start),
                    &mut chat,
                    &mut out,
                )?,
                (None, Who::Staff(_)) => Vec::new(),
            };
            continue;
        }
        if let Some(wait) = line.strip_prefix(":wait") {
            match wait_of(wait) {
                Some(minutes) => {
                    buttons = chat.wait(app, clock, minutes, &who.screen(), &mut out)?;
                }
                None => writeln!(out, "(:wait 30m, 2h or 1d — at most a week)")?,
            }
            continue;
        }
        buttons = match &who {
            Who::Staff(member) => staff_step(app, member, line, &buttons, &mut chat, &mut out)?,
            Who::Her(user) => step(
                &speaker(*user),
                her_input(line, &buttons),
                &mut chat,
                &mut out,
            )?,
        };
    }
    writeln!(out, "(end of input)")?;
    Ok(())
}

/// Who a line makes the person at the terminal: `:staff NAME`,
/// `:supervisor NAME`, `:her` (the woman last spoken as), `:her 2`; `None`
/// for any other line; how to write it when it is wrong.
fn switch(app: &App, line: &str, who: &Who, last_her: u64) -> Result<Option<Who>, &'static str> {
    if let Some(handle) = line.strip_prefix(":staff ") {
        return Ok(Some(Who::Staff(demo_staff(app, handle.trim(), false))));
    }
    if let Some(handle) = line.strip_prefix(":supervisor ") {
        return Ok(Some(Who::Staff(demo_staff(app, handle.trim(), true))));
    }
    let Some(n) = line.strip_prefix(":her") else {
        return Ok(None);
    };
    match (n.trim(), who) {
        ("", Who::Her(user)) => Ok(Some(Who::Her(*user))),
        ("", Who::Staff(_)) => Ok(Some(Who::Her(last_her))),
        (n, _) => match n.parse::<u64>() {
            Ok(user @ 1..=99) => Ok(Some(Who::Her(user))),
            _ => Err(":her 2 speaks as a second woman; 1 to 99"),
        },
    }
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
    if !app.may_work(member) {
        writeln!(
            out,
            "({} is suspended: the bot answers this phone like anyone's, and the desk does nothing; a supervisor's /resume {} brings it back)",
            member.handle, member.handle
        )?;
        return Ok(Vec::new());
    }
    let message = chat.next_id();
    match app.on_staff(member, input, None, Some(message)) {
        Ok(plan) => chat.carry_out(app, plan, &format!("staff:{}", member.handle), out),
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
    /// The last message each chat shows, to print again when its person
    /// comes back to the terminal.
    screens: HashMap<String, Rendered>,
    /// The woman last spoken as.
    last_her: Option<u64>,
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

    /// Time moves on `minutes`, through every timer due in it, each done at
    /// its time as the bot's scheduler does; then the hourly purge. Returns
    /// the buttons of the last message `me` sees (or of their screen).
    fn wait(
        &mut self,
        app: &App,
        clock: &ManualClock,
        minutes: i64,
        me: &str,
        out: &mut dyn Write,
    ) -> std::io::Result<Vec<String>> {
        let until = clock.now() + Duration::minutes(minutes);
        let mut buttons = None;
        let mut done = 0;
        while let Some(due) = app.next_due().filter(|due| *due <= until) {
            // A timer that cannot be marked done would come round for ever.
            done += 1;
            if done > MOST_TIMERS {
                writeln!(out, "(stopped: more than {MOST_TIMERS} timers in one wait)")?;
                break;
            }
            if due > clock.now() {
                clock.advance(due - clock.now());
            }
            writeln!(out, "(it is now {})", local_now(app, clock))?;
            let jobs = app.jobs_due().unwrap_or_default();
            if jobs.is_empty() {
                break;
            }
            for (id, job) in jobs {
                let plan = app.on_job(job).unwrap_or_default();
                let shown = self.carry_out(app, plan, me, out)?;
                if !shown.is_empty() {
                    buttons = Some(shown);
                }
                if app.job_done(&id).is_err() {
                    writeln!(out, "(a timer could not be marked done)")?;
                }
            }
        }
        if until > clock.now() {
            clock.advance(until - clock.now());
        }
        let local = local_now(app, clock);
        writeln!(out, "({minutes} minutes later: it is {local})")?;
        let purged = app.on_purge().unwrap_or_default();
        self.carry_out(app, purged, me, out)?;
        Ok(match buttons {
            Some(shown) => shown,
            None => match self.screens.get(me) {
                Some(screen) => print(screen, out)?,
                None => Vec::new(),
            },
        })
    }

    /// Prints the plan for the person at the terminal (`me`, a chat as
    /// [`screen_of`] names it): what they would see, and under whom, what
    /// others would. Returns the buttons of the last message they see.
    fn carry_out(
        &mut self,
        app: &App,
        plan: Plan,
        me: &str,
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
                        let screen = screen_of(&show.to);
                        let mine = screen == me;
                        self.screens.insert(screen, show.message.clone());
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
                        chat: chat @ Chat::Her(_),
                        ..
                    } if screen_of(&chat) == me => {
                        writeln!(out, "(the bot deletes the other messages of the chat)")?;
                    }
                    Deed::Delete { chat, .. } => {
                        writeln!(out, "(the bot deletes messages in {} chat)", whose(&chat))?;
                    }
                    Deed::Remove { chat, .. } => {
                        writeln!(out, "(the bot deletes the card in {} chat)", whose(&chat))?;
                    }
                    Deed::Cover { chat, message, .. } => {
                        if screen_of(&chat) != me {
                            writeln!(out, "(in {} chat)", whose(&chat))?;
                        }
                        print(&message, out)?;
                        self.screens.insert(screen_of(&chat), message);
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
        Chat::Her(id) => format!("woman {id}'s"),
        Chat::Staff { handle, .. } => format!("{handle}'s"),
        Chat::StaffChat(_) => "the staff".to_string(),
    }
}

/// Who a chat is, for the terminal.
fn whom(chat: &Chat) -> String {
    match chat {
        Chat::Her(id) => format!("woman {id}"),
        Chat::Staff { handle, .. } => handle.to_string(),
        Chat::StaffChat(_) => "the staff chat".to_string(),
    }
}

/// Her line: a number presses a button of her screen (`buttons`' data).
fn her_input(line: &str, buttons: &[String]) -> Input {
    match line.parse::<usize>() {
        Ok(n) if (1..=buttons.len()).contains(&n) => match button_data::decode(&buttons[n - 1]) {
            Some(button_data::Pressed::Her(action)) => Input::Pressed(action),
            _ => Input::UnreadableButton,
        },
        _ => read_line(line),
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

    #[test]
    fn a_wait_is_minutes_hours_or_days_up_to_a_week() {
        assert_eq!(wait_of(" 30m"), Some(30));
        assert_eq!(wait_of("2h"), Some(120));
        assert_eq!(wait_of("1d"), Some(1440));
        assert_eq!(wait_of("7d"), Some(LONGEST_WAIT));
        for wrong in [
            "",
            "m",
            "0m",
            "-5m",
            "8d",
            "30",
            "3x",
            "1.5h",
            "99999999999999999999m",
            "5м",
            "м",
        ] {
            assert_eq!(wait_of(wrong), None, "{wrong}");
        }
    }
}
