//! When the disk fails, she still gets help. sled keeps a write error until
//! the database is opened again, so the bot cannot recover in the process, and
//! exiting at once would have systemd restart it every few seconds with nobody
//! answered. After a store write fails (and a probe confirms the disk or sled
//! cannot write) the bot stays up, **degraded**: the first reply, the danger
//! screen, the emergency numbers and Hide answer without a write; anything
//! that needs the disk answers that no request can be taken now, with 102, 112
//! and the center's phone. The staff chat is told at once, then hourly. A probe
//! every minute (free space in the data folder, and a test write there) tells
//! the shell when writes can succeed again: it then exits non-zero, and systemd
//! starts the bot again on a fresh sled.

use std::io::Write;

use super::plan::{Chat, Deed, Failing, Plan, Remember, Show};
use super::*;
use crate::conversation::{Action, Command};
use crate::domain::dialogue::Dialogue;

/// Less free space than this in the data folder counts as a full disk.
const MIN_FREE_BYTES: u64 = 16 * 1024 * 1024;
/// How often the staff chat is reminded while the bot is degraded.
const REMIND_EVERY: Duration = Duration::hours(1);

/// The disk's state, as the bot last found it.
#[derive(Default)]
pub(super) struct DiskState {
    failed: std::sync::Mutex<Option<Failed>>,
}

struct Failed {
    cause: &'static str,
    told_at: chrono::DateTime<chrono::Utc>,
}

/// What kind of failure an I/O error is, for the log and the staff chat.
fn cause_of(error: &std::io::Error) -> &'static str {
    match error.raw_os_error() {
        Some(libc::ENOSPC | libc::EDQUOT) => "disk_full",
        Some(libc::EACCES | libc::EPERM) => "permission_denied",
        Some(libc::EROFS) => "read_only",
        _ if error.kind() == std::io::ErrorKind::PermissionDenied => "permission_denied",
        _ => "io_error",
    }
}

pub(super) fn store_cause(error: &StoreError) -> &'static str {
    match error {
        StoreError::Sled(sled::Error::Io(io)) | StoreError::Path { error: io, .. } => cause_of(io),
        StoreError::Open {
            error: sled::Error::Io(io),
            ..
        } => cause_of(io),
        _ => "store_error",
    }
}

/// Free space in `dir`, in bytes.
fn free_bytes(dir: &std::path::Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    // SAFETY: `path` is a valid C string, and `stat` a zeroed struct statvfs
    // that the call fills in; nothing is kept beyond the call.
    let mut stat: libc::statvfs = unsafe { std::mem::zeroed() };
    let done = unsafe { libc::statvfs(path.as_ptr(), &mut stat) };
    (done == 0).then(|| (stat.f_bavail as u64).saturating_mul(stat.f_frsize as u64))
}

/// Whether the data folder can take a write: enough free space, and a small
/// file written, synced and removed beside the database.
fn folder_writable(dir: &std::path::Path) -> Result<(), &'static str> {
    if free_bytes(dir).is_some_and(|free| free < MIN_FREE_BYTES) {
        return Err("disk_full");
    }
    let probe = dir.join(".write-probe");
    let written = std::fs::File::create(&probe).and_then(|mut file| {
        file.write_all(&[0u8; 4096])?;
        file.sync_all()
    });
    let _ = std::fs::remove_file(&probe);
    written.map_err(|e| cause_of(&e))
}

impl App {
    /// Whether the bot is degraded: a store write failed and cannot succeed
    /// in this process.
    pub fn degraded(&self) -> bool {
        self.disk
            .failed
            .lock()
            .map(|failed| failed.is_some())
            .unwrap_or(true)
    }

    /// A store operation failed: the disk and sled are probed, and if either
    /// cannot write the bot is degraded from now on. The staff chat's notice
    /// when it just became so.
    pub fn note_store_failure(&self) -> Option<Plan> {
        if self.degraded() {
            return None;
        }
        let cause = match (self.store.write_probe(), self.disk_writable()) {
            (Ok(()), Ok(())) => return None,
            (Err(error), _) => store_cause(&error),
            (_, Err(cause)) => cause,
        };
        let now = self.clock.now();
        if let Ok(mut failed) = self.disk.failed.lock() {
            *failed = Some(Failed {
                cause,
                told_at: now,
            });
        }
        let path = self.config.data_dir.display().to_string();
        tracing::error!(event = "store_cannot_write", cause, path = %path);
        Some(self.tell_disk_failed(cause))
    }

    /// While degraded: the staff chat's reminder, once an hour.
    pub fn disk_reminder(&self) -> Option<Plan> {
        let now = self.clock.now();
        let mut failed = self.disk.failed.lock().ok()?;
        let failed = failed.as_mut()?;
        if now - failed.told_at < REMIND_EVERY {
            return None;
        }
        failed.told_at = now;
        let cause = failed.cause;
        Some(self.tell_disk_failed(cause))
    }

    fn tell_disk_failed(&self, cause: &'static str) -> Plan {
        let path = self.config.data_dir.display().to_string();
        Plan::from(self.for_staff_chat(desk::disk_failed(cause, &path)))
    }

    /// The staff chat's notice: someone else receives this bot's updates.
    pub fn token_elsewhere_notice(&self) -> Plan {
        Plan::from(self.for_staff_chat(desk::token_elsewhere()))
    }

    /// A test seam: while `fail` is set, every store write fails as on a full
    /// disk (a full disk cannot be made portably in a test).
    pub fn make_writes_fail(&self, fail: std::sync::Arc<std::sync::atomic::AtomicBool>) {
        self.store.make_writes_fail(fail);
    }

    /// The minute's probe: whether the data folder can be written (the test
    /// seam's failure counts as a full disk).
    pub fn disk_writable(&self) -> Result<(), &'static str> {
        if self.store.writes_made_to_fail() {
            return Err("disk_full");
        }
        folder_writable(&self.config.data_dir)
    }

    /// Her update while degraded, without a write: the first reply, the
    /// danger screen and Hide as always; anything else, that no request can be
    /// taken now, with the numbers to call — in her language when her
    /// conversation can still be read. What she sent leaves her screen as
    /// always.
    pub fn on_her_degraded(
        &self,
        speaker: &Speaker,
        input: Input,
        pressed: Option<i32>,
        message: Option<i32>,
    ) -> Plan {
        let ctx = self.ctx(speaker);
        // Read, never written: her conversation's language if it can be read.
        let lang = self.her_language(&speaker.who, speaker.language_code.as_deref());
        let chat = Chat::Her(speaker.chat_id);
        let mut plan = Plan::new();
        if let (true, Some(id)) = (input.leaves_her_screen(), message) {
            plan.push(Deed::Unsend {
                chat: chat.clone(),
                id,
            });
        }
        let replies = match input {
            Input::Command(Command::Start) => conversation::step(None, input, &ctx).replies,
            Input::Pressed(Action::Danger) => {
                let at_menu = Dialogue::at_menu(lang.clone(), ctx.now);
                conversation::step(Some(at_menu), input, &ctx).replies
            }
            // Erase cannot forget her without the disk: it hides, as Hide does,
            // and the chat's other messages go (their ids are only read).
            Input::Pressed(Action::Hide | Action::Erase | Action::ConfirmErase { .. }) => {
                let others = self
                    .store
                    .tracked_ids(&speaker.who, ctx.now)
                    .unwrap_or_default();
                plan.delete(
                    chat.clone(),
                    others
                        .into_iter()
                        .filter(|id| Some(*id) != pressed)
                        .collect(),
                );
                let at_menu = Dialogue::at_menu(lang.clone(), ctx.now);
                let hide = Input::Pressed(Action::Hide);
                conversation::step(Some(at_menu), hide, &ctx).replies
            }
            _ => vec![conversation::cannot_take_requests(&lang, &ctx)],
        };
        for reply in replies {
            let rendered = render(&self.locales, &self.config.center, &lang, &reply);
            plan.show(Show {
                pressed,
                then: Remember::Nothing,
                failing: Failing::Stops,
                ..Show::new(chat.clone(), rendered)
            });
        }
        plan
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use chrono::TimeZone;

    fn app(dir: &std::path::Path) -> App {
        let mut config = Config::load(None, |_| None).unwrap();
        config.data_dir = dir.join("data");
        config.key_file = Some(dir.join("master.key"));
        config.keyring_file = Some(dir.join("ak-jurok.keyring"));
        config.center.phones = vec!["+996 555 010 203".into()];
        let t0 = chrono::Utc.with_ymd_and_hms(2026, 4, 6, 9, 0, 0).unwrap();
        App::open(config, Arc::new(ManualClock::new(t0))).unwrap()
    }

    #[test]
    fn degraded_hide_and_erase_clear_her_chat_from_what_is_read_and_the_rest_gives_the_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(dir.path());
        let her = app.speaker(5_550_500_001, Some("ru".into()));
        let now = app.clock.now();
        let at_menu = Dialogue::at_menu("ru".into(), now);
        app.store
            .save(&her.who, &at_menu, &Session::default(), now)
            .unwrap();
        app.store.track(&her.who, &[5, 6, 7], now).unwrap();
        // Nothing failed for the disk: not degraded.
        assert!(app.note_store_failure().is_none());
        assert!(!app.degraded());
        app.make_writes_fail(Arc::new(std::sync::atomic::AtomicBool::new(true)));
        let notice = app.note_store_failure().expect("the staff chat's notice");
        let _ = notice;
        assert!(app.degraded());
        assert_eq!(app.disk_writable(), Err("disk_full"));
        for press in [
            Action::Hide,
            Action::ConfirmErase {
                cancel_request: true,
            },
        ] {
            let plan = app.on_her_degraded(&her, Input::Pressed(press.clone()), Some(7), None);
            let deleted: Vec<i32> = plan
                .deeds
                .iter()
                .filter_map(|deed| match deed {
                    Deed::Delete { ids, .. } => Some(ids.clone()),
                    _ => None,
                })
                .flatten()
                .collect();
            assert_eq!(deleted, [5, 6], "{press:?}");
            let (_, cover) = plan.shown()[0];
            assert!(!cover.text.contains("102"), "{press:?}: the cover");
        }
        // Her ids were read, not forgotten.
        assert_eq!(app.store.tracked_ids(&her.who, now).unwrap(), [5, 6, 7]);
        let typed = app.on_her_degraded(&her, Input::Text("help".into()), None, Some(9));
        assert!(matches!(typed.deeds[0], Deed::Unsend { id: 9, .. }));
        let (_, answer) = typed.shown()[0];
        for wanted in ["102", "112", "+996 555 010 203"] {
            assert!(answer.text.contains(wanted), "{}", answer.text);
        }
    }

    #[test]
    fn the_probe_writes_beside_the_database_and_names_what_failed() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(folder_writable(dir.path()), Ok(()));
        assert!(
            !dir.path().join(".write-probe").exists(),
            "the probe is removed"
        );
        assert!(folder_writable(&dir.path().join("gone")).is_err());
        let full = std::io::Error::from_raw_os_error(libc::ENOSPC);
        assert_eq!(cause_of(&full), "disk_full");
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert_eq!(cause_of(&denied), "permission_denied");
        let read_only = std::io::Error::from_raw_os_error(libc::EROFS);
        assert_eq!(cause_of(&read_only), "read_only");
        assert!(free_bytes(dir.path()).is_some_and(|free| free > 0));
    }
}
