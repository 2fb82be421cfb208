//! `warden`: AI-assisted security operations for AWS.
//!
//! This binary is a thin front end: it reads configuration, loads rules,
//! runs the pipeline in [`pipeline`], and formats results in [`output`].
//! Exit codes: 0 success, 1 `--fail-on` threshold reached or rule tests
//! failed, 2 usage or configuration error.

mod approve_cmd;
mod ask_cmd;
mod ask_llm;
mod config;
mod guard_cmd;
mod lambda_cmd;
mod live;
mod llm_cmd;
mod narrate;
mod output;
mod pipeline;
mod policy_cmd;
mod rules_cmd;
mod run_cmd;
mod scan_cmd;
mod serve_cmd;
mod store_cmd;

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use warden_core::ThreatLevel;
use warden_detect::{build, builtin_files, dir_files, Loaded, RuleFile};
use warden_ingest::DecodeOptions;

use output::{Format, Style};

#[derive(Parser, Debug)]
#[command(
    name = "warden",
    version,
    about = "Find threats in CloudTrail, GuardDuty, Bedrock and Okta logs with Sigma rules, and triage them into incidents.",
    after_help = "Examples:\n  warden triage samples/data                 # the bundled sample day\n  warden detect --format ndjson logs/ > alerts.ndjson\n  zcat trail.json.gz | warden triage - --fail-on high\n  warden rules test --rules ./my-rules\n  warden policy check policy.json"
)]
struct Cli {
    /// Configuration file (default: ./warden.toml, then ~/.config/warden/warden.toml).
    #[arg(long, global = true, env = "WARDEN_CONFIG")]
    config: Option<PathBuf>,
    /// More log output on stderr (-v info, -vv debug).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    /// Print nothing on stderr except fatal errors.
    #[arg(short, long, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the rules over logs and print one line per alert.
    Detect(DetectArgs),
    /// Run the rules, group alerts into incidents and explain each one.
    Triage(TriageArgs),
    /// List, lint or test Sigma rules.
    Rules(RulesArgs),
    /// Review IAM policies for least privilege: validation, escalation paths, 1–10 score, fixes.
    Policy(policy_cmd::PolicyArgs),
    /// Guardrails: find PII, secrets and prompt injection in text.
    Guard(guard_cmd::GuardArgs),
    /// The language-model layer: configured provider, budgets, invocation audit.
    Llm(llm_cmd::LlmArgs),
    /// Ask about the stored logs in English, Korean or Japanese; answers cite the events behind them.
    Ask(ask_cmd::AskArgs),
    /// Load logs into the store (events, alerts, incidents) for `warden ask`;
    /// files already loaded are skipped and no event is stored twice.
    Ingest(IngestArgs),
    /// The HTTP API over the store (incidents, events, ask, policy check).
    Serve(serve_cmd::ServeArgs),
    /// Create, list and revoke API tokens for `warden serve`.
    Tokens(serve_cmd::TokensArgs),
    /// Add, list and disable the people who sign in to the web UI.
    Users(serve_cmd::UsersArgs),
    /// Find personal data in images (OCR with Tesseract + the PII recognisers).
    #[command(
        name = "scan-image",
        after_help = "Exit status: 0 every image clean, 1 personal data found, 2 an image could not be scanned.

Examples:
  warden scan-image upload.png
  warden scan-image --format json scans/*.jpg"
    )]
    ScanImage(scan_cmd::ScanArgs),
    /// The long-running mode: SQS queues and S3 prefixes through detection,
    /// triage, the store, the image guard and notifications.
    #[command(after_help = "Examples:
  warden run --sqs https://sqs.us-east-1.amazonaws.com/111122223333/warden-events
  warden run --s3 s3://acme-trail/AWSLogs/111122223333/CloudTrail/ --once")]
    Run(run_cmd::RunArgs),
    /// Approve (and carry out) or reject a remediation waiting for a decision.
    #[command(after_help = "Examples:
  warden approve --list
  warden approve Q-1a2b3c4d5e6f7a8b
  warden approve Q-1a2b3c4d5e6f7a8b --reject")]
    Approve(approve_cmd::ApproveArgs),
    /// The audit log: who did what (approvals, image scans, S3 actions, sign-ins), newest first.
    Audit(approve_cmd::AuditArgs),
    /// Run as an AWS Lambda function (inside Lambda only: the custom runtime's entry point; see docs/lambda.md).
    Lambda,
}

#[derive(Args, Debug, Clone)]
struct RuleSel {
    /// Add a folder of Sigma rules (repeatable; also WARDEN_RULES, colon-separated).
    #[arg(long = "rules", value_name = "DIR")]
    rules: Vec<PathBuf>,
    /// Do not load warden's bundled rules (only --rules).
    #[arg(long, env = "WARDEN_NO_BUILTIN")]
    no_builtin: bool,
}

#[derive(Args, Debug, Clone)]
struct InputArgs {
    /// Log files, directories (recursive), globs, or - for standard input. Gzip is detected automatically.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<String>,
    #[command(flatten)]
    rules: RuleSel,
    /// Worker threads (0 = one per core).
    #[arg(short = 'j', long, env = "WARDEN_THREADS")]
    threads: Option<usize>,
    /// Largest single log record accepted, in bytes; larger ones are reported and skipped.
    #[arg(long, env = "WARDEN_MAX_RECORD_BYTES")]
    max_record_bytes: Option<usize>,
    /// Output format.
    #[arg(
        long,
        short = 'f',
        value_enum,
        default_value = "auto",
        env = "WARDEN_FORMAT"
    )]
    format: Format,
    /// Input errors shown in detail before only counting them.
    #[arg(long, default_value_t = 50)]
    max_errors: usize,
    /// History file for first-seen rules (new country, region, API… per
    /// principal). Without it, history lasts for this run only.
    #[arg(long, env = "WARDEN_STATE", value_name = "PATH")]
    state: Option<PathBuf>,
    /// Fold identical alerts (same rule, actor, action and target) within
    /// this window into the first one, e.g. 30m, 1h; 0 keeps every alert.
    /// Default 1h.
    #[arg(long, env = "WARDEN_DEDUPE", value_name = "DURATION")]
    dedupe: Option<String>,
}

#[derive(Args, Debug)]
struct DetectArgs {
    #[command(flatten)]
    input: InputArgs,
}

#[derive(Args, Debug)]
struct TriageArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Alerts by the same actor at most this far apart join one incident (e.g. 30m, 2h, 1d).
    #[arg(long, env = "WARDEN_WINDOW")]
    window: Option<String>,
    /// Exit with status 1 when an incident reaches this threat level (low, medium, high, critical).
    #[arg(long, env = "WARDEN_FAIL_ON")]
    fail_on: Option<String>,
    /// Only show incidents at or above this threat level.
    #[arg(long, default_value = "low")]
    min_level: String,
    /// Have the configured language model ([llm] in warden.toml, or
    /// WARDEN_LLM_PROVIDER/MODEL/BASE_URL) write each incident's summary and
    /// next steps; levels and facts stay the engine's.
    #[arg(long)]
    llm: bool,
    /// Send each incident along the routes in [respond] (Slack, SNS,
    /// webhooks, files) by its threat level.
    #[arg(long)]
    notify: bool,
    /// Also load events, alerts and incidents into this store (see
    /// `warden ingest`); WARDEN_STORE sets it for every command.
    #[arg(long, value_name = "DIR")]
    store: Option<PathBuf>,
}

#[derive(Args, Debug)]
struct IngestArgs {
    #[command(flatten)]
    input: InputArgs,
    /// The store directory (default: WARDEN_STORE, else ~/.local/share/warden/store).
    #[arg(long, value_name = "DIR")]
    store: Option<PathBuf>,
    /// Alerts by the same actor at most this far apart join one incident.
    #[arg(long, env = "WARDEN_WINDOW")]
    window: Option<String>,
    /// After loading, delete events older than this (e.g. 90d).
    #[arg(long)]
    retain: Option<String>,
    /// After loading, keep at most this many events (the newest).
    #[arg(long)]
    max_events: Option<u64>,
}

#[derive(Args, Debug)]
struct RulesArgs {
    #[command(subcommand)]
    action: RulesAction,
}

#[derive(Subcommand, Debug)]
enum RulesAction {
    /// List loaded rules.
    List {
        #[command(flatten)]
        rules: RuleSel,
        #[arg(long, short = 'f', value_enum, default_value = "auto")]
        format: Format,
    },
    /// Check rules for errors and missing metadata; exit 1 on errors.
    Lint {
        #[command(flatten)]
        rules: RuleSel,
    },
    /// Run every rule against the examples beside it; exit 1 on any failure.
    Test {
        #[command(flatten)]
        rules: RuleSel,
        /// Show every case, not only failures.
        #[arg(long)]
        verbose_cases: bool,
    },
}

/// An error that ends the command with exit status 2.
struct Fatal(String);

impl<E: std::fmt::Display> From<E> for Fatal {
    fn from(e: E) -> Self {
        Fatal(e.to_string())
    }
}

fn init_logging(verbose: u8, quiet: bool) {
    let default = match (quiet, verbose) {
        (true, _) => "error",
        (_, 0) => "warn",
        (_, 1) => "info",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("WARDEN_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        .with_target(false)
        .with_ansi(io::stderr().is_terminal())
        .try_init();
}

/// Rule files from the bundled set and user folders (flags, env, config).
fn rule_files(sel: &RuleSel, cfg: &config::FileConfig, quiet: bool) -> Vec<RuleFile> {
    let mut files = Vec::new();
    let env_dirs: Vec<PathBuf> = std::env::var("WARDEN_RULES")
        .ok()
        .map(|v| {
            v.split(':')
                .filter(|s| !s.is_empty())
                .map(PathBuf::from)
                .collect()
        })
        .unwrap_or_default();
    let builtin = !sel.no_builtin && cfg.rules.builtin.unwrap_or(true);
    if builtin {
        files.extend(builtin_files());
    }
    for dir in cfg.rules.dirs.iter().chain(&env_dirs).chain(&sel.rules) {
        let (f, errs) = dir_files(dir);
        for e in errs {
            if !quiet {
                eprintln!("warden: warning: {e}");
            }
        }
        files.extend(f);
    }
    files
}

fn load_rules(files: &[RuleFile], quiet: bool) -> Result<Loaded, Fatal> {
    let loaded = build(files);
    if !quiet {
        for e in &loaded.errors {
            eprintln!("warden: warning: rule skipped: {e}");
        }
    }
    if loaded.engine.rules.is_empty() {
        return Err(Fatal(
            "no rules loaded: pass --rules DIR with Sigma .yml files, or drop --no-builtin".into(),
        ));
    }
    tracing::info!(
        rules = loaded.engine.rules.len(),
        correlations = loaded.engine.correlations.len(),
        "rules loaded"
    );
    Ok(loaded)
}

fn run_options(a: &InputArgs, cfg: &config::FileConfig, quiet: bool) -> pipeline::RunOptions {
    let threads = a.threads.or(cfg.detect.threads).unwrap_or(0);
    let threads = if threads == 0 {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    } else {
        threads
    };
    let mut decode = DecodeOptions::default();
    if let Some(m) = a.max_record_bytes.or(cfg.detect.max_record_bytes) {
        decode.max_record_bytes = m.max(1024);
    }
    pipeline::RunOptions {
        threads,
        decode,
        max_errors_shown: a.max_errors,
        progress: true,
        quiet,
        rows: None,
    }
}

/// Window deduplication from flags, environment or config (default 1h).
fn deduper(
    a: &InputArgs,
    cfg: &config::FileConfig,
) -> Result<warden_detect::dedupe::Deduper, Fatal> {
    let w = a
        .dedupe
        .as_deref()
        .or(cfg.detect.dedupe.as_deref())
        .unwrap_or("1h");
    let ms = if w.trim() == "0" {
        0
    } else {
        warden_core::time::parse_duration_ms(w).ok_or_else(|| {
            Fatal(format!(
                "--dedupe '{w}' is not a duration (e.g. 30m, 1h; 0 to keep every alert)"
            ))
        })?
    };
    Ok(warden_detect::dedupe::Deduper::new(ms))
}

/// Suppressions and allow-list from the configuration.
fn suppressor(
    cfg: &config::FileConfig,
    quiet: bool,
) -> Result<warden_detect::suppress::Suppressor, Fatal> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    let (s, notes) = warden_detect::suppress::Suppressor::new(
        &cfg.suppress,
        &cfg.allow,
        warden_core::Timestamp(now),
    )
    .map_err(|e| Fatal(format!("configuration: {e}")))?;
    if !quiet {
        for n in notes {
            eprintln!("warden: note: {n}");
        }
    }
    Ok(s)
}

fn report_suppressed(s: &warden_detect::suppress::Suppressor, quiet: bool) {
    if !quiet {
        for line in s.report() {
            eprintln!("warden: {line}");
        }
    }
}

/// First-seen history: the state file from flags, environment or config.
fn history(
    a: &InputArgs,
    cfg: &config::FileConfig,
) -> Result<warden_detect::history::History, Fatal> {
    match a.state.as_ref().or(cfg.state.path.as_ref()) {
        Some(p) => warden_detect::history::History::open(p).map_err(Fatal),
        None => Ok(warden_detect::history::History::in_memory()),
    }
}

fn save_history(h: &warden_detect::history::History, quiet: bool) {
    if let Err(e) = h.save() {
        if !quiet {
            eprintln!("warden: warning: first-seen history not saved: {e}");
        }
    }
}

fn inputs(a: &InputArgs, quiet: bool) -> Vec<warden_ingest::Input> {
    let (inputs, errors) = warden_ingest::expand(&a.inputs);
    for e in errors {
        if !quiet {
            eprintln!("warden: warning: {e}");
        }
    }
    inputs
}

fn style_for_stdout() -> Style {
    Style {
        color: io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    }
}

fn detect(a: DetectArgs, cfg: &config::FileConfig, quiet: bool) -> Result<ExitCode, Fatal> {
    let files = rule_files(&a.input.rules, cfg, quiet);
    let loaded = load_rules(&files, quiet)?;
    let mut suppress = suppressor(cfg, quiet)?;
    let mut dedupe = deduper(&a.input, cfg)?;
    let inputs = inputs(&a.input, quiet);
    let opts = run_options(&a.input, cfg, quiet);
    let format = match a.input.format {
        Format::Auto if io::stdout().is_terminal() => Format::Table,
        Format::Auto => Format::Ndjson,
        f => f,
    };
    let style = style_for_stdout();
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(64 << 10, stdout.lock());
    let mut all = Vec::new();
    let mut write_err: Option<io::Error> = None;
    if format == Format::Table {
        output::alert_table_header(&mut out, style)?;
    }
    let write = |alerts: &[warden_core::Alert],
                 out: &mut io::BufWriter<io::StdoutLock<'_>>|
     -> io::Result<()> {
        for alert in alerts {
            match format {
                Format::Table => output::alert_row(out, alert, style)?,
                Format::Ndjson => {
                    serde_json::to_writer(&mut *out, &alert.record())?;
                    out.write_all(b"\n")?;
                }
                _ => {}
            }
        }
        Ok(())
    };
    let mut hist = history(&a.input, cfg)?;
    let (mut corr, mut summary) =
        pipeline::run(&loaded.engine, &inputs, &opts, &mut hist, |mut alerts| {
            suppress.filter(&mut alerts);
            if write_err.is_some() {
                return;
            }
            if format == Format::Json {
                all.extend(alerts);
            } else if let Err(e) = {
                dedupe.filter_stream(&mut alerts);
                write(&alerts, &mut out)
            } {
                write_err = Some(e);
            }
        });
    save_history(&hist, quiet);
    suppress.filter(&mut corr);
    summary.alerts -= suppress.dropped() as usize;
    summary.suppressed = suppress.dropped();
    if format == Format::Json {
        all.extend(corr);
        all = dedupe.fold(all);
        summary.folded = dedupe.folded;
        summary.alerts -= dedupe.folded as usize;
        let records: Vec<_> = all.iter().map(|a| a.record()).collect();
        let doc = output::DetectDoc {
            summary: output::summary_json(&summary, None),
            alerts: &records,
        };
        serde_json::to_writer_pretty(&mut out, &doc)?;
        writeln!(out)?;
    } else if write_err.is_none() {
        if let Err(e) = write(&corr, &mut out) {
            write_err = Some(e);
        }
    }
    if let Some(e) = write_err {
        return Err(e.into());
    }
    out.flush()?;
    if format != Format::Json {
        summary.folded = dedupe.folded;
        summary.alerts -= dedupe.folded as usize;
    }
    report_suppressed(&suppress, quiet);
    if !quiet {
        eprintln!("{}", output::summary_line(&summary, None));
    }
    Ok(ExitCode::SUCCESS)
}

fn parse_level(s: &str, what: &str) -> Result<ThreatLevel, Fatal> {
    ThreatLevel::parse(s).ok_or_else(|| {
        Fatal(format!(
            "{what} '{s}' is not a threat level (use low, medium, high or critical)"
        ))
    })
}

fn ingest(a: IngestArgs, cfg: &config::FileConfig, quiet: bool) -> Result<ExitCode, Fatal> {
    let dir = store_cmd::store_dir(a.store.as_deref())?;
    let retain_ms =
        match &a.retain {
            Some(r) => Some(warden_core::time::parse_duration_ms(r).ok_or_else(|| {
                Fatal(format!("--retain '{r}' is not a duration (e.g. 30d, 12w)"))
            })?),
            None => None,
        };
    let t = TriageArgs {
        input: a.input,
        window: a.window,
        fail_on: None,
        min_level: "low".into(),
        llm: false,
        notify: false,
        store: Some(dir.clone()),
    };
    run_triage(t, cfg, quiet, false)?;
    if retain_ms.is_some() || a.max_events.is_some() {
        let mut store = store_cmd::open(&dir)?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        let deleted = store
            .retain(retain_ms.map(|r| now - r), a.max_events)
            .map_err(|e| Fatal(e.to_string()))?;
        if !quiet {
            eprintln!("warden: retention removed {deleted} events");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn triage(a: TriageArgs, cfg: &config::FileConfig, quiet: bool) -> Result<ExitCode, Fatal> {
    run_triage(a, cfg, quiet, true)
}

fn run_triage(
    a: TriageArgs,
    cfg: &config::FileConfig,
    quiet: bool,
    print: bool,
) -> Result<ExitCode, Fatal> {
    let files = rule_files(&a.input.rules, cfg, quiet);
    let loaded = load_rules(&files, quiet)?;
    let mut inputs = inputs(&a.input, quiet);
    let mut opts = run_options(&a.input, cfg, quiet);
    let store_dir = match &a.store {
        Some(d) => Some(d.clone()),
        None => std::env::var_os("WARDEN_STORE")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from),
    };
    let mut writer = None;
    let mut skipped = 0;
    let mut stored_from = None;
    if let Some(dir) = &store_dir {
        let store = store_cmd::open(dir)?;
        skipped = store_cmd::skip_ingested(&store, &mut inputs)?;
        stored_from = Some(std::time::Instant::now());
        let bulk = store_cmd::is_bulk(&store, &inputs)?;
        let w = store_cmd::Writer::start(store, bulk);
        opts.rows = Some(w.tx.clone());
        writer = Some(w);
    }
    let mut topts = warden_triage::TriageOptions::default();
    if let Some(w) = a.window.as_ref().or(cfg.triage.window.as_ref()) {
        topts.window_ms = warden_core::time::parse_duration_ms(w).ok_or_else(|| {
            Fatal(format!(
                "--window '{w}' is not a duration (e.g. 30m, 2h, 1d)"
            ))
        })?;
    }
    let fail_on = match a.fail_on.as_ref().or(cfg.triage.fail_on.as_ref()) {
        Some(l) => Some(parse_level(l, "--fail-on")?),
        None => None,
    };
    let min_level = parse_level(&a.min_level, "--min-level")?;
    let mut suppress = suppressor(cfg, quiet)?;
    let mut dedupe = deduper(&a.input, cfg)?;
    let mut alerts = Vec::new();
    let mut hist = history(&a.input, cfg)?;
    let (corr, mut summary) = pipeline::run(&loaded.engine, &inputs, &opts, &mut hist, |a| {
        alerts.extend(a)
    });
    opts.rows = None;
    save_history(&hist, quiet);
    alerts.extend(corr);
    suppress.filter(&mut alerts);
    let alerts = dedupe.fold(alerts);
    summary.alerts = alerts.len();
    summary.suppressed = suppress.dropped();
    summary.folded = dedupe.folded;
    report_suppressed(&suppress, quiet);
    let mut incidents = warden_triage::triage(alerts, &topts);
    // Check the notification setup before any work is spent on narration.
    let responder = if a.notify {
        let r = warden_respond::Responder::new(&cfg.respond).map_err(Fatal)?;
        if r.is_empty() {
            return Err(Fatal(
                "--notify needs at least one [[respond.route]] in warden.toml (see docs/respond.md)".into(),
            ));
        }
        Some(r)
    } else {
        None
    };
    let llm_report = if a.llm {
        let policy = cfg.guard.policy().map_err(Fatal)?;
        let r = narrate::narrate(&cfg.llm, &policy, &mut incidents, quiet)?;
        if !quiet {
            eprintln!(
                "warden: LLM: {} incidents narrated ({} kept the template), {} calls, {} cached, {} input and {} output tokens for {} events, estimated cost {}",
                r.narrated, r.fell_back, r.totals.calls, r.totals.cached, r.totals.input_tokens, r.totals.output_tokens, summary.stats.events,
                match r.estimated_cost_usd {
                    Some(c) => format!("${c:.4}"),
                    None => "unknown (set [llm] price_input_per_mtok and price_output_per_mtok)".into(),
                }
            );
        }
        Some(r)
    } else {
        None
    };
    if let Some(r) = &responder {
        notify(r, &incidents, quiet)?;
    }
    if let (Some(w), Some(dir)) = (writer, &store_dir) {
        let (mut store, counts) = w.finish()?;
        let inc = store_cmd::store_incidents(&mut store, &incidents)?;
        store_cmd::mark_inputs(&store, &inputs)?;
        if !quiet {
            // Wall clock including the index rebuild of a bulk load.
            let secs = stored_from
                .map(|t: std::time::Instant| t.elapsed().as_secs_f64())
                .unwrap_or(summary.seconds)
                .max(1e-9);
            eprintln!(
                "warden: store {}: {} new events ({} already stored{}), {} incidents, {} alerts; {:.0} events/s; {:.1} MB on disk",
                dir.display(),
                counts.events_added,
                counts.events_already_stored,
                if skipped > 0 { format!(", {skipped} files skipped as already ingested") } else { String::new() },
                inc.incidents,
                inc.alerts,
                summary.stats.events as f64 / secs,
                store_cmd::size_on_disk(dir) as f64 / 1e6
            );
        }
    }
    if !print {
        return Ok(ExitCode::SUCCESS);
    }
    let failed = fail_on.is_some_and(|l| warden_triage::reaches(&incidents, l));
    let shown: Vec<_> = incidents
        .iter()
        .filter(|i| i.threat_level >= min_level)
        .cloned()
        .collect();
    let format = match a.input.format {
        Format::Auto if io::stdout().is_terminal() => Format::Table,
        Format::Auto => Format::Json,
        f => f,
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match format {
        Format::Json => {
            let doc = output::TriageDoc {
                summary: output::summary_json(&summary, Some(&incidents)),
                incidents: &shown,
                llm: llm_report,
            };
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
        Format::Ndjson => {
            for i in &shown {
                serde_json::to_writer(&mut out, i)?;
                writeln!(out)?;
            }
        }
        _ => {
            let style = style_for_stdout();
            if shown.is_empty() {
                writeln!(out, "No incidents at or above {min_level}.")?;
            }
            for i in &shown {
                output::incident_block(&mut out, i, style)?;
            }
        }
    }
    out.flush()?;
    if !quiet {
        eprintln!("{}", output::summary_line(&summary, Some(&incidents)));
        if let (true, Some(l)) = (failed, fail_on) {
            eprintln!("warden: an incident reached {l} (--fail-on {l}); exiting with status 1");
        }
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Send incidents along the configured routes and say what happened.
fn notify(
    r: &warden_respond::Responder,
    incidents: &[warden_core::Incident],
    quiet: bool,
) -> Result<(), Fatal> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Fatal(format!("cannot start the async runtime: {e}")))?;
    let report = rt.block_on(r.notify(incidents));
    if !quiet {
        eprintln!(
            "warden: notifications: {} sent, {} not repeated (dedupe), {} undelivered",
            report.sent, report.deduped, report.dead_lettered
        );
        for f in &report.failures {
            eprintln!("warden: warning: not delivered: {f}");
        }
        if report.dead_lettered > 0 {
            eprintln!(
                "warden: undelivered messages are kept in {}",
                r.dead_letter_path().display()
            );
        }
    }
    Ok(())
}

/// Detection and triage for log snippets pasted into Slack, with the
/// configured rules (bundled + `[rules] dirs`).
fn snippet_analyzer(cfg: &config::FileConfig) -> Result<warden_server::SnippetAnalyzer, Fatal> {
    let sel = RuleSel {
        rules: Vec::new(),
        no_builtin: false,
    };
    let files = rule_files(&sel, cfg, true);
    let engine = std::sync::Arc::new(load_rules(&files, true)?.engine);
    Ok(warden_server::SnippetAnalyzer(std::sync::Arc::new(
        move |bytes: &[u8]| {
            let (alerts, stats, errors) = pipeline::run_bytes(&engine, "slack-message", bytes);
            let incidents = warden_triage::triage(alerts, &warden_triage::TriageOptions::default());
            warden_server::Snippet {
                events: stats.events,
                errors,
                incidents,
            }
        },
    )))
}

fn main() -> ExitCode {
    // Lambda's custom runtime starts `bootstrap` with no arguments.
    let cli =
        if std::env::args_os().len() == 1 && std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_some() {
            Cli::parse_from(["warden", "lambda"])
        } else {
            Cli::parse()
        };
    init_logging(cli.verbose, cli.quiet);
    let cfg = match config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("warden: error: {e}");
            return ExitCode::from(2);
        }
    };
    if let Some(p) = &cfg.path {
        tracing::info!(path = %p.display(), "configuration loaded");
    }
    let result = match cli.command {
        Command::Detect(a) => detect(a, &cfg.config, cli.quiet),
        Command::Triage(a) => triage(a, &cfg.config, cli.quiet),
        Command::Rules(r) => rules_cmd::run(r.action, &cfg.config, cli.quiet),
        Command::Policy(p) => policy_cmd::run(p, cli.quiet),
        Command::Guard(g) => guard_cmd::run(g, &cfg.config.guard, cli.quiet),
        Command::Llm(l) => llm_cmd::run(l, &cfg.config.llm, cli.quiet),
        Command::Ingest(a) => ingest(a, &cfg.config, cli.quiet),
        Command::Ask(a) => ask_cmd::run(a, &cfg.config, cli.quiet),
        Command::Serve(a) => {
            let config = cfg.config.clone();
            let snippets = match snippet_analyzer(&cfg.config) {
                Ok(s) => s,
                Err(e) => return finish(Err(e)),
            };
            serve_cmd::serve(a, &cfg.config, snippets, cli.quiet, |store, data| {
                let argv = [
                    "warden".to_string(),
                    "ingest".into(),
                    "--store".into(),
                    store.display().to_string(),
                    data.display().to_string(),
                ];
                let Ok(Cli {
                    command: Command::Ingest(i),
                    ..
                }) = Cli::try_parse_from(argv)
                else {
                    return Err(Fatal("cannot load the demo data".into()));
                };
                ingest(i, &config, true).map(|_| ())
            })
        }
        Command::Tokens(a) => serve_cmd::tokens(a),
        Command::Users(a) => serve_cmd::users(a),
        Command::ScanImage(a) => scan_cmd::run(a, cli.quiet),
        Command::Run(a) => run_cmd::run(a, &cfg.config, cli.quiet),
        Command::Approve(a) => approve_cmd::run(a, &cfg.config, cli.quiet),
        Command::Audit(a) => approve_cmd::audit(a),
        Command::Lambda => match snippet_analyzer(&cfg.config) {
            Ok(s) => lambda_cmd::run(&cfg.config, s),
            Err(e) => Err(e),
        },
    };
    finish(result)
}

fn finish(result: Result<ExitCode, Fatal>) -> ExitCode {
    match result {
        Ok(code) => code,
        Err(Fatal(msg)) if msg.contains("Broken pipe") => ExitCode::SUCCESS,
        Err(Fatal(msg)) => {
            eprintln!("warden: error: {msg}");
            ExitCode::from(2)
        }
    }
}
