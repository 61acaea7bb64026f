//! The outbox: what staff send her that is not the answer to her own tap. A
//! letter waits sealed under its request's key (so it goes with the request's
//! erasure or purge) until her contact window; then only a knock is delivered,
//! and its words appear when she taps it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Store, StoreError};
use crate::crypto::{Binding, Sealed};
use crate::domain::ids::RecordId;
use crate::domain::request::Words;

/// A letter to her, sealed: her chat, and what it says.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Letter {
    pub chat_id: i64,
    pub words: Words,
    /// Who wrote it (a staff handle), to tell them when it is delivered and read.
    pub from: Option<String>,
    /// When it was posted (sealed with it): letters shown together go in order.
    #[serde(default)]
    pub posted_at: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for Letter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Letter(..)")
    }
}

/// A letter as stored: in clear only its request and whether its knock was
/// delivered and opened.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Posted {
    pub request: RecordId,
    pub letter: Sealed<Letter>,
    /// The knock's message in her chat, once delivered.
    pub knock: Option<i32>,
    pub opened: bool,
}

fn binding(id: &RecordId) -> Binding {
    Binding::new("outbox", id.as_bytes(), "letter")
}

impl Store {
    /// Posts `letter` about `request`, sealed under the request's key. `None`
    /// when that key is gone (the request was erased or purged).
    pub fn post(
        &self,
        request: &RecordId,
        letter: &Letter,
    ) -> Result<Option<RecordId>, StoreError> {
        let _writing = self.writing();
        let Some(key) = self.keyring.request_key(request) else {
            return Ok(None);
        };
        let id = RecordId::random();
        let posted = Posted {
            request: *request,
            letter: key.seal(letter, &binding(&id)),
            knock: None,
            opened: false,
        };
        let bytes = serde_json::to_vec(&posted).expect("letters serialize");
        self.outbox.insert(id.as_bytes(), bytes)?;
        self.flush_db()?;
        Ok(Some(id))
    }

    /// A letter and its words; `None` when it is gone or can no longer be
    /// opened (its request's key is destroyed: it is then removed).
    pub fn letter(&self, id: &RecordId) -> Result<Option<(Posted, Letter)>, StoreError> {
        let _writing = self.writing();
        let Some(bytes) = self.outbox.get(id.as_bytes())? else {
            return Ok(None);
        };
        let Ok(posted) = serde_json::from_slice::<Posted>(&bytes) else {
            self.outbox.remove(id.as_bytes())?;
            return Ok(None);
        };
        let letter = self
            .keyring
            .request_key(&posted.request)
            .and_then(|key| key.open(&posted.letter, &binding(id)).ok());
        match letter {
            Some(letter) => Ok(Some((posted, letter))),
            None => {
                self.outbox.remove(id.as_bytes())?;
                Ok(None)
            }
        }
    }

    /// The knock for letter `id` is in her chat as `message`.
    pub fn knocked(&self, id: &RecordId, message: i32) -> Result<(), StoreError> {
        let _writing = self.writing();
        self.change_letter(id, |posted| posted.knock = Some(message))
    }

    /// She opened letter `id`.
    pub fn opened(&self, id: &RecordId) -> Result<(), StoreError> {
        let _writing = self.writing();
        self.change_letter(id, |posted| posted.opened = true)
    }

    fn change_letter(&self, id: &RecordId, change: impl Fn(&mut Posted)) -> Result<(), StoreError> {
        self.outbox.update_and_fetch(id.as_bytes(), |old| {
            let mut posted: Posted = serde_json::from_slice(old?).ok()?;
            change(&mut posted);
            serde_json::to_vec(&posted).ok()
        })?;
        self.flush_db()?;
        Ok(())
    }

    /// Removes a letter (read, or no longer to be delivered).
    pub fn drop_letter(&self, id: &RecordId) -> Result<(), StoreError> {
        let _writing = self.writing();
        self.outbox.remove(id.as_bytes())?;
        self.flush_db()?;
        Ok(())
    }

    /// The letters about `request` not yet opened, oldest first (those that
    /// can no longer be opened are removed on the way).
    pub fn letters_of(&self, request: &RecordId) -> Result<Vec<(RecordId, Letter)>, StoreError> {
        let _writing = self.writing();
        let mut found = Vec::new();
        for entry in self.outbox.iter() {
            let (key, bytes) = entry?;
            let about = serde_json::from_slice::<Posted>(&bytes)
                .ok()
                .is_some_and(|p| p.request == *request && !p.opened);
            let Some(id) = RecordId::from_slice(&key).filter(|_| about) else {
                continue;
            };
            if let Some((_, letter)) = self.letter(&id)? {
                found.push((id, letter));
            }
        }
        found.sort_by_key(|(_, letter)| letter.posted_at);
        Ok(found)
    }

    /// The knocks among `messages` of chat `chat` whose letters are not yet
    /// opened.
    pub fn unopened_knocks(&self, chat: i64, messages: &[i32]) -> Result<Vec<i32>, StoreError> {
        let _writing = self.writing();
        let mut found = Vec::new();
        for entry in self.outbox.iter() {
            let (key, bytes) = entry?;
            let knock = serde_json::from_slice::<Posted>(&bytes)
                .ok()
                .filter(|posted| !posted.opened)
                .and_then(|posted| posted.knock)
                .filter(|knock| messages.contains(knock));
            let (Some(knock), Some(id)) = (knock, RecordId::from_slice(&key)) else {
                continue;
            };
            if self
                .letter(&id)?
                .is_some_and(|(_, letter)| letter.chat_id == chat)
            {
                found.push(knock);
            }
        }
        Ok(found)
    }

    /// Removes every letter about `request`; how many.
    pub fn drop_letters_of(&self, request: &RecordId) -> Result<usize, StoreError> {
        let _writing = self.writing();
        let mut gone = 0;
        for entry in self.outbox.iter() {
            let (key, bytes) = entry?;
            let about = serde_json::from_slice::<Posted>(&bytes)
                .ok()
                .is_some_and(|p| p.request == *request);
            if about {
                self.outbox.remove(key)?;
                gone += 1;
            }
        }
        if gone > 0 {
            self.flush_db()?;
        }
        Ok(gone)
    }

    /// Removes the letters `handle` wrote that were not yet delivered (no
    /// knock in her chat); how many.
    pub fn drop_letters_from(&self, handle: &str) -> Result<usize, StoreError> {
        let _writing = self.writing();
        let mut gone = 0;
        for entry in self.outbox.iter() {
            let (key, _) = entry?;
            let Some(id) = RecordId::from_slice(&key) else {
                continue;
            };
            let Some((posted, letter)) = self.letter(&id)? else {
                continue;
            };
            if posted.knock.is_none() && letter.from.as_deref() == Some(handle) {
                self.outbox.remove(key)?;
                gone += 1;
            }
        }
        if gone > 0 {
            self.flush_db()?;
        }
        Ok(gone)
    }

    /// Removes letters whose request's key is gone (erased or purged); how many.
    pub fn purge_letters(&self) -> Result<usize, StoreError> {
        let _writing = self.writing();
        let mut gone = 0;
        for entry in self.outbox.iter() {
            let (key, bytes) = entry?;
            let readable = serde_json::from_slice::<Posted>(&bytes)
                .ok()
                .is_some_and(|p| self.keyring.request_key(&p.request).is_some());
            if !readable {
                self.outbox.remove(key)?;
                gone += 1;
            }
        }
        Ok(gone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::keyring::Target;
    use crate::store::tests::{all_sled_bytes, open};

    #[test]
    fn a_letter_is_sealed_under_its_request_and_goes_with_its_key() {
        let dir = tempfile::tempdir().unwrap();
        let store = open(dir.path());
        let now = chrono::Utc::now();
        let (request, _) = store.keyring.create_request(now).unwrap();
        let letter = Letter {
            chat_id: 5_550_301_777,
            words: Words::Staff("we can meet on Tuesday-8812".into()),
            from: Some("aigul".into()),
            posted_at: Some(now),
        };
        let id = store.post(&request, &letter).unwrap().unwrap();
        let all = all_sled_bytes(&store);
        assert!(
            !all.windows(4).any(|w| w == b"8812"),
            "the words are sealed"
        );
        assert!(!all.windows(10).any(|w| w == b"5550301777"));
        store.knocked(&id, 41).unwrap();
        let (posted, opened) = store.letter(&id).unwrap().unwrap();
        assert_eq!((posted.knock, posted.opened), (Some(41), false));
        assert_eq!(opened, letter);
        store.destroy_keys(&[Target::Request(request)]).unwrap();
        assert!(
            store.letter(&id).unwrap().is_none(),
            "unreadable, so removed"
        );
    }
}
