//! `/audit CODE`: what happened to a request, for supervisors, while the bot
//! runs — who took it, tried, released, closed, and the bot's own alerts —
//! on the center's clock. Only while the request lives (its audit lines go
//! with it), and protected from forwarding.

use super::{Asker, OwnCommand, Port, PortError};
use crate::desk::{to, Reply, Role};
use crate::i18n::text::{MsgId, Text};

const DESCRIPTION: MsgId = MsgId("cmd-audit");
const USAGE: MsgId = MsgId("desk-audit-usage");
const NONE: MsgId = MsgId("desk-audit-none");
const TITLE: MsgId = MsgId("desk-audit-title");
const LINE: MsgId = MsgId("desk-audit-line");

/// At most this many lines (the newest), so the message stays one message.
pub const AUDIT_LINES: usize = 60;

/// One line of a request's history, as the port reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditLine {
    /// On the center's clock (`11:40`, or `05.04 11:40` on another day).
    pub at: String,
    /// A staff handle, or `bot`.
    pub who: String,
    /// The audit log's word for it (`claimed`, `escalated:10min`, …).
    pub what: String,
}

pub struct Audit;

impl OwnCommand for Audit {
    fn name(&self) -> &'static str {
        "audit"
    }

    fn role(&self) -> Role {
        Role::Supervisor
    }

    fn description(&self) -> MsgId {
        DESCRIPTION
    }

    fn texts(&self) -> &'static [MsgId] {
        &[DESCRIPTION, USAGE, NONE, TITLE, LINE]
    }

    fn run(
        &self,
        asker: &Asker,
        argument: &str,
        port: &mut dyn Port,
    ) -> Result<Vec<Reply>, PortError> {
        let Some(code) = crate::domain::request::typed_code(argument) else {
            return Ok(vec![to(asker.handle, vec![Text::new(USAGE)])]);
        };
        let Some(mut lines) = port.history(&code)? else {
            return Ok(vec![to(
                asker.handle,
                vec![Text::new(NONE).arg("code", code)],
            )]);
        };
        let from = lines.len().saturating_sub(AUDIT_LINES);
        lines.drain(..from);
        let shown: Vec<Text> = lines
            .iter()
            .map(|line| {
                Text::new(LINE)
                    .arg("at", line.at.as_str())
                    .arg("who", line.who.as_str())
                    .arg("what", line.what.as_str())
            })
            .collect();
        let mut parts = vec![Text::new(TITLE).arg("code", code)];
        // (Nothing done to it yet: the title alone.)
        if !shown.is_empty() {
            parts.push(Text::lines(shown));
        }
        let mut reply = to(asker.handle, parts);
        // Who did what to her request: not to be forwarded.
        reply.protect = true;
        Ok(vec![reply])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::RecordId;
    use crate::domain::request::TicketCode;

    struct History(Option<Vec<AuditLine>>);

    impl Port for History {
        fn held(&mut self) -> Result<Vec<(RecordId, TicketCode)>, PortError> {
            Ok(Vec::new())
        }

        fn card(&mut self, _: RecordId) -> Result<Option<crate::desk::Card>, PortError> {
            Ok(None)
        }

        fn history(&mut self, _: &TicketCode) -> Result<Option<Vec<AuditLine>>, PortError> {
            Ok(self.0.clone())
        }
    }

    fn asker() -> Asker<'static> {
        Asker {
            handle: "boss",
            supervisor: true,
            now: chrono::Utc::now(),
        }
    }

    #[test]
    fn a_requests_history_is_protected_newest_lines_kept_and_a_gone_one_says_so() {
        let line = |n: usize| AuditLine {
            at: format!("{n:02}:00"),
            who: "aigul".into(),
            what: "claimed".into(),
        };
        let mut port = History(Some((0..AUDIT_LINES + 5).map(line).collect()));
        let replies = Audit.run(&asker(), "k7qx", &mut port).unwrap();
        assert!(replies[0].protect);
        let shown = &replies[0].parts[1];
        assert_eq!(1 + shown.follow.len(), AUDIT_LINES);
        assert_eq!(shown.args[0].1, crate::i18n::text::Arg::Str("05:00".into()));
        // Nothing done to it yet: the title alone, never a panic.
        let replies = Audit
            .run(&asker(), "K7QX", &mut History(Some(Vec::new())))
            .unwrap();
        assert_eq!(replies[0].parts.len(), 1);
        let replies = Audit.run(&asker(), "K7QX", &mut History(None)).unwrap();
        assert_eq!(replies[0].parts[0].id, NONE);
        let replies = Audit.run(&asker(), "", &mut History(None)).unwrap();
        assert_eq!(replies[0].parts[0].id, USAGE);
    }
}
