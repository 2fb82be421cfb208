//! Human-readable and machine output.

use std::io::{self, Write};

use serde::Serialize;
use warden_core::{Alert, Incident, Level, LogKind, ThreatLevel};
use warden_ingest::FileStats;

use crate::pipeline::RunSummary;

/// Output format chosen by `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table on a terminal, JSON (triage) or NDJSON (detect) otherwise.
    Auto,
    Table,
    Json,
    Ndjson,
}

/// ANSI colours, only when writing to a terminal and NO_COLOR is unset.
#[derive(Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    pub fn threat(&self, t: ThreatLevel) -> String {
        let s = format!("{:<8}", t.as_str().to_uppercase());
        match t {
            ThreatLevel::Critical => self.paint("1;31", &s),
            ThreatLevel::High => self.paint("31", &s),
            ThreatLevel::Medium => self.paint("33", &s),
            ThreatLevel::Low => self.paint("2", &s),
        }
    }
    pub fn level(&self, l: Level) -> String {
        let s = format!("{:<13}", l.as_str());
        match l {
            Level::Critical => self.paint("1;31", &s),
            Level::High => self.paint("31", &s),
            Level::Medium => self.paint("33", &s),
            _ => self.paint("2", &s),
        }
    }
    pub fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
    pub fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }
}

fn trunc(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Neutralise terminal control characters that came from logs, so a
/// hostile user agent cannot rewrite the analyst's screen.
pub fn safe(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect()
}

pub fn alert_table_header(out: &mut impl Write, style: Style) -> io::Result<()> {
    writeln!(
        out,
        "{}",
        style.bold(&format!(
            "{:<24} {:<13} {:<44} {:<28} {:<32} {}",
            "TIME", "LEVEL", "RULE", "EVENT", "PRINCIPAL", "SOURCE IP"
        ))
    )
}

pub fn alert_row(out: &mut impl Write, a: &Alert, style: Style) -> io::Result<()> {
    let e = &a.event;
    writeln!(
        out,
        "{:<24} {} {:<44} {:<28} {:<32} {}",
        e.time.map(|t| t.to_rfc3339()).unwrap_or_else(|| "-".into()),
        style.level(a.rule.level),
        safe(&trunc(&a.rule.title, 44)),
        safe(&trunc(e.event_name.as_deref().unwrap_or("-"), 28)),
        safe(&trunc(
            &e.who()
                .map(warden_triage::short_principal)
                .unwrap_or_else(|| "-".into()),
            32
        )),
        safe(e.source_ip.as_deref().unwrap_or("-")),
    )
}

fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for w in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + w.chars().count() > width {
            out.push_str(indent);
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(w);
    }
    if !line.is_empty() {
        out.push_str(indent);
        out.push_str(&line);
        out.push('\n');
    }
    out
}

pub fn incident_block(out: &mut impl Write, i: &Incident, style: Style) -> io::Result<()> {
    let span = match (i.first_seen, i.last_seen) {
        (Some(a), Some(b)) if a != b => format!("{} → {}", a, b),
        (Some(a), _) => a.to_string(),
        _ => "unknown time".into(),
    };
    writeln!(
        out,
        "{} {} {}  {}",
        style.threat(i.threat_level),
        style.bold(&i.id),
        safe(&i.title),
        style.dim(&span)
    )?;
    write!(out, "{}", wrap(&safe(&i.summary), 100, "    "))?;
    writeln!(
        out,
        "    {} {} alerts, {} evidence events, rules: {}",
        style.dim("evidence:"),
        i.alert_count,
        i.evidence.len(),
        i.rule_ids.len()
    )?;
    if i.reference.is_image_upload {
        writeln!(
            out,
            "    {} s3://{}/{} ({})",
            style.dim("image upload:"),
            safe(i.reference.s3_bucket.as_deref().unwrap_or("?")),
            safe(i.reference.s3_key.as_deref().unwrap_or("?")),
            i.reference.media_type.as_deref().unwrap_or("?")
        )?;
    }
    for (n, a) in i.recommended_actions.iter().take(3).enumerate() {
        let text = wrap(&safe(a), 92, "         ");
        write!(out, "    → {}. {}", n + 1, text.trim_start())?;
    }
    writeln!(out)
}

/// `triage --format json`.
#[derive(Serialize)]
pub struct TriageDoc<'a> {
    pub summary: SummaryJson,
    pub incidents: &'a [Incident],
    /// With `--llm`: incidents narrated, calls, cache hits and tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub llm: Option<crate::narrate::NarrateReport>,
}

/// `detect --format json`.
#[derive(Serialize)]
pub struct DetectDoc<'a> {
    pub summary: SummaryJson,
    pub alerts: &'a [warden_core::AlertRecord],
}

/// Counts for JSON output and the closing line.
#[derive(Debug, Serialize)]
pub struct SummaryJson {
    pub files: usize,
    pub records: u64,
    pub events: u64,
    pub errors: u64,
    pub bytes: u64,
    pub events_by_source: std::collections::BTreeMap<String, u64>,
    pub alerts: usize,
    pub suppressed: u64,
    /// Identical alerts folded into an earlier one within the dedupe window.
    pub folded: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incidents: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incidents_by_level: Option<std::collections::BTreeMap<String, usize>>,
    pub seconds: f64,
}

pub fn summary_json(s: &RunSummary, incidents: Option<&[Incident]>) -> SummaryJson {
    let st: &FileStats = &s.stats;
    let mut by = std::collections::BTreeMap::new();
    for k in LogKind::ALL {
        let n = st.by_kind[k.index()];
        if n > 0 {
            by.insert(k.as_str().to_string(), n);
        }
    }
    SummaryJson {
        files: s.files,
        records: st.records,
        events: st.events,
        errors: st.errors,
        bytes: st.bytes,
        events_by_source: by,
        alerts: s.alerts,
        suppressed: s.suppressed,
        folded: s.folded,
        incidents: incidents.map(|i| i.len()),
        incidents_by_level: incidents.map(|incs| {
            let mut m = std::collections::BTreeMap::new();
            for i in incs {
                *m.entry(i.threat_level.as_str().to_string()).or_insert(0) += 1;
            }
            m
        }),
        seconds: (s.seconds * 1000.0).round() / 1000.0,
    }
}

/// The closing line on stderr.
pub fn summary_line(s: &RunSummary, incidents: Option<&[Incident]>) -> String {
    let st = &s.stats;
    let kinds: Vec<String> = LogKind::ALL
        .iter()
        .filter(|k| st.by_kind[k.index()] > 0)
        .map(|k| format!("{} {}", k.as_str(), st.by_kind[k.index()]))
        .collect();
    let mut line = format!(
        "warden: {} file{}, {} events",
        s.files,
        if s.files == 1 { "" } else { "s" },
        st.events
    );
    if !kinds.is_empty() {
        line.push_str(&format!(" ({})", kinds.join(", ")));
    }
    line.push_str(&format!(
        ", {} error{}, {} alert{}",
        st.errors,
        if st.errors == 1 { "" } else { "s" },
        s.alerts,
        if s.alerts == 1 { "" } else { "s" }
    ));
    match (s.suppressed, s.folded) {
        (0, 0) => {}
        (n, 0) => line.push_str(&format!(" ({n} suppressed)")),
        (0, f) => line.push_str(&format!(" ({f} repeats folded)")),
        (n, f) => line.push_str(&format!(" ({n} suppressed, {f} repeats folded)")),
    }
    if let Some(incs) = incidents {
        line.push_str(&format!(
            ", {} incident{}",
            incs.len(),
            if incs.len() == 1 { "" } else { "s" }
        ));
    }
    let mb = st.bytes as f64 / 1e6;
    line.push_str(&format!(
        " in {:.2}s ({:.0} MB/s)",
        s.seconds,
        if s.seconds > 0.0 { mb / s.seconds } else { 0.0 }
    ));
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_neutralised() {
        assert_eq!(safe("a\x1b[2Jb\n"), "a\u{FFFD}[2Jb\u{FFFD}");
        assert_eq!(trunc("abcdef", 4), "abc…");
        assert_eq!(wrap("a b c", 3, "> "), "> a b\n> c\n");
    }
}
