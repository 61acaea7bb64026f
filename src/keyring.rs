//! Per-request data keys, kept outside sled in one small file.
//!
//! sled does not overwrite deleted values in place, so a request's personal data is
//! sealed under its own data key; destroying the key is the deletion. The file is
//! sealed under the master key and rewritten whole on every change: written to a
//! temporary file, fsynced, renamed over the old one, and the folder fsynced.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::crypto::{Binding, DataKey, Keys, Sealed};

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
    data_keys: Mutex<BTreeMap<u64, [u8; 32]>>,
}

fn binding() -> Binding {
    Binding::new("keyring", b"", "data-keys")
}

impl Keyring {
    pub fn open(path: &Path, keys: Arc<Keys>) -> Result<Keyring, KeyringError> {
        let data_keys = match fs::read(path) {
            Ok(bytes) => {
                let sealed: Sealed<BTreeMap<u64, [u8; 32]>> = Sealed::from_bytes(bytes);
                keys.open(&sealed, &binding())
                    .map_err(|_| KeyringError::Unreadable {
                        path: path.to_owned(),
                    })?
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
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
            data_keys: Mutex::new(data_keys),
        })
    }

    fn lock(&self) -> MutexGuard<'_, BTreeMap<u64, [u8; 32]>> {
        self.data_keys.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A new data key for request `id`, on disk before it is returned.
    pub fn create(&self, id: u64) -> Result<DataKey, KeyringError> {
        let key = DataKey::generate();
        let mut keys = self.lock();
        keys.insert(id, *key.bytes());
        self.persist(&keys)?;
        Ok(key)
    }

    pub fn get(&self, id: u64) -> Option<DataKey> {
        self.lock().get(&id).copied().map(DataKey::from_bytes)
    }

    /// Destroys the keys of `ids`; returns how many existed.
    pub fn destroy(&self, ids: &[u64]) -> Result<usize, KeyringError> {
        let mut keys = self.lock();
        let removed = ids.iter().filter(|id| keys.remove(id).is_some()).count();
        if removed > 0 {
            self.persist(&keys)?;
        }
        Ok(removed)
    }

    pub fn ids(&self) -> Vec<u64> {
        self.lock().keys().copied().collect()
    }

    fn persist(&self, keys: &BTreeMap<u64, [u8; 32]>) -> Result<(), KeyringError> {
        let sealed = self.keys.seal(keys, &binding());
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
