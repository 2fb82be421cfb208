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
