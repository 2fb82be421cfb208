//! Rendering reports: a readable terminal report, JSON, and SARIF 2.1.0
//! for code-scanning UIs.

use std::fmt::Write as _;

use serde_json::{json, Value};

use crate::finding::Severity;
use crate::Report;

/// Terminal report. `color` adds ANSI colours to severities and the score.
pub fn text(r: &Report, color: bool) -> String {
    let paint = |code: &str, s: &str| {
        if color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let mut o = String::new();
    let score_col = match r.score {
        1..=3 => "1;31",
        4..=6 => "1;33",
        _ => "1;32",
    };
    let _ = writeln!(
        o,
        "{}  score {}  ({} finding{}, IAM catalog {})",
        paint("1", &r.file),
        paint(score_col, &format!("{}/10", r.score)),
        r.findings.len(),
        if r.findings.len() == 1 { "" } else { "s" },
        r.catalog_date
    );
    for f in &r.findings {
        let sev = match f.severity {
            Severity::Error => paint("31", "ERROR           "),
            Severity::SecurityWarning => paint("35", "SECURITY_WARNING"),
            Severity::Warning => paint("33", "WARNING         "),
            Severity::Suggestion => paint("36", "SUGGESTION      "),
        };
        let at = match (f.line, f.column) {
            (Some(l), Some(c)) => format!("{l}:{c}"),
            _ => "-".into(),
        };
        let file = f
            .file
            .as_deref()
            .map(|x| format!("{x} "))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "  {sev} {file}{at:<7} {} {}",
            paint("1", &f.code),
            f.message
        );
        let _ = writeln!(o, "  {:16} {:7} {}", "", "", paint("2", &f.path));
        if let Some(d) = &f.detail {
            let _ = writeln!(o, "  {:16} {:7} {}", "", "", paint("2", d));
        }
    }
    if r.score_breakdown.is_empty() {
        let _ = writeln!(o, "  score: 10, nothing to deduct");
    } else {
        let parts: Vec<String> = r
            .score_breakdown
            .iter()
            .map(|d| {
                format!(
                    "{} ({}{})",
                    fmt_points(d.points),
                    d.reason,
                    if d.count > 1 {
                        format!(" ×{}", d.count)
                    } else {
                        String::new()
                    }
                )
            })
            .collect();
        let _ = writeln!(o, "  score: 10 {} = {}", parts.join(" "), r.score);
    }
    if !r.suggestions.is_empty() {
        let _ = writeln!(o, "  suggestions:");
        for s in &r.suggestions {
            let _ = writeln!(o, "    - {s}");
        }
    }
    o
}

fn fmt_points(p: f64) -> String {
    if p.fract() == 0.0 {
        format!("− {}", -p as i64)
    } else {
        format!("− {:.1}", -p)
    }
}

/// SARIF 2.1.0 log over all reports.
pub fn sarif(reports: &[Report], version: &str) -> Value {
    let mut rules: Vec<String> = reports
        .iter()
        .flat_map(|r| r.findings.iter().map(|f| f.code.clone()))
        .collect();
    rules.sort();
    rules.dedup();
    let results: Vec<Value> = reports
        .iter()
        .flat_map(|r| {
            r.findings.iter().map(move |f| {
                let file = f.file.clone().unwrap_or_else(|| r.file.clone());
                // Embedded documents are named file#path; SARIF wants the file.
                let uri = file.split('#').next().unwrap_or(&file).to_string();
                let mut region = serde_json::Map::new();
                if let Some(l) = f.line {
                    region.insert("startLine".into(), json!(l));
                }
                if let Some(c) = f.column {
                    region.insert("startColumn".into(), json!(c));
                }
                let mut loc = json!({"physicalLocation": {"artifactLocation": {"uri": uri}}});
                if !region.is_empty() {
                    loc["physicalLocation"]["region"] = Value::Object(region);
                }
                loc["logicalLocations"] =
                    json!([{"fullyQualifiedName": f.path, "kind": "element"}]);
                json!({
                    "ruleId": f.code,
                    "level": match f.severity {
                        Severity::Error => "error",
                        Severity::SecurityWarning | Severity::Warning => "warning",
                        Severity::Suggestion => "note",
                    },
                    "message": {"text": match &f.detail {
                        Some(d) => format!("{} — {}", f.message, d),
                        None => f.message.clone(),
                    }},
                    "locations": [loc],
                    "properties": {
                        "severity": f.severity.as_str(),
                        "category": f.category.map(|c| c.as_str()),
                        "actions": f.actions,
                        "policy": file,
                        "score": r.score,
                    },
                })
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "warden-policy",
                "version": version,
                "informationUri": "https://github.com/warden/warden/blob/main/docs/policy.md",
                "rules": rules.iter().map(|r| json!({"id": r, "shortDescription": {"text": r.replace('_', " ").to_lowercase()}})).collect::<Vec<_>>(),
            }},
            "results": results,
        }]
    })
}
