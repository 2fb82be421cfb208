//! `warden rules list|lint|test`.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use warden_core::LogKind;
use warden_detect::testing::test_rules;

use crate::config::FileConfig;
use crate::output::{safe, Format};
use crate::{load_rules, rule_files, Fatal, RulesAction};

fn kinds_of(mask: u8) -> String {
    if mask == 0xff {
        return "any".into();
    }
    if mask == 0 {
        return "none".into();
    }
    LogKind::ALL
        .iter()
        .filter(|k| mask & (1 << k.index()) != 0)
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

pub fn run(action: RulesAction, cfg: &FileConfig, quiet: bool) -> Result<ExitCode, Fatal> {
    match action {
        RulesAction::List { rules, format } => {
            let files = rule_files(&rules, cfg, quiet);
            let loaded = load_rules(&files, quiet)?;
            let e = &loaded.engine;
            let mut out = io::BufWriter::new(io::stdout().lock());
            let json = matches!(format, Format::Json | Format::Ndjson)
                || (format == Format::Auto && !io::stdout().is_terminal());
            if json {
                let mut list: Vec<serde_json::Value> = e
                    .rules
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        serde_json::json!({
                            "id": r.meta.id, "title": r.meta.title, "level": r.meta.level,
                            "status": r.meta.status, "tags": r.meta.tags, "logsource": kinds_of(r.kinds),
                            "source": r.source, "correlation": false, "alerts_alone": e.emits(i),
                        })
                    })
                    .collect();
                list.extend(e.correlations.iter().map(|c| {
                    serde_json::json!({
                        "id": c.def.meta.id, "title": c.def.meta.title, "level": c.def.meta.level,
                        "status": c.def.meta.status, "tags": c.def.meta.tags, "source": c.def.source,
                        "correlation": true, "rules": c.def.rules, "group_by": c.def.group_by,
                    })
                }));
                serde_json::to_writer_pretty(&mut out, &list)?;
                writeln!(out)?;
            } else {
                writeln!(out, "{:<38} {:<13} {:<22} TITLE", "ID", "LEVEL", "LOGS")?;
                for r in &e.rules {
                    writeln!(
                        out,
                        "{:<38} {:<13} {:<22} {}",
                        r.meta.id,
                        r.meta.level,
                        kinds_of(r.kinds),
                        safe(&r.meta.title)
                    )?;
                }
                for c in &e.correlations {
                    writeln!(
                        out,
                        "{:<38} {:<13} {:<22} {}",
                        c.def.meta.id,
                        c.def.meta.level,
                        "correlation",
                        safe(&c.def.meta.title)
                    )?;
                }
                writeln!(
                    out,
                    "{} rules, {} correlations",
                    e.rules.len(),
                    e.correlations.len()
                )?;
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        RulesAction::Lint { rules } => {
            let files = rule_files(&rules, cfg, true);
            let loaded = warden_detect::build(&files);
            let mut problems = 0;
            for e in &loaded.errors {
                println!("error: {e}");
            }
            let metas = loaded
                .engine
                .rules
                .iter()
                .map(|r| (&r.meta, &r.source))
                .chain(
                    loaded
                        .engine
                        .correlations
                        .iter()
                        .map(|c| (&c.def.meta, &c.def.source)),
                );
            for (m, src) in metas {
                let mut w = m.warnings.clone();
                if m.description.is_empty() {
                    w.push("no 'description'".into());
                } else if !m.description.contains("Response:") {
                    w.push(
                        "description has no 'Response:' sentence telling the analyst what to do"
                            .into(),
                    );
                }
                if !m.tags.iter().any(|t| t.starts_with("attack.t")) {
                    w.push("no ATT&CK technique tag (attack.tNNNN)".into());
                }
                if m.falsepositives.is_empty() {
                    w.push("no 'falsepositives'".into());
                }
                for x in w {
                    problems += 1;
                    println!("warning: {src} ({}): {x}", m.title);
                }
            }
            for i in &loaded.inactive {
                problems += 1;
                println!("warning: {i}");
            }
            println!(
                "{} rules, {} correlations, {} errors, {} warnings",
                loaded.engine.rules.len(),
                loaded.engine.correlations.len(),
                loaded.errors.len(),
                problems
            );
            Ok(if loaded.errors.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        RulesAction::Test {
            rules,
            verbose_cases,
        } => {
            let files = rule_files(&rules, cfg, quiet);
            let loaded = warden_detect::build(&files);
            for e in &loaded.errors {
                println!("error: {e}");
            }
            let report = test_rules(&loaded.engine, &files);
            for c in &report.cases {
                if !c.passed {
                    println!(
                        "FAIL {} [{}] {}: {}",
                        c.source, c.case, c.rule_title, c.detail
                    );
                } else if verbose_cases {
                    println!("ok   {} [{}] {}", c.source, c.case, c.rule_title);
                }
            }
            for e in &report.errors {
                println!("error: {e}");
            }
            for u in &report.untested {
                println!("untested: {u}");
            }
            println!(
                "rules test: {} passed, {} failed",
                report.passed(),
                report.failed()
            );
            let ok = report.failed() == 0 && report.errors.is_empty() && loaded.errors.is_empty();
            Ok(if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}
