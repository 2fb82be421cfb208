//! warden-triage: from alerts to incidents.
//!
//! Alerts are grouped by who acted — principal ARN, access key, or user —
//! within a time window (an alert joins an open incident when it shares any
//! of those keys and arrives within the window after the incident's last
//! alert). Correlation alerts join the same way and raise the threat level.
//! Everything here is deterministic: the same alerts give the same
//! incidents, ids, levels and words, whatever the thread count.

pub mod media;
mod narrative;

use std::collections::{BTreeSet, HashMap};

use warden_core::{Alert, Incident, LogKind, ReferenceTriage, ThreatLevel, Timestamp};

/// Grouping options.
#[derive(Debug, Clone, Copy)]
pub struct TriageOptions {
    /// An alert joins an incident when it is at most this long after the
    /// incident's last alert (milliseconds).
    pub window_ms: i64,
    /// Distinct ATT&CK tactics at which a multi-stage incident is raised.
    pub tactics_to_raise: usize,
}

impl Default for TriageOptions {
    fn default() -> Self {
        TriageOptions {
            window_ms: 2 * 3_600_000,
            tactics_to_raise: 3,
        }
    }
}

/// Most evidence event ids and alert records kept per incident.
pub const MAX_EVIDENCE: usize = 100;

/// Identity keys of an alert: the things that tie alerts to one actor.
fn keys(a: &Alert) -> Vec<String> {
    let e = &a.event;
    let mut k = Vec::new();
    let kind = e.kind.map(LogKind::as_str).unwrap_or("unknown");
    if let Some(p) = &e.principal {
        // ARNs name one AWS identity whichever AWS log mentions it
        // (CloudTrail, Bedrock invocation logs); other names are only
        // unique within their own system.
        if p.starts_with("arn:") {
            k.push(format!("p:{}", p.to_ascii_lowercase()));
        } else {
            k.push(format!("p:{kind}:{}", p.to_ascii_lowercase()));
        }
    }
    if let Some(ak) = &e.access_key_id {
        // Access keys are global: a GuardDuty finding about a key joins the
        // CloudTrail activity of that key.
        k.push(format!("k:{ak}"));
    }
    if let (Some(LogKind::GuardDuty), Some(r)) = (e.kind, &e.resource_id) {
        // Findings about one resource (instance, bucket, cluster) merge.
        k.push(format!("res:{r}"));
    }
    if e.principal.is_none() {
        if let Some(u) = &e.user_name {
            k.push(format!("u:{kind}:{}", u.to_ascii_lowercase()));
        }
    }
    if k.is_empty() {
        // Nobody to pin it on: group by rule and source address instead.
        k.push(format!(
            "r:{}:{}",
            a.rule.id,
            e.source_ip
                .as_deref()
                .or(e.s3_bucket.as_deref())
                .unwrap_or("-")
        ));
    }
    k
}

struct Open<T> {
    items: Vec<T>,
    last: i64,
}

/// Put alerts (carried in `T`) in time order, drop an event's second
/// copy, and group them by actor within the window.
fn assemble<T>(
    mut items: Vec<T>,
    alert: impl Fn(&T) -> &Alert,
    pin: impl Fn(&T) -> Option<&str>,
    opts: &TriageOptions,
) -> Vec<Vec<T>> {
    // Stable: of two equal alerts the one that came first is kept.
    items.sort_by(|x, y| {
        let (a, b) = (alert(x), alert(y));
        let ta = a.event.time.map(|t| t.0).unwrap_or(i64::MAX);
        let tb = b.event.time.map(|t| t.0).unwrap_or(i64::MAX);
        (ta, a.rule.correlation, &a.file, a.record, &a.rule.id).cmp(&(
            tb,
            b.rule.correlation,
            &b.file,
            b.record,
            &b.rule.id,
        ))
    });
    // The same event delivered twice (an S3 delivery file and an EventBridge
    // copy, or overlapping exports) is one alert, not two.
    let mut seen = std::collections::HashSet::new();
    items.retain(|x| {
        let a = alert(x);
        match (&a.event.event_id, a.rule.correlation) {
            (Some(id), false) => seen.insert((a.rule.id.clone(), id.clone())),
            _ => true,
        }
    });
    let mut groups: Vec<Open<T>> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for x in items {
        let a = alert(&x);
        let t = a.event.time.map(|t| t.0).unwrap_or(i64::MAX);
        let mut ks = keys(a);
        // An alert already stored under an incident stays with it (a live
        // source regrouping its open incidents must not split one).
        let pinned = pin(&x).map(|id| format!("inc:{id}"));
        let found = pinned
            .as_ref()
            .and_then(|k| index.get(k).copied())
            .or_else(|| {
                ks.iter()
                    .filter_map(|k| index.get(k).copied())
                    .filter(|&g| t == i64::MAX || t - groups[g].last <= opts.window_ms)
                    .max()
            });
        ks.extend(pinned);
        let g = match found {
            Some(g) => g,
            None => {
                groups.push(Open {
                    items: Vec::new(),
                    last: t,
                });
                groups.len() - 1
            }
        };
        if t != i64::MAX {
            groups[g].last = groups[g].last.max(t);
        }
        for k in ks {
            index.insert(k, g);
        }
        groups[g].items.push(x);
    }
    groups.into_iter().map(|g| g.items).collect()
}

fn most_severe_first(incidents: &mut [Incident]) {
    incidents.sort_by(|a, b| {
        b.threat_level
            .cmp(&a.threat_level)
            .then(a.first_seen.cmp(&b.first_seen))
            .then(a.id.cmp(&b.id))
    });
}

/// Group alerts into incidents, most severe first.
pub fn triage(alerts: Vec<Alert>, opts: &TriageOptions) -> Vec<Incident> {
    let mut incidents: Vec<Incident> = assemble(alerts, |a| a, |_| None, opts)
        .into_iter()
        .map(|g| build(g, opts))
        .collect();
    most_severe_first(&mut incidents);
    incidents
}

/// Incidents across the batches of a live source (`warden run`, Lambda).
///
/// Batch triage sees the whole input; a live source sees one log file or
/// one event at a time. Alerts of incidents that may still grow (their
/// last alert within the window, plus lateness, of the newest alert) are
/// kept, and each batch is grouped together with them. An incident keeps
/// the id it was first stored under while it grows, so the store updates
/// it in place and a notification is sent again only when its level rises
/// (notifications are deduplicated by incident id and level).
pub struct LiveTriage {
    opts: TriageOptions,
    lateness_ms: i64,
    /// Alerts of open incidents, with the incident id they were stored under.
    open: Vec<(Alert, String)>,
    /// Incidents the caller could not store (see [`LiveTriage::unsaved`]),
    /// and whether they were new: given out again with the next batch.
    unsaved: HashMap<String, bool>,
    /// Newest alert time seen (ms), never past the wall clock.
    latest: i64,
}

/// Most alerts kept for open incidents; the oldest go first.
pub const MAX_OPEN_ALERTS: usize = 50_000;

impl LiveTriage {
    pub fn new(opts: TriageOptions, lateness_ms: i64) -> LiveTriage {
        LiveTriage {
            opts,
            lateness_ms,
            open: Vec::new(),
            unsaved: HashMap::new(),
            latest: i64::MIN,
        }
    }

    /// The caller could not store these incidents (the store was busy or
    /// full): the next batch gives them out again, with all their alerts,
    /// even when it adds nothing to them (a retried message's alerts are
    /// duplicates of those kept here).
    pub fn unsaved<'a>(&mut self, incidents: impl IntoIterator<Item = (&'a Incident, bool)>) {
        for (i, new) in incidents {
            let was_new = self.unsaved.get(&i.id).copied().unwrap_or(false);
            self.unsaved.insert(i.id.clone(), new || was_new);
        }
    }

    /// The incidents `alerts` start or extend, most severe first, each
    /// with `true` when it is new; an extended incident keeps its id and
    /// has all its alerts so far.
    pub fn add(&mut self, alerts: Vec<Alert>) -> Vec<(Incident, bool)> {
        if alerts.is_empty() && self.unsaved.is_empty() {
            return Vec::new();
        }
        if let Some(t) = alerts
            .iter()
            .filter_map(|a| a.event.time)
            .map(|t| t.0)
            .max()
        {
            // A future-dated event must not close every open incident.
            let wall = Timestamp::now().0;
            self.latest = self.latest.max(t.min(wall.saturating_add(60_000)));
        }
        let items: Vec<(Alert, Option<String>)> = std::mem::take(&mut self.open)
            .into_iter()
            .map(|(a, id)| (a, Some(id)))
            .chain(alerts.into_iter().map(|a| (a, None)))
            .collect();
        let horizon = self
            .latest
            .saturating_sub(self.opts.window_ms)
            .saturating_sub(self.lateness_ms);
        let mut out = Vec::new();
        let mut started = Vec::new();
        for g in assemble(items, |x| &x.0, |x| x.1.as_deref(), &self.opts) {
            // In time order: the earliest stored incident names the group.
            let stored_as = g.iter().find_map(|x| x.1.clone());
            let retry = stored_as.as_ref().and_then(|id| self.unsaved.remove(id));
            let grew = retry.is_some() || g.iter().any(|x| x.1.is_none());
            let still_open = g
                .iter()
                .filter_map(|x| x.0.event.time)
                .map(|t| t.0)
                .max()
                .is_some_and(|last| last >= horizon);
            if !grew {
                if still_open {
                    let id = stored_as.unwrap_or_default();
                    self.open
                        .extend(g.into_iter().map(|(a, _)| (a, id.clone())));
                }
                continue;
            }
            let alerts: Vec<Alert> = g.into_iter().map(|(a, _)| a).collect();
            let kept = still_open.then(|| alerts.clone());
            let mut incident = build(alerts, &self.opts);
            let new = stored_as.is_none() || retry == Some(true);
            if let Some(id) = stored_as {
                incident.id = id;
            }
            for a in kept.into_iter().flatten() {
                self.open.push((a, incident.id.clone()));
            }
            out.push(incident);
            started.push(new);
        }
        if self.open.len() > MAX_OPEN_ALERTS {
            // Let go of whole incidents, the least recently active first:
            // a partly forgotten incident would be stored again smaller.
            let mut last: HashMap<&str, (i64, usize)> = HashMap::new();
            for (a, id) in &self.open {
                let e = last.entry(id.as_str()).or_insert((i64::MIN, 0));
                e.0 = e.0.max(a.event.time.map(|t| t.0).unwrap_or(i64::MIN));
                e.1 += 1;
            }
            let mut order: Vec<(i64, &str, usize)> =
                last.into_iter().map(|(id, (t, n))| (t, id, n)).collect();
            order.sort();
            let mut excess = self.open.len() - MAX_OPEN_ALERTS;
            let mut drop = std::collections::HashSet::new();
            for (_, id, n) in order {
                if excess == 0 {
                    break;
                }
                drop.insert(id.to_string());
                excess = excess.saturating_sub(n);
            }
            self.open.retain(|(_, id)| !drop.contains(id));
        }
        // An unsaved incident no longer open is given up (its events are
        // stored; `warden triage --store` finds it again).
        let open_ids: std::collections::HashSet<&str> =
            self.open.iter().map(|(_, id)| id.as_str()).collect();
        self.unsaved.retain(|id, _| open_ids.contains(id.as_str()));
        let new: std::collections::HashSet<String> = out
            .iter()
            .zip(started)
            .filter(|(_, n)| *n)
            .map(|(i, _)| i.id.clone())
            .collect();
        most_severe_first(&mut out);
        out.into_iter()
            .map(|i| {
                let n = new.contains(&i.id);
                (i, n)
            })
            .collect()
    }

    /// Alerts kept for incidents that may still grow.
    pub fn open_alerts(&self) -> usize {
        self.open.len()
    }
}

fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn uniq<I: IntoIterator<Item = String>>(it: I) -> Vec<String> {
    let mut seen = BTreeSet::new();
    it.into_iter()
        .filter(|s| !s.is_empty() && seen.insert(s.clone()))
        .collect()
}

/// Short display name of a principal: the user, role/session, or `root`.
pub fn short_principal(p: &str) -> String {
    if p.ends_with(":root") {
        return "root".into();
    }
    match p
        .split_once(":user/")
        .or_else(|| p.split_once(":assumed-role/"))
        .or_else(|| p.split_once(":role/"))
    {
        Some((_, rest)) => rest.to_string(),
        None => p.rsplit(':').next().unwrap_or(p).to_string(),
    }
}

fn build(alerts: Vec<Alert>, opts: &TriageOptions) -> Incident {
    // The lead alert: highest level, then earliest.
    let lead = alerts
        .iter()
        .max_by(|a, b| {
            a.rule
                .level
                .cmp(&b.rule.level)
                .then(b.rule.correlation.cmp(&a.rule.correlation))
                .then(b.event.time.cmp(&a.event.time))
        })
        .expect("incidents have alerts");
    let base = alerts
        .iter()
        .map(|a| ThreatLevel::from_level(a.rule.level))
        .max()
        .unwrap_or(ThreatLevel::Low);
    let tactics = uniq(
        alerts
            .iter()
            .flat_map(|a| a.rule.tactics().map(str::to_string).collect::<Vec<_>>()),
    );
    let techniques = uniq(
        alerts
            .iter()
            .flat_map(|a| a.rule.techniques().collect::<Vec<_>>()),
    );
    // First-seen rules report novelty (a new country, a new API), not a
    // chain of steps: they count as ordinary alerts for the raise.
    let correlations: Vec<&Alert> = alerts
        .iter()
        .filter(|a| a.rule.correlation && !a.rule.novelty)
        .collect();
    // Raise at most once, for the first reason that applies.
    let raise_reason = if !correlations.is_empty() {
        Some(format!(
            "correlation '{}' tied several events together",
            correlations[0].rule.title
        ))
    } else if tactics.len() >= opts.tactics_to_raise {
        Some(format!(
            "{} ATT&CK tactics in one story ({})",
            tactics.len(),
            tactics.join(", ")
        ))
    } else {
        None
    };
    let mut level = base;
    let mut reasons = vec![format!("highest rule level: {}", lead.rule.level)];
    if let Some(why) = raise_reason {
        if base > ThreatLevel::Low && base < ThreatLevel::Critical {
            level = base.raise();
            reasons.push(format!("raised one step: {why}"));
        }
    }
    let first_seen = alerts.iter().filter_map(|a| a.event.time).min();
    let last_seen = alerts.iter().filter_map(|a| a.event.time).max();
    let events_of = |a: &Alert| -> Vec<warden_core::EventFacts> {
        let mut v = vec![a.event.clone()];
        v.extend(a.related.iter().cloned());
        v
    };
    let all_events: Vec<warden_core::EventFacts> = alerts.iter().flat_map(events_of).collect();
    let evidence: Vec<String> = uniq(all_events.iter().filter_map(|e| e.event_id.clone()))
        .into_iter()
        .take(MAX_EVIDENCE)
        .collect();
    let principal = lead
        .event
        .who()
        .map(str::to_string)
        .or_else(|| all_events.iter().find_map(|e| e.who().map(str::to_string)));
    let account = lead
        .event
        .account
        .clone()
        .or_else(|| all_events.iter().find_map(|e| e.account.clone()));
    let event_name = lead.event.event_name.clone().unwrap_or_else(|| "-".into());
    let title = format!(
        "[{}][{}][{}]",
        event_name,
        account.as_deref().unwrap_or("-"),
        principal
            .as_deref()
            .map(short_principal)
            .or_else(|| all_events.iter().find_map(|e| e.resource_id.clone()))
            .unwrap_or_else(|| "-".into())
    );
    let upload = all_events
        .iter()
        .find(|e| {
            media::is_image_upload(
                e.event_name.as_deref(),
                e.s3_key.as_deref(),
                e.content_type.as_deref(),
            )
        })
        .or_else(|| all_events.iter().find(|e| e.s3_key.is_some()));
    let rule_ids = uniq(alerts.iter().map(|a| a.rule.id.clone()));
    let id_seed = format!(
        "{}|{}|{}",
        principal.as_deref().unwrap_or(""),
        first_seen.map(|t| t.0).unwrap_or(0),
        rule_ids.join(",")
    );
    let mut incident = Incident {
        id: format!("INC-{:010x}", fnv(&id_seed) & 0xff_ffff_ffff),
        title: title.clone(),
        summary: String::new(),
        threat_level: level,
        threat_reason: reasons.join("; "),
        techniques,
        tactics,
        rule_ids,
        rules: uniq(alerts.iter().map(|a| a.rule.title.clone())),
        evidence,
        alert_count: alerts.iter().map(|a| 1 + a.repeats as usize).sum(),
        first_seen,
        last_seen,
        principal_type: lead.event.principal_type.clone(),
        principal,
        account,
        access_keys: uniq(all_events.iter().filter_map(|e| e.access_key_id.clone())),
        source_ips: uniq(all_events.iter().filter_map(|e| e.source_ip.clone())),
        regions: uniq(all_events.iter().filter_map(|e| e.region.clone())),
        sources: {
            let mut s: Vec<LogKind> = all_events.iter().filter_map(|e| e.kind).collect();
            s.sort();
            s.dedup();
            s
        },
        event_names: uniq(all_events.iter().filter_map(|e| e.event_name.clone())),
        recommended_actions: narrative::actions(&alerts),
        narrative_source: "template".into(),
        reference: ReferenceTriage {
            event_title: title,
            summarize: String::new(),
            s3_bucket: upload.and_then(|e| e.s3_bucket.clone()),
            s3_key: upload.and_then(|e| e.s3_key.clone()),
            is_image_upload: upload.is_some_and(|e| {
                media::is_image_upload(
                    e.event_name.as_deref(),
                    e.s3_key.as_deref(),
                    e.content_type.as_deref(),
                )
            }),
            media_type: upload
                .and_then(|e| media::media_type(e.s3_key.as_deref(), e.content_type.as_deref())),
        },
        alerts: alerts
            .iter()
            .take(MAX_EVIDENCE)
            .map(Alert::record)
            .collect(),
    };
    incident.summary = narrative::summary(&incident, &alerts, lead);
    incident.reference.summarize = incident.summary.clone();
    incident
}

/// Whether any incident reaches `level` (for `--fail-on`).
pub fn reaches(incidents: &[Incident], level: ThreatLevel) -> bool {
    incidents.iter().any(|i| i.threat_level >= level)
}

/// Format a time for people.
pub fn when(t: Option<Timestamp>) -> String {
    t.map(|t| t.to_rfc3339())
        .unwrap_or_else(|| "unknown time".into())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use warden_core::{EventFacts, Level, RuleInfo};

    use super::*;

    fn rule(id: &str, level: Level, tags: &[&str], correlation: bool) -> Arc<RuleInfo> {
        Arc::new(RuleInfo {
            id: id.into(),
            name: None,
            title: format!("rule {id}"),
            level,
            tags: tags.iter().map(|t| t.to_string()).collect(),
            description: format!("Detects {id}. Response: handle {id}."),
            falsepositives: vec![],
            correlation,
            novelty: false,
        })
    }

    fn alert(
        r: &Arc<RuleInfo>,
        minute: i64,
        principal: Option<&str>,
        key: Option<&str>,
        id: &str,
    ) -> Alert {
        Alert {
            rule: r.clone(),
            event: EventFacts {
                kind: Some(if principal.is_some() {
                    LogKind::CloudTrail
                } else {
                    LogKind::GuardDuty
                }),
                event_id: Some(id.into()),
                time: Some(Timestamp(minute * 60_000)),
                event_name: Some("CreateUser".into()),
                account: Some("123456789012".into()),
                principal: principal.map(str::to_string),
                access_key_id: key.map(str::to_string),
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

    const ALICE: &str = "arn:aws:iam::123456789012:user/alice";

    #[test]
    fn live_incidents_grow_across_batches_and_keep_their_id() {
        let low = rule("a", Level::Medium, &[], false);
        let chain = rule("c", Level::High, &[], true);
        let mut live = LiveTriage::new(TriageOptions::default(), 0);
        let first = live.add(vec![alert(&low, 0, Some(ALICE), None, "e1")]);
        assert_eq!(first.len(), 1);
        assert!(first[0].1, "new");
        let first: Vec<Incident> = first.into_iter().map(|x| x.0).collect();
        let id = first[0].id.clone();
        assert_eq!(first[0].threat_level, ThreatLevel::Medium);

        // The next file: same actor, later; the incident grows in place.
        let grown = live.add(vec![alert(&low, 30, Some(ALICE), None, "e2")]);
        assert_eq!(grown.len(), 1);
        assert!(!grown[0].1, "extended, not new");
        let grown: Vec<Incident> = grown.into_iter().map(|x| x.0).collect();
        assert_eq!(grown[0].id, id);
        assert_eq!(grown[0].alert_count, 2);
        assert_eq!(grown[0].evidence, vec!["e1", "e2"]);

        // The same alert again (a retried message) changes nothing.
        assert!(live
            .add(vec![alert(&low, 30, Some(ALICE), None, "e2")])
            .is_empty());

        // A correlation alert joins and raises it.
        let raised = live.add(vec![alert(&chain, 31, Some(ALICE), None, "e3")]);
        assert_eq!(raised[0].0.id, id);
        assert!(
            raised[0].0.threat_level > ThreatLevel::High,
            "{:?}",
            raised[0].0.threat_level
        );

        // Another actor is another incident; alice's is not sent again.
        let bob = live.add(vec![alert(
            &low,
            32,
            Some("arn:aws:iam::123456789012:user/bob"),
            None,
            "b1",
        )]);
        assert_eq!(bob.len(), 1);
        assert_ne!(bob[0].0.id, id);

        // Long after the window: a new incident, and the old alerts are let go.
        let later = live.add(vec![alert(&low, 600, Some(ALICE), None, "e9")]);
        assert_ne!(later[0].0.id, id);
        assert!(later[0].1);
        assert_eq!(later[0].0.alert_count, 1);
        assert_eq!(live.open_alerts(), 1);
    }

    #[test]
    fn live_incidents_are_given_again_when_not_stored_and_never_split() {
        let r = rule("a", Level::Medium, &[], false);
        let mut live = LiveTriage::new(TriageOptions::default(), 0);
        let first = live.add(vec![alert(&r, 0, Some(ALICE), None, "e1")]);
        // The store failed: the retried batch (the same alert) gives the
        // incident again, still new; a second retry after success does not.
        live.unsaved(first.iter().map(|(i, n)| (i, *n)));
        let again = live.add(vec![alert(&r, 0, Some(ALICE), None, "e1")]);
        assert_eq!(again.len(), 1);
        assert!(again[0].1 && again[0].0.id == first[0].0.id);
        assert!(live
            .add(vec![alert(&r, 0, Some(ALICE), None, "e1")])
            .is_empty());

        // A stored incident is not split by a late alert that links it to
        // another actor's: its alerts stay under its id.
        let mut live = LiveTriage::new(TriageOptions::default(), 0);
        let x = live.add(vec![
            alert(&r, 0, Some(ALICE), None, "a1"),
            alert(&r, 60, Some(ALICE), None, "a2"),
        ]);
        let x_id = x[0].0.id.clone();
        let late = live.add(vec![
            alert(&r, 10, None, Some("AKIA2"), "z"),
            alert(&r, 30, Some(ALICE), Some("AKIA2"), "n"),
        ]);
        let with_x: Vec<&Incident> = late.iter().map(|x| &x.0).filter(|i| i.id == x_id).collect();
        for i in &with_x {
            assert!(
                i.evidence.contains(&"a1".to_string()) && i.evidence.contains(&"a2".to_string()),
                "{:?}",
                i.evidence
            );
        }
    }

    #[test]
    fn live_incidents_match_batch_triage_for_one_batch() {
        let r = rule("a", Level::Medium, &[], false);
        let alerts = vec![
            alert(&r, 0, Some(ALICE), Some("AKIA1"), "e1"),
            alert(&r, 95, None, Some("AKIA1"), "g1"),
            alert(&r, 400, Some(ALICE), Some("AKIA1"), "e3"),
        ];
        let batch = triage(alerts.clone(), &TriageOptions::default());
        let live: Vec<Incident> = LiveTriage::new(TriageOptions::default(), 0)
            .add(alerts)
            .into_iter()
            .map(|x| x.0)
            .collect();
        let ids = |v: &[Incident]| v.iter().map(|i| i.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&batch), ids(&live));
    }

    #[test]
    fn groups_by_actor_within_window() {
        let r = rule("a", Level::Medium, &[], false);
        let alerts = vec![
            alert(&r, 0, Some(ALICE), Some("AKIA1"), "e1"),
            alert(&r, 90, Some(ALICE), Some("AKIA1"), "e2"),
            alert(&r, 400, Some(ALICE), Some("AKIA1"), "e3"),
            // A GuardDuty finding naming only the key joins alice's incident.
            alert(&r, 95, None, Some("AKIA1"), "g1"),
            // The same event again (EventBridge copy) is dropped.
            alert(&r, 0, Some(ALICE), Some("AKIA1"), "e1"),
        ];
        let incs = triage(alerts, &TriageOptions::default());
        assert_eq!(incs.len(), 2);
        let first = incs
            .iter()
            .find(|i| i.evidence.contains(&"e1".to_string()))
            .unwrap();
        assert_eq!(first.alert_count, 3);
        assert_eq!(first.title, "[CreateUser][123456789012][alice]");
        assert_eq!(first.recommended_actions, vec!["handle a."]);
        assert_eq!(
            first.id,
            triage(
                vec![alert(&r, 0, Some(ALICE), Some("AKIA1"), "e1")],
                &TriageOptions::default()
            )[0]
            .id
        );
    }

    #[test]
    fn threat_level_is_raised_once_and_capped() {
        let high = rule("h", Level::High, &["attack.persistence"], false);
        let corr = rule("c", Level::Medium, &[], true);
        let low = rule(
            "l",
            Level::Low,
            &["attack.discovery", "attack.persistence", "attack.impact"],
            false,
        );
        let crit = rule("x", Level::Critical, &[], false);
        let opts = TriageOptions::default();
        let one = |alerts| triage(alerts, &opts).remove(0);
        assert_eq!(
            one(vec![alert(&high, 0, Some(ALICE), None, "1")]).threat_level,
            ThreatLevel::High
        );
        let i = one(vec![
            alert(&high, 0, Some(ALICE), None, "1"),
            alert(&corr, 1, Some(ALICE), None, "2"),
        ]);
        assert_eq!(i.threat_level, ThreatLevel::Critical);
        assert!(i.threat_reason.contains("raised one step: correlation"));
        // Low incidents are not raised, whatever their shape.
        assert_eq!(
            one(vec![alert(&low, 0, Some(ALICE), None, "1")]).threat_level,
            ThreatLevel::Low
        );
        let i = one(vec![
            alert(&crit, 0, Some(ALICE), None, "1"),
            alert(&corr, 1, Some(ALICE), None, "2"),
        ]);
        assert_eq!(i.threat_level, ThreatLevel::Critical);
        assert!(!i.threat_reason.contains("raised"));
        assert!(reaches(&[i], ThreatLevel::High));
    }

    #[test]
    fn principals_shorten() {
        assert_eq!(short_principal("arn:aws:iam::1:root"), "root");
        assert_eq!(short_principal("arn:aws:sts::1:assumed-role/R/s"), "R/s");
        assert_eq!(short_principal("a@example.com"), "a@example.com");
    }
}

#[cfg(test)]
mod guardduty_tests {
    use std::sync::Arc;

    use warden_core::{EventFacts, Level, RuleInfo};

    use super::*;

    #[test]
    fn findings_about_one_resource_merge() {
        let rule = Arc::new(RuleInfo {
            id: "gd".into(),
            name: None,
            title: "GuardDuty finding".into(),
            level: Level::High,
            tags: vec![],
            description: String::new(),
            falsepositives: vec![],
            correlation: false,
            novelty: false,
        });
        let finding = |id: &str, minute: i64, instance: &str| Alert {
            rule: rule.clone(),
            event: EventFacts {
                kind: Some(LogKind::GuardDuty),
                event_id: Some(id.into()),
                time: Some(Timestamp(minute * 60_000)),
                resource_id: Some(instance.into()),
                source_ip: Some(format!("198.51.100.{minute}")),
                ..Default::default()
            },
            file: Arc::from("f"),
            record: 1,
            related: vec![],
            group: vec![],
            raw: None,
            repeats: 0,
        };
        let incs = triage(
            vec![
                finding("a", 0, "i-1"),
                finding("b", 5, "i-1"),
                finding("c", 6, "i-2"),
            ],
            &TriageOptions::default(),
        );
        assert_eq!(incs.len(), 2);
        assert!(incs.iter().any(|i| i.alert_count == 2));
    }
}
