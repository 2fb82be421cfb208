//! Property tests: the scanner agrees with serde_json on valid JSON, and
//! the decoder never panics on arbitrary bytes.

use std::io::Cursor;
use std::sync::Arc;

use proptest::prelude::*;
use serde_json::{Map, Value};
use warden_core::{EventView, FieldRegistry, FieldTable, LogKind, SpanKind, StdFields};
use warden_ingest::scan::{ScanError, Scanner};
use warden_ingest::{open_reader, DecodeOptions, Decoder, IngestError, RecordPos, Sink};

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(Value::from),
        "[a-z\"\\\\/ é😀\n\t{}\\[\\],:]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(("[abc]", inner), 0..5)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn object() -> impl Strategy<Value = Value> {
    prop::collection::vec(("[abc]", json_value()), 0..6)
        .prop_map(|kv| Value::Object(kv.into_iter().collect()))
}

/// serde_json's view of a dotted path, descending through objects only.
fn lookup<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    let mut cur = v;
    for p in path {
        cur = cur.as_object()?.get(*p)?;
    }
    Some(cur)
}

proptest! {
    #[test]
    fn scanner_agrees_with_serde_json(v in object()) {
        let text = serde_json::to_string(&v).unwrap();
        let paths = ["a", "b", "a.b", "a.c", "b.a.c", "c.c.c"];
        let mut reg = FieldRegistry::new();
        for p in paths { reg.intern(p); }
        let std = StdFields::register(&mut reg);
        let mut table = FieldTable::new(reg.len());
        let len = Scanner::new(reg.trie()).scan_record(text.as_bytes(), &mut table).unwrap();
        prop_assert_eq!(len, text.len());
        let view = EventView { kind: LogKind::Unknown, raw: &text, table: &table, std: &std };
        for p in paths {
            let segs: Vec<&str> = p.split('.').collect();
            let expected = lookup(&v, &segs);
            // Only compare when no array lies on the path (arrays fan out).
            let crosses_array = (1..segs.len()).any(|i| lookup(&v, &segs[..i]).is_some_and(Value::is_array));
            if crosses_array { continue; }
            let got = view.by_path(&reg, p);
            match expected {
                None => prop_assert!(got.is_none(), "{p}: {got:?}"),
                Some(Value::String(s)) => {
                    let g = got.unwrap();
                    prop_assert!(matches!(g.kind, SpanKind::Str | SpanKind::StrEscaped));
                    let t = g.text().unwrap().into_owned();
                    prop_assert_eq!(t.as_str(), s.as_str());
                }
                Some(Value::Null) => prop_assert!(got.unwrap().is_null()),
                Some(other @ (Value::Object(_) | Value::Array(_))) => {
                    let raw: Value = serde_json::from_str(got.unwrap().raw).unwrap();
                    prop_assert_eq!(&raw, other);
                }
                Some(other) => prop_assert_eq!(got.unwrap().raw, other.to_string()),
            }
        }
    }

    #[test]
    fn scanner_reports_truncation_as_incomplete(v in object(), cut in 0usize..1000) {
        let text = serde_json::to_string(&v).unwrap();
        let cut = cut % text.len();
        let mut reg = FieldRegistry::new();
        reg.intern("a.b");
        let mut table = FieldTable::new(reg.len());
        let r = Scanner::new(reg.trie()).scan_record(&text.as_bytes()[..cut], &mut table);
        prop_assert!(matches!(r, Err(ScanError::Incomplete)) || (cut == 0 && r.is_err()), "{r:?}");
    }

    #[test]
    fn decoder_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..2000), chunk in 64usize..512) {
        struct Count(u64, u64);
        impl Sink for Count {
            fn event(&mut self, _: &EventView<'_>, _: RecordPos) { self.0 += 1; }
            fn error(&mut self, _: IngestError) { self.1 += 1; }
        }
        let mut reg = FieldRegistry::new();
        let std = StdFields::register(&mut reg);
        let mut dec = Decoder::new(&reg, &std, DecodeOptions { chunk_bytes: chunk, max_record_bytes: 1024 });
        let mut r = open_reader(Box::new(Cursor::new(bytes))).unwrap();
        let mut c = Count(0, 0);
        let stats = dec.decode(&mut r, &Arc::from("fuzz"), &mut c);
        prop_assert_eq!(stats.events, c.0);
        prop_assert_eq!(stats.errors, c.1);
    }

    #[test]
    fn decoder_never_panics_on_mangled_json(v in prop::collection::vec(object(), 1..5), flips in prop::collection::vec((any::<usize>(), any::<u8>()), 0..4)) {
        let mut text = String::from("{\"Records\":[");
        text.push_str(&v.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(","));
        text.push_str("]}");
        let mut bytes = text.into_bytes();
        let n = bytes.len();
        for (at, b) in flips { bytes[at % n] = b; }
        struct Nop;
        impl Sink for Nop {
            fn event(&mut self, _: &EventView<'_>, _: RecordPos) {}
            fn error(&mut self, _: IngestError) {}
        }
        let mut reg = FieldRegistry::new();
        let std = StdFields::register(&mut reg);
        let mut dec = Decoder::new(&reg, &std, DecodeOptions { chunk_bytes: 64, max_record_bytes: 4096 });
        let mut r = open_reader(Box::new(Cursor::new(bytes))).unwrap();
        dec.decode(&mut r, &Arc::from("fuzz"), &mut Nop);
    }
}
