//! The bot's own backups (the copy itself is `store::backup`): into
//! `backup_dir`, on the schedule and when the operator asks (SIGUSR1); a
//! failure is tried again after an hour, and the staff chat is told.

use super::plan::Plan;
use super::*;
use crate::store::BackupMade;

/// How long after a failed backup the next is tried.
const RETRY_AFTER: Duration = Duration::hours(1);

impl App {
    /// Whether the bot writes backups (`backup_dir` is set).
    pub fn backups_on(&self) -> bool {
        self.config.backup_dir.is_some()
    }

    /// Writes a backup now into `backup_dir` (`None` when it is not set),
    /// keeping the newest `backup_keep`.
    pub fn back_up(&self) -> Option<Result<BackupMade, StoreError>> {
        let dir = self.config.backup_dir.as_ref()?;
        let keep = self.config.backup_keep.max(1) as usize;
        Some(self.store.backup_to(dir, keep, self.clock.now()))
    }

    /// When the newest backup in `backup_dir` was made.
    pub fn newest_backup(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        crate::store::newest_backup(self.config.backup_dir.as_ref()?)
    }

    /// When the next backup is due: `backup_every_hours` after the newest, or
    /// now when that is past (or there is none); an hour after a failure at
    /// the earliest. `None` when backups are off.
    pub fn next_backup_at(
        &self,
        failed_at: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Option<chrono::DateTime<chrono::Utc>> {
        self.config.backup_dir.as_ref()?;
        let every = Duration::hours(self.config.backup_every_hours.max(1).into());
        let due = crate::store::next_backup(self.newest_backup(), every, self.clock.now());
        Some(failed_at.map_or(due, |at| due.max(at + RETRY_AFTER)))
    }

    /// The staff chat's notice: a backup failed, with the cause's class and
    /// the backups' folder.
    pub fn backup_failed_notice(&self, error: &StoreError) -> Plan {
        let path = self
            .config
            .backup_dir
            .as_ref()
            .map(|dir| dir.display().to_string())
            .unwrap_or_default();
        Plan::from(self.for_staff_chat(desk::backup_failed(disk::store_cause(error), &path)))
    }
}
