//! The engine's side of the desk's [`Port`]: what a staff command of its own
//! file may read, for the staff member who asks.

use super::staff::StaffCtx;
use super::*;
use crate::desk::{Asker, OwnCommand, Port, PortError};

struct DeskPort<'a> {
    app: &'a App,
    c: &'a StaffCtx<'a>,
    /// The store's error behind a [`PortError`], kept for the caller.
    failed: Option<StoreError>,
}

impl DeskPort<'_> {
    fn keep<T>(&mut self, result: Result<T, StoreError>) -> Result<T, PortError> {
        result.map_err(|e| {
            self.failed = Some(e);
            PortError
        })
    }
}

impl Port for DeskPort<'_> {
    fn held(&mut self) -> Result<Vec<(RecordId, TicketCode)>, PortError> {
        let claims = self.app.store.claims_of(self.c.handle);
        Ok(self
            .keep(claims)?
            .into_iter()
            .map(|record| (record.id, record.code))
            .collect())
    }

    fn history(&mut self, code: &TicketCode) -> Result<Option<Vec<desk::AuditLine>>, PortError> {
        let history = self.app.history(code.as_str(), self.c.now);
        self.keep(history)
    }

    fn card(&mut self, id: RecordId) -> Result<Option<Card>, PortError> {
        let shown = self.app.show_card(self.c, id);
        Ok(match self.keep(shown)? {
            DeskEvent::Claimed(card) => Some(*card),
            _ => None,
        })
    }
}

impl App {
    /// The audit lines of the request with this code, oldest first, on the
    /// center's clock; `None` when no such request lives.
    fn history(
        &self,
        code: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<Vec<desk::AuditLine>>, StoreError> {
        if self.store.record_of_code(code)?.is_none() {
            return Ok(None);
        }
        let windows = &self.config.contact_windows;
        Ok(Some(
            self.store
                .audit_since(chrono::DateTime::UNIX_EPOCH)?
                .into_iter()
                .filter(|entry| entry.code.as_deref() == Some(code))
                .map(|entry| desk::AuditLine {
                    at: windows.local_moment(entry.at, now),
                    who: entry.who,
                    what: entry.action,
                })
                .collect(),
        ))
    }

    /// A staff command of its own file, for `c`'s staff member.
    pub(super) fn run_own(
        &self,
        c: &StaffCtx,
        command: &dyn OwnCommand,
        argument: &str,
    ) -> Result<Vec<desk::Reply>, StoreError> {
        let asker = Asker {
            handle: c.handle,
            supervisor: c.member.supervisor,
            now: c.now,
        };
        let mut port = DeskPort {
            app: self,
            c,
            failed: None,
        };
        command
            .run(&asker, argument, &mut port)
            .map_err(|PortError| match port.failed.take() {
                Some(cause) => cause,
                // Only the port makes a PortError, and it keeps the cause.
                None => StoreError::Sled(sled::Error::ReportableBug(format!(
                    "/{} failed without a cause",
                    command.name()
                ))),
            })
    }
}
