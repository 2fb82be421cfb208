//! The queries the assistant plans: filtered event lists, counts by a
//! field, timelines, incidents, full-text search, and the name lookups
//! that turn "john.doe" or "console login" into stored values.
//!
//! Every filter value is a bound parameter; column names come only from
//! the fixed [`Column`] list, never from the question.

use rusqlite::{params_from_iter, types::Value, OptionalExtension};
use serde::Serialize;

use crate::{block_slot, inflate, Store, StoreError};

/// Which events. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Filter {
    pub since_ms: Option<i64>,
    pub until_ms: Option<i64>,
    /// cloudtrail, guardduty, bedrock, okta.
    pub kinds: Vec<String>,
    /// Exact principal ARNs / Okta actors (resolve names with
    /// [`Store::principals_like`]).
    pub principals: Vec<String>,
    /// User or role names: a role's name covers all of its sessions.
    pub user_names: Vec<String>,
    pub access_keys: Vec<String>,
    pub source_ips: Vec<String>,
    pub event_names: Vec<String>,
    pub accounts: Vec<String>,
    pub regions: Vec<String>,
    /// Only failed calls (an error code, or an Okta FAILURE outcome).
    pub failed_only: bool,
    pub min_severity: Option<f64>,
    /// Full-text query over the event's searchable text.
    pub text: Option<String>,
}

/// A column the assistant may count by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    Principal,
    UserName,
    SourceIp,
    EventName,
    Account,
    Region,
    Kind,
    ErrorCode,
    Title,
    AccessKey,
}

impl Column {
    fn sql(self) -> &'static str {
        match self {
            Column::Principal => "principal",
            Column::UserName => "user_name",
            Column::SourceIp => "source_ip",
            Column::EventName => "event_name",
            Column::Account => "account",
            Column::Region => "region",
            Column::Kind => "kind",
            Column::ErrorCode => "error_code",
            Column::Title => "title",
            Column::AccessKey => "access_key",
        }
    }

    pub fn parse(s: &str) -> Option<Column> {
        Some(match s {
            "principal" => Column::Principal,
            "user_name" => Column::UserName,
            "source_ip" | "ip" => Column::SourceIp,
            "event_name" => Column::EventName,
            "account" => Column::Account,
            "region" => Column::Region,
            "kind" | "source" => Column::Kind,
            "error_code" => Column::ErrorCode,
            "title" => Column::Title,
            "access_key" => Column::AccessKey,
            _ => return None,
        })
    }
}

/// One stored event, without its raw JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventHit {
    pub uid: String,
    pub kind: String,
    pub time_ms: i64,
    pub account: Option<String>,
    pub region: Option<String>,
    pub principal: Option<String>,
    pub user_name: Option<String>,
    pub access_key: Option<String>,
    pub source_ip: Option<String>,
    pub event_name: Option<String>,
    pub error_code: Option<String>,
    pub severity: Option<f64>,
    pub title: Option<String>,
    pub s3_bucket: Option<String>,
    pub s3_key: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Count {
    pub value: String,
    pub count: u64,
    /// One example event with this value, for a citation.
    pub example_uid: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeBucket {
    pub start_ms: i64,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncidentRow {
    pub id: String,
    pub title: String,
    pub threat_level: String,
    pub level_rank: i64,
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
    pub principal: Option<String>,
    pub account: Option<String>,
    pub summary: String,
    /// Rule ids and titles of its alerts.
    pub rules: Vec<(String, String)>,
    /// Stored events behind it.
    pub evidence: Vec<String>,
}

const HIT_COLUMNS: &str = "uid, kind, time_ms, account, region, principal, user_name, access_key, source_ip, event_name, error_code, severity, title, s3_bucket, s3_key";

fn incident_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<IncidentRow> {
    Ok(IncidentRow {
        id: r.get(0)?,
        title: r.get(1)?,
        threat_level: r.get(2)?,
        level_rank: r.get(3)?,
        first_ms: r.get(4)?,
        last_ms: r.get(5)?,
        principal: r.get(6)?,
        account: r.get(7)?,
        summary: r.get(8)?,
        rules: Vec::new(),
        evidence: Vec::new(),
    })
}

fn hit(r: &rusqlite::Row<'_>) -> rusqlite::Result<EventHit> {
    Ok(EventHit {
        uid: r.get(0)?,
        kind: r.get(1)?,
        time_ms: r.get(2)?,
        account: r.get(3)?,
        region: r.get(4)?,
        principal: r.get(5)?,
        user_name: r.get(6)?,
        access_key: r.get(7)?,
        source_ip: r.get(8)?,
        event_name: r.get(9)?,
        error_code: r.get(10)?,
        severity: r.get(11)?,
        title: r.get(12)?,
        s3_bucket: r.get(13)?,
        s3_key: r.get(14)?,
    })
}

/// Quote each word for FTS5 so the user's text is searched, never parsed
/// as query syntax.
fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '.' || c == '-' || c == '_' || c == '@'))
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"", w.replace('"', "")))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

impl Filter {
    /// `WHERE …` over `events` (aliased `e`) and its parameters.
    pub(crate) fn clause(&self) -> (String, Vec<Value>) {
        let mut conds: Vec<String> = Vec::new();
        let mut ps: Vec<Value> = Vec::new();
        if let Some(s) = self.since_ms {
            ps.push(Value::Integer(s));
            conds.push(format!("e.time_ms >= ?{}", ps.len()));
        }
        if let Some(u) = self.until_ms {
            ps.push(Value::Integer(u));
            conds.push(format!("e.time_ms < ?{}", ps.len()));
        }
        let any_of = |col: &str, vals: &[String], conds: &mut Vec<String>, ps: &mut Vec<Value>| {
            if vals.is_empty() {
                return;
            }
            let mut marks = Vec::new();
            for v in vals {
                ps.push(Value::Text(v.clone()));
                marks.push(format!("?{}", ps.len()));
            }
            conds.push(format!("e.{col} IN ({})", marks.join(", ")));
        };
        any_of("kind", &self.kinds, &mut conds, &mut ps);
        any_of("principal", &self.principals, &mut conds, &mut ps);
        any_of("user_name", &self.user_names, &mut conds, &mut ps);
        any_of("access_key", &self.access_keys, &mut conds, &mut ps);
        any_of("source_ip", &self.source_ips, &mut conds, &mut ps);
        any_of("event_name", &self.event_names, &mut conds, &mut ps);
        any_of("account", &self.accounts, &mut conds, &mut ps);
        any_of("region", &self.regions, &mut conds, &mut ps);
        if self.failed_only {
            conds.push(
                "e.error_code IS NOT NULL AND e.error_code NOT IN ('', 'SUCCESS', 'ALLOW')".into(),
            );
        }
        if let Some(s) = self.min_severity {
            ps.push(Value::Real(s));
            conds.push(format!("e.severity >= ?{}", ps.len()));
        }
        if let Some(q) = self.text.as_deref().and_then(fts_query) {
            ps.push(Value::Text(q));
            conds.push(format!(
                "e.rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?{})",
                ps.len()
            ));
        }
        let w = if conds.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conds.join(" AND "))
        };
        (w, ps)
    }
}

impl Store {
    /// Matching events, newest first (at most `limit`), and how many match.
    pub fn events(&self, f: &Filter, limit: usize) -> Result<(u64, Vec<EventHit>), StoreError> {
        let (w, ps) = f.clause();
        let total: i64 = match self.hour_counts(f, None)? {
            Some(rows) => rows.first().map(|r| r.1 as i64).unwrap_or(0),
            None => self
                .conn()
                .query_row(
                    &format!("SELECT COUNT(*) FROM events e {w}"),
                    params_from_iter(ps.iter()),
                    |r| r.get(0),
                )
                .map_err(|e| self.sql(e))?,
        };
        Ok((total as u64, self.latest(f, limit)?))
    }

    /// The newest matching events (at most `limit`), without counting
    /// them all: a full-text match is evaluated once.
    pub fn latest(&self, f: &Filter, limit: usize) -> Result<Vec<EventHit>, StoreError> {
        let (w, ps) = f.clause();
        let mut st = self
            .conn()
            .prepare(&format!(
                "SELECT {HIT_COLUMNS} FROM events e {w} ORDER BY e.time_ms DESC, e.rowid DESC LIMIT {}",
                limit.min(10_000)
            ))
            .map_err(|e| self.sql(e))?;
        let rows = st
            .query_map(params_from_iter(ps.iter()), hit)
            .map_err(|e| self.sql(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(e))?;
        Ok(rows)
    }

    /// The oldest matching event.
    pub fn first_event(&self, f: &Filter) -> Result<Option<EventHit>, StoreError> {
        let (w, ps) = f.clause();
        self.conn()
            .query_row(
                &format!(
                    "SELECT {HIT_COLUMNS} FROM events e {w} ORDER BY e.time_ms, e.rowid LIMIT 1"
                ),
                params_from_iter(ps.iter()),
                hit,
            )
            .optional()
            .map_err(|e| self.sql(e))
    }

    /// The top `n` values of `col` among matching events, each with one
    /// example event. Counting reads only the `(col, time)` index when the
    /// filter allows; the examples are fetched per value afterwards.
    pub fn count_by(&self, f: &Filter, col: Column, n: usize) -> Result<Vec<Count>, StoreError> {
        if let Some(rows) = self.hour_counts(f, Some(col))? {
            return Ok(rows
                .into_iter()
                .take(n)
                .map(|(value, count, example_uid)| Count {
                    value,
                    count,
                    example_uid,
                })
                .collect());
        }
        let (w, ps) = f.clause();
        let c = col.sql();
        let and = if w.is_empty() { "WHERE" } else { "AND" };
        let mut st = self
            .conn()
            .prepare(&format!(
                "SELECT e.{c}, COUNT(*) FROM events e {w} {and} e.{c} IS NOT NULL AND e.{c} <> ''
                 GROUP BY e.{c} ORDER BY COUNT(*) DESC, e.{c} LIMIT {}",
                n.min(1000)
            ))
            .map_err(|e| self.sql(e))?;
        let rows = st
            .query_map(params_from_iter(ps.iter()), |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
            })
            .map_err(|e| self.sql(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(e))?;
        let mut out = Vec::with_capacity(rows.len());
        let mut ex = self
            .conn()
            .prepare(&format!(
                "SELECT e.uid FROM events e {w} {and} e.{c} = ?{} LIMIT 1",
                ps.len() + 1
            ))
            .map_err(|e| self.sql(e))?;
        for (value, count) in rows {
            let mut p = ps.clone();
            p.push(Value::Text(value.clone()));
            let example_uid: String = ex
                .query_row(params_from_iter(p.iter()), |r| r.get(0))
                .map_err(|e| self.sql(e))?;
            out.push(Count {
                value,
                count,
                example_uid,
            });
        }
        Ok(out)
    }

    /// Matching events per `bucket_ms`, oldest first.
    pub fn timeline(&self, f: &Filter, bucket_ms: i64) -> Result<Vec<TimeBucket>, StoreError> {
        let (w, ps) = f.clause();
        let b = bucket_ms.max(1);
        let mut st = self
            .conn()
            .prepare(&format!(
                "SELECT (e.time_ms / {b}) * {b} AS t, COUNT(*) FROM events e {w} GROUP BY t ORDER BY t"
            ))
            .map_err(|e| self.sql(e))?;
        let rows = st
            .query_map(params_from_iter(ps.iter()), |r| {
                Ok(TimeBucket {
                    start_ms: r.get(0)?,
                    count: r.get::<_, i64>(1)? as u64,
                })
            })
            .map_err(|e| self.sql(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(e))?;
        Ok(rows)
    }

    /// Stored user or role names equal to `name`, ignoring case (an
    /// index lookup, unlike [`principals_like`](Self::principals_like)).
    pub fn user_names(&self, name: &str) -> Result<Vec<String>, StoreError> {
        let mut st = self
            .conn()
            .prepare_cached(
                "SELECT DISTINCT user_name FROM principals WHERE user_name = ?1 COLLATE NOCASE LIMIT 10",
            )
            .map_err(|e| self.sql(e))?;
        let rows = st
            .query_map([name], |r| r.get(0))
            .map_err(|e| self.sql(e))?
            .collect::<Result<Vec<String>, _>>()
            .map_err(|e| self.sql(e))?;
        Ok(rows)
    }

    /// Stored principals whose ARN or user name contains `needle`
    /// (case-insensitive), most specific first.
    pub fn principals_like(&self, needle: &str) -> Result<Vec<String>, StoreError> {
        let pat = format!(
            "%{}%",
            needle
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let mut st = self
            .conn()
            .prepare_cached(
                "SELECT principal FROM principals WHERE principal LIKE ?1 ESCAPE '\\' OR user_name LIKE ?1 ESCAPE '\\'
                 ORDER BY length(principal) LIMIT 50",
            )
            .map_err(|e| self.sql(e))?;
        let rows = st
            .query_map([pat], |r| r.get(0))
            .map_err(|e| self.sql(e))?
            .collect::<Result<Vec<String>, _>>()
            .map_err(|e| self.sql(e))?;
        Ok(rows)
    }

    /// Every stored event name with its log kind.
    pub fn event_names(&self) -> Result<Vec<(String, String)>, StoreError> {
        let mut st = self
            .conn()
            .prepare_cached("SELECT event_name, kind FROM event_names ORDER BY event_name")
            .map_err(|e| self.sql(e))?;
        let rows = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.sql(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(e))?;
        Ok(rows)
    }

    /// Incidents whose activity overlaps the window, most severe and
    /// newest first (without rules and evidence: see [`incident`](Self::incident)).
    pub fn incidents(
        &self,
        since_ms: Option<i64>,
        until_ms: Option<i64>,
        min_rank: i64,
        limit: usize,
    ) -> Result<Vec<IncidentRow>, StoreError> {
        let mut st = self
            .conn()
            .prepare_cached(
                "SELECT id FROM incidents
                 WHERE level_rank >= ?1 AND COALESCE(last_ms, 0) >= ?2 AND COALESCE(first_ms, 0) < ?3
                 ORDER BY level_rank DESC, last_ms DESC, id LIMIT ?4",
            )
            .map_err(|e| self.sql(e))?;
        let ids = st
            .query_map(
                rusqlite::params![
                    min_rank,
                    since_ms.unwrap_or(i64::MIN),
                    until_ms.unwrap_or(i64::MAX),
                    limit as i64
                ],
                |r| r.get::<_, String>(0),
            )
            .map_err(|e| self.sql(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(e))?;
        let mut one = self
            .conn()
            .prepare_cached(
                "SELECT id, title, threat_level, level_rank, first_ms, last_ms, principal, account, summary FROM incidents WHERE id = ?1",
            )
            .map_err(|e| self.sql(e))?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(one.query_row([id], incident_row).map_err(|e| self.sql(e))?);
        }
        Ok(out)
    }

    /// Incidents a rule fired in, with the rule's title.
    pub fn incidents_for_rule(
        &self,
        rule_id: &str,
        limit: usize,
    ) -> Result<(Option<String>, Vec<String>), StoreError> {
        let mut st = self
            .conn()
            .prepare_cached(
                "SELECT DISTINCT incident_id, rule_title FROM alerts WHERE rule_id = ?1 LIMIT ?2",
            )
            .map_err(|e| self.sql(e))?;
        let rows = st
            .query_map(rusqlite::params![rule_id, limit as i64], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .map_err(|e| self.sql(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(e))?;
        let title = rows.first().map(|(_, t)| t.clone());
        Ok((title, rows.into_iter().map(|(i, _)| i).collect()))
    }

    /// One incident with its rules and evidence; `id` may be a prefix.
    pub fn incident(&self, id: &str) -> Result<Option<IncidentRow>, StoreError> {
        let conn = self.conn();
        let row = conn
            .query_row(
                "SELECT id, title, threat_level, level_rank, first_ms, last_ms, principal, account, summary
                 FROM incidents WHERE id = ?1 OR id LIKE ?1 || '%' ORDER BY id = ?1 DESC LIMIT 1",
                [id],
                incident_row,
            )
            .optional()
            .map_err(|e| self.sql(e))?;
        let Some(mut row) = row else { return Ok(None) };
        let mut st = conn
            .prepare_cached(
                "SELECT DISTINCT rule_id, rule_title FROM alerts WHERE incident_id = ?1 ORDER BY rule_id",
            )
            .map_err(|e| self.sql(e))?;
        row.rules = st
            .query_map([&row.id], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.sql(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(e))?;
        let mut st = conn
            .prepare_cached(
                "SELECT DISTINCT a.event_uid FROM alerts a JOIN events e ON e.uid = a.event_uid
                 WHERE a.incident_id = ?1 ORDER BY e.time_ms",
            )
            .map_err(|e| self.sql(e))?;
        row.evidence = st
            .query_map([&row.id], |r| r.get(0))
            .map_err(|e| self.sql(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(e))?;
        Ok(Some(row))
    }

    /// The incident's stored JSON (the full triage record).
    pub fn incident_json(&self, id: &str) -> Result<Option<String>, StoreError> {
        self.conn()
            .query_row("SELECT json FROM incidents WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.sql(e))
    }

    /// Stored events by uid (for citations), in the order asked.
    pub fn events_by_uid(&self, uids: &[String]) -> Result<Vec<EventHit>, StoreError> {
        let mut st = self
            .conn()
            .prepare_cached(&format!("SELECT {HIT_COLUMNS} FROM events WHERE uid = ?1"))
            .map_err(|e| self.sql(e))?;
        let mut out = Vec::new();
        for u in uids {
            if let Some(h) = st.query_row([u], hit).optional().map_err(|e| self.sql(e))? {
                out.push(h);
            }
        }
        Ok(out)
    }

    /// Raw JSON of one event: from its compressed block, or (stores
    /// written before schema 2) its own deflated column.
    pub fn raw_event(&self, uid: &str) -> Result<Option<String>, StoreError> {
        let row = self
            .conn()
            .query_row(
                "SELECT e.raw, e.slot, b.data FROM events e LEFT JOIN event_blocks b ON b.id = e.block WHERE e.uid = ?1",
                [uid],
                |r| {
                    Ok((
                        r.get::<_, Vec<u8>>(0)?,
                        r.get::<_, Option<i64>>(1)?,
                        r.get::<_, Option<Vec<u8>>>(2)?,
                    ))
                },
            )
            .optional()
            .map_err(|e| self.sql(e))?;
        Ok(row.map(|(raw, slot, block)| match (slot, block) {
            (Some(slot), Some(block)) => {
                block_slot(&inflate(&block), slot as usize).unwrap_or_default()
            }
            _ => String::from_utf8_lossy(&inflate(&raw)).into_owned(),
        }))
    }
}
