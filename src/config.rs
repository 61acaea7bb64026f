//! Configuration: a TOML file, overridden by environment variables.
//!
//! Every problem is reported as one line that names the setting and how to fix it.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {reason}; check the path given to --config")]
    Unreadable { path: PathBuf, reason: String },
    // The reason never quotes a value (see `file_error`).
    #[error("config file {path}, {reason}")]
    Invalid { path: PathBuf, reason: String },
    // The values are never echoed: they are Telegram ids.
    #[error("{var} must be a comma-separated list of numeric Telegram user ids, e.g. 12345,67890 (entry {position} is not a number)")]
    StaffIds { var: &'static str, position: usize },
    #[error("{var} must be a numeric Telegram chat id, e.g. -1001234567890")]
    ChatId { var: &'static str },
    #[error("data directory {path} is not writable ({reason}); set AKJ_DATA_DIR or `data_dir` to a folder the bot may write to")]
    DataDir { path: PathBuf, reason: String },
    #[error("data directory {path} can be read by group or others (mode {mode:o}); run `chmod 700 {path}`")]
    DataDirOpen { path: PathBuf, mode: u32 },
    #[error("[[staff]] entry {position}: {problem}")]
    Staff {
        position: usize,
        problem: &'static str,
    },
    #[error("TELOXIDE_TOKEN is not set; get a token from @BotFather and run `export TELOXIDE_TOKEN=...` (or try `ak-jurok demo`, which needs none)")]
    MissingToken,
    #[error("TELOXIDE_API_URL is not a valid URL, e.g. http://127.0.0.1:8081")]
    ApiUrl,
    #[error("TELOXIDE_API_URL uses plain http to another machine, which would carry the token and every message in clear; use https, or a Bot API server on this machine (127.0.0.1), or add --allow-plain-http-api if you run your own server on a private network")]
    PlainHttpApi,
    #[error("default_language is `{0}`, a language the bot has no texts for; use one of {1}")]
    DefaultLanguage(String, String),
    #[error("[{table}] has `{key}`, which is not a language the bot has ({languages}): a setting written below a [table] belongs to that table — move it above the first [table] of the file")]
    NotALanguage {
        table: &'static str,
        key: String,
        languages: String,
    },
    #[error("{0}")]
    Backups(&'static str),
    #[error("[outcome] categories: {0}")]
    Categories(String),
    #[error("log_level is `{0}`; use one of error, warn, info, debug (or AKJ_LOG)")]
    LogLevel(String),
    #[error("the webhook URL {0:?} is not one Telegram accepts: it must be https, on port 443, 80, 88 or 8443, e.g. https://bot.example.org/ak-jurok")]
    WebhookUrl(String),
}

/// The center's own details. Nothing here is ever invented: what is not configured is
/// left out of every text.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Center {
    /// The center's name per language code, as it stands in quotes in the texts.
    /// Where unset, the name from the locale files (`center-name`).
    #[serde(default)]
    pub name: BTreeMap<String, String>,
    /// Phone numbers people may call, as they should be shown.
    #[serde(default)]
    pub phones: Vec<String>,
    /// Opening hours as text, per language code.
    #[serde(default)]
    pub hours: BTreeMap<String, String>,
    /// When specialists answer and call back, as text, per language code.
    #[serde(default)]
    pub working_hours: BTreeMap<String, String>,
    /// The only numbers the center calls from.
    #[serde(default)]
    pub call_from: Vec<String>,
    /// When specialists work, for the expectation given after a request is sent.
    #[serde(default)]
    pub schedule: Option<crate::domain::schedule::Schedule>,
    /// The center's child-protection procedure, as text per language code: shown
    /// to a specialist who marks "child at risk", and to the supervisors told.
    #[serde(default)]
    pub child_protection: BTreeMap<String, String>,
}

impl Center {
    /// The child-protection procedure in `lang`, else in any language it has.
    pub fn child_protection_in(&self, lang: &str) -> Option<&str> {
        self.child_protection
            .get(lang)
            .or_else(|| self.child_protection.values().next())
            .map(String::as_str)
    }

    /// The configured name in `lang`, if any.
    pub fn name_in(&self, lang: &str) -> Option<&str> {
        self.name.get(lang).map(String::as_str)
    }
}

/// A staff member, from `[[staff]]`. Known to the bot by Telegram id (only here,
/// in the configuration), to colleagues by name, and in the database and the
/// audit log by handle.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffMember {
    /// Telegram user id.
    pub id: u64,
    /// Stable and short: `aigul`, `lawyer1`.
    pub handle: crate::domain::ids::StaffHandle,
    /// Seen only by colleagues.
    #[serde(default)]
    pub name: String,
    /// Languages she or he speaks (`ky`, `ru`, …); the first the bot has is
    /// the language of the staff texts.
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub on_call: bool,
    #[serde(default)]
    pub supervisor: bool,
    /// Suspended by the operator: wins over the database (a `/resume` cannot
    /// undo it). For a phone that is lost or stolen.
    #[serde(default)]
    pub disabled: bool,
}

impl fmt::Debug for StaffMember {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaffMember")
            .field("handle", &self.handle)
            .field("languages", &self.languages)
            .field("on_call", &self.on_call)
            .field("supervisor", &self.supervisor)
            .field("disabled", &self.disabled)
            .finish_non_exhaustive()
    }
}

/// How fast the bot may send, as Telegram's FAQ asks: about one message a second
/// in a private chat, 20 a minute in a group, 30 a second in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TelegramLimits {
    pub per_chat_per_sec: u32,
    pub per_chat_per_min: u32,
    pub per_group_per_min: u32,
    pub overall_per_sec: u32,
}

impl Default for TelegramLimits {
    fn default() -> TelegramLimits {
        TelegramLimits {
            per_chat_per_sec: 1,
            per_chat_per_min: 60,
            per_group_per_min: 20,
            overall_per_sec: 30,
        }
    }
}

/// A secret that never shows in `Debug` output or logs.
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(secret: String) -> Secret {
        Secret(secret)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// The shortest time the note after Erase stays (what to do on her phone).
pub const MIN_ERASE_NOTE_SECONDS: u64 = 60;

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub data_dir: PathBuf,
    /// The master key file; by default beside the data directory, never inside it.
    pub key_file: Option<PathBuf>,
    /// The keyring (and its `.wrap` file beside it); by default beside the key
    /// file, never inside the data directory.
    pub keyring_file: Option<PathBuf>,
    /// A folder of language folders that replaces the texts built into the binary.
    pub locales_dir: Option<PathBuf>,
    /// Where the running bot writes its backups, one folder each (off when
    /// unset; `AKJ_BACKUP_DIR`). Never the key or the keyring.
    pub backup_dir: Option<PathBuf>,
    /// Hours between the bot's backups (and one at start when the newest is
    /// older than that).
    pub backup_every_hours: u32,
    /// How many of the bot's backups are kept: the oldest beyond go.
    pub backup_keep: u32,
    pub default_language: String,
    /// `error`, `warn`, `info` or `debug`. Other crates' messages are always withheld.
    pub log_level: String,
    /// Staff by Telegram id alone (`AKJ_STAFF_IDS`): handles `staff1`, `staff2`, …
    pub staff_ids: Vec<u64>,
    /// Staff with handles, names, languages and roles (`[[staff]]`).
    pub staff: Vec<StaffMember>,
    pub staff_chat: Option<i64>,
    pub sled_cache_mb: u64,
    /// A dialogue left alone longer than this goes back to the menu and forgets an
    /// unfinished request.
    pub draft_ttl_hours: u32,
    /// Days a closed or cancelled request's data key is kept before it is destroyed.
    pub request_grace_days: u32,
    /// Days without a message after which her dialogue is removed.
    pub dialogue_idle_days: u32,
    /// Seconds before the bot deletes its last message after Erase.
    pub erase_note_seconds: u64,
    /// Hours after which a staff member's /on lapses.
    pub duty_max_hours: u32,
    /// Days the audit log keeps a line.
    pub audit_days: u32,
    /// Requests one staff member may hold at once.
    pub max_claims: u32,
    /// Minutes a danger-now request may stay claimed before its holder is asked
    /// to keep or release it (5 minutes before it goes back to the queue).
    pub urgent_claim_minutes: u32,
    /// The same for other requests, in hours.
    pub claim_hours: u32,
    /// Minutes after she presses Hide during which nothing is delivered to her.
    pub quiet_after_hide_minutes: u32,
    /// Minutes without a tap after which her screen turns into the cover, as
    /// Hide does (0: never).
    pub idle_cover_minutes: u32,
    /// Whether she gets a letter (a knock) when her request is closed.
    pub tell_her_when_closed: bool,
    /// Minutes after the last message of her conversation with a specialist
    /// during which replies reach her at once; then the conversation is deleted
    /// from her chat.
    pub relay_quiet_minutes: u32,
    /// Updates one person may send at once before the rest are dropped, and
    /// then one more every `flood_every_seconds`.
    pub flood_burst: u32,
    pub flood_every_seconds: u32,
    /// Waiting requests above which a new one (not danger now) is not taken:
    /// she is asked to call instead.
    pub max_waiting: u32,
    /// Seconds one update may take before it is abandoned (and counted).
    pub update_budget_seconds: u32,
    /// Where to serve `/metrics` and `/healthz` (off when unset; `--metrics`).
    pub metrics: Option<std::net::SocketAddr>,
    /// Webhook mode (`--webhook`): the public https URL Telegram posts updates
    /// to (a reverse proxy in front of `webhook_listen`). Long polling when unset.
    pub webhook_url: Option<String>,
    /// Where the bot listens for the proxy's requests (`--listen`).
    pub webhook_listen: std::net::SocketAddr,
    /// New requests one person may start in a day (danger now is not counted).
    pub wizard_starts_per_day: u8,
    pub center: Center,
    /// The outcome form's categories of the center's own.
    pub outcome: OutcomeSettings,
    /// When it is safe to contact her, per choice (`[contact_windows]`).
    pub contact_windows: crate::domain::schedule::ContactWindows,
    pub telegram_limits: TelegramLimits,
    #[serde(skip)]
    pub token: Option<Secret>,
    #[serde(skip)]
    pub api_url: Option<String>,
    /// `--allow-plain-http-api`: a self-hosted Bot API server reached over plain
    /// http on another machine.
    #[serde(skip)]
    pub allow_plain_http_api: bool,
    /// systemd's `$CREDENTIALS_DIRECTORY`: where the unit (or `ak-jurok-admin`)
    /// put the decrypted master key, as `master-key`.
    #[serde(skip)]
    pub credentials_dir: Option<PathBuf>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Staff are Telegram ids: only how many, and whether a staff chat is set.
        f.debug_struct("Config")
            .field("data_dir", &self.data_dir)
            .field("key_file", &self.key_file)
            .field("keyring_file", &self.keyring_file)
            .field("locales_dir", &self.locales_dir)
            .field("default_language", &self.default_language)
            .field("log_level", &self.log_level)
            .field(
                "staff",
                &format_args!("{} members", self.staff.len() + self.staff_ids.len()),
            )
            .field("staff_chat", &format_args!("{}", self.staff_chat.is_some()))
            .field("center", &self.center)
            .finish_non_exhaustive()
    }
}

impl Default for Config {
    fn default() -> Config {
        Config {
            data_dir: PathBuf::from("data"),
            key_file: None,
            keyring_file: None,
            locales_dir: None,
            backup_dir: None,
            backup_every_hours: 24,
            backup_keep: 7,
            default_language: "ky".into(),
            log_level: "info".into(),
            staff_ids: Vec::new(),
            staff: Vec::new(),
            staff_chat: None,
            sled_cache_mb: 16,
            draft_ttl_hours: 6,
            request_grace_days: 7,
            dialogue_idle_days: 30,
            erase_note_seconds: MIN_ERASE_NOTE_SECONDS,
            duty_max_hours: 12,
            audit_days: 365,
            max_claims: 3,
            urgent_claim_minutes: 30,
            claim_hours: 24,
            quiet_after_hide_minutes: 30,
            idle_cover_minutes: 5,
            tell_her_when_closed: false,
            relay_quiet_minutes: 15,
            flood_burst: 30,
            flood_every_seconds: 3,
            max_waiting: 300,
            metrics: None,
            webhook_url: None,
            webhook_listen: std::net::SocketAddr::from(([127, 0, 0, 1], 8443)),
            update_budget_seconds: 60,
            wizard_starts_per_day: 5,
            center: Center::default(),
            outcome: OutcomeSettings::default(),
            contact_windows: crate::domain::schedule::ContactWindows::default(),
            telegram_limits: TelegramLimits::default(),
            token: None,
            api_url: None,
            allow_plain_http_api: false,
            credentials_dir: None,
        }
    }
}

impl Config {
    /// Reads the file (if any), then applies environment overrides from `env`.
    pub fn load(
        file: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        let mut config =
            match file {
                Some(path) => {
                    let text = fs::read_to_string(path).map_err(|e| ConfigError::Unreadable {
                        path: path.to_owned(),
                        reason: e.to_string(),
                    })?;
                    let deserializer = toml::Deserializer::new(&text);
                    let mut config: Config = serde_path_to_error::deserialize(deserializer)
                        .map_err(|e| ConfigError::Invalid {
                            path: path.to_owned(),
                            reason: file_error::describe(&e, &text),
                        })?;
                    // A unit file or another folder may start the bot: paths in the
                    // file mean the same wherever that is.
                    let folder = path.parent().unwrap_or(Path::new("."));
                    config.resolve_against(folder);
                    config
                }
                None => Config::default(),
            };
        let env = |name: &str| env(name).filter(|v| !v.trim().is_empty());
        if let Some(token) = env("TELOXIDE_TOKEN") {
            config.token = Some(Secret(token));
        }
        if let Some(url) = env("TELOXIDE_API_URL") {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(ConfigError::ApiUrl);
            }
            config.api_url = Some(url);
        }
        if let Some(dir) = env("AKJ_DATA_DIR") {
            config.data_dir = dir.into();
        }
        if let Some(dir) = env("CREDENTIALS_DIRECTORY") {
            config.credentials_dir = Some(dir.into());
        }
        if let Some(key) = env("AKJ_KEY_FILE") {
            config.key_file = Some(key.into());
        }
        if let Some(ring) = env("AKJ_KEYRING") {
            config.keyring_file = Some(ring.into());
        }
        if let Some(dir) = env("AKJ_BACKUP_DIR") {
            config.backup_dir = Some(dir.into());
        }
        if let Some(dir) = env("AKJ_LOCALES_DIR") {
            config.locales_dir = Some(dir.into());
        }
        if let Some(level) = env("AKJ_LOG") {
            config.log_level = level;
        }
        if let Some(ids) = env("AKJ_STAFF_IDS") {
            config.staff_ids = parse_staff_ids(&ids)?;
        }
        if let Some(chat) = env("AKJ_STAFF_CHAT") {
            config.staff_chat = Some(chat.trim().parse().map_err(|_| ConfigError::ChatId {
                var: "AKJ_STAFF_CHAT",
            })?);
        }
        config.staff_members()?;
        // Her note after Erase (what to do on her phone) stays at least a minute.
        config.erase_note_seconds = config.erase_note_seconds.max(MIN_ERASE_NOTE_SECONDS);
        Ok(config)
    }

    /// What loading alone cannot tell, given the languages the bot has: the
    /// default language is one of them; every per-language table holds only
    /// them (a setting written below `[center.name]` is read as a language of
    /// it); the log level is one the log knows. `run` and `check` both ask.
    pub fn validate(&self, languages: &[String]) -> Result<(), ConfigError> {
        let listed = languages.join(", ");
        if !languages.contains(&self.default_language) {
            return Err(ConfigError::DefaultLanguage(
                self.default_language.clone(),
                listed,
            ));
        }
        let tables = [
            ("center.name", &self.center.name),
            ("center.hours", &self.center.hours),
            ("center.working_hours", &self.center.working_hours),
            ("center.child_protection", &self.center.child_protection),
        ];
        for (table, map) in tables {
            if let Some(key) = map.keys().find(|k| !languages.contains(k)) {
                return Err(ConfigError::NotALanguage {
                    table,
                    key: key.clone(),
                    languages: listed,
                });
            }
        }
        self.validate_backups()?;
        self.outcome.validate()?;
        let level = self.log_level.to_lowercase();
        if !["error", "warn", "info", "debug", "trace"].contains(&level.as_str()) {
            return Err(ConfigError::LogLevel(self.log_level.clone()));
        }
        Ok(())
    }

    /// The backups' settings: at most one an hour, at least one kept, and
    /// never inside the database they copy.
    fn validate_backups(&self) -> Result<(), ConfigError> {
        if self.backup_every_hours == 0 {
            return Err(ConfigError::Backups(
                "backup_every_hours is 0; set the hours between backups (24 is once a day)",
            ));
        }
        if self.backup_keep == 0 {
            return Err(ConfigError::Backups(
                "backup_keep is 0; keep at least 1 backup (7 is a week of daily ones)",
            ));
        }
        if let Some(dir) = &self.backup_dir {
            let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
            let (dir, data) = (absolute(dir), absolute(&self.data_dir));
            if dir == data || dir.starts_with(data.join("db")) {
                return Err(ConfigError::Backups(
                    "backup_dir is the data folder or inside its database; give backups a folder of their own (beside data_dir)",
                ));
            }
        }
        Ok(())
    }

    /// Every staff member: `[[staff]]` entries, then ids of `AKJ_STAFF_IDS` not
    /// among them as `staff1`, `staff2`, … Handles and ids must be unique.
    pub fn staff_members(&self) -> Result<Vec<StaffMember>, ConfigError> {
        let mut all = self.staff.clone();
        for (n, id) in self.staff_ids.iter().enumerate() {
            if !all.iter().any(|m| m.id == *id) {
                all.push(StaffMember {
                    id: *id,
                    handle: format!("staff{}", n + 1).into(),
                    name: format!("staff{}", n + 1),
                    languages: Vec::new(),
                    on_call: false,
                    supervisor: false,
                    disabled: false,
                });
            }
        }
        for (n, member) in all.iter().enumerate() {
            let problem = if member.handle.is_empty()
                || member.handle.len() > 20
                || !member
                    .handle
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            {
                Some("handle must be 1-20 characters of a-z, 0-9 and _")
            } else if all[..n].iter().any(|m| m.handle == member.handle) {
                Some("handle is used twice")
            } else if all[..n].iter().any(|m| m.id == member.id) {
                Some("Telegram id is listed twice")
            } else {
                None
            };
            if let Some(problem) = problem {
                return Err(ConfigError::Staff {
                    position: n + 1,
                    problem,
                });
            }
        }
        Ok(all)
    }

    fn resolve_against(&mut self, folder: &Path) {
        let resolve = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = folder.join(&*p);
            }
        };
        resolve(&mut self.data_dir);
        for path in [
            &mut self.key_file,
            &mut self.keyring_file,
            &mut self.locales_dir,
            &mut self.backup_dir,
        ]
        .into_iter()
        .flatten()
        {
            resolve(path);
        }
    }

    /// Loads from the process environment.
    pub fn from_env(file: Option<&Path>) -> Result<Config, ConfigError> {
        Config::load(file, |name| std::env::var(name).ok())
    }

    /// The master key: `key_file` if set; else the one systemd decrypted for
    /// this service (`$CREDENTIALS_DIRECTORY/master-key`), if there; else
    /// `ak-jurok.key` beside the data folder.
    pub fn key_file(&self) -> PathBuf {
        let credential = self
            .credentials_dir
            .as_ref()
            .map(|dir| dir.join("master-key"))
            .filter(|path| path.exists());
        self.key_file.clone().or(credential).unwrap_or_else(|| {
            let parent = self
                .data_dir
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            parent.join("ak-jurok.key")
        })
    }

    pub fn keyring_file(&self) -> PathBuf {
        self.keyring_file.clone().unwrap_or_else(|| {
            let key = self.key_file();
            let parent = key
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            parent.join("ak-jurok.keyring")
        })
    }

    pub fn token(&self) -> Result<&Secret, ConfigError> {
        self.token.as_ref().ok_or(ConfigError::MissingToken)
    }

    /// The webhook URL, if webhook mode is asked for: https, on a port
    /// Telegram posts to (443, 80, 88, 8443).
    pub fn webhook(&self) -> Result<Option<url::Url>, ConfigError> {
        let Some(text) = &self.webhook_url else {
            return Ok(None);
        };
        let bad = || ConfigError::WebhookUrl(text.clone());
        let url: url::Url = text.parse().map_err(|_| bad())?;
        let port = url.port_or_known_default();
        if url.scheme() != "https"
            || url.host_str().is_none_or(str::is_empty)
            || !matches!(port, Some(443 | 80 | 88 | 8443))
        {
            return Err(bad());
        }
        Ok(Some(url))
    }

    /// Creates the data directory if needed and proves it can be written.
    pub fn ensure_data_dir(&self) -> Result<(), ConfigError> {
        let fail = |e: std::io::Error| ConfigError::DataDir {
            path: self.data_dir.clone(),
            reason: e.kind().to_string(),
        };
        {
            use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
            fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(&self.data_dir)
                .map_err(fail)?;
            let mode = fs::metadata(&self.data_dir)
                .map_err(fail)?
                .permissions()
                .mode()
                & 0o777;
            if mode & 0o077 != 0 {
                return Err(ConfigError::DataDirOpen {
                    path: self.data_dir.clone(),
                    mode,
                });
            }
        }
        let probe = self.data_dir.join(".write-probe");
        fs::write(&probe, b"").map_err(fail)?;
        fs::remove_file(&probe).map_err(fail)
    }
}

fn parse_staff_ids(list: &str) -> Result<Vec<u64>, ConfigError> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .enumerate()
        .map(|(n, s)| {
            s.parse::<u64>().map_err(|_| ConfigError::StaffIds {
                var: "AKJ_STAFF_IDS",
                position: n + 1,
            })
        })
        .collect()
}

mod file_error;
mod outcome;
pub use outcome::OutcomeSettings;

#[cfg(test)]
mod tests;
