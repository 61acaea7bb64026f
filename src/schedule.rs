//! The center's working hours and the honest expectation they give: when she can
//! expect to be contacted.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveTime, Utc, Weekday};
use serde::Deserialize;

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

impl Schedule {
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
    fn no_working_days_means_no_promise() {
        let mut never = weekdays();
        never.days.clear();
        assert_eq!(
            never.expectation(osh(2026, 4, 8, 10, 0)),
            Expectation::Unknown
        );
    }
}
