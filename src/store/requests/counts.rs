//! The counters: what waits, by urgency and topic, the month's figures, and the
//! waiting list /queue and the metrics read.

use super::*;
use crate::counter::CounterKey;

impl Store {
    /// The records of the waiting requests, in queue order (an entry whose
    /// record is gone is passed over).
    fn queued_records(&self) -> impl Iterator<Item = Result<RequestRecord, StoreError>> + '_ {
        self.queue.iter().filter_map(|entry| {
            let record = entry.map_err(StoreError::from).and_then(|(_, id)| {
                RecordId::from_slice(&id)
                    .map(|id| self.record(&id))
                    .transpose()
                    .map(Option::flatten)
            });
            record.transpose()
        })
    }

    /// Sets every waiting counter from the queue itself (after a request whose
    /// topic could not be read left it).
    pub(in crate::store) fn recount_waiting(&self) -> Result<(), StoreError> {
        let mut counts: Vec<(String, u64)> = Urgency::ALL
            .iter()
            .map(|u| (Counter::Waiting(*u).key(), 0))
            .chain(
                Topic::REQUESTABLE
                    .iter()
                    .map(|t| (Counter::WaitingTopic(*t).key(), 0)),
            )
            .collect();
        let mut add = |key: String| {
            if let Some(count) = counts.iter_mut().find(|(k, _)| *k == key) {
                count.1 += 1;
            }
        };
        for record in self.queued_records() {
            let record = record?;
            add(Counter::Waiting(record.urgency).key());
            if let Some(details) = self.open_details(&record) {
                add(Counter::WaitingTopic(details.topic).key());
            }
        }
        for (key, count) in counts {
            self.counters.insert(key.as_bytes(), &count.to_be_bytes())?;
        }
        Ok(())
    }

    /// An aggregate counter (`Counter::Waiting(DangerNow)`, or a key spelled
    /// out: `stats/2026-04/topic/legal`).
    pub fn counter(&self, counter: impl CounterKey) -> Result<u64, StoreError> {
        Ok(self
            .counters
            .get(counter.key().as_bytes())?
            .map(|v| u64::from_be_bytes(v.as_ref().try_into().unwrap_or([0; 8])))
            .unwrap_or(0))
    }

    /// Every counter whose key starts with `prefix`.
    pub fn counters_with_prefix(
        &self,
        prefix: &str,
    ) -> Result<std::collections::BTreeMap<String, u64>, StoreError> {
        let mut all = std::collections::BTreeMap::new();
        for entry in self.counters.scan_prefix(prefix.as_bytes()) {
            let (key, value) = entry?;
            let value = u64::from_be_bytes(value.as_ref().try_into().unwrap_or([0; 8]));
            all.insert(String::from_utf8_lossy(&key).into_owned(), value);
        }
        Ok(all)
    }

    /// Adds one to the month's statistic `dimension/tag`.
    pub fn count_stat(
        &self,
        at: DateTime<Utc>,
        dimension: &str,
        tag: &str,
    ) -> Result<(), StoreError> {
        let _writing = self.writing();
        let month = month(at);
        let key = Counter::Stat {
            month: &month,
            dimension,
            tag,
        }
        .key();
        self.counters.update_and_fetch(key.as_bytes(), |old| {
            let n = old
                .and_then(|v| v.try_into().ok())
                .map_or(0, u64::from_be_bytes);
            Some((n + 1).to_be_bytes().to_vec())
        })?;
        Ok(())
    }

    /// How many requests wait for each topic.
    pub fn waiting_by_topic(&self) -> Result<Vec<(Topic, u64)>, StoreError> {
        Topic::REQUESTABLE
            .into_iter()
            .map(|t| Ok((t, self.counter(Counter::WaitingTopic(t))?)))
            .collect()
    }

    /// The waiting requests' times of sending, oldest first, with their urgency
    /// (the sealed exact time, opened; the queued hour when it cannot be).
    pub fn waiting_since(&self, now: DateTime<Utc>) -> Result<Vec<WaitingEntry>, StoreError> {
        let mut all = Vec::new();
        for record in self.queued_records() {
            let record = record?;
            let details = self.open_details(&record);
            all.push(WaitingEntry {
                id: record.id,
                code: record.code.clone(),
                urgency: record.urgency,
                sent: sent_at(&record, details.as_ref()),
                topic: details.as_ref().map(|d| d.topic),
                lang: details.as_ref().and_then(|d| d.lang.clone()),
                tries: record.tries,
                held: record.held,
                safe_time: details.map(|d| d.safe_time),
                cooling: self.cooling(&record, now),
            });
        }
        all.sort_by_key(|w| w.sent);
        Ok(all)
    }

    /// Whether another open request has this number. Found by opening the sealed
    /// parts of the open requests now: numbers are never kept in clear, nor as
    /// hashes that could be tested.
    pub fn number_also_in_another_open_request(
        &self,
        id: &RecordId,
        phone: &crate::domain::phone::Phone,
    ) -> Result<bool, StoreError> {
        for entry in self.requests.iter() {
            let (_, bytes) = entry?;
            let Ok(record) = serde_json::from_slice::<RequestRecord>(&bytes) else {
                continue;
            };
            if record.id == *id || !record.status.is_open() {
                continue;
            }
            let same = self
                .open_details(&record)
                .and_then(|d| d.personal.phone)
                .is_some_and(|other| other == *phone);
            if same {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// How many requests wait, counting the queue itself.
    /// How many requests wait: the waiting counters, kept in the same
    /// transactions as the queue (counting the queue itself reads all of it).
    pub fn queue_len(&self) -> usize {
        Urgency::ALL
            .into_iter()
            .map(|u| self.counter(Counter::Waiting(u)).unwrap_or_default())
            .sum::<u64>() as usize
    }
}
