//! `warden rules test`: run each rule against the example events kept
//! beside it (`foo.examples.yml` next to `foo.yml`) and check expectations.
//!
//! An examples file has two lists: `match` (each entry must raise the rule)
//! and `no_match` (near misses that must not). An entry is one event, or
//! `{events: [...]}` for a sequence fed in order (correlation rules).

use std::io::Cursor;
use std::sync::Arc;

use serde_yaml::Value as Y;
use warden_core::{Alert, EventView};
use warden_ingest::{DecodeOptions, Decoder, IngestError, RecordPos, Sink};

use crate::engine::{Detector, Engine};
use crate::load::{documents, RuleFile};

/// Outcome of one example.
#[derive(Debug, Clone)]
pub struct CaseResult {
    pub rule_id: String,
    pub rule_title: String,
    pub source: String,
    /// `match #1`, `no_match #2`.
    pub case: String,
    pub passed: bool,
    pub detail: String,
}

/// Outcome of a whole `rules test` run.
#[derive(Debug, Default)]
pub struct TestReport {
    pub cases: Vec<CaseResult>,
    /// Rules without an examples file, or with an empty list.
    pub untested: Vec<String>,
    /// Examples files that could not be read.
    pub errors: Vec<String>,
}

impl TestReport {
    pub fn passed(&self) -> usize {
        self.cases.iter().filter(|c| c.passed).count()
    }
    pub fn failed(&self) -> usize {
        self.cases.len() - self.passed()
    }
}

struct Run<'e, 'd> {
    detector: &'d mut Detector<'e>,
    alerts: Vec<Alert>,
    errors: Vec<IngestError>,
    file: Arc<str>,
}

impl Sink for Run<'_, '_> {
    fn event(&mut self, ev: &EventView<'_>, pos: RecordPos) {
        let file = self.file.clone();
        self.detector
            .on_event(ev, &file, pos.record, &mut self.alerts);
    }
    fn error(&mut self, e: IngestError) {
        self.errors.push(e);
    }
}

/// Alerts `engine` raises for `events` (JSON texts), base rules included.
pub fn alerts_for(engine: &Engine, events: &[String]) -> Result<Vec<Alert>, String> {
    let (mut alerts, state) = matches_for(engine, events)?;
    alerts.extend(engine.finish(state, &mut crate::history::History::in_memory()));
    Ok(alerts)
}

/// The base-rule alerts for `events`, and the correlation matches not yet
/// judged (for a [`crate::correlate::StreamingCorrelation`]).
pub fn matches_for(
    engine: &Engine,
    events: &[String],
) -> Result<(Vec<Alert>, crate::correlate::CorrelationState), String> {
    let mut detector = Detector::new(engine);
    detector.emit_all = true;
    let mut decoder = Decoder::new(&engine.registry, &engine.std, DecodeOptions::default());
    let joined = events.join("\n");
    let mut run = Run {
        detector: &mut detector,
        alerts: Vec::new(),
        errors: Vec::new(),
        file: Arc::from("example"),
    };
    decoder.decode(
        &mut Cursor::new(joined.into_bytes()),
        &Arc::from("example"),
        &mut run,
    );
    if let Some(e) = run.errors.first() {
        return Err(format!("example is not a valid event: {e}"));
    }
    let alerts = std::mem::take(&mut run.alerts);
    Ok((alerts, std::mem::take(&mut detector.correlation)))
}

fn entry_events(entry: &Y) -> Result<Vec<String>, String> {
    let as_json =
        |v: &Y| serde_json::to_string(v).map_err(|e| format!("cannot turn example into JSON: {e}"));
    match entry {
        Y::Mapping(m) if m.len() == 1 && m.contains_key(Y::String("events".into())) => {
            match m.get(Y::String("events".into())) {
                Some(Y::Sequence(xs)) => xs.iter().map(as_json).collect(),
                _ => Err("'events' must be a list of events".into()),
            }
        }
        Y::Mapping(_) => Ok(vec![as_json(entry)?]),
        _ => Err("each example must be an event object or {events: [...]}".into()),
    }
}

/// Test every rule in `files` that has examples, using `engine` (built from
/// the same files, so correlations find their base rules).
pub fn test_rules(engine: &Engine, files: &[RuleFile]) -> TestReport {
    let mut report = TestReport::default();
    for f in files {
        let ids: Vec<(String, String)> = documents(&f.text)
            .unwrap_or_default()
            .iter()
            .filter_map(|d| {
                let id = d.get(Y::String("id".into()))?.as_str()?.to_string();
                let title = d.get(Y::String("title".into()))?.as_str()?.to_string();
                Some((id, title))
            })
            .collect();
        let Some((ex_source, ex_text)) = &f.examples else {
            for (id, title) in &ids {
                report
                    .untested
                    .push(format!("{} ({title}, {id}): no examples file", f.source));
            }
            continue;
        };
        let Some((id, title)) = ids.first().cloned() else {
            continue;
        };
        let loaded = engine.rules.iter().any(|r| r.meta.id == id)
            || engine.correlations.iter().any(|c| c.def.meta.id == id);
        if !loaded {
            report.errors.push(format!(
                "{}: rule {id} did not load, so its examples cannot run",
                f.source
            ));
            continue;
        }
        let doc = match serde_yaml::from_str::<Y>(ex_text) {
            Ok(Y::Mapping(m)) => m,
            Ok(_) => {
                report.errors.push(format!(
                    "{ex_source}: must be a mapping with 'match' and 'no_match' lists"
                ));
                continue;
            }
            Err(e) => {
                report
                    .errors
                    .push(format!("{ex_source}: invalid YAML: {e}"));
                continue;
            }
        };
        let mut count = 0;
        for (key, expect) in [("match", true), ("no_match", false)] {
            let list = match doc.get(Y::String(key.into())) {
                Some(Y::Sequence(xs)) => xs.clone(),
                None | Some(Y::Null) => Vec::new(),
                Some(_) => {
                    report
                        .errors
                        .push(format!("{ex_source}: '{key}' must be a list"));
                    continue;
                }
            };
            for (i, entry) in list.iter().enumerate() {
                count += 1;
                let case = format!("{key} #{}", i + 1);
                let (passed, detail) = match entry_events(entry)
                    .and_then(|evs| alerts_for(engine, &evs))
                {
                    Ok(alerts) => {
                        let hit = alerts.iter().any(|a| a.rule.id == id);
                        let detail = match (expect, hit) {
                            (true, false) => "expected the rule to match, it did not".to_string(),
                            (false, true) => {
                                "expected no match (near miss), but the rule matched".to_string()
                            }
                            _ => String::new(),
                        };
                        (hit == expect, detail)
                    }
                    Err(e) => (false, e),
                };
                report.cases.push(CaseResult {
                    rule_id: id.clone(),
                    rule_title: title.clone(),
                    source: ex_source.clone(),
                    case,
                    passed,
                    detail,
                });
            }
        }
        if count == 0 {
            report.untested.push(format!(
                "{} ({title}): examples file has no cases",
                f.source
            ));
        }
    }
    report
}
