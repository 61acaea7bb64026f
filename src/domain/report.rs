//! Anonymous figures for donors and the government, from the monthly counters:
//! one dimension at a time per period (never a cross-table that could be worked
//! back to a person), completed quarters and years only (no month, no figure
//! still moving), every count rounded to the nearest 5 from its own exact
//! value and 1–4 shown as `<5`, no totals, nothing per staff member. The bot
//! counts requests, not people.

use crate::counter::Counter;
use crate::domain::outcome::{AgeBand, Help, Referral, Source, Talk, Violence, Visit};
use crate::domain::request::{ContactMethod, Topic, Urgency};
use crate::i18n::text::{self, MsgId};

pub mod chart;
pub mod csv;
pub mod protect;

/// A span of months the figures cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Year(i32),
    Quarter(i32, u8),
}

impl Period {
    /// Its months, as the counters name them (`2026-04`).
    pub fn months(self) -> Vec<String> {
        let (year, months) = match self {
            Period::Year(year) => (year, 1..=12),
            Period::Quarter(year, q) => (year, (3 * u32::from(q) - 2)..=(3 * u32::from(q))),
        };
        months.map(|m| format!("{year:04}-{m:02}")).collect()
    }

    /// `2026` or `2026 Q2`.
    pub fn name(self) -> String {
        match self {
            Period::Year(year) => year.to_string(),
            Period::Quarter(year, q) => format!("{year} Q{q}"),
        }
    }

    /// The year's quarters.
    pub fn quarters(year: i32) -> [Period; 4] {
        [1, 2, 3, 4].map(|q| Period::Quarter(year, q))
    }

    /// Whether the period is over at `now` (on the counters' clock, UTC):
    /// only then are its figures published, so none of them moves.
    pub fn completed(self, now: chrono::DateTime<chrono::Utc>) -> bool {
        use chrono::Datelike;
        let (year, month) = (now.year(), now.month());
        match self {
            Period::Year(y) => y < year,
            Period::Quarter(y, q) => y < year || (y == year && u32::from(q) * 3 < month),
        }
    }

    /// What may be published of `year` at `now`: its completed quarters, and
    /// the year once it is over — the quarters, the year, or both.
    pub fn published(
        year: i32,
        quarters: bool,
        whole: bool,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Vec<Period> {
        let mut periods: Vec<Period> = Vec::new();
        if quarters {
            periods.extend(Period::quarters(year));
        }
        if whole {
            periods.push(Period::Year(year));
        }
        periods.retain(|p| p.completed(now));
        periods
    }
}

/// One thing counted, with its categories: (counter tag, label).
#[derive(Debug, Clone, PartialEq)]
pub struct Dimension {
    /// The counters' name for it (`stats/<month>/<key>/<tag>`).
    pub key: &'static str,
    pub title: MsgId,
    pub categories: Vec<(&'static str, MsgId)>,
}

/// The buckets of a time waited, from the request: to its close (`wait`) or
/// to the first try to reach her (`first-try`).
const WAITED: [(&str, MsgId); 5] = [
    ("lt1h", text::REPORT_WAIT_LT1H),
    ("1-4h", text::REPORT_WAIT_1_4H),
    ("4-24h", text::REPORT_WAIT_4_24H),
    ("1-3d", text::REPORT_WAIT_1_3D),
    ("gt3d", text::REPORT_WAIT_GT3D),
];

/// Every dimension reported, in report order; `center`: the tags of the
/// center's own categories (`[outcome] categories`), reported last when set.
// A table: one entry per dimension.
#[allow(clippy::too_many_lines)]
pub fn dimensions(center: &[String]) -> Vec<Dimension> {
    fn of<T: Copy>(
        key: &'static str,
        title: MsgId,
        all: &[T],
        tag: fn(T) -> &'static str,
        label: fn(T) -> MsgId,
    ) -> Dimension {
        Dimension {
            key,
            title,
            categories: all.iter().map(|&v| (tag(v), label(v))).collect(),
        }
    }
    let fixed = |key, title, categories: &[(&'static str, MsgId)]| Dimension {
        key,
        title,
        categories: categories.to_vec(),
    };
    let mut all = vec![
        of(
            "topic",
            text::REPORT_TOPIC,
            &Topic::REQUESTABLE,
            Topic::tag,
            Topic::label,
        ),
        of(
            "urgency",
            text::REPORT_URGENCY,
            &Urgency::ALL,
            Urgency::tag,
            Urgency::label,
        ),
        of(
            "contact",
            text::REPORT_CONTACT,
            &ContactMethod::ALL,
            ContactMethod::tag,
            ContactMethod::label,
        ),
        // The talk in the form's own words, then the ends without a form.
        Dimension {
            key: "outcome",
            title: text::REPORT_RESULT,
            categories: (Talk::ALL.iter().map(|t| (t.tag(), t.label())))
                .chain([
                    ("unreachable", text::REPORT_RESULT_UNREACHABLE),
                    ("cancelled", text::REPORT_RESULT_CANCELLED),
                    ("lost", text::REPORT_RESULT_LOST),
                ])
                .collect(),
        },
        of("help", text::REPORT_HELP, Help::ALL, Help::tag, Help::label),
        of(
            "referral",
            text::REPORT_REFERRAL,
            Referral::ALL,
            Referral::tag,
            Referral::label,
        ),
        of(
            "violence",
            text::REPORT_VIOLENCE,
            Violence::ALL,
            Violence::tag,
            Violence::label,
        ),
        of(
            "age",
            text::REPORT_AGE,
            AgeBand::ALL,
            AgeBand::tag,
            AgeBand::label,
        ),
        of(
            "visit",
            text::REPORT_VISIT,
            Visit::ALL,
            Visit::tag,
            Visit::label,
        ),
        of(
            "source",
            text::REPORT_SOURCE,
            Source::ALL,
            Source::tag,
            Source::label,
        ),
        fixed(
            "flag",
            text::REPORT_FLAGS,
            &[
                ("child-at-risk", text::OUTCOME_CHILD_AT_RISK),
                ("high-risk", text::OUTCOME_HIGH_RISK),
            ],
        ),
        fixed(
            "hours",
            text::REPORT_HOURS,
            &[
                ("inside", text::REPORT_HOURS_INSIDE),
                ("outside", text::REPORT_HOURS_OUTSIDE),
            ],
        ),
        fixed("first-try", text::REPORT_FIRST_TRY, &WAITED),
        fixed("wait", text::REPORT_WAIT, &WAITED),
    ];
    if !center.is_empty() {
        // Tags the configuration keeps for as long as the figures are read.
        let tags: Vec<&'static str> = center
            .iter()
            .map(|tag| text::MsgId::interned(tag).0)
            .collect();
        all.push(Dimension {
            key: "center",
            title: text::OUTCOME_CENTER_CATEGORIES,
            categories: tags
                .into_iter()
                .map(|tag| (tag, crate::domain::outcome::center_label(tag)))
                .collect(),
        });
    }
    all
}

/// A count as it may be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    Zero,
    /// 1 to 4: too few to show.
    Few,
    /// 5 or more, rounded to the nearest 5.
    Count(u64),
    /// Not shown: the other cells would give a count of 1–4 away.
    Hidden,
}

impl Cell {
    /// The cell for an exact count: 0, `<5`, or the count rounded to the
    /// nearest 5 (7 → 5, 8 → 10), always from the exact count itself.
    pub fn of(count: u64) -> Cell {
        match count {
            0 => Cell::Zero,
            1..=4 => Cell::Few,
            n => Cell::Count((n + 2) / 5 * 5),
        }
    }

    pub fn shown(self) -> String {
        match self {
            Cell::Zero => "0".into(),
            Cell::Few => "<5".into(),
            Cell::Count(n) => n.to_string(),
            Cell::Hidden => "…".into(),
        }
    }
}

/// One dimension's cells for one period.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub dimension: Dimension,
    pub cells: Vec<Cell>,
}

/// The figures of one period: every dimension, each on its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub period: Period,
    pub rows: Vec<Row>,
}

/// The exact counts of `period`: per dimension, per category.
fn exact(period: Period, dimensions: &[Dimension], counter: &dyn Fn(&str) -> u64) -> Vec<Vec<u64>> {
    let months = period.months();
    dimensions
        .iter()
        .map(|dimension| {
            dimension
                .categories
                .iter()
                .map(|(tag, _)| {
                    months
                        .iter()
                        .map(|month| {
                            counter(
                                &Counter::Stat {
                                    month,
                                    dimension: dimension.key,
                                    tag,
                                }
                                .key(),
                            )
                        })
                        .sum()
                })
                .collect()
        })
        .collect()
}

/// A period's cells, protected within the period: each count rounded, and
/// cells hidden until no count of 1–4 can be worked out from the others.
fn protected(exact: &[Vec<u64>]) -> Vec<Vec<Cell>> {
    let mut cells: Vec<Vec<Cell>> = exact
        .iter()
        .map(|row| row.iter().map(|&n| Cell::of(n)).collect())
        .collect();
    protect::within_period(exact, &mut cells);
    cells
}

impl Table {
    /// The figures of `period`, from `counter` (a counter's value by key). A
    /// year is shown beside its quarters: what could give one of their small
    /// counts away is hidden (see [`protect`]).
    pub fn of(period: Period, center: &[String], counter: impl Fn(&str) -> u64) -> Table {
        let dimensions = dimensions(center);
        let exact_counts = exact(period, &dimensions, &counter);
        let cells = match period {
            Period::Quarter(..) => protected(&exact_counts),
            Period::Year(year) => {
                let quarters: Vec<protect::Counted> = Period::quarters(year)
                    .into_iter()
                    .map(|q| {
                        let exact = exact(q, &dimensions, &counter);
                        let cells = protected(&exact);
                        (exact, cells)
                    })
                    .collect();
                let mut cells = protected(&exact_counts);
                protect::hide_year(&exact_counts, &quarters, &mut cells);
                cells
            }
        };
        let rows = dimensions
            .into_iter()
            .zip(cells)
            .map(|(dimension, cells)| Row { dimension, cells })
            .collect();
        Table { period, rows }
    }
}

/// The figures as text lines in `say`'s language: a title, then a line per
/// dimension.
pub fn lines(table: &Table, say: &dyn Fn(MsgId) -> String) -> Vec<String> {
    table
        .rows
        .iter()
        .map(|row| {
            let cells: Vec<String> = row
                .dimension
                .categories
                .iter()
                .zip(&row.cells)
                .map(|((_, label), cell)| format!("{} {}", say(*label), cell.shown()))
                .collect();
            format!("{}: {}", say(row.dimension.title), cells.join(", "))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn small_counts_are_hidden_and_months_add_up_within_the_period() {
        let counters: HashMap<String, u64> = [
            ("stats/2026-04/topic/legal", 3),
            ("stats/2026-05/topic/legal", 3),
            ("stats/2026-04/topic/docs", 2),
            ("stats/2026-07/topic/docs", 2),
            ("stats/2026-04/flag/child-at-risk", 1),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let counter = |key: &str| counters.get(key).copied().unwrap_or(0);
        let year = Table::of(Period::Year(2026), &[], counter);
        let topics = &year.rows[0];
        assert_eq!(topics.dimension.key, "topic");
        assert_eq!(
            topics.cells[..3],
            [Cell::Count(5), Cell::Hidden, Cell::Zero],
            "legal 6 (shown 5); documents 4 is hidden beside its quarters of 2 \
             and 2 (its year would give them away); psychological 0"
        );
        let q2 = Table::of(Period::Quarter(2026, 2), &[], counter);
        assert_eq!(q2.rows[0].cells[..2], [Cell::Count(5), Cell::Few]);
        let flags = year
            .rows
            .iter()
            .find(|r| r.dimension.key == "flag")
            .unwrap();
        assert_eq!(flags.cells, [Cell::Hidden, Cell::Zero]);
        assert_eq!(
            Period::Quarter(2026, 3).months(),
            ["2026-07", "2026-08", "2026-09"]
        );
        assert_eq!(Cell::of(5).shown(), "5");
    }

    #[test]
    fn every_count_is_rounded_to_the_nearest_five_from_its_own_exact_value() {
        let shown: Vec<String> = [0, 1, 4, 5, 7, 8, 12, 13, 22, 23]
            .into_iter()
            .map(|n| Cell::of(n).shown())
            .collect();
        assert_eq!(
            shown,
            ["0", "<5", "<5", "5", "5", "10", "10", "15", "20", "25"]
        );
        // The year from its months, not from its rounded quarters: 7 a quarter
        // shows 5 four times and 30 (of 28) for the year, not 20.
        let counters: std::collections::HashMap<String, u64> = ["01", "04", "07", "10"]
            .into_iter()
            .map(|m| (format!("stats/2026-{m}/topic/legal"), 7))
            .collect();
        let counter = |key: &str| counters.get(key).copied().unwrap_or(0);
        assert_eq!(
            Table::of(Period::Quarter(2026, 1), &[], counter).rows[0].cells[0],
            Cell::Count(5)
        );
        assert_eq!(
            Table::of(Period::Year(2026), &[], counter).rows[0].cells[0],
            Cell::Count(30)
        );
    }

    #[test]
    fn only_completed_quarters_and_years_are_published() {
        use chrono::TimeZone;
        let at = |y, m, d| chrono::Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).unwrap();
        assert_eq!(Period::published(2026, true, true, at(2026, 3, 31)), []);
        assert_eq!(
            Period::published(2026, true, true, at(2026, 4, 1)),
            [Period::Quarter(2026, 1)]
        );
        assert_eq!(
            Period::published(2026, true, true, at(2026, 12, 31)),
            Period::quarters(2026)[..3]
        );
        let next = at(2027, 1, 1);
        assert_eq!(
            Period::published(2026, false, true, next),
            [Period::Year(2026)]
        );
        assert_eq!(Period::published(2026, true, true, next).len(), 5);
        assert_eq!(Period::published(2027, true, true, next), []);
    }
}
