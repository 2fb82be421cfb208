//! The store on its own: schema versions, idempotent events, incidents,
//! retention, filters with hostile values, and a damaged file.

use warden_store::{Column, EventRow, Filter, IncidentInput, Store, StoreError};

fn ev(uid: &str, t: i64, who: &str, name: &str, ip: &str) -> EventRow {
    EventRow {
        uid: uid.into(),
        kind: "cloudtrail".into(),
        time_ms: t,
        principal: Some(format!("arn:aws:iam::123456789012:user/{who}")),
        user_name: Some(who.into()),
        source_ip: Some(ip.into()),
        event_name: Some(name.into()),
        raw: format!("{{\"eventID\":\"{uid}\",\"eventName\":\"{name}\"}}"),
        ..EventRow::default()
    }
}

#[test]
fn events_are_stored_once_and_queried() {
    let d = tempfile::tempdir().unwrap();
    let mut s = Store::open(d.path()).unwrap();
    let rows = vec![
        ev("ct:1", 1_000, "alice", "ConsoleLogin", "192.0.2.1"),
        ev("ct:2", 2_000, "alice", "StopLogging", "192.0.2.1"),
        ev("ct:3", 3_000, "bob", "ConsoleLogin", "198.51.100.7"),
    ];
    let c = s.add_events(&rows).unwrap();
    assert_eq!((c.events_added, c.events_already_stored), (3, 0));
    let c = s.add_events(&rows[1..]).unwrap();
    assert_eq!((c.events_added, c.events_already_stored), (0, 2));
    assert_eq!(s.stats().unwrap(), (3, Some(1_000), Some(3_000)));
    assert_eq!(s.raw_event("ct:2").unwrap().unwrap(), rows[1].raw);

    let f = Filter {
        event_names: vec!["ConsoleLogin".into()],
        ..Filter::default()
    };
    let (n, hits) = s.events(&f, 10).unwrap();
    assert_eq!((n, hits[0].uid.as_str()), (2, "ct:3"), "newest first");
    let by = s
        .count_by(&Filter::default(), Column::Principal, 5)
        .unwrap();
    assert_eq!(
        (by[0].value.as_str(), by[0].count),
        ("arn:aws:iam::123456789012:user/alice", 2)
    );
    assert_eq!(s.principals_like("ALICE").unwrap().len(), 1);
    assert!(
        s.principals_like("%").unwrap().is_empty(),
        "LIKE wildcards are literal"
    );
    let tl = s.timeline(&Filter::default(), 2_000).unwrap();
    assert_eq!(tl.iter().map(|b| b.count).sum::<u64>(), 3);
    // Full-text: words are searched, never parsed as FTS syntax.
    for q in [
        "StopLogging",
        "\"unbalanced",
        "NEAR(a b) OR *",
        "'; DROP TABLE events; --",
    ] {
        let f = Filter {
            text: Some(q.into()),
            ..Filter::default()
        };
        s.events(&f, 5).unwrap_or_else(|e| panic!("{q}: {e}"));
    }
    let f = Filter {
        text: Some("stoplogging".into()),
        ..Filter::default()
    };
    assert_eq!(s.events(&f, 5).unwrap().0, 1);

    s.add_incidents(&[IncidentInput {
        id: "INC-abc123".into(),
        title: "t".into(),
        threat_level: "high".into(),
        level_rank: 3,
        first_ms: Some(1_000),
        last_ms: Some(2_000),
        principal: rows[0].principal.clone(),
        account: None,
        summary: "s".into(),
        json: "{}".into(),
        alerts: vec![(
            "r1".into(),
            "Rule one".into(),
            "high".into(),
            Some("ct:2".into()),
        )],
    }])
    .unwrap();
    let i = s.incident("INC-abc").unwrap().unwrap();
    assert_eq!(
        (i.id.as_str(), i.evidence.clone()),
        ("INC-abc123", vec!["ct:2".to_string()])
    );
    assert_eq!(s.incidents(Some(2_500), None, 1, 10).unwrap().len(), 0);

    // Retention: by age, then by count.
    assert_eq!(s.retain(Some(1_500), None).unwrap(), 1);
    assert_eq!(s.retain(None, Some(1)).unwrap(), 1);
    assert_eq!(s.stats().unwrap().0, 1);
    let f = Filter {
        text: Some("stoplogging".into()),
        ..Filter::default()
    };
    assert_eq!(
        s.events(&f, 5).unwrap().0,
        0,
        "the index forgets deleted events"
    );
}

#[test]
fn schema_versions_and_damaged_files() {
    let d = tempfile::tempdir().unwrap();
    drop(Store::open(d.path()).unwrap());
    // Reopening migrates nothing and keeps data.
    drop(Store::open(d.path()).unwrap());
    // A store written by a newer warden is refused, not damaged.
    let conn = rusqlite_free_set_version(d.path(), 99);
    drop(conn);
    match Store::open(d.path()) {
        Err(StoreError::TooNew { found: 99, .. }) => {}
        other => panic!("{:?}", other.err()),
    }
    let bad = tempfile::tempdir().unwrap();
    std::fs::write(bad.path().join("warden.db"), vec![b'x'; 4096]).unwrap();
    let e = Store::open(bad.path()).err().unwrap().to_string();
    assert!(
        e.contains("warden.db") && e.contains("not a warden store"),
        "{e}"
    );
}

/// Set `PRAGMA user_version` through a raw SQLite connection.
fn rusqlite_free_set_version(dir: &std::path::Path, v: i64) -> Store {
    let s = Store::open(dir).unwrap();
    s.set_user_version_for_tests(v);
    s
}

/// A deterministic spread of events over three days: several sources,
/// names, failures and principals, in batches bigger than a block.
fn spread(n: usize) -> Vec<EventRow> {
    let names = ["ConsoleLogin", "GetObject", "AssumeRole", "StopLogging"];
    let kinds = ["cloudtrail", "cloudtrail", "okta", "guardduty"];
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..n)
        .map(|i| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let t = 1_715_000_000_000 + (x % (3 * 86_400_000)) as i64;
            let mut r = ev(
                &format!("k:{i}"),
                t,
                ["alice", "bob", "carol"][(x >> 20) as usize % 3],
                names[(x >> 24) as usize % 4],
                "192.0.2.1",
            );
            r.kind = kinds[(x >> 28) as usize % 4].into();
            if (x >> 32).is_multiple_of(5) {
                r.error_code = Some("AccessDenied".into());
            }
            if i % 97 == 0 {
                r.event_name = None;
            }
            r.raw = format!("{{\"n\":{i},\"pad\":\"{}\"}}", "x".repeat(i % 300));
            r
        })
        .collect()
}

fn brute(
    rows: &[EventRow],
    f: &Filter,
    col: fn(&EventRow) -> Option<String>,
) -> Vec<(String, u64)> {
    let mut m = std::collections::BTreeMap::new();
    for r in rows {
        let failed = r.error_code.is_some();
        if f.since_ms.is_some_and(|s| r.time_ms < s)
            || f.until_ms.is_some_and(|u| r.time_ms >= u)
            || (!f.kinds.is_empty() && !f.kinds.contains(&r.kind))
            || (f.failed_only && !failed)
        {
            continue;
        }
        if let Some(v) = col(r).filter(|v| !v.is_empty()) {
            *m.entry(v).or_insert(0u64) += 1;
        }
    }
    let mut v: Vec<_> = m.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

#[test]
fn hourly_counts_agree_with_the_events_for_any_window() {
    let d = tempfile::tempdir().unwrap();
    let mut s = Store::open(d.path()).unwrap();
    let rows = spread(5_000);
    for chunk in rows.chunks(700) {
        s.add_events(chunk).unwrap();
    }
    // Duplicates change nothing.
    s.add_events(&rows[..1_000]).unwrap();
    let t0 = 1_715_000_000_000i64;
    let windows = [
        (None, None),
        (Some(t0), Some(t0 + 86_400_000)), // hour-aligned
        (Some(t0 + 1_234_567), Some(t0 + 50_000_000)), // ragged both ends
        (Some(t0 + 100), Some(t0 + 200_000)), // inside one hour
        (Some(t0 + 3 * 86_400_000 - 7_777_777), None), // open-ended
        (None, Some(t0 + 5_555_555)),
    ];
    for (since_ms, until_ms) in windows {
        for kinds in [vec![], vec!["okta".to_string()]] {
            for failed_only in [false, true] {
                let f = Filter {
                    since_ms,
                    until_ms,
                    kinds: kinds.clone(),
                    failed_only,
                    ..Filter::default()
                };
                let ctx = format!("{since_ms:?}..{until_ms:?} {kinds:?} failed={failed_only}");
                let total = brute(&rows, &f, |_| Some("all".into()));
                assert_eq!(
                    s.events(&f, 0).unwrap().0,
                    total.first().map(|t| t.1).unwrap_or(0),
                    "{ctx}"
                );
                let by_name = s.count_by(&f, Column::EventName, 10).unwrap();
                let got: Vec<_> = by_name.iter().map(|c| (c.value.clone(), c.count)).collect();
                assert_eq!(got, brute(&rows, &f, |r| r.event_name.clone()), "{ctx}");
                for c in &by_name {
                    let ex = rows.iter().find(|r| r.uid == c.example_uid).unwrap();
                    assert_eq!(
                        ex.event_name.as_deref(),
                        Some(c.value.as_str()),
                        "{ctx}: example"
                    );
                }
                let by_kind = s.count_by(&f, Column::Kind, 10).unwrap();
                let got: Vec<_> = by_kind.iter().map(|c| (c.value.clone(), c.count)).collect();
                assert_eq!(got, brute(&rows, &f, |r| Some(r.kind.clone())), "{ctx}");
            }
        }
    }
    // Retention recounts the hours it touched.
    let cutoff = t0 + 86_400_000 + 1_800_000;
    assert!(s.retain(Some(cutoff), None).unwrap() > 0);
    let kept: Vec<EventRow> = rows
        .iter()
        .filter(|r| r.time_ms >= cutoff)
        .cloned()
        .collect();
    let f = Filter::default();
    let got: Vec<_> = s
        .count_by(&f, Column::EventName, 10)
        .unwrap()
        .iter()
        .map(|c| (c.value.clone(), c.count))
        .collect();
    assert_eq!(got, brute(&kept, &f, |r| r.event_name.clone()));
    assert_eq!(s.events(&f, 0).unwrap().0, kept.len() as u64);
    // Every kept event still reads back from its block; deleted ones are gone.
    for r in kept.iter().step_by(97) {
        let orig = rows.iter().find(|o| o.uid == r.uid).unwrap();
        assert_eq!(
            s.raw_event(&r.uid).unwrap().as_deref(),
            Some(orig.raw.as_str())
        );
    }
    let gone = rows.iter().find(|r| r.time_ms < cutoff).unwrap();
    assert_eq!(s.raw_event(&gone.uid).unwrap(), None);
    s.retain(None, Some(0)).unwrap();
    assert_eq!(s.events(&f, 0).unwrap().0, 0);
    assert!(s.count_by(&f, Column::Kind, 5).unwrap().is_empty());
}

#[test]
fn bulk_load_rebuilds_indexes_even_after_a_crash() {
    let d = tempfile::tempdir().unwrap();
    let rows = spread(2_000);
    {
        let mut s = Store::open(d.path()).unwrap();
        s.begin_bulk().unwrap();
        s.add_events(&rows).unwrap();
        // Dropped without end_bulk: as if the process died here.
    }
    let s = Store::open(d.path()).unwrap();
    let f = Filter {
        principals: vec!["arn:aws:iam::123456789012:user/bob".into()],
        ..Filter::default()
    };
    let want = rows
        .iter()
        .filter(|r| r.user_name.as_deref() == Some("bob"))
        .count() as u64;
    assert_eq!(s.events(&f, 1).unwrap().0, want);
    let conn_check = rusqlite_indexes(d.path());
    for name in ["events_principal", "events_time", "events_failed"] {
        assert!(
            conn_check.contains(&name.to_string()),
            "{name} rebuilt: {conn_check:?}"
        );
    }
}

fn rusqlite_indexes(dir: &std::path::Path) -> Vec<String> {
    let c = rusqlite::Connection::open(dir.join(warden_store::DB_FILE)).unwrap();
    let mut st = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index'")
        .unwrap();
    st.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}
