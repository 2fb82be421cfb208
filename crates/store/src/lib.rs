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

mod access;
mod approvals;
mod query;
mod rollup;
mod row;
mod schema;
mod users;

use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};

pub use access::{AuditRow, TokenRow};
pub use approvals::{ApprovalRow, Decision};
pub use query::{Column, Count, EventHit, Filter, IncidentRow, TimeBucket};
pub use row::uid;
pub use users::{ActivityRow, UserRow};

/// The events table's secondary indexes, as the current schema has them
/// (schema 1 created them; bulk loads drop and rebuild them).
const SECONDARY_INDEXES: &[(&str, &str)] = &[
    ("events_time", "events (time_ms)"),
    ("events_principal", "events (principal, time_ms)"),
    // Covering for "what did <role> do": a role can have tens of thousands
    // of events a day, and its actions, addresses and failures are then
    // counted from the index alone.
    (
        "events_user",
        "events (user_name, time_ms, event_name, source_ip, error_code)",
    ),
    ("events_ip", "events (source_ip, time_ms)"),
    ("events_name", "events (event_name, time_ms)"),
    ("events_key", "events (access_key, time_ms)"),
    ("events_kind", "events (kind, time_ms)"),
    // Failed calls are a few percent of events and questions about them
    // are common; the condition is `Filter::failed_only`'s, word for word,
    // so SQLite can use this index.
    (
        "events_failed",
        "events (time_ms) WHERE error_code IS NOT NULL AND error_code NOT IN ('', 'SUCCESS', 'ALLOW')",
    ),
];

/// Page cache per connection, KiB.
const CACHE_KIB: i64 = 128 * 1024;

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
    /// The event's JSON as read; [`EventBatch::pack`] moves it into a
    /// compressed block.
    pub raw: String,
}

/// Events per compressed block of raw JSON: neighbouring events share most
/// of their text, so a block compresses to ~280 bytes an event against
/// ~670 one by one, and reading one event back inflates ~75 KB.
const BLOCK_EVENTS: usize = 64;

/// Events on their way to the writer, their raw JSON already compressed in
/// blocks of [`BLOCK_EVENTS`]: packing runs on the decoder threads so the
/// single writer thread only writes. Row `i` lives in block
/// `i / BLOCK_EVENTS`, slot `i % BLOCK_EVENTS`.
pub struct EventBatch {
    rows: Vec<EventRow>,
    blocks: Vec<Vec<u8>>,
}

impl EventBatch {
    pub fn pack(mut rows: Vec<EventRow>) -> EventBatch {
        let mut blocks = Vec::with_capacity(rows.len().div_ceil(BLOCK_EVENTS));
        let mut buf = Vec::new();
        for chunk in rows.chunks_mut(BLOCK_EVENTS) {
            buf.clear();
            for r in chunk.iter_mut() {
                let raw = std::mem::take(&mut r.raw);
                buf.extend_from_slice(&(raw.len() as u32).to_le_bytes());
                buf.extend_from_slice(raw.as_bytes());
            }
            blocks.push(deflate(&buf));
        }
        EventBatch { rows, blocks }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// Slot `slot` of an inflated block (see [`EventBatch::pack`]).
fn block_slot(block: &[u8], slot: usize) -> Option<String> {
    let mut rest = block;
    for i in 0.. {
        let len = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?) as usize;
        let body = rest.get(4..4 + len)?;
        if i == slot {
            return Some(String::from_utf8_lossy(body).into_owned());
        }
        rest = &rest[4 + len..];
    }
    None
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

/// Deflate `s` with this thread's compressor. Why a reused compressor:
/// a fresh one allocates and zeroes ~300 KB of state per call, which cost
/// more than the compression itself and, spread over decoder threads,
/// fragmented the heap (peak memory rose ninefold before this).
fn deflate(s: &[u8]) -> Vec<u8> {
    thread_local! {
        static COMPRESS: std::cell::RefCell<flate2::Compress> =
            std::cell::RefCell::new(flate2::Compress::new(flate2::Compression::fast(), false));
    }
    COMPRESS.with(|c| {
        let mut c = c.borrow_mut();
        c.reset();
        let mut out = Vec::with_capacity(s.len() / 3 + 64);
        let mut input = s;
        loop {
            let before_in = c.total_in();
            let status = c.compress_vec(input, &mut out, flate2::FlushCompress::Finish);
            input = &input[(c.total_in() - before_in) as usize..];
            match status {
                Ok(flate2::Status::StreamEnd) => break,
                Ok(_) => out.reserve(out.capacity().max(256)),
                Err(_) => return Vec::new(),
            }
        }
        out
    })
}

fn inflate(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let _ = flate2::read::DeflateDecoder::new(b).read_to_end(&mut out);
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
        // The indexes of a million events are tens of MB; with SQLite's
        // 2 MB default cache every index insert re-read pages from the OS.
        conn.pragma_update(None, "cache_size", -CACHE_KIB)
            .map_err(sql)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(sql)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(sql)?;
        let mut store = Store { conn, path };
        schema::migrate(&mut store.conn, &store.path)?;
        // A bulk load that died before rebuilding its indexes.
        store.end_bulk()?;
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

    /// Store events (tests and small callers; the pipeline packs on its
    /// decoder threads and calls [`add_batches`](Self::add_batches)).
    pub fn add_events(&mut self, rows: &[EventRow]) -> Result<IngestCounts, StoreError> {
        self.add_batches(&[EventBatch::pack(rows.to_vec())])
    }

    /// Store batches of events in one transaction; events already stored
    /// (same uid) are counted and skipped, and a block none of whose
    /// events was new is not kept.
    pub fn add_batches(&mut self, batches: &[EventBatch]) -> Result<IngestCounts, StoreError> {
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
                        source_ip, user_agent, event_source, event_name, error_code, severity, title, s3_bucket, s3_key, raw, block, slot)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, X'', ?18, ?19)",
                )
                .map_err(sql)?;
            let mut add_block = tx
                .prepare_cached("INSERT INTO event_blocks (data) VALUES (?1)")
                .map_err(sql)?;
            let mut drop_block = tx
                .prepare_cached("DELETE FROM event_blocks WHERE id = ?1")
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
            let mut body = String::new();
            let mut hours = rollup::HourCounts::default();
            for batch in batches {
                let mut last_who: Option<(&Option<String>, &Option<String>)> = None;
                for (chunk, data) in batch.rows.chunks(BLOCK_EVENTS).zip(&batch.blocks) {
                    add_block.execute([data]).map_err(sql)?;
                    let block = tx.last_insert_rowid();
                    let mut added = 0u64;
                    for (slot, r) in chunk.iter().enumerate() {
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
                                block,
                                slot as i64,
                            ])
                            .map_err(sql)?;
                        if n == 0 {
                            counts.events_already_stored += 1;
                            continue;
                        }
                        added += 1;
                        hours.add(r);
                        let rowid = tx.last_insert_rowid();
                        if r.principal.is_some() && last_who != Some((&r.principal, &r.user_name)) {
                            who.execute(params![r.principal, r.user_name])
                                .map_err(sql)?;
                            last_who = Some((&r.principal, &r.user_name));
                        }
                        if let Some(n) = &r.event_name {
                            names.execute(params![n, r.kind]).map_err(sql)?;
                        }
                        body.clear();
                        for part in [
                            &r.event_name,
                            &r.principal,
                            &r.user_name,
                            &r.source_ip,
                            &r.user_agent,
                            &r.error_code,
                            &r.title,
                            &r.s3_bucket,
                            &r.s3_key,
                            &r.event_source,
                        ]
                        .into_iter()
                        .flatten()
                        {
                            if !body.is_empty() {
                                body.push(' ');
                            }
                            body.push_str(part);
                        }
                        fts.execute(params![rowid, body]).map_err(sql)?;
                    }
                    if added == 0 {
                        drop_block.execute([block]).map_err(sql)?;
                    }
                    counts.events_added += added;
                }
            }
            hours.write(&tx).map_err(sql)?;
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
    /// updated (a later run or batch knows more; its acknowledgement stays),
    /// alerts are keyed by rule + event.
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
                // An upsert, not INSERT OR REPLACE: a replace would delete
                // the row and with it who acknowledged the incident.
                "INSERT INTO incidents (id, title, threat_level, level_rank, first_ms, last_ms, principal, account, summary, json)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT (id) DO UPDATE SET title = excluded.title, threat_level = excluded.threat_level,
                   level_rank = excluded.level_rank, first_ms = excluded.first_ms, last_ms = excluded.last_ms,
                   principal = excluded.principal, account = excluded.account, summary = excluded.summary,
                   json = excluded.json",
                params![i.id, i.title, i.threat_level, i.level_rank, i.first_ms, i.last_ms, i.principal, i.account, i.summary, i.json],
            )
            .map_err(sql)?;
            counts.incidents += 1;
            for (rule_id, rule_title, level, event_uid) in &i.alerts {
                counts.alerts += tx
                    .execute(
                        // `IS`, not UNIQUE alone: an alert without an event
                        // (NULL uid) must not be added again each time its
                        // incident is stored.
                        "INSERT OR IGNORE INTO alerts (incident_id, rule_id, rule_title, level, event_uid)
                         SELECT ?1, ?2, ?3, ?4, ?5 WHERE NOT EXISTS
                           (SELECT 1 FROM alerts WHERE incident_id = ?1 AND rule_id = ?2 AND event_uid IS ?5)",
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
        if deleted > 0 {
            tx.execute(
                "DELETE FROM event_blocks WHERE id NOT IN (SELECT block FROM events WHERE block IS NOT NULL)",
                [],
            )
            .map_err(sql)?;
            rollup::recount_oldest(&tx).map_err(sql)?;
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

    /// Prepare for a load much larger than what is stored: drop the
    /// secondary indexes so each insert touches only the table, the uid
    /// index and the text index; [`end_bulk`](Self::end_bulk) rebuilds them
    /// in one sorted pass (about 6 s per million events), which is far
    /// cheaper than a million random index inserts. If the process dies in
    /// between, the next [`open`](Self::open) rebuilds them.
    pub fn begin_bulk(&self) -> Result<(), StoreError> {
        for (name, _) in SECONDARY_INDEXES {
            self.conn
                .execute_batch(&format!("DROP INDEX IF EXISTS {name}"))
                .map_err(|e| self.sql(e))?;
        }
        Ok(())
    }

    /// Create any missing secondary index (see [`begin_bulk`](Self::begin_bulk)).
    pub fn end_bulk(&self) -> Result<(), StoreError> {
        for (name, on) in SECONDARY_INDEXES {
            self.conn
                .execute_batch(&format!("CREATE INDEX IF NOT EXISTS {name} ON {on}"))
                .map_err(|e| self.sql(e))?;
        }
        Ok(())
    }

    /// Roughly how many events are stored (the highest row id: instant,
    /// unlike `COUNT(*)`).
    pub fn approx_events(&self) -> Result<u64, StoreError> {
        self.conn
            .query_row("SELECT COALESCE(MAX(rowid), 0) FROM events", [], |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| n as u64)
            .map_err(|e| self.sql(e))
    }

    /// The newest stored event time (an index lookup, unlike [`stats`](Self::stats)).
    pub fn newest(&self) -> Result<Option<i64>, StoreError> {
        self.conn
            .query_row("SELECT MAX(time_ms) FROM events", [], |r| r.get(0))
            .map_err(|e| self.sql(e))
    }

    /// Refresh the query planner's statistics (after a large ingest), so
    /// it picks the principal or name index over the time index, and fold
    /// the write-ahead log back into the database file.
    pub fn optimize(&self) -> Result<(), StoreError> {
        self.conn
            .execute_batch(
                "PRAGMA analysis_limit = 1000; ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);",
            )
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

    /// How many turns a thread has.
    pub fn thread_len(&self, thread: &str) -> Result<usize, StoreError> {
        self.conn
            .query_row(
                "SELECT COUNT(*) FROM conversations WHERE thread = ?1",
                [thread],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n as usize)
            .map_err(|e| self.sql(e))
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
