//! `warden policy check|catalog`: least-privilege review of IAM policies.

use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use warden_policy::{analyze, check_input, report, Catalog, Checked, Document};

use crate::Fatal;

/// Largest policy input read (CloudFormation templates and plans included).
const MAX_INPUT_BYTES: u64 = 16 << 20;

#[derive(Args, Debug)]
pub struct PolicyArgs {
    #[command(subcommand)]
    action: PolicyAction,
}

#[derive(Subcommand, Debug)]
enum PolicyAction {
    /// Validate policies, find privilege escalation and other risks, score them 1–10.
    #[command(
        after_help = "Inputs: policy JSON files, directories (recursive: .json, .yaml, .yml, .template), - for stdin,\nCloudFormation templates (JSON or YAML) and Terraform plans (terraform show -json) — every policy inside is checked.\n\nExit status: 0 done, 1 a score below --min-score, 2 usage error.\n\nExamples:\n  warden policy check policy.json\n  warden policy check --combine --boundary boundary.json user-policies/\n  terraform show -json plan.out | warden policy check - --min-score 7\n  warden policy check --fix policy.json > policy.fixed.json"
    )]
    Check(CheckArgs),
    /// Show or replace the AWS action catalog used for checks.
    Catalog {
        #[command(subcommand)]
        action: CatalogAction,
    },
}

#[derive(Subcommand, Debug)]
enum CatalogAction {
    /// Print the catalog's source, date and size.
    Show {
        #[command(flatten)]
        catalog: CatalogSel,
    },
    /// Install a newer catalog built with tools/iam-catalog/build_catalog.py.
    Update {
        /// Catalog file (.json or .json.gz).
        #[arg(long, value_name = "PATH")]
        from: PathBuf,
    },
}

#[derive(Args, Debug)]
struct CatalogSel {
    /// Use this catalog file instead of the installed or built-in one.
    #[arg(long, env = "WARDEN_IAM_CATALOG", value_name = "PATH")]
    catalog: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum PolicyFormat {
    Auto,
    Text,
    Json,
    Sarif,
}

#[derive(Args, Debug)]
struct CheckArgs {
    /// Policy files, directories, CloudFormation templates, Terraform plans, or - for stdin.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<String>,
    /// Output format (auto: text on a terminal, JSON otherwise).
    #[arg(long, short = 'f', value_enum, default_value = "auto")]
    format: PolicyFormat,
    /// Exit with status 1 when any report scores below N (1–10).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=10))]
    min_score: Option<u8>,
    /// Treat all inputs as the policies of one principal (allows and denies from all).
    #[arg(long)]
    combine: bool,
    /// A permissions boundary that caps what the policies can grant (with --combine or one input).
    #[arg(long, value_name = "FILE")]
    boundary: Option<PathBuf>,
    /// Print a suggested policy (valid, never broader than the original) instead of the report.
    #[arg(long)]
    fix: bool,
    #[command(flatten)]
    catalog: CatalogSel,
}

/// Installed catalog location: $XDG_DATA_HOME/warden or ~/.local/share/warden.
fn installed_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))?;
    Some(base.join("warden/iam-catalog.json.gz"))
}

fn load_catalog(sel: &CatalogSel) -> Result<&'static Catalog, Fatal> {
    let path = sel
        .catalog
        .clone()
        .or_else(|| installed_path().filter(|p| p.exists()));
    match path {
        Some(p) => {
            let c = Catalog::from_file(&p).map_err(|e| {
                Fatal(format!(
                    "IAM catalog {e}; rebuild it with tools/iam-catalog/build_catalog.py or remove it to use the built-in one"
                ))
            })?;
            tracing::info!(path = %p.display(), date = %c.date, "IAM catalog loaded");
            Ok(Box::leak(Box::new(c)))
        }
        None => Ok(Catalog::embedded()),
    }
}

/// Expand inputs into documents; unreadable ones become errors to report.
fn read_inputs(inputs: &[String], quiet: bool) -> Result<Vec<Document>, Fatal> {
    let mut docs = Vec::new();
    let mut problems = 0;
    for i in inputs {
        if i == "-" {
            let mut b = Vec::new();
            io::stdin()
                .take(MAX_INPUT_BYTES + 1)
                .read_to_end(&mut b)
                .map_err(|e| Fatal(format!("reading standard input: {e}")))?;
            if b.len() as u64 > MAX_INPUT_BYTES {
                return Err(Fatal(format!(
                    "standard input is larger than {} MiB; that is not a policy",
                    MAX_INPUT_BYTES >> 20
                )));
            }
            docs.push(Document {
                name: "-".into(),
                bytes: b,
            });
            continue;
        }
        let p = Path::new(i);
        let mut files = Vec::new();
        if p.is_dir() {
            walk(p, &mut files);
            if files.is_empty() && !quiet {
                eprintln!("warden: warning: {i}: no .json/.yaml/.yml/.template files found");
            }
        } else {
            files.push(p.to_path_buf());
        }
        for f in files {
            match read_bounded(&f) {
                Ok(bytes) => docs.push(Document {
                    name: f.display().to_string(),
                    bytes,
                }),
                Err(e) => {
                    problems += 1;
                    if !quiet {
                        eprintln!("warden: error: {e}");
                    }
                }
            }
        }
    }
    if docs.is_empty() {
        return Err(Fatal(if problems > 0 {
            "no policy could be read".into()
        } else {
            "no policies given".into()
        }));
    }
    Ok(docs)
}

fn read_bounded(f: &Path) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(f).map_err(|e| format!("{}: {e}", f.display()))?;
    if meta.len() > MAX_INPUT_BYTES {
        return Err(format!(
            "{}: {} MiB is larger than the {} MiB limit; that is not a policy",
            f.display(),
            meta.len() >> 20,
            MAX_INPUT_BYTES >> 20
        ));
    }
    std::fs::read(f).map_err(|e| format!("{}: {e}", f.display()))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "json" | "yaml" | "yml" | "template"))
        {
            out.push(p);
        }
    }
}

pub fn run(args: PolicyArgs, quiet: bool) -> Result<ExitCode, Fatal> {
    match args.action {
        PolicyAction::Check(a) => check(a, quiet),
        PolicyAction::Catalog { action } => catalog(action),
    }
}

fn catalog(action: CatalogAction) -> Result<ExitCode, Fatal> {
    let mut out = io::stdout().lock();
    match action {
        CatalogAction::Show { catalog } => {
            let c = load_catalog(&catalog)?;
            let origin = match (&catalog.catalog, installed_path().filter(|p| p.exists())) {
                (Some(p), _) => p.display().to_string(),
                (None, Some(p)) => format!("{} (installed)", p.display()),
                (None, None) => "built in".into(),
            };
            writeln!(out, "IAM catalog: {origin}")?;
            writeln!(out, "  source:   {}", c.source)?;
            writeln!(out, "  date:     {}", c.date)?;
            writeln!(out, "  services: {}", c.services.len())?;
            writeln!(out, "  actions:  {}", c.len())?;
        }
        CatalogAction::Update { from } => {
            let bytes =
                std::fs::read(&from).map_err(|e| Fatal(format!("{}: {e}", from.display())))?;
            let c = Catalog::from_bytes(&bytes)
                .map_err(|e| Fatal(format!("{}: {e}", from.display())))?;
            if c.len() < 1000 || c.service("iam").is_none() {
                return Err(Fatal(format!(
                    "{}: only {} actions and no IAM service; that is not a complete catalog",
                    from.display(),
                    c.len()
                )));
            }
            let dest = installed_path()
                .ok_or_else(|| Fatal("neither XDG_DATA_HOME nor HOME is set".into()))?;
            if let Some(dir) = dest.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| Fatal(format!("{}: {e}", dir.display())))?;
            }
            // Always store gzip, written to a temp file then renamed, so a
            // crash never leaves half a catalog behind.
            let gz = if bytes.starts_with(&[0x1f, 0x8b]) {
                bytes
            } else {
                let mut e =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
                e.write_all(&bytes)?;
                e.finish()?
            };
            let tmp = dest.with_extension("gz.tmp");
            std::fs::write(&tmp, &gz).map_err(|e| Fatal(format!("{}: {e}", tmp.display())))?;
            std::fs::rename(&tmp, &dest).map_err(|e| Fatal(format!("{}: {e}", dest.display())))?;
            let old = Catalog::embedded();
            writeln!(
                out,
                "installed {} ({} services, {} actions, dated {}; built-in: {} actions, {})",
                dest.display(),
                c.services.len(),
                c.len(),
                c.date,
                old.len(),
                old.date
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn check(a: CheckArgs, quiet: bool) -> Result<ExitCode, Fatal> {
    let c = load_catalog(&a.catalog)?;
    let docs = read_inputs(&a.inputs, quiet)?;
    let checked: Vec<Checked> = docs.iter().flat_map(|d| check_input(c, d)).collect();
    let boundary = match &a.boundary {
        Some(p) => {
            let bytes = read_bounded(p).map_err(Fatal)?;
            let b = warden_policy::check_document(
                c,
                &Document {
                    name: p.display().to_string(),
                    bytes,
                },
            );
            Some(b.policy.ok_or_else(|| {
                Fatal(format!(
                    "--boundary {}: not a policy ({})",
                    p.display(),
                    b.findings
                        .first()
                        .map(|f| f.message.as_str())
                        .unwrap_or("unreadable")
                ))
            })?)
        }
        None => None,
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    if a.fix {
        let mut fixed_any = false;
        for ch in &checked {
            let Some(p) = &ch.policy else {
                if !quiet {
                    eprintln!(
                        "warden: {}: cannot be fixed: {}",
                        ch.name,
                        ch.findings
                            .first()
                            .map(|f| f.message.as_str())
                            .unwrap_or("unreadable")
                    );
                }
                continue;
            };
            let f = warden_policy::fix::fix(c, p);
            if checked.len() > 1 {
                writeln!(out, "// {}", ch.name)?;
            }
            serde_json::to_writer_pretty(&mut out, &f.policy)?;
            writeln!(out)?;
            fixed_any = true;
            if !quiet {
                if f.changes.is_empty() {
                    eprintln!(
                        "warden: {}: no mechanical fix applies; see the report's suggestions",
                        ch.name
                    );
                }
                for ch_line in &f.changes {
                    eprintln!("warden: {}: {ch_line}", ch.name);
                }
            }
        }
        out.flush()?;
        return Ok(if fixed_any {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(2)
        });
    }
    let reports = analyze(c, &checked, a.combine, boundary.as_ref());
    let format = match a.format {
        PolicyFormat::Auto if io::stdout().is_terminal() => PolicyFormat::Text,
        PolicyFormat::Auto => PolicyFormat::Json,
        f => f,
    };
    match format {
        PolicyFormat::Json => {
            if reports.len() == 1 {
                serde_json::to_writer_pretty(&mut out, &reports[0])?;
            } else {
                serde_json::to_writer_pretty(&mut out, &reports)?;
            }
            writeln!(out)?;
        }
        PolicyFormat::Sarif => {
            serde_json::to_writer_pretty(
                &mut out,
                &report::sarif(&reports, env!("CARGO_PKG_VERSION")),
            )?;
            writeln!(out)?;
        }
        _ => {
            let color = io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            for (i, r) in reports.iter().enumerate() {
                if i > 0 {
                    writeln!(out)?;
                }
                write!(out, "{}", report::text(r, color))?;
            }
        }
    }
    out.flush()?;
    if let Some(min) = a.min_score {
        let low: Vec<&warden_policy::Report> = reports.iter().filter(|r| r.score < min).collect();
        if !low.is_empty() {
            if !quiet {
                for r in &low {
                    eprintln!(
                        "warden: {} scores {}/10, below --min-score {min}",
                        r.file, r.score
                    );
                }
            }
            return Ok(ExitCode::from(1));
        }
    }
    Ok(ExitCode::SUCCESS)
}
