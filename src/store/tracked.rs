//! Ids of the messages in her chat, so Hide and Erase can delete them. Sealed
//! under her key and keyed by her dialogue id: message ids alone say when she
//! wrote. Telegram lets a bot delete messages for 48 hours only, so older ids are
//! dropped, and only the newest [`MAX_TRACKED`] are kept.

use chrono::{DateTime, Duration, Utc};

use super::{Store, StoreError};
use crate::crypto::keyring::Person;
use crate::crypto::{Binding, Pseudonym, Sealed};
use crate::domain::ids::RecordId;

/// The most message ids remembered for one chat.
pub const MAX_TRACKED: usize = 200;

type Ids = Vec<(i32, DateTime<Utc>)>;

fn deletable(now: DateTime<Utc>) -> impl Fn(&(i32, DateTime<Utc>)) -> bool {
    move |(_, at)| now - *at < Duration::hours(48)
}

impl Store {
    fn tracked_binding(dialogue: &RecordId) -> Binding {
        Binding::new("tracked", dialogue.as_bytes(), "message-ids")
    }

    fn load_tracked(&self, person: &Person) -> Result<Ids, StoreError> {
        let Some(bytes) = self.tracked.get(person.dialogue.as_bytes())? else {
            return Ok(Vec::new());
        };
        let sealed: Sealed<Ids> = Sealed::from_bytes(bytes.to_vec());
        Ok(person
            .key
            .open(&sealed, &Self::tracked_binding(&person.dialogue))
            .unwrap_or_default())
    }

    fn save_tracked(&self, person: &Person, ids: &Ids) -> Result<(), StoreError> {
        if ids.is_empty() {
            self.tracked.remove(person.dialogue.as_bytes())?;
        } else {
            let sealed = person
                .key
                .seal(ids, &Self::tracked_binding(&person.dialogue));
            self.tracked
                .insert(person.dialogue.as_bytes(), sealed.into_bytes())?;
        }
        Ok(())
    }

    /// Remembers messages of her chat (hers and the bot's). Nothing is kept for
    /// someone with no conversation (she was just erased).
    pub fn track(
        &self,
        who: &Pseudonym,
        ids: &[i32],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let _writing = self.writing();
        let Some(person) = self.keyring.person(who).filter(|_| !ids.is_empty()) else {
            return Ok(());
        };
        let mut all = self.load_tracked(&person)?;
        let known = all.len();
        all.retain(deletable(now));
        let mut changed = all.len() != known;
        for id in ids {
            if !all.iter().any(|(known, _)| known == id) {
                all.push((*id, now));
                changed = true;
            }
        }
        if !changed {
            // A button that edits its own message: nothing new to seal and write.
            return Ok(());
        }
        let excess = all.len().saturating_sub(MAX_TRACKED);
        all.drain(..excess);
        self.save_tracked(&person, &all)
    }

    /// The ids that can still be deleted, read only (while the disk cannot be
    /// written, Hide still clears her chat; the ids are not forgotten).
    pub fn tracked_ids(&self, who: &Pseudonym, now: DateTime<Utc>) -> Result<Vec<i32>, StoreError> {
        let Some(person) = self.keyring.person(who) else {
            return Ok(Vec::new());
        };
        let all = self.load_tracked(&person)?;
        Ok(all
            .into_iter()
            .filter(deletable(now))
            .map(|(id, _)| id)
            .collect())
    }

    /// The ids that can still be deleted, except `keep`; they are forgotten.
    pub fn take_tracked(
        &self,
        who: &Pseudonym,
        keep: Option<i32>,
        now: DateTime<Utc>,
    ) -> Result<Vec<i32>, StoreError> {
        let _writing = self.writing();
        let Some(person) = self.keyring.person(who) else {
            return Ok(Vec::new());
        };
        let all = self.load_tracked(&person)?;
        let (kept, taken): (Ids, Ids) = all
            .into_iter()
            .filter(deletable(now))
            .partition(|(id, _)| Some(*id) == keep);
        self.save_tracked(&person, &kept)?;
        Ok(taken.into_iter().map(|(id, _)| id).collect())
    }
}

impl Store {
    /// Messages of her conversation with a specialist: remembered (for Hide,
    /// Erase and the quiet-time deletion), and the time of this exchange.
    pub fn relay_touch(
        &self,
        who: &Pseudonym,
        ids: &[i32],
        hers: bool,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let _writing = self.writing();
        self.track(who, ids, now)?;
        let Some(mut conversation) = self.load(who, now)? else {
            return Ok(());
        };
        conversation.links.relay.extend_from_slice(ids);
        conversation.links.relay_at = Some(now);
        if hers {
            conversation.links.wrote_at = Some(now);
        }
        self.save(who, &conversation.dialogue, &conversation.links, now)
    }

    /// If her conversation with a specialist has been quiet since `since`: its
    /// messages, to delete now (forgotten here).
    pub fn take_quiet_relay(
        &self,
        who: &Pseudonym,
        since: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Vec<i32>, StoreError> {
        let _writing = self.writing();
        let Some(mut conversation) = self.load(who, now)? else {
            return Ok(Vec::new());
        };
        if conversation.links.relay_at != Some(since) {
            return Ok(Vec::new());
        }
        let ids = std::mem::take(&mut conversation.links.relay);
        conversation.links.relay_at = None;
        self.save(who, &conversation.dialogue, &conversation.links, now)?;
        Ok(ids)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::store::tests::{open, saved};

    #[test]
    fn tracked_ids_are_taken_once_and_expire_after_two_days() {
        let dir = tempfile::tempdir().unwrap();
        let store = open(dir.path());
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let who = saved(&store, 10, t0);
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

    #[test]
    fn tracking_a_known_id_again_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = open(dir.path());
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let who = saved(&store, 12, t0);
        let row = || {
            let person = store.keyring.person(&who).unwrap();
            store
                .tracked
                .get(person.dialogue.as_bytes())
                .unwrap()
                .unwrap()
        };
        store.track(&who, &[1, 2], t0).unwrap();
        let sealed = row();
        store.track(&who, &[2], t0 + Duration::minutes(1)).unwrap();
        assert_eq!(row(), sealed, "not sealed again");
        store.track(&who, &[3], t0 + Duration::minutes(2)).unwrap();
        assert_ne!(row(), sealed);
        let mut taken = store.take_tracked(&who, None, t0).unwrap();
        taken.sort();
        assert_eq!(taken, [1, 2, 3]);
    }

    #[test]
    fn only_the_newest_two_hundred_ids_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = open(dir.path());
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let who = saved(&store, 11, t0);
        let ids: Vec<i32> = (1..=250).collect();
        store.track(&who, &ids[..100], t0).unwrap();
        store.track(&who, &ids[100..], t0).unwrap();
        let mut taken = store.take_tracked(&who, None, t0).unwrap();
        taken.sort();
        assert_eq!(taken, (51..=250).collect::<Vec<_>>());
    }
}
