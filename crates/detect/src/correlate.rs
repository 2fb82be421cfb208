//! Sigma correlation rules: `event_count`, `value_count`, `temporal`,
//! `temporal_ordered`, each with `group-by` and `timespan`.
//!
//! Base-rule matches are collected while events stream (only matches, so
//! memory follows the number of hits, not events), then evaluated per group
//! in time order when the input ends. Logs arrive out of order across files;
//! sorting at the end makes results independent of file order and thread
//! count.

use std::collections::HashMap;
use std::sync::Arc;

use serde_yaml::{Mapping, Value as Y};
use warden_core::time::parse_duration_ms;
use warden_core::{Alert, EventFacts, EventView, FieldId, FieldRegistry, RuleInfo};

use crate::history::History;
use crate::rule::Meta;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorrType {
    EventCount,
    ValueCount,
    Temporal,
    TemporalOrdered,
    /// warden extension: alert when an entity (the group-by values) shows a
    /// value of `field` it has not shown within `timespan`, once the entity
    /// has been known for `learning`. History persists in the state file.
    FirstSeen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Gt,
    Gte,
    Lt,
    Lte,
    Eq,
}

impl CmpOp {
    fn test(self, a: u64, b: u64) -> bool {
        match self {
            CmpOp::Gt => a > b,
            CmpOp::Gte => a >= b,
            CmpOp::Lt => a < b,
            CmpOp::Lte => a <= b,
            CmpOp::Eq => a == b,
        }
    }
}

/// A correlation rule as written.
#[derive(Debug, Clone)]
pub struct CorrelationDef {
    pub meta: Meta,
    pub ctype: CorrType,
    pub rules: Vec<String>,
    pub group_by: Vec<String>,
    pub timespan_ms: i64,
    pub condition: Vec<(CmpOp, u64)>,
    pub value_field: Option<String>,
    /// first_seen: how long an entity must be known before new values alert.
    pub learning_ms: i64,
    pub generate: bool,
    /// alias → (rule name or id → field)
    pub aliases: HashMap<String, HashMap<String, String>>,
    pub source: String,
}

fn s(v: &Y) -> Option<String> {
    match v {
        Y::String(s) => Some(s.clone()),
        Y::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Read the `correlation` section of a rule document.
pub fn parse_correlation(
    doc: &Mapping,
    meta: Meta,
    source: &str,
) -> Result<CorrelationDef, String> {
    let Some(Y::Mapping(c)) = doc.get(Y::String("correlation".into())) else {
        return Err("'correlation' must be a mapping".into());
    };
    let get = |k: &str| c.get(Y::String(k.into()));
    let ctype = match get("type").and_then(s).as_deref() {
        Some("event_count") => CorrType::EventCount,
        Some("value_count") => CorrType::ValueCount,
        Some("temporal") => CorrType::Temporal,
        Some("temporal_ordered") => CorrType::TemporalOrdered,
        Some("first_seen") => CorrType::FirstSeen,
        Some(other) => {
            return Err(format!(
                "correlation type '{other}' is not supported (use event_count, value_count, temporal, temporal_ordered, or warden's first_seen)"
            ))
        }
        None => return Err("correlation has no 'type'".into()),
    };
    let rules: Vec<String> = match get("rules") {
        Some(Y::Sequence(xs)) => xs.iter().filter_map(s).collect(),
        Some(v) => s(v).into_iter().collect(),
        None => Vec::new(),
    };
    if rules.is_empty() {
        return Err("correlation has no 'rules' to correlate".into());
    }
    let group_by: Vec<String> = match get("group-by") {
        Some(Y::Sequence(xs)) => xs.iter().filter_map(s).collect(),
        Some(v) => s(v).into_iter().collect(),
        None => Vec::new(),
    };
    let timespan = get("timespan")
        .and_then(s)
        .ok_or("correlation has no 'timespan'")?;
    let timespan_ms = parse_duration_ms(&timespan)
        .ok_or_else(|| format!("cannot read timespan '{timespan}' (use e.g. 30s, 5m, 1h, 1d)"))?;
    let mut condition = Vec::new();
    let mut value_field = None;
    match get("condition") {
        Some(Y::Mapping(m)) => {
            for (k, v) in m {
                let key = s(k).unwrap_or_default();
                if key == "field" {
                    value_field = s(v);
                    continue;
                }
                let op = match key.as_str() {
                    "gt" => CmpOp::Gt,
                    "gte" => CmpOp::Gte,
                    "lt" => CmpOp::Lt,
                    "lte" => CmpOp::Lte,
                    "eq" => CmpOp::Eq,
                    _ => {
                        return Err(format!(
                            "unknown condition operator '{key}' (use gt, gte, lt, lte, eq)"
                        ))
                    }
                };
                let n = match v {
                    Y::Number(n) => n.as_u64(),
                    Y::String(t) => t.parse().ok(),
                    _ => None,
                }
                .ok_or_else(|| format!("condition '{key}' needs a whole number"))?;
                condition.push((op, n));
            }
        }
        None => {}
        Some(_) => {
            return Err("correlation 'condition' must be a mapping such as {gte: 10}".into())
        }
    }
    match ctype {
        CorrType::EventCount | CorrType::ValueCount if condition.is_empty() => {
            return Err(
                "event_count and value_count correlations need a 'condition' such as {gte: 10}"
                    .into(),
            )
        }
        CorrType::ValueCount if value_field.is_none() => {
            return Err("value_count correlations need 'field' in their condition".into())
        }
        CorrType::FirstSeen if value_field.is_none() || group_by.is_empty() => {
            return Err(
                "first_seen needs 'group-by' (the entity) and 'field' in its condition (the value that may be new)"
                    .into(),
            )
        }
        _ => {}
    }
    let learning_ms = match get("learning").and_then(s) {
        Some(l) => parse_duration_ms(&l)
            .ok_or_else(|| format!("cannot read learning '{l}' (use e.g. 1d, 7d)"))?,
        None => 86_400_000,
    };
    let generate = matches!(get("generate"), Some(Y::Bool(true)));
    let mut aliases = HashMap::new();
    if let Some(Y::Mapping(m)) = get("aliases") {
        for (alias, map) in m {
            let (Some(alias), Y::Mapping(map)) = (s(alias), map) else {
                return Err("'aliases' must map alias names to {rule: field}".into());
            };
            let mut per = HashMap::new();
            for (r, f) in map {
                if let (Some(r), Some(f)) = (s(r), s(f)) {
                    per.insert(r, f);
                }
            }
            aliases.insert(alias, per);
        }
    }
    Ok(CorrelationDef {
        meta,
        ctype,
        rules,
        group_by,
        timespan_ms,
        condition,
        value_field,
        learning_ms,
        generate,
        aliases,
        source: source.to_string(),
    })
}

/// A correlation bound to rule indices and field ids.
#[derive(Debug, Clone)]
pub struct CompiledCorrelation {
    pub info: Arc<RuleInfo>,
    pub def: CorrelationDef,
    /// Rule index of each referenced base rule, in `rules:` order.
    pub bases: Vec<usize>,
    /// Per base rule: the fields forming the group key.
    pub group_fields: Vec<Vec<FieldId>>,
    pub value_field: Option<FieldId>,
}

impl CompiledCorrelation {
    pub fn compile(
        def: CorrelationDef,
        bases: Vec<usize>,
        base_keys: &[Vec<String>],
        reg: &mut FieldRegistry,
    ) -> CompiledCorrelation {
        let group_fields = base_keys
            .iter()
            .map(|keys| {
                def.group_by
                    .iter()
                    .map(|g| {
                        let field = def
                            .aliases
                            .get(g)
                            .and_then(|m| keys.iter().find_map(|k| m.get(k)))
                            .cloned()
                            .unwrap_or_else(|| g.clone());
                        reg.intern(&field)
                    })
                    .collect()
            })
            .collect();
        let value_field = def.value_field.as_ref().map(|f| reg.intern(f));
        CompiledCorrelation {
            info: Arc::new(RuleInfo {
                novelty: def.ctype == CorrType::FirstSeen,
                ..def.meta.info(true)
            }),
            def,
            bases,
            group_fields,
            value_field,
        }
    }
}

/// One base-rule match remembered for correlation.
#[derive(Debug, Clone)]
struct Hit {
    base: u16,
    time: i64,
    /// Hash of the `value_count` field's value (only distinctness matters).
    value: Option<u64>,
    /// The value itself, kept only for first_seen (it is remembered).
    value_text: Option<Box<str>>,
    facts: Arc<Packed>,
    file: Arc<str>,
    record: u64,
}

/// The matches of one correlation for one group-by value.
#[derive(Debug)]
struct Group {
    key: Arc<[String]>,
    hits: Vec<Hit>,
    /// Compact again when `hits` reaches this length (value_count and
    /// first_seen only).
    next_compact: usize,
}

/// Smallest group that is worth compacting.
const COMPACT_MIN: usize = 64;

impl Group {
    /// Compact, put in time order and count an event seen twice (e.g. in a
    /// delivery file and an EventBridge copy, or a retried batch) once.
    /// The same compaction for every group, however the matches were
    /// split over workers, so output is independent of thread count.
    fn prepare(&mut self, corr: &CompiledCorrelation) {
        if matches!(corr.def.ctype, CorrType::ValueCount | CorrType::FirstSeen) {
            self.compact(corr.def.timespan_ms);
        }
        self.hits
            .sort_by(|a, b| (a.time, &a.file, a.record).cmp(&(b.time, &b.file, b.record)));
        let mut seen = std::collections::HashSet::new();
        self.hits.retain(|h| match h.facts.event_id() {
            Some(id) => seen.insert((h.base, hash_str(id))),
            None => true,
        });
    }

    /// Drop matches that cannot change a value_count or first_seen result,
    /// so a broad base rule (every call made with instance credentials,
    /// every control-plane write) costs memory per distinct value and time
    /// span, not per event.
    ///
    /// Time is cut into buckets of half the correlation's timespan; of the
    /// matches of one value in one bucket only the earliest and the latest
    /// are kept. Both correlation types only ask, per value, whether some
    /// match falls in a window of length `span` (value_count) or whether
    /// consecutive matches are more than `span` apart (first_seen). A
    /// dropped match lies between the two kept ones, less than `span / 2`
    /// apart, so every window holding it holds one of them and no gap
    /// longer than `span` appears or vanishes. Keeping "earliest and latest
    /// per bucket" is the same whichever worker saw which match and however
    /// often it ran, so results do not depend on the thread count.
    fn compact(&mut self, span: i64) {
        let width = (span / 2).max(1);
        let order = |h: &Hit| (h.value, h.time.div_euclid(width));
        self.hits.sort_by(|a, b| {
            (order(a), a.time, &a.file, a.record).cmp(&(order(b), b.time, &b.file, b.record))
        });
        let hits = std::mem::take(&mut self.hits);
        let mut kept: Vec<Hit> = Vec::with_capacity(hits.len() / 2 + 2);
        let mut it = hits.into_iter().peekable();
        while let Some(h) = it.next() {
            let first_of_run = kept.last().is_none_or(|k| order(k) != order(&h));
            let last_of_run = it.peek().is_none_or(|nx| order(nx) != order(&h));
            if first_of_run || last_of_run {
                kept.push(h);
            }
        }
        self.hits = kept;
        self.next_compact = (self.hits.len() * 2).max(COMPACT_MIN);
    }
}

/// The facts of a remembered match, packed into one allocation: a base rule
/// may match a large share of all events, and triage needs only a few
/// short fields of each ([`PACKED_FIELDS`]).
#[derive(Debug)]
struct Packed {
    kind: Option<warden_core::LogKind>,
    time: Option<warden_core::Timestamp>,
    /// The fields of [`PACKED_FIELDS`] order, separated by NUL; empty = absent.
    text: Box<str>,
}

use warden_core::Accessor as A;

const PACKED_FIELDS: [A; 12] = [
    A::EventId,
    A::EventName,
    A::Account,
    A::Region,
    A::PrincipalArn,
    A::PrincipalType,
    A::AccessKeyId,
    A::UserName,
    A::SourceIp,
    A::S3Bucket,
    A::S3Key,
    A::ResourceId,
];

impl Packed {
    fn from_view(v: &EventView<'_>) -> Packed {
        let mut text = String::with_capacity(160);
        for (i, a) in PACKED_FIELDS.iter().enumerate() {
            if i > 0 {
                text.push('\0');
            }
            if let Some(t) = v.accessor(*a) {
                // NUL cannot appear in these fields' meaning; drop it if a
                // hostile log puts one there.
                text.extend(t.chars().filter(|c| *c != '\0'));
            }
        }
        Packed {
            kind: Some(v.kind),
            time: v.time(),
            text: text.into_boxed_str(),
        }
    }

    fn unpack(&self) -> EventFacts {
        let mut parts = self
            .text
            .split('\0')
            .map(|p| (!p.is_empty()).then(|| p.to_string()));
        let mut next = || parts.next().flatten();
        EventFacts {
            kind: self.kind,
            time: self.time,
            event_id: next(),
            event_name: next(),
            account: next(),
            region: next(),
            principal: next(),
            principal_type: next(),
            access_key_id: next(),
            user_name: next(),
            source_ip: next(),
            s3_bucket: next(),
            s3_key: next(),
            resource_id: next(),
            ..EventFacts::default()
        }
    }

    fn event_id(&self) -> Option<&str> {
        self.text.split('\0').next().filter(|s| !s.is_empty())
    }
}

/// Base-rule matches collected by one worker.
///
/// Memory grows with the number of base-rule matches (not events); each
/// keeps a packed copy of the few short fields triage needs (id, time,
/// name, account, region, principal, key, address, bucket/key, resource).
#[derive(Debug, Default)]
pub struct CorrelationState {
    /// By (correlation, hash of the group-by values).
    groups: HashMap<(u32, u64), Group>,
    hits: usize,
    /// Matches without a usable timestamp (cannot be placed in a window).
    pub untimed: u64,
}

/// Most events attached to one correlation alert as evidence.
pub const MAX_RELATED: usize = 100;

fn hash_str(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

impl CorrelationState {
    pub(crate) fn record(
        &mut self,
        corrs: &[CompiledCorrelation],
        refs: &[(u32, u16)],
        ev: &EventView<'_>,
        file: &Arc<str>,
        record: u64,
    ) {
        let Some(time) = ev.time() else {
            self.untimed += 1;
            return;
        };
        let facts = Arc::new(Packed::from_view(ev));
        for &(c, base) in refs {
            let corr = &corrs[c as usize];
            let text = |id: FieldId| ev.get(id).and_then(|v| v.text()).map(|t| t.into_owned());
            let fields = &corr.group_fields[base as usize];
            let gh = {
                use std::hash::{Hash, Hasher};
                let mut h = std::collections::hash_map::DefaultHasher::new();
                for f in fields {
                    ev.get(*f)
                        .and_then(|v| v.text())
                        .unwrap_or_default()
                        .hash(&mut h);
                }
                h.finish()
            };
            let value_text = corr.value_field.and_then(text);
            let value = value_text.as_deref().map(hash_str);
            let value_text = value_text
                .filter(|_| corr.def.ctype == CorrType::FirstSeen)
                .map(String::into_boxed_str);
            let group = self.groups.entry((c, gh)).or_insert_with(|| Group {
                key: fields
                    .iter()
                    .map(|f| text(*f).unwrap_or_default())
                    .collect::<Vec<_>>()
                    .into(),
                // Most groups of a broad base rule hold one match (a session
                // key seen once); Vec's default first growth to four would
                // triple their memory.
                hits: Vec::with_capacity(1),
                next_compact: COMPACT_MIN,
            });
            group.hits.push(Hit {
                base,
                time: time.0,
                value,
                value_text,
                facts: facts.clone(),
                file: file.clone(),
                record,
            });
            self.hits += 1;
            if matches!(corr.def.ctype, CorrType::ValueCount | CorrType::FirstSeen)
                && group.hits.len() >= group.next_compact
            {
                let before = group.hits.len();
                group.compact(corr.def.timespan_ms);
                self.hits -= before - group.hits.len();
            }
        }
    }

    pub fn merge(&mut self, other: CorrelationState) {
        for (k, g) in other.groups {
            match self.groups.get_mut(&k) {
                Some(mine) => {
                    mine.hits.extend(g.hits);
                    mine.next_compact = mine.next_compact.max(mine.hits.len());
                }
                None => {
                    self.groups.insert(k, g);
                }
            }
        }
        self.hits += other.hits;
        self.untimed += other.untimed;
    }

    /// Base-rule matches held.
    pub fn len(&self) -> usize {
        self.hits
    }

    pub fn is_empty(&self) -> bool {
        self.hits == 0
    }

    /// Evaluate every correlation over the collected matches; first_seen
    /// rules consult and update `history`.
    pub fn finish(self, corrs: &[CompiledCorrelation], history: &mut History) -> Vec<Alert> {
        let mut groups: Vec<((u32, u64), Group)> = self.groups.into_iter().collect();
        groups.sort_by(|a, b| (a.0 .0, &a.1.key).cmp(&(b.0 .0, &b.1.key)));
        let mut alerts = Vec::new();
        let mut latest: HashMap<String, i64> = HashMap::new();
        for ((c, _), g) in &groups {
            if let Some(t) = g.hits.iter().map(|h| h.time).max() {
                let e = latest
                    .entry(corrs[*c as usize].info.id.clone())
                    .or_insert(t);
                *e = (*e).max(t);
            }
        }
        for ((c, _), mut g) in groups {
            let corr = &corrs[c as usize];
            g.prepare(corr);
            if corr.def.ctype == CorrType::FirstSeen {
                first_seen(corr, &g, history, &mut alerts);
                continue;
            }
            for window in evaluate(corr, &g.hits, None).0 {
                alerts.push(make_alert(corr, &g.hits[window.0..=window.1], &g.key));
            }
        }
        // Forget what no first-seen rule will look at again.
        let mut cutoff = std::collections::BTreeMap::new();
        for c in corrs.iter().filter(|c| c.def.ctype == CorrType::FirstSeen) {
            if let Some(latest) = latest.get(&c.info.id) {
                cutoff.insert(c.info.id.clone(), latest - c.def.timespan_ms);
            }
        }
        history.prune(&cutoff);
        alerts
    }
}

/// How far past the wall clock event times may move a live source's time.
const FUTURE_SKEW_MS: i64 = 60_000;
/// How long past the horizon a used event is remembered.
const USED_MEMORY_MS: i64 = 24 * 3_600_000;
/// Most used events remembered.
const USED_MAX: usize = 1_000_000;

fn upper_bound_only(corr: &CompiledCorrelation) -> bool {
    matches!(corr.def.ctype, CorrType::EventCount | CorrType::ValueCount)
        && corr
            .def
            .condition
            .iter()
            .all(|(op, _)| matches!(op, CmpOp::Lt | CmpOp::Lte))
}

/// Correlation across the batches of a live source (`warden run`, Lambda).
///
/// A batch-mode run sees all its input before judging; a live source
/// sees one S3 object or one EventBridge event at a time, and an attack
/// spreads over many (CloudTrail writes a file every few minutes per
/// account and region). Matches that have not fired are carried to the
/// next batch while they can still fall in a window: memory follows the
/// matches of the last `timespan + lateness`, not the stream.
///
/// A match is used once: a window that fired (or a "fewer than N" window
/// that was judged) gives up its matches, so a batch read twice (a retried
/// message) or a later batch never repeats an alert. First-seen rules keep
/// their state in [`History`] as in batch mode.
#[derive(Debug, Default)]
pub struct StreamingCorrelation {
    carried: HashMap<(u32, u64), Group>,
    /// Latest match time seen, per correlation (ms).
    watermark: HashMap<u32, i64>,
    /// Events whose matches were used, by (correlation, base rule, hash of
    /// the event id), with the event time: the same event read again (a
    /// retried message, a delivery file and its EventBridge copy) is not
    /// counted a second time. Forgotten with the carried matches.
    used: HashMap<(u32, u16, u64), i64>,
    /// Matches that arrived later than `lateness` allows (correlated only
    /// with their own batch), counted for the user.
    late: u64,
}

impl StreamingCorrelation {
    /// Add one batch's matches and return the alerts that fire now.
    /// `lateness_ms`: how late an event may arrive after later ones and
    /// still be correlated with them (CloudTrail delivers within minutes).
    pub fn advance(
        &mut self,
        batch: CorrelationState,
        corrs: &[CompiledCorrelation],
        history: &mut History,
        lateness_ms: i64,
    ) -> Vec<Alert> {
        // An event dated in the future (clock skew, a forged record) must
        // not move time on for good: the watermark stops at the wall
        // clock plus a little.
        let limit = warden_core::Timestamp::now()
            .0
            .saturating_add(FUTURE_SKEW_MS);
        let mut first_seen = CorrelationState {
            untimed: batch.untimed,
            ..CorrelationState::default()
        };
        // Older than any window still open can reach.
        let horizon = |w: &HashMap<u32, i64>, c: u32| {
            w.get(&c)
                .copied()
                .unwrap_or(i64::MIN)
                .saturating_sub(corrs[c as usize].def.timespan_ms)
                .saturating_sub(lateness_ms)
        };
        let mut touched: Vec<(u32, u64)> = Vec::new();
        for ((c, gh), mut g) in batch.groups {
            let corr = &corrs[c as usize];
            if let Some(t) = g.hits.iter().map(|h| h.time).max() {
                let t = t.min(limit);
                let w = self.watermark.entry(c).or_insert(t);
                *w = (*w).max(t);
            }
            if corr.def.ctype == CorrType::FirstSeen {
                first_seen.hits += g.hits.len();
                first_seen.groups.insert((c, gh), g);
                continue;
            }
            g.hits.retain(|h| match h.facts.event_id() {
                Some(id) => !self.used.contains_key(&(c, h.base, hash_str(id))),
                None => true,
            });
            if g.hits.is_empty() {
                continue;
            }
            let cut = horizon(&self.watermark, c);
            self.late += g.hits.iter().filter(|h| h.time < cut).count() as u64;
            touched.push((c, gh));
            match self.carried.get_mut(&(c, gh)) {
                Some(mine) => mine.hits.extend(g.hits),
                None => {
                    self.carried.insert((c, gh), g);
                }
            }
        }
        let mut alerts = first_seen.finish(corrs, history);
        // Groups with new matches, and every group of a "fewer than N"
        // correlation (time passing may close its windows).
        let mut keys: Vec<(u32, u64)> = self
            .carried
            .keys()
            .filter(|k| upper_bound_only(&corrs[k.0 as usize]))
            .copied()
            .chain(touched)
            .collect();
        keys.sort_by(|a, b| (a.0, &self.carried[a].key).cmp(&(b.0, &self.carried[b].key)));
        keys.dedup();
        for k in keys {
            let corr = &corrs[k.0 as usize];
            let now = self.watermark.get(&k.0).copied().unwrap_or(i64::MIN);
            let cut = horizon(&self.watermark, k.0);
            let g = self.carried.get_mut(&k).expect("key from the map");
            // Compaction drops matches its kept neighbours stand for; they
            // count as used too, or a retried batch would bring them back.
            let before: Vec<(u16, u64, i64)> = if corr.def.ctype == CorrType::ValueCount {
                g.hits
                    .iter()
                    .filter_map(|h| Some((h.base, hash_str(h.facts.event_id()?), h.time)))
                    .collect()
            } else {
                Vec::new()
            };
            g.prepare(corr);
            if !before.is_empty() {
                let kept: std::collections::HashSet<(u16, u64)> = g
                    .hits
                    .iter()
                    .filter_map(|h| Some((h.base, hash_str(h.facts.event_id()?))))
                    .collect();
                for (base, id, t) in before {
                    if !kept.contains(&(base, id)) {
                        self.used.insert((k.0, base, id), t);
                    }
                }
            }
            let (windows, consumed) =
                evaluate(corr, &g.hits, Some(now.saturating_sub(lateness_ms)));
            for (i, j) in windows {
                alerts.push(make_alert(corr, &g.hits[i..=j], &g.key));
            }
            let mut gone = vec![false; g.hits.len()];
            for (i, j) in consumed {
                for (n, h) in g.hits[i..=j].iter().enumerate() {
                    gone[i + n] = true;
                    if let Some(id) = h.facts.event_id() {
                        self.used.insert((k.0, h.base, hash_str(id)), h.time);
                    }
                }
            }
            // Used, or older than any window still open can reach.
            let mut n = 0;
            g.hits.retain(|h| {
                n += 1;
                !gone[n - 1] && h.time >= cut
            });
            g.next_compact = (g.hits.len() * 2).max(COMPACT_MIN);
        }
        // Groups nothing touched: their matches are in time order, so the
        // last one says whether any can still fall in a window.
        let w = &self.watermark;
        self.carried
            .retain(|k, g| g.hits.last().is_some_and(|h| h.time >= horizon(w, k.0)));
        // Used events are remembered a day past the horizon (a retry comes
        // within minutes), and at most USED_MAX of them.
        self.used
            .retain(|(c, _, _), t| *t >= horizon(w, *c).saturating_sub(USED_MEMORY_MS));
        if self.used.len() > USED_MAX {
            let mut times: Vec<i64> = self.used.values().copied().collect();
            let cut = times.len() - USED_MAX;
            let (_, t, _) = times.select_nth_unstable(cut);
            let t = *t;
            self.used.retain(|_, v| *v > t);
        }
        alerts
    }

    /// Matches so far that arrived later than `lateness` allows: they
    /// were correlated only with the events of their own batch.
    pub fn late(&self) -> u64 {
        self.late
    }

    /// Matches carried to the next batch.
    pub fn len(&self) -> usize {
        self.carried.values().map(|g| g.hits.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.carried.is_empty()
    }
}

/// Walk one entity's matches in time order against its history.
fn first_seen(
    corr: &CompiledCorrelation,
    g: &Group,
    history: &mut History,
    alerts: &mut Vec<Alert>,
) {
    let rule = &corr.info.id;
    let entity = g.key.join("|");
    let field = corr.def.value_field.clone().unwrap_or_default();
    for (i, h) in g.hits.iter().enumerate() {
        let Some(v) = h.value_text.as_deref().filter(|v| !v.is_empty()) else {
            continue;
        };
        let known = history.entity(rule, &entity).map(|e| e.first);
        let e = history.entity_or_new(rule, &entity, h.time);
        e.first = e.first.min(h.time);
        let last = e.values.get(v).copied();
        let is_new = last.is_none_or(|l| h.time - l > corr.def.timespan_ms);
        let established = known.is_some_and(|first| h.time - first >= corr.def.learning_ms);
        if is_new && established {
            let mut a = make_alert(corr, &g.hits[i..=i], &g.key);
            a.group.push((format!("new {field}"), v.to_string()));
            alerts.push(a);
        }
        let slot = e.values.entry(v.to_string()).or_insert(h.time);
        *slot = (*slot).max(h.time);
    }
}

fn count_ok(cond: &[(CmpOp, u64)], n: u64) -> bool {
    cond.iter().all(|(op, v)| op.test(n, *v))
}

/// First and last index into a group's matches.
type Window = (usize, usize);

/// Windows (first, last index into `hits`) where the correlation fires,
/// and the windows whose matches are used up: those that fired, and for
/// "fewer than N" every window judged (it can never be judged again).
///
/// `open_after`: matches still arriving (a live source). A "fewer than N"
/// window that starts at `t` is only judged once `t + timespan` is before
/// this time; `None` judges every window (the input is complete).
fn evaluate(
    corr: &CompiledCorrelation,
    hits: &[Hit],
    open_after: Option<i64>,
) -> (Vec<Window>, Vec<Window>) {
    let span = corr.def.timespan_ms;
    let cond = &corr.def.condition;
    let nbases = corr.bases.len();
    let mut out = Vec::new();
    let upper_bound_only = cond
        .iter()
        .all(|(op, _)| matches!(op, CmpOp::Lt | CmpOp::Lte));
    match corr.def.ctype {
        CorrType::EventCount | CorrType::ValueCount if upper_bound_only => {
            // "fewer than N": judge whole windows anchored at their first event.
            let mut judged = Vec::new();
            let mut i = 0;
            while i < hits.len() {
                if open_after.is_some_and(|t| hits[i].time.saturating_add(span) >= t) {
                    break;
                }
                let mut j = i;
                while j + 1 < hits.len() && hits[j + 1].time - hits[i].time <= span {
                    j += 1;
                }
                let n = measure(corr, &hits[i..=j]);
                if count_ok(cond, n) {
                    out.push((i, j));
                }
                judged.push((i, j));
                i = j + 1;
            }
            return (out, judged);
        }
        CorrType::EventCount | CorrType::ValueCount => {
            let mut i = 0;
            let mut distinct: HashMap<u64, u32> = HashMap::new();
            let mut j = 0;
            while j < hits.len() {
                if let Some(v) = hits[j].value {
                    *distinct.entry(v).or_default() += 1;
                }
                while hits[j].time - hits[i].time > span {
                    if let Some(v) = hits[i].value {
                        if let Some(c) = distinct.get_mut(&v) {
                            *c -= 1;
                            if *c == 0 {
                                distinct.remove(&v);
                            }
                        }
                    }
                    i += 1;
                }
                let n = if corr.def.ctype == CorrType::EventCount {
                    (j - i + 1) as u64
                } else {
                    distinct.len() as u64
                };
                if count_ok(cond, n) {
                    out.push((i, j));
                    distinct.clear();
                    i = j + 1;
                }
                j += 1;
            }
        }
        CorrType::Temporal => {
            let mut counts = vec![0u32; nbases];
            let mut i = 0;
            for j in 0..hits.len() {
                counts[hits[j].base as usize] += 1;
                while hits[j].time - hits[i].time > span {
                    counts[hits[i].base as usize] -= 1;
                    i += 1;
                }
                let present = counts.iter().filter(|c| **c > 0).count() as u64;
                let ok = if cond.is_empty() {
                    present == nbases as u64
                } else {
                    count_ok(cond, present)
                };
                if ok {
                    out.push((i, j));
                    counts.iter_mut().for_each(|c| *c = 0);
                    i = j + 1;
                }
            }
        }
        // Evaluated against history by `first_seen`.
        CorrType::FirstSeen => {}
        CorrType::TemporalOrdered => {
            let mut start = 0;
            while start < hits.len() {
                let Some(i) = (start..hits.len()).find(|&k| hits[k].base == 0) else {
                    break;
                };
                let mut want = 1usize;
                let mut end = None;
                if nbases == 1 {
                    end = Some(i);
                }
                for (k, h) in hits.iter().enumerate().skip(i + 1) {
                    if h.time - hits[i].time > span || end.is_some() {
                        break;
                    }
                    if h.base as usize == want {
                        want += 1;
                        if want == nbases {
                            end = Some(k);
                        }
                    }
                }
                match end {
                    Some(e) => {
                        out.push((i, e));
                        start = e + 1;
                    }
                    None => start = i + 1,
                }
            }
        }
    }
    let consumed = out.clone();
    (out, consumed)
}

fn measure(corr: &CompiledCorrelation, hits: &[Hit]) -> u64 {
    match corr.def.ctype {
        CorrType::ValueCount => {
            let mut v: Vec<u64> = hits.iter().filter_map(|h| h.value).collect();
            v.sort_unstable();
            v.dedup();
            v.len() as u64
        }
        _ => hits.len() as u64,
    }
}

fn make_alert(corr: &CompiledCorrelation, window: &[Hit], group: &[String]) -> Alert {
    let last = window.last().expect("windows are never empty");
    let mut related: Vec<EventFacts> = window.iter().map(|h| h.facts.unpack()).collect();
    related.dedup_by(|a, b| a.event_id.is_some() && a.event_id == b.event_id);
    related.truncate(MAX_RELATED);
    Alert {
        rule: corr.info.clone(),
        event: last.facts.unpack(),
        file: last.file.clone(),
        record: last.record,
        related,
        group: corr
            .def
            .group_by
            .iter()
            .cloned()
            .zip(group.iter().cloned())
            .collect(),
        raw: None,
        repeats: 0,
    }
}
