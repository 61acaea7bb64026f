//! How often one sender's *danger now* may ring a phone: at most once in
//! [`SOUND_EVERY`] and [`SOUNDS_PER_DAY`] times in 24 hours. Past that her
//! request still queues as urgent, silently, and the staff chat's line says
//! how many came in the last 24 hours. Kept in memory by pseudonym, as the
//! flood limiter's counts are, so Erase does not reset it.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

/// The least time between two sound alerts for one sender.
pub const SOUND_EVERY: Duration = Duration::minutes(20);
/// Sound alerts for one sender in 24 hours.
pub const SOUNDS_PER_DAY: usize = 3;
const DAY: Duration = Duration::hours(24);
/// Above this many senders, those quiet for a day are forgotten.
const MAX_SENDERS: usize = 100_000;

/// What one *danger now* request comes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Alarm {
    /// Whether it rings (the on-duty phone, and the staff chat with sound).
    pub sound: bool,
    /// Her *danger now* requests in the last 24 hours, this one included.
    pub today: usize,
}

#[derive(Default)]
struct Sender {
    sent: Vec<DateTime<Utc>>,
    rang: Vec<DateTime<Utc>>,
}

/// The senders' recent *danger now* requests.
pub struct Alarms<K> {
    senders: Mutex<HashMap<K, Sender>>,
}

impl<K> Default for Alarms<K> {
    fn default() -> Self {
        Alarms {
            senders: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: Hash + Eq> Alarms<K> {
    /// `who` sent a *danger now* request at `now`: whether it rings.
    pub fn danger(&self, who: K, now: DateTime<Utc>) -> Alarm {
        let mut senders = self.senders.lock().unwrap_or_else(|e| e.into_inner());
        if senders.len() >= MAX_SENDERS {
            senders.retain(|_, s| s.sent.iter().any(|at| now - *at < DAY));
        }
        let sender = senders.entry(who).or_default();
        sender.sent.retain(|at| now - *at < DAY);
        sender.rang.retain(|at| now - *at < DAY);
        sender.sent.push(now);
        let sound = sender.rang.len() < SOUNDS_PER_DAY
            && sender.rang.last().is_none_or(|at| now - *at >= SOUND_EVERY);
        if sound {
            sender.rang.push(now);
        }
        Alarm {
            sound,
            today: sender.sent.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn one_sender_rings_once_in_twenty_minutes_and_three_times_a_day_another_is_apart() {
        let alarms = Alarms::default();
        let t0 = Utc.with_ymd_and_hms(2026, 4, 6, 21, 0, 0).unwrap();
        let at = |minutes: i64| t0 + Duration::minutes(minutes);
        let ring = |minutes| alarms.danger("loop", at(minutes));
        assert_eq!(
            ring(0),
            Alarm {
                sound: true,
                today: 1
            }
        );
        // Send → cancel → send, three a minute: silent, counted.
        assert_eq!(
            ring(1),
            Alarm {
                sound: false,
                today: 2
            }
        );
        assert_eq!(
            ring(19),
            Alarm {
                sound: false,
                today: 3
            }
        );
        assert!(ring(20).sound, "twenty minutes after the last sound");
        assert!(ring(40).sound, "the third of the day");
        for minutes in [60, 120, 600, 1200] {
            assert!(
                !ring(minutes).sound,
                "a fourth within 24 hours, at {minutes}"
            );
        }
        assert_eq!(ring(1201).today, 10);
        // Someone else is not held back by him.
        assert_eq!(
            alarms.danger("another", at(2)),
            Alarm {
                sound: true,
                today: 1
            }
        );
        // A day after the first sound, one more may ring.
        assert!(ring(24 * 60).sound);
    }
}
