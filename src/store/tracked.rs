//! Ids of the messages in her chat, so Hide and Erase can delete them. Sealed:
//! message ids alone say when she wrote. Telegram lets a bot delete messages for
//! 48 hours only, so older ids are dropped.

use chrono::{DateTime, Duration, Utc};

use super::{Store, StoreError};
use crate::crypto::{Binding, Pseudonym, Sealed};

type Ids = Vec<(i32, DateTime<Utc>)>;

fn deletable(now: DateTime<Utc>) -> impl Fn(&(i32, DateTime<Utc>)) -> bool {
    move |(_, at)| now - *at < Duration::hours(48)
}

impl Store {
    fn tracked_binding(who: &Pseudonym) -> Binding {
        Binding::new("tracked", who.as_bytes(), "message-ids")
    }

    fn load_tracked(&self, who: &Pseudonym) -> Result<Ids, StoreError> {
        let Some(bytes) = self.tracked.get(who.as_bytes())? else {
            return Ok(Vec::new());
        };
        let sealed: Sealed<Ids> = Sealed::from_bytes(bytes.to_vec());
        Ok(self
            .keyring
            .dialogue_key(who)
            .and_then(|key| key.open(&sealed, &Self::tracked_binding(who)).ok())
            .unwrap_or_default())
    }

    fn save_tracked(&self, who: &Pseudonym, ids: &Ids) -> Result<(), StoreError> {
        if ids.is_empty() {
            self.tracked.remove(who.as_bytes())?;
        } else {
            let key = self.keyring.dialogue_key_or_create(who)?;
            let sealed = key.seal(ids, &Self::tracked_binding(who));
            self.tracked.insert(who.as_bytes(), sealed.into_bytes())?;
        }
        Ok(())
    }

    /// Remembers messages of her chat (hers and the bot's).
    pub fn track(
        &self,
        who: &Pseudonym,
        ids: &[i32],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if ids.is_empty() {
            return Ok(());
        }
        let mut all = self.load_tracked(who)?;
        all.retain(deletable(now));
        for id in ids {
            if !all.iter().any(|(known, _)| known == id) {
                all.push((*id, now));
            }
        }
        self.save_tracked(who, &all)
    }

    /// The ids that can still be deleted, except `keep`; they are forgotten.
    pub fn take_tracked(
        &self,
        who: &Pseudonym,
        keep: Option<i32>,
        now: DateTime<Utc>,
    ) -> Result<Vec<i32>, StoreError> {
        let all = self.load_tracked(who)?;
        let (kept, taken): (Ids, Ids) = all
            .into_iter()
            .filter(deletable(now))
            .partition(|(id, _)| Some(*id) == keep);
        self.save_tracked(who, &kept)?;
        Ok(taken.into_iter().map(|(id, _)| id).collect())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::TimeZone;

    use super::*;
    use crate::crypto::Keys;

    #[test]
    fn tracked_ids_are_taken_once_and_expire_after_two_days() {
        let dir = tempfile::tempdir().unwrap();
        let keys = Arc::new(Keys::from_master(&[1u8; 32]));
        let store = Store::open(dir.path(), 1, keys.clone()).unwrap();
        let who = keys.pseudonym(10);
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        store.track(&who, &[1, 2], t0).unwrap();
        store
            .track(&who, &[3, 2], t0 + Duration::hours(47))
            .unwrap();
        let now = t0 + Duration::hours(49);
        assert_eq!(
            store.take_tracked(&who, Some(3), now).unwrap(),
            Vec::<i32>::new()
        );
        store.track(&who, &[4], now).unwrap();
        let mut taken = store.take_tracked(&who, None, now).unwrap();
        taken.sort();
        assert_eq!(taken, [3, 4]);
        assert!(store.take_tracked(&who, None, now).unwrap().is_empty());
    }
}
