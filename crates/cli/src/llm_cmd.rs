//! `warden llm`: what the language layer is set to, and what it did.
//!
//! `warden llm status` shows the configured provider, budgets and today's
//! spend; `warden llm audit` queries the invocation audit file (filters by
//! time, purpose, provider and outcome; totals and estimated cost) and,
//! with `--show-text` and the audit key, opens the sealed full text.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;
use warden_core::time::{parse_duration_ms, Timestamp};
use warden_llm::any::ProviderSettings;
use warden_llm::pricing;
use warden_llm::seal::AuditKey;
use warden_llm::session::{read_audit, AuditRecord};
use warden_llm::Usage;

use crate::config::LlmConfig;
use crate::{narrate, Fatal};

#[derive(Args, Debug)]
pub struct LlmArgs {
    #[command(subcommand)]
    action: LlmAction,
}

#[derive(Subcommand, Debug)]
enum LlmAction {
    /// Show the configured provider, model, budgets and today's token spend.
    Status,
    /// Query the model-invocation audit file.
    #[command(
        after_help = "Examples:\n  warden llm audit --since 24h\n  warden llm audit --purpose triage --format json\n  WARDEN_AUDIT_KEY=... warden llm audit --show-text --since 1h"
    )]
    Audit(AuditArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum AuditFormat {
    Auto,
    Table,
    Json,
}

#[derive(Args, Debug)]
struct AuditArgs {
    /// The audit file (default: [llm] audit in warden.toml).
    #[arg(long)]
    file: Option<PathBuf>,
    /// Only calls newer than this (e.g. 1h, 7d).
    #[arg(long)]
    since: Option<String>,
    /// Only calls for this purpose (triage, ask, policy…).
    #[arg(long)]
    purpose: Option<String>,
    /// Only calls to this provider.
    #[arg(long)]
    provider: Option<String>,
    /// Only failed calls.
    #[arg(long)]
    errors: bool,
    /// Open the sealed request and answer text (needs WARDEN_AUDIT_KEY).
    #[arg(long)]
    show_text: bool,
    #[arg(long, short = 'f', value_enum, default_value = "auto")]
    format: AuditFormat,
}

pub fn run(a: LlmArgs, cfg: &LlmConfig, quiet: bool) -> Result<ExitCode, Fatal> {
    match a.action {
        LlmAction::Status => status(cfg),
        LlmAction::Audit(args) => audit(args, cfg, quiet),
    }
}

fn status(cfg: &LlmConfig) -> Result<ExitCode, Fatal> {
    let s = narrate::setup(cfg)?;
    let mut out = io::stdout().lock();
    let w = |out: &mut io::StdoutLock, k: &str, v: String| {
        writeln!(out, "{k:<20} {v}").map_err(|e| Fatal(e.to_string()))
    };
    let (provider, model, endpoint) = match &s.provider {
        ProviderSettings::Offline => (
            "offline".to_string(),
            "(built-in analyst, not a generative model)".to_string(),
            String::new(),
        ),
        ProviderSettings::Anthropic(h) => ("anthropic".into(), h.model.clone(), h.base_url.clone()),
        ProviderSettings::OpenAi(h) => ("openai".into(), h.model.clone(), h.base_url.clone()),
        ProviderSettings::Bedrock(b) => (
            "bedrock".into(),
            b.model.clone(),
            format!(
                "region {}{}",
                b.region.as_deref().unwrap_or("(from the AWS environment)"),
                b.endpoint_url
                    .as_deref()
                    .map(|u| format!(", endpoint {u}"))
                    .unwrap_or_default()
            ),
        ),
    };
    w(&mut out, "provider", provider)?;
    w(&mut out, "model", model)?;
    if !endpoint.is_empty() {
        w(&mut out, "endpoint", endpoint)?;
    }
    w(&mut out, "language", s.language.clone())?;
    let fmt_budget = |b: Option<u64>| b.map(|b| format!("{b} tokens")).unwrap_or("none".into());
    w(&mut out, "run budget", fmt_budget(s.budget))?;
    match &s.state {
        Some(st) => {
            let spent = st.spent_today();
            w(
                &mut out,
                "today (UTC)",
                format!(
                    "{spent} tokens{}",
                    s.daily_budget
                        .map(|b| format!(" of {b} ({}%)", spent * 100 / b.max(1)))
                        .unwrap_or_else(|| ", no daily budget".into())
                ),
            )?;
            let entries = std::fs::read_dir(st.path.join("cache"))
                .map(|d| d.count())
                .unwrap_or(0);
            w(
                &mut out,
                "state",
                format!(
                    "{} ({entries} cached answers, kept {}s)",
                    st.path.display(),
                    st.cache_ttl.as_secs()
                ),
            )?;
        }
        None => w(
            &mut out,
            "state",
            "none (no HOME and no [llm] state_dir)".into(),
        )?,
    }
    w(
        &mut out,
        "audit",
        match &cfg.audit {
            Some(p) => format!(
                "{}{}",
                p.display(),
                if s.audit_key.is_some() {
                    ", full text sealed with WARDEN_AUDIT_KEY"
                } else {
                    ", hashes only"
                }
            ),
            None => "off (set [llm] audit)".into(),
        },
    )?;
    w(
        &mut out,
        "price",
        s.price
            .map(|p| {
                format!(
                    "${} / ${} per million input / output tokens",
                    p.input_per_mtok, p.output_per_mtok
                )
            })
            .unwrap_or_else(|| {
                "unknown (set [llm] price_input_per_mtok and price_output_per_mtok)".into()
            }),
    )?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct AuditTotals {
    calls: usize,
    cached: usize,
    errors: usize,
    input_tokens: u64,
    output_tokens: u64,
    estimated_cost_usd: Option<f64>,
}

#[derive(Serialize)]
struct AuditOut<'a> {
    records: Vec<Shown<'a>>,
    totals: AuditTotals,
}

#[derive(Serialize)]
struct Shown<'a> {
    #[serde(flatten)]
    record: &'a AuditRecord,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<serde_json::Value>,
}

fn audit(a: AuditArgs, cfg: &LlmConfig, quiet: bool) -> Result<ExitCode, Fatal> {
    let path = a.file.clone().or(cfg.audit.clone()).ok_or_else(|| {
        Fatal("no audit file: pass --file or set [llm] audit in warden.toml".into())
    })?;
    let (records, bad) = read_audit(&path).map_err(Fatal)?;
    if !quiet {
        for b in &bad {
            eprintln!("warden: {b}");
        }
    }
    let since = match &a.since {
        Some(s) => {
            let ms = parse_duration_ms(s)
                .ok_or_else(|| Fatal(format!("--since '{s}' is not a duration (e.g. 1h, 7d)")))?;
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis() as i64)
                .unwrap_or(0);
            Some(now - ms)
        }
        None => None,
    };
    let key = if a.show_text {
        Some(AuditKey::from_env().map_err(Fatal)?.ok_or_else(|| {
            Fatal(format!(
                "--show-text needs the audit key in {}",
                warden_llm::seal::KEY_ENV
            ))
        })?)
    } else {
        None
    };
    let kept: Vec<&AuditRecord> = records
        .iter()
        .filter(|r| {
            since.is_none_or(|t| Timestamp::parse(&r.time).is_some_and(|ts| ts.millis() >= t))
                && a.purpose.as_ref().is_none_or(|p| &r.purpose == p)
                && a.provider.as_ref().is_none_or(|p| &r.provider == p)
                && (!a.errors || r.outcome != "ok")
        })
        .collect();
    let mut totals = AuditTotals {
        calls: kept.len(),
        cached: kept.iter().filter(|r| r.cached).count(),
        errors: kept.iter().filter(|r| r.outcome != "ok").count(),
        input_tokens: kept.iter().map(|r| r.input_tokens).sum(),
        output_tokens: kept.iter().map(|r| r.output_tokens).sum(),
        estimated_cost_usd: Some(0.0),
    };
    // Cost per record, at its own model's price; unknown if any is unknown.
    for r in &kept {
        let u = Usage {
            input_tokens: r.input_tokens,
            output_tokens: r.output_tokens,
        };
        totals.estimated_cost_usd = match (
            totals.estimated_cost_usd,
            pricing::list_price(&r.provider, &r.model, cfg.base_url.as_deref()),
        ) {
            (Some(sum), Some(p)) => Some(sum + pricing::cost(u, p)),
            _ if u.total() == 0 => totals.estimated_cost_usd,
            _ => None,
        };
    }
    let shown: Vec<Shown> = kept
        .iter()
        .map(|r| Shown {
            record: r,
            text: key.as_ref().map(|k| match &r.sealed_text {
                None => serde_json::Value::String("(not recorded)".into()),
                Some(s) => match k.open(s, &r.prompt_sha256) {
                    Ok(b) => serde_json::from_slice(&b).unwrap_or_else(|_| {
                        serde_json::Value::String(String::from_utf8_lossy(&b).into())
                    }),
                    Err(e) => serde_json::Value::String(format!("(cannot open: {e})")),
                },
            }),
        })
        .collect();
    let format = match a.format {
        AuditFormat::Auto if io::stdout().is_terminal() => AuditFormat::Table,
        AuditFormat::Auto => AuditFormat::Json,
        f => f,
    };
    let mut out = io::stdout().lock();
    let io_err = |e: io::Error| Fatal(e.to_string());
    if format == AuditFormat::Json {
        serde_json::to_writer_pretty(
            &mut out,
            &AuditOut {
                records: shown,
                totals,
            },
        )
        .map_err(|e| Fatal(e.to_string()))?;
        writeln!(out).map_err(io_err)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "{:<24} {:<9} {:<36} {:<8} {:>7} {:>7} {:>7} {:>4}  outcome",
        "time", "provider", "model", "purpose", "in", "out", "ms", "red"
    )
    .map_err(io_err)?;
    for s in &shown {
        let r = s.record;
        writeln!(
            out,
            "{:<24} {:<9} {:<36} {:<8} {:>7} {:>7} {:>7} {:>4}  {}{}",
            r.time,
            r.provider,
            r.model,
            r.purpose,
            r.input_tokens,
            r.output_tokens,
            r.latency_ms,
            r.redactions,
            if r.cached { "cached " } else { "" },
            r.outcome
        )
        .map_err(io_err)?;
        if let Some(t) = &s.text {
            writeln!(out, "    {t}").map_err(io_err)?;
        }
    }
    writeln!(
        out,
        "{} calls ({} cached, {} failed), {} input and {} output tokens, estimated cost {}",
        totals.calls,
        totals.cached,
        totals.errors,
        totals.input_tokens,
        totals.output_tokens,
        totals
            .estimated_cost_usd
            .map(|c| format!("${c:.4}"))
            .unwrap_or_else(|| "unknown for some models".into())
    )
    .map_err(io_err)?;
    Ok(ExitCode::SUCCESS)
}
