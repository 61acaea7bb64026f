//! Blocked senders: someone abusive is blocked for a day or 30 days. The list
//! keeps an HMAC of the pseudonym under its own key and when the block ends,
//! nothing else; Erase does not lift it, and it goes when it ends.

use chrono::{DateTime, Utc};

use super::{Store, StoreError};
use crate::crypto::BlockTag;

impl Store {
    /// Blocks `who` until `until` (a longer block already in place stays).
    pub fn block(&self, who: &BlockTag, until: DateTime<Utc>) -> Result<(), StoreError> {
        let _writing = self.writing();
        let until = until.timestamp_millis();
        self.blocks.update_and_fetch(who.0, |old| {
            let old = old
                .and_then(|v| v.try_into().ok())
                .map_or(i64::MIN, i64::from_be_bytes);
            Some(old.max(until).to_be_bytes().to_vec())
        })?;
        self.flush_db()?;
        Ok(())
    }

    /// Whether `who` is blocked at `now`.
    pub fn is_blocked(&self, who: &BlockTag, now: DateTime<Utc>) -> Result<bool, StoreError> {
        Ok(self
            .blocks
            .get(who.0)?
            .and_then(|v| v.as_ref().try_into().ok())
            .map(i64::from_be_bytes)
            .is_some_and(|until| until > now.timestamp_millis()))
    }

    /// Removes blocks that have ended; how many.
    pub fn purge_blocks(&self, now: DateTime<Utc>) -> Result<usize, StoreError> {
        let _writing = self.writing();
        let mut ended = 0;
        for entry in self.blocks.iter() {
            let (key, value) = entry?;
            let until = value
                .as_ref()
                .try_into()
                .map_or(i64::MIN, i64::from_be_bytes);
            if until <= now.timestamp_millis() {
                self.blocks.remove(key)?;
                ended += 1;
            }
        }
        Ok(ended)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use crate::crypto::Keys;
    use crate::store::tests::open;

    #[test]
    fn a_block_holds_until_it_ends_and_then_goes() {
        let dir = tempfile::tempdir().unwrap();
        let store = open(dir.path());
        let keys = Keys::from_master(&[7u8; 32]);
        let who = keys.block_tag(&keys.pseudonym(42));
        let other = keys.block_tag(&keys.pseudonym(43));
        let now = chrono::Utc.with_ymd_and_hms(2026, 4, 6, 9, 0, 0).unwrap();
        store.block(&who, now + Duration::days(30)).unwrap();
        store.block(&who, now + Duration::days(1)).unwrap();
        assert!(
            store.is_blocked(&who, now + Duration::days(29)).unwrap(),
            "the longer block stays"
        );
        assert!(!store.is_blocked(&other, now).unwrap());
        assert_eq!(store.purge_blocks(now + Duration::days(2)).unwrap(), 0);
        assert_eq!(store.purge_blocks(now + Duration::days(30)).unwrap(), 1);
        assert!(!store.is_blocked(&who, now).unwrap());
        // Nothing of the pseudonym is in the list: only its tag.
        assert_ne!(who.0, *keys.pseudonym(42).as_bytes());
    }
}
