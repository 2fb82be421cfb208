//! `warden approve`: decide a remediation waiting for approval (the image
//! guard's quarantine or delete) and, when approved, carry it out at once
//! with the approver recorded in the audit log.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use warden_store::Decision;

use crate::Fatal;

#[derive(Args, Debug)]
pub struct ApproveArgs {
    /// The approval id (Q-…), as shown in the incident, Slack or the web UI.
    #[arg(required_unless_present = "list", value_name = "ID")]
    pub id: Option<String>,
    /// Reject instead: nothing is done to the object.
    #[arg(long)]
    pub reject: bool,
    /// List remediations waiting for a decision.
    #[arg(long, conflicts_with_all = ["id", "reject"])]
    pub list: bool,
    /// The store (default: WARDEN_STORE, else ~/.local/share/warden/store).
    #[arg(long, value_name = "DIR")]
    pub store: Option<PathBuf>,
}

/// `cli:<login>` for the audit log (USER, else LOGNAME, else the uid).
fn who() -> String {
    let name = ["USER", "LOGNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        .or_else(|| {
            std::fs::read_to_string("/proc/self/status")
                .ok()
                .and_then(|s| {
                    s.lines()
                        .find_map(|l| l.strip_prefix("Uid:"))
                        .and_then(|l| l.split_whitespace().next().map(|u| format!("uid-{u}")))
                })
        })
        .unwrap_or_else(|| "unknown".into());
    format!("cli:{name}")
}

pub fn run(
    a: ApproveArgs,
    cfg: &crate::config::FileConfig,
    quiet: bool,
) -> Result<ExitCode, Fatal> {
    let dir = crate::store_cmd::store_dir(a.store.as_deref())?;
    let store = crate::store_cmd::open(&dir)?;
    let e = |e: warden_store::StoreError| Fatal(e.to_string());
    if a.list {
        let rows = store.approvals(true, 100).map_err(e)?;
        let mut out = std::io::stdout().lock();
        use std::io::Write;
        if rows.is_empty() {
            writeln!(out, "Nothing waits for a decision.")?;
        }
        for r in rows {
            writeln!(
                out,
                "{}  {}  {}  ({}){}{}",
                r.id,
                r.action,
                r.target,
                r.reason,
                r.incident_id
                    .as_deref()
                    .map(|i| format!("  incident {i}"))
                    .unwrap_or_default(),
                r.outcome
                    .as_deref()
                    .map(|o| format!("\n    last attempt {o}"))
                    .unwrap_or_default()
            )?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let id = a.id.unwrap_or_default();
    let actor = who();
    let row = match store.decide(&id, !a.reject, &actor).map_err(e)? {
        Decision::Unknown => {
            return Err(Fatal(format!(
                "no remediation '{id}' (see warden approve --list)"
            )))
        }
        Decision::Already(r) => {
            return Err(Fatal(format!(
                "{id} was already {} by {}{}",
                r.state,
                r.decided_by.as_deref().unwrap_or("someone"),
                r.outcome
                    .as_deref()
                    .map(|o| format!("; {o}"))
                    .unwrap_or_default()
            )))
        }
        Decision::Decided(r) => r,
    };
    drop(store);
    if a.reject {
        println!("{id} rejected; {} stays as it is.", row.target);
        return Ok(ExitCode::SUCCESS);
    }
    let Some(spec) = crate::store_cmd::open(&dir)?
        .approval_spec(&id)
        .map_err(e)?
    else {
        println!("{id} approved (nothing for warden to carry out).");
        return Ok(ExitCode::SUCCESS);
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Fatal(format!("cannot start the async runtime: {e}")))?;
    let sel = crate::RuleSel {
        rules: Vec::new(),
        no_builtin: false,
    };
    let engine = crate::load_rules(&crate::rule_files(&sel, cfg, true), true)?.engine;
    rt.block_on(async {
        let p = crate::live::Processor::new(engine, &dir, cfg, false).await?;
        match p.execute_one(&row, &spec).await {
            Ok(done) => {
                println!("{id} approved and carried out: {done}");
                Ok(ExitCode::SUCCESS)
            }
            Err(err) => {
                if !quiet {
                    eprintln!("warden: {id} was approved, but carrying it out failed: {err}");
                }
                Ok(ExitCode::from(1))
            }
        }
    })
}

#[derive(Args, Debug)]
pub struct AuditArgs {
    /// Most recent records shown.
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    /// One JSON object per line instead of text.
    #[arg(long)]
    pub json: bool,
    /// The store (default: WARDEN_STORE, else ~/.local/share/warden/store).
    #[arg(long, value_name = "DIR")]
    pub store: Option<PathBuf>,
}

/// `warden audit`: who did what, newest first (sign-ins, tokens,
/// approvals, image scans and every S3 action).
pub fn audit(a: AuditArgs) -> Result<ExitCode, Fatal> {
    let dir = crate::store_cmd::store_dir(a.store.as_deref())?;
    if !dir.exists() {
        return Err(Fatal(format!(
            "no store at {} (give --store DIR or set WARDEN_STORE)",
            dir.display()
        )));
    }
    let rows = crate::store_cmd::open(&dir)?
        .audit_log(a.limit.min(100_000))
        .map_err(|e| Fatal(e.to_string()))?;
    let mut out = std::io::stdout().lock();
    use std::io::Write;
    for r in rows {
        if a.json {
            // Details written as JSON stay JSON (no string inside a string).
            let detail = serde_json::from_str::<serde_json::Value>(&r.detail)
                .ok()
                .filter(|v| v.is_object() || v.is_array())
                .unwrap_or_else(|| serde_json::Value::String(r.detail.clone()));
            let rec = serde_json::json!({
                "time": warden_core::Timestamp(r.time_ms).to_rfc3339(),
                "time_ms": r.time_ms, "actor": r.actor, "action": r.action,
                "target": r.target, "detail": detail,
            });
            serde_json::to_writer(&mut out, &rec)?;
            writeln!(out)?;
        } else {
            writeln!(
                out,
                "{}  {}  {}  {}  {}",
                warden_core::Timestamp(r.time_ms).to_rfc3339(),
                r.actor,
                r.action,
                r.target,
                r.detail
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
