//! The least-privilege score: 10 (tight) down to 1 (administrator),
//! computed only from findings so every point lost is explained.
//!
//! Formula (documented in docs/policy.md):
//! - `FULL_ADMIN` → 1, nothing else counts.
//! - Otherwise start at 10 and subtract, per finding code, the first
//!   occurrence's penalty plus a smaller one for each repeat, capped per
//!   code; round half up; clamp to 1..=10.

use serde::Serialize;

use crate::finding::{Finding, Severity};

/// One line of the explanation: points and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deduction {
    pub points: f64,
    pub code: String,
    pub reason: String,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    pub score: u8,
    pub deductions: Vec<Deduction>,
}

/// (code or prefix, first, each further, cap, reason)
const PENALTIES: [(&str, f64, f64, f64, &str); 14] = [
    ("PRIVESC_", 4.0, 1.0, 6.0, "privilege escalation paths"),
    (
        "ALLOW_WITH_NOT_ACTION",
        3.0,
        0.5,
        3.0,
        "Allow with NotAction grants nearly everything",
    ),
    ("PUBLIC_ACCESS", 3.0, 0.5, 3.0, "resource open to anyone"),
    (
        "ALLOW_WITH_NOT_PRINCIPAL",
        2.0,
        0.5,
        2.0,
        "Allow with NotPrincipal",
    ),
    (
        "PERMISSIONS_MANAGEMENT",
        2.0,
        0.5,
        3.0,
        "unconstrained permissions management",
    ),
    (
        "CREDENTIALS_EXPOSURE",
        2.0,
        0.5,
        3.0,
        "credentials can be created or read broadly",
    ),
    (
        "RESOURCE_EXPOSURE",
        2.0,
        0.5,
        3.0,
        "resource policies/sharing can be changed broadly",
    ),
    (
        "PASS_ROLE_ON_ALL_ROLES",
        1.0,
        0.0,
        1.0,
        "iam:PassRole on every role",
    ),
    (
        "ALLOW_WITH_NOT_RESOURCE",
        1.0,
        0.5,
        2.0,
        "Allow with NotResource",
    ),
    (
        "DATA_EXFILTRATION",
        1.0,
        0.5,
        2.0,
        "data readable from every resource",
    ),
    (
        "INFRASTRUCTURE_MODIFICATION",
        1.0,
        0.5,
        2.0,
        "write actions on every resource",
    ),
    ("SERVICE_WILDCARD", 1.0, 0.5, 2.0, "service-wide wildcards"),
    (
        "SET_OPERATOR_ON_SINGLE_VALUED_KEY",
        0.5,
        0.0,
        0.5,
        "a condition that does not restrict as intended",
    ),
    (
        "CONDITION_KEY_NOT_SUPPORTED",
        0.5,
        0.0,
        0.5,
        "a condition that never applies",
    ),
];

/// Score the findings of one policy (or one combined principal).
pub fn score(findings: &[Finding]) -> Score {
    if findings.iter().any(|f| f.code == "FULL_ADMIN") {
        return Score {
            score: 1,
            deductions: vec![Deduction {
                points: -9.0,
                code: "FULL_ADMIN".into(),
                reason: "administrator access: every action on every resource".into(),
                count: 1,
            }],
        };
    }
    let mut deductions = Vec::new();
    let mut total = 0.0;
    for (code, first, more, cap, reason) in PENALTIES {
        let n = findings
            .iter()
            .filter(|f| {
                if code.ends_with('_') {
                    f.code.starts_with(code)
                } else {
                    f.code == code
                }
            })
            .count();
        if n == 0 {
            continue;
        }
        let pts = (first + more * (n - 1) as f64).min(cap);
        total += pts;
        deductions.push(Deduction {
            points: -pts,
            code: code.trim_end_matches('_').to_string(),
            reason: reason.to_string(),
            count: n,
        });
    }
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    if errors > 0 {
        let pts = (0.5 * errors as f64).min(2.0);
        total += pts;
        deductions.push(Deduction {
            points: -pts,
            code: "ERROR".into(),
            reason: "the policy has errors (parts of it do not do what was written)".into(),
            count: errors,
        });
    }
    let raw = 10.0 - total;
    let score = (raw + 0.5).floor().clamp(1.0, 10.0) as u8;
    Score { score, deductions }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(code: &str, sev: Severity) -> Finding {
        Finding::new(code, sev, "m")
    }

    #[test]
    fn formula() {
        assert_eq!(score(&[]).score, 10);
        assert_eq!(
            score(&[
                f("FULL_ADMIN", Severity::SecurityWarning),
                f("SERVICE_WILDCARD", Severity::Warning)
            ])
            .score,
            1
        );
        let s = score(&[
            f("PRIVESC_A", Severity::SecurityWarning),
            f("PRIVESC_B", Severity::SecurityWarning),
            f("SERVICE_WILDCARD", Severity::Warning),
        ]);
        assert_eq!(s.score, 4);
        assert_eq!(s.deductions[0].count, 2);
        let many: Vec<Finding> = (0..20)
            .map(|i| f(&format!("PRIVESC_{i}"), Severity::SecurityWarning))
            .chain([
                f("ALLOW_WITH_NOT_ACTION", Severity::SecurityWarning),
                f("PUBLIC_ACCESS", Severity::SecurityWarning),
            ])
            .collect();
        assert_eq!(score(&many).score, 1, "clamped at 1");
        assert_eq!(
            score(&[f("UNKNOWN_ACTION", Severity::Error)]).score,
            10,
            "-0.5 rounds half up"
        );
        assert_eq!(
            score(&[
                f("UNKNOWN_ACTION", Severity::Error),
                f("X", Severity::Error)
            ])
            .score,
            9
        );
    }
}
