//! Plain values for what the bot says: a message id with arguments, in a given or
//! the user's language. The core builds these; only [`crate::i18n`] turns them into
//! words, so no handler formats user-facing strings by hand.

/// A Fluent message id that the code uses. Every one is listed in [`ALL`] and
/// checked at start to exist in every language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MsgId(pub &'static str);

impl MsgId {
    /// An id known only at start (a label the configuration names), kept for
    /// the life of the process: each distinct id is stored once.
    pub fn interned(id: &str) -> MsgId {
        use std::collections::HashSet;
        use std::sync::{Mutex, OnceLock};
        static IDS: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
        let mut ids = IDS
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(known) = ids.get(id) {
            return MsgId(known);
        }
        let leaked: &'static str = Box::leak(id.to_owned().into_boxed_str());
        ids.insert(leaked);
        MsgId(leaked)
    }
}

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
    CENTER_NAME = "center-name",
    CENTER_PHONES = "center-phones",
    CANNOT_TAKE_REQUESTS = "cannot-take-requests",
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
    TOPIC_OTHER = "topic-other",
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
    SHELTER_UNKNOWN_NO_PHONE = "shelter-unknown-no-phone",
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
    BUTTON_HIDE = "button-hide",
    BUTTON_CANCEL = "button-cancel",
    BUTTON_SKIP = "button-skip",
    BUTTON_KEEP_CODE_WORD = "button-keep-code-word",
    BUTTON_KEEP_DESCRIPTION = "button-keep-description",
    BUTTON_SEND = "button-send",
    BUTTON_CHANGE = "button-change",
    WIZARD_TOPIC = "wizard-topic",
    WIZARD_URGENCY = "wizard-urgency",
    WIZARD_CONTACT = "wizard-contact",
    WIZARD_PHONE = "wizard-phone",
    WIZARD_SAFE_TIME = "wizard-safe-time",
    WIZARD_IF_OTHER = "wizard-if-other",
    WIZARD_CODE_WORD = "wizard-code-word",
    WIZARD_DESCRIPTION = "wizard-description",
    WIZARD_SUMMARY = "wizard-summary",
    WIZARD_CHANGE = "wizard-change",
    WIZARD_ALREADY_SENT = "wizard-already-sent",
    WIZARD_CANCELLED = "wizard-cancelled",
    WIZARD_PHONE_NOT_A_NUMBER = "wizard-phone-not-a-number",
    WIZARD_PHONE_IMPLAUSIBLE = "wizard-phone-implausible",
    WIZARD_CODE_WORD_INVALID = "wizard-code-word-invalid",
    WIZARD_DESCRIPTION_TOO_LONG = "wizard-description-too-long",
    WIZARD_USE_BUTTONS = "wizard-use-buttons",
    URGENCY_CAN_WAIT = "urgency-can-wait",
    URGENCY_WITHIN_DAY = "urgency-within-day",
    URGENCY_DANGER_NOW = "urgency-danger-now",
    CONTACT_CALL = "contact-call",
    CONTACT_TELEGRAM = "contact-telegram",
    TIME_MORNING = "time-morning",
    TIME_AFTERNOON = "time-afternoon",
    TIME_EVENING = "time-evening",
    TIME_ANY = "time-any",
    IF_OTHER_HANG_UP = "if-other-hang-up",
    IF_OTHER_WRONG_NUMBER = "if-other-wrong-number",
    IF_OTHER_SAY_CENTER = "if-other-say-center",
    SUMMARY_TOPIC = "summary-topic",
    SUMMARY_URGENCY = "summary-urgency",
    SUMMARY_CONTACT = "summary-contact",
    SUMMARY_PHONE = "summary-phone",
    SUMMARY_PHONE_NOT_OWN = "summary-phone-not-own",
    SUMMARY_SAFE_TIME = "summary-safe-time",
    SUMMARY_IF_OTHER = "summary-if-other",
    SUMMARY_CODE_WORD_SET = "summary-code-word-set",
    SUMMARY_CODE_WORD_NONE = "summary-code-word-none",
    SUMMARY_DESCRIPTION_ADDED = "summary-description-added",
    SUMMARY_DESCRIPTION_NONE = "summary-description-none",
    CHANGE_TOPIC = "change-topic",
    CHANGE_URGENCY = "change-urgency",
    CHANGE_CONTACT = "change-contact",
    CHANGE_PHONE = "change-phone",
    CHANGE_SAFE_TIME = "change-safe-time",
    CHANGE_IF_OTHER = "change-if-other",
    CHANGE_CODE_WORD = "change-code-word",
    CHANGE_DESCRIPTION = "change-description",
    MY_REQUEST_TITLE = "my-request-title",
    MY_REQUEST_WAITING = "my-request-waiting",
    MY_REQUEST_CLAIMED = "my-request-claimed",
    MY_REQUEST_CLOSED = "my-request-closed",
    MY_REQUEST_CANCELLED = "my-request-cancelled",
    MY_REQUEST_NONE = "my-request-none",
    MY_REQUEST_CODE_HINT = "my-request-code-hint",
    FIRST_CONTACT_REMOVED = "first-contact-removed",
    CMD_QUEUE = "cmd-queue",
    CMD_NEXT = "cmd-next",
    CMD_MINE = "cmd-mine",
    DESK_HELP = "desk-help",
    DESK_QUEUE = "desk-queue",
    DESK_NOTHING = "desk-nothing",
    DESK_MINE = "desk-mine",
    DESK_MINE_NONE = "desk-mine-none",
    DESK_CLOSED = "desk-closed",
    DESK_RELEASED = "desk-released",
    DESK_NOT_YOURS = "desk-not-yours",
    DESK_CARD_TITLE = "desk-card-title",
    DESK_CARD_PHONE = "desk-card-phone",
    DESK_CARD_PHONE_NOT_OWN = "desk-card-phone-not-own",
    DESK_CARD_IF_OTHER = "desk-card-if-other",
    DESK_CARD_CODE_WORD = "desk-card-code-word",
    DESK_CARD_DESCRIPTION = "desk-card-description",
    DESK_CARD_WAITED = "desk-card-waited",
    DESK_CARD_CHECKLIST = "desk-card-checklist",
    DESK_BUTTON_HELPED = "desk-button-helped",
    DESK_BUTTON_RELEASE = "desk-button-release",
    CMD_SHELTER = "cmd-shelter",
    CMD_ON = "cmd-on",
    CMD_OFF = "cmd-off",
    DESK_ON = "desk-on",
    DESK_OFF = "desk-off",
    DESK_NEW_REQUEST = "desk-new-request",
    DESK_URGENT_ALERT = "desk-urgent-alert",
    DESK_DISK_FAILED = "desk-disk-failed",
    DESK_TAKE_HELD = "desk-take-held",
    DESK_RESTORED_RELEASED = "desk-restored-released",
    DESK_CARD_RESTORED = "desk-card-restored",
    DESK_TOKEN_ELSEWHERE = "desk-token-elsewhere",
    DESK_BACKUP_FAILED = "desk-backup-failed",
    DESK_CARE = "desk-care",
    DESK_CARE_NAMED = "desk-care-named",
    DESK_BUTTON_THREAD = "desk-button-thread",
    DESK_THREAD_TITLE = "desk-thread-title",
    DESK_CARD_SAID_TITLE = "desk-card-said-title",
    DESK_CARD_SAID_HER = "desk-card-said-her",
    DESK_CARD_SAID_US = "desk-card-said-us",
    DESK_CARD_SAID_EARLIER = "desk-card-said-earlier",
    DESK_BUTTON_NOTE = "desk-button-note",
    DESK_CARD_NOTE_ASK = "desk-card-note-ask",
    DESK_CARD_NOTE_LINE = "desk-card-note-line",
    DESK_BUTTON_CARD_OF = "desk-button-card-of",
    DESK_WRITE_ASK_LIVE = "desk-write-ask-live",
    CMD_ASSIGN = "cmd-assign",
    DESK_ASSIGN_USAGE = "desk-assign-usage",
    DESK_ASSIGNED = "desk-assigned",
    DESK_ASSIGN_NOT_STAFF = "desk-assign-not-staff",
    DESK_ASSIGN_SUSPENDED = "desk-assign-suspended",
    DESK_ASSIGN_AT_CAP = "desk-assign-at-cap",
    DESK_ASSIGN_NOT_OPEN = "desk-assign-not-open",
    DESK_ASSIGNED_TO_YOU = "desk-assigned-to-you",
    DESK_ASSIGNED_AWAY = "desk-assigned-away",
    DESK_QUEUE_LINE = "desk-queue-line",
    DESK_QUEUE_WINDOW_OPEN = "desk-queue-window-open",
    DESK_QUEUE_WINDOW_LATER = "desk-queue-window-later",
    DESK_QUEUE_HELD = "desk-queue-held",
    DESK_BUTTON_TAKE = "desk-button-take",
    DESK_BUTTON_QUEUE_MORE = "desk-button-queue-more",
    DESK_STILL_WAITING_SUPERVISOR = "desk-still-waiting-supervisor",
    DESK_HIGH_RISK = "desk-high-risk",
    DESK_TOPIC_UNKNOWN = "desk-topic-unknown",
    DESK_LANGUAGE_CHOOSE = "desk-language-choose",
    DESK_LANGUAGE_SET = "desk-language-set",
    DESK_SUPERVISORS_ONLY = "desk-supervisors-only",
    DESK_CARD_CHECKLIST_NO_CODE = "desk-card-checklist-no-code",
    DESK_CARD_CHECKLIST_WRITE = "desk-card-checklist-write",
    DESK_URGENCY_DANGER_NOW = "desk-urgency-danger-now",
    DESK_URGENCY_WITHIN_DAY = "desk-urgency-within-day",
    DESK_URGENCY_CAN_WAIT = "desk-urgency-can-wait",
    DESK_CONTACT_CALL = "desk-contact-call",
    DESK_CONTACT_WRITE = "desk-contact-write",
    DESK_IF_OTHER_HANG_UP = "desk-if-other-hang-up",
    DESK_IF_OTHER_WRONG_NUMBER = "desk-if-other-wrong-number",
    DESK_IF_OTHER_SAY_CENTER = "desk-if-other-say-center",
    DESK_DANGER_REPEATED = "desk-danger-repeated",
    DESK_DANGER_REPEATED_SUPERVISOR = "desk-danger-repeated-supervisor",
    DESK_BUTTON_BLOCK_CODE = "desk-button-block-code",
    DESK_WITHDRAWN = "desk-withdrawn",
    DESK_STILL_WAITING = "desk-still-waiting",
    DESK_CLAIM_CHECK = "desk-claim-check",
    DESK_BUTTON_KEEP = "desk-button-keep",
    DESK_KEPT = "desk-kept",
    DESK_CLAIM_EXPIRED = "desk-claim-expired",
    DESK_CARD_STUB = "desk-card-stub",
    DESK_CARD_SAME_NUMBER = "desk-card-same-number",
    DESK_DUTY_LAPSED = "desk-duty-lapsed",
    DESK_SHELTER_STALE = "desk-shelter-stale",
    CMD_CLAIMS = "cmd-claims",
    CMD_SUSPEND = "cmd-suspend",
    CMD_RESUME = "cmd-resume",
    DESK_CLAIMS_TITLE = "desk-claims-title",
    DESK_CLAIMS_LINE = "desk-claims-line",
    DESK_CLAIMS_NONE = "desk-claims-none",
    DESK_SUSPENDED = "desk-suspended",
    DESK_RESUMED = "desk-resumed",
    DESK_NO_SUCH_STAFF = "desk-no-such-staff",
    DESK_SUSPEND_SELF = "desk-suspend-self",
    DESK_SUSPEND_ASKED = "desk-suspend-asked",
    DESK_SUSPEND_CONFIRM = "desk-suspend-confirm",
    DESK_SUSPEND_OPERATOR = "desk-suspend-operator",
    DESK_RESUME_DISABLED = "desk-resume-disabled",
    DESK_BUTTON_TRIED = "desk-button-tried",
    DESK_TRY_WHAT = "desk-try-what",
    DESK_TRY_NO_ANSWER = "desk-try-no-answer",
    DESK_TRY_SOMEONE_ELSE = "desk-try-someone-else",
    DESK_TRY_WRONG_NUMBER = "desk-try-wrong-number",
    DESK_TRY_DROPPED = "desk-try-dropped",
    DESK_TRY_RECORDED = "desk-try-recorded",
    DESK_TRY_GAVE_UP = "desk-try-gave-up",
    DESK_CARD_TRIES = "desk-card-tries",
    DESK_CARD_TRY = "desk-card-try",
    DESK_CARD_OTHER_ANSWERED = "desk-card-other-answered",
    DESK_CARD_HIDDEN = "desk-card-hidden",
    DESK_WRITE_HIDDEN = "desk-write-hidden",
    DESK_TRY_COOLING = "desk-try-cooling",
    DESK_TAKE_COOLING = "desk-take-cooling",
    DESK_OTHER_ANSWERED_ALERT = "desk-other-answered-alert",
    DESK_BUTTON_OFFER_AGAIN = "desk-button-offer-again",
    DESK_OFFERED_AGAIN = "desk-offered-again",
    DESK_NOT_COOLING = "desk-not-cooling",
    MY_REQUEST_UNREACHABLE = "my-request-unreachable",
    DESK_QUEUE_TOPIC = "desk-queue-topic",
    DESK_QUEUE_OLDEST = "desk-queue-oldest",
    DESK_QUEUE_URGENT_LATE = "desk-queue-urgent-late",
    DESK_QUEUE_ON_DUTY = "desk-queue-on-duty",
    DESK_QUEUE_NOBODY_ON_DUTY = "desk-queue-nobody-on-duty",
    CMD_TAKE = "cmd-take",
    DESK_TAKE_USAGE = "desk-take-usage",
    DESK_TAKE_NONE = "desk-take-none",
    DESK_AT_CAP = "desk-at-cap",
    DESK_TOO_FAST = "desk-too-fast",
    DESK_SHELTER_NOW = "desk-shelter-now",
    DESK_SHELTER_NEVER = "desk-shelter-never",
    DESK_SHELTER_SET = "desk-shelter-set",
    DESK_SHELTER_AVAILABLE = "desk-shelter-available",
    DESK_SHELTER_FEW = "desk-shelter-few",
    DESK_SHELTER_FULL = "desk-shelter-full",
    DESK_SHELTER_WORDS_AVAILABLE = "desk-shelter-words-available",
    DESK_SHELTER_WORDS_FEW = "desk-shelter-words-few",
    DESK_SHELTER_WORDS_FULL = "desk-shelter-words-full",
    BUTTON_CANCEL_REQUEST = "button-cancel-request",
    BUTTON_VIEW_REQUEST = "button-view-request",
    BUTTON_CHANGE_REQUEST = "button-change-request",
    OPEN_REQUEST_EXISTS = "open-request-exists",
    CANCEL_REQUEST_CONFIRM = "cancel-request-confirm",
    BUTTON_CONFIRM_CANCEL = "button-confirm-cancel",
    BUTTON_KEEP_REQUEST = "button-keep-request",
    REQUEST_CANCELLED_NOTE = "request-cancelled-note",
    SENT_THANKS = "sent-thanks",
    SENT_CHANGED = "sent-changed",
    EXPECT_NOW = "expect-now",
    EXPECT_ASAP = "expect-asap",
    SENT_DONT_SAVE = "sent-dont-save",
    SENT_OTHER_LANGUAGE_ONE = "sent-other-language-one",
    SENT_OTHER_LANGUAGE_TWO = "sent-other-language-two",
    EXPECT_TODAY = "expect-today",
    EXPECT_DAY = "expect-day",
    EXPECT_WINDOW = "expect-window",
    EXPECT_MEANWHILE = "expect-meanwhile",
    SENT_WE_CALL = "sent-we-call",
    SENT_WE_WRITE = "sent-we-write",
    ERASE_CONFIRM = "erase-confirm",
    ERASE_HAS_REQUEST = "erase-has-request",
    BUTTON_ERASE = "button-erase",
    BUTTON_ERASE_KEEP_REQUEST = "button-erase-keep-request",
    BUTTON_ERASE_EVERYTHING = "button-erase-everything",
    ERASE_DONE = "erase-done",
    ERASE_DONE_REQUEST_KEPT = "erase-done-request-kept",
    ERASE_PHONE_ADVICE = "erase-phone-advice",
    TIME_WINDOW = "time-window",
    DESK_RESTARTED = "desk-restarted",
    STARTS_LIMIT = "starts-limit",
    QUEUE_FULL = "queue-full",
    LIMIT_TOAST = "limit-toast",
    LIMIT_SLOW_DOWN = "limit-slow-down",
    DESK_SENT_LIVE = "desk-sent-live",
    DESK_HER_WORDS = "desk-her-words",
    DESK_CARD_HELD = "desk-card-held",
    BUTTON_WRITE_BACK = "button-write-back",
    BUTTON_LEAVE_SPECIALIST = "button-leave-specialist",
    SPECIALIST_MODE = "specialist-mode",
    RELAY_WAITING = "relay-waiting",
    RELAY_REFUSED = "relay-refused",
    RELAY_TEXT_ONLY = "relay-text-only",
    KNOCK_TEXT = "knock-text",
    BUTTON_OPEN = "button-open",
    LETTER_FROM_STAFF = "letter-from-staff",
    LETTER_CLOSED = "letter-closed",
    LETTER_DISAPPEARS = "letter-disappears",
    DESK_BUTTON_WRITE = "desk-button-write",
    DESK_WRITE_ASK = "desk-write-ask",
    DESK_WRITE_TOO_LONG = "desk-write-too-long",
    DESK_WRITE_POSTED = "desk-write-posted",
    DESK_LETTER_DELIVERED = "desk-letter-delivered",
    DESK_LETTER_OPENED = "desk-letter-opened",
    DESK_LETTER_UNDELIVERABLE = "desk-letter-undeliverable",
    DESK_BUTTON_BLOCK = "desk-button-block",
    DESK_BLOCK_ASK = "desk-block-ask",
    DESK_BUTTON_BLOCK_DAY = "desk-button-block-day",
    DESK_BUTTON_BLOCK_MONTH = "desk-button-block-month",
    DESK_BLOCKED = "desk-blocked",
    SEND_BLOCKED = "send-blocked",
    CMD_STATS = "cmd-stats",
    CMD_EXPORT = "cmd-export",
    REPORT_TITLE = "report-title",
    REPORT_NONE_YET = "report-none-yet",
    REPORT_CHART_TITLE = "report-chart-title",
    REPORT_EXPORT_CAPTION = "report-export-caption",
    REPORT_USAGE = "report-usage",
    REPORT_TOPIC = "report-topic",
    REPORT_URGENCY = "report-urgency",
    REPORT_CONTACT = "report-contact",
    REPORT_RESULT = "report-result",
    REPORT_FIRST_TRY = "report-first-try",
    REPORT_RESULT_UNREACHABLE = "report-result-unreachable",
    REPORT_RESULT_CANCELLED = "report-result-cancelled",
    REPORT_RESULT_LOST = "report-result-lost",
    REPORT_HELP = "report-help",
    REPORT_REFERRAL = "report-referral",
    REPORT_VIOLENCE = "report-violence",
    REPORT_AGE = "report-age",
    REPORT_VISIT = "report-visit",
    REPORT_SOURCE = "report-source",
    REPORT_FLAGS = "report-flags",
    REPORT_HOURS = "report-hours",
    REPORT_HOURS_INSIDE = "report-hours-inside",
    REPORT_HOURS_OUTSIDE = "report-hours-outside",
    REPORT_WAIT = "report-wait",
    REPORT_WAIT_LT1H = "report-wait-lt1h",
    REPORT_WAIT_1_4H = "report-wait-1-4h",
    REPORT_WAIT_4_24H = "report-wait-4-24h",
    REPORT_WAIT_1_3D = "report-wait-1-3d",
    REPORT_WAIT_GT3D = "report-wait-gt3d",
    REPORT_COLUMN_PERIOD = "report-column-period",
    REPORT_COLUMN_DIMENSION = "report-column-dimension",
    REPORT_COLUMN_CATEGORY = "report-column-category",
    REPORT_COLUMN_COUNT = "report-column-count",
    OUTCOME_TALKED = "outcome-talked",
    OUTCOME_DECLINED = "outcome-declined",
    OUTCOME_FOR_SOMEONE_ELSE = "outcome-for-someone-else",
    OUTCOME_SILENT = "outcome-silent",
    OUTCOME_NOT_REAL = "outcome-not-real",
    OUTCOME_CENTER_CATEGORIES = "outcome-center-categories",
    OUTCOME_HELP_INFORMATION = "outcome-help-information",
    OUTCOME_HELP_PSYCHOLOGICAL = "outcome-help-psychological",
    OUTCOME_HELP_LEGAL = "outcome-help-legal",
    OUTCOME_HELP_DOCUMENTS = "outcome-help-documents",
    OUTCOME_HELP_SHELTER = "outcome-help-shelter",
    OUTCOME_REFER_POLICE = "outcome-refer-police",
    OUTCOME_REFER_SOCIAL = "outcome-refer-social",
    OUTCOME_REFER_HEALTH = "outcome-refer-health",
    OUTCOME_REFER_LEGAL_AID = "outcome-refer-legal-aid",
    OUTCOME_REFER_ORGANISATION = "outcome-refer-organisation",
    OUTCOME_REFER_SHELTER = "outcome-refer-shelter",
    OUTCOME_VIOLENCE_PHYSICAL = "outcome-violence-physical",
    OUTCOME_VIOLENCE_PSYCHOLOGICAL = "outcome-violence-psychological",
    OUTCOME_VIOLENCE_ECONOMIC = "outcome-violence-economic",
    OUTCOME_VIOLENCE_SEXUAL = "outcome-violence-sexual",
    OUTCOME_AGE_UNDER_18 = "outcome-age-under-18",
    OUTCOME_AGE_18 = "outcome-age-18",
    OUTCOME_AGE_30 = "outcome-age-30",
    OUTCOME_AGE_45 = "outcome-age-45",
    OUTCOME_AGE_60 = "outcome-age-60",
    OUTCOME_VISIT_NEW = "outcome-visit-new",
    OUTCOME_VISIT_RETURNING = "outcome-visit-returning",
    OUTCOME_SOURCE_HERSELF = "outcome-source-herself",
    OUTCOME_SOURCE_FAMILY = "outcome-source-family",
    OUTCOME_SOURCE_POLICE = "outcome-source-police",
    OUTCOME_SOURCE_HEALTH = "outcome-source-health",
    OUTCOME_SOURCE_ORGANISATION = "outcome-source-organisation",
    OUTCOME_SOURCE_OTHER = "outcome-source-other",
    OUTCOME_CHILD_AT_RISK = "outcome-child-at-risk",
    OUTCOME_HIGH_RISK = "outcome-high-risk",
    DESK_OUTCOME_TITLE = "desk-outcome-title",
    DESK_OUTCOME_RESULT = "desk-outcome-result",
    DESK_OUTCOME_HELP = "desk-outcome-help",
    DESK_OUTCOME_REFERRALS = "desk-outcome-referrals",
    DESK_OUTCOME_FLAGS = "desk-outcome-flags",
    DESK_OUTCOME_MORE_TITLE = "desk-outcome-more-title",
    DESK_OUTCOME_VIOLENCE = "desk-outcome-violence",
    DESK_OUTCOME_AGE = "desk-outcome-age",
    DESK_OUTCOME_VISIT = "desk-outcome-visit",
    DESK_OUTCOME_SOURCE = "desk-outcome-source",
    DESK_OUTCOME_CENTER = "desk-outcome-center",
    DESK_OFF_NOTE_ASK = "desk-off-note-ask",
    DESK_BUTTON_CANNED_SHELTER = "desk-button-canned-shelter",
    DESK_BUTTON_CANNED_LEGAL = "desk-button-canned-legal",
    DESK_BUTTON_CANNED_LATER = "desk-button-canned-later",
    CANNED_SHELTER = "canned-shelter",
    CANNED_LEGAL = "canned-legal",
    CANNED_LATER = "canned-later",
    DESK_BUTTON_NO_NOTE = "desk-button-no-note",
    DESK_BUTTON_OFF_NOW = "desk-button-off-now",
    DESK_SHIFT_OVER = "desk-shift-over",
    DESK_SHIFT_FIGURES = "desk-shift-figures",
    DESK_OUTCOME_PROCEDURE = "desk-outcome-procedure",
    DESK_OUTCOME_NO_PROCEDURE = "desk-outcome-no-procedure",
    DESK_BUTTON_MORE = "desk-button-more",
    DESK_BUTTON_MAIN = "desk-button-main",
    DESK_BUTTON_SAVE = "desk-button-save",
    DESK_BUTTON_CARD = "desk-button-card",
    DESK_CHILD_AT_RISK = "desk-child-at-risk",
    DESK_CHILD_AT_RISK_NO_PROCEDURE = "desk-child-at-risk-no-procedure",
    DESK_CARD_LANGUAGE = "desk-card-language",
    DESK_CARD_WINDOW_OPEN = "desk-card-window-open",
    DESK_CARD_WINDOW_LATER = "desk-card-window-later",
    DESK_CARD_NOTE = "desk-card-note",
    DESK_NOTE_ASK = "desk-note-ask",
    DESK_NOTE_SAVED = "desk-note-saved",
    DESK_NOTE_TOO_LONG = "desk-note-too-long",
    DESK_QUEUE_LATER = "desk-queue-later",
    DESK_NOTHING_OPEN = "desk-nothing-open",
    DESK_BUTTON_RELEASE_CODE = "desk-button-release-code",
    DESK_RELEASED_BY_SUPERVISOR = "desk-released-by-supervisor",
    CMD_REOPEN = "cmd-reopen",
    DESK_REOPEN_USAGE = "desk-reopen-usage",
    DESK_REOPENED = "desk-reopened",
    DESK_REOPEN_NONE = "desk-reopen-none",
    DESK_HELP_SUPERVISOR = "desk-help-supervisor",
}

/// A value passed into a message. A string may be what she typed (her number on
/// the summary), so its `Debug` shows only that there is one.
#[derive(Clone, PartialEq)]
pub enum Arg {
    Str(String),
    Num(i64),
    /// Another message, formatted in the same language (a label inside a line).
    Msg(MsgId),
    /// Several labels, formatted in the same language and joined by commas
    /// ("—" when there are none).
    List(Vec<MsgId>),
    /// Another message in a given language (her language's own name).
    MsgIn(MsgId, String),
}

impl std::fmt::Debug for Arg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Arg::Str(_) => f.write_str("Str(..)"),
            Arg::Num(n) => write!(f, "Num({n})"),
            Arg::Msg(id) => write!(f, "Msg({id:?})"),
            Arg::List(ids) => write!(f, "List({ids:?})"),
            Arg::MsgIn(id, lang) => write!(f, "MsgIn({id:?}, {lang})"),
        }
    }
}

/// One localized piece of text.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub id: MsgId,
    pub args: Vec<(&'static str, Arg)>,
    /// `None`: the user's language. `Some`: this language whatever hers is (the
    /// bilingual first reply, language names).
    pub lang: Option<String>,
    /// Texts shown after this one, each on its own line (a summary's lines).
    pub follow: Vec<Text>,
}

impl Text {
    pub fn new(id: MsgId) -> Text {
        Text {
            id,
            args: Vec::new(),
            lang: None,
            follow: Vec::new(),
        }
    }

    /// Several texts as one piece, one per line. `lines` must not be empty.
    pub fn lines(lines: Vec<Text>) -> Text {
        let mut lines = lines.into_iter();
        let mut first = lines.next().expect("at least one line");
        first.follow.extend(lines);
        first
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
