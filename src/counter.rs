//! What the store counts, named once: the queue's gauges and the months'
//! figures. A counter's key is how the store spells it on disk (and how a
//! backup's figures are read offline), so the spelling lives here only.

use crate::domain::request::{Topic, Urgency};

/// The prefix of every month's figure.
pub const STATS: &str = "stats/";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counter<'a> {
    /// Requests waiting now, of this urgency.
    Waiting(Urgency),
    /// Requests waiting now, about this topic.
    WaitingTopic(Topic),
    /// A month's figure (`2026-04`): one category (`tag`) of a dimension of
    /// the reports (`topic`, `outcome`, `hours`, `try`, …).
    Stat {
        month: &'a str,
        dimension: &'a str,
        tag: &'a str,
    },
}

impl Counter<'_> {
    /// How the store spells it.
    pub fn key(&self) -> String {
        match self {
            Counter::Waiting(urgency) => format!("waiting/urgency/{}", urgency.tag()),
            Counter::WaitingTopic(topic) => format!("waiting/topic/{}", topic.tag()),
            Counter::Stat {
                month,
                dimension,
                tag,
            } => format!("{STATS}{month}/{dimension}/{tag}"),
        }
    }
}

/// A counter, or a key spelled out (a test, a backup read offline).
pub trait CounterKey {
    fn key(&self) -> String;
}

impl CounterKey for Counter<'_> {
    fn key(&self) -> String {
        Counter::key(self)
    }
}

impl CounterKey for &str {
    fn key(&self) -> String {
        self.to_string()
    }
}

impl CounterKey for &String {
    fn key(&self) -> String {
        self.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_spelled_as_the_store_has_always_spelled_them() {
        assert_eq!(
            Counter::Waiting(Urgency::DangerNow).key(),
            "waiting/urgency/danger"
        );
        assert_eq!(
            Counter::WaitingTopic(Topic::Documents).key(),
            "waiting/topic/docs"
        );
        let stat = Counter::Stat {
            month: "2026-04",
            dimension: "topic",
            tag: "legal",
        };
        assert_eq!(stat.key(), "stats/2026-04/topic/legal");
    }
}
