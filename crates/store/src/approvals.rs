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
    /// When an approved remediation was carried out (or attempted).
    pub executed_ms: Option<i64>,
    /// `running`, `done: …` or `failed: …`.
    pub outcome: Option<String>,
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

const COLUMNS: &str = "id, incident_id, action, target, reason, state, requested_ms, decided_by, decided_ms, executed_ms, outcome";

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
        executed_ms: r.get(9)?,
        outcome: r.get(10)?,
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
        self.insert_approval(id, incident_id, action, target, reason, None)
    }

    /// Ask for a decision on a remediation that carries out `spec` (JSON
    /// the executor understands) once approved; `false` when the id exists.
    pub fn request_remediation(
        &self,
        id: &str,
        incident_id: Option<&str>,
        action: &str,
        target: &str,
        reason: &str,
        spec: &str,
    ) -> Result<bool, StoreError> {
        self.insert_approval(id, incident_id, action, target, reason, Some(spec))
    }

    fn insert_approval(
        &self,
        id: &str,
        incident_id: Option<&str>,
        action: &str,
        target: &str,
        reason: &str,
        spec: Option<&str>,
    ) -> Result<bool, StoreError> {
        self.conn()
            .execute(
                "INSERT OR IGNORE INTO approvals (id, incident_id, action, target, reason, requested_ms, spec) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![id, incident_id, action, target, reason, now_ms(), spec],
            )
            .map(|n| n == 1)
            .map_err(|e| self.sql(e))
    }

    /// Approved remediations nobody has carried out yet, oldest first,
    /// with their specs.
    pub fn approved_pending_execution(
        &self,
        limit: usize,
    ) -> Result<Vec<(ApprovalRow, String)>, StoreError> {
        let mut st = self
            .conn()
            .prepare(&format!(
                "SELECT {COLUMNS}, spec FROM approvals WHERE state = 'approved' AND executed_ms IS NULL AND spec IS NOT NULL ORDER BY decided_ms, id LIMIT ?1"
            ))
            .map_err(|e| self.sql(e))?;
        let rows = st
            .query_map([limit as i64], |r| Ok((row(r)?, r.get::<_, String>(11)?)))
            .map_err(|e| self.sql(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(e))?;
        Ok(rows)
    }

    /// The spec of one remediation.
    pub fn approval_spec(&self, id: &str) -> Result<Option<String>, StoreError> {
        self.conn()
            .query_row("SELECT spec FROM approvals WHERE id = ?1", [id], |r| {
                r.get::<_, Option<String>>(0)
            })
            .optional()
            .map(|o| o.flatten())
            .map_err(|e| self.sql(e))
    }

    /// Take an approved remediation for carrying out: `true` for exactly
    /// one caller, so two executors never act twice.
    pub fn claim_execution(&self, id: &str) -> Result<bool, StoreError> {
        self.conn()
            .execute(
                "UPDATE approvals SET executed_ms = ?2, outcome = 'running' WHERE id = ?1 AND state = 'approved' AND executed_ms IS NULL",
                params![id, now_ms()],
            )
            .map(|n| n == 1)
            .map_err(|e| self.sql(e))
    }

    /// Record how a claimed remediation ended. A failed one goes back to
    /// `pending` with the failure as its outcome, so it is listed again
    /// and can be approved again once the cause is fixed (the first
    /// decision stays in the audit log).
    pub fn finish_execution(&self, id: &str, outcome: &str, ok: bool) -> Result<(), StoreError> {
        let sql = if ok {
            "UPDATE approvals SET outcome = ?2 WHERE id = ?1"
        } else {
            "UPDATE approvals SET outcome = ?2, state = 'pending', decided_by = NULL, decided_ms = NULL, executed_ms = NULL WHERE id = ?1"
        };
        self.conn()
            .execute(sql, params![id, outcome])
            .map(|_| ())
            .map_err(|e| self.sql(e))
    }

    /// `true` when nothing was sent under `key` within `window_ms`, and
    /// records the send; a restarted daemon remembers what it sent.
    pub fn first_notification(&self, key: &str, window_ms: i64) -> Result<bool, StoreError> {
        let now = now_ms();
        self.conn()
            .execute(
                "INSERT INTO notified (key, sent_ms) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET sent_ms = excluded.sent_ms WHERE notified.sent_ms <= ?3",
                params![key, now, now - window_ms],
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
    fn an_updated_incident_keeps_its_acknowledgement() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(dir.path()).unwrap();
        let inc = |level: &str, rank: i64, alerts: usize| crate::IncidentInput {
            id: "INC-1".into(),
            title: "t".into(),
            threat_level: level.into(),
            level_rank: rank,
            first_ms: Some(0),
            last_ms: Some(alerts as i64),
            principal: None,
            account: None,
            summary: String::new(),
            json: "{}".into(),
            alerts: (0..alerts)
                .map(|i| ("r".into(), "r".into(), level.into(), Some(format!("e{i}"))))
                .collect(),
        };
        s.add_incidents(&[inc("medium", 2, 1)]).unwrap();
        assert_eq!(
            s.ack_incident("INC-1", "user:ana").unwrap().as_deref(),
            Some("user:ana")
        );
        // The incident grows (a live source's next batch) and rises.
        let c = s.add_incidents(&[inc("high", 3, 2)]).unwrap();
        assert_eq!(c.alerts, 1, "only the new alert is added");
        // An alert without an event is added once, however often stored.
        let mut no_event = inc("high", 3, 2);
        no_event
            .alerts
            .push(("r".into(), "r".into(), "high".into(), None));
        assert_eq!(s.add_incidents(&[no_event.clone()]).unwrap().alerts, 1);
        assert_eq!(s.add_incidents(&[no_event]).unwrap().alerts, 0);
        assert_eq!(
            s.incident_ack("INC-1").unwrap().map(|a| a.0).as_deref(),
            Some("user:ana")
        );
    }

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
        // No spec: nothing to carry out.
        assert!(s.approved_pending_execution(10).unwrap().is_empty());
    }

    #[test]
    fn an_approved_remediation_is_carried_out_once() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        s.request_remediation(
            "Q-2",
            None,
            "quarantine",
            "s3://b/k.png",
            "PII",
            "{\"x\":1}",
        )
        .unwrap();
        assert!(
            s.approved_pending_execution(10).unwrap().is_empty(),
            "pending"
        );
        assert!(!s.claim_execution("Q-2").unwrap(), "not approved yet");
        s.decide("Q-2", true, "user:ana").unwrap();
        let todo = s.approved_pending_execution(10).unwrap();
        assert_eq!((todo.len(), todo[0].1.as_str()), (1, "{\"x\":1}"));
        assert!(s.claim_execution("Q-2").unwrap());
        assert!(!s.claim_execution("Q-2").unwrap(), "once");
        s.finish_execution("Q-2", "failed: NoSuchBucket", false)
            .unwrap();
        let r = s.approval("Q-2").unwrap().unwrap();
        assert_eq!(
            (r.state.as_str(), r.outcome.as_deref()),
            ("pending", Some("failed: NoSuchBucket")),
            "back for a new decision"
        );
        s.decide("Q-2", true, "user:ana").unwrap();
        assert!(
            s.claim_execution("Q-2").unwrap(),
            "approved again, carried out again"
        );
        s.finish_execution("Q-2", "done: quarantined", true)
            .unwrap();
        let r = s.approval("Q-2").unwrap().unwrap();
        assert_eq!(r.outcome.as_deref(), Some("done: quarantined"));
        assert!(s.approved_pending_execution(10).unwrap().is_empty());
        assert_eq!(
            s.approval_spec("Q-2").unwrap().as_deref(),
            Some("{\"x\":1}")
        );
    }

    #[test]
    fn notifications_are_remembered_for_the_window() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        assert!(s.first_notification("sns|INC-1|high", 3_600_000).unwrap());
        assert!(!s.first_notification("sns|INC-1|high", 3_600_000).unwrap());
        assert!(s
            .first_notification("sns|INC-1|critical", 3_600_000)
            .unwrap());
        assert!(
            s.first_notification("sns|INC-1|high", 0).unwrap(),
            "window over"
        );
    }
}
