//! Plain values for what the bot says: a message id with arguments, in a given or
//! the user's language. The core builds these; only [`crate::i18n`] turns them into
//! words, so no handler formats user-facing strings by hand.

/// A Fluent message id that the code uses. Every one is listed in [`ALL`] and
/// checked at start to exist in every language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MsgId(pub &'static str);

macro_rules! messages {
    ($($name:ident = $id:literal,)*) => {
        $(pub const $name: MsgId = MsgId($id);)*
        /// Every message id the code may ask for.
        pub const ALL: &[MsgId] = &[$($name),*];
    };
}

messages! {
    BOT_NAME = "bot-name",
    BOT_DESCRIPTION = "bot-description",
    BOT_SHORT_DESCRIPTION = "bot-short-description",
    CMD_START = "cmd-start",
    CMD_MENU = "cmd-menu",
    CMD_LANGUAGE = "cmd-language",
    CMD_HELP = "cmd-help",
    LANGUAGE_NAME = "language-name",
    LANGUAGE_CURRENT = "language-current",
    FIRST_CONTACT = "first-contact",
    CENTER_PHONES = "center-phones",
    CENTER_HOURS = "center-hours",
    BUTTON_DANGER = "button-danger",
    WELCOME = "welcome",
    WELCOME_PRIVACY = "welcome-privacy",
    WELCOME_HIDE_ERASE = "welcome-hide-erase",
    BUTTON_CONTINUE = "button-continue",
    MENU_TITLE = "menu-title",
    MENU_DANGER = "menu-danger",
    MENU_HELP = "menu-help",
    MENU_SHELTER = "menu-shelter",
    MENU_COVID = "menu-covid",
    MENU_CALLBACK = "menu-callback",
    MENU_MY_REQUEST = "menu-my-request",
    MENU_ERASE = "menu-erase",
    MENU_LANGUAGE = "menu-language",
    DANGER_NOW = "danger-now",
    DANGER_CALLBACK = "danger-callback",
    BUTTON_URGENT_CALLBACK = "button-urgent-callback",
    COMING_SOON = "coming-soon",
    BUTTON_BACK = "button-back",
    BUTTON_MENU = "button-menu",
    LANGUAGE_CHOOSE = "language-choose",
    LANGUAGE_CHANGED = "language-changed",
    HELP = "help",
    UNKNOWN_COMMAND = "unknown-command",
    UNEXPECTED_MEDIA = "unexpected-media",
    FREE_TEXT = "free-text",
    STALE_BUTTON = "stale-button",
    APOLOGY = "apology",
    HELP_TOPICS = "help-topics",
    TOPIC_LEGAL = "topic-legal",
    TOPIC_DOCUMENTS = "topic-documents",
    TOPIC_PSYCHOLOGICAL = "topic-psychological",
    TOPIC_SUPPORT = "topic-support",
    TOPIC_SAFETY_PLAN = "topic-safety-plan",
    BUTTON_REQUEST_TOPIC = "button-request-topic",
    CATEGORY_LEGAL = "category-legal",
    CATEGORY_DOCUMENTS = "category-documents",
    CATEGORY_PSYCHOLOGICAL = "category-psychological",
    CATEGORY_SUPPORT = "category-support",
    SAFETY_PLAN = "safety-plan",
    SHELTER_ABOUT = "shelter-about",
    SHELTER_WHO = "shelter-who",
    SHELTER_BRING = "shelter-bring",
    SHELTER_AVAILABLE = "shelter-available",
    SHELTER_FEW = "shelter-few",
    SHELTER_FULL = "shelter-full",
    SHELTER_UNKNOWN = "shelter-unknown",
    COVID_TITLE = "covid-title",
    COVID_1 = "covid-1",
    COVID_2 = "covid-2",
    COVID_3 = "covid-3",
    COVID_4 = "covid-4",
    COVID_5 = "covid-5",
    COVID_6 = "covid-6",
    BUTTON_NEXT = "button-next",
    CONTACT_POLICY_BOT = "contact-policy-bot",
    CONTACT_POLICY_NUMBERS = "contact-policy-numbers",
    CENTER_WORKING_HOURS = "center-working-hours",
}

/// A value passed into a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Str(String),
    Num(i64),
}

/// One localized piece of text.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub id: MsgId,
    pub args: Vec<(&'static str, Arg)>,
    /// `None`: the user's language. `Some`: this language whatever hers is (the
    /// bilingual first reply, language names).
    pub lang: Option<String>,
}

impl Text {
    pub fn new(id: MsgId) -> Text {
        Text {
            id,
            args: Vec::new(),
            lang: None,
        }
    }

    pub fn arg(mut self, name: &'static str, value: impl Into<Arg>) -> Text {
        self.args.push((name, value.into()));
        self
    }

    pub fn in_lang(mut self, lang: &str) -> Text {
        self.lang = Some(lang.to_string());
        self
    }
}

impl From<MsgId> for Text {
    fn from(id: MsgId) -> Text {
        Text::new(id)
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Str(s)
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Str(s.to_string())
    }
}

impl From<i64> for Arg {
    fn from(n: i64) -> Arg {
        Arg::Num(n)
    }
}

impl From<u32> for Arg {
    fn from(n: u32) -> Arg {
        Arg::Num(n.into())
    }
}
