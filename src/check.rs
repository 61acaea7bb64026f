//! `ak-jurok check`: everything a start needs, looked at without starting — one
//! line per item, `✓` or what to fix. Absolute paths are shown; the token never.

use std::path::{Path, PathBuf};

use teloxide::prelude::*;

use crate::config::Config;
use crate::crypto;
use crate::crypto::keyring;
use crate::store::{Store, StoreError};

/// One line of the check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    Ok(String),
    /// Works, but should be changed.
    Warning(String),
    /// A start would fail, or would not be safe.
    Error(String),
}

impl std::fmt::Display for Line {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Line::Ok(text) => write!(f, "✓ {text}"),
            Line::Warning(text) => write!(f, "! {text}"),
            Line::Error(text) => write!(f, "✗ {text}"),
        }
    }
}

fn shown(path: &Path) -> String {
    std::path::absolute(path)
        .unwrap_or_else(|_| path.to_owned())
        .display()
        .to_string()
}

/// File systems on which a file overwritten in place may keep its old blocks
/// (copy on write, or layered): destroying a key there destroys nothing.
fn keeps_old_blocks(path: &Path) -> Option<&'static str> {
    use std::os::unix::ffi::OsStrExt;
    let existing = path.ancestors().find(|p| p.exists())?;
    let c_path = std::ffi::CString::new(existing.as_os_str().as_bytes()).ok()?;
    let mut stat: libc::statfs = unsafe { std::mem::zeroed() };
    // SAFETY: a valid NUL-terminated path and a zeroed struct for the result.
    if unsafe { libc::statfs(c_path.as_ptr(), &mut stat) } != 0 {
        return None;
    }
    match stat.f_type as i64 {
        0x9123_683E => Some("btrfs"),
        0x2FC1_2FC1 => Some("zfs"),
        0x794C_7630 => Some("overlayfs"),
        _ => None,
    }
}

fn device_of(path: &Path) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    let existing = path.ancestors().find(|p| p.exists())?;
    std::fs::metadata(existing).ok().map(|m| m.dev())
}

/// The files and folders: configuration, key, keyring, data.
pub fn local(config: &Config, config_file: Option<&PathBuf>) -> Vec<Line> {
    let mut lines = Vec::new();
    lines.push(Line::Ok(match config_file {
        Some(file) => format!("configuration {}", shown(file)),
        None => "configuration from the environment (no --config)".into(),
    }));
    // The same rules `run` applies, given the languages the bot has.
    let locales = match &config.locales_dir {
        Some(dir) => crate::i18n::Locales::load(dir, &config.default_language),
        None => crate::i18n::Locales::embedded(&config.default_language),
    };
    let languages = locales.as_ref().map(|l| l.codes()).unwrap_or_default();
    let valid = |l: &crate::i18n::Locales| {
        config.validate(&l.codes())?;
        config.outcome.validate_labels(l)
    };
    match locales.as_ref().map(valid) {
        Ok(Ok(())) => {}
        Ok(Err(e)) => lines.push(Line::Error(e.to_string())),
        Err(e) => lines.push(Line::Error(e.to_string())),
    }
    let data = &config.data_dir;
    let key = config.key_file();
    let ring = config.keyring_file();
    lines.extend(master_key(&key, data));
    // The keyring.
    let wrap = keyring::wrap_path(&ring);
    match keyring::check_outside(&ring, data) {
        Err(e) => lines.push(Line::Error(e.to_string())),
        // The database has keys in a keyring that is not there: a start is
        // refused (a database held by a running bot is not opened here).
        Ok(()) if (!ring.exists() || !wrap.exists())
            && Store::expects_keyring(data).unwrap_or(false) =>
        {
            lines.push(Line::Error(format!(
                "keyring {} (or {}) is missing, but the database has data sealed under it: `run` refuses to start; set keyring_file to where it is, or see the README's Recovery",
                shown(&ring),
                shown(&wrap)
            )))
        }
        Ok(()) if !ring.exists() || !wrap.exists() => lines.push(Line::Warning(format!(
            "keyring {} (and {}) not there yet: a new bot makes it at first start",
            shown(&ring),
            shown(&wrap)
        ))),
        Ok(()) => match crypto::check_private(&ring, "keyring (AKJ_KEYRING)")
            .and_then(|()| crypto::check_private(&wrap, "keyring (AKJ_KEYRING)"))
        {
            Err(e) => lines.push(Line::Error(e.to_string())),
            Ok(()) => lines.push(Line::Ok(format!("keyring {} and its .wrap", shown(&ring)))),
        },
    }
    if let Some(kind) = keeps_old_blocks(&ring) {
        lines.push(Line::Warning(format!(
            "the keyring is on {kind}, where overwriting a file in place keeps its old blocks: destroying a key there destroys nothing; move it to ext4 or xfs"
        )));
    }
    // The data folder.
    if !data.exists() {
        lines.push(Line::Warning(format!(
            "data folder {} not there yet: made (mode 0700) at first start",
            shown(data)
        )));
    } else {
        match config.ensure_data_dir() {
            Err(e) => lines.push(Line::Error(e.to_string())),
            Ok(()) => {
                lines.push(Line::Ok(format!("data folder {}", shown(data))));
                lines.extend(database(config));
            }
        }
    }
    lines.extend(webhook(config));
    if let Some(addr) = config.metrics {
        lines.push(if addr.ip().is_loopback() {
            Line::Ok(format!("metrics on {addr}"))
        } else {
            Line::Error(format!(
                "metrics on {addr}: not a loopback address, which `run` refuses; use 127.0.0.1 and reach them through a tunnel or proxy"
            ))
        });
    }
    lines.push(backups(config, chrono::Utc::now()));
    lines.extend(staff(config, &languages));
    lines
}

/// The bot's backups: whether it writes them, and how old the newest is.
fn backups(config: &Config, now: chrono::DateTime<chrono::Utc>) -> Line {
    let Some(dir) = &config.backup_dir else {
        return Line::Warning(
            "no backup_dir: the bot writes no backups; set it (the unit makes /var/lib/ak-jurok/backups)".into(),
        );
    };
    let every = chrono::Duration::hours(config.backup_every_hours.max(1).into());
    match crate::store::newest_backup(dir) {
        None => Line::Ok(format!(
            "backups into {}: none yet, the first at start",
            shown(dir)
        )),
        Some(at) if now - at > every * 2 => Line::Warning(format!(
            "backups into {}: the newest is of {} (UTC), more than two periods ago — look for backup_failed in the log",
            shown(dir),
            at.format("%Y-%m-%d %H:%M")
        )),
        Some(at) => Line::Ok(format!(
            "backups into {}, the newest of {} (UTC), every {} h, {} kept",
            shown(dir),
            at.format("%Y-%m-%d %H:%M"),
            config.backup_every_hours,
            config.backup_keep
        )),
    }
}

/// The master key: there, private, outside the data and on another disk.
fn master_key(key: &Path, data: &Path) -> Vec<Line> {
    let mut lines = Vec::new();
    if !key.exists() {
        lines.push(Line::Error(format!(
            "master key {} is missing: restore it from its backup, or for a new bot run `ak-jurok keygen {}`",
            shown(key),
            shown(key)
        )));
    } else if let Err(e) = crypto::check_private(key, "key file (AKJ_KEY_FILE)")
        .and_then(|()| crypto::check_key_outside(key, data))
    {
        lines.push(Line::Error(e.to_string()));
    } else {
        lines.push(Line::Ok(format!("master key {}", shown(key))));
        if device_of(key).is_some() && device_of(key) == device_of(data) {
            lines.push(Line::Warning(format!(
                "the master key shares a file system with the data ({}): keep it on another disk, or give it through systemd's LoadCredentialEncrypted",
                shown(data)
            )));
        }
    }
    lines
}

/// The staff: someone to take a request, someone on call, someone who speaks
/// each of the bot's `languages`.
fn staff(config: &Config, languages: &[String]) -> Vec<Line> {
    let mut lines = Vec::new();
    match config.staff_members() {
        Err(e) => lines.push(Line::Error(e.to_string())),
        Ok(staff) if staff.is_empty() => lines.push(Line::Warning(
            "no staff configured ([[staff]] or AKJ_STAFF_IDS): nobody can take a request".into(),
        )),
        Ok(staff) => {
            lines.push(Line::Ok(format!("{} staff member(s)", staff.len())));
            if !staff.iter().any(|m| m.on_call) {
                lines.push(Line::Warning(
                    "nobody is on call (on_call = true): when nobody is on duty, danger alerts go only to the staff chat".into(),
                ));
            }
            for lang in languages {
                if !staff.iter().any(|m| m.languages.contains(lang)) {
                    lines.push(Line::Warning(format!(
                        "nobody on staff speaks {lang} (languages = [...]): a woman who writes in it is told a specialist may answer in another language"
                    )));
                }
            }
        }
    }
    lines
}

/// The database, when it can be opened (the bot stopped, key and keyring in
/// place): the keyring it accepts, and its records, queue and counters agree.
fn database(config: &Config) -> Vec<Line> {
    let (key, ring) = (config.key_file(), config.keyring_file());
    if !config.data_dir.join("db").exists() || !key.exists() || !ring.exists() {
        return Vec::new();
    }
    let keys = match crypto::Keys::load_or_create(&key) {
        Ok(keys) => std::sync::Arc::new(keys),
        Err(_) => return Vec::new(),
    };
    match Store::open(&config.data_dir, &ring, 1, keys) {
        Err(StoreError::Locked { .. }) => vec![Line::Warning(
            "the database is in use (the bot runs): its records were not checked".into(),
        )],
        Err(e) => vec![Line::Error(e.to_string())],
        Ok(store) => match store.verify() {
            Ok(problems) if problems.is_empty() => vec![Line::Ok(format!(
                "database: {} request(s); queue, codes and counters agree",
                store.all_records().map(|r| r.len()).unwrap_or(0)
            ))],
            Ok(problems) => problems
                .into_iter()
                .map(|p| Line::Error(format!("database: {p}")))
                .collect(),
            Err(e) => vec![Line::Error(e.to_string())],
        },
    }
}

/// How updates arrive: long polling, or a webhook whose URL Telegram accepts
/// and whose listening address is free and on this machine.
fn webhook(config: &Config) -> Vec<Line> {
    let url = match config.webhook() {
        Err(e) => return vec![Line::Error(e.to_string())],
        Ok(None) => {
            return vec![Line::Ok(
                "updates by long polling (no webhook_url or --webhook)".into(),
            )]
        }
        Ok(Some(url)) => url,
    };
    let listen = config.webhook_listen;
    let mut lines = vec![Line::Ok(format!(
        "webhook {url}, forwarded by the reverse proxy to {listen}"
    ))];
    if std::net::TcpListener::bind(listen).is_err() {
        lines.push(Line::Warning(format!(
            "{listen} is taken: another program (or the running bot) listens there; choose another with --listen or webhook_listen"
        )));
    }
    if !listen.ip().is_loopback() {
        lines.push(Line::Warning(format!(
            "the bot would listen on {listen}, reachable beyond this machine: listen on 127.0.0.1 behind the reverse proxy"
        )));
    }
    lines
}

/// The staff chat: set, a group, and one the bot is in (its id is never shown).
async fn staff_chat(bot: &Bot, config: &Config) -> Line {
    let Some(id) = config.staff_chat else {
        return Line::Warning(
            "no staff chat (staff_chat): new requests and alerts nobody could take reach nobody"
                .into(),
        );
    };
    match bot.get_chat(ChatId(id)).await {
        Ok(chat) if chat.is_group() || chat.is_supergroup() => {
            Line::Ok("staff chat: a group the bot is in".into())
        }
        Ok(_) => Line::Error(
            "staff_chat is not a group: give the staff group's id (a negative number)".into(),
        ),
        Err(_) => Line::Error(
            "staff chat: the bot cannot see it; add the bot to the staff group, and check staff_chat".into(),
        ),
    }
}

/// Telegram: the token (getMe) and the staff who never started the bot.
pub async fn telegram(config: &Config) -> Vec<Line> {
    let mut lines = Vec::new();
    let bot = match crate::telegram::bot(config) {
        Ok(bot) => bot,
        Err(e) => {
            lines.push(Line::Error(e.to_string()));
            return lines;
        }
    };
    match bot.get_me().await {
        Ok(me) => lines.push(Line::Ok(format!(
            "token: the Bot API answers as @{}",
            me.username()
        ))),
        Err(teloxide::RequestError::Api(teloxide::ApiError::InvalidToken)) => {
            lines.push(Line::Error(
                "token: Telegram refused it; copy the token again from @BotFather into TELOXIDE_TOKEN".into(),
            ));
            return lines;
        }
        Err(teloxide::RequestError::Network(_) | teloxide::RequestError::Io(_)) => {
            lines.push(Line::Error(
                "token: the Bot API cannot be reached (network); check this server's connection, its firewall, and TELOXIDE_API_URL".into(),
            ));
            return lines;
        }
        Err(_) => {
            lines.push(Line::Error(
                "token: the Bot API answered with an error; check TELOXIDE_TOKEN (from @BotFather) and TELOXIDE_API_URL".into(),
            ));
            return lines;
        }
    }
    lines.push(staff_chat(&bot, config).await);
    // What Telegram does with updates now, against what a start would do.
    if let Ok(info) = bot.get_webhook_info().await {
        match (config.webhook().ok().flatten(), &info.url) {
            (None, Some(set)) => lines.push(Line::Warning(format!(
                "Telegram posts updates to the webhook {set}: a start in long polling mode removes it"
            ))),
            (Some(ours), Some(set)) if &ours != set => lines.push(Line::Warning(format!(
                "Telegram posts updates to {set}; a start sets {ours} instead"
            ))),
            _ => {}
        }
        if let (Some(_), Some(message)) = (&info.url, &info.last_error_message) {
            lines.push(Line::Warning(format!(
                "Telegram's last webhook delivery failed ({message}): check the reverse proxy and that the bot runs"
            )));
        }
    }
    for member in config.staff_members().unwrap_or_default() {
        if bot.get_chat(ChatId(member.id as i64)).await.is_err() {
            lines.push(Line::Warning(format!(
                "staff member {} has not written to the bot yet: ask them to send /start",
                member.handle
            )));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backups_line_says_whether_the_bot_writes_them_and_warns_when_the_newest_is_old() {
        let dir = tempfile::tempdir().unwrap();
        let now = chrono::Utc::now();
        let mut config = Config::default();
        assert!(
            matches!(backups(&config, now), Line::Warning(t) if t.starts_with("no backup_dir"))
        );
        config.backup_dir = Some(dir.path().join("backups"));
        assert!(matches!(backups(&config, now), Line::Ok(t) if t.contains("none yet")));
        let newest = dir.path().join("backups/ak-jurok-20260501-030000");
        std::fs::create_dir_all(&newest).unwrap();
        let at = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 5, 1, 3, 0, 0).unwrap();
        let line = backups(&config, at + chrono::Duration::hours(30));
        assert!(
            matches!(&line, Line::Ok(t) if t.contains("2026-05-01 03:00")),
            "{line}"
        );
        let line = backups(&config, at + chrono::Duration::hours(49));
        assert!(
            matches!(&line, Line::Warning(t) if t.contains("backup_failed")),
            "{line}"
        );
    }
}
