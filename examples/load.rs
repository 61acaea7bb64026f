//! The load benchmark: the bot (`ak-jurok run`, a child process) and a bare
//! teloxide bot making the same calls (`examples/ceiling.rs`, the ceiling),
//! each driven in turn through the fake Bot API in bench mode on loopback by the
//! same simulated users, and measured from outside through `/proc`.
//!
//! ```sh
//! cargo run --release --example load                 # 1,000 users, 10,000 mid-dialogue
//! cargo run --release --example load -- --help
//! ```
//!
//! It first builds the bot and the ceiling in its own profile (through the
//! `cargo` that runs it), then for each: starts it on a fresh data folder, lets
//! `--users` women walk whole journeys (first contact, language, menu, help,
//! shelter, the wizard to *Send*, *My request*, Hide, Erase) with a random pause
//! between steps, while two staff members take and close the requests; and
//! prints updates per second, latency p50/p99 per kind of update, CPU time per
//! update and peak resident memory, then the bot's figures over the ceiling's.
//! Last, the bot alone with `--mid-dialogue` women stopped halfway through the
//! wizard: its peak resident memory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ak_jurok::conversation::{Action, WizardAction};
use ak_jurok::desk::DeskAction;
use ak_jurok::domain::request::{ContactMethod, SafeTime, Urgency};
use ak_jurok::ui::button_data::{self, Pressed};
use clap::Parser;
use fake_bot_api::{FakeBotApi, FakeUser};
use rand::Rng;

#[derive(Parser, Clone)]
#[command(about = "Load benchmark: the bot against a bare teloxide bot, through the fake Bot API")]
struct Args {
    /// Women walking whole journeys at once.
    #[arg(long, default_value_t = 1000)]
    users: u64,
    /// Mean pause between two of her steps, in milliseconds (uniform, 0 to twice this).
    #[arg(long, default_value_t = 1000)]
    think_ms: u64,
    /// Women left in the middle of the wizard for the memory figure (0: skip).
    #[arg(long, default_value_t = 10_000)]
    mid_dialogue: u64,
    /// Their mean pause between steps, in milliseconds: long enough that the
    /// bots are not saturated (teloxide keeps a worker per chat while it is busy).
    #[arg(long, default_value_t = 10_000)]
    mid_think_ms: u64,
    /// Runs of each bot; the figures are the medians.
    #[arg(long, default_value_t = 1)]
    runs: usize,
    /// Where the data folders go (a real disk, not tmpfs, for real fsyncs).
    #[arg(long)]
    data: Option<PathBuf>,
    /// Do not build the bot and the ceiling first.
    #[arg(long)]
    no_build: bool,
    /// Run this `ak-jurok` binary instead (a build with debug info, to profile).
    #[arg(long)]
    bot: Option<PathBuf>,
    /// Only the memory figure, of the bot alone (to compare two builds with
    /// `--bot`: the figure varies by a few MiB from run to run).
    #[arg(long)]
    memory_only: bool,
}

/// Telegram's limits in the benchmark: large but finite, the same for both bots.
const PER_CHAT_PER_SEC: u32 = 1000;
const PER_CHAT_PER_MIN: u32 = 60_000;
const PER_GROUP_PER_MIN: u32 = 60_000;
const OVERALL_PER_SEC: u32 = 100_000;

const STAFF: [u64; 2] = [5_550_700_001, 5_550_700_002];
const STAFF_CHAT: i64 = -1_005_550_700_099;
const FIRST_WOMAN: u64 = 5_551_000_000;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Kind {
    /// Her first message: her keyring entry is written (fsync).
    FirstContact,
    Text,
    Button,
    /// The wizard's Send: the request is flushed before she is told.
    Send,
    /// Erase confirmed: her keys are destroyed (fsync).
    Erase,
    /// A staff member's /next that gave a card (the claim is flushed).
    Claim,
    /// A staff member's Save on the outcome form (flushed).
    Close,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::FirstContact => "first contact",
            Kind::Text => "text",
            Kind::Button => "button",
            Kind::Send => "Send (flush)",
            Kind::Erase => "Erase (key destroyed)",
            Kind::Claim => "staff /next (claim)",
            Kind::Close => "staff Save (close)",
        }
    }

    fn needs_fsync(self) -> bool {
        !matches!(self, Kind::Text | Kind::Button)
    }
}

/// One step of hers: what she sends, and its kind.
enum Step {
    Say(&'static str, Kind),
    /// A press of the button whose action satisfies the test.
    Press(fn(&Action) -> bool, Kind),
    /// A staff member's press, likewise.
    PressDesk(fn(&DeskAction) -> bool, Kind),
}

/// Her whole journey.
fn journey() -> Vec<Step> {
    use Kind::*;
    use Step::*;
    vec![
        Say("/start", FirstContact),
        Press(|a| matches!(a, Action::SetLanguage(l) if l == "ru"), Button),
        Press(|a| matches!(a, Action::Continue), Button),
        Press(|a| matches!(a, Action::HelpTopics), Button),
        Press(|a| matches!(a, Action::Topic(_)), Button),
        Press(|a| matches!(a, Action::Menu), Button),
        Press(|a| matches!(a, Action::Shelter), Button),
        Press(|a| matches!(a, Action::Menu), Button),
        Press(|a| matches!(a, Action::RequestCallback(_)), Button),
        Press(
            |a| matches!(a, Action::Wizard(WizardAction::Topic(_))),
            Button,
        ),
        Press(
            |a| matches!(a, Action::Wizard(WizardAction::Urgency(Urgency::WithinDay))),
            Button,
        ),
        Press(
            |a| {
                matches!(
                    a,
                    Action::Wizard(WizardAction::Contact(ContactMethod::Call))
                )
            },
            Button,
        ),
        Say("0700 123 456", Text),
        Press(
            |a| matches!(a, Action::Wizard(WizardAction::SafeTime(SafeTime::Any))),
            Button,
        ),
        Press(
            |a| matches!(a, Action::Wizard(WizardAction::IfOther(_))),
            Button,
        ),
        Say("sunflower", Text),
        Press(|a| matches!(a, Action::Wizard(WizardAction::Skip)), Button),
        Press(|a| matches!(a, Action::Wizard(WizardAction::Send)), Send),
        Say("/menu", Text),
        Press(|a| matches!(a, Action::MyRequest), Button),
        Press(|a| matches!(a, Action::Hide), Button),
        Say("/menu", Text),
        Press(|a| matches!(a, Action::Erase), Button),
        Press(
            |a| {
                matches!(
                    a,
                    Action::ConfirmErase {
                        cancel_request: false
                    }
                )
            },
            Erase,
        ),
    ]
}

/// How far the memory run takes each woman: into the wizard, her draft unsent.
const MID_DIALOGUE_STEPS: usize = 12;

#[derive(Clone, Copy, PartialEq)]
enum Target {
    Bot,
    Ceiling,
}

impl Target {
    fn name(self) -> &'static str {
        match self {
            Target::Bot => "ak-jurok",
            Target::Ceiling => "ceiling",
        }
    }
}

/// What one run measured.
#[derive(Default)]
struct Figures {
    updates: u64,
    seconds: f64,
    cpu_seconds: f64,
    peak_rss_kib: u64,
    latencies: BTreeMap<Kind, Vec<Duration>>,
    calls: BTreeMap<String, u64>,
    failed: usize,
    start_seconds: f64,
}

impl Figures {
    fn per_second(&self) -> f64 {
        self.updates as f64 / self.seconds
    }

    fn cpu_per_update_us(&self) -> f64 {
        self.cpu_seconds * 1e6 / self.updates.max(1) as f64
    }

    fn calls_per_update(&self) -> f64 {
        let counted: u64 = self
            .calls
            .iter()
            .filter(|(m, _)| m.as_str() != "getUpdates")
            .map(|(_, n)| n)
            .sum();
        counted as f64 / self.updates.max(1) as f64
    }

    /// Latencies of the updates that need no fsync.
    fn no_fsync(&self) -> Vec<Duration> {
        self.latencies
            .iter()
            .filter(|(k, _)| !k.needs_fsync())
            .flat_map(|(_, v)| v.iter().copied())
            .collect()
    }
}

fn percentile(values: &[Duration], p: f64) -> Duration {
    if values.is_empty() {
        return Duration::ZERO;
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1e3)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or_default()
}

// --- the child process, from outside ---

/// CPU seconds (user + system, all threads) of `pid`, from `/proc/<pid>/stat`.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces) in parentheses.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |n: usize| {
        fields
            .get(n)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15; `rest` starts at field 3.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
    (ticks(11) + ticks(12)) as f64 / per_second
}

/// A line of `/proc/<pid>/status` in KiB (`VmHWM`: peak resident memory).
fn status_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// The file system `path` is on.
fn file_system(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c_path) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return "unknown".into();
    };
    let mut stat: libc::statfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statfs(c_path.as_ptr(), &mut stat) } != 0 {
        return "unknown".into();
    }
    match stat.f_type as i64 {
        0xEF53 => "ext4".into(),
        0x0102_1994 => "tmpfs (no real fsync!)".into(),
        0x5846_5342 => "xfs".into(),
        0x9123_683E => "btrfs".into(),
        other => format!("type {other:#x}"),
    }
}

/// The median time of a 4 KiB write and `fdatasync` in `dir`.
fn fsync_time(dir: &Path) -> Duration {
    use std::io::Write;
    let path = dir.join("fsync-probe");
    let mut file = std::fs::File::create(&path).expect("probe file");
    let mut times: Vec<Duration> = (0..50)
        .map(|_| {
            let start = Instant::now();
            file.write_all(&[7u8; 4096]).expect("probe write");
            file.sync_data().expect("probe fsync");
            start.elapsed()
        })
        .collect();
    let _ = std::fs::remove_file(path);
    times.sort_unstable();
    times[times.len() / 2]
}

struct Binaries {
    bot: PathBuf,
    ceiling: PathBuf,
}

/// The bot and the ceiling, built in this example's profile when cargo runs it.
fn binaries(args: &Args) -> Binaries {
    let examples = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf))
        .expect("the example's folder");
    let profile_dir = examples.parent().expect("the profile's folder").to_owned();
    let release = profile_dir.file_name().is_some_and(|n| n == "release");
    if !release {
        eprintln!(
            "note: not a release build; figures mean little (cargo run --release --example load)"
        );
    }
    if let (false, Ok(cargo)) = (args.no_build, std::env::var("CARGO")) {
        let mut build = Command::new(cargo);
        build.args(["build", "--bin", "ak-jurok", "--example", "ceiling"]);
        // What `cargo run` set for this example: left in, it changes what build
        // scripts see, and the two builds would undo each other each time.
        for (name, _) in std::env::vars_os() {
            let name = name.to_string_lossy();
            let set_by_run = name.starts_with("CARGO_PKG_")
                || name.starts_with("CARGO_MANIFEST_")
                || matches!(
                    name.as_ref(),
                    "CARGO_CRATE_NAME"
                        | "CARGO_BIN_NAME"
                        | "CARGO_PRIMARY_PACKAGE"
                        | "CARGO_RUSTC_CURRENT_DIR"
                        | "OUT_DIR"
                );
            if set_by_run {
                build.env_remove(name.as_ref());
            }
        }
        if release {
            build.arg("--release");
        }
        let status = build.status().expect("cargo build");
        assert!(status.success(), "building the bot and the ceiling failed");
    }
    Binaries {
        bot: args
            .bot
            .clone()
            .unwrap_or_else(|| profile_dir.join("ak-jurok")),
        ceiling: examples.join("ceiling"),
    }
}

fn bot_config(dir: &Path) -> PathBuf {
    let file = dir.join("bench.toml");
    let staff: String = STAFF
        .iter()
        .enumerate()
        .map(|(n, id)| {
            format!(
                "[[staff]]\nid = {id}\nhandle = \"s{n}\"\nname = \"S{n}\"\nlanguages = [\"ru\"]\n"
            )
        })
        .collect();
    // The center's clock at 14:xx whatever the hour, so every contact window is
    // open and the staff can take every request.
    let hour = chrono::Timelike::hour(&chrono::Utc::now()) as i32;
    std::fs::write(
        &file,
        format!(
            "# The per-person flood limit off, as the benchmark asks.\n\
             flood_burst = 1000000\n\
             staff_chat = {STAFF_CHAT}\n\
             [contact_windows]\nutc_offset_hours = {}\n\
             [telegram_limits]\nper_chat_per_sec = {PER_CHAT_PER_SEC}\n\
             per_chat_per_min = {PER_CHAT_PER_MIN}\nper_group_per_min = {PER_GROUP_PER_MIN}\n\
             overall_per_sec = {OVERALL_PER_SEC}\n{staff}",
            14 - hour
        ),
    )
    .expect("bench config");
    file
}

fn spawn(target: Target, binaries: &Binaries, api: &FakeBotApi, dir: &Path) -> Child {
    let mut command = match target {
        Target::Bot => {
            let mut command = Command::new(&binaries.bot);
            command
                .arg("run")
                .arg("--config")
                .arg(bot_config(dir))
                .env("AKJ_DATA_DIR", dir.join("data"))
                .env("AKJ_KEY_FILE", dir.join("master.key"))
                .env("AKJ_KEYRING", dir.join("ak-jurok.keyring"));
            command
        }
        Target::Ceiling => {
            let mut command = Command::new(&binaries.ceiling);
            command.args([
                format!("--per-chat-per-sec={PER_CHAT_PER_SEC}"),
                format!("--per-chat-per-min={PER_CHAT_PER_MIN}"),
                format!("--per-group-per-min={PER_GROUP_PER_MIN}"),
                format!("--overall-per-sec={OVERALL_PER_SEC}"),
            ]);
            command
        }
    };
    command
        .env("TELOXIDE_TOKEN", "42:BENCH")
        .env("TELOXIDE_API_URL", api.url())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("starting {}: {e}", target.name()))
}

/// Waits until the child polls for updates; how long that took.
async fn ready(api: &FakeBotApi, started: Instant) -> f64 {
    while api.counts().get("getUpdates").copied().unwrap_or(0) == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the bot did not start"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    started.elapsed().as_secs_f64()
}

fn stop(mut child: Child) {
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}

// --- the simulated people ---

/// What every simulated person shares: the latencies, and the count of updates.
#[derive(Default)]
struct Book {
    latencies: Mutex<BTreeMap<Kind, Vec<Duration>>>,
    updates: AtomicUsize,
    failed: AtomicUsize,
}

impl Book {
    fn record(&self, kind: Kind, latency: Option<Duration>) -> bool {
        self.updates.fetch_add(1, Ordering::Relaxed);
        match latency {
            Some(latency) => {
                let mut latencies = self.latencies.lock().unwrap_or_else(|e| e.into_inner());
                latencies.entry(kind).or_default().push(latency);
                true
            }
            None => {
                self.failed.fetch_add(1, Ordering::Relaxed);
                false
            }
        }
    }
}

/// The newest button of hers that does what `wanted` says (the bot's), or the
/// ceiling's one button; a moment's patience for a second message.
async fn button(
    user: &FakeUser,
    target: Target,
    wanted: &(dyn Fn(&Pressed) -> bool + Sync),
) -> Option<(i64, String)> {
    for _ in 0..100 {
        let found = user.find_button(|data| match target {
            Target::Ceiling => true,
            Target::Bot => button_data::decode(data).is_some_and(|p| wanted(&p)),
        });
        if found.is_some() {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    None
}

/// One update from `user`, timed: true if it was answered.
async fn step(user: &FakeUser, target: Target, step: &Step, book: &Book) -> bool {
    match step {
        Step::Say(text, kind) => {
            let latency = user.answered(|u| u.send_text(text)).await;
            book.record(*kind, latency)
        }
        Step::Press(wanted, kind) => {
            let hers = |p: &Pressed| matches!(p, Pressed::Her(a) if wanted(a));
            press(user, target, &hers, *kind, book).await
        }
        Step::PressDesk(wanted, kind) => {
            let desk = |p: &Pressed| matches!(p, Pressed::Desk(a) if wanted(a));
            press(user, target, &desk, *kind, book).await
        }
    }
}

/// Presses the button that `wanted` picks, and records how long the answer took.
async fn press(
    user: &FakeUser,
    target: Target,
    wanted: &(dyn Fn(&Pressed) -> bool + Sync),
    kind: Kind,
    book: &Book,
) -> bool {
    let Some((message, data)) = button(user, target, wanted).await else {
        book.failed.fetch_add(1, Ordering::Relaxed);
        return false;
    };
    let latency = user.answered(|u| u.press_data(message, &data)).await;
    book.record(kind, latency)
}

async fn woman(user: FakeUser, target: Target, steps: usize, think_ms: u64, book: Arc<Book>) {
    // A pause before each step, the first too: not everyone starts at once.
    for next in journey().iter().take(steps) {
        if think_ms > 0 {
            let pause = rand::thread_rng().gen_range(0..=2 * think_ms);
            tokio::time::sleep(Duration::from_millis(pause)).await;
        }
        if !step(&user, target, next, &book).await {
            return;
        }
    }
}

/// How often a staff member takes the next request: the bot allows six claims
/// a minute per person (`CLAIMS_PER_MINUTE`), a person rarely does more.
const STAFF_PAUSE: Duration = Duration::from_secs(10);

/// A staff member, while the women walk: takes the next request and closes it,
/// then pauses.
async fn staff(user: FakeUser, target: Target, women_done: Arc<AtomicBool>, book: Arc<Book>) {
    let card = |a: &DeskAction| matches!(a, DeskAction::Form(..));
    let save = |a: &DeskAction| matches!(a, DeskAction::Save(..));
    // The first request is there after the first journeys reach Send.
    let mut pause = STAFF_PAUSE;
    loop {
        let resume = Instant::now() + pause;
        while Instant::now() < resume {
            if women_done.load(Ordering::Relaxed) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        pause = STAFF_PAUSE;
        let latency = user.answered(|u| u.send_text("/next")).await;
        let got_card = match target {
            Target::Ceiling => true,
            Target::Bot => user
                .find_button(|d| {
                    button_data::decode(d)
                        .is_some_and(|p| matches!(p, Pressed::Desk(a) if card(&a)))
                })
                .is_some(),
        };
        book.record(if got_card { Kind::Claim } else { Kind::Text }, latency);
        if !got_card {
            continue;
        }
        for (wanted, kind) in [
            (card as fn(&DeskAction) -> bool, Kind::Button),
            (save, Kind::Close),
        ] {
            if !step(&user, target, &Step::PressDesk(wanted, kind), &book).await {
                break;
            }
        }
    }
}

/// One run of one bot: `women` walking `steps` of the journey, staff at the
/// desk when `desk`.
async fn run(
    target: Target,
    binaries: &Binaries,
    data: &Path,
    women: u64,
    steps: usize,
    think_ms: u64,
    desk: bool,
) -> Figures {
    let api = FakeBotApi::start_bench().await;
    let dir = tempfile::tempdir_in(data).expect("data folder");
    let started = Instant::now();
    let child = spawn(target, binaries, &api, dir.path());
    let pid = child.id();
    let start_seconds = ready(&api, started).await;
    let calls_before = api.counts();
    let book = Arc::new(Book::default());
    let cpu_before = cpu_seconds(pid);
    let clock = Instant::now();
    let women_done = Arc::new(AtomicBool::new(false));
    let desks: Vec<_> = STAFF
        .iter()
        .filter(|_| desk)
        .map(|id| {
            tokio::spawn(staff(
                api.user(*id),
                target,
                women_done.clone(),
                book.clone(),
            ))
        })
        .collect();
    let walking: Vec<_> = (0..women)
        .map(|n| {
            let user = api.user(FIRST_WOMAN + n).language("ru");
            tokio::spawn(woman(user, target, steps, think_ms, book.clone()))
        })
        .collect();
    for walk in walking {
        let _ = walk.await;
    }
    women_done.store(true, Ordering::Relaxed);
    for desk in desks {
        let _ = desk.await;
    }
    let seconds = clock.elapsed().as_secs_f64();
    let cpu_seconds = cpu_seconds(pid) - cpu_before;
    let peak_rss_kib = status_kib(pid, "VmHWM");
    stop(child);
    let mut calls = api.counts();
    for (method, before) in calls_before {
        if let Some(n) = calls.get_mut(&method) {
            *n -= before;
        }
    }
    let book = Arc::into_inner(book).expect("every person is done");
    Figures {
        updates: book.updates.load(Ordering::Relaxed) as u64,
        seconds,
        cpu_seconds,
        peak_rss_kib,
        latencies: book.latencies.into_inner().unwrap_or_default(),
        calls,
        failed: book.failed.load(Ordering::Relaxed),
        start_seconds,
    }
}

fn report(target: Target, figures: &Figures) {
    println!(
        "\n{}: {} updates in {:.1} s ({:.0}/s), start {:.2} s, CPU {:.2} s = {:.0} µs/update, peak RSS {:.1} MiB, {:.2} calls/update, {} unanswered",
        target.name(),
        figures.updates,
        figures.seconds,
        figures.per_second(),
        figures.start_seconds,
        figures.cpu_seconds,
        figures.cpu_per_update_us(),
        figures.peak_rss_kib as f64 / 1024.0,
        figures.calls_per_update(),
        figures.failed,
    );
    println!(
        "  {:<24} {:>7} {:>9} {:>9}",
        "kind", "count", "p50 ms", "p99 ms"
    );
    for (kind, values) in &figures.latencies {
        println!(
            "  {:<24} {:>7} {:>9} {:>9}",
            kind.name(),
            values.len(),
            ms(percentile(values, 0.5)),
            ms(percentile(values, 0.99))
        );
    }
    let quick = figures.no_fsync();
    println!(
        "  {:<24} {:>7} {:>9} {:>9}",
        "all without fsync",
        quick.len(),
        ms(percentile(&quick, 0.5)),
        ms(percentile(&quick, 0.99))
    );
    let calls: Vec<String> = figures
        .calls
        .iter()
        .map(|(m, n)| format!("{m} {n}"))
        .collect();
    println!("  calls: {}", calls.join(", "));
}

fn main() {
    let args = Args::parse();
    let binaries = binaries(&args);
    let data = args.data.clone().unwrap_or_else(std::env::temp_dir);
    let runtime = tokio::runtime::Runtime::new().expect("tokio");
    println!(
        "data on {} ({}); fsync of 4 KiB there: {} ms (median of 50)",
        data.display(),
        file_system(&data),
        ms(fsync_time(&data))
    );
    println!(
        "{} women, pause between steps 0–{} ms, {} run(s) each",
        args.users,
        2 * args.think_ms,
        args.runs
    );
    if args.memory_only {
        memory(&args, &binaries, &data, &runtime, &[Target::Bot]);
        return;
    }
    let steps = journey().len();
    let mut cpu = BTreeMap::<&str, Vec<f64>>::new();
    let mut p99 = BTreeMap::<&str, Vec<f64>>::new();
    let mut p99_buttons = BTreeMap::<&str, Vec<f64>>::new();
    for run_number in 0..args.runs {
        for target in [Target::Ceiling, Target::Bot] {
            let figures = runtime.block_on(run(
                target,
                &binaries,
                &data,
                args.users,
                steps,
                args.think_ms,
                true,
            ));
            println!("\nrun {}", run_number + 1);
            report(target, &figures);
            cpu.entry(target.name())
                .or_default()
                .push(figures.cpu_per_update_us());
            p99.entry(target.name())
                .or_default()
                .push(percentile(&figures.no_fsync(), 0.99).as_secs_f64() * 1e3);
            let buttons = figures
                .latencies
                .get(&Kind::Button)
                .cloned()
                .unwrap_or_default();
            p99_buttons
                .entry(target.name())
                .or_default()
                .push(percentile(&buttons, 0.99).as_secs_f64() * 1e3);
        }
    }
    let cpu_bot = median(cpu.remove("ak-jurok").unwrap_or_default());
    let cpu_ceiling = median(cpu.remove("ceiling").unwrap_or_default());
    let p99_bot = median(p99.remove("ak-jurok").unwrap_or_default());
    let p99_ceiling = median(p99.remove("ceiling").unwrap_or_default());
    let buttons_bot = median(p99_buttons.remove("ak-jurok").unwrap_or_default());
    let buttons_ceiling = median(p99_buttons.remove("ceiling").unwrap_or_default());
    println!(
        "\nmedians: CPU per update {cpu_bot:.0} µs vs ceiling {cpu_ceiling:.0} µs = {:.2}× (budget 1.25×); \
         p99 without fsync {p99_bot:.2} ms vs {p99_ceiling:.2} ms = {:.2}× (budget 1.5×); \
         p99 of buttons alone (no send, so no Throttle in the ceiling) {buttons_bot:.2} ms vs {buttons_ceiling:.2} ms = {:.2}×",
        cpu_bot / cpu_ceiling,
        p99_bot / p99_ceiling,
        buttons_bot / buttons_ceiling
    );
    memory(
        &args,
        &binaries,
        &data,
        &runtime,
        &[Target::Ceiling, Target::Bot],
    );
}

/// The memory run: `--mid-dialogue` women left in the middle of the wizard,
/// each target's peak resident memory.
fn memory(
    args: &Args,
    binaries: &Binaries,
    data: &std::path::Path,
    runtime: &tokio::runtime::Runtime,
    targets: &[Target],
) {
    if args.mid_dialogue == 0 {
        return;
    }
    println!(
        "\n{} women, each {MID_DIALOGUE_STEPS} steps into the wizard (pauses 0–{} ms):",
        args.mid_dialogue,
        2 * args.mid_think_ms
    );
    for &target in targets {
        let figures = runtime.block_on(run(
            target,
            binaries,
            data,
            args.mid_dialogue,
            MID_DIALOGUE_STEPS,
            args.mid_think_ms,
            false,
        ));
        println!(
            "  {}: peak RSS {:.1} MiB, {} updates in {:.1} s, CPU {:.0} µs/update, p99 {} ms, {} unanswered",
            target.name(),
            figures.peak_rss_kib as f64 / 1024.0,
            figures.updates,
            figures.seconds,
            figures.cpu_per_update_us(),
            ms(percentile(&figures.no_fsync(), 0.99)),
            figures.failed
        );
    }
}
