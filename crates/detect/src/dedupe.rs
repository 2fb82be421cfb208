//! Noise control: identical alerts within a window become one.
//!
//! A rule that fires on every `AccessDenied` of a misconfigured job, or on
//! each of 400 `DeleteObject` calls, tells the analyst one thing 400 times.
//! Alerts are identical when the same rule fired for the same actor doing
//! the same thing to the same target: rule, principal (or user), source
//! address, account, event name, error code, bucket and finding resource.
//! The first alert of a key is kept; later ones within the window after it
//! are folded into it and counted in [`Alert::repeats`] when the caller can
//! still update it (triage, JSON output), or only counted when it already
//! went out (streamed NDJSON). A repeat after the window starts a new alert.
//!
//! The same event delivered twice (an S3 delivery file and its EventBridge
//! copy) raises the same rule twice with the same event id: the copy is
//! dropped without counting as a repeat.
//!
//! Correlation alerts are never folded: each one already stands for many
//! events. Memory is bounded: keys older than the window behind the newest
//! alert seen are pruned.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use warden_core::Alert;

/// Keys held before stale ones are pruned.
const PRUNE_AT: usize = 65_536;

/// Window deduplication state for one run.
#[derive(Debug)]
pub struct Deduper {
    window_ms: i64,
    /// key → (time of the kept alert, its index in the caller's list if known).
    open: HashMap<u64, (i64, Option<usize>)>,
    /// (rule, event id) → event time, to drop second deliveries of an event.
    events: HashMap<u64, i64>,
    newest: i64,
    /// Alerts folded so far.
    pub folded: u64,
}

fn key(a: &Alert) -> u64 {
    let e = &a.event;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    a.rule.id.hash(&mut h);
    e.who().hash(&mut h);
    e.source_ip.hash(&mut h);
    e.account.hash(&mut h);
    e.event_name.hash(&mut h);
    e.event_type.hash(&mut h);
    e.error_code.hash(&mut h);
    e.s3_bucket.hash(&mut h);
    e.resource_id.hash(&mut h);
    e.model_id.hash(&mut h);
    h.finish()
}

impl Deduper {
    /// `window_ms` 0 disables folding.
    pub fn new(window_ms: i64) -> Deduper {
        Deduper {
            window_ms,
            open: HashMap::new(),
            events: HashMap::new(),
            newest: i64::MIN,
            folded: 0,
        }
    }

    pub fn enabled(&self) -> bool {
        self.window_ms > 0
    }

    /// Decide on one alert: `None` keeps it (remember it as `index`, if the
    /// caller keeps a list); `Some(i)` folds it into the kept alert at `i`
    /// (or `Some(usize::MAX)` when that alert was already written out).
    fn offer(&mut self, a: &Alert, index: Option<usize>) -> Option<usize> {
        if !self.enabled() || a.rule.correlation {
            return None;
        }
        let t = a.event.time.map(|t| t.0).unwrap_or(0);
        self.newest = self.newest.max(t);
        if self.open.len() >= PRUNE_AT || self.events.len() >= PRUNE_AT {
            let horizon = self.newest.saturating_sub(self.window_ms);
            self.open.retain(|_, (first, _)| *first >= horizon);
            self.events.retain(|_, seen| *seen >= horizon);
        }
        if let Some(id) = &a.event.event_id {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            a.rule.id.hash(&mut h);
            id.hash(&mut h);
            if self.events.insert(h.finish(), t).is_some() {
                self.folded += 1;
                return Some(usize::MAX);
            }
        }
        let k = key(a);
        match self.open.get(&k) {
            Some(&(first, kept)) if (t - first).abs() <= self.window_ms => {
                self.folded += 1;
                Some(kept.unwrap_or(usize::MAX))
            }
            _ => {
                self.open.insert(k, (t, index));
                None
            }
        }
    }

    /// Streaming use: drop from `batch` the alerts that repeat one already
    /// let through. Their count is kept in [`Deduper::folded`].
    pub fn filter_stream(&mut self, batch: &mut Vec<Alert>) {
        if !self.enabled() {
            return;
        }
        batch.retain(|a| self.offer(a, None).is_none());
    }

    /// Whole-run use: fold repeats into the alert kept for their key,
    /// counting them in its `repeats`. Alerts are taken in time order so the
    /// earliest of a burst is the one kept.
    pub fn fold(&mut self, mut alerts: Vec<Alert>) -> Vec<Alert> {
        if !self.enabled() {
            return alerts;
        }
        alerts.sort_by_key(|a| a.event.time.map(|t| t.0).unwrap_or(i64::MAX));
        let mut kept: Vec<Alert> = Vec::with_capacity(alerts.len());
        for a in alerts {
            match self.offer(&a, Some(kept.len())) {
                Some(i) if i < kept.len() => kept[i].repeats += 1 + a.repeats,
                Some(_) => {} // a second delivery of a kept event
                None => kept.push(a),
            }
        }
        kept
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use warden_core::{EventFacts, Level, RuleInfo, Timestamp};

    fn alert(rule: &str, who: &str, minute: i64, correlation: bool) -> Alert {
        Alert {
            rule: Arc::new(RuleInfo {
                id: rule.into(),
                name: None,
                title: rule.into(),
                level: Level::Medium,
                tags: vec![],
                description: String::new(),
                falsepositives: vec![],
                correlation,
                novelty: false,
            }),
            event: EventFacts {
                principal: Some(who.into()),
                time: Some(Timestamp(minute * 60_000)),
                event_name: Some("DeleteObject".into()),
                ..Default::default()
            },
            file: Arc::from("f"),
            record: minute as u64,
            related: vec![],
            group: vec![],
            raw: None,
            repeats: 0,
        }
    }

    #[test]
    fn repeats_within_the_window_fold_into_the_first() {
        let mut d = Deduper::new(60 * 60_000);
        let alerts = vec![
            alert("r", "alice", 30, false),
            alert("r", "alice", 0, false),
            alert("r", "bob", 10, false),
            alert("r", "alice", 59, false),
            alert("r", "alice", 61, false),
            alert("other", "alice", 1, false),
        ];
        let kept = d.fold(alerts);
        let summary: Vec<(String, String, u64, u32)> = kept
            .iter()
            .map(|a| {
                (
                    a.rule.id.clone(),
                    a.event.principal.clone().unwrap(),
                    a.event.time.unwrap().0 / 60_000,
                    a.repeats,
                )
            })
            .map(|(r, p, m, n)| (r, p, m as u64, n))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("r".into(), "alice".into(), 0, 2),
                ("other".into(), "alice".into(), 1, 0),
                ("r".into(), "bob".into(), 10, 0),
                ("r".into(), "alice".into(), 61, 0),
            ]
        );
        assert_eq!(d.folded, 2);
    }

    #[test]
    fn correlations_and_disabled_windows_are_untouched() {
        let mut d = Deduper::new(0);
        let kept = d.fold(vec![alert("r", "a", 0, false), alert("r", "a", 0, false)]);
        assert_eq!(kept.len(), 2);
        let mut d = Deduper::new(60_000);
        let mut batch = vec![
            alert("c", "a", 0, true),
            alert("c", "a", 0, true),
            alert("r", "a", 0, false),
            alert("r", "a", 0, false),
        ];
        d.filter_stream(&mut batch);
        assert_eq!(batch.len(), 3);
        assert_eq!(d.folded, 1);
    }

    #[test]
    fn state_stays_bounded_on_endless_distinct_alerts() {
        let mut d = Deduper::new(60_000);
        for i in 0..(PRUNE_AT as i64 * 3) {
            let mut batch = vec![alert("r", &format!("p{i}"), i, false)];
            d.filter_stream(&mut batch);
            assert_eq!(batch.len(), 1);
        }
        assert!(d.open.len() <= PRUNE_AT);
    }

    #[test]
    fn second_delivery_of_an_event_is_dropped_not_counted_as_repeat() {
        let mut d = Deduper::new(60_000);
        let mut a = alert("r", "a", 0, false);
        a.event.event_id = Some("e1".into());
        let kept = d.fold(vec![a.clone(), a.clone()]);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].repeats, 0);
        let mut b = a.clone();
        b.event.event_id = Some("e2".into());
        let kept = Deduper::new(60_000).fold(vec![a.clone(), b, a]);
        assert_eq!((kept.len(), kept[0].repeats), (1, 1));
    }
}
