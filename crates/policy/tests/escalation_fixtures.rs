//! Every documented escalation path has a positive fixture that must be
//! reported and a near-miss that must not (crates/policy/tests/fixtures/
//! escalation/cases.yml), alone and across combined policies.

use std::path::Path;

use serde::Deserialize;
use warden_policy::{analyze, check_document, Catalog, Document};

#[derive(Deserialize)]
struct Case {
    #[serde(default)]
    file: Option<String>,
    #[serde(default)]
    files: Vec<String>,
    expect: Vec<String>,
    expect_not: Vec<String>,
    why: String,
}

fn run(dir: &Path, cases: &str, combine: bool) -> Vec<String> {
    let c = Catalog::embedded();
    let cases: Vec<Case> =
        serde_yaml::from_str(&std::fs::read_to_string(dir.join(cases)).unwrap()).unwrap();
    let mut failures = Vec::new();
    for case in &cases {
        let files: Vec<String> = case
            .file
            .iter()
            .cloned()
            .chain(case.files.iter().cloned())
            .collect();
        let docs: Vec<_> = files
            .iter()
            .map(|f| {
                check_document(
                    c,
                    &Document {
                        name: f.clone(),
                        bytes: std::fs::read(dir.join(f)).unwrap(),
                    },
                )
            })
            .collect();
        for d in &docs {
            let errors: Vec<_> = d
                .findings
                .iter()
                .filter(|f| f.severity == warden_policy::Severity::Error)
                .map(|f| format!("{} {}", f.code, f.message))
                .collect();
            if !errors.is_empty() {
                failures.push(format!("{}: fixture has errors: {errors:?}", d.name));
            }
        }
        let reports = analyze(c, &docs, combine, None);
        let found: Vec<&String> = reports.iter().flat_map(|r| &r.escalation_paths).collect();
        for e in &case.expect {
            if !found.contains(&e) {
                failures.push(format!("{files:?}: missed {e} ({})", case.why));
            }
        }
        for e in &case.expect_not {
            if found.contains(&e) {
                failures.push(format!("{files:?}: false alarm {e} ({})", case.why));
            }
        }
    }
    failures
}

#[test]
fn every_path_detected_and_no_near_miss_flagged() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/escalation");
    let mut failures = run(&dir, "cases.yml", false);
    failures.extend(run(&dir.join("combined"), "cases.yml", true));
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// `--fix` on every fixture: the result parses without errors and grants no
/// action the original did not.
#[test]
fn fixes_are_valid_and_never_broader() {
    let c = Catalog::embedded();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/escalation");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let before = check_document(
            c,
            &Document {
                name: p.display().to_string(),
                bytes: std::fs::read(&p).unwrap(),
            },
        );
        let fixed = warden_policy::fix::fix(c, before.policy.as_ref().unwrap());
        let after = check_document(
            c,
            &Document {
                name: "fixed".into(),
                bytes: fixed.policy.to_string().into_bytes(),
            },
        );
        let errors: Vec<_> = after
            .findings
            .iter()
            .filter(|f| f.severity == warden_policy::Severity::Error)
            .map(|f| &f.message)
            .collect();
        assert!(
            errors.is_empty(),
            "{}: {errors:?}\n{}",
            p.display(),
            fixed.policy
        );
        let b = warden_policy::risk::effective(c, &[before.policy.as_ref().unwrap()], None);
        let a = warden_policy::risk::effective(c, &[after.policy.as_ref().unwrap()], None);
        let mut extra = a.allowed.clone();
        extra.subtract(&b.allowed);
        assert!(
            extra.is_empty(),
            "{}: fix grants {} more actions",
            p.display(),
            extra.len()
        );
        n += 1;
    }
    assert!(n >= 160, "{n} fixtures");
}
