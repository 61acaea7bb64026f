//! Keys, pseudonyms and sealing.
//!
//! One master secret lives in a key file outside the data directory. Subkeys are
//! derived from it with HKDF so that a pseudonym key can never open sealed data and
//! the other way round. Users are known only by [`Pseudonym`] (HMAC-SHA256 of the
//! Telegram user id); whatever could name them is a [`Sealed`] value.

use std::fmt;
use std::fs;
use std::io::Write;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use zeroize::Zeroizing;

const MASTER_LEN: usize = 32;
const NONCE_LEN: usize = 24;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("key file {path}: {source}; check the path in AKJ_KEY_FILE or `key_file` and that its folder exists and is writable")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{what} {path} can be read by group or others (mode {mode:o}); run `chmod 600 {path}`"
    )]
    TooOpen {
        what: &'static str,
        path: PathBuf,
        mode: u32,
    },
    #[error("key file {path} is not a {MASTER_LEN}-byte key; restore it from your key backup")]
    Malformed { path: PathBuf },
    #[error("{what} {path} is inside the data directory {data}; keep it outside, so backups of the data never carry it")]
    InsideDataDir {
        what: &'static str,
        path: PathBuf,
        data: PathBuf,
    },
}

/// The keys derived from the master secret. Cheap to share behind an `Arc`.
pub struct Keys {
    pseudonym: Zeroizing<[u8; 32]>,
    /// Mixed into the keyring's slot keys and header check: the keyring needs the
    /// master key *and* its own wrapping-key file.
    keyring: Zeroizing<[u8; 32]>,
    /// Keys the blocks list: a block names a pseudonym only through this.
    block: Zeroizing<[u8; 32]>,
}

/// What the blocks list keeps of a blocked person: an HMAC of the pseudonym
/// under its own key, so the list links to nothing else in the database.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct BlockTag(pub [u8; 32]);

impl fmt::Debug for BlockTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BlockTag(..)")
    }
}

impl Keys {
    /// Loads the master secret from `path`, creating it (mode 0600) when absent.
    pub fn load_or_create(path: &Path) -> Result<Keys, KeyError> {
        let io = |source| KeyError::Io {
            path: path.to_owned(),
            source,
        };
        if !path.exists() {
            let mut secret = Zeroizing::new([0u8; MASTER_LEN]);
            rand::rngs::OsRng.fill_bytes(secret.as_mut());
            write_new_secret(path, secret.as_ref()).map_err(io)?;
        }
        check_private(path, "key file (AKJ_KEY_FILE)")?;
        let bytes = Zeroizing::new(fs::read(path).map_err(io)?);
        let master: [u8; MASTER_LEN] =
            bytes
                .as_slice()
                .try_into()
                .map_err(|_| KeyError::Malformed {
                    path: path.to_owned(),
                })?;
        Ok(Keys::from_master(&Zeroizing::new(master)))
    }

    pub fn from_master(master: &[u8; MASTER_LEN]) -> Keys {
        let hk = Hkdf::<Sha256>::new(Some(b"ak-jurok/v1"), master);
        let mut pseudonym = Zeroizing::new([0u8; 32]);
        let mut keyring = Zeroizing::new([0u8; 32]);
        let mut block = Zeroizing::new([0u8; 32]);
        // Output lengths of 32 are always valid for HKDF-SHA256.
        let _ = hk.expand(b"pseudonym", pseudonym.as_mut());
        let _ = hk.expand(b"keyring", keyring.as_mut());
        let _ = hk.expand(b"blocks", block.as_mut());
        Keys {
            pseudonym,
            keyring,
            block,
        }
    }

    /// The blocks list's name for a person.
    pub fn block_tag(&self, who: &Pseudonym) -> BlockTag {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.block.as_ref())
            .expect("HMAC accepts keys of any length");
        mac.update(who.as_bytes());
        BlockTag(mac.finalize().into_bytes().into())
    }

    /// HMAC-SHA256 of `parts` under the keyring subkey: the keyring's header check
    /// and, with a slot's random wrapping key as input, the key of that slot.
    pub fn keyring_mac(&self, parts: &[&[u8]]) -> Zeroizing<[u8; 32]> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.keyring.as_ref())
            .expect("HMAC accepts keys of any length");
        for part in parts {
            mac.update(&(part.len() as u32).to_be_bytes());
            mac.update(part);
        }
        Zeroizing::new(mac.finalize().into_bytes().into())
    }

    /// The pseudonym of a Telegram user: the only user key that reaches the store.
    pub fn pseudonym(&self, telegram_user_id: u64) -> Pseudonym {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.pseudonym.as_ref())
            .expect("HMAC accepts keys of any length");
        mac.update(&telegram_user_id.to_be_bytes());
        Pseudonym(mac.finalize().into_bytes().into())
    }
}

/// A data key: one per request, one per person's conversation. Destroying it (in
/// the keyring) is how what it sealed is deleted: sled keeps old values in its
/// files, the key does not.
#[derive(Clone)]
pub struct DataKey(Zeroizing<[u8; 32]>);

impl DataKey {
    pub fn generate() -> DataKey {
        let mut key = Zeroizing::new([0u8; 32]);
        rand::rngs::OsRng.fill_bytes(key.as_mut());
        DataKey(key)
    }

    pub fn from_bytes(bytes: [u8; 32]) -> DataKey {
        DataKey(Zeroizing::new(bytes))
    }

    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(self.0.as_ref().into())
    }

    pub fn seal<T: Serialize>(&self, value: &T, binding: &Binding) -> Sealed<T> {
        seal_under(&self.cipher(), value, binding)
    }

    pub fn open<T: DeserializeOwned>(
        &self,
        sealed: &Sealed<T>,
        binding: &Binding,
    ) -> Result<T, OpenError> {
        open_under(&self.cipher(), sealed, binding)
    }

    /// Opens a sealed value without interpreting it (used to migrate old shapes).
    pub fn open_json<T>(
        &self,
        sealed: &Sealed<T>,
        binding: &Binding,
    ) -> Result<Zeroizing<Vec<u8>>, OpenError> {
        open_raw(&self.cipher(), sealed, binding)
    }
}

/// Sealed plaintexts are padded to these sizes (then to whole multiples of the
/// largest), so a sealed value's length says little about what it holds: which
/// screens she saw, how long her description was.
const PAD_CLASSES: [usize; 3] = [512, 2048, 8192];

/// Length prefix, the value, zeros up to the size class.
fn pad(json: &[u8]) -> Zeroizing<Vec<u8>> {
    let needed = json.len() + 4;
    let largest = PAD_CLASSES[PAD_CLASSES.len() - 1];
    let size = PAD_CLASSES
        .into_iter()
        .find(|class| *class >= needed)
        .unwrap_or_else(|| needed.div_ceil(largest) * largest);
    let mut plain = Zeroizing::new(Vec::with_capacity(size));
    plain.extend_from_slice(&(json.len() as u32).to_le_bytes());
    plain.extend_from_slice(json);
    plain.resize(size, 0);
    plain
}

fn unpad(plain: Zeroizing<Vec<u8>>) -> Result<Zeroizing<Vec<u8>>, OpenError> {
    let len = plain
        .get(..4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
        .ok_or(OpenError::Shape)?;
    let value = plain.get(4..4 + len).ok_or(OpenError::Shape)?;
    Ok(Zeroizing::new(value.to_vec()))
}

fn seal_under<T: Serialize>(key: &XChaCha20Poly1305, value: &T, binding: &Binding) -> Sealed<T> {
    let json = Zeroizing::new(serde_json::to_vec(value).expect("sealed types serialize"));
    let plain = pad(&json);
    let mut nonce = [0u8; NONCE_LEN];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let cipher = key
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &plain,
                aad: binding.as_bytes(),
            },
        )
        .expect("XChaCha20-Poly1305 encryption does not fail for in-memory buffers");
    let mut bytes = nonce.to_vec();
    bytes.extend_from_slice(&cipher);
    Sealed {
        bytes,
        _value: PhantomData,
    }
}

fn open_under<T: DeserializeOwned>(
    key: &XChaCha20Poly1305,
    sealed: &Sealed<T>,
    binding: &Binding,
) -> Result<T, OpenError> {
    open_raw(key, sealed, binding)
        .and_then(|plain| serde_json::from_slice(&plain).map_err(|_| OpenError::Shape))
}

fn open_raw<T>(
    key: &XChaCha20Poly1305,
    sealed: &Sealed<T>,
    binding: &Binding,
) -> Result<Zeroizing<Vec<u8>>, OpenError> {
    if sealed.bytes.len() < NONCE_LEN {
        return Err(OpenError::Unreadable);
    }
    let (nonce, cipher) = sealed.bytes.split_at(NONCE_LEN);
    key.decrypt(
        XNonce::from_slice(nonce),
        Payload {
            msg: cipher,
            aad: binding.as_bytes(),
        },
    )
    .map(Zeroizing::new)
    .map_err(|_| OpenError::Unreadable)
    .and_then(unpad)
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OpenError {
    #[error("sealed value cannot be opened (wrong key or binding, or damaged)")]
    Unreadable,
    #[error("sealed value opened but has an unexpected shape")]
    Shape,
}

/// A keyed hash of a Telegram user id. Its bytes never appear in logs.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Pseudonym([u8; 32]);

impl Pseudonym {
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// A pseudonym read back from the store's own keys.
    pub fn from_bytes(bytes: [u8; 32]) -> Pseudonym {
        Pseudonym(bytes)
    }
}

impl fmt::Debug for Pseudonym {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pseudonym(..)")
    }
}

/// What a sealed value is bound to: a record kind, the record's key and the field.
/// Moving ciphertext to another record or field makes it fail to open.
pub struct Binding(Vec<u8>);

impl Binding {
    pub fn new(kind: &str, record: &[u8], field: &str) -> Binding {
        let mut aad = Vec::with_capacity(kind.len() + record.len() + field.len() + 16);
        for part in [kind.as_bytes(), record, field.as_bytes()] {
            aad.extend_from_slice(&(part.len() as u32).to_be_bytes());
            aad.extend_from_slice(part);
        }
        Binding(aad)
    }

    fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

/// An encrypted `T`: nonce followed by ciphertext and tag.
#[derive(Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Sealed<T> {
    bytes: Vec<u8>,
    #[serde(skip)]
    _value: PhantomData<fn() -> T>,
}

impl<T> Sealed<T> {
    pub fn from_bytes(bytes: Vec<u8>) -> Sealed<T> {
        Sealed {
            bytes,
            _value: PhantomData,
        }
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

impl<T> fmt::Debug for Sealed<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sealed({} bytes)", self.bytes.len())
    }
}

fn write_new_secret(path: &Path, secret: &[u8]) -> std::io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(secret)?;
    file.sync_all()
}

/// Refuses a secret file (`what`: which one, and its setting) that group or
/// others can read.
pub fn check_private(path: &Path, what: &'static str) -> Result<(), KeyError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = fs::metadata(path).map_err(|source| KeyError::Io {
            path: path.to_owned(),
            source,
        })?;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(KeyError::TooOpen {
                what,
                path: path.to_owned(),
                mode,
            });
        }
    }
    Ok(())
}

/// Refuses a secret file (`what`: which one, and its setting) placed inside the
/// data directory, where a backup of the data would carry it.
pub fn check_outside(path: &Path, data_dir: &Path, what: &'static str) -> Result<(), KeyError> {
    let absolute = |p: &Path| {
        p.parent()
            .filter(|parent| !parent.as_os_str().is_empty())
            .and_then(|parent| fs::canonicalize(parent).ok())
            .map(|parent| parent.join(p.file_name().unwrap_or_default()))
            .unwrap_or_else(|| std::env::current_dir().unwrap_or_default().join(p))
    };
    let data = fs::canonicalize(data_dir).unwrap_or_else(|_| absolute(data_dir));
    if absolute(path).starts_with(&data) {
        return Err(KeyError::InsideDataDir {
            what,
            path: path.to_owned(),
            data: data_dir.to_owned(),
        });
    }
    Ok(())
}

/// Refuses the master key file placed inside the data directory.
pub fn check_key_outside(key: &Path, data_dir: &Path) -> Result<(), KeyError> {
    check_outside(key, data_dir, "key file (AKJ_KEY_FILE)")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> Keys {
        Keys::from_master(&[7u8; 32])
    }

    #[test]
    fn pseudonym_is_stable_and_depends_on_the_key() {
        let a = keys().pseudonym(42);
        assert_eq!(a, keys().pseudonym(42));
        assert_ne!(a, keys().pseudonym(43));
        assert_ne!(a, Keys::from_master(&[8u8; 32]).pseudonym(42));
    }

    #[test]
    fn sealed_value_opens_only_with_its_key_and_binding() {
        let k = DataKey::from_bytes([7u8; 32]);
        let here = Binding::new("dialogue", b"abc", "state");
        let sealed = k.seal(&"secret text".to_string(), &here);
        assert!(!sealed.bytes.windows(6).any(|w| w == b"secret"));
        assert_eq!(k.open(&sealed, &here).unwrap(), "secret text");
        let elsewhere = Binding::new("dialogue", b"abd", "state");
        assert_eq!(k.open(&sealed, &elsewhere), Err(OpenError::Unreadable));
        let other_key = DataKey::from_bytes([9u8; 32]);
        assert_eq!(other_key.open(&sealed, &here), Err(OpenError::Unreadable));
    }

    #[test]
    fn sealed_lengths_fall_into_a_few_classes() {
        let k = DataKey::generate();
        let here = Binding::new("dialogue", b"abc", "state");
        let short = k.seal(&"a".to_string(), &here).into_bytes().len();
        let longer = k.seal(&"a".repeat(400), &here).into_bytes().len();
        assert_eq!(short, longer, "both fit the smallest class");
        let long = k.seal(&"a".repeat(1000), &here);
        assert_eq!(long.bytes.len(), NONCE_LEN + 2048 + 16);
        assert_eq!(k.open(&long, &here).unwrap(), "a".repeat(1000));
        let huge = k.seal(&"a".repeat(20_000), &here);
        assert_eq!((huge.bytes.len() - NONCE_LEN - 16) % 8192, 0);
        assert_eq!(k.open(&huge, &here).unwrap().len(), 20_000);
    }

    #[test]
    fn key_file_is_created_private_and_reloaded() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        let first = Keys::load_or_create(&path).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let again = Keys::load_or_create(&path).unwrap();
        assert_eq!(first.pseudonym(1), again.pseudonym(1));
    }

    #[test]
    fn key_file_readable_by_others_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        Keys::load_or_create(&path).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        assert!(matches!(
            Keys::load_or_create(&path),
            Err(KeyError::TooOpen { .. })
        ));
    }

    #[test]
    fn truncated_key_file_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        fs::write(&path, b"short").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        assert!(matches!(
            Keys::load_or_create(&path),
            Err(KeyError::Malformed { .. })
        ));
    }

    #[test]
    fn key_inside_data_dir_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        fs::create_dir(&data).unwrap();
        assert!(check_key_outside(&data.join("k.key"), &data).is_err());
        assert!(check_key_outside(&dir.path().join("k.key"), &data).is_ok());
    }
}
