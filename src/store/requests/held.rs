//! What a request carries sealed between claims: the handover note, her words
//! written while nobody held it, her words relayed into the holder's chat.

use super::*;

impl Store {
    /// Keeps `note` with open request `id` (sealed under its key), replacing an
    /// earlier one. Its code, or `None` when it is no longer open.
    pub fn set_note(&self, id: &RecordId, note: &str) -> Result<Option<TicketCode>, StoreError> {
        let _writing = self.writing();
        let Some(key) = self.keyring.request_key(id) else {
            return Ok(None);
        };
        let sealed = key.seal(&note.to_string(), &note_binding(id));
        let result = self.requests.transaction(|requests| {
            let Some(mut record) = read_record(requests, id)? else {
                return Ok(None);
            };
            if !record.status.is_open() {
                return Ok(None);
            }
            record.note = Some(sealed.clone());
            write_record(requests, &record)?;
            Ok(Some(record.code))
        });
        self.settle(result, Option::is_some, None)
    }

    /// A note `by` leaves on open request `id`'s card, sealed under its key
    /// with when and who; the newest [`CARD_NOTES`] are kept. Its code, or
    /// `None` when it is no longer open (or its key is gone).
    pub fn add_note(
        &self,
        id: &RecordId,
        by: &str,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<TicketCode>, StoreError> {
        let _writing = self.writing();
        let Some(key) = self.keyring.request_key(id) else {
            return Ok(None);
        };
        let note = crate::domain::request::CardNote {
            at: now,
            by: by.into(),
            text: text.to_string(),
        };
        let sealed = key.seal(&note, &card_note_binding(id));
        let result = self.requests.transaction(|requests| {
            let Some(mut record) = read_record(requests, id)? else {
                return Ok(None);
            };
            if !record.status.is_open() {
                return Ok(None);
            }
            record.notes.push(sealed.clone());
            let over = record
                .notes
                .len()
                .saturating_sub(crate::domain::request::CARD_NOTES);
            record.notes.drain(..over);
            write_record(requests, &record)?;
            Ok(Some(record.code))
        });
        self.settle(result, Option::is_some, None)
    }

    /// Adds a message of her conversation with the specialists to open
    /// request `id` (sealed under its key), keeping the newest within
    /// [`THREAD_MESSAGES`] and [`THREAD_CHARS`]. Not flushed: what she or a
    /// specialist wrote is in a chat already; the flush of the intent around
    /// it (or the next) carries it.
    pub fn add_to_thread(
        &self,
        id: &RecordId,
        by: Option<&str>,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        use crate::domain::request::{Said, THREAD_CHARS, THREAD_MESSAGES};
        let _writing = self.writing();
        let Some(key) = self.keyring.request_key(id) else {
            return Ok(());
        };
        let said = Said {
            at: now,
            by: by.map(Into::into),
            text: text.to_string(),
        };
        let binding = thread_binding(id);
        // The sizes of what is kept, to drop the oldest (opened outside the
        // transaction, which may run again).
        let Some(record) = self.record(id)?.filter(|r| r.status.is_open()) else {
            return Ok(());
        };
        let mut sizes: Vec<usize> = record
            .thread
            .iter()
            .map(|s| {
                key.open(s, &binding)
                    .map_or(0, |s: Said| s.text.chars().count())
            })
            .collect();
        sizes.push(text.chars().count());
        let mut drop = sizes.len().saturating_sub(THREAD_MESSAGES);
        while drop < sizes.len() - 1 && sizes[drop..].iter().sum::<usize>() > THREAD_CHARS {
            drop += 1;
        }
        let sealed = key.seal(&said, &binding);
        let kept = record.thread.len();
        // Our first letter to her is the first try to reach her.
        let sent = by.map(|_| sent_at(&record, self.open_details(&record).as_ref()));
        (&self.requests, &self.counters)
            .transaction(|(requests, counters)| {
                let Some(mut current) = read_record(requests, id)? else {
                    return Ok(());
                };
                if let Some(sent) = sent {
                    count_first_try(counters, &mut current, sent, now)?;
                }
                if !current.status.is_open() || current.thread.len() != kept {
                    // Changed meanwhile: add without trimming (the next one trims).
                    current.thread.push(sealed.clone());
                } else {
                    current.thread.push(sealed.clone());
                    current.thread.drain(..drop.min(current.thread.len()));
                }
                write_record(requests, &current)?;
                Ok::<_, ConflictableTransactionError<Abort>>(())
            })
            .map_err(|e| match e {
                TransactionError::Storage(e) => StoreError::from(e),
                TransactionError::Abort(_) => {
                    StoreError::Sled(sled::Error::Unsupported("thread aborted".into()))
                }
            })?;
        Ok(())
    }

    /// Her conversation on a request, oldest first (none when its key is gone).
    pub fn open_thread(&self, record: &RequestRecord) -> Vec<crate::domain::request::Said> {
        let Some(key) = self.keyring.request_key(&record.id) else {
            return Vec::new();
        };
        record
            .thread
            .iter()
            .filter_map(|sealed| key.open(sealed, &thread_binding(&record.id)).ok())
            .collect()
    }

    /// The notes on a request's card, oldest first (none when its key is gone).
    pub fn open_notes(&self, record: &RequestRecord) -> Vec<crate::domain::request::CardNote> {
        let Some(key) = self.keyring.request_key(&record.id) else {
            return Vec::new();
        };
        record
            .notes
            .iter()
            .filter_map(|sealed| key.open(sealed, &card_note_binding(&record.id)).ok())
            .collect()
    }

    /// Keeps what she wrote while nobody holds request `id`, sealed under its
    /// key. False when it is not open (or its key is gone).
    pub fn hold_words(&self, id: &RecordId, words: &str) -> Result<bool, StoreError> {
        let _writing = self.writing();
        let Some(key) = self.keyring.request_key(id) else {
            return Ok(false);
        };
        let index = self.record(id)?.map_or(0, |r| r.held_words.len());
        let sealed = key.seal(
            &words.to_string(),
            &Binding::new("request", id.as_bytes(), &format!("held/{index}")),
        );
        let result = self.requests.transaction(|requests| {
            let Some(mut record) = read_record(requests, id)? else {
                return Ok(false);
            };
            if !record.status.is_open() || record.held_words.len() != index {
                return Ok(false);
            }
            record.held_words.push(sealed.clone());
            write_record(requests, &record)?;
            Ok(true)
        });
        self.finish(result)
    }

    /// What she wrote while nobody held request `id`, opened, and forgotten.
    pub fn take_held_words(&self, id: &RecordId) -> Result<Vec<String>, StoreError> {
        let _writing = self.writing();
        let Some(key) = self.keyring.request_key(id) else {
            return Ok(Vec::new());
        };
        let result = self.requests.transaction(|requests| {
            let Some(mut record) = read_record(requests, id)? else {
                return Ok(Vec::new());
            };
            let held = std::mem::take(&mut record.held_words);
            if !held.is_empty() {
                write_record(requests, &record)?;
            }
            Ok(held)
        });
        let held = self.settle(result, |held| !held.is_empty(), Vec::new())?;
        Ok(held
            .iter()
            .enumerate()
            .filter_map(|(index, sealed)| {
                let binding = Binding::new("request", id.as_bytes(), &format!("held/{index}"));
                key.open(sealed, &binding).ok()
            })
            .collect())
    }

    /// Her words relayed to the holder of request `id` are in the holder's chat
    /// as `message`.
    pub fn remember_relayed(&self, id: &RecordId, message: i32) -> Result<(), StoreError> {
        let _writing = self.writing();
        let result = self.requests.transaction(|requests| {
            let Some(mut record) = read_record(requests, id)? else {
                return Ok(false);
            };
            record.relayed.push(message);
            write_record(requests, &record)?;
            Ok(true)
        });
        self.finish(result).map(|_| ())
    }

    /// The relayed messages of request `id`, forgotten: to delete as its claim ends.
    pub fn take_relayed(&self, id: &RecordId) -> Result<Vec<i32>, StoreError> {
        let _writing = self.writing();
        let result = self.requests.transaction(|requests| {
            let Some(mut record) = read_record(requests, id)? else {
                return Ok(Vec::new());
            };
            let relayed = std::mem::take(&mut record.relayed);
            if !relayed.is_empty() {
                write_record(requests, &record)?;
            }
            Ok(relayed)
        });
        self.settle(result, |r| !r.is_empty(), Vec::new())
    }

    /// The handover note of a request, opened.
    pub fn open_note(&self, record: &RequestRecord) -> Option<String> {
        let key = self.keyring.request_key(&record.id)?;
        key.open(record.note.as_ref()?, &note_binding(&record.id))
            .ok()
    }
}
