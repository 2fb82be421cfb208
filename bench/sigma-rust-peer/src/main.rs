//! sigma-rust-peer: the "obvious" Rust pipeline warden is compared against.
//!
//! For every CloudTrail delivery file: gunzip (flate2, zlib-rs backend, the
//! same as warden), parse the whole `{"Records":[...]}` document with
//! serde_json, turn each record into a `sigma_rust::Event` and evaluate every
//! applicable Sigma rule with `sigma_rust::Rule::is_match`. Single-threaded.
//!
//! sigma-rust ignores `logsource` when matching (it only parses it), so this
//! tool applies the logsource itself: every record of a CloudTrail delivery
//! file is a CloudTrail record, and every rule whose logsource is
//! `product: aws` with `service: cloudtrail` (or no service) is evaluated on
//! every record. Rules for other log sources are loaded but not applied.
//!
//! Usage: sigma-rust-peer --rules DIR [--rules DIR...] [--per-rule] FILES/DIRS...
//! Summary on stderr: `events=N matches=M rules_loaded=R rules_skipped=S ...`

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use flate2::read::MultiGzDecoder;
use sigma_rust::{rule_from_yaml, Event, Rule};

struct Args {
    rule_dirs: Vec<PathBuf>,
    inputs: Vec<PathBuf>,
    per_rule: bool,
    quiet: bool,
}

const USAGE: &str = "usage: sigma-rust-peer --rules DIR [--rules DIR...] [--per-rule] [--quiet] FILES/DIRS...";

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        rule_dirs: Vec::new(),
        inputs: Vec::new(),
        per_rule: false,
        quiet: false,
    };
    let mut it = std::env::args_os().skip(1);
    while let Some(a) = it.next() {
        match a.to_str() {
            Some("--rules") => {
                let dir = it.next().ok_or("--rules needs a directory")?;
                args.rule_dirs.push(PathBuf::from(dir));
            }
            Some(s) if s.starts_with("--rules=") => args.rule_dirs.push(PathBuf::from(&s[8..])),
            Some("--per-rule") => args.per_rule = true,
            Some("--quiet" | "-q") => args.quiet = true,
            Some("--help" | "-h") => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            Some("--") => args.inputs.extend(it.by_ref().map(PathBuf::from)),
            Some(s) if s.starts_with("--") => return Err(format!("unknown option {s}")),
            _ => args.inputs.push(PathBuf::from(a)),
        }
    }
    if args.rule_dirs.is_empty() {
        return Err("at least one --rules DIR is required".into());
    }
    if args.inputs.is_empty() {
        return Err("no input files or directories".into());
    }
    Ok(args)
}

/// Recursively collect files under `path` (or `path` itself) accepted by `keep`,
/// sorted for a deterministic order.
fn collect_files(path: &Path, keep: &dyn Fn(&str) -> bool, out: &mut Vec<PathBuf>) -> io::Result<()> {
    let meta = fs::metadata(path)?;
    if meta.is_dir() {
        let mut entries: Vec<PathBuf> = fs::read_dir(path)?
            .map(|e| e.map(|e| e.path()))
            .collect::<io::Result<_>>()?;
        entries.sort();
        for entry in entries {
            if entry.is_dir() {
                collect_files(&entry, keep, out)?;
            } else if entry.file_name().and_then(|n| n.to_str()).is_some_and(keep) {
                out.push(entry);
            }
        }
    } else {
        out.push(path.to_path_buf());
    }
    Ok(())
}

fn is_rule_file(name: &str) -> bool {
    (name.ends_with(".yml") || name.ends_with(".yaml"))
        && !name.ends_with(".examples.yml")
        && !name.ends_with(".examples.yaml")
}

fn is_input_file(name: &str) -> bool {
    name.ends_with(".json.gz") || name.ends_with(".json") || name.ends_with(".gz")
}

struct LoadedRule {
    path: PathBuf,
    rule: Rule,
}

fn applies_to_cloudtrail(rule: &Rule) -> bool {
    let ls = &rule.logsource;
    let product_aws = ls.product.as_deref().is_some_and(|p| p.eq_ignore_ascii_case("aws"));
    let service_ok = ls
        .service
        .as_deref()
        .is_none_or(|s| s.eq_ignore_ascii_case("cloudtrail"));
    product_aws && service_ok
}

/// Why a rule file could not be used; a cheap textual look at the YAML, only for
/// the report.
fn skip_reason(text: &str, err: &str) -> &'static str {
    let has_top_key = |k: &str| text.lines().any(|l| l.starts_with(k));
    if has_top_key("correlation:") {
        "correlation rule"
    } else if text.lines().filter(|l| l.trim_end() == "---").count() > 0 {
        "multi-document YAML"
    } else if err.contains("modifier") {
        "unsupported modifier"
    } else {
        "parse error"
    }
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("sigma-rust-peer: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };

    // ---- rules -----------------------------------------------------------
    let mut rule_files = Vec::new();
    for dir in &args.rule_dirs {
        if let Err(e) = collect_files(dir, &is_rule_file, &mut rule_files) {
            eprintln!("sigma-rust-peer: cannot read rules in {}: {e}", dir.display());
            return ExitCode::from(2);
        }
    }
    let mut loaded: Vec<LoadedRule> = Vec::new();
    let mut skipped = 0usize;
    for path in rule_files {
        let text = match fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("skip {}: {e}", path.display());
                skipped += 1;
                continue;
            }
        };
        match rule_from_yaml(&text) {
            Ok(rule) => loaded.push(LoadedRule { path, rule }),
            Err(e) => {
                let msg = e.to_string();
                if !args.quiet {
                    eprintln!("skip {} ({}): {msg}", path.display(), skip_reason(&text, &msg));
                }
                skipped += 1;
            }
        }
    }
    let rules_loaded = loaded.len();
    // Only rules for CloudTrail are evaluated (sigma-rust itself ignores logsource).
    let applied: Vec<&LoadedRule> = loaded.iter().filter(|r| applies_to_cloudtrail(&r.rule)).collect();
    let other_logsource = rules_loaded - applied.len();
    if !args.quiet {
        for r in loaded.iter().filter(|r| !applies_to_cloudtrail(&r.rule)) {
            eprintln!("not applied (logsource is not aws/cloudtrail): {}", r.path.display());
        }
    }

    // ---- inputs ----------------------------------------------------------
    let mut inputs = Vec::new();
    for p in &args.inputs {
        if let Err(e) = collect_files(p, &is_input_file, &mut inputs) {
            eprintln!("sigma-rust-peer: cannot read input {}: {e}", p.display());
            return ExitCode::from(2);
        }
    }

    let start = Instant::now();
    let mut per_rule = vec![0u64; applied.len()];
    let mut events = 0u64;
    let mut matches = 0u64;
    let mut bytes = 0u64;
    let mut files = 0u64;
    let mut bad_files = 0u64;
    let mut bad_records = 0u64;
    // Time spent per stage (gunzip, JSON parse, Event conversion, rule matching).
    let (mut t_gunzip, mut t_parse, mut t_convert, mut t_match) = (0f64, 0f64, 0f64, 0f64);
    let mut raw: Vec<u8> = Vec::with_capacity(16 << 20);
    let mut buf: Vec<u8> = Vec::with_capacity(64 << 20);

    for path in &inputs {
        raw.clear();
        buf.clear();
        let read = fs::File::open(path).and_then(|mut f| f.read_to_end(&mut raw));
        if let Err(e) = read {
            eprintln!("error: {}: {e}", path.display());
            bad_files += 1;
            continue;
        }
        let t = Instant::now();
        let json: &[u8] = if raw.starts_with(&[0x1f, 0x8b]) {
            if let Err(e) = MultiGzDecoder::new(&raw[..]).read_to_end(&mut buf) {
                eprintln!("error: {}: gunzip: {e}", path.display());
                bad_files += 1;
                continue;
            }
            &buf
        } else {
            &raw
        };
        t_gunzip += t.elapsed().as_secs_f64();
        bytes += json.len() as u64;
        let t = Instant::now();
        let doc: serde_json::Value = match serde_json::from_slice(json) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("error: {}: {e}", path.display());
                bad_files += 1;
                continue;
            }
        };
        let records = match doc {
            serde_json::Value::Object(mut m) => match m.remove("Records") {
                Some(serde_json::Value::Array(a)) => a,
                _ => {
                    eprintln!("error: {}: no \"Records\" array", path.display());
                    bad_files += 1;
                    continue;
                }
            },
            _ => {
                eprintln!("error: {}: not a JSON object", path.display());
                bad_files += 1;
                continue;
            }
        };
        t_parse += t.elapsed().as_secs_f64();
        files += 1;
        // Streaming, one record at a time (faster than converting the whole
        // file first); the per-record clock reads cost well under 1%.
        for (n, record) in records.into_iter().enumerate() {
            let t0 = Instant::now();
            let event = match Event::try_from(record) {
                Ok(e) => e,
                Err(e) => {
                    eprintln!("error: {}: record {n}: {e}", path.display());
                    bad_records += 1;
                    continue;
                }
            };
            let t1 = Instant::now();
            events += 1;
            for (i, r) in applied.iter().enumerate() {
                if r.rule.is_match(&event) {
                    per_rule[i] += 1;
                    matches += 1;
                }
            }
            let t2 = Instant::now();
            t_convert += (t1 - t0).as_secs_f64();
            t_match += (t2 - t1).as_secs_f64();
        }
    }
    let secs = start.elapsed().as_secs_f64();

    if args.per_rule {
        for (r, n) in applied.iter().zip(&per_rule) {
            eprintln!("{n:>10}  {}  ({})", r.rule.title, r.path.display());
        }
    }
    eprintln!(
        "events={events} matches={matches} rules_loaded={rules_loaded} rules_skipped={skipped} \
         rules_applied={} rules_other_logsource={other_logsource} files={files} bad_files={bad_files} \
         bad_records={bad_records} bytes={bytes} seconds={secs:.3} events_per_s={:.0} mb_per_s={:.1}",
        applied.len(),
        events as f64 / secs.max(1e-9),
        bytes as f64 / 1e6 / secs.max(1e-9),
    );
    eprintln!(
        "stages: gunzip={t_gunzip:.3}s parse={t_parse:.3}s convert={t_convert:.3}s match={t_match:.3}s"
    );
    if bad_files > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
