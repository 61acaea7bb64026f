//! The center's working hours and the honest expectation they give: when she can
//! expect to be contacted.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveTime, Timelike, Utc, Weekday};
use serde::Deserialize;

use crate::domain::request::SafeTime;

/// When specialists work, in the center's local time.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// `mon` … `sun`.
    pub days: Vec<Weekday>,
    /// `"09:00"`.
    #[serde(deserialize_with = "time")]
    pub opens: NaiveTime,
    #[serde(deserialize_with = "time")]
    pub closes: NaiveTime,
    /// Kyrgyzstan is UTC+6 all year.
    #[serde(default = "kyrgyzstan")]
    pub utc_offset_hours: i32,
}

fn kyrgyzstan() -> i32 {
    6
}

fn time<'de, D: serde::Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
    let text = String::deserialize(d)?;
    NaiveTime::parse_from_str(&text, "%H:%M").map_err(serde::de::Error::custom)
}

/// What she can expect after sending a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expectation {
    /// Working hours now: contact today, before closing.
    Today { closes: NaiveTime },
    /// Closed now: the next opening.
    Opens {
        day: Weekday,
        at: NaiveTime,
        tomorrow: bool,
    },
    /// No schedule configured.
    Unknown,
}

/// When a specialist may first contact her: a moment when the center works
/// and the window she chose is open. Never more than that is promised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstContact {
    /// Both are open now.
    Now,
    /// Later today, from `at` (her window's clock).
    Today { at: NaiveTime },
    /// Another day, from `at`.
    Later {
        day: Weekday,
        tomorrow: bool,
        at: NaiveTime,
    },
    /// No working hours configured, or none inside her window within a week:
    /// only her window can be named.
    InWindow,
}

/// The first moment, from `now` on, when the center works (`schedule`) and her
/// window for `time` is open.
pub fn first_contact(
    schedule: Option<&Schedule>,
    windows: &ContactWindows,
    time: SafeTime,
    now: DateTime<Utc>,
) -> FirstContact {
    let Some(schedule) = schedule else {
        return FirstContact::InWindow;
    };
    let open = |t: DateTime<Utc>| schedule.is_working(t) && windows.is_open(time, t);
    if open(now) {
        return FirstContact::Now;
    }
    let start = now
        .with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(now);
    // Minute by minute over a week: hours and windows are whole minutes.
    let found = (1..=8 * 24 * 60)
        .map(|m| start + Duration::minutes(m))
        .find(|t| open(*t));
    let Some(at) = found else {
        return FirstContact::InWindow;
    };
    let (then, today) = (
        at.with_timezone(&windows.offset()),
        now.with_timezone(&windows.offset()).date_naive(),
    );
    match (then.date_naive() - today).num_days() {
        0 => FirstContact::Today { at: then.time() },
        ahead => FirstContact::Later {
            day: then.weekday(),
            tomorrow: ahead == 1,
            at: then.time(),
        },
    }
}

impl Schedule {
    /// Whether specialists work at `at`.
    pub fn is_working(&self, at: DateTime<Utc>) -> bool {
        let local = at.with_timezone(&self.offset());
        self.days.contains(&local.weekday())
            && local.time() >= self.opens
            && local.time() < self.closes
    }

    fn offset(&self) -> FixedOffset {
        FixedOffset::east_opt(self.utc_offset_hours * 3600)
            .unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset"))
    }

    pub fn expectation(&self, now: DateTime<Utc>) -> Expectation {
        let local = now.with_timezone(&self.offset());
        let time = local.time();
        if self.days.contains(&local.weekday()) && time >= self.opens && time < self.closes {
            return Expectation::Today {
                closes: self.closes,
            };
        }
        for ahead in 0..=7 {
            let day = local + Duration::days(ahead);
            if !self.days.contains(&day.weekday()) || (ahead == 0 && time >= self.opens) {
                continue;
            }
            return Expectation::Opens {
                day: day.weekday(),
                at: self.opens,
                tomorrow: ahead == 1,
            };
        }
        Expectation::Unknown
    }
}

/// A span of the day on the center's clock, `"08:00-12:00"` in the
/// configuration; it never crosses midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: NaiveTime,
    pub to: NaiveTime,
}

impl<'de> Deserialize<'de> for Window {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Window, D::Error> {
        let text = String::deserialize(d)?;
        let bad = || serde::de::Error::custom("expected a span like \"08:00-12:00\"");
        let (from, to) = text.split_once('-').ok_or_else(bad)?;
        let parse = |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|_| bad());
        let window = Window {
            from: parse(from)?,
            to: parse(to)?,
        };
        if window.from >= window.to {
            return Err(serde::de::Error::custom(
                "a contact window must end after it starts, within one day",
            ));
        }
        Ok(window)
    }
}

impl Window {
    fn new(from: u32, to: u32) -> Window {
        let at = |h| NaiveTime::from_hms_opt(h, 0, 0).expect("an hour of the day");
        Window {
            from: at(from),
            to: at(to),
        }
    }

    /// `8:00` and `12:00`, as shown to her and to staff.
    pub fn shown(&self) -> (String, String) {
        let show = |t: NaiveTime| t.format("%-H:%M").to_string();
        (show(self.from), show(self.to))
    }
}

/// When it is safe to contact her, for each choice she can make, on the
/// center's clock. "Any time" is a window too: nothing arrives at 03:00.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ContactWindows {
    pub morning: Window,
    pub afternoon: Window,
    pub evening: Window,
    pub any: Window,
    /// Kyrgyzstan is UTC+6 all year, with no daylight saving.
    pub utc_offset_hours: i32,
}

impl Default for ContactWindows {
    fn default() -> ContactWindows {
        ContactWindows {
            morning: Window::new(8, 12),
            afternoon: Window::new(12, 17),
            evening: Window::new(17, 21),
            any: Window::new(8, 21),
            utc_offset_hours: kyrgyzstan(),
        }
    }
}

impl ContactWindows {
    pub fn of(&self, time: SafeTime) -> Window {
        match time {
            SafeTime::Morning => self.morning,
            SafeTime::Afternoon => self.afternoon,
            SafeTime::Evening => self.evening,
            SafeTime::Any => self.any,
        }
    }

    fn offset(&self) -> FixedOffset {
        FixedOffset::east_opt(self.utc_offset_hours * 3600)
            .unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset"))
    }

    /// Whether `time`'s window is open at `now`.
    pub fn is_open(&self, time: SafeTime, now: DateTime<Utc>) -> bool {
        let window = self.of(time);
        let local = now.with_timezone(&self.offset()).time();
        window.from <= local && local < window.to
    }

    /// When `time`'s window opens on the day after `now`'s (on the center's clock).
    pub fn opens_on_a_later_day(&self, time: SafeTime, now: DateTime<Utc>) -> DateTime<Utc> {
        let tomorrow = now.with_timezone(&self.offset()).date_naive() + Duration::days(1);
        tomorrow
            .and_time(self.of(time).from)
            .and_local_timezone(self.offset())
            .single()
            .map_or(now + Duration::days(1), |t| t.with_timezone(&Utc))
    }

    /// The day and time at `at` on the center's clock: `11:40` on `now`'s
    /// day, else `05.04 11:40`.
    pub fn local_moment(&self, at: DateTime<Utc>, now: DateTime<Utc>) -> String {
        let (at, now) = (
            at.with_timezone(&self.offset()),
            now.with_timezone(&self.offset()),
        );
        if at.date_naive() == now.date_naive() {
            at.format("%H:%M").to_string()
        } else {
            at.format("%d.%m %H:%M").to_string()
        }
    }

    /// When `time`'s window next opens: `now` if it is open.
    pub fn next_open(&self, time: SafeTime, now: DateTime<Utc>) -> DateTime<Utc> {
        if self.is_open(time, now) {
            return now;
        }
        let window = self.of(time);
        let local = now.with_timezone(&self.offset());
        let today = local.date_naive();
        let day = if local.time() < window.from {
            today
        } else {
            today + Duration::days(1)
        };
        day.and_time(window.from)
            .and_local_timezone(self.offset())
            .single()
            .map_or(now, |t| t.with_timezone(&Utc))
    }
}

/// How long a request waits, unoffered, after a call that did not reach her
/// (the one place this rule lives): after *someone else answered*, until her
/// window on a later day — for *danger now*, two hours; after *call dropped*,
/// at least 30 minutes and inside her window. `None`: back in its place at once.
pub fn cool_down(
    windows: &ContactWindows,
    result: crate::domain::request::TryResult,
    urgency: crate::domain::request::Urgency,
    time: SafeTime,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    use crate::domain::request::{TryResult, Urgency};
    let danger = urgency == Urgency::DangerNow;
    match result {
        TryResult::SomeoneElseAnswered if danger => Some(now + Duration::hours(2)),
        TryResult::SomeoneElseAnswered => Some(windows.opens_on_a_later_day(time, now)),
        TryResult::CallDropped if danger => Some(now + Duration::minutes(30)),
        TryResult::CallDropped => Some(windows.next_open(time, now + Duration::minutes(30))),
        TryResult::NoAnswer | TryResult::WrongNumber => None,
    }
}

/// The short code used in messages for a weekday (`mon` … `sun`).
pub fn day_code(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn weekdays() -> Schedule {
        toml::from_str(
            "days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]\nopens = \"09:00\"\ncloses = \"18:00\"\n",
        )
        .unwrap()
    }

    /// A moment given in Osh local time (UTC+6).
    fn osh(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        FixedOffset::east_opt(6 * 3600)
            .unwrap()
            .with_ymd_and_hms(y, m, d, h, min, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn within_hours_she_is_contacted_today() {
        // 2026-04-08 is a Wednesday.
        let nine = NaiveTime::from_hms_opt(18, 0, 0).unwrap();
        assert_eq!(
            weekdays().expectation(osh(2026, 4, 8, 10, 30)),
            Expectation::Today { closes: nine }
        );
    }

    #[test]
    fn outside_hours_she_is_told_when_the_center_opens() {
        let opens = NaiveTime::from_hms_opt(9, 0, 0).unwrap();
        // Wednesday evening: tomorrow.
        assert_eq!(
            weekdays().expectation(osh(2026, 4, 8, 19, 0)),
            Expectation::Opens {
                day: Weekday::Thu,
                at: opens,
                tomorrow: true
            }
        );
        // Wednesday early morning: today at opening.
        assert_eq!(
            weekdays().expectation(osh(2026, 4, 8, 7, 0)),
            Expectation::Opens {
                day: Weekday::Wed,
                at: opens,
                tomorrow: false
            }
        );
        // Friday night and Saturday: Monday.
        for moment in [osh(2026, 4, 10, 23, 0), osh(2026, 4, 11, 12, 0)] {
            assert_eq!(
                weekdays().expectation(moment),
                Expectation::Opens {
                    day: Weekday::Mon,
                    at: opens,
                    tomorrow: false
                }
            );
        }
        // Sunday: tomorrow, which is Monday.
        assert_eq!(
            weekdays().expectation(osh(2026, 4, 12, 12, 0)),
            Expectation::Opens {
                day: Weekday::Mon,
                at: opens,
                tomorrow: true
            }
        );
    }

    #[test]
    fn contact_windows_are_her_hours_on_the_centers_clock() {
        let windows = ContactWindows::default();
        assert!(windows.is_open(SafeTime::Evening, osh(2026, 4, 8, 17, 0)));
        assert!(windows.is_open(SafeTime::Evening, osh(2026, 4, 8, 20, 59)));
        assert!(!windows.is_open(SafeTime::Evening, osh(2026, 4, 8, 21, 0)));
        assert!(!windows.is_open(SafeTime::Morning, osh(2026, 4, 8, 12, 0)));
        // Any time is 8–21: nothing at three in the morning.
        assert!(!windows.is_open(SafeTime::Any, osh(2026, 4, 8, 3, 0)));
        assert_eq!(
            windows.next_open(SafeTime::Any, osh(2026, 4, 8, 3, 0)),
            osh(2026, 4, 8, 8, 0)
        );
        assert_eq!(
            windows.next_open(SafeTime::Morning, osh(2026, 4, 8, 13, 0)),
            osh(2026, 4, 9, 8, 0)
        );
        let now = osh(2026, 4, 8, 18, 0);
        assert_eq!(windows.next_open(SafeTime::Evening, now), now);
        let configured: ContactWindows =
            toml::from_str("evening = \"18:30-20:00\"\nutc_offset_hours = 5").unwrap();
        assert_eq!(configured.evening.shown(), ("18:30".into(), "20:00".into()));
        assert_eq!(configured.morning, windows.morning);
        assert!(toml::from_str::<ContactWindows>("evening = \"21:00-08:00\"").is_err());
    }

    #[test]
    fn after_someone_else_answered_or_a_dropped_call_the_request_waits() {
        use crate::domain::request::{TryResult, Urgency};
        let windows = ContactWindows::default();
        let at = |result, urgency, time, now| cool_down(&windows, result, urgency, time, now);
        // Someone else answered at 15:00: her afternoon window, but tomorrow;
        // late at night too, tomorrow's window, never the same night's 08:00.
        let three = osh(2026, 4, 8, 15, 0);
        let other = TryResult::SomeoneElseAnswered;
        assert_eq!(
            at(other, Urgency::WithinDay, SafeTime::Afternoon, three),
            Some(osh(2026, 4, 9, 12, 0))
        );
        assert_eq!(
            at(
                other,
                Urgency::CanWait,
                SafeTime::Morning,
                osh(2026, 4, 8, 8, 5)
            ),
            Some(osh(2026, 4, 9, 8, 0))
        );
        // In danger now: two hours.
        assert_eq!(
            at(other, Urgency::DangerNow, SafeTime::Any, three),
            Some(osh(2026, 4, 8, 17, 0))
        );
        // A dropped call: half an hour, inside her window.
        let dropped = TryResult::CallDropped;
        assert_eq!(
            at(dropped, Urgency::WithinDay, SafeTime::Afternoon, three),
            Some(osh(2026, 4, 8, 15, 30))
        );
        assert_eq!(
            at(
                dropped,
                Urgency::WithinDay,
                SafeTime::Afternoon,
                osh(2026, 4, 8, 16, 45)
            ),
            Some(osh(2026, 4, 9, 12, 0)),
            "17:15 is past her afternoon"
        );
        assert_eq!(
            at(dropped, Urgency::DangerNow, SafeTime::Any, three),
            Some(osh(2026, 4, 8, 15, 30))
        );
        // No answer, wrong number: back in its place at once.
        for result in [TryResult::NoAnswer, TryResult::WrongNumber] {
            assert_eq!(at(result, Urgency::DangerNow, SafeTime::Any, three), None);
        }
        assert_eq!(windows.local_moment(three, three), "15:00");
        assert_eq!(
            windows.local_moment(three, osh(2026, 4, 9, 9, 0)),
            "08.04 15:00"
        );
    }

    #[test]
    fn no_working_days_means_no_promise() {
        let mut never = weekdays();
        never.days.clear();
        assert_eq!(
            never.expectation(osh(2026, 4, 8, 10, 0)),
            Expectation::Unknown
        );
    }
}
