//! The database's own invariants, read back: what a crash must never break.
//! Used by `ak-jurok check` and by the crash tests.

use std::collections::{HashMap, HashSet};

use super::{Store, StoreError};
use crate::counter::Counter;
use crate::domain::request::{RequestRecord, Status, Urgency};

impl Store {
    /// Every request record, in no particular order (offline use: it reads the
    /// whole tree).
    pub fn all_records(&self) -> Result<Vec<RequestRecord>, StoreError> {
        let mut all = Vec::new();
        for entry in self.requests.iter() {
            let (_, bytes) = entry?;
            if let Ok(record) = serde_json::from_slice::<RequestRecord>(&bytes) {
                all.push(record);
            }
        }
        Ok(all)
    }

    /// What is inconsistent between the records, the queue, the code index and
    /// the waiting counters; empty when nothing is. Each line names ticket
    /// codes and counts only.
    pub fn verify(&self) -> Result<Vec<String>, StoreError> {
        let mut problems = Vec::new();
        let records = self.all_records()?;
        if records.len() != self.requests.len() {
            problems.push(format!(
                "{} request row(s) cannot be read",
                self.requests.len() - records.len()
            ));
        }
        let by_id: HashMap<&[u8], &RequestRecord> = records
            .iter()
            .map(|r| (r.id.as_bytes().as_slice(), r))
            .collect();
        // The queue holds each waiting request once, at its place, and nothing else.
        let mut queued = HashSet::<&[u8]>::new();
        let mut waiting = HashMap::<Urgency, u64>::new();
        for entry in self.queue.iter() {
            let (key, id) = entry?;
            let Some(record) = by_id.get(id.as_ref()) else {
                problems.push("a queue entry points at no request".into());
                continue;
            };
            if record.status != Status::Waiting {
                problems.push(format!("{} is in the queue but not waiting", record.code));
            }
            if key.as_ref() != super::requests::queue_key(record.urgency, record.seq) {
                problems.push(format!("{} is queued out of its place", record.code));
            }
            if !queued.insert(record.id.as_bytes().as_slice()) {
                problems.push(format!("{} is queued twice", record.code));
            }
            *waiting.entry(record.urgency).or_default() += 1;
        }
        for record in &records {
            if record.status == Status::Waiting && !queued.contains(record.id.as_bytes().as_slice())
            {
                problems.push(format!("{} is waiting but not in the queue", record.code));
            }
            match self.codes.get(record.code.as_bytes())? {
                Some(id) if id.as_ref() == record.id.as_bytes() => {}
                _ => problems.push(format!("{} is missing from the code index", record.code)),
            }
        }
        if self.codes.len() != records.len() {
            problems.push(format!(
                "the code index has {} entries for {} requests",
                self.codes.len(),
                records.len()
            ));
        }
        for urgency in Urgency::ALL {
            let counted = self.counter(Counter::Waiting(urgency))?;
            let queued = waiting.get(&urgency).copied().unwrap_or(0);
            if counted != queued {
                problems.push(format!(
                    "waiting/urgency/{} says {counted}, the queue holds {queued}",
                    urgency.tag()
                ));
            }
        }
        Ok(problems)
    }
}
