#![warn(clippy::too_many_lines)]

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use ak_jurok::clock::SystemClock;
use ak_jurok::config::Config;
use ak_jurok::crypto::keyring;
use ak_jurok::crypto::{self, Keys};
use ak_jurok::engine::App;
use ak_jurok::store::Store;
use ak_jurok::{demo, logging, telegram};

/// The Ak-Jurok help bot.
#[derive(Parser)]
#[command(name = "ak-jurok", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Run the bot on Telegram: long polling, or a webhook with --webhook.
    Run {
        /// TOML configuration file; environment variables override it.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Allow TELOXIDE_API_URL to be plain http on another machine (a
        /// self-hosted Bot API server on a private network).
        #[arg(long)]
        allow_plain_http_api: bool,
        /// Serve counts (Prometheus text) at /metrics and /healthz on ADDR,
        /// e.g. 127.0.0.1:9090. Off by default.
        #[arg(long, value_name = "ADDR")]
        metrics: Option<std::net::SocketAddr>,
        /// Webhook mode: the public https URL (port 443, 80, 88 or 8443) that a
        /// reverse proxy forwards to --listen. Long polling without it.
        #[arg(long, value_name = "URL")]
        webhook: Option<String>,
        /// Where to listen for the proxy's requests in webhook mode (default
        /// 127.0.0.1:8443).
        #[arg(long, value_name = "ADDR", requires = "webhook")]
        listen: Option<std::net::SocketAddr>,
    },
    /// Walk the conversation in this terminal; no Telegram needed.
    Demo {
        /// Language preselected as if Telegram had said it (ky, ru).
        #[arg(long)]
        lang: Option<String>,
        /// Data directory; by default a fresh temporary one, removed at exit.
        #[arg(long)]
        data_dir: Option<PathBuf>,
        /// TOML configuration file, for the center's details.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Allow --data-dir to name a folder that already holds a bot's data
        /// (the demo's requests then go into that queue).
        #[arg(long)]
        i_know_this_is_live: bool,
    },
    /// Offline, with the bot stopped: print the audit log (who claimed,
    /// released, closed which request, duty and shelter changes).
    Audit {
        /// TOML configuration file; environment variables override it.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Only lines from this day on (YYYY-MM-DD, UTC).
        #[arg(long)]
        since: Option<chrono::NaiveDate>,
    },
    /// Everything a start needs, without starting: configuration, key, keyring,
    /// data folder, token, staff. One line each, ✓ or what to fix; exits
    /// non-zero on any error.
    Check {
        /// TOML configuration file; environment variables override it.
        #[arg(long)]
        config: Option<PathBuf>,
        /// The webhook URL `run --webhook` would use.
        #[arg(long, value_name = "URL")]
        webhook: Option<String>,
        /// The address `run --listen` would use.
        #[arg(long, value_name = "ADDR", requires = "webhook")]
        listen: Option<std::net::SocketAddr>,
    },
    /// For native reviewers: every screen she can reach, with its buttons, and
    /// every message with sample values, the message id beside each text, in one
    /// HTML file — one language, or all side by side.
    Screens {
        /// Only this language (ky, ru, uz); all side by side otherwise.
        #[arg(long)]
        lang: Option<String>,
        /// Where to write the HTML; standard output otherwise.
        #[arg(long)]
        out: Option<PathBuf>,
        /// TOML configuration file, for the center's details.
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Make a new master key in FILE (32 random bytes, mode 0600). Never
    /// overwrites: a lost key cannot be made again, and a replaced one makes
    /// every sealed row unreadable.
    Keygen { file: PathBuf },
    /// Offline, with the bot stopped: a fresh copy of the database into DIR (a
    /// new or empty folder), with only live values — never the key or keyring,
    /// which are backed up separately, by hand. A running bot writes its own
    /// (`backup_dir`), and one more on SIGUSR1.
    Backup {
        dir: PathBuf,
        /// TOML configuration file; environment variables override it.
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Offline, with the bot stopped: retention now (the bot also runs it hourly).
    Purge {
        /// TOML configuration file; environment variables override it.
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Offline, with the bot stopped: a year's anonymous figures (requests, not
    /// people; counts of 1-4 shown as <5), printed, and as CSV and a chart if
    /// asked. Works on a restored backup: no keyring is needed.
    Stats {
        /// TOML configuration file; environment variables override it.
        #[arg(long)]
        config: Option<PathBuf>,
        #[arg(long)]
        year: i32,
        /// Also write the quarters and the year as CSV (UTF-8 with BOM, `;`).
        #[arg(long)]
        csv: Option<PathBuf>,
        /// Also write the chart of topics as PNG.
        #[arg(long)]
        png: Option<PathBuf>,
        /// Language of the labels (ky, ru); the default language otherwise.
        #[arg(long)]
        lang: Option<String>,
    },
    /// Offline, with the bot stopped: suspend a staff member (a lost or stolen
    /// phone: answered like anyone, sent nothing) or resume them. In the audit
    /// log as `operator`. A member with `disabled = true` stays suspended.
    Staff {
        #[arg(value_enum)]
        action: StaffAction,
        /// The member's handle, as in `[[staff]]`.
        handle: String,
        /// TOML configuration file; environment variables override it.
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Offline, with the bot stopped: take a backup made by `backup` (or the
    /// older database already in the data folder, without BACKUP) as the
    /// database. Every request open in it is held out of /next and /take until
    /// a supervisor releases it (`/reopen CODE`): she may have cancelled since.
    Restore {
        backup: Option<PathBuf>,
        /// TOML configuration file; environment variables override it.
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Offline, with the bot stopped: make the database accept a keyring it
    /// refused (missing, another database's, an older copy). Open requests whose
    /// keys are gone are closed as "data lost" and their codes listed; keys that
    /// no row uses are destroyed.
    RecoverKeyring {
        /// TOML configuration file; environment variables override it.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Required: this closes requests and destroys keys.
        #[arg(long)]
        confirm: bool,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum StaffAction {
    Suspend,
    Resume,
}

fn main() -> ExitCode {
    ak_jurok::os::lean_memory();
    let cli = Cli::parse();
    ak_jurok::os::lock_down();
    // No backtraces: errors are one line that says what to fix.
    match real_main(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ak-jurok: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn real_main(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Cmd::Run {
            config,
            allow_plain_http_api,
            metrics,
            webhook,
            listen,
        } => run(config, allow_plain_http_api, metrics, webhook, listen),
        Cmd::Demo {
            lang,
            data_dir,
            config,
            i_know_this_is_live,
        } => demo(lang, data_dir, config, i_know_this_is_live),
        Cmd::RecoverKeyring { config, confirm } => recover_keyring(config, confirm),
        Cmd::Check {
            config,
            webhook,
            listen,
        } => check(config, webhook, listen),
        Cmd::Screens { lang, out, config } => screens(lang, out, config),
        Cmd::Keygen { file } => keygen(file),
        Cmd::Restore { backup, config } => restore(backup, config),
        Cmd::Backup { dir, config } => {
            let config = Config::from_env(config.as_deref())?;
            let trees = match Store::backup(&config.data_dir, &dir) {
                Err(ak_jurok::store::StoreError::Locked { path }) => {
                    anyhow::bail!(
                        "{path} is held by another ak-jurok process, most likely the running bot: ask it for a backup instead — `sudo systemctl kill -s USR1 ak-jurok` writes one into backup_dir ({}) at once, and its log says `backup_written` with the folder",
                        config.backup_dir.as_ref().map_or("not set: set it first".into(), |d| d.display().to_string())
                    )
                }
                made => made?,
            };
            println!(
                "backup: {} trees copied into {}; the key and the keyring are not in it",
                trees,
                std::path::absolute(&dir).unwrap_or(dir).display()
            );
            Ok(())
        }
        Cmd::Purge { config } => {
            let config = Config::from_env(config.as_deref())?;
            logging::init("warn")?;
            let app = App::open(config, Arc::new(SystemClock))?;
            let report = app.purge()?;
            println!(
                "purge: {} ended request(s) destroyed, {} idle conversation(s) removed, {} unused key(s) destroyed",
                report.requests, report.dialogues, report.orphans
            );
            Ok(())
        }
        Cmd::Stats {
            config,
            year,
            csv,
            png,
            lang,
        } => stats(config, year, csv, png, lang),
        Cmd::Staff {
            action,
            handle,
            config,
        } => staff(action, &handle, config),
        Cmd::Audit { config, since } => audit(config, since),
    }
}

/// `ak-jurok keygen FILE`: a new master key, never over an old one.
fn keygen(file: PathBuf) -> anyhow::Result<()> {
    if file.exists() {
        anyhow::bail!(
            "{} exists; a key is never overwritten (the data sealed under it would be lost)",
            file.display()
        );
    }
    Keys::load_or_create(&file)?;
    println!(
        "keygen: a new master key is in {} (mode 0600); keep a copy apart from the data backups",
        std::path::absolute(&file).unwrap_or(file).display()
    );
    Ok(())
}

/// `ak-jurok restore [BACKUP]`, offline: a backup (or the older database
/// already in place) taken as the database, its open requests held.
fn restore(backup: Option<PathBuf>, config: Option<PathBuf>) -> anyhow::Result<()> {
    let config = Config::from_env(config.as_deref())?;
    config.ensure_data_dir()?;
    let (key_file, ring) = (config.key_file(), config.keyring_file());
    crypto::check_key_outside(&key_file, &config.data_dir)?;
    keyring::check_outside(&ring, &config.data_dir)?;
    let keys = Arc::new(Keys::load_or_create(&key_file)?);
    let report = Store::restore(
        &config.data_dir,
        &ring,
        keys,
        backup.as_deref(),
        chrono::Utc::now(),
    )?;
    let made = report.backup_at.map_or("an unknown day".into(), |at| {
        at.format("%Y-%m-%d %H:%M UTC").to_string()
    });
    println!("restore: the database is the backup of {made}.");
    if let Some(aside) = &report.replaced {
        println!(
            "  The database it replaced was moved to {}.",
            aside.display()
        );
    }
    println!("  It brings back: the figures, the audit log, blocks, suspensions, the shelter state, and the requests open then.");
    println!("  It cannot bring back: requests made after it; requests whose keys are gone since ({} closed as data lost{}).",
        report.lost.len(),
        codes(&report.lost));
    println!("  {} open request(s) are held out of /next and /take until a supervisor checks each and releases it with /reopen CODE{}: she may have cancelled since.",
        report.held.len(),
        codes(&report.held));
    Ok(())
}

/// `: K7QX, M3PA` for a list of codes, or nothing.
fn codes(list: &[ak_jurok::domain::request::TicketCode]) -> String {
    if list.is_empty() {
        return String::new();
    }
    let joined: Vec<&str> = list.iter().map(|c| c.as_str()).collect();
    format!(": {}", joined.join(", "))
}

/// `ak-jurok audit`, offline: the lines since `since` (UTC), or that there are none.
fn audit(config: Option<PathBuf>, since: Option<chrono::NaiveDate>) -> anyhow::Result<()> {
    let config = Config::from_env(config.as_deref())?;
    let since = since
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .unwrap_or(chrono::DateTime::UNIX_EPOCH);
    let lines = Store::read_audit(&config.data_dir, since)?;
    if lines.is_empty() {
        println!("audit: no entries since {}", since.format("%Y-%m-%d"));
    }
    for line in lines {
        println!("{line}");
    }
    Ok(())
}

/// `ak-jurok staff suspend|resume HANDLE`, offline.
fn staff(action: StaffAction, handle: &str, config: Option<PathBuf>) -> anyhow::Result<()> {
    let config = Config::from_env(config.as_deref())?;
    let handle = handle.trim().to_lowercase();
    let Some(member) = config
        .staff_members()?
        .into_iter()
        .find(|m| m.handle == handle.as_str())
    else {
        anyhow::bail!("no staff member {handle} in the configuration's [[staff]]");
    };
    let suspend = matches!(action, StaffAction::Suspend);
    Store::set_suspended_offline(&config.data_dir, &handle, suspend, chrono::Utc::now())?;
    match (suspend, member.disabled) {
        (true, _) => println!(
            "staff: {handle} is suspended; start the bot again (their claims go back to the queue)"
        ),
        (false, true) => println!(
            "staff: {handle} is resumed in the database, but `disabled = true` in the configuration still suspends them"
        ),
        (false, false) => println!("staff: {handle} may work again once the bot starts"),
    }
    Ok(())
}

/// `ak-jurok run`: the bot, by polling or by webhook, until a stop signal.
fn run(
    config: Option<PathBuf>,
    allow_plain_http_api: bool,
    metrics: Option<std::net::SocketAddr>,
    webhook: Option<String>,
    listen: Option<std::net::SocketAddr>,
) -> anyhow::Result<()> {
    let mut config = Config::from_env(config.as_deref())?;
    config.allow_plain_http_api = allow_plain_http_api;
    if metrics.is_some() {
        config.metrics = metrics;
    }
    if webhook.is_some() {
        config.webhook_url = webhook;
    }
    if let Some(listen) = listen {
        config.webhook_listen = listen;
    }
    // A wrong URL is said before anything starts.
    config.webhook()?;
    let bot = telegram::bot(&config)?;
    logging::init(&config.log_level)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // Store work that waits for the disk, which does one thing at
        // a time anyway: more threads only hold more memory.
        .max_blocking_threads(16)
        .build()?;
    runtime.block_on(telegram::run(bot, config, stop_signal()))?;
    Ok(())
}

/// `ak-jurok demo`: her screens and the desk in the terminal, in a private
/// scratch folder unless told otherwise.
fn demo(
    lang: Option<String>,
    data_dir: Option<PathBuf>,
    config: Option<PathBuf>,
    i_know_this_is_live: bool,
) -> anyhow::Result<()> {
    let mut config = Config::from_env(config.as_deref())?;
    // The demo never touches the bot's real data unless told to.
    let scratch = tempfile::Builder::new()
        .prefix("ak-jurok-demo-")
        .tempdir()?;
    match data_dir {
        Some(dir) => {
            if dir.join("db").exists() && !i_know_this_is_live {
                anyhow::bail!(
                    "{} holds a bot's data, and the demo would put its requests into that queue; use an empty folder, or add --i-know-this-is-live",
                    dir.display()
                );
            }
            config.data_dir = dir;
        }
        None => {
            config.data_dir = scratch.path().join("data");
            config.key_file = Some(scratch.path().join("demo.key"));
            config.keyring_file = Some(scratch.path().join("demo.keyring"));
        }
    }
    // The terminal is the demo's screen: only warnings, unless asked.
    let level = if std::env::var_os("AKJ_LOG").is_some() {
        config.log_level.clone()
    } else {
        "warn".to_string()
    };
    logging::init(&level)?;
    // The terminal is the staff chat too: every notice is printed under whom
    // it is for, whether or not a staff chat is configured.
    config.staff_chat = config.staff_chat.or(Some(0));
    // The demo's time moves only with `:wait`, through every timer due.
    let clock = Arc::new(ak_jurok::clock::ManualClock::new(chrono::Utc::now()));
    let app = App::open(config, clock.clone())?;
    let stdin = std::io::stdin();
    let result = demo::run(
        &app,
        &clock,
        lang.as_deref(),
        stdin.lock(),
        std::io::stdout(),
    );
    drop(app);
    drop(scratch);
    Ok(result?)
}

/// `ak-jurok check`: what a start needs, one line each, without starting.
fn check(
    file: Option<PathBuf>,
    webhook: Option<String>,
    listen: Option<std::net::SocketAddr>,
) -> anyhow::Result<()> {
    let mut config = Config::from_env(file.as_deref())?;
    if webhook.is_some() {
        config.webhook_url = webhook;
    }
    if let Some(listen) = listen {
        config.webhook_listen = listen;
    }
    let mut lines = ak_jurok::check::local(&config, file.as_ref());
    let runtime = tokio::runtime::Runtime::new()?;
    lines.extend(runtime.block_on(ak_jurok::check::telegram(&config)));
    for line in &lines {
        println!("{line}");
    }
    let errors = lines
        .iter()
        .filter(|l| matches!(l, ak_jurok::check::Line::Error(_)))
        .count();
    if errors > 0 {
        anyhow::bail!("{errors} problem(s) to fix before the bot can start");
    }
    Ok(())
}

/// `ak-jurok screens`: every screen and message, for a native reader.
fn screens(
    lang: Option<String>,
    out: Option<PathBuf>,
    config: Option<PathBuf>,
) -> anyhow::Result<()> {
    let config = Config::from_env(config.as_deref())?;
    let locales = match &config.locales_dir {
        Some(dir) => ak_jurok::i18n::Locales::load(dir, &config.default_language)?,
        None => ak_jurok::i18n::Locales::embedded(&config.default_language)?,
    };
    let langs = match lang {
        Some(lang) if locales.has(&lang) => vec![lang],
        Some(lang) => anyhow::bail!(
            "the bot has no language {lang:?}; use one of {:?}",
            locales.codes()
        ),
        None => locales.codes(),
    };
    let html = ak_jurok::screens::html(&locales, &config.center, &langs, chrono::Utc::now());
    match out {
        Some(path) => {
            std::fs::write(&path, html)?;
            println!("screens: written to {}", path.display());
        }
        None => print!("{html}"),
    }
    Ok(())
}

fn stats(
    config: Option<PathBuf>,
    year: i32,
    csv: Option<PathBuf>,
    png: Option<PathBuf>,
    lang: Option<String>,
) -> anyhow::Result<()> {
    use ak_jurok::domain::report::{self, Period, Table};
    use ak_jurok::i18n::text::{self, Text};
    let config = Config::from_env(config.as_deref())?;
    let locales = match &config.locales_dir {
        Some(dir) => ak_jurok::i18n::Locales::load(dir, &config.default_language)?,
        None => ak_jurok::i18n::Locales::embedded(&config.default_language)?,
    };
    let lang = match lang {
        Some(lang) if locales.has(&lang) => lang,
        Some(lang) => anyhow::bail!(
            "the bot has no language {lang:?}; use one of {:?}",
            locales.codes()
        ),
        None => locales.default_code().to_string(),
    };
    let counters = Store::read_counters(&config.data_dir, ak_jurok::counter::STATS)?;
    config.outcome.validate_labels(&locales)?;
    let center = &config.outcome.categories;
    let figures = |period| {
        Table::of(period, center, |key| {
            counters.get(key).copied().unwrap_or(0)
        })
    };
    let say = |id| locales.format(&lang, &Text::new(id));
    // Completed quarters and years only, as the bot publishes them.
    let periods = Period::published(year, true, true, chrono::Utc::now());
    let Some(&period) = periods.last() else {
        let none = Text::new(text::REPORT_NONE_YET).arg("year", i64::from(year));
        anyhow::bail!("{}", locales.format(&lang, &none));
    };
    let tables: Vec<Table> = periods.iter().copied().map(figures).collect();
    for table in &tables {
        let title = Text::new(text::REPORT_TITLE).arg("period", table.period.name());
        println!("{}", locales.format(&lang, &title));
        for line in report::lines(table, &say) {
            println!("{line}");
        }
    }
    let table = figures(period);
    if let Some(path) = csv {
        std::fs::write(&path, report::csv::csv(&tables, &say))?;
        println!("(CSV written to {})", path.display());
    }
    if let Some(path) = png {
        let row = &table.rows[0];
        let labels: Vec<String> = row
            .dimension
            .categories
            .iter()
            .map(|(_, l)| say(*l))
            .collect();
        let title = Text::new(text::REPORT_CHART_TITLE).arg("period", period.name());
        std::fs::write(
            &path,
            report::chart::png(row, &locales.format(&lang, &title), &labels)?,
        )?;
        println!("(chart written to {})", path.display());
    }
    Ok(())
}

fn recover_keyring(config: Option<PathBuf>, confirm: bool) -> anyhow::Result<()> {
    let config = Config::from_env(config.as_deref())?;
    if !confirm {
        anyhow::bail!(
            "recover-keyring closes every open request whose key is lost and destroys keys that no row uses; stop the bot, then run it again with --confirm"
        );
    }
    config.ensure_data_dir()?;
    let (key_file, ring) = (config.key_file(), config.keyring_file());
    crypto::check_key_outside(&key_file, &config.data_dir)?;
    keyring::check_outside(&ring, &config.data_dir)?;
    if !key_file.exists() {
        anyhow::bail!(
            "key file {} is missing; restore it from your key backup (AKJ_KEY_FILE) first",
            key_file.display()
        );
    }
    let keys = Arc::new(Keys::load_or_create(&key_file)?);
    let report = Store::recover(
        &config.data_dir,
        &ring,
        config.sled_cache_mb,
        keys,
        chrono::Utc::now(),
    )?;
    println!(
        "recover-keyring: {} open request(s) closed as data lost{}",
        report.lost.len(),
        if report.lost.is_empty() {
            String::new()
        } else {
            format!(" (tell staff: {})", report.lost.join(", "))
        }
    );
    println!(
        "recover-keyring: {} unreadable conversation(s) dropped, {} unused key(s) destroyed",
        report.dialogues_dropped, report.keys_destroyed
    );
    println!(
        "recover-keyring: the database now uses the keyring {}",
        ring.display()
    );
    Ok(())
}

/// Ctrl-C, or SIGTERM from a service manager: either stops the bot cleanly.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
