//! `warden ask "…"`: grounded answers over the store, in the question's
//! language, with citations. Offline planner by default; the configured
//! language model runs a tool loop over the same queries when `[llm]`
//! names one (and `--offline` is not given).

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use warden_assistant::Answer;

use crate::config::FileConfig;
use crate::{store_cmd, Fatal};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AskFormat {
    Auto,
    Text,
    Json,
}

#[derive(Args, Debug)]
pub struct AskArgs {
    /// The question, in English, Korean or Japanese.
    pub question: String,
    /// Keep context across questions: follow-ups in the same thread inherit
    /// the subject and time window.
    #[arg(long)]
    pub thread: Option<String>,
    #[arg(long, short = 'f', value_enum, default_value = "auto")]
    pub format: AskFormat,
    /// The store directory (default: WARDEN_STORE, else ~/.local/share/warden/store).
    #[arg(long, value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// Measure relative times ("yesterday") from this instant (RFC 3339)
    /// instead of now (or the end of the newest stored day for old data).
    #[arg(long)]
    pub now: Option<String>,
    /// Use the offline planner even when a language model is configured.
    #[arg(long)]
    pub offline: bool,
    /// Benchmark: answer the question this many times offline, in this
    /// process, and print p50/p95/max latency on stderr.
    #[arg(long, hide = true, value_name = "N")]
    pub timing_runs: Option<usize>,
}

/// Longest question accepted, in characters.
pub const MAX_QUESTION: usize = 8_000;

pub fn run(a: AskArgs, cfg: &FileConfig, quiet: bool) -> Result<ExitCode, Fatal> {
    let n = a.question.chars().count();
    if n > MAX_QUESTION {
        return Err(Fatal(format!(
            "the question is {n} characters; the limit is {MAX_QUESTION}: ask about one thing at a time"
        )));
    }
    let dir = store_cmd::store_dir(a.store.as_deref())?;
    if !dir.join(warden_store::DB_FILE).exists() {
        return Err(Fatal(format!(
            "no store at {}: load logs first with `warden ingest --store {} <logs>`",
            dir.display(),
            dir.display()
        )));
    }
    let store = store_cmd::open(&dir)?;
    let now = match &a.now {
        Some(t) => Some(
            warden_core::Timestamp::parse(t)
                .ok_or_else(|| {
                    Fatal(format!(
                        "--now '{t}' is not a time (e.g. 2026-11-02T00:00:00Z)"
                    ))
                })?
                .millis(),
        ),
        None => None,
    };
    let verdict = warden_guard::inject::screen(&a.question, warden_guard::inject::Origin::Question);
    if verdict.detected && !quiet {
        eprintln!(
            "warden: note: the question looks like an attempt to steer the assistant ({}); it is answered from stored data only",
            verdict.reasons.join(", ")
        );
    }
    if let Some(n) = a.timing_runs {
        let mut ms = Vec::with_capacity(n);
        let mut last = None;
        for _ in 0..n.max(1) {
            let t = std::time::Instant::now();
            let anchor = warden_assistant::anchor(&store, now).map_err(|e| Fatal(e.to_string()))?;
            let plan = warden_assistant::plan::plan(&store, &a.question, anchor, None)
                .map_err(|e| Fatal(e.to_string()))?;
            let ans = warden_assistant::answer::answer(&store, &a.question, &plan, anchor)
                .map_err(|e| Fatal(e.to_string()))?;
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
            last = Some(ans);
        }
        ms.sort_by(|x, y| x.total_cmp(y));
        let at = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
        let ans = last.expect("at least one run");
        eprintln!(
            "timing: intent={:?} found={} runs={} p50_ms={:.2} p95_ms={:.2} max_ms={:.2}",
            ans.plan.intent,
            ans.found,
            ms.len(),
            at(0.5),
            at(0.95),
            at(1.0)
        );
        print(&ans, a.format)?;
        return Ok(ExitCode::SUCCESS);
    }
    let answer = crate::ask_llm::answer(&store, &a, cfg, now, quiet)?;
    print(&answer, a.format)?;
    Ok(ExitCode::SUCCESS)
}

fn print(a: &Answer, format: AskFormat) -> Result<(), Fatal> {
    let format = match format {
        AskFormat::Auto if io::stdout().is_terminal() => AskFormat::Text,
        AskFormat::Auto => AskFormat::Json,
        f => f,
    };
    let mut out = io::stdout().lock();
    if format == AskFormat::Json {
        serde_json::to_writer_pretty(&mut out, a)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(out, "{}", a.text)?;
    if !a.citations.is_empty() {
        writeln!(out)?;
        for c in &a.citations {
            writeln!(out, "[{}] {} — {}", c.label, c.id, c.description)?;
        }
    }
    if a.plan.window.is_some() {
        writeln!(out, "\n(relative times measured from {})", a.time_anchor)?;
    }
    Ok(())
}
