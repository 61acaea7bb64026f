//! Data keys, kept outside sled in one small file: one per request, and one per
//! person for her conversation (dialogue, draft, message ids).
//!
//! sled does not overwrite deleted values in place, so what names her is sealed
//! under a data key of its own; destroying the key is the deletion. The file is
//! sealed under the master key and rewritten whole on every change: written to a
//! temporary file, fsynced, renamed over the old one, and the folder fsynced.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use serde::{Deserialize, Serialize};

use crate::crypto::{Binding, DataKey, Keys, Pseudonym, Sealed};

#[derive(Debug, thiserror::Error)]
pub enum KeyringError {
    #[error("keyring {path}: {reason}")]
    Io { path: PathBuf, reason: String },
    #[error("keyring {path} cannot be opened with this master key; restore the matching key file")]
    Unreadable { path: PathBuf },
}

pub struct Keyring {
    path: PathBuf,
    keys: Arc<Keys>,
    ring: Mutex<Ring>,
}

#[derive(Default, Serialize, Deserialize)]
struct Ring {
    /// Request id → data key.
    requests: BTreeMap<u64, [u8; 32]>,
    /// Pseudonym (hex) → data key of her conversation.
    dialogues: BTreeMap<String, [u8; 32]>,
}

fn hex(who: &Pseudonym) -> String {
    who.as_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

fn binding() -> Binding {
    Binding::new("keyring", b"", "data-keys")
}

impl Keyring {
    pub fn open(path: &Path, keys: Arc<Keys>) -> Result<Keyring, KeyringError> {
        let ring = match fs::read(path) {
            Ok(bytes) => {
                let sealed: Sealed<Ring> = Sealed::from_bytes(bytes);
                keys.open(&sealed, &binding())
                    .map_err(|_| KeyringError::Unreadable {
                        path: path.to_owned(),
                    })?
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ring::default(),
            Err(e) => {
                return Err(KeyringError::Io {
                    path: path.to_owned(),
                    reason: e.to_string(),
                })
            }
        };
        Ok(Keyring {
            path: path.to_owned(),
            keys,
            ring: Mutex::new(ring),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Ring> {
        self.ring.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A new data key for request `id`, on disk before it is returned.
    pub fn create(&self, id: u64) -> Result<DataKey, KeyringError> {
        let key = DataKey::generate();
        let mut ring = self.lock();
        ring.requests.insert(id, *key.bytes());
        self.persist(&ring)?;
        Ok(key)
    }

    pub fn get(&self, id: u64) -> Option<DataKey> {
        self.lock()
            .requests
            .get(&id)
            .copied()
            .map(DataKey::from_bytes)
    }

    /// Destroys the keys of `ids`; returns how many existed.
    pub fn destroy(&self, ids: &[u64]) -> Result<usize, KeyringError> {
        let mut ring = self.lock();
        let removed = ids
            .iter()
            .filter(|id| ring.requests.remove(id).is_some())
            .count();
        if removed > 0 {
            self.persist(&ring)?;
        }
        Ok(removed)
    }

    /// Request ids that have a key.
    pub fn ids(&self) -> Vec<u64> {
        self.lock().requests.keys().copied().collect()
    }

    /// The key of her conversation, if she has one.
    pub fn dialogue_key(&self, who: &Pseudonym) -> Option<DataKey> {
        self.lock()
            .dialogues
            .get(&hex(who))
            .copied()
            .map(DataKey::from_bytes)
    }

    /// The key of her conversation, created (and on disk) if she has none yet.
    pub fn dialogue_key_or_create(&self, who: &Pseudonym) -> Result<DataKey, KeyringError> {
        let mut ring = self.lock();
        if let Some(key) = ring.dialogues.get(&hex(who)) {
            return Ok(DataKey::from_bytes(*key));
        }
        let key = DataKey::generate();
        ring.dialogues.insert(hex(who), *key.bytes());
        self.persist(&ring)?;
        Ok(key)
    }

    /// Destroys the key of her conversation: what sled still holds of it is
    /// unreadable from now on.
    pub fn destroy_dialogue_key(&self, who: &Pseudonym) -> Result<bool, KeyringError> {
        let mut ring = self.lock();
        let existed = ring.dialogues.remove(&hex(who)).is_some();
        if existed {
            self.persist(&ring)?;
        }
        Ok(existed)
    }

    fn persist(&self, ring: &Ring) -> Result<(), KeyringError> {
        let sealed = self.keys.seal(ring, &binding());
        let io = |e: std::io::Error| KeyringError::Io {
            path: self.path.clone(),
            reason: e.to_string(),
        };
        let tmp = self.path.with_extension("tmp");
        let mut options = fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&tmp).map_err(io)?;
        file.write_all(&sealed.into_bytes()).map_err(io)?;
        file.sync_all().map_err(io)?;
        fs::rename(&tmp, &self.path).map_err(io)?;
        if let Some(folder) = self.path.parent() {
            fs::File::open(folder)
                .and_then(|f| f.sync_all())
                .map_err(io)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> Arc<Keys> {
        Arc::new(Keys::from_master(&[5u8; 32]))
    }

    #[test]
    fn keys_survive_reopening_and_destroyed_ones_are_gone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keyring");
        let ring = Keyring::open(&path, keys()).unwrap();
        let one = ring.create(1).unwrap();
        ring.create(2).unwrap();
        let reopened = Keyring::open(&path, keys()).unwrap();
        assert_eq!(reopened.get(1).unwrap().bytes(), one.bytes());
        assert_eq!(reopened.destroy(&[1, 9]).unwrap(), 1);
        let again = Keyring::open(&path, keys()).unwrap();
        assert!(again.get(1).is_none());
        assert_eq!(again.ids(), [2]);
        let raw = fs::read(&path).unwrap();
        assert!(!raw.windows(32).any(|w| w == one.bytes()), "file is sealed");
    }

    #[test]
    fn dialogue_keys_are_kept_per_person_and_destroyed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keyring");
        let ring = Keyring::open(&path, keys()).unwrap();
        let (her, other) = (keys().pseudonym(1), keys().pseudonym(2));
        assert!(ring.dialogue_key(&her).is_none());
        let key = ring.dialogue_key_or_create(&her).unwrap();
        assert_eq!(
            ring.dialogue_key_or_create(&her).unwrap().bytes(),
            key.bytes()
        );
        ring.dialogue_key_or_create(&other).unwrap();
        let reopened = Keyring::open(&path, keys()).unwrap();
        assert_eq!(reopened.dialogue_key(&her).unwrap().bytes(), key.bytes());
        assert!(reopened.destroy_dialogue_key(&her).unwrap());
        let again = Keyring::open(&path, keys()).unwrap();
        assert!(again.dialogue_key(&her).is_none());
        assert!(again.dialogue_key(&other).is_some());
    }

    #[test]
    fn keyring_under_another_master_key_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keyring");
        Keyring::open(&path, keys()).unwrap().create(1).unwrap();
        let other = Arc::new(Keys::from_master(&[6u8; 32]));
        assert!(matches!(
            Keyring::open(&path, other),
            Err(KeyringError::Unreadable { .. })
        ));
    }
}
