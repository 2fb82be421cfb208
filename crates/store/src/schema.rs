//! Schema and migrations: `PRAGMA user_version` holds the version; each
//! migration runs once, in a transaction, in order. Plain SQL types and
//! statements only (the FTS5 table aside), so the same steps translate to
//! a server database.

use std::path::Path;

use rusqlite::Connection;

use crate::StoreError;

const MIGRATIONS: &[&str] = &[
    // 1: events, sources, alerts, incidents, conversations, full-text index.
    "CREATE TABLE sources (
        path TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        mtime_ms INTEGER NOT NULL,
        ingested_ms INTEGER NOT NULL,
        PRIMARY KEY (path, bytes, mtime_ms)
    );
    CREATE TABLE events (
        rowid INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        time_ms INTEGER NOT NULL,
        account TEXT, region TEXT, principal TEXT, user_name TEXT, access_key TEXT,
        source_ip TEXT, user_agent TEXT, event_source TEXT, event_name TEXT,
        error_code TEXT, severity REAL, title TEXT, s3_bucket TEXT, s3_key TEXT,
        raw BLOB NOT NULL
    );
    CREATE INDEX events_time ON events (time_ms);
    CREATE INDEX events_principal ON events (principal, time_ms);
    CREATE INDEX events_user ON events (user_name, time_ms);
    CREATE INDEX events_ip ON events (source_ip, time_ms);
    CREATE INDEX events_name ON events (event_name, time_ms);
    CREATE INDEX events_key ON events (access_key, time_ms);
    CREATE INDEX events_kind ON events (kind, time_ms);
    CREATE TABLE principals (principal TEXT PRIMARY KEY, user_name TEXT);
    CREATE TABLE event_names (event_name TEXT PRIMARY KEY, kind TEXT NOT NULL);
    CREATE VIRTUAL TABLE events_fts USING fts5 (body, content = '', contentless_delete = 1);
    CREATE TABLE incidents (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        threat_level TEXT NOT NULL,
        level_rank INTEGER NOT NULL,
        first_ms INTEGER, last_ms INTEGER,
        principal TEXT, account TEXT,
        summary TEXT NOT NULL,
        json TEXT NOT NULL
    );
    CREATE INDEX incidents_last ON incidents (last_ms);
    CREATE TABLE alerts (
        incident_id TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
        rule_id TEXT NOT NULL,
        rule_title TEXT NOT NULL,
        level TEXT NOT NULL,
        event_uid TEXT,
        UNIQUE (incident_id, rule_id, event_uid)
    );
    CREATE INDEX alerts_event ON alerts (event_uid);
    CREATE TABLE conversations (
        thread TEXT NOT NULL,
        turn INTEGER NOT NULL,
        role TEXT NOT NULL,
        text TEXT NOT NULL,
        plan TEXT NOT NULL,
        time_ms INTEGER NOT NULL,
        PRIMARY KEY (thread, turn)
    );",
    // 2: raw JSON in compressed blocks of neighbouring events (see
    // EventBatch); `events.raw` stays for rows written by schema 1. Hourly
    // counts by source, event name and failure (see `rollup`).
    "CREATE TABLE event_blocks (id INTEGER PRIMARY KEY, data BLOB NOT NULL);
    ALTER TABLE events ADD COLUMN block INTEGER;
    ALTER TABLE events ADD COLUMN slot INTEGER;
    CREATE INDEX principals_user ON principals (user_name COLLATE NOCASE);
    DROP INDEX IF EXISTS events_user;
    CREATE TABLE event_hours (
        hour_ms INTEGER NOT NULL,
        kind TEXT NOT NULL,
        event_name TEXT NOT NULL,
        failed INTEGER NOT NULL,
        n INTEGER NOT NULL,
        example_uid TEXT NOT NULL,
        PRIMARY KEY (hour_ms, kind, event_name, failed)
    );
    INSERT INTO event_hours (hour_ms, kind, event_name, failed, n, example_uid)
        SELECT (time_ms / 3600000) * 3600000, kind, COALESCE(event_name, ''),
               CASE WHEN error_code IS NOT NULL AND error_code NOT IN ('', 'SUCCESS', 'ALLOW') THEN 1 ELSE 0 END,
               COUNT(*), MIN(uid)
        FROM events GROUP BY 1, 2, 3, 4;",
    // 3: API tokens (hashes only) and the audit trail of who did what.
    "CREATE TABLE api_tokens (
        name TEXT PRIMARY KEY,
        hash TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        revoked_ms INTEGER
    );
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        time_ms INTEGER NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        detail TEXT NOT NULL
    );
    CREATE INDEX audit_time ON audit (time_ms);",
    // 4: people who sign in to the web UI (salted PBKDF2 hashes), their
    // browser sessions (hashes of the cookie), and the Slack user id that
    // lets an approver approve from Slack.
    "CREATE TABLE users (
        name TEXT PRIMARY KEY,
        role TEXT NOT NULL,
        password TEXT NOT NULL,
        slack_user TEXT UNIQUE,
        created_ms INTEGER NOT NULL,
        disabled_ms INTEGER
    );
    CREATE TABLE sessions (
        hash TEXT PRIMARY KEY,
        user TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        expires_ms INTEGER NOT NULL
    );
    CREATE INDEX sessions_user ON sessions (user);",
    // 5: who acknowledged an incident, and remediations waiting for (or
    // given) an approver's decision.
    "ALTER TABLE incidents ADD COLUMN acked_by TEXT;
    ALTER TABLE incidents ADD COLUMN acked_ms INTEGER;
    CREATE TABLE approvals (
        id TEXT PRIMARY KEY,
        incident_id TEXT,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        reason TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        requested_ms INTEGER NOT NULL,
        decided_by TEXT,
        decided_ms INTEGER
    );
    CREATE INDEX approvals_state ON approvals (state, requested_ms);",
    // 6: what an approved remediation does (JSON, read by whoever carries
    // it out) and when it was carried out; notifications already sent, so
    // a restarted daemon does not page twice for the same incident.
    "ALTER TABLE approvals ADD COLUMN spec TEXT;
    ALTER TABLE approvals ADD COLUMN executed_ms INTEGER;
    ALTER TABLE approvals ADD COLUMN outcome TEXT;
    CREATE TABLE notified (
        key TEXT PRIMARY KEY,
        sent_ms INTEGER NOT NULL
    );",
];

pub fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let sql = |source| StoreError::Sql {
        path: path.to_path_buf(),
        source,
    };
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(sql)?;
    let known = MIGRATIONS.len() as i64;
    if version > known {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found: version,
            known,
        });
    }
    for (i, m) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let tx = conn.transaction().map_err(sql)?;
        tx.execute_batch(m).map_err(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)
            .map_err(sql)?;
        tx.commit().map_err(sql)?;
        tracing::info!(version = i + 1, "store schema migrated");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Column, Filter, Store};

    /// A store written by schema 1 (raw JSON deflated per event, no
    /// hourly counts) opens, migrates and answers as a new one does.
    #[test]
    fn a_schema_1_store_migrates_and_keeps_its_events() {
        let d = tempfile::tempdir().unwrap();
        let c = Connection::open(d.path().join(crate::DB_FILE)).unwrap();
        c.execute_batch(MIGRATIONS[0]).unwrap();
        c.pragma_update(None, "user_version", 1).unwrap();
        c.execute(
            "INSERT INTO events (uid, kind, time_ms, event_name, error_code, raw)
             VALUES ('ct:1', 'cloudtrail', 7200000, 'StopLogging', 'AccessDenied', ?1)",
            [crate::deflate(br#"{"eventName":"StopLogging"}"#)],
        )
        .unwrap();
        drop(c);
        let s = Store::open(d.path()).unwrap();
        assert_eq!(
            s.raw_event("ct:1").unwrap().as_deref(),
            Some(r#"{"eventName":"StopLogging"}"#)
        );
        let f = Filter {
            failed_only: true,
            since_ms: Some(0),
            until_ms: Some(4 * 3_600_000),
            ..Filter::default()
        };
        let by = s.count_by(&f, Column::EventName, 5).unwrap();
        assert_eq!(
            (
                by[0].value.as_str(),
                by[0].count,
                by[0].example_uid.as_str()
            ),
            ("StopLogging", 1, "ct:1")
        );
    }
}
