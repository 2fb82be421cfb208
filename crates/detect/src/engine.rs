//! The rule engine: dispatch tables, per-event evaluation, alert creation.
//!
//! Each log kind has its own table. Rules whose condition pins a field to a
//! set of exact values (almost every cloud rule pins `eventName`) are indexed
//! by those values; an event meets only the rules filed under its own
//! `eventName` (or `eventType`, `type`, `operation`, `eventSource`), plus the
//! few rules that could match anything.

use std::collections::HashMap;
use std::sync::Arc;

use warden_core::{Alert, EventFacts, EventView, FieldId, FieldRegistry, LogKind, StdFields};

use crate::correlate::{CompiledCorrelation, CorrelationState};
use crate::rule::{kind_bit, CompiledRule};

#[derive(Debug, Default, Clone)]
struct KindTable {
    keyed: Vec<(FieldId, HashMap<String, Vec<u32>>)>,
    always: Vec<u32>,
}

/// Compiled rules ready to evaluate. Shared read-only by all workers.
#[derive(Debug)]
pub struct Engine {
    pub rules: Vec<CompiledRule>,
    pub correlations: Vec<CompiledCorrelation>,
    /// Per rule: whether a match is reported on its own (false for base rules
    /// of correlations that don't `generate`).
    emit: Vec<bool>,
    /// Per rule: (correlation, position in its `rules:`) that use it.
    corr_refs: Vec<Vec<(u32, u16)>>,
    tables: Vec<KindTable>,
    pub registry: Arc<FieldRegistry>,
    pub std: Arc<StdFields>,
}

/// Fields preferred as dispatch keys, most selective first.
const DISPATCH_PREFERENCE: &[&str] =
    &["eventName", "eventType", "type", "operation", "eventSource"];

impl Engine {
    pub fn new(
        rules: Vec<CompiledRule>,
        correlations: Vec<CompiledCorrelation>,
        registry: FieldRegistry,
        std: StdFields,
    ) -> Engine {
        let mut corr_refs = vec![Vec::new(); rules.len()];
        let mut emit = vec![true; rules.len()];
        let mut generated = vec![false; rules.len()];
        for (ci, c) in correlations.iter().enumerate() {
            for (pos, &r) in c.bases.iter().enumerate() {
                corr_refs[r].push((ci as u32, pos as u16));
                emit[r] = false;
                generated[r] |= c.def.generate;
            }
        }
        for (e, g) in emit.iter_mut().zip(&generated) {
            *e |= *g;
        }
        let prefer: Vec<FieldId> = DISPATCH_PREFERENCE
            .iter()
            .filter_map(|p| registry.get(p))
            .collect();
        let mut tables = vec![KindTable::default(); LogKind::ALL.len()];
        for (ri, rule) in rules.iter().enumerate() {
            let key = rule.expr.required(&prefer);
            for kind in LogKind::ALL {
                if rule.kinds & kind_bit(kind) == 0 {
                    continue;
                }
                let t = &mut tables[kind.index()];
                match &key {
                    Some((field, values)) => {
                        let slot = match t.keyed.iter().position(|(f, _)| f == field) {
                            Some(p) => p,
                            None => {
                                t.keyed.push((*field, HashMap::new()));
                                t.keyed.len() - 1
                            }
                        };
                        let map = &mut t.keyed[slot].1;
                        let mut vals: Vec<String> =
                            values.iter().map(|v| v.to_lowercase()).collect();
                        vals.sort();
                        vals.dedup();
                        for v in vals {
                            map.entry(v).or_default().push(ri as u32);
                        }
                    }
                    None => t.always.push(ri as u32),
                }
            }
        }
        Engine {
            rules,
            correlations,
            emit,
            corr_refs,
            tables,
            registry: Arc::new(registry),
            std: Arc::new(std),
        }
    }

    /// Indices of rules matching `ev`, ascending, into `out`.
    #[inline]
    pub fn matches(&self, ev: &EventView<'_>, scratch: &mut String, out: &mut Vec<u32>) {
        out.clear();
        let t = &self.tables[ev.kind.index()];
        for (field, map) in &t.keyed {
            for v in ev.values(*field) {
                let Some(text) = v.text() else { continue };
                scratch.clear();
                if text.is_ascii() {
                    scratch.push_str(&text);
                    scratch.make_ascii_lowercase();
                } else {
                    scratch.push_str(&text.to_lowercase());
                }
                if let Some(rules) = map.get(scratch.as_str()) {
                    for &r in rules {
                        if self.rules[r as usize].expr.eval(ev) {
                            out.push(r);
                        }
                    }
                }
            }
        }
        for &r in &t.always {
            if self.rules[r as usize].expr.eval(ev) {
                out.push(r);
            }
        }
        if out.len() > 1 {
            out.sort_unstable();
            out.dedup();
        }
    }

    /// How many rules an event of `kind` could meet at most without dispatch,
    /// and how many are indexed (for `rules list --stats`).
    pub fn dispatch_stats(&self, kind: LogKind) -> (usize, usize) {
        let t = &self.tables[kind.index()];
        let keyed: usize = t
            .keyed
            .iter()
            .map(|(_, m)| m.values().map(Vec::len).sum::<usize>())
            .sum();
        (keyed, t.always.len())
    }

    pub fn emits(&self, rule: usize) -> bool {
        self.emit[rule]
    }

    /// Turn collected correlation state into alerts; first-seen rules read
    /// and update `history`.
    pub fn finish(
        &self,
        state: CorrelationState,
        history: &mut crate::history::History,
    ) -> Vec<Alert> {
        state.finish(&self.correlations, history)
    }

    /// One batch of a live source: alerts that fire now, with matches
    /// carried in `stream` (see [`crate::correlate::StreamingCorrelation`]).
    pub fn advance(
        &self,
        stream: &mut crate::correlate::StreamingCorrelation,
        state: CorrelationState,
        history: &mut crate::history::History,
        lateness_ms: i64,
    ) -> Vec<Alert> {
        stream.advance(state, &self.correlations, history, lateness_ms)
    }
}

/// Per-worker evaluation state: turns events into alerts and remembers
/// matches that correlations need.
pub struct Detector<'e> {
    engine: &'e Engine,
    scratch: String,
    hits: Vec<u32>,
    pub correlation: CorrelationState,
    /// Report base rules of correlations on their own too (for rule tests).
    pub emit_all: bool,
    /// Keep the matched event's raw JSON in alerts.
    pub keep_raw: bool,
}

impl<'e> Detector<'e> {
    pub fn new(engine: &'e Engine) -> Detector<'e> {
        Detector {
            engine,
            scratch: String::new(),
            hits: Vec::new(),
            correlation: CorrelationState::default(),
            emit_all: false,
            keep_raw: false,
        }
    }

    /// Evaluate one event; append alerts to `out`. Returns the number of
    /// rules that matched.
    #[inline]
    pub fn on_event(
        &mut self,
        ev: &EventView<'_>,
        file: &Arc<str>,
        record: u64,
        out: &mut Vec<Alert>,
    ) -> usize {
        self.engine.matches(ev, &mut self.scratch, &mut self.hits);
        if self.hits.is_empty() {
            return 0;
        }
        let mut facts: Option<EventFacts> = None;
        let raw: Option<Arc<str>> = self.keep_raw.then(|| Arc::from(ev.raw));
        for &r in &self.hits {
            let r = r as usize;
            if self.emit_all || self.engine.emit[r] {
                let f = facts
                    .get_or_insert_with(|| EventFacts::from_view(ev))
                    .clone();
                out.push(Alert {
                    rule: self.engine.rules[r].info.clone(),
                    event: f,
                    file: file.clone(),
                    record,
                    related: Vec::new(),
                    group: Vec::new(),
                    raw: raw.clone(),
                    repeats: 0,
                });
            }
            let refs = &self.engine.corr_refs[r];
            if !refs.is_empty() {
                self.correlation
                    .record(&self.engine.correlations, refs, ev, file, record);
            }
        }
        self.hits.len()
    }
}
