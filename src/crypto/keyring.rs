//! Data keys, kept outside sled and outside the data folder, in fixed-size slots
//! that are written once and destroyed in place.
//!
//! sled keeps deleted values in its files, so whatever names her is sealed under a
//! data key of its own, and destroying the key is the deletion. For that to hold,
//! a destroyed key must not survive anywhere either. Two files:
//!
//! - the **ring** (`AKJ_KEYRING`): a header, then slots of [`SLOT`] bytes. A live
//!   slot holds one entry (a request's key, or a person's pseudonym, dialogue key
//!   and dialogue record id), sealed; a free slot holds random bytes.
//! - the **wrapping-key file** (the ring's path + `.wrap`): one random 32-byte
//!   wrapping key per slot. A slot's cipher key is HMAC(keyring subkey of the
//!   master key, its wrapping key), so opening it takes both files and the master.
//!
//! Creating a key writes one wrapping key and then one slot; destroying one
//! overwrites its slot and its wrapping key with random bytes in place (`pwrite` +
//! `fdatasync`) and counts the destruction in the header. Nothing is ever renamed,
//! copied or compacted, so no old copy of the ring alone, or of the wrapping-key
//! file alone, opens a destroyed key; only a copy of *both* taken at the same
//! moment does, which is why neither is ever backed up.
//!
//! Memory follows disk: an entry appears in the index only after its slot is
//! synced, and leaves it only after it is overwritten.

use std::collections::HashMap;
use std::fs::{self, File};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use chacha20poly1305::aead::{AeadInPlace, KeyInit};
use chacha20poly1305::{Tag, XChaCha20Poly1305, XNonce};
use chrono::{DateTime, Utc};
use zeroize::Zeroizing;

use crate::crypto::{self, DataKey, KeyError, Keys, Pseudonym};
pub use crate::domain::ids::RecordId;
use files::{existing_file, io, new_file, random, slot_offset, sync_folder, wrap_offset};

mod files;

/// Bytes per slot; slot 0 of the ring file is its header.
pub const SLOT: usize = 256;
/// Bytes per wrapping key.
pub const WRAP: usize = 32;
const WRAP_HEADER: usize = 64;
const NONCE: usize = 24;
const TAG: usize = 16;
const PLAIN: usize = SLOT - NONCE - TAG;

const RING_MAGIC: &[u8; 8] = b"AKJRING2";
const WRAP_MAGIC: &[u8; 8] = b"AKJWRAP2";
/// Header layout: magic, file salt (never changes), ring id (changed only by
/// recovery), destroy counter, check.
const SALT_AT: usize = 8;
const RING_ID_AT: usize = 24;
const DESTROYED_AT: usize = 40;
const CHECK_AT: usize = 48;
/// The database's generation, after the check. A ring written before it
/// existed holds zeros there (its header was written whole, zero-filled), so
/// it reads as generation 0 and is raised by the first write: no conversion.
const GENERATION_AT: usize = 80;

const KIND_PERSON: u8 = 1;
const KIND_REQUEST: u8 = 2;

const RECOVER: &str = "run `ak-jurok recover-keyring --confirm` (offline) to close the requests whose keys are lost and start a new keyring";

#[derive(Debug, thiserror::Error)]
pub enum KeyringError {
    #[error("keyring {path}: {reason}; check AKJ_KEYRING (or `keyring_file`) and that its folder is writable")]
    Io { path: PathBuf, reason: String },
    #[error("keyring {path} cannot be opened with this master key or is damaged; restore the matching key file (AKJ_KEY_FILE), or set AKJ_KEYRING to this database's keyring, or {RECOVER}")]
    Unreadable { path: PathBuf },
    #[error("keyring {path} is missing, but the database has requests sealed under it; set AKJ_KEYRING to where it is, or {RECOVER}")]
    Missing { path: PathBuf },
    #[error("keyring {path} belongs to another database; set AKJ_KEYRING to this database's keyring, or {RECOVER}")]
    Foreign { path: PathBuf },
    #[error("keyring {path} is an older copy (it has destroyed fewer keys than the database has seen), which could bring back erased data; set AKJ_KEYRING to the current keyring, or {RECOVER}")]
    RolledBack { path: PathBuf },
    #[error("the database is older than its keyring {path}: it was restored from a backup (or replaced by an older copy), which could bring back requests cancelled since; bring a backup in with `ak-jurok restore` (offline; see the README's Restore), never with recover-keyring, which would destroy every live key")]
    Restored { path: PathBuf },
    #[error(transparent)]
    Place(#[from] KeyError),
}

/// Her entry: the only link from her pseudonym to anything stored.
#[derive(Clone)]
pub struct Person {
    /// The sled key of her dialogue (and of her tracked message ids).
    pub dialogue: RecordId,
    /// Seals her dialogue and tracked ids.
    pub key: DataKey,
    slot: u32,
}

/// What to destroy.
#[derive(Clone)]
pub enum Target {
    /// This entry of hers (even if a newer one has replaced it).
    Person(Person),
    Request(RecordId),
}

/// Where the ring stands: its id, and how many keys it has destroyed. Mirrored in
/// the database so that a missing, foreign or rolled-back ring is noticed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RingMark {
    pub id: [u8; 16],
    pub destroyed: u64,
    /// The database's generation as last written to the ring: a database
    /// behind it is an older copy (a restored backup).
    pub generation: u64,
}

/// An entry old enough for the orphan sweep to look at.
pub enum Aged {
    Person(Pseudonym, Person),
    Request(RecordId),
    /// A person's entry replaced by a newer one (a crash during Erase).
    Superseded(Person),
}

#[derive(Clone)]
struct Entry {
    slot: u32,
    id: RecordId,
    key: DataKey,
    created: i64,
    generation: u64,
}

#[derive(Default)]
struct Index {
    /// Slots in the file (not counting the header).
    len: u32,
    free: Vec<u32>,
    persons: HashMap<Pseudonym, Entry>,
    requests: HashMap<RecordId, Entry>,
    superseded: Vec<Entry>,
}

pub struct Keyring {
    ring_path: PathBuf,
    wrap_path: PathBuf,
    ring: File,
    wrap: File,
    keys: Arc<Keys>,
    salt: [u8; 16],
    index: Mutex<Index>,
    /// The ring id and destroy counter, written under this lock so that the
    /// header on disk only ever grows.
    mark: Mutex<RingMark>,
    written: AtomicU64,
    sync: bool,
}

/// The wrapping-key file that belongs to a ring file.
pub fn wrap_path(ring: &Path) -> PathBuf {
    let mut name = ring.as_os_str().to_owned();
    name.push(".wrap");
    PathBuf::from(name)
}

impl Keyring {
    /// Whether a ring (or its wrapping-key file) exists at `path`.
    pub fn exists(path: &Path) -> bool {
        path.exists() || wrap_path(path).exists()
    }

    /// Creates a new, empty ring at `path`; refuses to overwrite anything.
    pub fn create(path: &Path, keys: Arc<Keys>) -> Result<Keyring, KeyringError> {
        let wrap_file = wrap_path(path);
        let salt = random::<16>();
        let id = random::<16>();
        // The wrapping-key file first: a ring file never exists without it.
        let wrap = new_file(&wrap_file)?;
        let mut header = [0u8; WRAP_HEADER];
        header[..8].copy_from_slice(WRAP_MAGIC);
        header[8..24].copy_from_slice(&salt);
        wrap.write_all_at(&header, 0).map_err(io(&wrap_file))?;
        wrap.sync_all().map_err(io(&wrap_file))?;
        let ring = new_file(path)?;
        let mut header = [0u8; SLOT];
        header[..8].copy_from_slice(RING_MAGIC);
        header[SALT_AT..SALT_AT + 16].copy_from_slice(&salt);
        header[RING_ID_AT..RING_ID_AT + 16].copy_from_slice(&id);
        header[CHECK_AT..CHECK_AT + 32].copy_from_slice(check(&keys, &salt).as_ref());
        ring.write_all_at(&header, 0).map_err(io(path))?;
        ring.sync_all().map_err(io(path))?;
        sync_folder(path)?;
        Ok(Keyring::assemble(
            path,
            (ring, wrap),
            keys,
            salt,
            RingMark {
                id,
                destroyed: 0,
                generation: 0,
            },
        ))
    }

    /// Opens the ring at `path` and reads every slot.
    pub fn open(path: &Path, keys: Arc<Keys>) -> Result<Keyring, KeyringError> {
        let wrap_file = wrap_path(path);
        if !path.exists() || !wrap_file.exists() {
            return Err(KeyringError::Missing {
                path: path.to_owned(),
            });
        }
        let ring = existing_file(path)?;
        let wrap = existing_file(&wrap_file)?;
        let ring_bytes = Zeroizing::new(fs::read(path).map_err(io(path))?);
        let wrap_bytes = Zeroizing::new(fs::read(&wrap_file).map_err(io(&wrap_file))?);
        let (salt, mark) = read_header(path, &ring_bytes, &wrap_bytes, &keys)?;
        let keyring = Keyring::assemble(path, (ring, wrap), keys, salt, mark);
        let len = (ring_bytes.len() - SLOT).div_ceil(SLOT) as u32;
        // Each slot takes a MAC and a decryption: on all cores, so 200,000 keys
        // open in well under half a second on two.
        let open_range = |slots: std::ops::Range<u32>| -> Vec<(u32, Option<Opened>)> {
            slots
                .map(|slot| {
                    let start = slot_offset(slot) as usize;
                    let sealed = &ring_bytes[start..(start + SLOT).min(ring_bytes.len())];
                    let wrap_start = wrap_offset(slot) as usize;
                    let wrap_key = wrap_bytes.get(wrap_start..wrap_start + WRAP);
                    (
                        slot,
                        wrap_key.and_then(|w| keyring.open_slot(slot, w, sealed)),
                    )
                })
                .collect()
        };
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()) as u32;
        let chunk = len.div_ceil(threads).max(4096);
        let opened: Vec<(u32, Option<Opened>)> = std::thread::scope(|scope| {
            let parts: Vec<_> = (0..len)
                .step_by(chunk as usize)
                .map(|from| scope.spawn(move || open_range(from..(from + chunk).min(len))))
                .collect();
            parts
                .into_iter()
                .flat_map(|part| {
                    // A slot left out would be neither free nor anyone's:
                    // a thread's failure is the whole open's, as on one thread.
                    part.join().unwrap_or_else(|e| std::panic::resume_unwind(e))
                })
                .collect()
        });
        let index = Index::of(len, opened);
        *keyring.lock() = index;
        Ok(keyring)
    }

    /// A keyring over its two open files, with an empty index.
    fn assemble(
        path: &Path,
        (ring, wrap): (File, File),
        keys: Arc<Keys>,
        salt: [u8; 16],
        mark: RingMark,
    ) -> Keyring {
        Keyring {
            ring_path: path.to_owned(),
            wrap_path: wrap_path(path),
            ring,
            wrap,
            keys,
            salt,
            index: Mutex::new(Index::default()),
            mark: Mutex::new(mark),
            written: AtomicU64::new(0),
            sync: true,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Index> {
        self.index.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn lock_mark(&self) -> MutexGuard<'_, RingMark> {
        self.mark.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The ring's id and destroy counter, as on disk.
    pub fn mark(&self) -> RingMark {
        *self.lock_mark()
    }

    /// Where the ring file is.
    pub fn path(&self) -> &Path {
        &self.ring_path
    }

    /// Bytes written to both files since opening (the I/O layer counts them).
    pub fn bytes_written(&self) -> u64 {
        self.written.load(Ordering::Relaxed)
    }

    /// Live entries: people and requests.
    pub fn len(&self) -> (usize, usize) {
        let index = self.lock();
        (index.persons.len(), index.requests.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == (0, 0)
    }

    // --- her entry ---

    /// Her entry, if she has one.
    pub fn person(&self, who: &Pseudonym) -> Option<Person> {
        self.lock().persons.get(who).map(Entry::person)
    }

    /// Her entry, created (and on disk) if she has none.
    pub fn person_or_create(
        &self,
        who: &Pseudonym,
        now: DateTime<Utc>,
    ) -> Result<Person, KeyringError> {
        if let Some(person) = self.person(who) {
            return Ok(person);
        }
        self.new_person(who, 0, now)
    }

    /// A new entry for her, replacing the current one (which stays on disk until
    /// it is destroyed): Erase gives her a new dialogue under a new key.
    pub fn replace_person(
        &self,
        who: &Pseudonym,
        now: DateTime<Utc>,
    ) -> Result<Person, KeyringError> {
        let generation = self.lock().persons.get(who).map_or(0, |e| e.generation + 1);
        self.new_person(who, generation, now)
    }

    fn new_person(
        &self,
        who: &Pseudonym,
        generation: u64,
        now: DateTime<Utc>,
    ) -> Result<Person, KeyringError> {
        let entry = self.write_entry(KIND_PERSON, Some(who), generation, now)?;
        let person = entry.person();
        let mut index = self.lock();
        if let Some(older) = index.persons.insert(*who, entry) {
            index.superseded.push(older);
        }
        Ok(person)
    }

    // --- requests ---

    /// A new request id with its data key, on disk before it is returned.
    pub fn create_request(&self, now: DateTime<Utc>) -> Result<(RecordId, DataKey), KeyringError> {
        let entry = self.write_entry(KIND_REQUEST, None, 0, now)?;
        let result = (entry.id, entry.key.clone());
        self.lock().requests.insert(entry.id, entry);
        Ok(result)
    }

    pub fn request_key(&self, id: &RecordId) -> Option<DataKey> {
        self.lock().requests.get(id).map(|e| e.key.clone())
    }

    // --- destruction ---

    /// Destroys `targets` in one batch: their slots and wrapping keys are
    /// overwritten with random bytes and synced, then the destroy counter grows.
    /// Returns how many existed.
    pub fn destroy(&self, targets: &[Target]) -> Result<usize, KeyringError> {
        let slots: Vec<u32> = {
            let index = self.lock();
            targets
                .iter()
                .filter_map(|target| match target {
                    Target::Request(id) => index.requests.get(id).map(|e| e.slot),
                    Target::Person(person) => {
                        let live = index.persons.values().any(|e| e.slot == person.slot)
                            || index.superseded.iter().any(|e| e.slot == person.slot);
                        live.then_some(person.slot)
                    }
                })
                .collect()
        };
        if slots.is_empty() {
            return Ok(0);
        }
        for slot in &slots {
            self.write_at(&self.ring, slot_offset(*slot), &random::<SLOT>())?;
        }
        self.sync(&self.ring)?;
        for slot in &slots {
            self.write_at(&self.wrap, wrap_offset(*slot), &random::<WRAP>())?;
        }
        self.sync(&self.wrap)?;
        {
            let mut mark = self.lock_mark();
            let destroyed = mark.destroyed + slots.len() as u64;
            self.write_at(&self.ring, DESTROYED_AT as u64, &destroyed.to_be_bytes())?;
            self.sync(&self.ring)?;
            mark.destroyed = destroyed;
        }
        let mut index = self.lock();
        // By id where the target names it: reading every entry made a
        // destruction cost as much as the ring is large.
        let destroyed: std::collections::HashSet<u32> = slots.iter().copied().collect();
        for target in targets {
            match target {
                Target::Request(id) => {
                    if index
                        .requests
                        .get(id)
                        .is_some_and(|e| destroyed.contains(&e.slot))
                    {
                        index.requests.remove(id);
                    }
                }
                Target::Person(_) => {}
            }
        }
        if targets.iter().any(|t| matches!(t, Target::Person(_))) {
            index.persons.retain(|_, e| !destroyed.contains(&e.slot));
        }
        index.superseded.retain(|e| !destroyed.contains(&e.slot));
        index.free.extend(slots.iter().copied());
        index.free.sort_unstable_by(|a, b| b.cmp(a));
        Ok(slots.len())
    }

    /// Entries created before `cutoff`, for the orphan sweep; superseded entries
    /// whatever their age.
    pub fn aged(&self, cutoff: DateTime<Utc>) -> Vec<Aged> {
        let cutoff = cutoff.timestamp();
        let index = self.lock();
        let persons = index
            .persons
            .iter()
            .filter(|(_, e)| e.created < cutoff)
            .map(|(who, e)| Aged::Person(*who, e.person()));
        let requests = index
            .requests
            .values()
            .filter(|e| e.created < cutoff)
            .map(|e| Aged::Request(e.id));
        let superseded = index
            .superseded
            .iter()
            .map(|e| Aged::Superseded(e.person()));
        persons.chain(requests).chain(superseded).collect()
    }

    /// Every person with an entry, for the purge.
    pub fn persons(&self) -> Vec<(Pseudonym, Person)> {
        self.lock()
            .persons
            .iter()
            .map(|(who, e)| (*who, e.person()))
            .collect()
    }

    /// Gives the ring a new id (recovery): the database adopts it as its own.
    /// Records that the database reached `generation` (written after the
    /// database's own flush): in place, synced, and never lowered.
    pub fn raise_generation(&self, generation: u64) -> Result<(), KeyringError> {
        let mut mark = self.lock_mark();
        if generation <= mark.generation {
            return Ok(());
        }
        self.write_at(&self.ring, GENERATION_AT as u64, &generation.to_be_bytes())?;
        self.sync(&self.ring)?;
        mark.generation = generation;
        Ok(())
    }

    pub fn renew_id(&self) -> Result<RingMark, KeyringError> {
        let mut mark = self.lock_mark();
        let id = random::<16>();
        self.write_at(&self.ring, RING_ID_AT as u64, &id)?;
        self.sync(&self.ring)?;
        mark.id = id;
        Ok(*mark)
    }

    // --- slots ---

    fn slot_cipher(&self, wrap: &[u8]) -> XChaCha20Poly1305 {
        let key = self.keys.keyring_mac(&[b"slot", wrap]);
        XChaCha20Poly1305::new(key.as_ref().into())
    }

    fn aad(&self, slot: u32) -> [u8; 20] {
        let mut aad = [0u8; 20];
        aad[..16].copy_from_slice(&self.salt);
        aad[16..].copy_from_slice(&slot.to_be_bytes());
        aad
    }

    fn write_entry(
        &self,
        kind: u8,
        who: Option<&Pseudonym>,
        generation: u64,
        now: DateTime<Utc>,
    ) -> Result<Entry, KeyringError> {
        let slot = {
            let mut index = self.lock();
            match index.free.pop() {
                Some(slot) => slot,
                None => {
                    index.len += 1;
                    index.len - 1
                }
            }
        };
        let entry = Entry {
            slot,
            id: RecordId::random(),
            key: DataKey::generate(),
            created: now.timestamp(),
            generation,
        };
        let mut plain = Zeroizing::new([0u8; PLAIN]);
        plain[0] = kind;
        plain[1..9].copy_from_slice(&entry.created.to_be_bytes());
        plain[9..25].copy_from_slice(entry.id.as_bytes());
        plain[25..57].copy_from_slice(entry.key.bytes());
        if let Some(who) = who {
            plain[57..89].copy_from_slice(who.as_bytes());
        }
        plain[89..97].copy_from_slice(&generation.to_be_bytes());
        let wrap = Zeroizing::new(random::<WRAP>());
        let nonce = random::<NONCE>();
        let mut sealed = Zeroizing::new([0u8; SLOT]);
        sealed[..NONCE].copy_from_slice(&nonce);
        sealed[NONCE..NONCE + PLAIN].copy_from_slice(plain.as_ref());
        let tag = self
            .slot_cipher(wrap.as_ref())
            .encrypt_in_place_detached(
                XNonce::from_slice(&nonce),
                &self.aad(slot),
                &mut sealed[NONCE..NONCE + PLAIN],
            )
            .expect("XChaCha20-Poly1305 encryption does not fail for in-memory buffers");
        sealed[NONCE + PLAIN..].copy_from_slice(&tag);
        // The wrapping key first: until the slot itself is written, the slot
        // still holds random bytes and reads as free. On failure the slot is not
        // reused in this run; a half-written entry is swept as an orphan.
        self.write_at(&self.wrap, wrap_offset(slot), wrap.as_ref())?;
        self.sync(&self.wrap)?;
        self.write_at(&self.ring, slot_offset(slot), sealed.as_ref())?;
        self.sync(&self.ring)?;
        Ok(entry)
    }

    fn open_slot(&self, slot: u32, wrap: &[u8], sealed: &[u8]) -> Option<Opened> {
        if sealed.len() != SLOT {
            return None;
        }
        let mut plain = Zeroizing::new([0u8; PLAIN]);
        plain.copy_from_slice(&sealed[NONCE..NONCE + PLAIN]);
        self.slot_cipher(wrap)
            .decrypt_in_place_detached(
                XNonce::from_slice(&sealed[..NONCE]),
                &self.aad(slot),
                plain.as_mut(),
                Tag::from_slice(&sealed[NONCE + PLAIN..]),
            )
            .ok()?;
        let entry = Entry {
            slot,
            id: RecordId::from_slice(&plain[9..25])?,
            key: DataKey::from_bytes(plain[25..57].try_into().ok()?),
            created: i64::from_be_bytes(plain[1..9].try_into().ok()?),
            generation: u64::from_be_bytes(plain[89..97].try_into().ok()?),
        };
        match plain[0] {
            KIND_PERSON => {
                let who = Pseudonym::from_bytes(plain[57..89].try_into().ok()?);
                Some(Opened::Person(who, entry))
            }
            KIND_REQUEST => Some(Opened::Request(entry)),
            _ => None,
        }
    }

    /// The one place that writes: counts the bytes, and lets tests stop the
    /// process between any two steps.
    fn write_at(&self, file: &File, offset: u64, bytes: &[u8]) -> Result<(), KeyringError> {
        file.write_all_at(bytes, offset)
            .map_err(io(self.path_of(file)))?;
        self.written
            .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        checkpoint();
        Ok(())
    }

    fn path_of(&self, file: &File) -> &Path {
        if std::ptr::eq(file, &self.wrap) {
            &self.wrap_path
        } else {
            &self.ring_path
        }
    }

    fn sync(&self, file: &File) -> Result<(), KeyringError> {
        if self.sync {
            file.sync_data().map_err(io(self.path_of(file)))?;
        }
        checkpoint();
        Ok(())
    }
}

/// The ring's header, checked against the wrapping-key file and the master
/// key: its salt and its mark.
fn read_header(
    path: &Path,
    ring_bytes: &[u8],
    wrap_bytes: &[u8],
    keys: &Keys,
) -> Result<([u8; 16], RingMark), KeyringError> {
    let unreadable = || KeyringError::Unreadable {
        path: path.to_owned(),
    };
    let header = ring_bytes.get(..SLOT).ok_or_else(unreadable)?;
    if &header[..8] != RING_MAGIC || wrap_bytes.get(..8) != Some(WRAP_MAGIC.as_slice()) {
        return Err(unreadable());
    }
    let salt: [u8; 16] = header[SALT_AT..SALT_AT + 16].try_into().unwrap_or_default();
    if wrap_bytes.get(8..24) != Some(salt.as_slice())
        || header[CHECK_AT..CHECK_AT + 32] != check(keys, &salt)[..]
    {
        return Err(unreadable());
    }
    let mark = RingMark {
        id: header[RING_ID_AT..RING_ID_AT + 16]
            .try_into()
            .unwrap_or_default(),
        destroyed: u64::from_be_bytes(
            header[DESTROYED_AT..DESTROYED_AT + 8]
                .try_into()
                .unwrap_or_default(),
        ),
        generation: u64::from_be_bytes(
            header[GENERATION_AT..GENERATION_AT + 8]
                .try_into()
                .unwrap_or_default(),
        ),
    };
    Ok((salt, mark))
}

impl Index {
    /// The index of a ring of `len` slots, from what each slot opened to.
    fn of(len: u32, opened: Vec<(u32, Option<Opened>)>) -> Index {
        let mut index = Index {
            len,
            ..Index::default()
        };
        for (slot, opened) in opened {
            match opened {
                Some(Opened::Person(who, entry)) => match index.persons.get(&who) {
                    // Two entries of hers: a crash during Erase. The newer one wins.
                    Some(kept) if kept.generation > entry.generation => {
                        index.superseded.push(entry)
                    }
                    _ => {
                        if let Some(older) = index.persons.insert(who, entry) {
                            index.superseded.push(older);
                        }
                    }
                },
                Some(Opened::Request(entry)) => {
                    index.requests.insert(entry.id, entry);
                }
                None => index.free.push(slot),
            }
        }
        // Lowest slots first, so the file stays short.
        index.free.sort_unstable_by(|a, b| b.cmp(a));
        index
    }
}

/// Proves the ring was made under this master key.
fn check(keys: &Keys, salt: &[u8; 16]) -> Zeroizing<[u8; 32]> {
    keys.keyring_mac(&[b"ring-check", salt])
}

enum Opened {
    Person(Pseudonym, Entry),
    Request(Entry),
}

impl Entry {
    fn person(&self) -> Person {
        Person {
            dialogue: self.id,
            key: self.key.clone(),
            slot: self.slot,
        }
    }
}

/// Refuses a ring placed inside the data folder, like the master key.
pub fn check_outside(path: &Path, data_dir: &Path) -> Result<(), KeyringError> {
    crypto::check_outside(path, data_dir, "keyring (AKJ_KEYRING)")?;
    crypto::check_outside(&wrap_path(path), data_dir, "keyring (AKJ_KEYRING)")?;
    Ok(())
}

#[cfg(not(test))]
fn checkpoint() {}

#[cfg(test)]
fn checkpoint() {
    tests::crash::checkpoint();
}

#[cfg(test)]
pub(crate) mod tests;
