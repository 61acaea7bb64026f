//! The anonymous figures, for the desk: a year, or its quarters for a file.

use super::staff::StaffCtx;
use super::*;

impl App {
    /// The anonymous figures of `period`, from the counters.
    pub(super) fn figures(
        &self,
        period: Period,
    ) -> Result<crate::domain::report::Table, StoreError> {
        let counters = self.store.counters_with_prefix(crate::counter::STATS)?;
        Ok(crate::domain::report::Table::of(period, |key| {
            counters.get(key).copied().unwrap_or(0)
        }))
    }

    /// `/export`: the figures per quarter and for the year.
    pub(super) fn export(
        &self,
        c: &StaffCtx,
        year: Option<i32>,
        span: desk::Span,
    ) -> Result<DeskEvent, StoreError> {
        let year = year.unwrap_or_else(|| chrono::Datelike::year(&c.now));
        let mut periods = Vec::new();
        if span != desk::Span::Year {
            periods.extend(Period::quarters(year));
        }
        if span != desk::Span::Quarters {
            periods.push(Period::Year(year));
        }
        let tables = periods
            .into_iter()
            .map(|p| self.figures(p))
            .collect::<Result<_, _>>()?;
        Ok(DeskEvent::Export(tables))
    }
}
