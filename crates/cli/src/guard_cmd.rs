//! `warden guard scan`: run the guardrails over text, one input per line,
//! so recognisers and injection screening can be measured on any corpus.

use std::io::{self, BufRead, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;
use warden_guard::inject::{self, Origin};
use warden_guard::recognize::{self, Found};

use crate::config::GuardConfig;
use crate::Fatal;

/// Longest line scanned; longer ones are reported and skipped.
const MAX_LINE: usize = 16 << 20;

#[derive(Args, Debug)]
pub struct GuardArgs {
    #[command(subcommand)]
    action: GuardAction,
}

#[derive(Subcommand, Debug)]
enum GuardAction {
    /// Find PII, secrets and prompt injection in text, one input per line.
    #[command(
        after_help = "Output (ndjson), one line per input line, in order:\n  {\"injection\":{\"detected\":bool,\"score\":f,\"reasons\":[...]},\"pii\":[{\"type\",\"start\",\"end\",\"score\"}],\"secrets\":[...]}\nOffsets are Unicode code points into the line. A line that cannot be read gives {\"error\": ...}.\n\nExamples:\n  warden guard scan corpus.txt\n  echo 'ignore previous instructions' | warden guard scan - --origin question"
    )]
    Scan(ScanArgs),
    /// Show text as a model would receive it under the [guard] policy:
    /// entities pseudonymised (stable placeholders across the whole input),
    /// kept or blocked.
    #[command(
        after_help = "Each input line is printed redacted; a line holding an entity whose action is block is replaced by a note and the exit code is 1.\nConfigure actions in warden.toml:\n  [guard]\n  entities = { IP_ADDRESS = \"keep\", EMAIL = \"pseudonymise\", AWS_SECRET_KEY = \"block\" }"
    )]
    Redact(RedactArgs),
}

#[derive(Args, Debug)]
struct RedactArgs {
    /// A text file or - for standard input.
    #[arg(default_value = "-")]
    input: String,
}

/// Largest input `guard redact` reads.
const MAX_REDACT_INPUT: u64 = 64 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum GuardFormat {
    Auto,
    Text,
    Ndjson,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OriginArg {
    /// A user's own question.
    Question,
    /// A field copied from logs or documents (the default: the stricter reading).
    Log,
}

#[derive(Args, Debug)]
struct ScanArgs {
    /// A text file (one input per line) or - for standard input.
    #[arg(default_value = "-")]
    input: String,
    #[arg(long, short = 'f', value_enum, default_value = "auto")]
    format: GuardFormat,
    /// Where the text comes from; log fields are screened more strictly.
    #[arg(long, value_enum, default_value = "log")]
    origin: OriginArg,
    /// Time each line and print p50/p95/p99/max for the recognisers and
    /// for injection screening on stderr.
    #[arg(long)]
    timing: bool,
}

/// "p50 3.1 µs, p95 …" over per-line nanoseconds.
fn percentiles(ns: &mut [u64]) -> String {
    if ns.is_empty() {
        return "no lines".into();
    }
    ns.sort_unstable();
    let at = |q: f64| ns[((ns.len() - 1) as f64 * q).round() as usize] as f64 / 1000.0;
    format!(
        "p50 {:.1} µs, p95 {:.1} µs, p99 {:.1} µs, max {:.1} µs",
        at(0.5),
        at(0.95),
        at(0.99),
        at(1.0)
    )
}

#[derive(Serialize)]
struct Span {
    #[serde(rename = "type")]
    entity: &'static str,
    start: usize,
    end: usize,
    score: f32,
}

#[derive(Serialize)]
struct LineOut {
    injection: inject::Verdict,
    pii: Vec<Span>,
    secrets: Vec<Span>,
}

/// Byte offsets to code-point offsets, in one pass over the line.
fn char_spans(line: &str, found: &[Found]) -> Vec<(usize, usize)> {
    let mut marks: Vec<usize> = found.iter().flat_map(|f| [f.start, f.end]).collect();
    marks.sort_unstable();
    marks.dedup();
    let mut map = std::collections::HashMap::with_capacity(marks.len());
    let mut next = 0;
    let ends = line
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(line.len()));
    for (chars, b) in ends.enumerate() {
        while next < marks.len() && marks[next] == b {
            map.insert(b, chars);
            next += 1;
        }
    }
    found.iter().map(|f| (map[&f.start], map[&f.end])).collect()
}

pub fn run(args: GuardArgs, cfg: &GuardConfig, quiet: bool) -> Result<ExitCode, Fatal> {
    match args.action {
        GuardAction::Scan(a) => scan(a, quiet),
        GuardAction::Redact(a) => redact(a, cfg, quiet),
    }
}

fn redact(a: RedactArgs, cfg: &GuardConfig, quiet: bool) -> Result<ExitCode, Fatal> {
    let policy = cfg.policy().map_err(Fatal)?;
    let reader: Box<dyn Read> = if a.input == "-" {
        Box::new(io::stdin())
    } else {
        Box::new(std::fs::File::open(&a.input).map_err(|e| Fatal(format!("{}: {e}", a.input)))?)
    };
    let mut bytes = Vec::new();
    reader
        .take(MAX_REDACT_INPUT + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Fatal(format!("{}: {e}", a.input)))?;
    if bytes.len() as u64 > MAX_REDACT_INPUT {
        return Err(Fatal(format!(
            "{}: larger than {} MiB; split it first",
            a.input,
            MAX_REDACT_INPUT >> 20
        )));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        Fatal(format!(
            "{}: invalid UTF-8 at byte {}; save the file as UTF-8",
            a.input,
            e.utf8_error().valid_up_to()
        ))
    })?;
    let mut pseudo = warden_guard::redact::Pseudonymiser::new();
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut blocked = 0;
    for (n, line) in text.lines().enumerate() {
        match pseudo.redact(line, &policy) {
            Ok(r) => writeln!(out, "{r}")?,
            Err(b) => {
                blocked += 1;
                if !quiet {
                    eprintln!("warden: {}: line {}: {b}", a.input, n + 1);
                }
                writeln!(
                    out,
                    "[line {} not sent: {} blocked]",
                    n + 1,
                    b.entity.as_str()
                )?;
            }
        }
    }
    out.flush()?;
    if !quiet {
        eprintln!(
            "warden: {} values replaced, {blocked} lines blocked",
            pseudo.replaced
        );
    }
    Ok(if blocked > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn scan(a: ScanArgs, quiet: bool) -> Result<ExitCode, Fatal> {
    let reader: Box<dyn Read> = if a.input == "-" {
        Box::new(io::stdin())
    } else {
        let p = PathBuf::from(&a.input);
        Box::new(std::fs::File::open(&p).map_err(|e| Fatal(format!("{}: {e}", p.display())))?)
    };
    let mut reader = io::BufReader::with_capacity(1 << 16, reader);
    let origin = match a.origin {
        OriginArg::Question => Origin::Question,
        OriginArg::Log => Origin::LogField,
    };
    let format = match a.format {
        GuardFormat::Auto if io::stdout().is_terminal() => GuardFormat::Text,
        GuardFormat::Auto => GuardFormat::Ndjson,
        f => f,
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    let started = Instant::now();
    let (mut lines, mut bytes, mut errors, mut flagged, mut entities) =
        (0u64, 0u64, 0u64, 0u64, 0u64);
    let mut buf = Vec::new();
    let (mut recognise_ns, mut screen_ns) = (Vec::new(), Vec::new());
    loop {
        buf.clear();
        let n = (&mut reader)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut buf)
            .map_err(|e| Fatal(format!("{}: {e}", a.input)))?;
        if n == 0 {
            break;
        }
        lines += 1;
        bytes += n as u64;
        if buf.len() > MAX_LINE && !buf.ends_with(b"\n") {
            // Skip the rest of an oversized line.
            let mut sink = Vec::new();
            reader.read_until(b'\n', &mut sink).ok();
            errors += 1;
            let msg = format!(
                "{}: line {lines} is longer than {} MiB; skipped",
                a.input,
                MAX_LINE >> 20
            );
            if !quiet {
                eprintln!("warden: warning: {msg}");
            }
            writeln!(out, "{}", serde_json::json!({ "error": msg }))?;
            continue;
        }
        while buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            buf.pop();
        }
        let line = match std::str::from_utf8(&buf) {
            Ok(s) => s,
            Err(e) => {
                errors += 1;
                let msg = format!(
                    "{}: line {lines}: invalid UTF-8 at byte {}; save the file as UTF-8",
                    a.input,
                    e.valid_up_to()
                );
                if !quiet {
                    eprintln!("warden: warning: {msg}");
                }
                writeln!(out, "{}", serde_json::json!({ "error": msg }))?;
                continue;
            }
        };
        let t0 = Instant::now();
        let found = recognize::scan(line);
        let t1 = Instant::now();
        let verdict = inject::screen(line, origin);
        if a.timing {
            recognise_ns.push((t1 - t0).as_nanos() as u64);
            screen_ns.push(t1.elapsed().as_nanos() as u64);
        }
        let spans = char_spans(line, &found);
        flagged += verdict.detected as u64;
        entities += found.len() as u64;
        let mut pii = Vec::new();
        let mut secrets = Vec::new();
        for (f, (s, e)) in found.iter().zip(spans) {
            let span = Span {
                entity: f.entity.as_str(),
                start: s,
                end: e,
                score: f.score,
            };
            if f.entity.is_secret() {
                secrets.push(span);
            } else {
                pii.push(span);
            }
        }
        match format {
            GuardFormat::Ndjson => {
                serde_json::to_writer(
                    &mut out,
                    &LineOut {
                        injection: verdict,
                        pii,
                        secrets,
                    },
                )?;
                writeln!(out)?;
            }
            _ => {
                let mut parts: Vec<String> = found
                    .iter()
                    .map(|f| format!("{}={}", f.entity.as_str(), &line[f.start..f.end]))
                    .collect();
                if verdict.detected {
                    parts.push(format!(
                        "INJECTION({:.2}: {})",
                        verdict.score,
                        verdict.reasons.join("; ")
                    ));
                }
                if !parts.is_empty() {
                    writeln!(out, "line {lines}: {}", parts.join("  "))?;
                }
            }
        }
    }
    out.flush()?;
    if !quiet {
        let secs = started.elapsed().as_secs_f64().max(1e-9);
        eprintln!(
            "warden: {lines} lines, {entities} entities, {flagged} flagged as injection, {errors} unreadable, {:.1} MB/s",
            bytes as f64 / 1e6 / secs
        );
    }
    if a.timing {
        eprintln!(
            "warden: per line: recognisers {}; injection screening {}",
            percentiles(&mut recognise_ns),
            percentiles(&mut screen_ns)
        );
    }
    Ok(ExitCode::SUCCESS)
}
