//! Hourly event counts by source, event name and failure, kept as events
//! are stored. Why: "summarise the last 24 hours" or "how many access
//! denied yesterday" would otherwise count a million index entries (about
//! a second); whole hours are read from `event_hours` and only the partial
//! hours at either end of the window from the events themselves.

use std::collections::HashMap;

use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Transaction};

use crate::{Column, EventRow, Filter, Store, StoreError};

pub(crate) const HOUR_MS: i64 = 3_600_000;

/// The failed-call test, the same as `Filter::failed_only`'s SQL.
pub(crate) fn is_failed(code: Option<&str>) -> bool {
    matches!(code, Some(c) if !c.is_empty() && c != "SUCCESS" && c != "ALLOW")
}

fn hour(t: i64) -> i64 {
    (t / HOUR_MS) * HOUR_MS
}

/// Counts of one transaction's new events, written once at its end.
#[derive(Default)]
pub(crate) struct HourCounts<'a> {
    map: HashMap<(i64, &'a str, &'a str, bool), (i64, &'a str)>,
}

impl<'a> HourCounts<'a> {
    pub fn add(&mut self, r: &'a EventRow) {
        let key = (
            hour(r.time_ms),
            r.kind.as_str(),
            r.event_name.as_deref().unwrap_or(""),
            is_failed(r.error_code.as_deref()),
        );
        self.map.entry(key).or_insert((0, r.uid.as_str())).0 += 1;
    }

    pub fn write(&self, tx: &Transaction<'_>) -> rusqlite::Result<()> {
        let mut st = tx.prepare_cached(
            "INSERT INTO event_hours (hour_ms, kind, event_name, failed, n, example_uid)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (hour_ms, kind, event_name, failed) DO UPDATE SET n = n + excluded.n",
        )?;
        for ((h, kind, name, failed), (n, example)) in &self.map {
            st.execute(params![h, kind, name, *failed as i64, n, example])?;
        }
        Ok(())
    }
}

/// Recount the hours retention touched: it deletes the oldest events, so
/// every hour up to the oldest remaining event's is recounted from what
/// is left (all of them when nothing is left).
pub(crate) fn recount_oldest(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    let oldest: Option<i64> = tx.query_row("SELECT MIN(time_ms) FROM events", [], |r| r.get(0))?;
    let Some(oldest) = oldest else {
        tx.execute("DELETE FROM event_hours", [])?;
        return Ok(());
    };
    let h = hour(oldest);
    tx.execute("DELETE FROM event_hours WHERE hour_ms <= ?1", [h])?;
    tx.execute(
        "INSERT INTO event_hours (hour_ms, kind, event_name, failed, n, example_uid)
         SELECT (time_ms / 3600000) * 3600000, kind, COALESCE(event_name, ''),
                CASE WHEN error_code IS NOT NULL AND error_code NOT IN ('', 'SUCCESS', 'ALLOW') THEN 1 ELSE 0 END,
                COUNT(*), MIN(uid)
         FROM events WHERE time_ms < ?1 GROUP BY 1, 2, 3, 4",
        [h + HOUR_MS],
    )?;
    Ok(())
}

/// (value, count, example uid) rows.
pub(crate) type Counted = Vec<(String, u64, String)>;

impl Filter {
    /// Can hourly counts answer this filter? Only time, sources, event
    /// names and failure are kept per hour.
    fn by_hours(&self) -> bool {
        self.principals.is_empty()
            && self.user_names.is_empty()
            && self.access_keys.is_empty()
            && self.source_ips.is_empty()
            && self.accounts.is_empty()
            && self.regions.is_empty()
            && self.min_severity.is_none()
            && self.text.is_none()
    }
}

impl Store {
    /// Counts per value of `col` (`None`: the total, as one row) from the
    /// hourly counts plus the partial hours at the window's ends; `None`
    /// when the filter or column is not kept per hour, or the window lies
    /// inside one hour.
    pub(crate) fn hour_counts(
        &self,
        f: &Filter,
        col: Option<Column>,
    ) -> Result<Option<Counted>, StoreError> {
        let c = match col {
            None => None,
            Some(Column::Kind) => Some("kind"),
            Some(Column::EventName) => Some("event_name"),
            Some(_) => return Ok(None),
        };
        if !f.by_hours() {
            return Ok(None);
        }
        let lo = f.since_ms.map(|s| hour(s + HOUR_MS - 1));
        let hi = f.until_ms.map(hour);
        if let (Some(l), Some(h)) = (lo, hi) {
            if l >= h {
                return Ok(None);
            }
        }
        let mut acc: HashMap<String, (u64, String)> = HashMap::new();
        let mut add = |rows: Counted| {
            for (v, n, ex) in rows {
                let e = acc.entry(v).or_insert((0, ex));
                e.0 += n;
            }
        };
        add(self.whole_hours(f, lo, hi, c)?);
        if let (Some(s), Some(l)) = (f.since_ms, lo) {
            if s < l {
                add(self.raw_counts(f, s, l, c)?);
            }
        }
        if let (Some(h), Some(u)) = (hi, f.until_ms) {
            if h < u {
                add(self.raw_counts(f, h, u, c)?);
            }
        }
        let mut out: Counted = acc.into_iter().map(|(v, (n, ex))| (v, n, ex)).collect();
        out.retain(|r| r.1 > 0);
        if c.is_none() && out.is_empty() {
            out.push((String::new(), 0, String::new()));
        }
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok(Some(out))
    }

    fn whole_hours(
        &self,
        f: &Filter,
        lo: Option<i64>,
        hi: Option<i64>,
        col: Option<&str>,
    ) -> Result<Counted, StoreError> {
        let mut conds = Vec::new();
        let mut ps: Vec<Value> = Vec::new();
        let bind = |v: Value, ps: &mut Vec<Value>| {
            ps.push(v);
            format!("?{}", ps.len())
        };
        if let Some(l) = lo {
            conds.push(format!("hour_ms >= {}", bind(Value::Integer(l), &mut ps)));
        }
        if let Some(h) = hi {
            conds.push(format!("hour_ms < {}", bind(Value::Integer(h), &mut ps)));
        }
        for (name, vals) in [("kind", &f.kinds), ("event_name", &f.event_names)] {
            if !vals.is_empty() {
                let marks: Vec<String> = vals
                    .iter()
                    .map(|v| bind(Value::Text(v.clone()), &mut ps))
                    .collect();
                conds.push(format!("{name} IN ({})", marks.join(", ")));
            }
        }
        if f.failed_only {
            conds.push("failed = 1".into());
        }
        if col == Some("event_name") {
            conds.push("event_name <> ''".into());
        }
        let w = if conds.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conds.join(" AND "))
        };
        let sql = match col {
            Some(c) => {
                format!("SELECT {c}, SUM(n), MIN(example_uid) FROM event_hours {w} GROUP BY {c}")
            }
            None => format!("SELECT '', COALESCE(SUM(n), 0), '' FROM event_hours {w}"),
        };
        self.counted(&sql, &ps)
    }

    /// Counts straight from the events in `[since, until)`.
    fn raw_counts(
        &self,
        f: &Filter,
        since: i64,
        until: i64,
        col: Option<&str>,
    ) -> Result<Counted, StoreError> {
        let mut edge = f.clone();
        edge.since_ms = Some(since);
        edge.until_ms = Some(until);
        let (w, ps) = edge.clause();
        let sql = match col {
            Some(c) => format!(
                "SELECT e.{c}, COUNT(*), MIN(e.uid) FROM events e {w} AND e.{c} IS NOT NULL AND e.{c} <> '' GROUP BY e.{c}"
            ),
            None => format!("SELECT '', COUNT(*), '' FROM events e {w}"),
        };
        self.counted(&sql, &ps)
    }

    fn counted(&self, sql: &str, ps: &[Value]) -> Result<Counted, StoreError> {
        let mut st = self.conn().prepare(sql).map_err(|e| self.sql(e))?;
        let rows = st
            .query_map(params_from_iter(ps.iter()), |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)? as u64,
                    r.get::<_, String>(2)?,
                ))
            })
            .map_err(|e| self.sql(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(e))?;
        Ok(rows)
    }
}
