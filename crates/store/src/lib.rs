//! warden's embedded store: one directory holding `warden.db` (SQLite, WAL)
//! with events, alerts, incidents and conversations, and an FTS5 index
//! over each event's searchable text.
//!
//! Why SQLite: embedded, one file, transactional (an interrupted ingest
//! leaves nothing half-written), and its SQL is close enough to Postgres
//! that a shared server database can replace it later — every query lives
//! in this crate, behind [`Store`], and uses only portable SQL except the
//! full-text index, which sits behind [`Store::search`].
//!
//! Events are stored once, keyed by `uid` (log kind + the event's own id,
//! or a hash of its text when it has none), so re-ingesting a file or an
//! overlapping export never duplicates anything. Raw JSON is kept
//! deflate-compressed for evidence views.

mod query;
mod row;
mod schema;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};

pub use query::{Column, Count, EventHit, Filter, IncidentRow, TimeBucket};
pub use row::uid;

/// Database file name inside the store directory.
pub const DB_FILE: &str = "warden.db";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store {path}: {message}")]
    Open { path: PathBuf, message: String },
    #[error("store {path}: {source}")]
    Sql {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("store {path}: schema version {found} is newer than this warden understands ({known}); upgrade warden")]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
}

/// One event as stored: the facts queries filter on, plus its raw JSON.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventRow {
    /// Unique across the store: `kind:id`.
    pub uid: String,
    pub kind: String,
    pub time_ms: i64,
    pub account: Option<String>,
    pub region: Option<String>,
    pub principal: Option<String>,
    pub user_name: Option<String>,
    pub access_key: Option<String>,
    pub source_ip: Option<String>,
    pub user_agent: Option<String>,
    pub event_source: Option<String>,
    pub event_name: Option<String>,
    pub error_code: Option<String>,
    pub severity: Option<f64>,
    /// Finding title, Okta display message…
    pub title: Option<String>,
    pub s3_bucket: Option<String>,
    pub s3_key: Option<String>,
    pub raw: String,
    /// `raw` already deflated (done on the decoder threads); when empty the
    /// writer compresses `raw` itself.
    pub raw_deflated: Vec<u8>,
}

/// An incident to store: its scalar facts and its full JSON.
#[derive(Debug, Clone)]
pub struct IncidentInput {
    pub id: String,
    pub title: String,
    pub threat_level: String,
    /// 1 low … 4 critical, for ordering.
    pub level_rank: i64,
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
    pub principal: Option<String>,
    pub account: Option<String>,
    pub summary: String,
    pub json: String,
    /// (rule id, rule title, level, event uid) of each alert.
    pub alerts: Vec<(String, String, String, Option<String>)>,
}

/// What an ingest added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct IngestCounts {
    pub events_added: u64,
    pub events_already_stored: u64,
    pub incidents: u64,
    pub alerts: u64,
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

pub fn deflate(s: &str) -> Vec<u8> {
    let mut e = flate2::write::DeflateEncoder::new(
        Vec::with_capacity(s.len() / 4),
        flate2::Compression::fast(),
    );
    let _ = e.write_all(s.as_bytes());
    e.finish().unwrap_or_default()
}

fn inflate(b: &[u8]) -> String {
    let mut out = String::new();
    let _ = flate2::read::DeflateDecoder::new(b).read_to_string(&mut out);
    out
}

impl Store {
    /// Open (creating if needed) the store in `dir` and bring its schema
    /// up to date.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Open {
            path: dir.to_path_buf(),
            message: format!("cannot create the directory: {e}"),
        })?;
        let path = dir.join(DB_FILE);
        let sql = |source| StoreError::Sql {
            path: path.clone(),
            source,
        };
        let conn = Connection::open(&path).map_err(sql)?;
        // A file that is not a database fails here, with SQLite's words.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| StoreError::Open {
                path: path.clone(),
                message: format!(
                    "not a warden store (or damaged): {e}; move it away or choose another --store"
                ),
            })?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(sql)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(sql)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(sql)?;
        let mut store = Store { conn, path };
        schema::migrate(&mut store.conn, &store.path)?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn sql(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sql {
            path: self.path.clone(),
            source,
        }
    }

    /// Was this input (path, size, modification time) ingested before?
    pub fn source_seen(&self, path: &str, size: u64, mtime_ms: i64) -> Result<bool, StoreError> {
        self.conn
            .query_row(
                "SELECT 1 FROM sources WHERE path = ?1 AND bytes = ?2 AND mtime_ms = ?3",
                params![path, size as i64, mtime_ms],
                |_| Ok(()),
            )
            .optional()
            .map(|o| o.is_some())
            .map_err(|e| self.sql(e))
    }

    /// Store a batch of events in one transaction; events already stored
    /// (same uid) are counted and skipped.
    pub fn add_events(&mut self, rows: &[EventRow]) -> Result<IngestCounts, StoreError> {
        let path = self.path.clone();
        let sql = |source| StoreError::Sql {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        let mut counts = IngestCounts::default();
        {
            let mut ins = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO events (uid, kind, time_ms, account, region, principal, user_name, access_key,
                        source_ip, user_agent, event_source, event_name, error_code, severity, title, s3_bucket, s3_key, raw)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
                )
                .map_err(sql)?;
            let mut fts = tx
                .prepare_cached("INSERT INTO events_fts (rowid, body) VALUES (?1, ?2)")
                .map_err(sql)?;
            let mut who = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO principals (principal, user_name) VALUES (?1, ?2)",
                )
                .map_err(sql)?;
            let mut names = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO event_names (event_name, kind) VALUES (?1, ?2)",
                )
                .map_err(sql)?;
            let mut last_who: Option<(&Option<String>, &Option<String>)> = None;
            for r in rows {
                let n = ins
                    .execute(params![
                        r.uid,
                        r.kind,
                        r.time_ms,
                        r.account,
                        r.region,
                        r.principal,
                        r.user_name,
                        r.access_key,
                        r.source_ip,
                        r.user_agent,
                        r.event_source,
                        r.event_name,
                        r.error_code,
                        r.severity,
                        r.title,
                        r.s3_bucket,
                        r.s3_key,
                        if r.raw_deflated.is_empty() {
                            deflate(&r.raw)
                        } else {
                            r.raw_deflated.clone()
                        },
                    ])
                    .map_err(sql)?;
                if n == 0 {
                    counts.events_already_stored += 1;
                    continue;
                }
                counts.events_added += 1;
                let rowid = tx.last_insert_rowid();
                if r.principal.is_some() && last_who != Some((&r.principal, &r.user_name)) {
                    who.execute(params![r.principal, r.user_name])
                        .map_err(sql)?;
                    last_who = Some((&r.principal, &r.user_name));
                }
                if let Some(n) = &r.event_name {
                    names.execute(params![n, r.kind]).map_err(sql)?;
                }
                let body = [
                    r.event_name.as_deref(),
                    r.principal.as_deref(),
                    r.user_name.as_deref(),
                    r.source_ip.as_deref(),
                    r.user_agent.as_deref(),
                    r.error_code.as_deref(),
                    r.title.as_deref(),
                    r.s3_bucket.as_deref(),
                    r.s3_key.as_deref(),
                    r.event_source.as_deref(),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
                fts.execute(params![rowid, body]).map_err(sql)?;
            }
        }
        tx.commit().map_err(sql)?;
        Ok(counts)
    }

    /// Record an input as ingested (after its events are stored).
    pub fn mark_source(&self, path: &str, size: u64, mtime_ms: i64) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO sources (path, bytes, mtime_ms, ingested_ms) VALUES (?1, ?2, ?3, ?4)",
                params![path, size as i64, mtime_ms, now_ms()],
            )
            .map(|_| ())
            .map_err(|e| self.sql(e))
    }

    /// Store incidents and their alerts; an incident with the same id is
    /// replaced (a later run knows more), alerts are keyed by rule + event.
    pub fn add_incidents(
        &mut self,
        incidents: &[IncidentInput],
    ) -> Result<IngestCounts, StoreError> {
        let path = self.path.clone();
        let sql = |source| StoreError::Sql {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        let mut counts = IngestCounts::default();
        for i in incidents {
            tx.execute(
                "INSERT OR REPLACE INTO incidents (id, title, threat_level, level_rank, first_ms, last_ms, principal, account, summary, json)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![i.id, i.title, i.threat_level, i.level_rank, i.first_ms, i.last_ms, i.principal, i.account, i.summary, i.json],
            )
            .map_err(sql)?;
            counts.incidents += 1;
            for (rule_id, rule_title, level, event_uid) in &i.alerts {
                counts.alerts += tx
                    .execute(
                        "INSERT OR IGNORE INTO alerts (incident_id, rule_id, rule_title, level, event_uid) VALUES (?1, ?2, ?3, ?4, ?5)",
                        params![i.id, rule_id, rule_title, level, event_uid],
                    )
                    .map_err(sql)? as u64;
            }
        }
        tx.commit().map_err(sql)?;
        Ok(counts)
    }

    /// Delete events older than `cutoff_ms`, then the oldest events until
    /// at most `max_events` remain; returns how many were deleted.
    pub fn retain(
        &mut self,
        cutoff_ms: Option<i64>,
        max_events: Option<u64>,
    ) -> Result<u64, StoreError> {
        let path = self.path.clone();
        let sql = |source| StoreError::Sql {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        let mut deleted = 0u64;
        let delete_where =
            |cond: &str, p: &[&dyn rusqlite::ToSql]| -> Result<u64, rusqlite::Error> {
                tx.execute(
                    &format!(
                    "DELETE FROM events_fts WHERE rowid IN (SELECT rowid FROM events WHERE {cond})"
                ),
                    p,
                )?;
                Ok(tx.execute(&format!("DELETE FROM events WHERE {cond}"), p)? as u64)
            };
        if let Some(c) = cutoff_ms {
            deleted += delete_where("time_ms < ?1", &[&c]).map_err(sql)?;
        }
        if let Some(max) = max_events {
            let max = max as i64;
            deleted += delete_where(
                "rowid IN (SELECT rowid FROM events ORDER BY time_ms DESC LIMIT -1 OFFSET ?1)",
                &[&max],
            )
            .map_err(sql)?;
        }
        if let Some(c) = cutoff_ms {
            tx.execute(
                "DELETE FROM incidents WHERE COALESCE(last_ms, 0) < ?1",
                params![c],
            )
            .map_err(sql)?;
        }
        tx.commit().map_err(sql)?;
        Ok(deleted)
    }

    /// The newest stored event time (an index lookup, unlike [`stats`](Self::stats)).
    pub fn newest(&self) -> Result<Option<i64>, StoreError> {
        self.conn
            .query_row("SELECT MAX(time_ms) FROM events", [], |r| r.get(0))
            .map_err(|e| self.sql(e))
    }

    /// Refresh the query planner's statistics (after a large ingest), so
    /// it picks the principal or name index over the time index.
    pub fn optimize(&self) -> Result<(), StoreError> {
        self.conn
            .execute_batch("PRAGMA analysis_limit = 1000; ANALYZE;")
            .map_err(|e| self.sql(e))
    }

    /// Count of stored events, and the newest event time.
    pub fn stats(&self) -> Result<(u64, Option<i64>, Option<i64>), StoreError> {
        self.conn
            .query_row(
                "SELECT COUNT(*), MIN(time_ms), MAX(time_ms) FROM events",
                [],
                |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?, r.get(2)?)),
            )
            .map_err(|e| self.sql(e))
    }

    /// Save one turn of a conversation thread.
    pub fn add_turn(
        &self,
        thread: &str,
        role: &str,
        text: &str,
        plan_json: &str,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO conversations (thread, turn, role, text, plan, time_ms)
                 VALUES (?1, (SELECT COALESCE(MAX(turn), 0) + 1 FROM conversations WHERE thread = ?1), ?2, ?3, ?4, ?5)",
                params![thread, role, text, plan_json, now_ms()],
            )
            .map(|_| ())
            .map_err(|e| self.sql(e))
    }

    /// The last `n` turns of a thread, oldest first: (role, text, plan JSON).
    pub fn thread(
        &self,
        thread: &str,
        n: usize,
    ) -> Result<Vec<(String, String, String)>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT role, text, plan FROM (SELECT turn, role, text, plan FROM conversations WHERE thread = ?1 ORDER BY turn DESC LIMIT ?2) ORDER BY turn",
            )
            .map_err(|e| self.sql(e))?;
        let rows = st
            .query_map(params![thread, n as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .map_err(|e| self.sql(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.sql(e))
    }

    /// Tests only: pretend a newer warden wrote this store.
    #[doc(hidden)]
    pub fn set_user_version_for_tests(&self, v: i64) {
        let _ = self.conn.pragma_update(None, "user_version", v);
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }
}

pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
