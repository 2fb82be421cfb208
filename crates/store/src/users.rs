//! People who sign in to the web UI, and their browser sessions.
//!
//! Passwords arrive here already hashed (salted PBKDF2, made by the
//! server crate) and sessions by the SHA-256 of their cookie, so a copy
//! of the database lets no one sign in.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use crate::{now_ms, Store, StoreError};

/// A user as listed (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserRow {
    pub name: String,
    pub role: String,
    pub slack_user: Option<String>,
    pub created_ms: i64,
    pub disabled_ms: Option<i64>,
}

impl Store {
    /// Add a user; `false` when the name (or the Slack id) is taken.
    pub fn add_user(
        &self,
        name: &str,
        role: &str,
        password_hash: &str,
        slack_user: Option<&str>,
    ) -> Result<bool, StoreError> {
        self.conn()
            .execute(
                "INSERT OR IGNORE INTO users (name, role, password, slack_user, created_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![name, role, password_hash, slack_user, now_ms()],
            )
            .map(|n| n == 1)
            .map_err(|e| self.sql(e))
    }

    /// An enabled user's password hash and role.
    pub fn user_password(&self, name: &str) -> Result<Option<(String, String)>, StoreError> {
        self.conn()
            .prepare_cached(
                "SELECT password, role FROM users WHERE name = ?1 AND disabled_ms IS NULL",
            )
            .and_then(|mut st| {
                st.query_row([name], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()
            })
            .map_err(|e| self.sql(e))
    }

    /// The enabled user linked to a Slack user id: name and role.
    pub fn user_by_slack(&self, slack_user: &str) -> Result<Option<(String, String)>, StoreError> {
        self.conn()
            .prepare_cached(
                "SELECT name, role FROM users WHERE slack_user = ?1 AND disabled_ms IS NULL",
            )
            .and_then(|mut st| {
                st.query_row([slack_user], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()
            })
            .map_err(|e| self.sql(e))
    }

    pub fn users(&self) -> Result<Vec<UserRow>, StoreError> {
        let mut st = self
            .conn()
            .prepare(
                "SELECT name, role, slack_user, created_ms, disabled_ms FROM users ORDER BY name",
            )
            .map_err(|e| self.sql(e))?;
        let rows = st
            .query_map([], |r| {
                Ok(UserRow {
                    name: r.get(0)?,
                    role: r.get(1)?,
                    slack_user: r.get(2)?,
                    created_ms: r.get(3)?,
                    disabled_ms: r.get(4)?,
                })
            })
            .map_err(|e| self.sql(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(e))?;
        Ok(rows)
    }

    /// Replace an enabled user's password and end their sessions.
    pub fn set_password(&self, name: &str, password_hash: &str) -> Result<bool, StoreError> {
        let n = self
            .conn()
            .execute(
                "UPDATE users SET password = ?2 WHERE name = ?1 AND disabled_ms IS NULL",
                params![name, password_hash],
            )
            .map_err(|e| self.sql(e))?;
        self.end_sessions(name)?;
        Ok(n == 1)
    }

    /// Disable a user and end their sessions; `false` when there is no
    /// enabled user of that name.
    pub fn disable_user(&self, name: &str) -> Result<bool, StoreError> {
        let n = self
            .conn()
            .execute(
                "UPDATE users SET disabled_ms = ?2 WHERE name = ?1 AND disabled_ms IS NULL",
                params![name, now_ms()],
            )
            .map_err(|e| self.sql(e))?;
        self.end_sessions(name)?;
        Ok(n == 1)
    }

    fn end_sessions(&self, name: &str) -> Result<(), StoreError> {
        self.conn()
            .execute("DELETE FROM sessions WHERE user = ?1", [name])
            .map(|_| ())
            .map_err(|e| self.sql(e))
    }

    /// Record a session (by the hash of its cookie); expired ones are
    /// swept at the same time.
    pub fn add_session(&self, hash: &str, user: &str, expires_ms: i64) -> Result<(), StoreError> {
        let now = now_ms();
        let c = self.conn();
        c.execute("DELETE FROM sessions WHERE expires_ms <= ?1", [now])
            .map_err(|e| self.sql(e))?;
        c.execute(
            "INSERT INTO sessions (hash, user, created_ms, expires_ms) VALUES (?1, ?2, ?3, ?4)",
            params![hash, user, now, expires_ms],
        )
        .map(|_| ())
        .map_err(|e| self.sql(e))
    }

    /// The user and role behind a live session.
    pub fn session_user(&self, hash: &str) -> Result<Option<(String, String)>, StoreError> {
        self.conn()
            .prepare_cached(
                "SELECT u.name, u.role FROM sessions s JOIN users u ON u.name = s.user
                 WHERE s.hash = ?1 AND s.expires_ms > ?2 AND u.disabled_ms IS NULL",
            )
            .and_then(|mut st| {
                st.query_row(params![hash, now_ms()], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()
            })
            .map_err(|e| self.sql(e))
    }

    pub fn end_session(&self, hash: &str) -> Result<(), StoreError> {
        self.conn()
            .execute("DELETE FROM sessions WHERE hash = ?1", [hash])
            .map(|_| ())
            .map_err(|e| self.sql(e))
    }
}

#[cfg(test)]
mod tests {
    use crate::Store;

    #[test]
    fn users_sessions_and_disabling() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        assert!(s.add_user("ana", "analyst", "h1", Some("U1")).unwrap());
        assert!(
            !s.add_user("ana", "admin", "h2", None).unwrap(),
            "name taken"
        );
        assert!(
            !s.add_user("bob", "admin", "h2", Some("U1")).unwrap(),
            "slack id taken"
        );
        assert_eq!(
            s.user_password("ana").unwrap(),
            Some(("h1".into(), "analyst".into()))
        );
        assert_eq!(s.user_by_slack("U1").unwrap().unwrap().0, "ana");
        let far = crate::now_ms() + 60_000;
        s.add_session("sess", "ana", far).unwrap();
        s.add_session("old", "ana", crate::now_ms() - 1).unwrap();
        assert_eq!(s.session_user("sess").unwrap().unwrap().1, "analyst");
        assert_eq!(s.session_user("old").unwrap(), None, "expired");
        assert!(s.set_password("ana", "h3").unwrap());
        assert_eq!(
            s.session_user("sess").unwrap(),
            None,
            "a new password ends sessions"
        );
        s.add_session("s2", "ana", far).unwrap();
        assert!(s.disable_user("ana").unwrap());
        assert!(!s.disable_user("ana").unwrap());
        assert_eq!(s.session_user("s2").unwrap(), None);
        assert_eq!(s.user_password("ana").unwrap(), None);
        assert_eq!(s.user_by_slack("U1").unwrap(), None);
        let all = s.users().unwrap();
        assert_eq!(all.len(), 1);
        assert!(all[0].disabled_ms.is_some());
    }
}

/// One kind of call a user or role made, for policy generation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActivityRow {
    pub event_source: String,
    pub event_name: String,
    pub s3_bucket: Option<String>,
    pub calls: i64,
    /// How many of them were refused (AccessDenied and the like).
    pub failed: i64,
}

impl Store {
    /// What a user or role (its name, as in `userIdentity`; every session
    /// of a role) or an exact principal ARN called in a time range.
    pub fn activity(
        &self,
        who: &str,
        since_ms: Option<i64>,
        until_ms: Option<i64>,
    ) -> Result<Vec<ActivityRow>, StoreError> {
        let mut st = self
            .conn()
            .prepare_cached(
                "SELECT COALESCE(event_source, ''), event_name, s3_bucket, COUNT(*),
                        SUM(CASE WHEN error_code IS NOT NULL AND error_code NOT IN ('', 'SUCCESS', 'ALLOW') THEN 1 ELSE 0 END)
                 FROM events
                 WHERE (user_name = ?1 OR principal = ?1) AND event_name IS NOT NULL
                   AND time_ms >= ?2 AND time_ms < ?3
                 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 LIMIT 5000",
            )
            .map_err(|e| self.sql(e))?;
        let rows = st
            .query_map(
                params![
                    who,
                    since_ms.unwrap_or(i64::MIN),
                    until_ms.unwrap_or(i64::MAX)
                ],
                |r| {
                    Ok(ActivityRow {
                        event_source: r.get(0)?,
                        event_name: r.get(1)?,
                        s3_bucket: r.get(2)?,
                        calls: r.get(3)?,
                        failed: r.get(4)?,
                    })
                },
            )
            .map_err(|e| self.sql(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(e))?;
        Ok(rows)
    }
}
