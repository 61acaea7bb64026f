//! Time is passed in, never read from the wall in the core, so expiry and retention
//! can be tested without sleeping.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use tokio::sync::Notify;

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;

    /// Notified when the clock jumps (a test's clock moving): whoever sleeps
    /// until a time on this clock wakes to look again. The wall clock never jumps.
    fn jumps(&self) -> Option<Arc<Notify>> {
        None
    }
}

/// The wall clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that moves only when told to (tests, the demo's scripted runs).
pub struct ManualClock {
    now: Mutex<DateTime<Utc>>,
    moved: Arc<Notify>,
}

impl ManualClock {
    pub fn new(start: DateTime<Utc>) -> ManualClock {
        ManualClock {
            now: Mutex::new(start),
            moved: Arc::new(Notify::new()),
        }
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(|e| e.into_inner());
        *now += by;
        drop(now);
        // Wakes the scheduler (now, or at its next wait).
        self.moved.notify_one();
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn jumps(&self) -> Option<Arc<Notify>> {
        Some(self.moved.clone())
    }
}
