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
const CLAIMED: MsgId = MsgId("desk-audit-claimed");
const RELEASED: MsgId = MsgId("desk-audit-released");
const RELEASED_FROM: MsgId = MsgId("desk-audit-released-from");
const ASSIGNED: MsgId = MsgId("desk-audit-assigned");
const EXPIRED: MsgId = MsgId("desk-audit-expired");
const CLOSED: MsgId = MsgId("desk-audit-closed");
const TRIED: MsgId = MsgId("desk-audit-tried");
const TRIED_CLOSED: MsgId = MsgId("desk-audit-tried-closed");
const KEPT: MsgId = MsgId("desk-audit-kept");
const NOTE: MsgId = MsgId("desk-audit-note");
const WROTE: MsgId = MsgId("desk-audit-wrote");
const REOPENED: MsgId = MsgId("desk-audit-reopened");
const OFFERED_AGAIN: MsgId = MsgId("desk-audit-offered-again");
const BLOCKED: MsgId = MsgId("desk-audit-blocked");
const WITHDRAWN: MsgId = MsgId("desk-audit-withdrawn");
const RELEASED_RESTORED: MsgId = MsgId("desk-audit-released-restored");
const ESCALATED: MsgId = MsgId("desk-audit-escalated");

/// Every text of the command, checked against every language at start.
const TEXTS: &[MsgId] = &[
    DESCRIPTION,
    USAGE,
    NONE,
    TITLE,
    LINE,
    CLAIMED,
    RELEASED,
    RELEASED_FROM,
    ASSIGNED,
    EXPIRED,
    CLOSED,
    TRIED,
    TRIED_CLOSED,
    KEPT,
    NOTE,
    WROTE,
    REOPENED,
    OFFERED_AGAIN,
    BLOCKED,
    WITHDRAWN,
    RELEASED_RESTORED,
    ESCALATED,
];

/// How a request ended, in the words of the outcome form and the figures.
fn ended(tag: &str) -> Option<MsgId> {
    use crate::domain::outcome::Talk;
    use crate::domain::request::Resolution;
    use crate::i18n::text;
    let resolution = Resolution::from_tag(tag)?;
    Some(match Talk::from_resolution(resolution) {
        Some(talk) => talk.label(),
        None => match resolution {
            Resolution::Cancelled => text::REPORT_RESULT_CANCELLED,
            Resolution::DataLost => text::REPORT_RESULT_LOST,
            _ => text::REPORT_RESULT_UNREACHABLE,
        },
    })
}

/// One line of the history in words: the audit log's tag (`tried:no-answer`,
/// `assigned:aigul:from:nurjan`, …) said as a sentence; a tag this version
/// does not know is shown as it is.
fn said(line: &AuditLine) -> Text {
    use crate::domain::request::TryResult;
    use crate::i18n::text::Arg;
    let parts: Vec<&str> = line.what.split(':').collect();
    let plain = |id| Some(Text::new(id));
    let text = match parts.as_slice() {
        ["claimed"] => plain(CLAIMED),
        ["released"] => plain(RELEASED),
        ["released-from", holder] => Some(Text::new(RELEASED_FROM).arg("holder", *holder)),
        ["assigned", to, ..] => Some(Text::new(ASSIGNED).arg("to", *to)),
        ["expired"] => plain(EXPIRED),
        ["closed", tag] => ended(tag).map(|label| Text::new(CLOSED).arg("result", Arg::Msg(label))),
        ["tried", tag, rest @ ..] => TryResult::from_tag(tag).map(|result| {
            let id = if rest == ["closed"] {
                TRIED_CLOSED
            } else {
                TRIED
            };
            Text::new(id).arg("result", Arg::Msg(result.label()))
        }),
        ["kept"] => plain(KEPT),
        ["note"] => plain(NOTE),
        ["wrote"] => plain(WROTE),
        ["reopened"] => plain(REOPENED),
        ["offered_again"] => plain(OFFERED_AGAIN),
        ["blocked", days] => (days.strip_suffix('d'))
            .and_then(|d| d.parse::<i64>().ok())
            .map(|days| Text::new(BLOCKED).arg("days", days)),
        ["withdrawn_by_her"] => plain(WITHDRAWN),
        ["released-restored"] => plain(RELEASED_RESTORED),
        ["escalated", minutes] => (minutes.strip_suffix("min"))
            .and_then(|m| m.parse::<i64>().ok())
            .map(|minutes| Text::new(ESCALATED).arg("minutes", minutes)),
        _ => None,
    };
    text.unwrap_or_else(|| Text::new(LINE).arg("what", line.what.as_str()))
        .arg("at", line.at.as_str())
        .arg("who", line.who.as_str())
}

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
        TEXTS
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
        let shown: Vec<Text> = lines.iter().map(said).collect();
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

    #[test]
    fn each_line_says_in_words_what_the_log_tag_means() {
        let line = |what: &str| AuditLine {
            at: "11:40".into(),
            who: "aigul".into(),
            what: what.into(),
        };
        let locales = crate::i18n::Locales::embedded("ky").unwrap();
        let say = |what: &str| locales.format("ru", &said(&line(what)));
        assert_eq!(say("claimed"), "11:40 — aigul: взял(а) заявку");
        assert_eq!(
            say("closed:helped"),
            "11:40 — aigul: закрыл(а) заявку — «Поговорили»"
        );
        assert_eq!(
            say("tried:noanswer"),
            "11:40 — aigul: звонил(а) — «Не ответили»"
        );
        assert!(say("tried:wrong:closed").contains("третья попытка"));
        assert_eq!(
            say("assigned:nurjan:from:aigul"),
            "11:40 — aigul: передал(а) сотруднику nurjan"
        );
        assert_eq!(
            say("blocked:30d"),
            "11:40 — aigul: заблокировал(а) отправителя на 30 дней"
        );
        assert!(say("escalated:10min").contains("10 мин"));
        // A tag this version does not know, or a broken one: shown as it is.
        assert_eq!(say("something-new:x"), "11:40 — aigul: something-new:x");
        assert_eq!(say("closed:nonsense"), "11:40 — aigul: closed:nonsense");
        // Every tag a request's history holds, in every language: words, not tags.
        for what in [
            "claimed",
            "released",
            "released-from:nurjan",
            "assigned:nurjan",
            "expired",
            "closed:helped",
            "closed:declined",
            "closed:silent",
            "closed:lost",
            "tried:noanswer",
            "tried:other",
            "tried:dropped:closed",
            "kept",
            "note",
            "wrote",
            "reopened",
            "offered_again",
            "blocked:1d",
            "withdrawn_by_her",
            "released-restored",
            "escalated:20min",
        ] {
            for lang in locales.codes() {
                let words = locales.format(&lang, &said(&line(what)));
                let tag = what.split(':').next().unwrap();
                assert!(!words.contains(tag), "{lang} {what}: {words}");
            }
        }
    }
}
