//! The one sled database and what lives in it.
//!
//! Trees, all opened at start; every row is keyed by a random id, and no
//! pseudonym appears in any key or value:
//! - `dialogues`: her dialogue id → her sealed dialogue, with the ids of her
//!   requests ([`Session`]);
//! - `tracked`: her dialogue id → sealed ids of the chat's messages (for Hide and
//!   Erase);
//! - `requests`: request id → record (urgency, sequence, status, code, queued hour
//!   in clear; the rest sealed under the request's data key);
//! - `queue`: urgency rank, sequence → request id, for waiting requests only;
//! - `codes`: ticket code → request id;
//! - `counters`: aggregate counts (waiting now; per month for statistics);
//! - `due`: job id → when, and the job sealed under its own key (timed work);
//! - `due_at`: when (milliseconds, big-endian) and job id → nothing: the same jobs
//!   in time order, so the scheduler finds what is due without reading them all;
//! - `audit`: time → who (a staff handle), what, which ticket code;
//! - `meta`: schema version, the keyring's id and destroy counter, the shelter's
//!   availability, who is on duty (by handle).
//!
//! The only link from her pseudonym to anything here is her entry in the
//! [`Keyring`], which lives outside the data folder: destroying it (and her
//! requests' keys) is what erasing her means.

mod audit;
mod backup;
mod blocks;
mod claims;
mod due;
mod duty;
mod erase;
mod flush;
mod gate;
use flush::{read_generation, GENERATION_KEY};
mod outbox;
mod requests;
mod restore;
mod retention;
mod tracked;
mod tries;
mod verify;

pub use audit::{AuditAction, AuditEntry};
pub use backup::{newest_backup, next_backup, BackupMade};
pub use claims::{Ended, Ending};
pub use due::Job;
pub use erase::Erased;
pub use gate::HerLock;
pub use outbox::{Letter, Posted};
pub use requests::{
    Assigned, Choice, Claimed, EnqueueError, Enqueued, Reopen, Submit, Submitted, WaitingEntry,
};
pub use restore::RestoreReport;
pub use retention::{PurgeReport, RecoveryReport, Retention};
pub use tries::TryRecorded;

use std::path::Path;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::crypto::keyring::{Keyring, KeyringError, Person, RingMark, Target};
use crate::crypto::{Binding, Keys, Pseudonym, Sealed};
use crate::domain::dialogue::Dialogue;
use crate::domain::ids::{RecordId, StaffHandle};
use crate::domain::shelter::{ShelterState, ShelterStatus};

/// Version of the database's layout; a folder of another version is refused.
const SCHEMA: u32 = 2;
/// Version of the stored dialogue shape; a stored older shape resets to the menu.
const DIALOGUE_VERSION: u32 = 2;
/// Stripes of the per-person lock.
const PERSON_LOCKS: usize = 1024;
/// Keys younger than this are never taken for orphans: they may belong to a
/// request or dialogue being written right now.
pub const ORPHAN_MIN_AGE: Duration = Duration::minutes(10);

const SHELTER_KEY: &str = "shelter";
const RING_ID_KEY: &str = "ring/id";
const RING_DESTROYED_KEY: &str = "ring/destroyed";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database in {path} is in use by another ak-jurok process; stop it first")]
    Locked { path: String },
    #[error("the database in {path} was made by another version of ak-jurok (layout {found}, this version reads {SCHEMA}); start with an empty data folder")]
    Schema { path: String, found: u32 },
    #[error("the data folder {path} belongs to {owner} and this runs as {user}: run it as its owner — `sudo ak-jurok-admin …` runs a command as the service does, with its master key — so that no file in it ends up owned by another user")]
    ForeignOwner {
        path: String,
        owner: String,
        user: String,
    },
    #[error("cannot open the database in {path}: {error}")]
    Open { path: String, error: sled::Error },
    #[error("{path}: {error}")]
    Path { path: String, error: std::io::Error },
    #[error("database error: {0}")]
    Sled(#[from] sled::Error),
    #[error(transparent)]
    Keyring(#[from] KeyringError),
}

/// Her sealed conversation's bytes at one moment (see [`Store::version`]).
#[derive(Clone, PartialEq, Eq)]
pub struct Version(Option<sled::IVec>);

/// Her session, beside her dialogue: what ties her to her requests and to the
/// messages that show what she typed, and when she hid, wrote or started a
/// request. Sealed with her dialogue, so it is gone for good with her key.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// Her requests she can see, oldest first (ended ones until they are purged).
    requests: Vec<RecordId>,
    /// Open requests she kept through Erase: shown only after she types the code.
    #[serde(default)]
    kept: Vec<RecordId>,
    /// Code attempts: the day (days since the epoch) and how many that day.
    #[serde(default)]
    tries: (i64, u8),
    /// Messages that show what she typed (the summary with her number), while
    /// the wizard is open, and her chat, so the purge can delete them too.
    #[serde(default)]
    exposed: Vec<(i32, DateTime<Utc>)>,
    #[serde(default)]
    chat: Option<i64>,
    /// When she last pressed Hide: nothing is delivered to her for a while after.
    #[serde(default)]
    pub hidden_at: Option<DateTime<Utc>>,
    /// The messages of her conversation with a specialist in her chat, deleted
    /// when it goes quiet (and each within a day anyway).
    #[serde(default)]
    pub relay: Vec<i32>,
    /// When she or a specialist last wrote in that conversation.
    #[serde(default)]
    pub relay_at: Option<DateTime<Utc>>,
    /// When she last wrote in it (replies reach her at once only shortly after).
    #[serde(default)]
    pub wrote_at: Option<DateTime<Utc>>,
    /// Requests she started today: the day (days since the epoch), how many.
    #[serde(default)]
    pub starts: (i64, u8),
    /// When her screen turns into the cover if she does nothing until then
    /// (one timed job at a time).
    #[serde(default)]
    pub idle_due: Option<DateTime<Utc>>,
}

impl Session {
    /// Her requests, oldest first.
    pub fn requests(&self) -> &[RecordId] {
        &self.requests
    }

    /// Whether request `id` is one she kept through Erase and has not brought
    /// back with its code: whoever holds her phone must not learn it exists.
    pub fn hides(&self, id: &RecordId) -> bool {
        self.kept.contains(id)
    }

    /// How many requests she started on `now`'s day.
    pub fn starts_on(&self, now: DateTime<Utc>) -> u8 {
        let day = now.timestamp().div_euclid(86_400);
        if self.starts.0 == day {
            self.starts.1
        } else {
            0
        }
    }

    /// She started a request now.
    pub fn count_start(&mut self, now: DateTime<Utc>) {
        let day = now.timestamp().div_euclid(86_400);
        self.starts = (day, self.starts_on(now).saturating_add(1));
    }
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Session({} requests, {} kept)",
            self.requests.len(),
            self.kept.len()
        )
    }
}

impl Session {
    fn all(&self) -> impl Iterator<Item = &RecordId> {
        self.requests.iter().chain(&self.kept)
    }

    /// Forgets the messages that show what she typed, and returns those the bot
    /// can still delete (under 48 hours old), except `keep`.
    pub fn take_exposed(&mut self, keep: Option<i32>, now: DateTime<Utc>) -> Vec<i32> {
        let taken = self
            .exposed
            .drain(..)
            .filter(|(id, at)| Some(*id) != keep && now - *at < Duration::hours(48))
            .map(|(id, _)| id)
            .collect();
        self.chat = None;
        taken
    }
}

/// Her conversation as stored: the dialogue the core steps, and her links.
#[derive(Debug, Clone)]
pub struct Conversation {
    pub dialogue: Dialogue,
    pub links: Session,
}

/// What is sealed for a dialogue: a version tag around the state and the links.
#[derive(Serialize, Deserialize)]
struct Envelope<D, L> {
    v: u32,
    dialogue: D,
    links: L,
}

pub struct Store {
    db: sled::Db,
    dialogues: sled::Tree,
    tracked: sled::Tree,
    requests: sled::Tree,
    queue: sled::Tree,
    codes: sled::Tree,
    counters: sled::Tree,
    due: sled::Tree,
    due_at: sled::Tree,
    audit: sled::Tree,
    /// Blocked senders: block tag -> until (milliseconds since the epoch).
    blocks: sled::Tree,
    /// Letters to her, waiting for her window or her tap.
    outbox: sled::Tree,
    /// Shared facts that name nobody: the shelter's availability, the ring mark.
    meta: sled::Tree,
    keyring: Keyring,
    locks: Vec<Mutex<()>>,
    /// Suspended staff handles, mirrored from `meta` at open and on every
    /// change: the flood gate asks for each update, and never waits for a disk.
    suspended: std::sync::RwLock<std::collections::HashSet<StaffHandle>>,
    /// A test seam: while set, every flush fails as on a full disk.
    writes_fail: std::sync::OnceLock<Arc<std::sync::atomic::AtomicBool>>,
    /// The database's generation (see `flush`).
    generation: std::sync::atomic::AtomicU64,
    /// Which timed jobs name which chat, in memory only (built at open by
    /// opening every job once): Erase finds hers without opening all.
    chat_jobs: Mutex<due::ChatJobs>,
    /// Held shared by every intent that writes, alone by a backup's copy.
    gate: gate::WriteGate,
}

/// How to treat the keyring when the database is opened.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RingCheck {
    /// Refuse a missing, foreign or rolled-back ring.
    Strict,
    /// Recovery: take the ring as it is, or a new one if it is missing.
    Adopt,
    /// A restore: the ring as it is, though ahead of the database.
    Restore,
}

impl Store {
    /// Opens the database in `data_dir` and the keyring at `keyring`, refusing a
    /// keyring that is missing, belongs to another database or is an older copy.
    pub fn open(
        data_dir: &Path,
        keyring: &Path,
        cache_mb: u64,
        keys: Arc<Keys>,
    ) -> Result<Store, StoreError> {
        Store::open_with(data_dir, keyring, cache_mb, keys, RingCheck::Strict)
    }

    fn open_with(
        data_dir: &Path,
        keyring_path: &Path,
        cache_mb: u64,
        keys: Arc<Keys>,
        check: RingCheck,
    ) -> Result<Store, StoreError> {
        let path = data_dir.join("db");
        let shown = path.display().to_string();
        let db = open_sled(&path, cache_mb)?;
        let meta = db.open_tree("meta")?;
        match meta.get("schema")? {
            None => {
                meta.insert("schema", &SCHEMA.to_be_bytes())?;
            }
            Some(v) if v.as_ref() == SCHEMA.to_be_bytes() => {}
            Some(v) => {
                return Err(StoreError::Schema {
                    path: shown,
                    found: u32::from_be_bytes(v.as_ref().try_into().unwrap_or_default()),
                })
            }
        }
        let keyring = open_keyring(&meta, keyring_path, keys, check)?;
        let store = Store {
            dialogues: db.open_tree("dialogues")?,
            tracked: db.open_tree("tracked")?,
            requests: db.open_tree("requests")?,
            queue: db.open_tree("queue")?,
            codes: db.open_tree("codes")?,
            counters: db.open_tree("counters")?,
            due: db.open_tree("due")?,
            due_at: db.open_tree("due_at")?,
            audit: db.open_tree("audit")?,
            blocks: db.open_tree("blocks")?,
            outbox: db.open_tree("outbox")?,
            db,
            meta,
            keyring,
            locks: (0..PERSON_LOCKS).map(|_| Mutex::new(())).collect(),
            suspended: Default::default(),
            writes_fail: std::sync::OnceLock::new(),
            generation: std::sync::atomic::AtomicU64::new(0),
            chat_jobs: Mutex::new(due::ChatJobs::default()),
            gate: gate::WriteGate::default(),
        };
        // Recovery and restore take the ring as it is: the database's
        // generation catches up with it.
        let mut generation = read_generation(&store.meta)?;
        if check != RingCheck::Strict {
            generation = generation.max(store.keyring.mark().generation);
            store
                .meta
                .insert(GENERATION_KEY, &generation.to_be_bytes())?;
        }
        store
            .generation
            .store(generation, std::sync::atomic::Ordering::SeqCst);
        // A crash between the database's flush and the ring's header: the
        // database is ahead, and the ring catches up.
        store.keyring.raise_generation(generation)?;
        {
            let _writing = store.writing();
            store.load_suspended()?;
            store.mirror_mark()?;
            store.index_due()?;
            store.index_chat_jobs()?;
            store.flush_db()?;
        }
        Ok(store)
    }

    /// Her sealed conversation as it is now, to tell later whether it changed
    /// (compared byte for byte; nothing is opened).
    pub fn version(&self, who: &Pseudonym) -> Result<Version, StoreError> {
        let Some(person) = self.keyring.person(who) else {
            return Ok(Version(None));
        };
        Ok(Version(self.dialogues.get(person.dialogue.as_bytes())?))
    }

    fn binding(dialogue: &RecordId) -> Binding {
        Binding::new("dialogue", dialogue.as_bytes(), "state")
    }

    /// Her conversation, if she has one. A state from an older version of the bot
    /// resets her to the menu (keeping her language and links) rather than
    /// dropping her update; links to requests that are gone are dropped.
    pub fn load(
        &self,
        who: &Pseudonym,
        now: DateTime<Utc>,
    ) -> Result<Option<Conversation>, StoreError> {
        let Some(person) = self.keyring.person(who) else {
            return Ok(None);
        };
        let Some(bytes) = self.dialogues.get(person.dialogue.as_bytes())? else {
            return Ok(None);
        };
        let sealed: Sealed<()> = Sealed::from_bytes(bytes.to_vec());
        let Ok(plain) = person
            .key
            .open_json(&sealed, &Self::binding(&person.dialogue))
        else {
            tracing::warn!(event = "dialogue_unreadable");
            return Ok(None);
        };
        let mut conversation = match serde_json::from_slice::<Envelope<Dialogue, Session>>(&plain) {
            Ok(current) if current.v == DIALOGUE_VERSION => Conversation {
                dialogue: current.dialogue,
                links: current.links,
            },
            _ => {
                tracing::info!(event = "dialogue_migrated_to_menu");
                let value = serde_json::from_slice::<serde_json::Value>(&plain).ok();
                let field = |name: &str| value.as_ref().and_then(|v| v.pointer(name)).cloned();
                Conversation {
                    dialogue: Dialogue::at_menu(
                        field("/dialogue/lang")
                            .and_then(|l| l.as_str().map(str::to_string))
                            .unwrap_or_default(),
                        now,
                    ),
                    links: field("/links")
                        .and_then(|l| serde_json::from_value(l).ok())
                        .unwrap_or_default(),
                }
            }
        };
        let links = &mut conversation.links;
        let exists = |id: &RecordId| self.requests.contains_key(id.as_bytes()).unwrap_or(true);
        links.requests.retain(exists);
        links.kept.retain(exists);
        Ok(Some(conversation))
    }

    /// Her dialogue alone, if any.
    pub fn load_dialogue(
        &self,
        who: &Pseudonym,
        now: DateTime<Utc>,
    ) -> Result<Option<Dialogue>, StoreError> {
        Ok(self.load(who, now)?.map(|c| c.dialogue))
    }

    /// Seals her conversation under her key (her entry is created on first use).
    fn seal_conversation(
        &self,
        person: &Person,
        dialogue: &Dialogue,
        links: &Session,
    ) -> Sealed<()> {
        let sealed = person.key.seal(
            &Envelope {
                v: DIALOGUE_VERSION,
                dialogue,
                links,
            },
            &Self::binding(&person.dialogue),
        );
        Sealed::from_bytes(sealed.into_bytes())
    }

    pub fn save(
        &self,
        who: &Pseudonym,
        dialogue: &Dialogue,
        links: &Session,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let _writing = self.writing();
        let person = self.keyring.person_or_create(who, now)?;
        let sealed = self.seal_conversation(&person, dialogue, links);
        self.dialogues
            .insert(person.dialogue.as_bytes(), sealed.into_bytes())?;
        Ok(())
    }

    /// Remembers messages that show what she typed, with her chat.
    pub fn expose(
        &self,
        who: &Pseudonym,
        chat: i64,
        ids: &[i32],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let _writing = self.writing();
        let Some(mut conversation) = self.load(who, now)?.filter(|_| !ids.is_empty()) else {
            return Ok(());
        };
        let links = &mut conversation.links;
        links.chat = Some(chat);
        for id in ids {
            if !links.exposed.iter().any(|(known, _)| known == id) {
                links.exposed.push((*id, now));
            }
        }
        self.save(who, &conversation.dialogue, links, now)
    }

    /// Sets the shelter's availability, as of `now`, and writes it to disk.
    /// The bot is running: if it is still marked so at the next start, it did
    /// not stop cleanly. Whether it was marked already (a crash).
    pub fn mark_running(&self) -> Result<bool, StoreError> {
        let _writing = self.writing();
        let crashed = self.meta.insert("running", &[1u8])?.is_some();
        self.flush_db()?;
        Ok(crashed)
    }

    /// The bot stopped cleanly.
    pub fn mark_stopped(&self) -> Result<(), StoreError> {
        let _writing = self.writing();
        self.meta.remove("running")?;
        self.flush_db()?;
        Ok(())
    }

    /// The fingerprint of the bot's profile texts as last published.
    pub fn published_profile(&self) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.meta.get("profile")?.map(|v| v.to_vec()))
    }

    /// The profile texts with this fingerprint are published.
    pub fn set_published_profile(&self, fingerprint: &[u8]) -> Result<(), StoreError> {
        let _writing = self.writing();
        self.meta.insert("profile", fingerprint)?;
        self.flush_db()?;
        Ok(())
    }

    pub fn set_shelter(&self, state: ShelterState, now: DateTime<Utc>) -> Result<(), StoreError> {
        let _writing = self.writing();
        let status = ShelterStatus { state, set_at: now };
        let bytes = serde_json::to_vec(&status).expect("shelter status serializes");
        self.meta.insert(SHELTER_KEY, bytes)?;
        self.flush_db()?;
        Ok(())
    }

    /// The shelter's availability as last set; `None` if never set or unreadable.
    pub fn shelter(&self) -> Result<Option<ShelterStatus>, StoreError> {
        Ok(self
            .meta
            .get(SHELTER_KEY)?
            .and_then(|bytes| serde_json::from_slice(&bytes).ok()))
    }

    /// The keyring's id and destroy counter, as the database last saw them.
    pub fn ring_mark(&self) -> Result<Option<RingMark>, StoreError> {
        read_mark(&self.meta)
    }

    /// Destroys keys in one keyring batch, then mirrors the ring's counter in
    /// `meta` (written with the next flush; only ever behind the ring's own).
    fn destroy_keys(&self, targets: &[Target]) -> Result<usize, StoreError> {
        let destroyed = self.keyring.destroy(targets)?;
        if destroyed > 0 {
            self.mirror_mark()?;
        }
        Ok(destroyed)
    }

    fn mirror_mark(&self) -> Result<(), StoreError> {
        let mark = self.keyring.mark();
        self.meta.insert(RING_ID_KEY, &mark.id)?;
        self.meta
            .insert(RING_DESTROYED_KEY, &mark.destroyed.to_be_bytes())?;
        Ok(())
    }
}

/// The one place sled is opened: a database another process holds is refused
/// with one line that says so. A database just closed may still be held for a
/// moment by sled's background flusher, so a lock is retried briefly first.
pub(crate) fn open_sled(path: &Path, cache_mb: u64) -> Result<sled::Db, StoreError> {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    if let Some(folder) = absolute.parent() {
        if let Some(foreign) = crate::os::foreign_owner(folder) {
            return Err(StoreError::ForeignOwner {
                path: folder.display().to_string(),
                owner: foreign.owner,
                user: foreign.user,
            });
        }
    }
    let mut tries = 0;
    loop {
        let opened = sled::Config::new()
            .path(path)
            .cache_capacity(cache_mb.max(1) * 1024 * 1024)
            .open();
        match opened {
            Ok(db) => return Ok(db),
            Err(sled::Error::Io(ref io))
                if io.kind() == std::io::ErrorKind::WouldBlock
                    || io.to_string().contains("lock") =>
            {
                tries += 1;
                if tries >= 20 {
                    return Err(StoreError::Locked {
                        path: path.display().to_string(),
                    });
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(error) => {
                return Err(StoreError::Open {
                    path: absolute.display().to_string(),
                    error,
                })
            }
        }
    }
}

fn read_mark(meta: &sled::Tree) -> Result<Option<RingMark>, StoreError> {
    let Some(id) = meta.get(RING_ID_KEY)? else {
        return Ok(None);
    };
    let destroyed = meta
        .get(RING_DESTROYED_KEY)?
        .map(|v| u64::from_be_bytes(v.as_ref().try_into().unwrap_or_default()))
        .unwrap_or(0);
    Ok(Some(RingMark {
        id: id.as_ref().try_into().unwrap_or_default(),
        destroyed,
        generation: read_generation(meta)?,
    }))
}

/// Opens the keyring the database expects: its own (same id), at least as far
/// along (destroy counter), present. A new database gets a new ring, or adopts
/// an empty one that never destroyed anything.
fn open_keyring(
    meta: &sled::Tree,
    path: &Path,
    keys: Arc<Keys>,
    check: RingCheck,
) -> Result<Keyring, StoreError> {
    let expected = read_mark(meta)?;
    let foreign = || KeyringError::Foreign {
        path: path.to_owned(),
    };
    if check == RingCheck::Adopt {
        let wrap = crate::crypto::keyring::wrap_path(path);
        let ring = if path.exists() && wrap.exists() {
            Keyring::open(path, keys)?
        } else {
            // One file without the other opens nothing: start over.
            for file in [path, wrap.as_path()] {
                if let Err(e) = std::fs::remove_file(file) {
                    if e.kind() != std::io::ErrorKind::NotFound {
                        return Err(KeyringError::Io {
                            path: file.to_owned(),
                            reason: e.to_string(),
                        }
                        .into());
                    }
                }
            }
            Keyring::create(path, keys)?
        };
        ring.renew_id()?;
        return Ok(ring);
    }
    match expected {
        None if Keyring::exists(path) => {
            let ring = Keyring::open(path, keys)?;
            if !ring.is_empty() || ring.mark().destroyed > 0 {
                return Err(foreign().into());
            }
            Ok(ring)
        }
        None => Ok(Keyring::create(path, keys)?),
        Some(mark) => {
            let ring = Keyring::open(path, keys)?;
            if ring.mark().id != mark.id {
                return Err(foreign().into());
            }
            if ring.mark().destroyed < mark.destroyed {
                return Err(KeyringError::RolledBack {
                    path: path.to_owned(),
                }
                .into());
            }
            if check == RingCheck::Strict && ring.mark().generation > mark.generation {
                return Err(KeyringError::Restored {
                    path: path.to_owned(),
                }
                .into());
            }
            Ok(ring)
        }
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        if self.db.flush().is_err() {
            tracing::error!(event = "flush_on_close_failed");
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
