//! The one sled database and what lives in it.
//!
//! Trees, all opened at start:
//! - `dialogues`: pseudonym → sealed dialogue;
//! - `tracked`: pseudonym → sealed ids of the chat's messages (for Hide and Erase);
//! - `requests`: request id → record (personal part sealed under its data key);
//! - `queue`: urgency rank, time of sending, id → id, for waiting requests only;
//! - `codes`: ticket code → request id; `users`: pseudonym → her latest request;
//! - `counters`: aggregate counts (waiting now; per month for statistics);
//! - `meta`: schema version and the shelter's availability.
//!
//! Nothing here accepts a raw Telegram id: the only user key is a [`Pseudonym`].
//! Per-request data keys live outside sled, in the [`Keyring`].

mod requests;
mod tracked;

pub use requests::{Claimed, EnqueueError, Enqueued, PurgeReport};

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::conversation::{Dialogue, Screen, ShelterState, ShelterStatus};
use crate::crypto::{Binding, Keys, Pseudonym, Sealed};
use crate::keyring::{Keyring, KeyringError};

const SCHEMA: u32 = 1;
/// Version of the stored dialogue shape; a stored older shape resets to the menu.
const DIALOGUE_VERSION: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database in {path} is in use by another ak-jurok process; stop it first")]
    Locked { path: String },
    #[error("database error: {0}")]
    Sled(#[from] sled::Error),
    #[error(transparent)]
    Keyring(#[from] KeyringError),
}

pub struct Store {
    db: sled::Db,
    dialogues: sled::Tree,
    tracked: sled::Tree,
    requests: sled::Tree,
    queue: sled::Tree,
    codes: sled::Tree,
    users: sled::Tree,
    counters: sled::Tree,
    /// Shared facts that name nobody: the shelter's availability.
    meta: sled::Tree,
    keyring: Keyring,
}

const SHELTER_KEY: &str = "shelter";

/// What is sealed for a dialogue: a version tag around the state.
#[derive(Serialize, Deserialize)]
struct Envelope<T> {
    v: u32,
    dialogue: T,
}

impl Store {
    pub fn open(data_dir: &Path, cache_mb: u64, keys: Arc<Keys>) -> Result<Store, StoreError> {
        let path = data_dir.join("db");
        let db = sled::Config::new()
            .path(&path)
            .cache_capacity(cache_mb.max(1) * 1024 * 1024)
            .open()
            .map_err(|e| match e {
                sled::Error::Io(ref io) if io.kind() == std::io::ErrorKind::WouldBlock => {
                    StoreError::Locked {
                        path: path.display().to_string(),
                    }
                }
                sled::Error::Io(ref io) if io.to_string().contains("lock") => StoreError::Locked {
                    path: path.display().to_string(),
                },
                other => StoreError::Sled(other),
            })?;
        let meta = db.open_tree("meta")?;
        meta.insert("schema", &SCHEMA.to_be_bytes())?;
        let keyring = Keyring::open(&data_dir.join("keyring"), keys)?;
        Ok(Store {
            dialogues: db.open_tree("dialogues")?,
            tracked: db.open_tree("tracked")?,
            requests: db.open_tree("requests")?,
            queue: db.open_tree("queue")?,
            codes: db.open_tree("codes")?,
            users: db.open_tree("users")?,
            counters: db.open_tree("counters")?,
            db,
            meta,
            keyring,
        })
    }

    fn binding(who: &Pseudonym) -> Binding {
        Binding::new("dialogue", who.as_bytes(), "state")
    }

    /// Her dialogue, if any. A state from an older version of the bot resets her to
    /// the menu (keeping her language) rather than dropping her update.
    pub fn load_dialogue(
        &self,
        who: &Pseudonym,
        now: DateTime<Utc>,
    ) -> Result<Option<Dialogue>, StoreError> {
        let Some(bytes) = self.dialogues.get(who.as_bytes())? else {
            return Ok(None);
        };
        let sealed: Sealed<Envelope<Dialogue>> = Sealed::from_bytes(bytes.to_vec());
        let opened = self
            .keyring
            .dialogue_key(who)
            .map(|key| key.open_json(&sealed, &Self::binding(who)));
        let Some(Ok(plain)) = opened else {
            tracing::warn!(event = "dialogue_unreadable");
            return Ok(None);
        };
        if let Ok(current) = serde_json::from_slice::<Envelope<Dialogue>>(&plain) {
            if current.v == DIALOGUE_VERSION {
                return Ok(Some(current.dialogue));
            }
        }
        tracing::info!(event = "dialogue_migrated_to_menu");
        let lang = serde_json::from_slice::<serde_json::Value>(&plain)
            .ok()
            .and_then(|v| {
                v.pointer("/dialogue/lang")
                    .or_else(|| v.get("lang"))
                    .and_then(|l| l.as_str().map(str::to_string))
            })
            .unwrap_or_default();
        Ok(Some(Dialogue {
            lang,
            screen: Screen::Menu,
            updated_at: now,
            draft: None,
        }))
    }

    /// Seals her dialogue under her conversation key (created on first use).
    fn seal_dialogue(&self, who: &Pseudonym, dialogue: &Dialogue) -> Result<Vec<u8>, StoreError> {
        let key = self.keyring.dialogue_key_or_create(who)?;
        Ok(key
            .seal(
                &Envelope {
                    v: DIALOGUE_VERSION,
                    dialogue,
                },
                &Self::binding(who),
            )
            .into_bytes())
    }

    pub fn save_dialogue(&self, who: &Pseudonym, dialogue: &Dialogue) -> Result<(), StoreError> {
        self.dialogues
            .insert(who.as_bytes(), self.seal_dialogue(who, dialogue)?)?;
        Ok(())
    }

    /// Forgets her dialogue and the ids of her chat's messages, and destroys the key
    /// they were sealed under, so what sled still keeps of them is unreadable.
    pub fn remove_dialogue(&self, who: &Pseudonym) -> Result<(), StoreError> {
        self.keyring.destroy_dialogue_key(who)?;
        self.dialogues.remove(who.as_bytes())?;
        self.tracked.remove(who.as_bytes())?;
        Ok(())
    }

    /// Sets the shelter's availability, as of `now`, and writes it to disk.
    pub fn set_shelter(&self, state: ShelterState, now: DateTime<Utc>) -> Result<(), StoreError> {
        let status = ShelterStatus { state, set_at: now };
        let bytes = serde_json::to_vec(&status).expect("shelter status serializes");
        self.meta.insert(SHELTER_KEY, bytes)?;
        self.db.flush()?;
        Ok(())
    }

    /// The shelter's availability as last set; `None` if never set or unreadable.
    pub fn shelter(&self) -> Result<Option<ShelterStatus>, StoreError> {
        Ok(self
            .meta
            .get(SHELTER_KEY)?
            .and_then(|bytes| serde_json::from_slice(&bytes).ok()))
    }

    /// Writes everything to disk.
    pub fn flush(&self) -> Result<(), StoreError> {
        self.db.flush()?;
        Ok(())
    }

    #[cfg(test)]
    fn put_sealed_json(&self, who: &Pseudonym, value: &serde_json::Value) {
        let key = self.keyring.dialogue_key_or_create(who).unwrap();
        let sealed = key.seal(value, &Self::binding(who));
        self.dialogues
            .insert(who.as_bytes(), sealed.into_bytes())
            .unwrap();
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
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn open(dir: &Path) -> Store {
        Store::open(dir, 1, Arc::new(Keys::from_master(&[3u8; 32]))).unwrap()
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 5, 1, 12, 0, 0).unwrap()
    }

    #[test]
    fn dialogue_survives_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let who = Keys::from_master(&[3u8; 32]).pseudonym(77);
        let d = Dialogue {
            lang: "ru".into(),
            screen: Screen::Covid(3),
            updated_at: now(),
            draft: None,
        };
        open(dir.path()).save_dialogue(&who, &d).unwrap();
        assert_eq!(
            open(dir.path()).load_dialogue(&who, now()).unwrap(),
            Some(d)
        );
    }

    #[test]
    fn older_dialogue_shape_resets_to_menu_keeping_the_language() {
        let dir = tempfile::tempdir().unwrap();
        let store = open(dir.path());
        let who = Keys::from_master(&[3u8; 32]).pseudonym(78);
        store.put_sealed_json(
            &who,
            &serde_json::json!({"v": 0, "dialogue": {"lang": "ru", "screen": {"Wizard": {"step": 3}}}}),
        );
        let d = store.load_dialogue(&who, now()).unwrap().unwrap();
        assert_eq!((d.lang.as_str(), d.screen), ("ru", Screen::Menu));
        store.put_sealed_json(&who, &serde_json::json!(["garbage"]));
        let d = store.load_dialogue(&who, now()).unwrap().unwrap();
        assert_eq!(d.screen, Screen::Menu);
    }

    #[test]
    fn shelter_state_is_kept_with_its_time() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(open(dir.path()).shelter().unwrap(), None);
        open(dir.path())
            .set_shelter(ShelterState::Few, now())
            .unwrap();
        assert_eq!(
            open(dir.path()).shelter().unwrap(),
            Some(ShelterStatus {
                state: ShelterState::Few,
                set_at: now()
            })
        );
    }

    #[test]
    fn second_open_of_a_database_in_use_is_refused_clearly() {
        let dir = tempfile::tempdir().unwrap();
        let _first = open(dir.path());
        let second = Store::open(dir.path(), 1, Arc::new(Keys::from_master(&[3u8; 32])));
        let message = second.err().expect("refused").to_string();
        assert!(
            message.contains("in use by another ak-jurok process"),
            "{message}"
        );
    }

    #[test]
    fn a_removed_dialogue_cannot_be_opened_from_what_sled_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = open(dir.path());
        let who = Keys::from_master(&[3u8; 32]).pseudonym(80);
        let d = Dialogue {
            lang: "ru".into(),
            screen: Screen::Menu,
            updated_at: now(),
            draft: None,
        };
        store.save_dialogue(&who, &d).unwrap();
        let kept = store.dialogues.get(who.as_bytes()).unwrap().unwrap();
        store.remove_dialogue(&who).unwrap();
        // Put the old bytes back, as if read from sled's files: they stay sealed.
        store.dialogues.insert(who.as_bytes(), kept).unwrap();
        assert_eq!(store.load_dialogue(&who, now()).unwrap(), None);
    }

    #[test]
    fn a_data_folder_under_another_master_key_is_refused_clearly() {
        let dir = tempfile::tempdir().unwrap();
        let who = Keys::from_master(&[3u8; 32]).pseudonym(79);
        let d = Dialogue {
            lang: "ky".into(),
            screen: Screen::Menu,
            updated_at: now(),
            draft: None,
        };
        open(dir.path()).save_dialogue(&who, &d).unwrap();
        let other = Store::open(dir.path(), 1, Arc::new(Keys::from_master(&[4u8; 32])));
        let message = other.err().expect("refused").to_string();
        assert!(
            message.contains("restore the matching key file"),
            "{message}"
        );
    }
}
