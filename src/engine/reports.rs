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
        let center = &self.config.outcome.categories;
        Ok(crate::domain::report::Table::of(period, center, |key| {
            counters.get(key).copied().unwrap_or(0)
        }))
    }

    /// `/export`: the figures per completed quarter and for the year once it
    /// is over.
    pub(super) fn export(
        &self,
        c: &StaffCtx,
        year: Option<i32>,
        span: desk::Span,
    ) -> Result<DeskEvent, StoreError> {
        let year = year.unwrap_or_else(|| chrono::Datelike::year(&c.now));
        let quarters = span != desk::Span::Year;
        let whole = span != desk::Span::Quarters;
        let periods = Period::published(year, quarters, whole, c.now);
        if periods.is_empty() {
            return Ok(DeskEvent::NoFiguresYet(year));
        }
        let tables = periods
            .into_iter()
            .map(|p| self.figures(p))
            .collect::<Result<_, _>>()?;
        Ok(DeskEvent::Export(tables))
    }
}
