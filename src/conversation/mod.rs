//! The conversation as a pure state machine:
//! `step(dialogue, input, ctx) -> (dialogue, replies, effects)`.
//!
//! Inputs and replies are plain values; nothing here knows Telegram or the
//! terminal. Each screen or step family lives in its own file and owns its
//! parsing, transitions and rendering. What must happen outside (queue a request,
//! delete messages) is returned as an [`Effect`].

pub mod covid;
mod danger;
mod erase;
mod first_contact;
mod help;
mod help_topics;
mod language;
mod letters;
mod menu;
mod my_request;
mod session;
mod shelter;
mod welcome;
mod wizard;

use letters::specialist;
pub use letters::{answer, knock, live_message, Event};
use session::session_changes;
pub use session::SessionChange;

pub use covid::PAGES as COVID_PAGES;
pub use wizard::{sample_drafts, Draft, Step, WizardAction, MAX_CODE_WORD, MAX_DESCRIPTION};

use chrono::{DateTime, Duration, Utc};

use crate::config::Center;
use crate::domain::request::{RequestView, Submission, TicketCode, Topic};
use crate::domain::shelter::ShelterStatus;
use crate::i18n::text::{self, Text};

pub use crate::domain::dialogue::{Dialogue, Screen};

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
    /// The short path from the danger screen.
    UrgentCallback,
    Wizard(WizardAction),
    MyRequest,
    CancelRequest,
    ConfirmCancelRequest,
    Erase,
    ConfirmErase {
        cancel_request: bool,
    },
    /// One tap: the screen turns into a hygiene tip, the rest of the chat goes.
    Hide,
    /// "Open" on a knock: show the letter it stands for.
    OpenLetter(crate::domain::ids::RecordId),
    /// Answer the specialist: what she types next goes to them.
    WriteBack,
    /// Leave the conversation with the specialist.
    LeaveSpecialist,
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
    Other,
}

/// One thing the user did.
#[derive(Clone, PartialEq)]
pub enum Input {
    Command(Command),
    Pressed(Action),
    /// A button whose data this version cannot read (forged, or from the future).
    UnreadableButton,
    /// Typed text. Kept only where a wizard step asks for it, and then sealed.
    Text(String),
    /// A shared contact card: its number, and whether it is her own account.
    SharedContact {
        phone: String,
        own: bool,
    },
    Media(Media),
}

impl Input {
    /// Whatever she typed or sent — a photo or a voice note is often the
    /// disclosure itself, a command shows she used the bot — is off her screen
    /// as soon as it is read, wherever she is. A button leaves nothing of hers.
    pub fn leaves_her_screen(&self) -> bool {
        !matches!(self, Input::Pressed(_) | Input::UnreadableButton)
    }
}

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Input::Command(c) => write!(f, "Command({c:?})"),
            Input::Pressed(a) => write!(f, "Pressed({a:?})"),
            Input::UnreadableButton => f.write_str("UnreadableButton"),
            Input::Text(_) => f.write_str("Text(..)"),
            Input::SharedContact { .. } => f.write_str("SharedContact(..)"),
            Input::Media(m) => write!(f, "Media({m:?})"),
        }
    }
}

/// A reply to her: its buttons carry her actions.
pub type Reply = crate::reply::Reply<Action>;
/// A button on her screen.
pub type Button = crate::reply::Button<Action>;
pub use crate::reply::{Delivery, Figures, Recipient};

impl Reply {
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

/// What the shells and the store must do besides showing the replies.
#[derive(Clone, PartialEq)]
pub enum Effect {
    /// Delete the message she just sent: it held a number, a code word or a
    /// description.
    DeleteIncoming,
    /// Delete the chat's messages the bot still can; keep the pressed one if asked.
    DeleteTracked { keep_pressed: bool },
    /// Queue her request (or change her open one, `replaces`); the confirmation is
    /// built from the queue's answer.
    Submit {
        submission: Submission,
        replaces: Option<TicketCode>,
    },
    /// Cancel her open request.
    CancelRequest,
    /// Forget her; with `cancel_request`, cancel her request and destroy its data.
    Erase { cancel_request: bool },
    /// She typed what may be the code of a request she kept through Erase; the
    /// answer is "My request" as it then stands.
    RevealRequest { code: TicketCode },
    /// Delete the reply itself after a short while.
    DeleteReplyLater,
    /// She tapped a knock: the letter's words replace it.
    OpenLetter(crate::domain::ids::RecordId),
    /// What she typed to the specialist: relayed, and kept in her chat until
    /// the conversation goes quiet.
    Relay(String),
}

impl std::fmt::Debug for Effect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Effect::DeleteIncoming => f.write_str("DeleteIncoming"),
            Effect::DeleteTracked { keep_pressed } => {
                write!(f, "DeleteTracked {{ keep_pressed: {keep_pressed} }}")
            }
            Effect::Submit {
                submission,
                replaces,
            } => write!(f, "Submit {{ {submission:?}, replaces: {replaces:?} }}"),
            Effect::CancelRequest => f.write_str("CancelRequest"),
            Effect::Erase { cancel_request } => {
                write!(f, "Erase {{ cancel_request: {cancel_request} }}")
            }
            Effect::RevealRequest { .. } => f.write_str("RevealRequest(..)"),
            Effect::DeleteReplyLater => f.write_str("DeleteReplyLater"),
            Effect::OpenLetter(_) => f.write_str("OpenLetter(..)"),
            Effect::Relay(_) => f.write_str("Relay(..)"),
        }
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
    /// A dialogue idle longer than this on a sub-screen returns to the menu, and
    /// an unfinished request is forgotten.
    pub draft_ttl: Duration,
    /// The shelter's availability as staff last set it.
    pub shelter: Option<ShelterStatus>,
    /// Her latest request, if any.
    pub my_request: Option<RequestView>,
    /// When it is safe to contact her, per choice.
    pub windows: &'a crate::domain::schedule::ContactWindows,
    /// She has not started too many requests today (danger now is never limited).
    pub may_start_request: bool,
    /// What the welcome says is kept, and for how long: days without a
    /// message before her conversation goes, and days a closed request keeps
    /// what she gave.
    pub idle_days: u32,
    pub grace_days: u32,
}

impl<'a> Ctx<'a> {
    /// A context with the configuration's defaults and nothing known of her (no
    /// request, no shelter state): the review sheet, benchmarks and tests start
    /// from it.
    pub fn defaults(
        now: DateTime<Utc>,
        center: &'a Center,
        languages: &'a [String],
        default_language: &'a str,
        windows: &'a crate::domain::schedule::ContactWindows,
    ) -> Ctx<'a> {
        let config = crate::config::Config::default();
        Ctx {
            now,
            center,
            languages,
            default_language,
            language_hint: None,
            draft_ttl: Duration::hours(config.draft_ttl_hours.into()),
            shelter: None,
            my_request: None,
            windows,
            may_start_request: true,
            idle_days: config.dialogue_idle_days,
            grace_days: config.request_grace_days,
        }
    }
}

pub struct Stepped {
    /// `None`: forget her dialogue.
    pub dialogue: Option<Dialogue>,
    pub replies: Vec<Reply>,
    pub effects: Vec<Effect>,
    /// What changes in her session besides the dialogue (filled in by
    /// [`step`]): her core decides, the engine writes it down.
    pub session: Vec<SessionChange>,
}

impl Stepped {
    fn show(dialogue: Dialogue, reply: Reply) -> Stepped {
        Stepped {
            dialogue: Some(dialogue),
            replies: vec![reply],
            effects: Vec::new(),
            session: Vec::new(),
        }
    }

    fn with(mut self, effect: Effect) -> Stepped {
        self.effects.push(effect);
        self
    }
}

/// Whether this input may show or act on her request, so the shell loads it (an
/// index read and an unsealing) only then.
pub fn needs_my_request(previous: Option<&Dialogue>, input: &Input) -> bool {
    let shows_it = previous.is_some_and(|d| {
        matches!(
            d.screen,
            Screen::OpenRequest
                | Screen::MyRequest
                | Screen::ConfirmCancelRequest
                | Screen::ConfirmErase
        )
    });
    shows_it
        || matches!(
            input,
            Input::Pressed(
                Action::RequestCallback(_)
                    | Action::UrgentCallback
                    | Action::Wizard(WizardAction::Send | WizardAction::ChangeOpen)
                    | Action::MyRequest
                    | Action::CancelRequest
                    | Action::ConfirmCancelRequest
                    | Action::Erase
                    | Action::ConfirmErase { .. }
            )
        )
}

/// The whole conversation: where she is, what she did, what she sees next.
pub fn step(previous: Option<Dialogue>, input: Input, ctx: &Ctx) -> Stepped {
    let removed = input.leaves_her_screen();
    let hide = input == Input::Pressed(Action::Hide);
    let was_in_wizard = previous
        .as_ref()
        .is_some_and(|d| d.screen == Screen::Wizard);
    let mut outcome = match previous {
        None => first_contact::begin(input, ctx),
        Some(dialogue) => step_from(dialogue, input, ctx),
    };
    // What she writes to a specialist stays until the conversation goes quiet.
    let relayed = outcome
        .effects
        .iter()
        .any(|e| matches!(e, Effect::Relay(_)));
    if removed && !relayed && !outcome.effects.contains(&Effect::DeleteIncoming) {
        outcome.effects.insert(0, Effect::DeleteIncoming);
    }
    finish(&mut outcome.replies);
    outcome.session = session_changes(&outcome, hide, was_in_wizard);
    outcome
}

/// The one place the rule lives: every screen she sees carries Hide — except
/// the cover itself, which carries nothing a health-tips bot would not.
fn finish(replies: &mut [Reply]) {
    for reply in replies
        .iter_mut()
        .filter(|r| r.to == Recipient::Her && !covid::is_cover(r))
    {
        let has_hide = reply
            .keyboard
            .iter()
            .flatten()
            .any(|b| b.action == Action::Hide);
        if !has_hide {
            reply
                .keyboard
                .push(vec![Button::new(text::BUTTON_HIDE, Action::Hide)]);
        }
    }
}

/// Her dialogue as she finds it now: long away, an unfinished request is
/// forgotten and she starts at the menu; a language the bot no longer has is
/// replaced.
fn come_back(dialogue: &mut Dialogue, ctx: &Ctx) {
    if ctx.now - dialogue.updated_at > ctx.draft_ttl {
        dialogue.draft = None;
        if dialogue.screen != Screen::FirstContact {
            dialogue.screen = Screen::Menu;
        }
    }
    if !ctx.languages.contains(&dialogue.lang) {
        dialogue.lang = ctx
            .language_hint
            .clone()
            .unwrap_or_else(|| ctx.default_language.to_string());
    }
    dialogue.updated_at = ctx.now;
}

fn step_from(mut dialogue: Dialogue, input: Input, ctx: &Ctx) -> Stepped {
    come_back(&mut dialogue, ctx);
    if dialogue.screen == Screen::Wizard {
        if let Some(outcome) = wizard::typed(&mut dialogue, &input, ctx) {
            return outcome;
        }
    }
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
        input @ (Input::Text(_) | Input::Media(_) | Input::SharedContact { .. })
            if dialogue.screen == Screen::FirstContact =>
        {
            first_contact::render_after(&input, &dialogue.lang, ctx)
        }
        // A code typed on "My request" (perhaps of a request she kept through
        // Erase): answered with "My request" as it then stands, right or wrong.
        Input::Text(code)
            if dialogue.screen == Screen::MyRequest
                && crate::domain::request::looks_like_code(&code) =>
        {
            return Stepped {
                dialogue: Some(dialogue),
                replies: Vec::new(),
                effects: vec![
                    Effect::DeleteIncoming,
                    Effect::RevealRequest {
                        code: TicketCode::from(code.trim().to_uppercase()),
                    },
                ],
                session: Vec::new(),
            };
        }
        // To the specialist: relayed, nothing said back (they will answer).
        Input::Text(words) if dialogue.screen == Screen::Specialist => {
            return Stepped {
                dialogue: Some(dialogue),
                replies: Vec::new(),
                effects: vec![Effect::Relay(words)],
                session: Vec::new(),
            };
        }
        Input::Media(_) | Input::SharedContact { .. } if dialogue.screen == Screen::Specialist => {
            specialist().with_note(Text::new(text::RELAY_TEXT_ONLY))
        }
        // Nothing of the text is kept: only that text came.
        Input::Text(_) => render(&dialogue, ctx).with_note(Text::new(text::FREE_TEXT)),
        // A contact card shows a number; `step` deletes it like any typed text.
        Input::SharedContact { .. } => {
            render(&dialogue, ctx).with_note(Text::new(text::UNEXPECTED_MEDIA))
        }
        Input::Media(_) => render(&dialogue, ctx).with_note(Text::new(text::UNEXPECTED_MEDIA)),
    };
    Stepped::show(dialogue, reply)
}

// A table: one arm per button of hers.
#[allow(clippy::too_many_lines)]
pub(crate) fn press(mut dialogue: Dialogue, action: Action, ctx: &Ctx) -> Stepped {
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
        Action::RequestCallback(topic) => return wizard::start(dialogue, topic, false, ctx),
        Action::UrgentCallback => return wizard::start(dialogue, None, true, ctx),
        Action::Wizard(action) => return wizard::press(dialogue, action, ctx),
        Action::MyRequest => {
            dialogue.screen = Screen::MyRequest;
            my_request::render(ctx)
        }
        Action::CancelRequest => return my_request::ask_cancel(dialogue, ctx),
        Action::ConfirmCancelRequest => return my_request::cancel(dialogue, ctx),
        Action::Erase => {
            dialogue.screen = Screen::ConfirmErase;
            erase::render_confirm(ctx)
        }
        Action::ConfirmErase { cancel_request } => return erase::erase(cancel_request, ctx),
        Action::Hide => return erase::hide(dialogue),
        Action::WriteBack => {
            dialogue.screen = Screen::Specialist;
            // A new message: the letter above stays as it was.
            return Stepped::show(dialogue, specialist());
        }
        Action::LeaveSpecialist => {
            dialogue.screen = Screen::Menu;
            menu::render(ctx)
        }
        Action::OpenLetter(id) => {
            dialogue.screen = Screen::Menu;
            return Stepped {
                dialogue: Some(dialogue),
                replies: Vec::new(),
                effects: vec![Effect::OpenLetter(id)],
                session: Vec::new(),
            };
        }
    };
    Stepped::show(dialogue, reply.edit_if(true))
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
        Screen::Wizard => match &dialogue.draft {
            Some(draft) => wizard::render(draft, &dialogue.lang, ctx),
            None => menu::render(ctx),
        },
        Screen::OpenRequest => my_request::render_open_offer(ctx),
        Screen::MyRequest => my_request::render(ctx),
        Screen::ConfirmCancelRequest => my_request::render_ask_cancel(ctx),
        Screen::ConfirmErase => erase::render_confirm(ctx),
        Screen::Specialist => specialist(),
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
        Screen::Wizard,
        Screen::OpenRequest,
        Screen::MyRequest,
        Screen::ConfirmCancelRequest,
        Screen::ConfirmErase,
        Screen::Specialist,
    ];
    all.extend(Topic::ALL.map(Screen::Topic));
    all.extend((1..=COVID_PAGES).map(Screen::Covid));
    all
}

/// The answer when handling an update failed: an apology with the emergency
/// numbers and the center's phone (with a woman in danger it may be the only
/// screen she sees), and the menu.
pub fn apology(lang: &str, ctx: &Ctx) -> Reply {
    let mut reply = menu::render(ctx);
    for (at, part) in center_phones(lang, ctx).into_iter().enumerate() {
        reply.parts.insert(at, part);
    }
    let mut replies = [reply.with_note(Text::new(text::APOLOGY))];
    finish(&mut replies);
    let [reply] = replies;
    reply
}

/// While the bot cannot write to its disk: no request can be taken now; the
/// emergency numbers and the center's phone, with the menu (Hide included).
pub fn cannot_take_requests(lang: &str, ctx: &Ctx) -> Reply {
    let mut reply = menu::render(ctx);
    for (at, part) in center_phones(lang, ctx).into_iter().enumerate() {
        reply.parts.insert(at, part);
    }
    let mut replies = [reply.with_note(Text::new(text::CANNOT_TAKE_REQUESTS))];
    finish(&mut replies);
    let [reply] = replies;
    reply
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
    let mut parts = center_phones(lang, ctx);
    if let Some(hours) = ctx.center.hours.get(lang) {
        parts.push(
            Text::new(text::CENTER_HOURS)
                .arg("hours", hours.as_str())
                .in_lang(lang),
        );
    }
    parts
}

/// The center's phone numbers, when configured.
fn center_phones(lang: &str, ctx: &Ctx) -> Vec<Text> {
    if ctx.center.phones.is_empty() {
        return Vec::new();
    }
    vec![Text::new(text::CENTER_PHONES)
        .arg("phones", ctx.center.phones.join(", "))
        .in_lang(lang)]
}

#[cfg(test)]
mod tests;
