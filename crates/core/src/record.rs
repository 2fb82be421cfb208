//! Extracted field spans and the borrowed view rules evaluate against.

use std::borrow::Cow;

use crate::fields::{FieldId, FieldRegistry};
use crate::kind::{Accessor, LogKind, StdFields};
use crate::time::Timestamp;

/// JSON type of an extracted value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum SpanKind {
    /// Field absent.
    Missing,
    /// String without escapes: the span is the text between the quotes.
    Str,
    /// String containing backslash escapes: decode before use.
    StrEscaped,
    Number,
    True,
    False,
    Null,
    /// Object or array: the span is its raw JSON text.
    Raw,
}

/// Where a value sits in the record text, as byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: u32,
    pub end: u32,
    pub kind: SpanKind,
}

impl Span {
    pub const MISSING: Span = Span {
        start: 0,
        end: 0,
        kind: SpanKind::Missing,
    };
}

/// Per-record extraction results. Allocated once per worker and reused for
/// every record, so decoding does not allocate per event.
#[derive(Debug, Clone, Default)]
pub struct FieldTable {
    first: Vec<Span>,
    more: Vec<(FieldId, Span)>,
}

impl FieldTable {
    pub fn new(fields: usize) -> FieldTable {
        FieldTable {
            first: vec![Span::MISSING; fields],
            more: Vec::new(),
        }
    }

    /// Forget the previous record's values (and grow if fields were added).
    pub fn reset(&mut self, fields: usize) {
        self.first.clear();
        self.first.resize(fields, Span::MISSING);
        self.more.clear();
    }

    /// Record a value for `id`. Arrays give several values for one path.
    /// Returns where it was stored, so a value reserved before its end is known can be completed later.
    #[inline]
    pub fn push(&mut self, id: FieldId, span: Span) -> Slot {
        let slot = &mut self.first[id.index()];
        if slot.kind == SpanKind::Missing {
            *slot = span;
            Slot::First(id)
        } else {
            self.more.push((id, span));
            Slot::More(self.more.len() - 1)
        }
    }

    /// Overwrite a value stored by [`FieldTable::push`].
    #[inline]
    pub fn patch(&mut self, slot: Slot, span: Span) {
        match slot {
            Slot::First(id) => self.first[id.index()] = span,
            Slot::More(i) => self.more[i].1 = span,
        }
    }

    #[inline]
    pub fn first(&self, id: FieldId) -> Span {
        self.first[id.index()]
    }

    /// Every extracted `(field, span)` pair.
    pub fn spans(&self) -> impl Iterator<Item = (FieldId, Span)> + '_ {
        self.first
            .iter()
            .enumerate()
            .filter(|(_, s)| s.kind != SpanKind::Missing)
            .map(|(i, s)| (FieldId(i as u32), *s))
            .chain(self.more.iter().copied())
    }
}

/// Where [`FieldTable::push`] stored a value.
#[derive(Debug, Clone, Copy)]
pub enum Slot {
    First(FieldId),
    More(usize),
}

/// One extracted JSON value, borrowed from the record text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Value<'a> {
    pub kind: SpanKind,
    /// For strings, the text between the quotes (still escaped when
    /// `kind == StrEscaped`); otherwise the raw JSON text.
    pub raw: &'a str,
}

impl<'a> Value<'a> {
    /// The value as text, the way a Sigma string matcher sees it: strings
    /// decoded, numbers and booleans as written, objects/arrays as raw JSON.
    /// `None` for JSON null.
    pub fn text(&self) -> Option<Cow<'a, str>> {
        match self.kind {
            SpanKind::Missing | SpanKind::Null => None,
            SpanKind::StrEscaped => Some(Cow::Owned(unescape(self.raw))),
            _ => Some(Cow::Borrowed(self.raw)),
        }
    }

    pub fn is_null(&self) -> bool {
        self.kind == SpanKind::Null
    }

    pub fn is_string(&self) -> bool {
        matches!(self.kind, SpanKind::Str | SpanKind::StrEscaped)
    }

    /// Numeric value for `gt`/`lt` comparisons: JSON numbers and strings that
    /// hold a number ("42" and 42 compare equal).
    pub fn as_f64(&self) -> Option<f64> {
        match self.kind {
            SpanKind::Number | SpanKind::Str => self.raw.trim().parse().ok(),
            SpanKind::StrEscaped => unescape(self.raw).trim().parse().ok(),
            _ => None,
        }
    }
}

/// Decode JSON string escapes. Invalid escapes are kept literally: the
/// scanner has already rejected structurally broken strings, and a
/// half-valid `\u` must not make a field unmatchable.
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('/') => out.push('/'),
            Some('\\') => out.push('\\'),
            Some('"') => out.push('"'),
            Some('u') => {
                let rest = chars.as_str();
                let Some(hi) = rest.get(..4).and_then(|h| u32::from_str_radix(h, 16).ok()) else {
                    out.push_str("\\u");
                    continue;
                };
                chars = rest[4..].chars();
                if (0xD800..0xDC00).contains(&hi) {
                    let rest = chars.as_str();
                    if let Some(lo) = rest
                        .strip_prefix("\\u")
                        .and_then(|r| r.get(..4))
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .filter(|lo| (0xDC00..0xE000).contains(lo))
                    {
                        chars = rest[6..].chars();
                        let cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                        out.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                        continue;
                    }
                    out.push('\u{FFFD}');
                } else {
                    out.push(char::from_u32(hi).unwrap_or('\u{FFFD}'));
                }
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// A decoded event: raw text plus the spans of the wanted fields.
#[derive(Debug, Clone, Copy)]
pub struct EventView<'a> {
    pub kind: LogKind,
    pub raw: &'a str,
    pub table: &'a FieldTable,
    pub std: &'a StdFields,
}

impl<'a> EventView<'a> {
    #[inline]
    fn value(&self, span: Span) -> Value<'a> {
        Value {
            kind: span.kind,
            raw: self
                .raw
                .get(span.start as usize..span.end as usize)
                .unwrap_or(""),
        }
    }

    /// First value of `id`, if present.
    #[inline]
    pub fn get(&self, id: FieldId) -> Option<Value<'a>> {
        let s = self.table.first(id);
        (s.kind != SpanKind::Missing).then(|| self.value(s))
    }

    /// Every value of `id` (several when the path crosses an array).
    pub fn values(&self, id: FieldId) -> impl Iterator<Item = Value<'a>> + '_ {
        let first = self.get(id);
        let more = if first.is_some() && !self.table.more.is_empty() {
            &self.table.more[..]
        } else {
            &[]
        };
        first.into_iter().chain(
            more.iter()
                .filter(move |(f, _)| *f == id)
                .map(move |(_, s)| self.value(*s)),
        )
    }

    /// Text of a standard accessor for this event's kind.
    pub fn accessor(&self, acc: Accessor) -> Option<Cow<'a, str>> {
        if let Some(c) = self.std.constant(self.kind, acc) {
            return Some(Cow::Borrowed(c));
        }
        self.std
            .ids(self.kind, acc)
            .iter()
            .find_map(|id| self.get(*id).and_then(|v| v.text()))
            .filter(|s| !s.is_empty())
    }

    pub fn time(&self) -> Option<Timestamp> {
        self.std
            .ids(self.kind, Accessor::Time)
            .iter()
            .find_map(|id| self.get(*id))
            .and_then(|v| match v.kind {
                SpanKind::Number => v.as_f64().map(Timestamp::from_epoch_number),
                _ => v.text().and_then(|t| Timestamp::parse(&t)),
            })
    }

    /// Look a field up by path; for tools and tests (rules use ids).
    pub fn by_path(&self, reg: &FieldRegistry, path: &str) -> Option<Value<'a>> {
        reg.get(path).and_then(|id| self.get(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescape_handles_all_escapes() {
        assert_eq!(unescape(r#"a\"b\\c\/d\ne"#), "a\"b\\c/d\ne");
        assert_eq!(unescape(r"\u00e9\u0041"), "éA");
        assert_eq!(unescape(r"\ud83d\ude00"), "😀");
        assert_eq!(unescape(r"\ud83d"), "\u{FFFD}");
        assert_eq!(unescape(r"\u12"), "\\u12");
        assert_eq!(unescape("tail\\"), "tail\\");
    }

    #[test]
    fn numbers_in_strings_compare_as_numbers() {
        let v = Value {
            kind: SpanKind::Str,
            raw: "42",
        };
        assert_eq!(v.as_f64(), Some(42.0));
        let v = Value {
            kind: SpanKind::Number,
            raw: "4.5e1",
        };
        assert_eq!(v.as_f64(), Some(45.0));
    }
}
