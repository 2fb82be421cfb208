//! Streaming decoder: bytes in, [`EventView`]s out, bounded memory.
//!
//! Layouts are detected per file from the first bytes:
//! * `{"Records":[…]}` — CloudTrail delivery files, streamed record by record;
//! * `[…]` — a JSON array of events;
//! * anything else starting with `{` — a stream of objects: NDJSON, a single
//!   (possibly pretty-printed) event, or concatenated objects.
//!
//! EventBridge envelopes (`detail-type` + `detail`) are unwrapped so rules
//! see the CloudTrail event or GuardDuty finding inside. The buffer holds at
//! most one record plus one read chunk; a record larger than
//! `max_record_bytes` is reported and skipped without being buffered.
//!
//! Errors never stop the run: each is reported with the file, record number,
//! line (for object streams) and byte offset, and decoding resumes at the next
//! record when the layout allows it.

use std::io::Read;
use std::sync::Arc;

use memchr::memmem;
use warden_core::{EventView, FieldRegistry, FieldTable, LogKind, SpanKind, StdFields};

use crate::scan::{skip_ws, ScanError, Scanner};

/// Limits for one decoder.
#[derive(Debug, Clone, Copy)]
pub struct DecodeOptions {
    /// Largest single record accepted. Larger records are reported and skipped.
    pub max_record_bytes: usize,
    /// Bytes requested from the source per read.
    pub chunk_bytes: usize,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        DecodeOptions {
            max_record_bytes: 16 << 20,
            chunk_bytes: 256 << 10,
        }
    }
}

/// Where a record sits in its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RecordPos {
    /// 1-based record number in the file.
    pub record: u64,
    /// 1-based line of the record's first byte, for object streams.
    pub line: Option<u64>,
    /// Byte offset of the record in the decompressed stream.
    pub offset: u64,
}

/// A problem with one file or one record in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestError {
    pub file: Arc<str>,
    pub record: Option<u64>,
    pub line: Option<u64>,
    pub offset: Option<u64>,
    pub message: String,
}

impl std::fmt::Display for IngestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        let mut parts = Vec::new();
        if let Some(r) = self.record {
            parts.push(format!("record {r}"));
        }
        if let Some(l) = self.line {
            parts.push(format!("line {l}"));
        }
        if let Some(o) = self.offset {
            parts.push(format!("byte {o}"));
        }
        if !parts.is_empty() {
            write!(f, " ({})", parts.join(", "))?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Receives decoded events and errors.
pub trait Sink {
    fn event(&mut self, event: &EventView<'_>, pos: RecordPos);
    fn error(&mut self, error: IngestError);
}

/// Counts for one file (or, summed, for a run).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FileStats {
    /// Records seen, including ones that failed to decode.
    pub records: u64,
    /// Records decoded into events.
    pub events: u64,
    pub errors: u64,
    /// Decompressed bytes read.
    pub bytes: u64,
    /// Events per kind, indexed by `LogKind::index()`.
    pub by_kind: [u64; 5],
}

impl FileStats {
    pub fn add(&mut self, o: &FileStats) {
        self.records += o.records;
        self.events += o.events;
        self.errors += o.errors;
        self.bytes += o.bytes;
        for (a, b) in self.by_kind.iter_mut().zip(o.by_kind) {
            *a += b;
        }
    }
}

/// `detail-type` values whose `detail` is a log record warden understands.
/// Other EventBridge events are unwrapped too when `detail` is an object.
pub const ENVELOPE_DETAIL_TYPES: &[&str] = &[
    "AWS API Call via CloudTrail",
    "AWS Console Sign In via CloudTrail",
    "AWS Service Event via CloudTrail",
    "AWS Insight via CloudTrail",
    "GuardDuty Finding",
];

struct Buf<'r> {
    data: Vec<u8>,
    start: usize,
    end: usize,
    /// Stream offset of `data[0]`.
    base: u64,
    eof: bool,
    read_error: Option<String>,
    reader: &'r mut dyn Read,
    chunk: usize,
}

impl Buf<'_> {
    fn avail(&self) -> &[u8] {
        &self.data[self.start..self.end]
    }

    fn offset(&self) -> u64 {
        self.base + self.start as u64
    }

    /// Read more bytes, keeping `data[start..end]`. Grows the buffer up to
    /// `limit` bytes of unconsumed data. Returns false when nothing was added
    /// (end of input, read error, or the limit was reached).
    fn fill(&mut self, limit: usize) -> bool {
        if self.eof {
            return false;
        }
        if self.start > 0 {
            self.data.copy_within(self.start..self.end, 0);
            self.base += self.start as u64;
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.data.len() {
            if self.data.len() >= limit {
                return false;
            }
            let grown = (self.data.len() * 2)
                .max(self.chunk)
                .min(limit.max(self.chunk));
            self.data.resize(grown, 0);
        }
        loop {
            match self.reader.read(&mut self.data[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return false;
                }
                Ok(n) => {
                    self.end += n;
                    return true;
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.eof = true;
                    self.read_error = Some(describe_read_error(&e));
                    return false;
                }
            }
        }
    }

    /// Skip whitespace (and a UTF-8 byte-order mark at the very start),
    /// reading more as needed. Returns false at end of input.
    fn skip_ws(&mut self, lines: Option<&mut u64>) -> bool {
        let mut lines = lines;
        loop {
            if self.base == 0 && self.start == 0 && self.avail().starts_with(b"\xEF\xBB\xBF") {
                self.start = 3;
            }
            let b = &self.data[..self.end];
            let j = skip_ws(b, self.start);
            if let Some(l) = lines.as_deref_mut() {
                *l += memchr::memchr_iter(b'\n', &b[self.start..j]).count() as u64;
            }
            self.start = j;
            if self.start < self.end {
                return true;
            }
            if !self.fill(self.chunk) {
                return false;
            }
        }
    }

    /// Discard input up to the first occurrence of `needle` at or after
    /// `from` bytes past `start`. Returns false if the input ended first.
    fn skip_to(&mut self, needle: &[u8], from: usize, lines: Option<&mut u64>) -> bool {
        let mut lines = lines;
        let finder = memmem::Finder::new(needle);
        let mut from = from.min(self.end - self.start);
        loop {
            let hay = &self.data[self.start..self.end];
            if let Some(k) = finder.find(&hay[from..]) {
                if let Some(l) = lines.as_deref_mut() {
                    *l += memchr::memchr_iter(b'\n', &hay[..from + k]).count() as u64;
                }
                self.start += from + k;
                return true;
            }
            // Keep a tail that could be the start of the needle.
            let keep = (needle.len() - 1).min(hay.len());
            let drop = hay.len() - keep;
            if let Some(l) = lines.as_deref_mut() {
                *l += memchr::memchr_iter(b'\n', &hay[..drop]).count() as u64;
            }
            self.start += drop;
            from = 0;
            if !self.fill(self.chunk.max(needle.len() * 2)) {
                return false;
            }
        }
    }
}

fn describe_read_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::UnexpectedEof => {
            "compressed stream ended early (truncated gzip file?); records before this point were processed".to_string()
        }
        std::io::ErrorKind::InvalidInput | std::io::ErrorKind::InvalidData => {
            format!("corrupt compressed data ({e}); records before this point were processed")
        }
        _ => format!("read failed: {e}"),
    }
}

/// Incremental skipper for a JSON value too large to buffer.
#[derive(Default)]
struct StreamSkip {
    depth: usize,
    in_str: bool,
    esc: bool,
    started: bool,
}

impl StreamSkip {
    /// Feed bytes; returns the index just past the value if it ends here.
    fn feed(&mut self, b: &[u8]) -> Option<usize> {
        for (i, &c) in b.iter().enumerate() {
            if self.in_str {
                if self.esc {
                    self.esc = false;
                } else if c == b'\\' {
                    self.esc = true;
                } else if c == b'"' {
                    self.in_str = false;
                }
                continue;
            }
            match c {
                b'"' => self.in_str = true,
                b'{' | b'[' => {
                    self.depth += 1;
                    self.started = true;
                }
                b'}' | b']' => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.started && self.depth == 0 {
                        return Some(i + 1);
                    }
                }
                _ => {}
            }
        }
        None
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// Elements of a JSON array (CloudTrail `Records` or a bare array).
    Array,
    /// Top-level objects one after another (NDJSON, single, concatenated).
    Stream,
}

enum Step {
    Continue,
    Stop,
}

/// Decodes files into events. One per worker thread; reuses its buffers.
pub struct Decoder<'a> {
    reg: &'a FieldRegistry,
    std: &'a StdFields,
    table: FieldTable,
    opts: DecodeOptions,
    /// First bytes of a good record, used to find the next record after a
    /// broken one inside an array.
    resync: Vec<u8>,
}

impl<'a> Decoder<'a> {
    pub fn new(reg: &'a FieldRegistry, std: &'a StdFields, opts: DecodeOptions) -> Decoder<'a> {
        Decoder {
            reg,
            std,
            table: FieldTable::new(reg.len()),
            opts,
            resync: Vec::new(),
        }
    }

    /// Decode one input stream (already decompressed) into `sink`.
    pub fn decode<S: Sink>(
        &mut self,
        reader: &mut dyn Read,
        file: &Arc<str>,
        sink: &mut S,
    ) -> FileStats {
        let mut stats = FileStats::default();
        let chunk = self.opts.chunk_bytes.max(64);
        let mut buf = Buf {
            data: vec![0; chunk],
            start: 0,
            end: 0,
            base: 0,
            eof: false,
            read_error: None,
            reader,
            chunk,
        };
        self.resync.clear();
        let err = |stats: &mut FileStats, sink: &mut S, record, line, offset, message: String| {
            stats.errors += 1;
            sink.error(IngestError {
                file: file.clone(),
                record,
                line,
                offset,
                message,
            });
        };
        let mut line = 1u64;
        if !buf.skip_ws(Some(&mut line)) {
            stats.bytes = buf.offset();
            if let Some(e) = buf.read_error.take() {
                let at = stats.bytes;
                err(&mut stats, sink, None, None, Some(at), e);
            }
            return stats;
        }
        let layout = match buf.avail()[0] {
            b'{' => {
                while buf.avail().len() < 64 && buf.fill(chunk) {}
                match records_header(buf.avail()) {
                    Some(n) => {
                        buf.start += n;
                        Layout::Array
                    }
                    None => Layout::Stream,
                }
            }
            b'[' => {
                buf.start += 1;
                Layout::Array
            }
            c => {
                let what = if c.is_ascii_graphic() {
                    format!("'{}'", c as char)
                } else {
                    format!("byte 0x{c:02x}")
                };
                err(
                    &mut stats,
                    sink,
                    None,
                    None,
                    Some(buf.offset()),
                    format!("not JSON: the file starts with {what}; expected CloudTrail {{\"Records\":[…]}}, NDJSON, a JSON array or an event object"),
                );
                return stats;
            }
        };
        let mut lines = (layout == Layout::Stream).then_some(line);
        loop {
            if !buf.skip_ws(lines.as_mut()) {
                if layout == Layout::Array && buf.read_error.is_none() {
                    err(
                        &mut stats,
                        sink,
                        None,
                        None,
                        Some(buf.offset()),
                        "file ended before the closing ']' of the record array (truncated file?)"
                            .into(),
                    );
                }
                break;
            }
            let c = buf.avail()[0];
            if layout == Layout::Array && c == b']' {
                break;
            }
            if layout == Layout::Array && c == b',' {
                buf.start += 1;
                continue;
            }
            stats.records += 1;
            let pos = RecordPos {
                record: stats.records,
                line: lines,
                offset: buf.offset(),
            };
            if c != b'{' {
                err(
                    &mut stats,
                    sink,
                    Some(pos.record),
                    pos.line,
                    Some(pos.offset),
                    "expected an event object ('{')".into(),
                );
                if !self.resync(&mut buf, layout, lines.as_mut()) {
                    break;
                }
                continue;
            }
            match self.one_record(
                &mut buf,
                layout,
                pos,
                lines.as_mut(),
                &mut stats,
                sink,
                file,
            ) {
                Step::Continue => {}
                Step::Stop => break,
            }
        }
        stats.bytes = buf.base + buf.end as u64;
        if let Some(e) = buf.read_error.take() {
            let at = stats.bytes;
            err(&mut stats, sink, None, None, Some(at), e);
        }
        stats
    }

    /// After a broken record, move to where the next one starts.
    fn resync(&mut self, buf: &mut Buf<'_>, layout: Layout, lines: Option<&mut u64>) -> bool {
        match layout {
            Layout::Stream => {
                // NDJSON: the next record starts on the next line.
                let mut lines = lines;
                if !buf.skip_to(b"\n", 0, lines.as_deref_mut()) {
                    return false;
                }
                buf.start += 1;
                if let Some(l) = lines {
                    *l += 1;
                }
                true
            }
            Layout::Array => {
                let needle: &[u8] = if self.resync.is_empty() {
                    b"{\"eventVersion\""
                } else {
                    &self.resync
                };
                let needle = needle.to_vec();
                buf.skip_to(&needle, 1, None)
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn one_record<S: Sink>(
        &mut self,
        buf: &mut Buf<'_>,
        layout: Layout,
        pos: RecordPos,
        mut lines: Option<&mut u64>,
        stats: &mut FileStats,
        sink: &mut S,
        file: &Arc<str>,
    ) -> Step {
        let mut report = |stats: &mut FileStats, offset: u64, message: String| {
            stats.errors += 1;
            sink.error(IngestError {
                file: file.clone(),
                record: Some(pos.record),
                line: pos.line,
                offset: Some(offset),
                message,
            });
        };
        let limit = self.opts.max_record_bytes;
        loop {
            self.table.reset(self.reg.len());
            let result = Scanner::new(self.reg.trie()).scan_record(buf.avail(), &mut self.table);
            match result {
                Ok(len) => {
                    let rec = &buf.data[buf.start..buf.start + len];
                    if let Some(l) = lines.as_deref_mut() {
                        *l += memchr::memchr_iter(b'\n', rec).count() as u64;
                    }
                    if layout == Layout::Array && self.resync.is_empty() {
                        if let Some(k) = memchr::memchr(b':', &rec[..rec.len().min(64)]) {
                            self.resync = rec[..k].to_vec();
                        }
                    }
                    match std::str::from_utf8(rec) {
                        Ok(text) => {
                            let kind = self.emit(text, pos, sink);
                            stats.events += 1;
                            stats.by_kind[kind.index()] += 1;
                        }
                        Err(e) => report(
                            stats,
                            pos.offset + e.valid_up_to() as u64,
                            format!(
                                "invalid UTF-8 at byte {} of the record; logs must be UTF-8 encoded",
                                e.valid_up_to()
                            ),
                        ),
                    }
                    buf.start += len;
                    return Step::Continue;
                }
                Err(ScanError::Incomplete) => {
                    if buf.fill(limit) {
                        continue;
                    }
                    if buf.eof {
                        let why = match &buf.read_error {
                            Some(e) => e.clone(),
                            None => "file ends in the middle of this record (truncated file?)"
                                .to_string(),
                        };
                        if buf.read_error.is_some() {
                            // Reported once at the end of the file.
                            return Step::Stop;
                        }
                        report(stats, pos.offset, why);
                        buf.start = buf.end;
                        return Step::Stop;
                    }
                    report(
                        stats,
                        pos.offset,
                        format!(
                            "record is larger than the {} MiB limit and was skipped; raise --max-record-bytes if it is genuine",
                            limit >> 20
                        ),
                    );
                    let mut skip = StreamSkip::default();
                    loop {
                        if let Some(k) = skip.feed(buf.avail()) {
                            buf.start += k;
                            return Step::Continue;
                        }
                        buf.start = buf.end;
                        if !buf.fill(buf.chunk) {
                            return Step::Stop;
                        }
                    }
                }
                Err(ScanError::Invalid(off, msg)) => {
                    let line = match (pos.line, layout) {
                        (Some(l), Layout::Stream) => {
                            let upto = &buf.avail()[..off.min(buf.avail().len())];
                            format!(
                                " (line {})",
                                l + memchr::memchr_iter(b'\n', upto).count() as u64
                            )
                        }
                        _ => String::new(),
                    };
                    report(
                        stats,
                        pos.offset + off as u64,
                        format!(
                            "broken JSON at byte {off} of the record{line}: {msg}; record skipped"
                        ),
                    );
                    if !self.resync(buf, layout, lines) {
                        return Step::Stop;
                    }
                    return Step::Continue;
                }
            }
        }
    }

    /// Recognise the format, unwrap envelopes, and hand the event on.
    fn emit<S: Sink>(&mut self, text: &str, pos: RecordPos, sink: &mut S) -> LogKind {
        let m = self.std.markers;
        let is_envelope = {
            let dt = self.table.first(m.detail_type);
            let d = self.table.first(m.detail);
            dt.kind == SpanKind::Str
                && d.kind == SpanKind::Raw
                && text.as_bytes()[d.start as usize] == b'{'
        };
        if is_envelope {
            let d = self.table.first(m.detail);
            let inner = &text[d.start as usize..d.end as usize];
            self.table.reset(self.reg.len());
            if Scanner::new(self.reg.trie())
                .scan_record(inner.as_bytes(), &mut self.table)
                .is_ok()
            {
                let kind = detect_kind(inner, &self.table, self.std);
                let view = EventView {
                    kind,
                    raw: inner,
                    table: &self.table,
                    std: self.std,
                };
                sink.event(&view, pos);
                return kind;
            }
        }
        let kind = detect_kind(text, &self.table, self.std);
        let view = EventView {
            kind,
            raw: text,
            table: &self.table,
            std: self.std,
        };
        sink.event(&view, pos);
        kind
    }
}

/// Length of a `{"Records":[` prefix, if the input starts with one.
fn records_header(b: &[u8]) -> Option<usize> {
    let mut i = skip_ws(b, 1);
    let rest = b.get(i..)?;
    if !rest.starts_with(b"\"Records\"") {
        return None;
    }
    i = skip_ws(b, i + 9);
    if b.get(i) != Some(&b':') {
        return None;
    }
    i = skip_ws(b, i + 1);
    (b.get(i) == Some(&b'[')).then_some(i + 1)
}

/// Which log format a scanned record is.
pub fn detect_kind(text: &str, table: &FieldTable, std: &StdFields) -> LogKind {
    let m = std.markers;
    let s = |id| {
        let sp = table.first(id);
        matches!(sp.kind, SpanKind::Str | SpanKind::StrEscaped)
            .then(|| &text[sp.start as usize..sp.end as usize])
    };
    let present = |id| table.first(id).kind != SpanKind::Missing;
    if s(m.schema_type).is_some_and(|t| t.eq_ignore_ascii_case("ModelInvocationLog")) {
        return LogKind::Bedrock;
    }
    if present(m.event_version) && present(m.event_source) {
        return LogKind::CloudTrail;
    }
    if present(m.schema_version)
        && (s(m.service_name).is_some_and(|t| t.eq_ignore_ascii_case("guardduty"))
            || std
                .ids(LogKind::GuardDuty, warden_core::Accessor::EventName)
                .first()
                .and_then(|id| s(*id))
                .is_some_and(|t| t.contains(':') && t.contains('/')))
    {
        return LogKind::GuardDuty;
    }
    if present(m.event_type) && table.first(m.actor).kind == SpanKind::Raw {
        return LogKind::Okta;
    }
    LogKind::Unknown
}
