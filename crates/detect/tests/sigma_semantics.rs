//! Sigma semantics checked end to end: YAML rule → engine → decoded event.

use warden_detect::testing::alerts_for;
use warden_detect::{build, RuleFile};

fn rule(body: &str) -> RuleFile {
    RuleFile {
        source: "test.yml".into(),
        text: body.into(),
        examples: None,
    }
}

fn ct_rule(detection: &str) -> String {
    format!(
        "title: t\nid: r1\nlevel: high\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n{detection}"
    )
}

/// Does a CloudTrail rule with `detection` match `event`?
fn hits(detection: &str, event: &str) -> bool {
    let loaded = build(&[rule(&ct_rule(detection))]);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    !alerts_for(&loaded.engine, &[event.to_string()])
        .unwrap()
        .is_empty()
}

const EV: &str = r#"{"eventVersion":"1.08","eventSource":"iam.amazonaws.com","eventName":"CreateAccessKey","userIdentity":{"type":"IAMUser","userName":"alice","arn":"arn:aws:iam::123456789012:user/alice"},"requestParameters":{"userName":"bob"},"sourceIPAddress":"10.1.2.3","errorCode":null,"count":"42","size":17,"tags":["a","Prod"],"userAgent":"aws-cli/2.0 Python/3.11"}"#;

#[test]
fn field_maps_lists_and_case() {
    assert!(hits(
        "  sel:\n    eventName: createaccesskey\n  condition: sel",
        EV
    ));
    assert!(hits(
        "  sel:\n    eventName: [DeleteUser, CreateAccessKey]\n  condition: sel",
        EV
    ));
    assert!(!hits(
        "  sel:\n    eventName|cased: createaccesskey\n  condition: sel",
        EV
    ));
    assert!(hits(
        "  sel:\n    eventName: Create*Key\n  condition: sel",
        EV
    ));
    assert!(hits(
        "  sel:\n    eventName: CreateAccess?ey\n  condition: sel",
        EV
    ));
    assert!(!hits(
        "  sel:\n    eventName: CreateAccess?Key\n  condition: sel",
        EV
    ));
    assert!(hits(
        "  sel:\n    userIdentity.arn|endswith: ':user/ALICE'\n  condition: sel",
        EV
    ));
    assert!(hits(
        "  sel:\n    useridentity.ARN|startswith: 'arn:aws:iam::'\n  condition: sel",
        EV
    ));
    assert!(hits(
        "  sel:\n    userAgent|contains: python\n  condition: sel",
        EV
    ));
    assert!(hits(
        "  sel:\n    userAgent|contains|all: [aws-cli, python]\n  condition: sel",
        EV
    ));
    assert!(!hits(
        "  sel:\n    userAgent|contains|all: [aws-cli, boto]\n  condition: sel",
        EV
    ));
    assert!(hits(
        "  sel:\n    userAgent|re: '^aws-cli/\\d'\n  condition: sel",
        EV
    ));
    assert!(!hits(
        "  sel:\n    userAgent|re: '^AWS-CLI'\n  condition: sel",
        EV
    ));
    assert!(hits(
        "  sel:\n    userAgent|re|i: '^AWS-CLI'\n  condition: sel",
        EV
    ));
    // arrays: any element
    assert!(hits("  sel:\n    tags: prod\n  condition: sel", EV));
}

#[test]
fn null_exists_numbers_cidr_fieldref() {
    assert!(hits("  sel:\n    errorCode: null\n  condition: sel", EV));
    assert!(hits("  sel:\n    errorMessage: null\n  condition: sel", EV));
    assert!(!hits("  sel:\n    eventName: null\n  condition: sel", EV));
    assert!(hits(
        "  sel:\n    requestParameters.userName|exists: true\n  condition: sel",
        EV
    ));
    assert!(hits(
        "  sel:\n    missing.field|exists: false\n  condition: sel",
        EV
    ));
    assert!(hits("  sel:\n    count: 42\n  condition: sel", EV));
    assert!(hits("  sel:\n    size: '17'\n  condition: sel", EV));
    assert!(hits("  sel:\n    count|gt: 41\n  condition: sel", EV));
    assert!(hits("  sel:\n    size|lte: 17\n  condition: sel", EV));
    assert!(!hits("  sel:\n    size|lt: 17\n  condition: sel", EV));
    assert!(hits(
        "  sel:\n    sourceIPAddress|cidr: 10.0.0.0/8\n  condition: sel",
        EV
    ));
    assert!(!hits(
        "  sel:\n    sourceIPAddress|cidr: [192.168.0.0/16, 172.16.0.0/12]\n  condition: sel",
        EV
    ));
    let other_user = "  sel:\n    eventName: CreateAccessKey\n  self:\n    userIdentity.userName|fieldref: requestParameters.userName\n  condition: sel and not self";
    assert!(hits(other_user, EV));
    assert!(!hits(
        other_user,
        &EV.replace(r#""userName":"bob""#, r#""userName":"Alice""#)
    ));
}

#[test]
fn conditions() {
    let d = "  sel_a:\n    eventName: CreateAccessKey\n  sel_b:\n    eventSource: iam.amazonaws.com\n  filter:\n    userIdentity.type: Root\n";
    assert!(hits(
        &format!("{d}  condition: all of sel_* and not filter"),
        EV
    ));
    assert!(hits(
        &format!("{d}  condition: 1 of sel* and not 1 of filter*"),
        EV
    ));
    assert!(!hits(&format!("{d}  condition: all of them"), EV));
    assert!(hits(&format!("{d}  condition: 1 of them"), EV));
    assert!(hits(
        &format!("{d}  condition: (sel_a or filter) and sel_b"),
        EV
    ));
    assert!(hits(
        &format!("{d}  condition:\n    - filter\n    - sel_a"),
        EV
    ));
    // list of maps is OR
    assert!(hits(
        "  sel:\n    - eventName: X\n    - eventSource: iam.amazonaws.com\n  condition: sel",
        EV
    ));
    // keywords search the whole record
    assert!(hits(
        "  kw:\n    - 'nothing here'\n    - 'PYTHON/3'\n  condition: kw",
        EV
    ));
    assert!(!hits("  kw:\n    - 'nothing here'\n  condition: kw", EV));
}

#[test]
fn bad_rules_are_reported_and_the_rest_load() {
    let good = rule(&ct_rule("  sel:\n    eventName: X\n  condition: sel"));
    let bads = [
        (
            "title: x\nid: b1\ndetection:\n  sel:\n    a|nosuchmod: 1\n  condition: sel",
            "unknown modifier",
        ),
        (
            "title: x\nid: b2\ndetection:\n  sel:\n    a: 1\n  condition: sel and other",
            "no selection named 'other'",
        ),
        (
            "title: x\nid: b3\ndetection:\n  sel:\n    a: 1\n  condition: sel | count() > 5",
            "correlation",
        ),
        (
            "title: x\nid: b4\ndetection:\n  sel:\n    a|re: '(unclosed'\n  condition: sel",
            "regular expression",
        ),
        (
            "title: x\nid: b5\ndetection:\n  sel:\n    a: 1\n",
            "no 'condition'",
        ),
        (
            "id: b6\ndetection:\n  sel:\n    a: 1\n  condition: sel",
            "no 'title'",
        ),
        (
            "title: x\nid: b7\nlevel: extreme\ndetection:\n  sel:\n    a: 1\n  condition: sel",
            "unknown level",
        ),
        ("title: [unclosed", "invalid YAML"),
        (
            "title: x\nid: b8\ndetection:\n  sel:\n    a|cidr: nonsense\n  condition: sel",
            "CIDR",
        ),
        (
            "title: x\nid: b9\ndetection:\n  sel:\n    a|windash: x\n  condition: sel",
            "Windows",
        ),
    ];
    let mut files = vec![good];
    files.extend(bads.iter().map(|(t, _)| rule(t)));
    let loaded = build(&files);
    assert_eq!(loaded.engine.rules.len(), 1);
    assert_eq!(loaded.errors.len(), bads.len(), "{:#?}", loaded.errors);
    for (e, (_, want)) in loaded.errors.iter().zip(bads) {
        assert!(
            e.message.contains(want),
            "{} should mention {want}",
            e.message
        );
    }
}

#[test]
fn logsource_limits_rules_to_their_kind() {
    let okta_rule = "title: o\nid: o1\nlevel: low\nlogsource:\n  product: okta\n  service: okta\ndetection:\n  sel:\n    eventtype: user.session.start\n  condition: sel";
    let loaded = build(&[rule(okta_rule)]);
    let okta = r#"{"uuid":"1","published":"2026-11-01T00:00:00Z","eventType":"user.session.start","actor":{"alternateId":"a@x"}}"#;
    assert_eq!(alerts_for(&loaded.engine, &[okta.into()]).unwrap().len(), 1);
    let ct = r#"{"eventVersion":"1.08","eventSource":"x","eventType":"user.session.start"}"#;
    assert_eq!(alerts_for(&loaded.engine, &[ct.into()]).unwrap().len(), 0);
    let win = "title: w\nid: w1\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n  sel:\n    Image: x\n  condition: sel";
    let loaded = build(&[rule(win)]);
    assert_eq!(loaded.inactive.len(), 1);
}

fn login_fail(ip: &str, minute: u32, id: u32) -> String {
    format!(
        r#"{{"eventVersion":"1.08","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","eventType":"AwsConsoleSignIn","eventTime":"2026-11-01T10:{minute:02}:00Z","sourceIPAddress":"{ip}","responseElements":{{"ConsoleLogin":"Failure"}},"eventID":"e{id}","userIdentity":{{"type":"IAMUser","userName":"u{id}"}}}}"#
    )
}

const BASE: &str = "title: fail\nid: base1\nname: login_failure\nlevel: low\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  sel:\n    eventName: ConsoleLogin\n    responseElements.ConsoleLogin: Failure\n  condition: sel\n";

fn corr(kind: &str, extra: &str) -> String {
    format!("title: burst\nid: c1\nlevel: high\ncorrelation:\n  type: {kind}\n  rules:\n    - login_failure\n  group-by:\n    - sourceIPAddress\n  timespan: 10m\n{extra}")
}

#[test]
fn event_count_correlation() {
    let loaded = build(&[
        rule(BASE),
        rule(&corr("event_count", "  condition:\n    gte: 5\n")),
    ]);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    // 5 failures in 4 minutes from one IP, 4 from another, spread ones from a third.
    let mut evs: Vec<String> = (0..5).map(|i| login_fail("203.0.113.9", i, i)).collect();
    evs.extend((0..4).map(|i| login_fail("198.51.100.1", i, 10 + i)));
    evs.extend((0..5).map(|i| login_fail("192.0.2.1", i * 11, 20 + i)));
    let alerts = alerts_for(&loaded.engine, &evs).unwrap();
    let corr: Vec<_> = alerts.iter().filter(|a| a.rule.correlation).collect();
    assert_eq!(corr.len(), 1, "{corr:#?}");
    assert_eq!(
        corr[0].group,
        vec![("sourceIPAddress".to_string(), "203.0.113.9".to_string())]
    );
    assert_eq!(corr[0].related.len(), 5);
}

#[test]
fn value_count_and_temporal_ordered() {
    let vc = corr(
        "value_count",
        "  condition:\n    field: userIdentity.userName\n    gte: 3\n",
    );
    let loaded = build(&[rule(BASE), rule(&vc)]);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    let mut same_user: Vec<String> = (0..6).map(|i| login_fail("203.0.113.9", i, 1)).collect();
    let alerts = alerts_for(&loaded.engine, &same_user).unwrap();
    assert!(alerts.iter().all(|a| !a.rule.correlation));
    same_user.push(login_fail("203.0.113.9", 7, 2));
    same_user.push(login_fail("203.0.113.9", 8, 3));
    let alerts = alerts_for(&loaded.engine, &same_user).unwrap();
    assert_eq!(alerts.iter().filter(|a| a.rule.correlation).count(), 1);

    let mk = |name: &str, ev: &str| {
        format!("title: {name}\nid: {name}\nname: {name}\nlevel: low\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  sel:\n    eventName: {ev}\n  condition: sel\n")
    };
    let seq = "title: seq\nid: seq\nlevel: critical\ncorrelation:\n  type: temporal_ordered\n  rules: [a, b]\n  group-by: [userIdentity.arn]\n  timespan: 1h\n";
    let loaded = build(&[
        rule(&mk("a", "CreateUser")),
        rule(&mk("b", "CreateAccessKey")),
        rule(seq),
    ]);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    let ev = |name: &str, min: u32| {
        format!(
            r#"{{"eventVersion":"1","eventSource":"iam","eventName":"{name}","eventTime":"2026-11-01T10:{min:02}:00Z","userIdentity":{{"arn":"arn:x"}}}}"#
        )
    };
    let fired = |evs: &[String]| {
        alerts_for(&loaded.engine, evs)
            .unwrap()
            .iter()
            .any(|a| a.rule.id == "seq")
    };
    assert!(fired(&[ev("CreateUser", 1), ev("CreateAccessKey", 5)]));
    assert!(!fired(&[ev("CreateAccessKey", 1), ev("CreateUser", 5)]));
    let temporal = seq.replace("temporal_ordered", "temporal");
    let loaded2 = build(&[
        rule(&mk("a", "CreateUser")),
        rule(&mk("b", "CreateAccessKey")),
        rule(&temporal),
    ]);
    assert!(alerts_for(
        &loaded2.engine,
        &[ev("CreateAccessKey", 1), ev("CreateUser", 5)]
    )
    .unwrap()
    .iter()
    .any(|a| a.rule.id == "seq"));
}

#[test]
fn base_rules_of_correlations_do_not_alert_alone_unless_generate() {
    let c = corr("event_count", "  condition:\n    gte: 50\n");
    let loaded = build(&[rule(BASE), rule(&c)]);
    assert!(!loaded.engine.emits(0));
    let g = corr(
        "event_count",
        "  condition:\n    gte: 50\n  generate: true\n",
    );
    let loaded = build(&[rule(BASE), rule(&g)]);
    assert!(loaded.engine.emits(0));
}

/// value_count over a broad base rule: thousands of matches of one value
/// are compacted while the run is read, yet a second value inside the
/// window still fires and one outside it does not.
#[test]
fn value_count_stays_exact_when_matches_are_compacted() {
    let vc = "title: two users\nid: c2\nlevel: high\ncorrelation:\n  type: value_count\n  rules:\n    - login_failure\n  group-by:\n    - sourceIPAddress\n  timespan: 10m\n  condition:\n    field: userIdentity.userName\n    gte: 2\n";
    let loaded = build(&[rule(BASE), rule(vc)]);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    let ev = |sec: u32, user: &str, id: u32| {
        format!(
            r#"{{"eventVersion":"1.08","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","eventTime":"2026-11-01T{:02}:{:02}:{:02}Z","sourceIPAddress":"203.0.113.9","responseElements":{{"ConsoleLogin":"Failure"}},"eventID":"e{id}","userIdentity":{{"type":"IAMUser","userName":"{user}"}}}}"#,
            10 + sec / 3600,
            (sec / 60) % 60,
            sec % 60
        )
    };
    // One user every 2 s for two hours: 3,600 matches of one value.
    let mut evs: Vec<String> = (0..3600).map(|i| ev(i * 2, "alice", i)).collect();
    let fires = |evs: &[String]| {
        alerts_for(&loaded.engine, evs)
            .unwrap()
            .iter()
            .filter(|a| a.rule.id == "c2")
            .count()
    };
    assert_eq!(fires(&evs), 0);
    // A second user in the middle of the run: within 10 minutes of alice.
    evs.push(ev(3601, "bob", 9000));
    assert_eq!(fires(&evs), 1);
    // A third user long after alice stopped: alone in its window.
    let mut late = evs[..3600].to_vec();
    late.push(ev(7200 + 1200, "carol", 9001));
    assert_eq!(fires(&late), 0);
}

/// Feed `batches` one at a time, as a live source does; the correlation
/// alerts (rule ids) each batch gives.
fn streamed(
    loaded: &warden_detect::Loaded,
    batches: &[Vec<String>],
    lateness_ms: i64,
) -> Vec<Vec<String>> {
    let mut stream = warden_detect::correlate::StreamingCorrelation::default();
    let mut history = warden_detect::history::History::in_memory();
    batches
        .iter()
        .map(|b| {
            let (_, state) = warden_detect::testing::matches_for(&loaded.engine, b).unwrap();
            loaded
                .engine
                .advance(&mut stream, state, &mut history, lateness_ms)
                .iter()
                .map(|a| a.rule.id.clone())
                .collect()
        })
        .collect()
}

#[test]
fn streaming_correlation_spans_batches_once() {
    let loaded = build(&[
        rule(BASE),
        rule(&corr("event_count", "  condition:\n    gte: 5\n")),
    ]);
    let ip = "203.0.113.9";
    // Five failures in five files (one event each, as EventBridge sends
    // them): the fifth fires, once; batch mode would need them in one file.
    let batches: Vec<Vec<String>> = (0..5).map(|i| vec![login_fail(ip, i, i)]).collect();
    let out = streamed(&loaded, &batches, 0);
    assert_eq!(
        out,
        vec![vec![], vec![], vec![], vec![], vec!["c1".to_string()]]
    );

    // A batch read again (a retried message) and more in the same window:
    // the used events do not fire a second time.
    let mut again = batches.clone();
    again.push(batches[4].clone());
    again.push((0..4).map(|i| login_fail(ip, i, i)).collect());
    let out = streamed(&loaded, &again, 0);
    assert_eq!(out.iter().flatten().count(), 1, "{out:?}");

    // Too far apart: the earlier matches are forgotten, nothing fires, and
    // memory does not keep them.
    let spread: Vec<Vec<String>> = (0..5)
        .map(|i| vec![login_fail(ip, i * 11, 100 + i)])
        .collect();
    assert!(streamed(&loaded, &spread, 0).iter().all(Vec::is_empty));
    let mut stream = warden_detect::correlate::StreamingCorrelation::default();
    let mut history = warden_detect::history::History::in_memory();
    for b in &spread {
        let (_, state) = warden_detect::testing::matches_for(&loaded.engine, b).unwrap();
        loaded.engine.advance(&mut stream, state, &mut history, 0);
        assert!(stream.len() <= 1, "carried {}", stream.len());
    }
}

#[test]
fn streaming_correlation_waits_for_late_events_and_closed_windows() {
    // Out of order by four minutes: with five minutes of lateness the early
    // events still count.
    let loaded = build(&[
        rule(BASE),
        rule(&corr("event_count", "  condition:\n    gte: 3\n")),
    ]);
    let ip = "198.51.100.7";
    let batches = vec![
        vec![login_fail(ip, 9, 1)],
        vec![login_fail(ip, 5, 2), login_fail(ip, 6, 3)],
    ];
    assert_eq!(streamed(&loaded, &batches, 5 * 60_000).concat(), vec!["c1"]);

    // "Fewer than 2 in 10 minutes" is judged only once the window has
    // closed: a lone failure does not fire while another may still come.
    let few = build(&[
        rule(BASE),
        rule(&corr("event_count", "  condition:\n    lt: 2\n")),
    ]);
    let out = streamed(
        &few,
        &[
            vec![login_fail(ip, 0, 1)],
            vec![login_fail(ip, 3, 2)],
            vec![login_fail("192.0.2.50", 30, 3)],
        ],
        0,
    );
    assert_eq!(
        out,
        vec![Vec::<String>::new(), vec![], vec![]],
        "two in the window: no alert"
    );
    let out = streamed(
        &few,
        &[
            vec![login_fail(ip, 0, 1)],
            vec![login_fail("192.0.2.50", 30, 3)],
        ],
        0,
    );
    assert_eq!(
        out,
        vec![Vec::<String>::new(), vec!["c1".to_string()]],
        "closed by later events"
    );
    // Lateness keeps it open longer.
    {
        let mut stream = warden_detect::correlate::StreamingCorrelation::default();
        let mut history = warden_detect::history::History::in_memory();
        for b in [vec![login_fail(ip, 30, 1)], vec![login_fail(ip, 0, 2)]] {
            let (_, state) = warden_detect::testing::matches_for(&few.engine, &b).unwrap();
            few.engine.advance(&mut stream, state, &mut history, 0);
        }
        assert_eq!(
            stream.late(),
            1,
            "the event 30 minutes behind is counted late"
        );
    }
    let out = streamed(
        &few,
        &[
            vec![login_fail(ip, 0, 1)],
            vec![login_fail("192.0.2.50", 30, 3)],
        ],
        30 * 60_000,
    );
    assert!(out.iter().all(Vec::is_empty), "{out:?}");
}

#[test]
fn streaming_correlation_survives_retries_skew_and_late_events() {
    let ip = "203.0.113.10";
    // value_count: 3 distinct users from one address. Many calls per user
    // (compaction keeps only some); the batch read again fires nothing.
    let vc = corr(
        "value_count",
        "  condition:\n    field: userIdentity.userName\n    gte: 3\n",
    );
    let loaded = build(&[rule(BASE), rule(&vc)]);
    let mut batch = Vec::new();
    for user in 0..3u32 {
        for k in 0..80u32 {
            // login_fail names the user after the id: keep three users.
            let ev = login_fail(ip, k % 9, user).replace(
                &format!("\"eventID\":\"e{user}\""),
                &format!("\"eventID\":\"v{user}-{k}\""),
            );
            batch.push(ev);
        }
    }
    let in_batch = warden_detect::testing::alerts_for(&loaded.engine, &batch)
        .unwrap()
        .iter()
        .filter(|a| a.rule.correlation)
        .count();
    let out = streamed(&loaded, &[batch.clone(), batch.clone(), batch], 0);
    assert!(in_batch >= 1);
    assert_eq!(out[0].len(), in_batch, "as in batch mode: {out:?}");
    assert!(
        out[1].is_empty() && out[2].is_empty(),
        "read again: nothing new {out:?}"
    );

    // An event dated years ahead does not move time on for good: the next
    // real events still correlate.
    let ec = build(&[
        rule(BASE),
        rule(&corr("event_count", "  condition:\n    gte: 3\n")),
    ]);
    // (Recent events: the clamp is the wall clock.)
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let at = |ev: String, ms: i64| {
        let mut v: serde_json::Value = serde_json::from_str(&ev).unwrap();
        v["eventTime"] = warden_core::Timestamp(ms).to_rfc3339().into();
        v.to_string()
    };
    let future = at(login_fail("192.0.2.99", 0, 900), now + 3 * 365 * 86_400_000);
    let out = streamed(
        &ec,
        &[
            vec![future],
            vec![at(login_fail(ip, 0, 1), now - 180_000)],
            vec![at(login_fail(ip, 0, 2), now - 120_000)],
            vec![at(login_fail(ip, 0, 3), now - 60_000)],
        ],
        0,
    );
    assert_eq!(out.concat(), vec!["c1"], "{out:?}");

    // A match that slid out of a window without firing stays while it can
    // still fall in one: late events join it.
    let out = streamed(
        &ec,
        &[
            vec![login_fail(ip, 25, 10)],
            vec![
                login_fail(ip, 36, 11),
                login_fail(ip, 37, 12),
                login_fail(ip, 38, 13),
            ],
            vec![login_fail(ip, 26, 14), login_fail(ip, 27, 15)],
        ],
        30 * 60_000,
    );
    assert_eq!(
        out,
        vec![vec![], vec!["c1".to_string()], vec!["c1".to_string()]],
        "{out:?}"
    );
}
