//! Decoder behaviour on good layouts and on hostile or broken input.

use std::io::{Cursor, Write};
use std::sync::Arc;

use warden_core::{Accessor, EventView, FieldRegistry, LogKind, StdFields};
use warden_ingest::{open_reader, DecodeOptions, Decoder, IngestError, RecordPos, Sink};

#[derive(Default)]
struct Collect {
    events: Vec<(LogKind, Option<String>, Option<String>, RecordPos)>,
    errors: Vec<IngestError>,
}

impl Sink for Collect {
    fn event(&mut self, e: &EventView<'_>, pos: RecordPos) {
        self.events.push((
            e.kind,
            e.accessor(Accessor::EventName).map(|c| c.into_owned()),
            e.accessor(Accessor::EventId).map(|c| c.into_owned()),
            pos,
        ));
    }
    fn error(&mut self, e: IngestError) {
        self.errors.push(e);
    }
}

fn run_with(bytes: Vec<u8>, opts: DecodeOptions) -> (Collect, warden_ingest::FileStats) {
    let mut reg = FieldRegistry::new();
    let std = StdFields::register(&mut reg);
    let mut dec = Decoder::new(&reg, &std, opts);
    let mut r = open_reader(Box::new(Cursor::new(bytes))).unwrap();
    let mut c = Collect::default();
    let name: Arc<str> = Arc::from("test.json");
    let stats = dec.decode(&mut r, &name, &mut c);
    (c, stats)
}

fn run(bytes: &[u8]) -> (Collect, warden_ingest::FileStats) {
    run_with(bytes.to_vec(), DecodeOptions::default())
}

fn ct(name: &str, id: &str) -> String {
    format!(
        r#"{{"eventVersion":"1.08","userIdentity":{{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/alice"}},"eventTime":"2026-11-01T10:00:00Z","eventSource":"iam.amazonaws.com","eventName":"{name}","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","requestParameters":null,"eventID":"{id}"}}"#
    )
}

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

#[test]
fn cloudtrail_records_file() {
    let body = format!(
        r#"{{"Records":[{},{}]}}"#,
        ct("CreateUser", "e1"),
        ct("DeleteUser", "e2")
    );
    let (c, s) = run(body.as_bytes());
    assert!(c.errors.is_empty(), "{:?}", c.errors);
    assert_eq!(s.events, 2);
    assert_eq!(c.events[0].0, LogKind::CloudTrail);
    assert_eq!(c.events[1].1.as_deref(), Some("DeleteUser"));
    assert_eq!(c.events[1].3.record, 2);
}

#[test]
fn multi_member_gzip_and_small_chunks() {
    let a = format!(r#"{{"Records":[{}"#, ct("A", "1"));
    let b = format!(r#",{}]}}"#, ct("B", "2"));
    let mut data = gz(a.as_bytes());
    data.extend(gz(b.as_bytes()));
    let opts = DecodeOptions {
        chunk_bytes: 64,
        ..Default::default()
    };
    let (c, s) = run_with(data, opts);
    assert!(c.errors.is_empty(), "{:?}", c.errors);
    assert_eq!(s.events, 2);
}

#[test]
fn ndjson_array_single_and_pretty() {
    let nd = format!("{}\n{}\n\n", ct("A", "1"), ct("B", "2"));
    assert_eq!(run(nd.as_bytes()).1.events, 2);
    let arr = format!("[\n{},\n {}\n]", ct("A", "1"), ct("B", "2"));
    assert_eq!(run(arr.as_bytes()).1.events, 2);
    let pretty = "{\n  \"eventVersion\": \"1.08\",\n  \"eventSource\": \"s3.amazonaws.com\",\n  \"eventName\": \"GetObject\"\n}\n";
    let (c, s) = run(pretty.as_bytes());
    assert_eq!(s.events, 1);
    assert_eq!(c.events[0].1.as_deref(), Some("GetObject"));
    let bom = format!("\u{feff}{}", ct("A", "1"));
    assert_eq!(run(bom.as_bytes()).1.events, 1);
}

#[test]
fn eventbridge_envelopes_are_unwrapped() {
    let env = format!(
        r#"{{"version":"0","id":"x","detail-type":"AWS API Call via CloudTrail","source":"aws.iam","account":"123456789012","time":"2026-11-01T10:00:00Z","region":"us-east-1","resources":[],"detail":{}}}"#,
        ct("CreateUser", "inner")
    );
    let gd = r#"{"version":"0","detail-type":"GuardDuty Finding","source":"aws.guardduty","detail":{"schemaVersion":"2.0","accountId":"123456789012","region":"us-east-1","id":"gd1","type":"Recon:IAMUser/MaliciousIPCaller","service":{"serviceName":"guardduty"},"severity":5,"updatedAt":"2026-11-01T10:00:00.000Z"}}"#;
    let (c, _) = run(format!("{env}\n{gd}\n").as_bytes());
    assert!(c.errors.is_empty(), "{:?}", c.errors);
    assert_eq!(c.events[0].0, LogKind::CloudTrail);
    assert_eq!(c.events[0].2.as_deref(), Some("inner"));
    assert_eq!(c.events[1].0, LogKind::GuardDuty);
    assert_eq!(
        c.events[1].1.as_deref(),
        Some("Recon:IAMUser/MaliciousIPCaller")
    );
}

#[test]
fn broken_ndjson_line_is_reported_and_the_rest_decoded() {
    let data = format!(
        "{}\n{{\"eventVersion\":\"1.08\",\"eventName\":\"Tru\n{}\nnot json\n{}\n",
        ct("A", "1"),
        ct("B", "2"),
        ct("C", "3")
    );
    let (c, s) = run(data.as_bytes());
    let names: Vec<_> = c.events.iter().map(|e| e.1.clone().unwrap()).collect();
    assert_eq!(names, vec!["A", "B", "C"]);
    assert_eq!(s.errors, 2, "{:?}", c.errors);
    assert_eq!(c.errors[0].line, Some(2));
    assert_eq!(c.errors[0].record, Some(2));
    assert_eq!(c.errors[1].line, Some(4));
    assert!(c.errors[0]
        .to_string()
        .starts_with("test.json (record 2, line 2"));
}

#[test]
fn broken_record_in_records_array_resyncs() {
    let body = format!(
        r#"{{"Records":[{},{{"eventVersion":"1.08","eventName":"X" "oops":1}},{}]}}"#,
        ct("A", "1"),
        ct("C", "3")
    );
    let (c, s) = run(body.as_bytes());
    let names: Vec<_> = c.events.iter().map(|e| e.1.clone().unwrap()).collect();
    assert_eq!(names, vec!["A", "C"]);
    assert_eq!(s.errors, 1);
    assert_eq!(c.errors[0].record, Some(2));
    assert!(c.errors[0].message.contains("broken JSON"));
}

#[test]
fn truncated_gzip_keeps_what_was_read() {
    let mut body = String::from(r#"{"Records":["#);
    for i in 0..2000 {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&ct("ListUsers", &format!("id{i}")));
    }
    body.push_str("]}");
    let z = gz(body.as_bytes());
    let cut = z[..z.len() / 2].to_vec();
    let (c, s) = run(&cut);
    assert!(s.events > 100 && s.events < 2000, "{}", s.events);
    assert_eq!(c.errors.len(), 1, "{:?}", c.errors);
    assert!(c.errors[0].message.contains("truncated"), "{}", c.errors[0]);
}

#[test]
fn truncated_plain_file() {
    let body = format!(r#"{{"Records":[{},{}"#, ct("A", "1"), &ct("B", "2")[..40]);
    let (c, s) = run(body.as_bytes());
    assert_eq!(s.events, 1);
    assert_eq!(c.errors.len(), 1);
    assert!(c.errors[0].message.contains("truncated"));
}

#[test]
fn non_json_and_binary_files() {
    let (c, s) = run(b"hello world\n");
    assert_eq!(s.events, 0);
    assert!(c.errors[0].message.contains("not JSON"), "{}", c.errors[0]);
    let (c, _) = run(&[0u8, 1, 2, 3, 0xff]);
    assert!(c.errors[0].message.contains("0x00"));
    let (c, s) = run(b"");
    assert_eq!((c.errors.len(), s.events), (0, 0));
}

#[test]
fn invalid_utf8_is_reported_per_record() {
    let mut data = ct("A", "1").into_bytes();
    data.push(b'\n');
    let mut bad = ct("B", "2").into_bytes();
    let at = bad.len() - 3;
    bad[at] = 0xff;
    data.extend(bad);
    data.push(b'\n');
    data.extend(ct("C", "3").into_bytes());
    let (c, s) = run(&data);
    assert_eq!(s.events, 2);
    assert_eq!(c.errors.len(), 1);
    assert!(c.errors[0].message.contains("UTF-8"));
    assert_eq!(c.errors[0].record, Some(2));
}

#[test]
fn huge_single_line_is_skipped_with_bounded_buffer() {
    let opts = DecodeOptions {
        max_record_bytes: 1 << 20,
        chunk_bytes: 64 << 10,
    };
    let mut data = ct("A", "1").into_bytes();
    data.push(b'\n');
    let big = "x".repeat(50 << 20);
    data.extend(
        format!(r#"{{"eventVersion":"1.08","eventSource":"s3","eventName":"Big","blob":"{big}"}}"#)
            .into_bytes(),
    );
    data.push(b'\n');
    data.extend(ct("C", "3").into_bytes());
    let (c, s) = run_with(data, opts);
    let names: Vec<_> = c.events.iter().map(|e| e.1.clone().unwrap()).collect();
    assert_eq!(names, vec!["A", "C"]);
    assert_eq!(s.errors, 1);
    assert!(
        c.errors[0].message.contains("larger than"),
        "{}",
        c.errors[0]
    );
    assert_eq!(c.errors[0].line, Some(2));
}

#[test]
fn messy_but_valid_logs_are_accepted() {
    let odd = r#"{"eventVersion":"1.05","eventTime":"2022-03-22 14:21:53.225","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","awsRegion":"moon-central-7","requestParameters":null,"vendorExtra":{"a":[1,2,{"b":null}]},"eventID":"x"}"#;
    let (c, s) = run(odd.as_bytes());
    assert!(c.errors.is_empty());
    assert_eq!(s.events, 1);
    assert_eq!(c.events[0].0, LogKind::CloudTrail);
}

#[test]
fn kinds_are_recognised() {
    let okta = r#"{"uuid":"u1","published":"2026-11-01T10:00:00.000Z","eventType":"user.session.start","actor":{"alternateId":"a@example.com","type":"User"},"outcome":{"result":"FAILURE"}}"#;
    let bedrock = r#"{"schemaType":"ModelInvocationLog","schemaVersion":"1.0","timestamp":"2026-11-01T10:00:00Z","accountId":"123456789012","identity":{"arn":"arn:aws:sts::123456789012:assumed-role/r/s"},"region":"us-east-1","requestId":"r1","operation":"Converse","modelId":"anthropic.claude-3-haiku","input":{"inputTokenCount":12},"output":{"outputTokenCount":5}}"#;
    let other = r#"{"hello":"world"}"#;
    let (c, s) = run(format!("{okta}\n{bedrock}\n{other}\n").as_bytes());
    let kinds: Vec<_> = c.events.iter().map(|e| e.0).collect();
    assert_eq!(
        kinds,
        vec![LogKind::Okta, LogKind::Bedrock, LogKind::Unknown]
    );
    assert_eq!(c.events[1].1.as_deref(), Some("Converse"));
    assert_eq!(s.by_kind[LogKind::Unknown.index()], 1);
}
