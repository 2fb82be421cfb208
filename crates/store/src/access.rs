//! API tokens and the audit trail. Only a token's SHA-256 is stored: the
//! token itself is shown once, when it is created, and a copy of the
//! database gives no one access.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use crate::{now_ms, Store, StoreError};

/// A stored API token (without its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenRow {
    pub name: String,
    pub role: String,
    pub created_ms: i64,
    pub revoked_ms: Option<i64>,
}

/// One audit record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditRow {
    pub time_ms: i64,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

impl Store {
    /// Store a new token's hash; `false` when the name is taken.
    pub fn add_token(&self, name: &str, hash: &str, role: &str) -> Result<bool, StoreError> {
        self.conn()
            .execute(
                "INSERT OR IGNORE INTO api_tokens (name, hash, role, created_ms) VALUES (?1, ?2, ?3, ?4)",
                params![name, hash, role, now_ms()],
            )
            .map(|n| n == 1)
            .map_err(|e| self.sql(e))
    }

    /// The live (not revoked) token with this hash: its name and role.
    pub fn token_by_hash(&self, hash: &str) -> Result<Option<(String, String)>, StoreError> {
        self.conn()
            .prepare_cached(
                "SELECT name, role FROM api_tokens WHERE hash = ?1 AND revoked_ms IS NULL",
            )
            .and_then(|mut st| {
                st.query_row([hash], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()
            })
            .map_err(|e| self.sql(e))
    }

    pub fn tokens(&self) -> Result<Vec<TokenRow>, StoreError> {
        let mut st = self
            .conn()
            .prepare("SELECT name, role, created_ms, revoked_ms FROM api_tokens ORDER BY created_ms, name")
            .map_err(|e| self.sql(e))?;
        let rows = st
            .query_map([], |r| {
                Ok(TokenRow {
                    name: r.get(0)?,
                    role: r.get(1)?,
                    created_ms: r.get(2)?,
                    revoked_ms: r.get(3)?,
                })
            })
            .map_err(|e| self.sql(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(e))?;
        Ok(rows)
    }

    /// Revoke a token by name; `false` when there is no live token of
    /// that name.
    pub fn revoke_token(&self, name: &str) -> Result<bool, StoreError> {
        self.conn()
            .execute(
                "UPDATE api_tokens SET revoked_ms = ?2 WHERE name = ?1 AND revoked_ms IS NULL",
                params![name, now_ms()],
            )
            .map(|n| n == 1)
            .map_err(|e| self.sql(e))
    }

    /// Append an audit record.
    pub fn audit(
        &self,
        actor: &str,
        action: &str,
        target: &str,
        detail: &str,
    ) -> Result<(), StoreError> {
        self.conn()
            .execute(
                "INSERT INTO audit (time_ms, actor, action, target, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![now_ms(), actor, action, target, detail],
            )
            .map(|_| ())
            .map_err(|e| self.sql(e))
    }

    /// The newest audit records, newest first.
    pub fn audit_log(&self, limit: usize) -> Result<Vec<AuditRow>, StoreError> {
        let mut st = self
            .conn()
            .prepare(
                "SELECT time_ms, actor, action, target, detail FROM audit ORDER BY id DESC LIMIT ?1",
            )
            .map_err(|e| self.sql(e))?;
        let rows = st
            .query_map([limit as i64], |r| {
                Ok(AuditRow {
                    time_ms: r.get(0)?,
                    actor: r.get(1)?,
                    action: r.get(2)?,
                    target: r.get(3)?,
                    detail: r.get(4)?,
                })
            })
            .map_err(|e| self.sql(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(e))?;
        Ok(rows)
    }
}
