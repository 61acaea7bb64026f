//! How a claim ends: one store call for every way (the holder puts it back or
//! closes it, a supervisor puts it back, its holder is suspended or goes off
//! duty, its time runs out), with its audit line, and what the holder's chat
//! still shows of it to delete.

use chrono::{DateTime, Utc};

use super::audit::AuditAction;
use super::{Store, StoreError};
use crate::domain::ids::RecordId;
use crate::domain::outcome::Outcome;
use crate::domain::request::{StaffHandle, Status, TicketCode};

/// Why a claim ends.
#[derive(Debug, Clone, PartialEq)]
pub enum Ending {
    /// Its holder put it back in its place.
    Released,
    /// Its holder closed it with the outcome form, and the tags of the
    /// center's own categories marked on it.
    Closed(Outcome, Vec<String>),
    /// A supervisor (this handle) put it back.
    ReleasedBy(String),
    /// Its holder was suspended: back in its place.
    Suspended,
    /// Its holder went off duty: back in its place.
    OffDuty,
    /// Nobody kept it in time: back in its place.
    Expired,
}

impl Ending {
    /// The audit line's author and action, when `holder`'s claim ends this way.
    fn audit<'a>(&'a self, holder: &'a str) -> (&'a str, AuditAction) {
        match self {
            Ending::Released | Ending::Suspended | Ending::OffDuty => {
                (holder, AuditAction::Released)
            }
            Ending::Closed(outcome, _) => {
                (holder, AuditAction::Closed(outcome.talk().resolution()))
            }
            Ending::ReleasedBy(supervisor) => {
                (supervisor, AuditAction::ReleasedFrom(holder.to_string()))
            }
            Ending::Expired => (holder, AuditAction::Expired),
        }
    }
}

/// A claim that ended, or that had ended already when it was to be ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ended {
    pub code: TicketCode,
    pub holder: StaffHandle,
    /// This call ended it (false: another way got there first).
    pub now: bool,
    /// The card in the holder's chat, and her words relayed there: whatever
    /// ended the claim, they go (deleting twice is harmless; a card with her
    /// number left on a stolen phone is not).
    pub card: Option<i32>,
    pub relayed: Vec<i32>,
}

impl Ended {
    /// The holder's messages to delete: the card and her relayed words.
    pub fn messages(&self) -> Vec<(StaffHandle, i32)> {
        self.card
            .iter()
            .chain(&self.relayed)
            .map(|m| (self.holder.clone(), *m))
            .collect()
    }
}

impl Store {
    /// Ends `holder`'s claim on request `id` for `why`: back in its place, or
    /// closed with the outcome form (counted), with its audit line. `None` when
    /// `holder` did not hold it; otherwise what the holder's chat still shows
    /// of it — also when the claim turned out to have ended already.
    pub fn end_claim(
        &self,
        id: &RecordId,
        holder: &str,
        why: Ending,
        now: DateTime<Utc>,
    ) -> Result<Option<Ended>, StoreError> {
        let _writing = self.writing();
        let Some(seen) = self.record(id)? else {
            return Ok(None);
        };
        let card = match &seen.status {
            Status::Claimed { by, card, .. } if by == holder => *card,
            _ => return Ok(None),
        };
        let ended_now = match &why {
            Ending::Closed(outcome, center) => {
                self.close_claim(id, holder, *outcome, center.clone(), now)?
            }
            _ => self.finish_claim(id, holder, None, now)?,
        };
        if ended_now {
            let (who, action) = why.audit(holder);
            self.audit(now, who, &action, Some(&seen.code))?;
        }
        // Her words relayed into the holder's chat — unless a new holder has
        // them in theirs by now.
        let taken_over = self
            .record(id)?
            .is_some_and(|r| matches!(&r.status, Status::Claimed { by, .. } if by != holder));
        let relayed = if taken_over {
            Vec::new()
        } else {
            self.take_relayed(id)?
        };
        Ok(Some(Ended {
            code: seen.code,
            holder: holder.into(),
            now: ended_now,
            card,
            relayed,
        }))
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;
    use crate::store::tests::open;

    /// A request claimed by aigul, with its card at message 77 and her words
    /// relayed at 78; its id.
    fn held(store: &Store, n: u64) -> RecordId {
        let queued = crate::store::requests::tests::queue(
            store,
            n,
            crate::domain::request::Urgency::WithinDay,
            now(),
        );
        store.claim_next("aigul", now()).unwrap().unwrap();
        store.remember_card(&queued.id, 77).unwrap();
        store.remember_relayed(&queued.id, 78).unwrap();
        queued.id
    }

    fn now() -> DateTime<Utc> {
        chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 4, 6, 9, 0, 0).unwrap()
    }

    fn last_audit(store: &Store) -> (String, String) {
        let entry = store
            .audit_since(now() - Duration::days(1))
            .unwrap()
            .into_iter()
            .next_back()
            .unwrap();
        (entry.who, entry.action)
    }

    #[test]
    fn every_ending_gives_back_the_card_and_her_words_and_audits_who_ended_it() {
        for (n, why, audited) in [
            (1, Ending::Released, ("aigul", "released")),
            (2, Ending::Suspended, ("aigul", "released")),
            (3, Ending::OffDuty, ("aigul", "released")),
            (4, Ending::Expired, ("aigul", "expired")),
            (
                5,
                Ending::ReleasedBy("gulnara".into()),
                ("gulnara", "released-from:aigul"),
            ),
            (
                6,
                Ending::Closed(Outcome::default(), Vec::new()),
                ("aigul", "closed:helped"),
            ),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let store = open(dir.path());
            let id = held(&store, n);
            let closes = matches!(why, Ending::Closed(..));
            let ended = store.end_claim(&id, "aigul", why, now()).unwrap().unwrap();
            assert!(ended.now, "{n}");
            assert_eq!(
                ended.messages(),
                [("aigul".into(), 77), ("aigul".into(), 78)],
                "{n}"
            );
            let (who, action) = last_audit(&store);
            assert_eq!((who.as_str(), action.as_str()), audited, "{n}");
            let status = store.record(&id).unwrap().unwrap().status;
            assert_eq!(status.is_open(), !closes, "{n}");
            assert!(!matches!(status, Status::Claimed { .. }), "{n}");
        }
    }

    #[test]
    fn only_the_holders_claim_is_ended_and_another_holders_words_stay() {
        let dir = tempfile::tempdir().unwrap();
        let store = open(dir.path());
        let id = held(&store, 1);
        let first = store
            .end_claim(&id, "aigul", Ending::OffDuty, now())
            .unwrap()
            .unwrap();
        assert!(first.now);
        // Not hers any more: nothing to say about it.
        assert_eq!(
            store
                .end_claim(&id, "aigul", Ending::Suspended, now())
                .unwrap(),
            None
        );
        // Someone else's claim is never ended, and their words stay.
        store.claim_next("nurzat", now()).unwrap().unwrap();
        store.remember_relayed(&id, 90).unwrap();
        assert_eq!(
            store
                .end_claim(&id, "aigul", Ending::Released, now())
                .unwrap(),
            None
        );
        assert_eq!(store.take_relayed(&id).unwrap(), [90]);
    }
}
