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
