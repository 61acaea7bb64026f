//! The ring's and the wrapping-key file's bytes on disk: where a slot is, and
//! opening, creating and syncing the files.

use std::fs::{self, File};
use std::path::Path;

use rand::RngCore;

use super::{KeyringError, SLOT, WRAP, WRAP_HEADER};
use crate::crypto;

pub(super) fn io(path: &Path) -> impl Fn(std::io::Error) -> KeyringError + '_ {
    move |e| KeyringError::Io {
        path: path.to_owned(),
        reason: e.to_string(),
    }
}

pub(super) fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
}

pub(super) fn slot_offset(slot: u32) -> u64 {
    (SLOT as u64) * (u64::from(slot) + 1)
}

pub(super) fn wrap_offset(slot: u32) -> u64 {
    WRAP_HEADER as u64 + (WRAP as u64) * u64::from(slot)
}

pub(super) fn new_file(path: &Path) -> Result<File, KeyringError> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(io(path))
}

pub(super) fn existing_file(path: &Path) -> Result<File, KeyringError> {
    crypto::check_private(path, "keyring (AKJ_KEYRING)")?;
    fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map_err(io(path))
}

pub(super) fn sync_folder(path: &Path) -> Result<(), KeyringError> {
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    File::open(folder)
        .and_then(|f| f.sync_all())
        .map_err(io(folder))
}
