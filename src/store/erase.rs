//! Erase: one store operation, in a fixed order.
//!
//! 1. Read her links (and open what the counters need).
//! 2. One sled transaction removes her requests (an open one is cancelled and
//!    counted), their queue and code entries, her dialogue and tracked rows; when
//!    she keeps her open request, a fresh dialogue under a new key holds only the
//!    link to it. Then a flush.
//! 3. Her request keys and her old dialogue key are destroyed in one keyring batch.
//! 4. Only then is she answered.
//!
//! A crash between 2 and 3 leaves keys without rows: the orphan sweep destroys
//! them at the next start or purge.

use chrono::{DateTime, Utc};
use sled::Transactional;

use super::requests::{count_close, queue_key, read_record, sent_at, waiting_counters};
use super::{Session, Store, StoreError};
use crate::crypto::keyring::{Person, Target};
use crate::crypto::Pseudonym;
use crate::domain::dialogue::Dialogue;
use crate::domain::ids::RecordId;
use crate::domain::request::{
    Closing, Details, RequestRecord, Resolution, StaffHandle, Status, TicketCode,
};

/// What Erase did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Erased {
    /// An open request was cancelled.
    pub cancelled: bool,
    /// Open requests kept for staff (hidden from her screens until she types the
    /// code).
    pub kept: usize,
    /// Requests a specialist held that Erase cancelled: (code, handle, card).
    pub withdrawn: Vec<(TicketCode, StaffHandle, Vec<i32>)>,
}

impl Store {
    /// Forgets her: her conversation, her tracked message ids and her requests.
    /// With `keep_open`, open requests stay in the queue, linked only from a new
    /// dialogue that shows nothing of them; otherwise the open one she sees is
    /// cancelled. Requests she already kept through an earlier Erase stay kept.
    pub fn erase(
        &self,
        who: &Pseudonym,
        keep_open: bool,
        now: DateTime<Utc>,
    ) -> Result<Erased, StoreError> {
        let _writing = self.writing();
        let Some(person) = self.keyring.person(who) else {
            return Ok(Erased::default());
        };
        let links = self.load(who, now)?.map(|c| c.links).unwrap_or_default();
        let (keep, remove) = self.to_keep_or_remove(&links, keep_open)?;
        let replacement = self.kept_behind_code(who, &keep, links.tries, now)?;
        let mut erased = Erased {
            kept: keep.len(),
            ..Erased::default()
        };
        erased.cancelled = (
            &self.requests,
            &self.queue,
            &self.codes,
            &self.counters,
            &self.dialogues,
            &self.tracked,
        )
            .transaction(|(requests, queue, codes, counters, dialogues, tracked)| {
                let mut cancelled = false;
                for (seen, details) in &remove {
                    let Some(record) = read_record(requests, &seen.id)? else {
                        continue;
                    };
                    if record.status.is_open() {
                        if record.status == Status::Waiting {
                            queue.remove(&queue_key(record.urgency, record.seq))?;
                            waiting_counters(
                                counters,
                                record.urgency,
                                details.as_ref().map(|d| d.topic),
                                -1,
                            )?;
                        }
                        count_close(
                            counters,
                            sent_at(&record, details.as_ref()),
                            &Closing::new(Resolution::Cancelled, now),
                            1,
                        )?;
                        cancelled = true;
                    }
                    requests.remove(record.id.as_bytes().as_slice())?;
                    codes.remove(record.code.as_bytes())?;
                }
                dialogues.remove(person.dialogue.as_bytes().as_slice())?;
                tracked.remove(person.dialogue.as_bytes().as_slice())?;
                if let Some((fresh, sealed)) = &replacement {
                    dialogues.insert(fresh.dialogue.as_bytes().as_slice(), sealed.clone())?;
                }
                Ok(cancelled)
            })
            .map_err(|e| match e {
                sled::transaction::TransactionError::Storage(e) => StoreError::from(e),
                sled::transaction::TransactionError::Abort(_) => {
                    StoreError::Sled(sled::Error::Unsupported("erase aborted".into()))
                }
            })?;
        // The audit keeps no history of a code whose request is gone.
        self.forget_gone_codes()?;
        self.flush_db()?;
        if erased.cancelled {
            erased.withdrawn = withdrawn(&remove);
        }
        let mut targets: Vec<Target> = remove
            .iter()
            .map(|(record, _)| Target::Request(record.id))
            .collect();
        targets.push(Target::Person(person));
        self.destroy_keys(&targets)?;
        self.flush_db()?;
        Ok(erased)
    }

    /// Her requests, parted: the open ones that stay in the queue (all, with
    /// `keep_open`; else those she kept through an earlier Erase), and the
    /// rest, to remove, with their details while they can still be opened.
    fn to_keep_or_remove(
        &self,
        links: &Session,
        keep_open: bool,
    ) -> Result<(Vec<RecordId>, Vec<ToRemove>), StoreError> {
        let mut keep = Vec::new();
        let mut remove = Vec::new();
        for id in links.all() {
            let Some(record) = self.record(id)? else {
                continue;
            };
            let hidden = links.kept.contains(id);
            if record.status.is_open() && (keep_open || hidden) {
                keep.push(*id);
            } else {
                let details = self.open_details(&record);
                remove.push((record, details));
            }
        }
        Ok((keep, remove))
    }

    /// When requests stay, a new person entry and a new dialogue that shows
    /// nothing of them and links them only as kept (shown after she types a
    /// code), with the day's code tries carried over (Erase is no way to three
    /// more guesses): the entry, and the sealed dialogue to write.
    fn kept_behind_code(
        &self,
        who: &Pseudonym,
        keep: &[RecordId],
        tries: (i64, u8),
        now: DateTime<Utc>,
    ) -> Result<Option<(Person, Vec<u8>)>, StoreError> {
        if keep.is_empty() {
            return Ok(None);
        }
        let fresh = self.keyring.replace_person(who, now)?;
        // Not even her language: she starts as anyone new would.
        let dialogue = Dialogue::first_contact(String::new(), now);
        let links = Session {
            kept: keep.to_vec(),
            tries,
            ..Session::default()
        };
        let sealed = self.seal_conversation(&fresh, &dialogue, &links);
        Ok(Some((fresh, sealed.into_bytes())))
    }
}

/// A request to remove, with its details if they could still be opened.
type ToRemove = (RequestRecord, Option<Details>);

/// The claimed requests among those removed: code, holder, and the messages in
/// the holder's chat (the card, her relayed words) to delete.
fn withdrawn(removed: &[ToRemove]) -> Vec<(TicketCode, StaffHandle, Vec<i32>)> {
    removed
        .iter()
        .filter_map(|(record, _)| match &record.status {
            Status::Claimed { by, card, .. } => Some((
                record.code.clone(),
                by.clone(),
                card.iter().chain(&record.relayed).copied().collect(),
            )),
            _ => None,
        })
        .collect()
}
