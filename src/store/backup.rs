//! Backups: a fresh copy of the database, taken by the running bot (on its
//! schedule, and on SIGUSR1) or offline by `ak-jurok backup`.
//!
//! sled decides the method. One process holds a database's lock, so a running
//! bot's database can be copied only by the bot itself; `Db::export` is no
//! snapshot (a write between two trees would land in one half of the copy)
//! and unwraps I/O errors. So every store intent that writes holds the write
//! gate (`store::gate`) shared for its duration, and the copy holds it alone
//! while it reads the trees one by one, each row's error returned: for that
//! time, writes wait (reads do not). Only live rows travel — never what sled still
//! keeps in its files of deleted ones — and never the key or the keyring.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, Utc};

use super::{Store, StoreError};

/// The start of every backup folder's name; the rest is when (UTC).
const PREFIX: &str = "ak-jurok-";
const STAMP: &str = "%Y%m%d-%H%M%S";

/// A backup written by the running bot.
#[derive(Debug)]
pub struct BackupMade {
    /// Its folder (holding `db`).
    pub path: PathBuf,
    /// Rows copied.
    pub rows: usize,
    /// How long writes waited for the copy.
    pub held: std::time::Duration,
    /// Older backups removed (beyond `keep`).
    pub removed: usize,
}

impl Store {
    /// Writes a backup of the live database into a new folder in `dir`
    /// (`ak-jurok-YYYYMMDD-HHMMSS`, mode 0700; made under another name and
    /// renamed when whole), then removes the oldest beyond `keep`. Writes wait
    /// while the trees are copied; the copy is flushed after they go on.
    pub fn backup_to(
        &self,
        dir: &Path,
        keep: usize,
        now: DateTime<Utc>,
    ) -> Result<BackupMade, StoreError> {
        debug_assert!(!self.gate.held(), "a backup inside a store intent");
        private_folder(dir)?;
        let name = free_name(dir, now);
        let partial = dir.join(format!(".{name}.partial"));
        let made = (|| {
            if partial.exists() {
                std::fs::remove_dir_all(&partial).map_err(at(&partial))?;
            }
            private_folder(&partial)?;
            let copy = super::open_sled(&partial.join("db"), 1)?;
            let started = std::time::Instant::now();
            let rows = {
                let _alone = self.gate.alone();
                copy_trees(&self.db, &copy)?
            };
            let held = started.elapsed();
            stamp(&copy, now)?;
            drop(copy);
            let path = dir.join(&name);
            std::fs::rename(&partial, &path).map_err(at(&path))?;
            sync_folder(dir)?;
            Ok::<_, StoreError>((path, rows, held))
        })();
        let (path, rows, held) = match made {
            Ok(made) => made,
            Err(error) => {
                let _ = std::fs::remove_dir_all(&partial);
                return Err(error);
            }
        };
        let removed = prune(dir, keep.max(1))?;
        Ok(BackupMade {
            path,
            rows,
            held,
            removed,
        })
    }

    /// Offline: a fresh copy of the database in `dest` (a new or empty
    /// folder, made private), tree by tree, so only live values travel —
    /// never what sled still keeps of deleted ones, and never the keyring or
    /// the key. Refused in one line while a bot holds the data: ask it
    /// instead (SIGUSR1). The number of trees copied.
    pub fn backup(data_dir: &Path, dest: &Path) -> Result<usize, StoreError> {
        let source = data_dir.join("db");
        if !source.exists() {
            return Err(StoreError::Sled(sled::Error::Unsupported(format!(
                "{} holds no database",
                data_dir.display()
            ))));
        }
        let absolute = std::path::absolute(dest).unwrap_or_else(|_| dest.to_path_buf());
        if dest.exists()
            && std::fs::read_dir(dest)
                .map_err(at(&absolute))?
                .next()
                .is_some()
        {
            return Err(StoreError::Sled(sled::Error::Unsupported(format!(
                "{} is not empty; back up into a new folder",
                dest.display()
            ))));
        }
        let db = super::open_sled(&source, 1)?;
        private_folder(dest)?;
        let copy = super::open_sled(&dest.join("db"), 1)?;
        copy_trees(&db, &copy)?;
        stamp(&copy, Utc::now())?;
        Ok(db.tree_names().len())
    }
}

/// When the newest backup in `dir` was made (from its folder's name); `None`
/// when there is none (or no such folder).
pub fn newest_backup(dir: &Path) -> Option<DateTime<Utc>> {
    backups(dir).ok()?.into_iter().map(|(at, _)| at).max()
}

/// When the next backup is due: `every` after the newest, or now if that is
/// past or there is none.
pub fn next_backup(
    newest: Option<DateTime<Utc>>,
    every: chrono::Duration,
    now: DateTime<Utc>,
) -> DateTime<Utc> {
    newest.map_or(now, |at| (at + every).max(now))
}

/// Copies every tree of `from` into `into`, row by row, every error
/// returned (sled's `export`/`import` panic on one). The rows copied.
pub(super) fn copy_trees(from: &sled::Db, into: &sled::Db) -> Result<usize, StoreError> {
    let mut rows = 0;
    for name in from.tree_names() {
        let source = from.open_tree(&name)?;
        let target = into.open_tree(&name)?;
        let mut batch = sled::Batch::default();
        for (n, entry) in source.iter().enumerate() {
            let (key, value) = entry?;
            batch.insert(key, value);
            rows += 1;
            if n % 1024 == 1023 {
                target.apply_batch(std::mem::take(&mut batch))?;
            }
        }
        target.apply_batch(batch)?;
    }
    Ok(rows)
}

/// Records in a copy when it was made (for the card of a request it brings
/// back), and flushes it.
fn stamp(copy: &sled::Db, now: DateTime<Utc>) -> Result<(), StoreError> {
    copy.open_tree("meta")?.insert(
        super::restore::BACKUP_AT_KEY,
        &now.timestamp_millis().to_be_bytes(),
    )?;
    copy.flush()?;
    Ok(())
}

/// The backups in `dir`, by when, with their folders.
fn backups(dir: &Path) -> Result<Vec<(DateTime<Utc>, PathBuf)>, StoreError> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(at(dir))? {
        let path = entry.map_err(at(dir))?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let Some(stamp) = name.strip_prefix(PREFIX) else {
            continue;
        };
        // `-2`, `-3` … after the stamp: two in the same second.
        let stamp = stamp.get(..15).unwrap_or(stamp);
        if let Ok(at) = NaiveDateTime::parse_from_str(stamp, STAMP) {
            if path.is_dir() {
                found.push((at.and_utc(), path));
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Removes the oldest backups beyond `keep`, and copies a crash left half
/// made. How many backups were removed.
fn prune(dir: &Path, keep: usize) -> Result<usize, StoreError> {
    let all = backups(dir)?;
    let old = all.len().saturating_sub(keep);
    for (_, path) in &all[..old] {
        std::fs::remove_dir_all(path).map_err(at(path))?;
    }
    for entry in std::fs::read_dir(dir).map_err(at(dir))?.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(&format!(".{PREFIX}")) && name.ends_with(".partial") {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    Ok(old)
}

/// `ak-jurok-<stamp>`, or with `-2`, `-3` … when a backup of that second exists.
fn free_name(dir: &Path, now: DateTime<Utc>) -> String {
    let base = format!("{PREFIX}{}", now.format(STAMP));
    let mut name = base.clone();
    let mut n = 1;
    while dir.join(&name).exists() {
        n += 1;
        name = format!("{base}-{n}");
    }
    name
}

/// Makes `dir` (and its parents) if missing, and private (0700).
fn private_folder(dir: &Path) -> Result<(), StoreError> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(at(dir))?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(at(dir))
}

/// The folder's entries on disk (a rename is durable once its folder is).
fn sync_folder(dir: &Path) -> Result<(), StoreError> {
    std::fs::File::open(dir)
        .and_then(|folder| folder.sync_all())
        .map_err(at(dir))
}

/// An I/O error with the absolute path it happened at.
fn at(path: &Path) -> impl Fn(std::io::Error) -> StoreError + '_ {
    move |error| StoreError::Path {
        path: std::path::absolute(path)
            .unwrap_or_else(|_| path.to_path_buf())
            .display()
            .to_string(),
        error,
    }
}

#[cfg(test)]
mod tests;
