//! Acknowledging incidents and deciding remediations: the record of who
//! decided what, kept beside the incidents. Nothing here acts on AWS; the
//! response workflow reads approved rows and acts.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use crate::{now_ms, Store, StoreError};

/// A remediation that needs (or got) an approver's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApprovalRow {
    pub id: String,
    pub incident_id: Option<String>,
    /// What would be done, e.g. `quarantine`.
    pub action: String,
    /// On what, e.g. `s3://bucket/key`.
    pub target: String,
    pub reason: String,
    /// `pending`, `approved` or `rejected`.
    pub state: String,
    pub requested_ms: i64,
    pub decided_by: Option<String>,
    pub decided_ms: Option<i64>,
}

/// The outcome of a decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Recorded now.
    Decided(ApprovalRow),
    /// Someone decided earlier; nothing changed.
    Already(ApprovalRow),
    Unknown,
}

const COLUMNS: &str =
    "id, incident_id, action, target, reason, state, requested_ms, decided_by, decided_ms";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ApprovalRow> {
    Ok(ApprovalRow {
        id: r.get(0)?,
        incident_id: r.get(1)?,
        action: r.get(2)?,
        target: r.get(3)?,
        reason: r.get(4)?,
        state: r.get(5)?,
        requested_ms: r.get(6)?,
        decided_by: r.get(7)?,
        decided_ms: r.get(8)?,
    })
}

impl Store {
    /// Ask for a decision; `false` when the id exists already.
    pub fn request_approval(
        &self,
        id: &str,
        incident_id: Option<&str>,
        action: &str,
        target: &str,
        reason: &str,
    ) -> Result<bool, StoreError> {
        self.conn()
            .execute(
                "INSERT OR IGNORE INTO approvals (id, incident_id, action, target, reason, requested_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id, incident_id, action, target, reason, now_ms()],
            )
            .map(|n| n == 1)
            .map_err(|e| self.sql(e))
    }

    pub fn approval(&self, id: &str) -> Result<Option<ApprovalRow>, StoreError> {
        self.conn()
            .prepare_cached(&format!("SELECT {COLUMNS} FROM approvals WHERE id = ?1"))
            .and_then(|mut st| st.query_row([id], row).optional())
            .map_err(|e| self.sql(e))
    }

    /// Approvals, newest first; only pending ones when `pending_only`.
    pub fn approvals(
        &self,
        pending_only: bool,
        limit: usize,
    ) -> Result<Vec<ApprovalRow>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM approvals {} ORDER BY requested_ms DESC, id LIMIT ?1",
            if pending_only {
                "WHERE state = 'pending'"
            } else {
                ""
            }
        );
        let mut st = self.conn().prepare(&sql).map_err(|e| self.sql(e))?;
        let rows = st
            .query_map([limit as i64], row)
            .map_err(|e| self.sql(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(e))?;
        Ok(rows)
    }

    /// Approve or reject a pending remediation, once, with an audit
    /// record in the same transaction.
    pub fn decide(&self, id: &str, approve: bool, actor: &str) -> Result<Decision, StoreError> {
        let c = self.conn();
        let tx = c.unchecked_transaction().map_err(|e| self.sql(e))?;
        let state = if approve { "approved" } else { "rejected" };
        let n = tx
            .execute(
                "UPDATE approvals SET state = ?2, decided_by = ?3, decided_ms = ?4 WHERE id = ?1 AND state = 'pending'",
                params![id, state, actor, now_ms()],
            )
            .map_err(|e| self.sql(e))?;
        if n == 1 {
            tx.execute(
                "INSERT INTO audit (time_ms, actor, action, target, detail) VALUES (?1, ?2, ?3, ?4, '')",
                params![now_ms(), actor, format!("approval.{state}"), id],
            )
            .map_err(|e| self.sql(e))?;
        }
        tx.commit().map_err(|e| self.sql(e))?;
        Ok(match (n, self.approval(id)?) {
            (_, None) => Decision::Unknown,
            (1, Some(r)) => Decision::Decided(r),
            (_, Some(r)) => Decision::Already(r),
        })
    }

    /// Mark an incident acknowledged (the first acknowledgement stands);
    /// the acknowledger, or `None` when there is no such incident.
    pub fn ack_incident(&self, id: &str, actor: &str) -> Result<Option<String>, StoreError> {
        let c = self.conn();
        let n = c
            .execute(
                "UPDATE incidents SET acked_by = ?2, acked_ms = ?3 WHERE id = ?1 AND acked_by IS NULL",
                params![id, actor, now_ms()],
            )
            .map_err(|e| self.sql(e))?;
        if n == 1 {
            self.audit(actor, "incident.ack", id, "")?;
        }
        c.query_row("SELECT acked_by FROM incidents WHERE id = ?1", [id], |r| {
            r.get::<_, Option<String>>(0)
        })
        .optional()
        .map(|o| o.flatten())
        .map_err(|e| self.sql(e))
    }
}

impl Store {
    /// Who acknowledged an incident, and when.
    pub fn incident_ack(&self, id: &str) -> Result<Option<(String, i64)>, StoreError> {
        self.conn()
            .query_row(
                "SELECT acked_by, acked_ms FROM incidents WHERE id = ?1 AND acked_by IS NOT NULL",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.sql(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_remediation_is_decided_once() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        assert!(s
            .request_approval(
                "Q-1",
                Some("INC-1"),
                "quarantine",
                "s3://b/k.png",
                "PII: 2 card numbers"
            )
            .unwrap());
        assert!(!s.request_approval("Q-1", None, "delete", "x", "y").unwrap());
        assert_eq!(s.approvals(true, 10).unwrap().len(), 1);
        let Decision::Decided(r) = s.decide("Q-1", true, "user:ana").unwrap() else {
            panic!("decided")
        };
        assert_eq!(
            (r.state.as_str(), r.decided_by.as_deref()),
            ("approved", Some("user:ana"))
        );
        let Decision::Already(r) = s.decide("Q-1", false, "user:bo").unwrap() else {
            panic!("already")
        };
        assert_eq!(r.state, "approved", "a later rejection changes nothing");
        assert_eq!(
            s.decide("nope", true, "user:ana").unwrap(),
            Decision::Unknown
        );
        assert!(s.approvals(true, 10).unwrap().is_empty());
        let log = s.audit_log(10).unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].action, "approval.approved");
        assert_eq!(s.ack_incident("INC-none", "user:ana").unwrap(), None);
    }
}
