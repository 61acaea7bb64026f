//! Who is on duty, by handle (never a Telegram id), since when.

use chrono::{DateTime, Duration, Utc};

use super::{Store, StoreError};
use crate::domain::ids::StaffHandle;

fn key(handle: &str) -> String {
    format!("duty/{handle}")
}

fn language_key(handle: &str) -> String {
    format!("staff-language/{handle}")
}

fn suspended_key(handle: &str) -> String {
    format!("suspended/{handle}")
}

impl Store {
    /// `handle` goes on duty at `now`.
    pub fn duty_on(&self, handle: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        let _writing = self.writing();
        let bytes = serde_json::to_vec(&now).expect("times serialize");
        self.meta.insert(key(handle), bytes)?;
        self.flush_db()?;
        Ok(())
    }

    pub fn duty_off(&self, handle: &str) -> Result<(), StoreError> {
        let _writing = self.writing();
        self.meta.remove(key(handle))?;
        self.flush_db()?;
        Ok(())
    }

    /// The language `handle` chose for the desk (`/language`).
    pub fn set_staff_language(&self, handle: &str, language: &str) -> Result<(), StoreError> {
        let _writing = self.writing();
        self.meta
            .insert(language_key(handle), language.as_bytes())?;
        self.flush_db()?;
        Ok(())
    }

    /// Every staff member's chosen desk language, by handle.
    pub fn staff_languages(&self) -> Result<std::collections::HashMap<String, String>, StoreError> {
        let mut chosen = std::collections::HashMap::new();
        for entry in self.meta.scan_prefix(language_key("")) {
            let (key, value) = entry?;
            let handle = String::from_utf8_lossy(&key[language_key("").len()..]).into_owned();
            chosen.insert(handle, String::from_utf8_lossy(&value).into_owned());
        }
        Ok(chosen)
    }

    /// Suspends or resumes `handle` (a supervisor's /suspend, /resume).
    pub fn set_suspended(&self, handle: &str, suspended: bool) -> Result<(), StoreError> {
        let _writing = self.writing();
        if suspended {
            self.meta.insert(suspended_key(handle), &[1u8])?;
            self.meta.remove(key(handle))?;
        } else {
            self.meta.remove(suspended_key(handle))?;
        }
        self.flush_db()?;
        let mut mirror = self.suspended.write().unwrap_or_else(|e| e.into_inner());
        if suspended {
            mirror.insert(handle.into());
        } else {
            mirror.remove(handle);
        }
        Ok(())
    }

    /// Offline (`ak-jurok staff suspend|resume`), with the bot stopped: suspends
    /// or resumes `handle` in the database of `data_dir`, with an audit line by
    /// `operator`. No key is needed: nothing here is sealed. The bot releases
    /// the claims of a member suspended this way when it starts.
    pub fn set_suspended_offline(
        data_dir: &std::path::Path,
        handle: &str,
        suspended: bool,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let path = data_dir.join("db");
        if !path.exists() {
            return Err(StoreError::Sled(sled::Error::Unsupported(format!(
                "{} holds no database",
                data_dir.display()
            ))));
        }
        let db = super::open_sled(&path, 1)?;
        let meta = db.open_tree("meta")?;
        if suspended {
            meta.insert(suspended_key(handle), &[1u8])?;
            meta.remove(key(handle))?;
        } else {
            meta.remove(suspended_key(handle))?;
        }
        let action = if suspended {
            super::AuditAction::Suspended(handle.into())
        } else {
            super::AuditAction::Resumed(handle.into())
        };
        super::audit::append(&db, now, "operator", &action, None)?;
        db.flush()?;
        Ok(())
    }

    /// Whether `handle` is suspended: from memory (the flood gate asks this
    /// for every update a staff account sends).
    pub fn is_suspended(&self, handle: &str) -> bool {
        self.suspended
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .contains(handle)
    }

    /// Reads the suspended handles into memory (at open).
    pub(super) fn load_suspended(&self) -> Result<(), StoreError> {
        let mut handles = std::collections::HashSet::new();
        for entry in self.meta.scan_prefix(suspended_key("")) {
            let (key, _) = entry?;
            if let Some(handle) = key.strip_prefix(suspended_key("").as_bytes()) {
                handles.insert(StaffHandle::from(
                    String::from_utf8_lossy(handle).into_owned(),
                ));
            }
        }
        *self.suspended.write().unwrap_or_else(|e| e.into_inner()) = handles;
        Ok(())
    }

    /// Every claimed request, oldest claim first.
    pub fn all_claims(&self) -> Result<Vec<crate::domain::request::RequestRecord>, StoreError> {
        let mut all = Vec::new();
        for entry in self.requests.iter() {
            let (_, bytes) = entry?;
            let Ok(record) =
                serde_json::from_slice::<crate::domain::request::RequestRecord>(&bytes)
            else {
                continue;
            };
            if let crate::domain::request::Status::Claimed { at, .. } = record.status {
                all.push((at, record));
            }
        }
        all.sort_by_key(|(at, _)| *at);
        Ok(all.into_iter().map(|(_, record)| record).collect())
    }

    /// When `handle` went on duty, if they are.
    pub fn duty_since(&self, handle: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
        Ok(self
            .meta
            .get(key(handle))?
            .and_then(|bytes| serde_json::from_slice(&bytes).ok()))
    }

    /// Whether `handle` is on duty at `now`; duty lapses after `max`.
    pub fn on_duty(
        &self,
        handle: &str,
        now: DateTime<Utc>,
        max: Duration,
    ) -> Result<bool, StoreError> {
        Ok(self
            .meta
            .get(key(handle))?
            .and_then(|bytes| serde_json::from_slice::<DateTime<Utc>>(&bytes).ok())
            .is_some_and(|since| since <= now && now - since < max))
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::store::tests::open;

    #[test]
    fn duty_survives_reopening_and_lapses() {
        let dir = tempfile::tempdir().unwrap();
        let t0 = Utc.with_ymd_and_hms(2026, 4, 6, 9, 0, 0).unwrap();
        let twelve = Duration::hours(12);
        open(dir.path()).duty_on("aigul", t0).unwrap();
        let store = open(dir.path());
        assert!(store
            .on_duty("aigul", t0 + Duration::hours(11), twelve)
            .unwrap());
        assert!(!store
            .on_duty("aigul", t0 + Duration::hours(12), twelve)
            .unwrap());
        assert!(!store.on_duty("nurzat", t0, twelve).unwrap());
        store.duty_off("aigul").unwrap();
        assert!(!store.on_duty("aigul", t0, twelve).unwrap());
    }
}
