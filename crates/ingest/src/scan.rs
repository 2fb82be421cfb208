//! A single-pass JSON scanner that extracts only the wanted fields.
//!
//! Parsing CloudTrail into a generic DOM costs more than decompressing it.
//! This scanner walks one record once, guided by the field trie: keys that
//! lead to a wanted path are descended into and their values recorded as
//! byte spans; everything else is skipped structurally (strings jumped over
//! with `memchr`, brackets counted). It validates what it reads — strings
//! terminate, brackets balance, keys and separators are where JSON puts them —
//! and reports `Incomplete` separately from `Invalid` so a streaming caller
//! can read more input and try again.

use memchr::memchr2;
use warden_core::{FieldTable, Span, SpanKind, Trie, TrieNodeId};

/// Why a record could not be scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanError {
    /// The input ended inside the value; more bytes may complete it.
    Incomplete,
    /// Not valid JSON at this byte offset (relative to the record start).
    Invalid(usize, &'static str),
}

type Res<T> = Result<T, ScanError>;

/// Deepest nesting accepted; deeper input is rejected rather than risking
/// unbounded work on hostile data.
pub const MAX_DEPTH: usize = 128;

#[inline]
pub fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\n' | b'\r' | b'\t') {
        i += 1;
    }
    i
}

/// `b[i]` is `"`; returns the index after the closing quote and whether the
/// string holds escapes.
#[inline]
fn scan_string(b: &[u8], i: usize) -> Res<(usize, bool)> {
    let mut j = i + 1;
    let mut escaped = false;
    loop {
        let Some(k) = memchr2(b'"', b'\\', b.get(j..).unwrap_or(&[])) else {
            return Err(ScanError::Incomplete);
        };
        let p = j + k;
        if b[p] == b'"' {
            return Ok((p + 1, escaped));
        }
        escaped = true;
        j = p + 2;
        if j > b.len() {
            return Err(ScanError::Incomplete);
        }
    }
}

#[inline]
fn scan_literal(b: &[u8], i: usize, lit: &'static [u8]) -> Res<usize> {
    let end = i + lit.len();
    match b.get(i..end) {
        Some(s) if s == lit => Ok(end),
        Some(_) => Err(ScanError::Invalid(
            i,
            "invalid literal (expected true, false or null)",
        )),
        None if lit.starts_with(&b[i..]) => Err(ScanError::Incomplete),
        None => Err(ScanError::Invalid(
            i,
            "invalid literal (expected true, false or null)",
        )),
    }
}

#[inline]
fn scan_number(b: &[u8], i: usize) -> Res<usize> {
    let mut j = i;
    while j < b.len() && matches!(b[j], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') {
        j += 1;
    }
    if j == b.len() {
        return Err(ScanError::Incomplete);
    }
    if j == i {
        return Err(ScanError::Invalid(
            i,
            "unexpected character where a value was expected",
        ));
    }
    Ok(j)
}

const C_OTHER: u8 = 0;
const C_QUOTE: u8 = 1;
const C_OPEN_OBJ: u8 = 2;
const C_OPEN_ARR: u8 = 3;
const C_CLOSE_OBJ: u8 = 4;
const C_CLOSE_ARR: u8 = 5;

static CLASS: [u8; 256] = {
    let mut t = [C_OTHER; 256];
    t[b'"' as usize] = C_QUOTE;
    t[b'{' as usize] = C_OPEN_OBJ;
    t[b'[' as usize] = C_OPEN_ARR;
    t[b'}' as usize] = C_CLOSE_OBJ;
    t[b']' as usize] = C_CLOSE_ARR;
    t
};

/// Skip an object or array starting at `b[i]`, checking that brackets
/// balance and strings terminate. Returns the index after it.
fn skip_container(b: &[u8], i: usize) -> Res<usize> {
    // One bit per level: 1 = object, 0 = array.
    let mut kinds: u128 = 0;
    let mut depth = 0usize;
    let mut j = i;
    while j < b.len() {
        match CLASS[b[j] as usize] {
            C_OTHER => j += 1,
            C_QUOTE => j = scan_string(b, j)?.0,
            c @ (C_OPEN_OBJ | C_OPEN_ARR) => {
                if depth >= MAX_DEPTH {
                    return Err(ScanError::Invalid(j, "nesting deeper than 128 levels"));
                }
                kinds = (kinds << 1) | (c == C_OPEN_OBJ) as u128;
                depth += 1;
                j += 1;
            }
            c => {
                if depth == 0 || ((kinds & 1) == 1) != (c == C_CLOSE_OBJ) {
                    return Err(ScanError::Invalid(j, "mismatched bracket"));
                }
                kinds >>= 1;
                depth -= 1;
                j += 1;
                if depth == 0 {
                    return Ok(j);
                }
            }
        }
    }
    Err(ScanError::Incomplete)
}

/// Skip any JSON value starting at `b[i]` (not whitespace).
pub fn skip_value(b: &[u8], i: usize) -> Res<usize> {
    match b.get(i) {
        None => Err(ScanError::Incomplete),
        Some(b'"') => scan_string(b, i).map(|r| r.0),
        Some(b'{' | b'[') => skip_container(b, i),
        Some(b't') => scan_literal(b, i, b"true"),
        Some(b'f') => scan_literal(b, i, b"false"),
        Some(b'n') => scan_literal(b, i, b"null"),
        Some(b'-' | b'0'..=b'9') => scan_number(b, i),
        Some(_) => Err(ScanError::Invalid(
            i,
            "unexpected character where a value was expected",
        )),
    }
}

/// Scans records against one field trie, writing spans into a table.
pub struct Scanner<'t> {
    trie: &'t Trie,
    key_buf: Vec<u8>,
}

impl<'t> Scanner<'t> {
    pub fn new(trie: &'t Trie) -> Scanner<'t> {
        Scanner {
            trie,
            key_buf: Vec::new(),
        }
    }

    /// Scan the object at `b[0]` (must be `{`), filling `table`. Returns the
    /// record's length in bytes.
    pub fn scan_record(&mut self, b: &[u8], table: &mut FieldTable) -> Res<usize> {
        match b.first() {
            None => Err(ScanError::Incomplete),
            Some(b'{') => self.scan_object(b, 0, Trie::ROOT, table, 1),
            Some(_) => Err(ScanError::Invalid(0, "expected a JSON object")),
        }
    }

    fn child(&mut self, node: TrieNodeId, key: &[u8], escaped: bool) -> Option<TrieNodeId> {
        if !self.trie.has_children(node) {
            return None;
        }
        if !escaped {
            return self.trie.child(node, key);
        }
        let text = std::str::from_utf8(key).ok()?;
        self.key_buf.clear();
        self.key_buf
            .extend_from_slice(warden_core::record::unescape(text).as_bytes());
        let key = std::mem::take(&mut self.key_buf);
        let c = self.trie.child(node, &key);
        self.key_buf = key;
        c
    }

    fn scan_object(
        &mut self,
        b: &[u8],
        i: usize,
        node: TrieNodeId,
        table: &mut FieldTable,
        depth: usize,
    ) -> Res<usize> {
        if depth > MAX_DEPTH {
            return Err(ScanError::Invalid(i, "nesting deeper than 128 levels"));
        }
        let n = b.len();
        let mut i = skip_ws(b, i + 1);
        if i >= n {
            return Err(ScanError::Incomplete);
        }
        if b[i] == b'}' {
            return Ok(i + 1);
        }
        loop {
            if b[i] != b'"' {
                return Err(ScanError::Invalid(i, "expected a quoted key"));
            }
            let (kend, escaped) = scan_string(b, i)?;
            let child = self.child(node, &b[i + 1..kend - 1], escaped);
            i = skip_ws(b, kend);
            if i >= n {
                return Err(ScanError::Incomplete);
            }
            if b[i] != b':' {
                return Err(ScanError::Invalid(i, "expected ':' after key"));
            }
            i = skip_ws(b, i + 1);
            if i >= n {
                return Err(ScanError::Incomplete);
            }
            i = match child {
                None => skip_value(b, i)?,
                Some(c) => self.scan_wanted(b, i, c, table, depth)?,
            };
            i = skip_ws(b, i);
            if i >= n {
                return Err(ScanError::Incomplete);
            }
            match b[i] {
                b',' => {
                    i = skip_ws(b, i + 1);
                    if i >= n {
                        return Err(ScanError::Incomplete);
                    }
                }
                b'}' => return Ok(i + 1),
                _ => return Err(ScanError::Invalid(i, "expected ',' or '}' in object")),
            }
        }
    }

    fn scan_wanted(
        &mut self,
        b: &[u8],
        i: usize,
        node: TrieNodeId,
        table: &mut FieldTable,
        depth: usize,
    ) -> Res<usize> {
        let field = self.trie.field(node);
        let kids = self.trie.has_children(node);
        let span = |start: usize, end: usize, kind| Span {
            start: start as u32,
            end: end as u32,
            kind,
        };
        let (end, kind, start, stop) = match b[i] {
            b'"' => {
                let (end, esc) = scan_string(b, i)?;
                let kind = if esc {
                    SpanKind::StrEscaped
                } else {
                    SpanKind::Str
                };
                (end, kind, i + 1, end - 1)
            }
            b'{' => {
                let end = if kids {
                    self.scan_object(b, i, node, table, depth + 1)?
                } else {
                    skip_container(b, i)?
                };
                (end, SpanKind::Raw, i, end)
            }
            b'[' => {
                if !kids && field.is_none() {
                    return skip_container(b, i);
                }
                // The array itself comes first among the field's values, so
                // `get` sees the whole array; its elements follow.
                let slot = field.map(|f| table.push(f, span(i, i, SpanKind::Raw)));
                let end = self.scan_array(b, i, node, table, depth + 1)?;
                if let Some(slot) = slot {
                    table.patch(slot, span(i, end, SpanKind::Raw));
                }
                return Ok(end);
            }
            b't' => {
                let end = scan_literal(b, i, b"true")?;
                (end, SpanKind::True, i, end)
            }
            b'f' => {
                let end = scan_literal(b, i, b"false")?;
                (end, SpanKind::False, i, end)
            }
            b'n' => {
                let end = scan_literal(b, i, b"null")?;
                (end, SpanKind::Null, i, end)
            }
            _ => {
                let end = scan_number(b, i)?;
                (end, SpanKind::Number, i, end)
            }
        };
        if let Some(f) = field {
            table.push(f, span(start, stop, kind));
        }
        Ok(end)
    }

    /// Arrays on a wanted path: objects are descended into with the same
    /// trie node (`resources.ARN` reaches every element's `ARN`), scalars are
    /// recorded as extra values of the field.
    fn scan_array(
        &mut self,
        b: &[u8],
        i: usize,
        node: TrieNodeId,
        table: &mut FieldTable,
        depth: usize,
    ) -> Res<usize> {
        if depth > MAX_DEPTH {
            return Err(ScanError::Invalid(i, "nesting deeper than 128 levels"));
        }
        let n = b.len();
        let field = self.trie.field(node);
        let kids = self.trie.has_children(node);
        let mut i = skip_ws(b, i + 1);
        if i >= n {
            return Err(ScanError::Incomplete);
        }
        if b[i] == b']' {
            return Ok(i + 1);
        }
        loop {
            i = match b[i] {
                b'{' if kids => self.scan_object(b, i, node, table, depth + 1)?,
                b'{' | b'[' => skip_value(b, i)?,
                _ if field.is_some() => {
                    // Record scalars individually; the array itself is
                    // recorded by the caller as raw text.
                    let start = i;
                    let end = skip_value(b, i)?;
                    let (s, e, kind) = match b[start] {
                        b'"' => {
                            let esc = memchr::memchr(b'\\', &b[start + 1..end - 1]).is_some();
                            let kind = if esc {
                                SpanKind::StrEscaped
                            } else {
                                SpanKind::Str
                            };
                            (start + 1, end - 1, kind)
                        }
                        b't' => (start, end, SpanKind::True),
                        b'f' => (start, end, SpanKind::False),
                        b'n' => (start, end, SpanKind::Null),
                        _ => (start, end, SpanKind::Number),
                    };
                    if let Some(f) = field {
                        table.push(
                            f,
                            Span {
                                start: s as u32,
                                end: e as u32,
                                kind,
                            },
                        );
                    }
                    end
                }
                _ => skip_value(b, i)?,
            };
            i = skip_ws(b, i);
            if i >= n {
                return Err(ScanError::Incomplete);
            }
            match b[i] {
                b',' => {
                    i = skip_ws(b, i + 1);
                    if i >= n {
                        return Err(ScanError::Incomplete);
                    }
                }
                b']' => return Ok(i + 1),
                _ => return Err(ScanError::Invalid(i, "expected ',' or ']' in array")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use warden_core::{EventView, FieldRegistry, LogKind, StdFields};

    fn scan(json: &str, paths: &[&str]) -> (FieldRegistry, FieldTable, Res<usize>) {
        let mut reg = FieldRegistry::new();
        for p in paths {
            reg.intern(p);
        }
        let mut table = FieldTable::new(reg.len());
        let r = Scanner::new(reg.trie()).scan_record(json.as_bytes(), &mut table);
        (reg, table, r)
    }

    fn texts(json: &str, paths: &[&str], path: &str) -> Vec<String> {
        let (mut reg, table, r) = scan(json, paths);
        assert!(r.is_ok(), "{r:?}");
        let std = StdFields::register(&mut reg);
        let mut t2 = FieldTable::new(reg.len());
        // re-scan with the grown registry so ids line up
        Scanner::new(reg.trie())
            .scan_record(json.as_bytes(), &mut t2)
            .unwrap();
        let _ = table;
        let v = EventView {
            kind: LogKind::Unknown,
            raw: json,
            table: &t2,
            std: &std,
        };
        let id = reg.get(path).unwrap();
        v.values(id)
            .map(|x| {
                x.text()
                    .map(|c| c.into_owned())
                    .unwrap_or_else(|| "<null>".into())
            })
            .collect()
    }

    #[test]
    fn extracts_nested_fields_and_skips_the_rest() {
        let j = r#"{"a":{"b":"x","c":[1,{"d":"}"}]},"skip":{"deep":[[[{"q":"\"]"}]]]},"e":42,"f":null,"g":true}"#;
        assert_eq!(texts(j, &["a.b", "e", "f", "g"], "a.b"), vec!["x"]);
        assert_eq!(texts(j, &["a.b", "e"], "e"), vec!["42"]);
        assert_eq!(texts(j, &["f"], "f"), vec!["<null>"]);
        assert_eq!(texts(j, &["g"], "g"), vec!["true"]);
        assert_eq!(texts(j, &["a.c.d"], "a.c.d"), vec!["}"]);
        assert_eq!(
            texts(j, &["a"], "a"),
            vec![r#"{"b":"x","c":[1,{"d":"}"}]}"#]
        );
    }

    #[test]
    fn arrays_give_every_element() {
        let j = r#"{"resources":[{"ARN":"arn:1"},{"ARN":"arn:2"}],"tags":["x","y\u0041"]}"#;
        assert_eq!(
            texts(j, &["resources.arn"], "resources.arn"),
            vec!["arn:1", "arn:2"]
        );
        let t = texts(j, &["tags"], "tags");
        assert_eq!(t, vec![r#"["x","y\u0041"]"#, "x", "yA"]);
    }

    #[test]
    fn keys_match_case_insensitively_and_through_escapes() {
        let j = r#"{"eventType":"user.session.start","ev\u0065ntName":"X"}"#;
        assert_eq!(
            texts(j, &["eventtype"], "eventtype"),
            vec!["user.session.start"]
        );
        assert_eq!(texts(j, &["eventName"], "eventName"), vec!["X"]);
    }

    #[test]
    fn incomplete_versus_invalid() {
        let paths = &["a.b"];
        for s in [
            r#"{"a":{"b":"x"#,
            r#"{"a":"#,
            r#"{"a":tr"#,
            r#"{"a":[1,2"#,
            "{",
            r#"{"a":12"#,
        ] {
            assert_eq!(scan(s, paths).2, Err(ScanError::Incomplete), "{s}");
        }
        for s in [
            r#"{"a" "b"}"#,
            r#"{"a":x}"#,
            r#"{a:1}"#,
            r#"{"a":[1}"#,
            r#"{"a":{"b":1]}"#,
            r#"{"a":1 "b":2}"#,
            r#"{"a":trux}"#,
            "[1]",
        ] {
            assert!(
                matches!(scan(s, paths).2, Err(ScanError::Invalid(..))),
                "{s}"
            );
        }
    }

    #[test]
    fn deep_nesting_is_rejected_not_overflowed() {
        let mut s = String::from(r#"{"x":"#);
        s.push_str(&"[".repeat(10_000));
        s.push_str(&"]".repeat(10_000));
        s.push('}');
        assert!(matches!(scan(&s, &["y"]).2, Err(ScanError::Invalid(..))));
        let mut s = String::new();
        for _ in 0..5000 {
            s.push_str(r#"{"a":"#);
        }
        assert!(matches!(
            scan(&s, &["a.a.a"]).2,
            Err(ScanError::Invalid(..))
        ));
    }

    #[test]
    fn returns_record_length() {
        let (_, _, r) = scan(r#"{"a":1} trailing"#, &["a"]);
        assert_eq!(r, Ok(7));
    }
}
