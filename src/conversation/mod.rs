//! The conversation as a pure state machine:
//! `step(dialogue, input, ctx) -> (dialogue, replies)`.
//!
//! Inputs and replies are plain values; nothing here knows Telegram or the
//! terminal. Each screen lives in its own file and owns its rendering.

mod covid;
mod danger;
mod first_contact;
mod help;
mod help_topics;
mod language;
mod menu;
mod section;
mod shelter;
mod welcome;

pub use covid::PAGES as COVID_PAGES;
pub use shelter::{ShelterState, ShelterStatus};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::config::Center;
use crate::text::{self, Text};

/// What one user's conversation remembers. Stored sealed, keyed by pseudonym.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dialogue {
    pub lang: String,
    pub screen: Screen,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Screen {
    FirstContact,
    Welcome,
    Menu,
    Danger,
    Language,
    Help,
    HelpTopics,
    Topic(Topic),
    SafetyPlan,
    Shelter,
    /// A COVID-19 page, from 1 to [`COVID_PAGES`].
    Covid(u8),
    Section(Section),
}

/// What the center helps with; also the topic of a callback request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Topic {
    Legal,
    Documents,
    Psychological,
    Support,
    Shelter,
}

impl Topic {
    pub const ALL: [Topic; 5] = [
        Topic::Legal,
        Topic::Documents,
        Topic::Psychological,
        Topic::Support,
        Topic::Shelter,
    ];

    pub fn tag(self) -> &'static str {
        match self {
            Topic::Legal => "legal",
            Topic::Documents => "docs",
            Topic::Psychological => "psy",
            Topic::Support => "support",
            Topic::Shelter => "shelter",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.tag() == tag)
    }

    /// Its button label.
    pub fn label(self) -> text::MsgId {
        match self {
            Topic::Legal => text::TOPIC_LEGAL,
            Topic::Documents => text::TOPIC_DOCUMENTS,
            Topic::Psychological => text::TOPIC_PSYCHOLOGICAL,
            Topic::Support => text::TOPIC_SUPPORT,
            Topic::Shelter => text::MENU_SHELTER,
        }
    }
}

/// Menu sections whose content later work fills in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Section {
    Callback,
    MyRequest,
    Erase,
}

impl Section {
    pub const ALL: [Section; 3] = [Section::Callback, Section::MyRequest, Section::Erase];

    pub fn tag(self) -> &'static str {
        match self {
            Section::Callback => "callback",
            Section::MyRequest => "mine",
            Section::Erase => "erase",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.tag() == tag)
    }

    /// The menu label, used as the section's title too.
    pub fn title(self) -> text::MsgId {
        match self {
            Section::Callback => text::MENU_CALLBACK,
            Section::MyRequest => text::MENU_MY_REQUEST,
            Section::Erase => text::MENU_ERASE,
        }
    }
}

/// What a button asks for. Each is self-contained, so old buttons keep working.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Danger,
    SetLanguage(String),
    Continue,
    Menu,
    ChooseLanguage,
    HelpTopics,
    Topic(Topic),
    SafetyPlan,
    Shelter,
    Covid(u8),
    /// Ask to be contacted, about a topic if she came from one.
    RequestCallback(Option<Topic>),
    Open(Section),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Start,
    Menu,
    Language,
    Help,
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Media {
    Sticker,
    Photo,
    Voice,
    Video,
    Document,
    Location,
    Contact,
    Other,
}

/// One thing the user did.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    Command(Command),
    Pressed(Action),
    /// A button whose data this version cannot read (forged, or from the future).
    UnreadableButton,
    /// Typed text. Only its length is looked at here; it is never stored.
    Text(String),
    Media(Media),
}

/// A button: its label (pieces joined by " / ") and what it does.
#[derive(Debug, Clone, PartialEq)]
pub struct Button {
    pub label: Vec<Text>,
    pub action: Action,
}

impl Button {
    pub fn new(label: impl Into<Text>, action: Action) -> Button {
        Button {
            label: vec![label.into()],
            action,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// A new message.
    Send,
    /// Replace the message whose button was pressed (a new one when there is none).
    EditPressed,
}

/// One message to show: text pieces joined by blank lines, and a keyboard.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub parts: Vec<Text>,
    pub keyboard: Vec<Vec<Button>>,
    pub delivery: Delivery,
}

impl Reply {
    fn new(parts: Vec<Text>, keyboard: Vec<Vec<Button>>) -> Reply {
        Reply {
            parts,
            keyboard,
            delivery: Delivery::Send,
        }
    }

    fn edit_if(mut self, edit: bool) -> Reply {
        if edit {
            self.delivery = Delivery::EditPressed;
        }
        self
    }

    /// Puts a short note above the screen.
    fn with_note(mut self, note: Text) -> Reply {
        self.parts.insert(0, note);
        self
    }
}

/// What the core needs from outside: the time, the center and the languages.
pub struct Ctx<'a> {
    pub now: DateTime<Utc>,
    pub center: &'a Center,
    /// Language codes the bot has, in display order.
    pub languages: &'a [String],
    pub default_language: &'a str,
    /// The Telegram `language_code` matched to one of `languages`.
    pub language_hint: Option<String>,
    /// A dialogue idle longer than this on a sub-screen returns to the menu.
    pub draft_ttl: Duration,
    /// The shelter's availability as staff last set it.
    pub shelter: Option<ShelterStatus>,
}

pub struct Outcome {
    pub dialogue: Dialogue,
    pub replies: Vec<Reply>,
}

/// The whole conversation: where she is, what she did, what she sees next.
pub fn step(previous: Option<Dialogue>, input: Input, ctx: &Ctx) -> Outcome {
    let Some(mut dialogue) = previous else {
        return first_contact::begin(input, ctx);
    };
    if dialogue.screen != Screen::FirstContact
        && dialogue.screen != Screen::Menu
        && ctx.now - dialogue.updated_at > ctx.draft_ttl
    {
        dialogue.screen = Screen::Menu;
    }
    if !ctx.languages.contains(&dialogue.lang) {
        dialogue.lang = ctx.default_language.to_string();
    }
    dialogue.updated_at = ctx.now;
    let reply = match input {
        Input::Pressed(action) => return press(dialogue, action, ctx),
        Input::Command(Command::Start) if dialogue.screen == Screen::FirstContact => {
            first_contact::render(&dialogue.lang, ctx)
        }
        Input::Command(Command::Start | Command::Menu) => {
            dialogue.screen = Screen::Menu;
            menu::render(ctx)
        }
        Input::Command(Command::Language) => {
            dialogue.screen = Screen::Language;
            language::render(&dialogue.lang, ctx)
        }
        Input::Command(Command::Help) => {
            dialogue.screen = Screen::Help;
            help::render()
        }
        Input::Command(Command::Unknown) => {
            render(&dialogue, ctx).with_note(Text::new(text::UNKNOWN_COMMAND))
        }
        Input::UnreadableButton => {
            dialogue.screen = Screen::Menu;
            menu::render(ctx).with_note(Text::new(text::STALE_BUTTON))
        }
        // She has not chosen a language yet: the bilingual reply again.
        Input::Text(_) | Input::Media(_) if dialogue.screen == Screen::FirstContact => {
            first_contact::render(&dialogue.lang, ctx)
        }
        // Nothing of the text is kept: only that text came.
        Input::Text(_) => render(&dialogue, ctx).with_note(Text::new(text::FREE_TEXT)),
        Input::Media(_) => render(&dialogue, ctx).with_note(Text::new(text::UNEXPECTED_MEDIA)),
    };
    Outcome {
        dialogue,
        replies: vec![reply],
    }
}

pub(crate) fn press(mut dialogue: Dialogue, action: Action, ctx: &Ctx) -> Outcome {
    let reply = match action {
        Action::SetLanguage(code) if !ctx.languages.contains(&code) => {
            dialogue.screen = Screen::Menu;
            menu::render(ctx).with_note(Text::new(text::STALE_BUTTON))
        }
        Action::SetLanguage(code) => {
            dialogue.lang = code;
            if dialogue.screen == Screen::FirstContact {
                dialogue.screen = Screen::Welcome;
                welcome::render(ctx)
            } else {
                dialogue.screen = Screen::Menu;
                menu::render(ctx).with_note(Text::new(text::LANGUAGE_CHANGED))
            }
        }
        Action::Danger => {
            dialogue.screen = Screen::Danger;
            danger::render(&dialogue.lang, ctx)
        }
        Action::Continue | Action::Menu => {
            dialogue.screen = Screen::Menu;
            menu::render(ctx)
        }
        Action::ChooseLanguage => {
            dialogue.screen = Screen::Language;
            language::render(&dialogue.lang, ctx)
        }
        Action::HelpTopics => {
            dialogue.screen = Screen::HelpTopics;
            help_topics::render()
        }
        Action::Topic(Topic::Shelter) | Action::Shelter => {
            dialogue.screen = Screen::Shelter;
            shelter::render(&dialogue.lang, ctx)
        }
        Action::Topic(topic) => {
            dialogue.screen = Screen::Topic(topic);
            help_topics::render_topic(topic, &dialogue.lang, ctx)
        }
        Action::SafetyPlan => {
            dialogue.screen = Screen::SafetyPlan;
            help_topics::render_safety_plan()
        }
        Action::Covid(page) => {
            let page = covid::clamp(page);
            dialogue.screen = Screen::Covid(page);
            covid::render(page)
        }
        // The callback wizard comes with the requests work; until then, its section.
        Action::RequestCallback(_) => {
            dialogue.screen = Screen::Section(Section::Callback);
            section::render(Section::Callback)
        }
        Action::Open(section) => {
            dialogue.screen = Screen::Section(section);
            section::render(section)
        }
    };
    Outcome {
        dialogue,
        replies: vec![reply.edit_if(true)],
    }
}

/// The current screen, as shown again after a note.
pub fn render(dialogue: &Dialogue, ctx: &Ctx) -> Reply {
    match dialogue.screen {
        Screen::FirstContact => first_contact::render(&dialogue.lang, ctx),
        Screen::Welcome => welcome::render(ctx),
        Screen::Menu => menu::render(ctx),
        Screen::Danger => danger::render(&dialogue.lang, ctx),
        Screen::Language => language::render(&dialogue.lang, ctx),
        Screen::Help => help::render(),
        Screen::HelpTopics => help_topics::render(),
        Screen::Topic(topic) => help_topics::render_topic(topic, &dialogue.lang, ctx),
        Screen::SafetyPlan => help_topics::render_safety_plan(),
        Screen::Shelter => shelter::render(&dialogue.lang, ctx),
        Screen::Covid(page) => covid::render(covid::clamp(page)),
        Screen::Section(section) => section::render(section),
    }
}

/// Every screen, for checks over everything the bot can show.
pub fn every_screen() -> Vec<Screen> {
    let mut all = vec![
        Screen::FirstContact,
        Screen::Welcome,
        Screen::Menu,
        Screen::Danger,
        Screen::Language,
        Screen::Help,
        Screen::HelpTopics,
        Screen::SafetyPlan,
        Screen::Shelter,
    ];
    all.extend(Topic::ALL.map(Screen::Topic));
    all.extend((1..=COVID_PAGES).map(Screen::Covid));
    all.extend(Section::ALL.map(Screen::Section));
    all
}

/// The answer when handling an update failed: an apology and the menu.
pub fn apology(ctx: &Ctx) -> Reply {
    menu::render(ctx).with_note(Text::new(text::APOLOGY))
}

/// The "back to menu" row that every sub-screen ends with.
fn menu_row() -> Vec<Button> {
    vec![Button::new(text::BUTTON_MENU, Action::Menu)]
}

/// How the center contacts people: only through this bot, and only from the
/// configured numbers when there are any.
fn contact_policy(ctx: &Ctx) -> Text {
    if ctx.center.call_from.is_empty() {
        Text::new(text::CONTACT_POLICY_BOT)
    } else {
        Text::new(text::CONTACT_POLICY_NUMBERS).arg("numbers", ctx.center.call_from.join(", "))
    }
}

/// When specialists answer, in `lang`, if configured.
fn working_hours(lang: &str, ctx: &Ctx) -> Option<Text> {
    ctx.center.working_hours.get(lang).map(|hours| {
        Text::new(text::CENTER_WORKING_HOURS)
            .arg("hours", hours.as_str())
            .in_lang(lang)
    })
}

/// The center's phone numbers and hours in `lang`, when configured; nothing otherwise.
fn center_contacts(lang: &str, ctx: &Ctx) -> Vec<Text> {
    let mut parts = Vec::new();
    if !ctx.center.phones.is_empty() {
        parts.push(
            Text::new(text::CENTER_PHONES)
                .arg("phones", ctx.center.phones.join(", "))
                .in_lang(lang),
        );
    }
    if let Some(hours) = ctx.center.hours.get(lang) {
        parts.push(
            Text::new(text::CENTER_HOURS)
                .arg("hours", hours.as_str())
                .in_lang(lang),
        );
    }
    parts
}

#[cfg(test)]
mod tests;
