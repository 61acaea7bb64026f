//! The card of a claimed request, and the menus that replace it (a try, a block).

use super::*;

/// "What happened?" — the results of a call that did not reach her. It replaces
/// the card: her details leave the screen as the claim ends.
pub(super) fn try_menu(handle: &str, id: RecordId) -> Reply {
    let mut reply = to(handle, vec![Text::new(text::DESK_TRY_WHAT)]);
    reply.keyboard = TryResult::ALL
        .into_iter()
        .map(|result| vec![Button::new(result.label(), DeskAction::Tried(id, result))])
        .collect();
    reply.keyboard.push(vec![Button::new(
        text::DESK_BUTTON_CARD,
        DeskAction::ShowCard(id),
    )]);
    reply.delivery = Delivery::EditPressed;
    reply
}

/// For how long to block the sender of request `id`: the card turns into this.
pub(super) fn block_menu(handle: &str, id: RecordId) -> Reply {
    let mut reply = block_choices(handle, id, DeskAction::Block);
    reply.keyboard.push(vec![Button::new(
        text::DESK_BUTTON_CARD,
        DeskAction::ShowCard(id),
    )]);
    reply
}

/// A supervisor's block of the sender of any request: for how long? (No
/// card: the supervisor need not hold it.)
pub(super) fn sender_block_menu(handle: &str, id: RecordId) -> Reply {
    block_choices(handle, id, DeskAction::BlockSender)
}

/// For how long to block the sender of request `id`: a day, or 30 days.
fn block_choices(handle: &str, id: RecordId, block: fn(RecordId, u16) -> DeskAction) -> Reply {
    let mut reply = to(handle, vec![Text::new(text::DESK_BLOCK_ASK)]);
    reply.keyboard = vec![
        vec![Button::new(text::DESK_BUTTON_BLOCK_DAY, block(id, 1))],
        vec![Button::new(text::DESK_BUTTON_BLOCK_MONTH, block(id, 30))],
    ];
    reply.delivery = Delivery::EditPressed;
    reply
}

fn label(id: text::MsgId, value: text::MsgId) -> Text {
    Text::new(id).arg("value", Arg::Msg(value))
}

// A table: the card's lines, one per field, in order.
#[allow(clippy::too_many_lines)]
pub(super) fn card_reply(handle: &str, card: &Card, now: DateTime<Utc>) -> Reply {
    let mut lines = Vec::new();
    if let Some(date) = &card.restored {
        lines.push(Text::new(text::DESK_CARD_RESTORED).arg("date", date.as_str()));
    }
    if card.hidden_from_her {
        lines.push(Text::new(text::DESK_CARD_HIDDEN));
    }
    lines.extend([
        label(text::SUMMARY_TOPIC, card.topic.label()),
        label(text::SUMMARY_URGENCY, card.urgency.staff_label()),
    ]);
    if let Some(lang) = &card.lang {
        // Her language's name, as that language writes it.
        lines.push(
            Text::new(text::DESK_CARD_LANGUAGE)
                .arg("language", Arg::MsgIn(text::LANGUAGE_NAME, lang.clone())),
        );
    }
    lines.push(label(text::SUMMARY_CONTACT, card.contact.staff_label()));
    if let Some(phone) = &card.phone {
        let spoken = crate::domain::phone::spoken(phone);
        lines.push(Text::new(text::DESK_CARD_PHONE).arg("phone", spoken));
        if card.phone_not_own {
            lines.push(Text::new(text::DESK_CARD_PHONE_NOT_OWN));
        }
        if card.same_number {
            lines.push(Text::new(text::DESK_CARD_SAME_NUMBER));
        }
    }
    lines.push(label(text::SUMMARY_SAFE_TIME, card.safe_time.label()));
    lines.push(Text::new(if card.window_open {
        text::DESK_CARD_WINDOW_OPEN
    } else {
        text::DESK_CARD_WINDOW_LATER
    }));
    if let Some(choice) = card.if_other {
        lines.push(label(text::DESK_CARD_IF_OTHER, choice.staff_label()));
    }
    if let Some(word) = &card.code_word {
        lines.push(Text::new(text::DESK_CARD_CODE_WORD).arg("word", word.as_str()));
    }
    if let Some(description) = &card.description {
        lines.push(Text::new(text::DESK_CARD_DESCRIPTION).arg("text", description.as_str()));
    }
    lines
        .push(Text::new(text::DESK_CARD_WAITED).arg("minutes", (now - card.sent_at).num_minutes()));
    if card.tries > 0 {
        lines.push(Text::new(text::DESK_CARD_TRIES).arg("tries", i64::from(card.tries)));
    }
    lines.extend(card.attempts.iter().map(|t| {
        Text::new(text::DESK_CARD_TRY)
            .arg("at", t.at.as_str())
            .arg("by", t.by.as_str())
            .arg("result", Arg::Msg(t.result.label()))
    }));
    if let Some(note) = &card.note {
        lines.push(Text::new(text::DESK_CARD_NOTE).arg("text", note.as_str()));
    }
    for words in &card.held {
        lines.push(Text::new(text::DESK_CARD_HELD).arg("text", words.as_str()));
    }
    lines.extend(thread_lines(&card.thread, CARD_THREAD_CHARS));
    for note in &card.notes {
        lines.push(
            Text::new(text::DESK_CARD_NOTE_LINE)
                .arg("at", note.at.as_str())
                .arg("by", note.by.as_str())
                .arg("text", note.text.as_str()),
        );
    }
    let mut parts = Vec::new();
    // Whoever calls next reads this first: a man may hold her phone.
    let other = card
        .attempts
        .iter()
        .rfind(|t| t.result == TryResult::SomeoneElseAnswered);
    if let Some(other) = other {
        parts.push(
            Text::new(text::DESK_CARD_OTHER_ANSWERED)
                .arg("at", other.at.as_str())
                .arg("by", other.by.as_str()),
        );
    }
    parts.extend([
        Text::new(text::DESK_CARD_TITLE).arg("code", card.code.as_str()),
        Text::lines(lines),
        Text::new(checklist(card)),
    ]);
    let mut reply = to(handle, parts);
    reply.keyboard = card_keyboard(card);
    // Her number, code word and words: no forwarding, no saving.
    reply.protect = true;
    reply.card = Some(card.id);
    reply
}

/// The card's buttons: *Write to her* when she asked to be written to here,
/// *The whole conversation* when it is longer than the card shows, then
/// *Done*, *Could not talk*, *Note*, *Back to the queue*, *Block*.
fn card_keyboard(card: &Card) -> Vec<Vec<Button>> {
    let button = |label, action| Button::new(label, action);
    let mut keyboard = vec![
        vec![button(
            text::DESK_BUTTON_HELPED,
            DeskAction::Form(card.id, Outcome::for_topic(card.topic)),
        )],
        vec![button(
            text::DESK_BUTTON_TRIED,
            DeskAction::TriedMenu(card.id),
        )],
        vec![button(text::DESK_BUTTON_NOTE, DeskAction::NoteAsk(card.id))],
        vec![button(
            text::DESK_BUTTON_RELEASE,
            DeskAction::Release(card.id),
        )],
        vec![button(
            text::DESK_BUTTON_BLOCK,
            DeskAction::BlockMenu(card.id),
        )],
    ];
    if card
        .thread
        .iter()
        .map(|s| s.text.chars().count())
        .sum::<usize>()
        > CARD_THREAD_CHARS
    {
        keyboard.insert(
            0,
            vec![button(
                text::DESK_BUTTON_THREAD,
                DeskAction::Thread(card.id),
            )],
        );
    }
    if card.contact == ContactMethod::Telegram {
        let mut written = vec![vec![button(
            text::DESK_BUTTON_WRITE,
            DeskAction::Write(card.id),
        )]];
        written.extend(canned(card).into_iter().map(|b| vec![b]));
        keyboard.splice(0..0, written);
    }
    keyboard
}

/// Ready words for a letter, in her language, as *copy text* buttons (a bot
/// cannot fill a staff member's input box): tap one, *Write to her*, paste,
/// edit, send.
fn canned(card: &Card) -> Vec<Button> {
    [
        (text::DESK_BUTTON_CANNED_SHELTER, text::CANNED_SHELTER),
        (text::DESK_BUTTON_CANNED_LEGAL, text::CANNED_LEGAL),
        (text::DESK_BUTTON_CANNED_LATER, text::CANNED_LATER),
    ]
    .into_iter()
    .map(|(label, words)| {
        let mut words = Text::new(words);
        if let Some(lang) = &card.lang {
            words = words.in_lang(lang);
        }
        Button::copy(label, words, DeskAction::Write(card.id))
    })
    .collect()
}

/// What to keep in mind before contacting her, for this request: writing
/// guidance when she asked to be written to here; for a call, ask the code
/// word, or — with none (the *danger now* path asks for none) — first
/// whether she can talk.
fn checklist(card: &Card) -> text::MsgId {
    match (card.contact, &card.code_word) {
        (ContactMethod::Telegram, _) => text::DESK_CARD_CHECKLIST_WRITE,
        (ContactMethod::Call, Some(_)) => text::DESK_CARD_CHECKLIST,
        (ContactMethod::Call, None) => text::DESK_CARD_CHECKLIST_NO_CODE,
    }
}

/// Her conversation as the card shows it: the newest messages that fit in
/// `room` characters (at least the last one, cut), with how many earlier
/// ones are not shown.
fn thread_lines(thread: &[SaidLine], room: usize) -> Vec<Text> {
    let mut shown = Vec::new();
    let mut room = room;
    for said in thread.iter().rev() {
        let length = said.text.chars().count();
        if length > room && !shown.is_empty() {
            break;
        }
        let text: String = said.text.chars().take(room).collect();
        room = room.saturating_sub(length);
        let line = match &said.by {
            None => Text::new(text::DESK_CARD_SAID_HER),
            Some(by) => Text::new(text::DESK_CARD_SAID_US).arg("by", by.as_str()),
        };
        shown.push(line.arg("at", said.at.as_str()).arg("text", text));
    }
    let earlier = thread.len() - shown.len();
    if earlier > 0 {
        shown.push(Text::new(text::DESK_CARD_SAID_EARLIER).arg("count", earlier as i64));
    }
    if !thread.is_empty() {
        shown.push(Text::new(text::DESK_CARD_SAID_TITLE));
    }
    shown.reverse();
    shown
}

/// Her whole conversation on a request, in a message of its own for its
/// holder: protected, and deleted with the card when the claim ends (as her
/// relayed words are).
pub fn thread_message(handle: &str, id: RecordId, code: &str, thread: &[SaidLine]) -> Reply {
    // Telegram's 4,096, less the title's room.
    let mut lines = thread_lines(thread, 3_800);
    if !lines.is_empty() {
        // Its own title says whose: not the card's line.
        lines.remove(0);
    }
    let mut parts = vec![Text::new(text::DESK_THREAD_TITLE).arg("code", code)];
    if !lines.is_empty() {
        parts.push(Text::lines(lines));
    }
    let mut reply = to(handle, parts);
    reply.protect = true;
    reply.relayed = Some(id);
    reply
}
