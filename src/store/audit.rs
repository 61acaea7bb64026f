//! The audit log: who did what to which request, when — handles, actions and
//! ticket codes only, nothing of her. Kept `audit_days`, then dropped.

use std::path::Path;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::{Store, StoreError};
use crate::domain::ids::StaffHandle;

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    /// A staff handle, or `bot` for what the bot did by itself.
    pub who: String,
    /// `claimed`, `released`, `closed:helped`, `duty_on`, `shelter:full`, …
    pub action: String,
    /// The ticket code, when the action concerns a request.
    pub code: Option<String>,
}

impl std::fmt::Display for AuditEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} {}",
            self.at.format("%Y-%m-%d %H:%M UTC"),
            self.who,
            self.action
        )?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        Ok(())
    }
}

/// What an audit line says was done. Its tag is what the log stores and
/// `ak-jurok audit` prints: frozen, since old lines are read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditAction {
    Claimed,
    /// Put back by its holder (also when suspended or going off duty).
    Released,
    /// A supervisor put back this holder's claim.
    ReleasedFrom(String),
    /// A supervisor gave it to this staff member (from its holder, if any).
    Assigned {
        to: StaffHandle,
        from: Option<StaffHandle>,
    },
    Expired,
    /// Closed with the outcome form: how the talk went.
    Closed(crate::domain::request::Resolution),
    /// Its key was gone: closed as data lost (by the bot).
    ClosedLost,
    /// A call that did not reach her (its result's tag); `gave_up`: it closed.
    Tried {
        result: &'static str,
        gave_up: bool,
    },
    Kept,
    Note,
    Wrote,
    Reopened,
    OfferedAgain,
    Blocked {
        days: u16,
    },
    WithdrawnByHer,
    Suspended(StaffHandle),
    /// A supervisor's suspension asked for, waiting for a second supervisor.
    SuspendAsked(StaffHandle),
    Resumed(StaffHandle),
    Shelter(&'static str),
    /// A request a restore held, released by a supervisor.
    ReleasedRestored,
    /// A danger-now request nobody took: alerted again (step 1, 10 minutes)
    /// or told to the staff chat (step 2, 20 minutes).
    Escalated(u8),
    DutyOn,
    DutyOff,
}

impl AuditAction {
    pub fn tag(&self) -> String {
        match self {
            AuditAction::Claimed => "claimed".into(),
            AuditAction::Released => "released".into(),
            AuditAction::ReleasedFrom(holder) => format!("released-from:{holder}"),
            AuditAction::Assigned { to, from: None } => format!("assigned:{to}"),
            AuditAction::Assigned {
                to,
                from: Some(from),
            } => format!("assigned:{to}:from:{from}"),
            AuditAction::Expired => "expired".into(),
            AuditAction::Closed(resolution) => format!("closed:{}", resolution.tag()),
            AuditAction::ClosedLost => "closed:lost".into(),
            AuditAction::Tried {
                result,
                gave_up: false,
            } => format!("tried:{result}"),
            AuditAction::Tried {
                result,
                gave_up: true,
            } => format!("tried:{result}:closed"),
            AuditAction::Kept => "kept".into(),
            AuditAction::Note => "note".into(),
            AuditAction::Wrote => "wrote".into(),
            AuditAction::Reopened => "reopened".into(),
            AuditAction::OfferedAgain => "offered_again".into(),
            AuditAction::Blocked { days } => format!("blocked:{days}d"),
            AuditAction::WithdrawnByHer => "withdrawn_by_her".into(),
            AuditAction::Suspended(who) => format!("suspended:{who}"),
            AuditAction::SuspendAsked(who) => format!("suspend-asked:{who}"),
            AuditAction::Resumed(who) => format!("resumed:{who}"),
            AuditAction::Shelter(state) => format!("shelter:{state}"),
            AuditAction::ReleasedRestored => "released-restored".into(),
            AuditAction::Escalated(step) => format!("escalated:{}min", u32::from(*step) * 10),
            AuditAction::DutyOn => "duty_on".into(),
            AuditAction::DutyOff => "duty_off".into(),
        }
    }
}

/// Time, then a sequence number: lines at the same instant keep their order.
fn key(at: DateTime<Utc>, seq: u64) -> Vec<u8> {
    let mut key = (at.timestamp_millis().max(0) as u64).to_be_bytes().to_vec();
    key.extend_from_slice(&seq.to_be_bytes());
    key
}

/// Appends one line to the audit tree of `db` (written with the next flush).
pub(super) fn append(
    db: &sled::Db,
    at: DateTime<Utc>,
    who: &str,
    action: &AuditAction,
    code: Option<&str>,
) -> Result<(), StoreError> {
    let entry = AuditEntry {
        at,
        who: who.to_string(),
        action: action.tag(),
        code: code.map(str::to_string),
    };
    let bytes = serde_json::to_vec(&entry).expect("audit entries serialize");
    db.open_tree("audit")?
        .insert(key(at, db.generate_id()?), bytes)?;
    Ok(())
}

impl Store {
    /// Appends one line (written with the next flush).
    pub fn audit(
        &self,
        at: DateTime<Utc>,
        who: &str,
        action: &AuditAction,
        code: Option<&str>,
    ) -> Result<(), StoreError> {
        let _writing = self.writing();
        append(&self.db, at, who, action, code)
    }

    /// Drops lines older than `keep`.
    pub(super) fn purge_audit(&self, now: DateTime<Utc>, keep: Duration) -> Result<(), StoreError> {
        let _writing = self.writing();
        let cutoff = key(now - keep, 0);
        for entry in self.audit.range(..cutoff[..8].to_vec()) {
            let (k, _) = entry?;
            self.audit.remove(k)?;
        }
        Ok(())
    }

    /// A ticket code's history lives as long as its request: every line that
    /// names a code no request holds any more (purged, erased) loses the code
    /// and keeps the rest (who did what, when). The number of lines changed.
    pub(super) fn forget_gone_codes(&self) -> Result<usize, StoreError> {
        let _writing = self.writing();
        let mut changed = 0;
        for entry in self.audit.iter() {
            let (key, bytes) = entry?;
            let Ok(mut line) = serde_json::from_slice::<AuditEntry>(&bytes) else {
                continue;
            };
            let Some(code) = &line.code else {
                continue;
            };
            if self.codes.contains_key(code.as_bytes())? {
                continue;
            }
            line.code = None;
            let bytes = serde_json::to_vec(&line).expect("audit entries serialize");
            self.audit.insert(key, bytes)?;
            changed += 1;
        }
        Ok(changed)
    }

    /// Lines since `since`, oldest first.
    pub fn audit_since(&self, since: DateTime<Utc>) -> Result<Vec<AuditEntry>, StoreError> {
        let start = (since.timestamp_millis().max(0) as u64).to_be_bytes();
        self.audit
            .range(start.to_vec()..)
            .map(|entry| {
                let (_, bytes) = entry?;
                Ok(serde_json::from_slice(&bytes).ok())
            })
            .filter_map(Result::transpose)
            .collect()
    }

    /// Reads the audit log of a stopped bot's database: no keys needed, since
    /// nothing in it is sealed. A database a running bot holds is refused.
    pub fn read_audit(
        data_dir: &Path,
        since: DateTime<Utc>,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let path = data_dir.join("db");
        if !path.exists() {
            return Ok(Vec::new());
        }
        let db = super::open_sled(&path, 1)?;
        let tree = db.open_tree("audit")?;
        let start = (since.timestamp_millis().max(0) as u64).to_be_bytes();
        let mut lines = Vec::new();
        for entry in tree.range(start.to_vec()..) {
            let (_, bytes) = entry?;
            if let Ok(line) = serde_json::from_slice(&bytes) {
                lines.push(line);
            }
        }
        Ok(lines)
    }

    /// Offline: whether the database in `data_dir` has seen a keyring (it then
    /// refuses to start without it). `false` for a data folder with no
    /// database yet.
    pub fn expects_keyring(data_dir: &Path) -> Result<bool, StoreError> {
        let path = data_dir.join("db");
        if !path.exists() {
            return Ok(false);
        }
        let db = super::open_sled(&path, 1)?;
        Ok(super::read_mark(&db.open_tree("meta")?)?.is_some())
    }

    /// Offline: the counters whose keys start with `prefix`, read from the data
    /// folder without the keyring (they hold nothing sealed), so a restored
    /// backup can be reported on. Refused in one line while a bot holds it.
    pub fn read_counters(
        data_dir: &Path,
        prefix: &str,
    ) -> Result<std::collections::BTreeMap<String, u64>, StoreError> {
        let path = data_dir.join("db");
        let mut all = std::collections::BTreeMap::new();
        if !path.exists() {
            return Ok(all);
        }
        let db = super::open_sled(&path, 1)?;
        for entry in db.open_tree("counters")?.scan_prefix(prefix.as_bytes()) {
            let (key, value) = entry?;
            let value = u64::from_be_bytes(value.as_ref().try_into().unwrap_or([0; 8]));
            all.insert(String::from_utf8_lossy(&key).into_owned(), value);
        }
        Ok(all)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::request::Resolution;
    use chrono::TimeZone;

    use super::*;
    use crate::store::tests::open;

    #[test]
    fn audit_tags_are_frozen_as_older_lines_wrote_them() {
        for (action, tag) in [
            (AuditAction::Claimed, "claimed"),
            (AuditAction::Released, "released"),
            (
                AuditAction::ReleasedFrom("aigul".into()),
                "released-from:aigul",
            ),
            (AuditAction::Expired, "expired"),
            (AuditAction::Closed(Resolution::Declined), "closed:declined"),
            (AuditAction::Closed(Resolution::Silent), "closed:silent"),
            (AuditAction::Closed(Resolution::Talked), "closed:helped"),
            (AuditAction::ClosedLost, "closed:lost"),
            (
                AuditAction::Tried {
                    result: "other",
                    gave_up: false,
                },
                "tried:other",
            ),
            (
                AuditAction::Tried {
                    result: "noanswer",
                    gave_up: true,
                },
                "tried:noanswer:closed",
            ),
            (AuditAction::Kept, "kept"),
            (AuditAction::Note, "note"),
            (AuditAction::Wrote, "wrote"),
            (AuditAction::Reopened, "reopened"),
            (AuditAction::OfferedAgain, "offered_again"),
            (AuditAction::Blocked { days: 30 }, "blocked:30d"),
            (AuditAction::WithdrawnByHer, "withdrawn_by_her"),
            (AuditAction::Suspended("nurjan".into()), "suspended:nurjan"),
            (AuditAction::Resumed("nurjan".into()), "resumed:nurjan"),
            (AuditAction::Shelter("full"), "shelter:full"),
            (AuditAction::DutyOn, "duty_on"),
            (AuditAction::DutyOff, "duty_off"),
        ] {
            assert_eq!(action.tag(), tag);
        }
    }

    #[test]
    fn the_audit_log_keeps_order_and_forgets_old_lines() {
        let dir = tempfile::tempdir().unwrap();
        let t0 = Utc.with_ymd_and_hms(2026, 4, 6, 9, 0, 0).unwrap();
        {
            let store = open(dir.path());
            store
                .audit(t0, "aigul", &AuditAction::Claimed, Some("K7QX"))
                .unwrap();
            store
                .audit(
                    t0 + Duration::days(2),
                    "aigul",
                    &AuditAction::Closed(crate::domain::request::Resolution::Talked),
                    Some("K7QX"),
                )
                .unwrap();
            store
                .audit(
                    t0 + Duration::days(400),
                    "nurzat",
                    &AuditAction::DutyOn,
                    None,
                )
                .unwrap();
            store
                .purge_audit(t0 + Duration::days(401), Duration::days(365))
                .unwrap();
        }
        let lines = Store::read_audit(&dir.path().join("data"), t0).unwrap();
        let shown: Vec<String> = lines.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["2027-05-11 09:00 UTC nurzat duty_on"]);
        let store = open(dir.path());
        assert_eq!(store.audit_since(t0).unwrap().len(), 1);
        // While a bot holds the database, reading it offline is refused.
        let held = Store::read_audit(&dir.path().join("data"), t0);
        assert!(matches!(held, Err(StoreError::Locked { .. })));
    }
}
