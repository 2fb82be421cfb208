//! warden-policy: least-privilege review of IAM policies.
//!
//! A policy is read with positions ([`json`]), checked against the IAM
//! grammar ([`model`]) and the AWS action catalog ([`catalog`],
//! [`validate`]), then its effective permissions — allows minus explicit
//! denies, optionally several policies of one principal together and
//! capped by a permissions boundary — are analysed for privilege
//! escalation paths and risky categories ([`risk`]) and scored 1–10
//! ([`score`]). Every finding points at the line, column and JSON path it
//! is about ([`finding`]). Facts and the score come from code only.

pub mod catalog;
pub mod finding;
pub mod fix;
pub mod generate;
pub mod glob;
pub mod json;
pub mod model;
pub mod report;
pub mod risk;
pub mod score;
pub mod sources;
pub mod validate;

pub use catalog::{ActionSet, Catalog};
pub use finding::{Category, Finding, Severity};
pub use score::Score;

use serde::Serialize;

/// One input as given to the analyzer.
#[derive(Debug, Clone)]
pub struct Document {
    /// Where it came from (file path or `-`).
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Read every policy document in an input (a policy, a CloudFormation
/// template, a Terraform plan…) and validate each.
pub fn check_input(c: &Catalog, doc: &Document) -> Vec<Checked> {
    sources::extract(&doc.name, &doc.bytes)
        .into_iter()
        .map(|f| check_found(c, f))
        .collect()
}

/// Validate one extracted document.
pub fn check_found(c: &Catalog, f: sources::Found) -> Checked {
    let mut findings = Vec::new();
    let policy = match f.root {
        Err(e) => {
            findings.push(
                Finding::new(
                    "INVALID_JSON",
                    Severity::Error,
                    format!("cannot be read: {}", e.message),
                )
                .at("$", (e.pos.line > 0).then_some(e.pos)),
            );
            None
        }
        Ok(node) => {
            let p = model::parse_policy(&node, &mut findings);
            if let Some(p) = &p {
                validate::validate(c, p, &mut findings);
            }
            p
        }
    };
    Checked {
        name: f.name,
        policy,
        findings,
    }
}

/// A parsed policy with its own grammar and catalog findings.
#[derive(Debug, Clone)]
pub struct Checked {
    pub name: String,
    pub policy: Option<model::Policy>,
    pub findings: Vec<Finding>,
}

/// Parse and validate one document (no risk analysis yet).
pub fn check_document(c: &Catalog, doc: &Document) -> Checked {
    let mut findings = Vec::new();
    let policy = match json::parse(&doc.bytes) {
        Err(e) => {
            findings.push(
                Finding::new(
                    "INVALID_JSON",
                    Severity::Error,
                    format!("not valid JSON: {}", e.message),
                )
                .at("$", Some(e.pos)),
            );
            None
        }
        Ok(node) => {
            let p = model::parse_policy(&node, &mut findings);
            if let Some(p) = &p {
                validate::validate(c, p, &mut findings);
            }
            p
        }
    };
    Checked {
        name: doc.name.clone(),
        policy,
        findings,
    }
}

/// The analyzer's verdict on one policy or one combined principal.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub file: String,
    pub score: u8,
    pub score_breakdown: Vec<score::Deduction>,
    pub findings: Vec<Finding>,
    pub suggestions: Vec<String>,
    /// Escalation path ids found (also present as PRIVESC_* findings).
    pub escalation_paths: Vec<String>,
    pub catalog_date: String,
}

/// Analyse policies. Each checked document is reported on its own unless
/// `combine` is set, in which case all of them are one principal's
/// policies (allows from all, denies from all) and one report is made;
/// `boundary` caps what they can grant.
/// Check and analyze one policy document given as text, with the
/// embedded catalog (the API and the assistant's `check_policy` tool).
pub fn review_text(name: &str, text: &str) -> Option<Report> {
    let c = Catalog::embedded();
    let doc = Document {
        name: name.to_string(),
        bytes: text.as_bytes().to_vec(),
    };
    analyze(c, &[check_document(c, &doc)], false, None)
        .into_iter()
        .next()
}

pub fn analyze(
    c: &Catalog,
    docs: &[Checked],
    combine: bool,
    boundary: Option<&model::Policy>,
) -> Vec<Report> {
    let finish =
        |name: String, mut findings: Vec<Finding>, policies: &[&model::Policy]| -> Report {
            let eff = risk::effective(c, policies, boundary);
            risk::categories(c, policies, &eff, &mut findings);
            // Resource and trust policies (every statement names a
            // Principal) grant access to one resource, not a principal's
            // own permissions: escalation paths do not apply.
            let resource_policy = !policies.is_empty()
                && policies.iter().all(|p| {
                    !p.statements.is_empty() && p.statements.iter().all(|s| s.principal.is_some())
                });
            let paths = if resource_policy {
                Vec::new()
            } else {
                risk::escalation(c, &eff, &mut findings)
            };
            findings.sort_by(|a, b| {
                b.severity
                    .cmp(&a.severity)
                    .then(a.file.cmp(&b.file))
                    .then(a.statement.cmp(&b.statement))
                    .then(a.line.cmp(&b.line))
                    .then(a.code.cmp(&b.code))
            });
            let s = score::score(&findings);
            Report {
                file: name,
                score: s.score,
                score_breakdown: s.deductions,
                suggestions: suggestions(c, &findings, policies),
                findings,
                escalation_paths: paths,
                catalog_date: c.date.clone(),
            }
        };
    if combine {
        let mut findings = Vec::new();
        let mut policies = Vec::new();
        for (i, d) in docs.iter().enumerate() {
            for f in &d.findings {
                let mut f = f.clone();
                f.file = Some(d.name.clone());
                findings.push(f);
            }
            if let Some(p) = &d.policy {
                policies.push((i, p));
            }
        }
        let refs: Vec<&model::Policy> = policies.iter().map(|(_, p)| *p).collect();
        let mut r = finish(
            docs.iter()
                .map(|d| d.name.as_str())
                .collect::<Vec<_>>()
                .join(" + "),
            findings,
            &refs,
        );
        // Risk findings name the policy by its index in `refs`; map it back.
        for f in &mut r.findings {
            if let Some(ix) = f.policy {
                f.file = policies.get(ix).map(|(i, _)| docs[*i].name.clone());
            }
        }
        return vec![r];
    }
    docs.iter()
        .map(|d| {
            let refs: Vec<&model::Policy> = d.policy.iter().collect();
            finish(d.name.clone(), d.findings.clone(), &refs)
        })
        .collect()
}

/// Concrete advice derived from the findings.
fn suggestions(c: &Catalog, findings: &[Finding], policies: &[&model::Policy]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: String| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    for f in findings {
        match f.code.as_str() {
            "SERVICE_WILDCARD" => push(format!(
                "Replace {} with the specific actions the workload calls (CloudTrail shows them; IAM Access Advisor shows which services were used).",
                f.actions.join(", ")
            )),
            "PASS_ROLE_ON_ALL_ROLES" | "PASS_ROLE_WITHOUT_SERVICE_CONDITION" => push(
                "Give iam:PassRole its own statement listing the role ARNs to pass, with \"Condition\": {\"StringEquals\": {\"iam:PassedToService\": \"<service>.amazonaws.com\"}}.".into(),
            ),
            "ALLOW_WITH_NOT_ACTION" => push("Replace Allow + NotAction with an explicit Action list.".into()),
            "ALLOW_WITH_NOT_RESOURCE" => push("Replace Allow + NotResource with an explicit Resource list.".into()),
            "PUBLIC_ACCESS" => push(
                "Add a condition that limits callers: aws:PrincipalOrgID for your organization, aws:SourceAccount/aws:SourceArn for AWS services, or aws:SourceVpce.".into(),
            ),
            "FULL_ADMIN" => push("Replace administrator access with a policy generated from the actions actually used (start from CloudTrail history).".into()),
            "CREDENTIALS_EXPOSURE" | "DATA_EXFILTRATION" | "RESOURCE_EXPOSURE" | "PERMISSIONS_MANAGEMENT"
            | "INFRASTRUCTURE_MODIFICATION" => {
                // Concrete ARN shapes for the actions granted on "*".
                let mut shapes: Vec<String> = Vec::new();
                for a in f.actions.iter().take(4) {
                    if let Some(i) = c.lookup(a) {
                        let (svc, act) = c.action(i);
                        // The plainest resource type (fewest variables): the
                        // bucket object, not the access-point object.
                        if let Some((ri, _)) = act
                            .resources
                            .iter()
                            .min_by_key(|(ri, _)| svc.resources[*ri as usize].arn.matches("${").count())
                        {
                            let arn = &svc.resources[*ri as usize].arn;
                            let s = format!("{a} → {arn}");
                            if !shapes.contains(&s) {
                                shapes.push(s);
                            }
                        }
                    }
                }
                if !shapes.is_empty() {
                    push(format!("Scope resources to ARN patterns instead of \"*\": {}.", shapes.join("; ")));
                }
                if f.code == "INFRASTRUCTURE_MODIFICATION" || f.code == "PERMISSIONS_MANAGEMENT" {
                    push("Add conditions that restrict where and on what: aws:SourceVpce or aws:SourceIp, aws:ResourceTag/<key>, aws:MultiFactorAuthPresent for people, aws:PrincipalOrgID.".into());
                }
            }
            c if c.starts_with("PRIVESC_") => push(
                "Break each escalation path: remove one of its actions, scope it to resources that cannot be abused, or add a Deny for it; `--fix` shows a narrower policy.".into(),
            ),
            _ => {}
        }
    }
    // Read and write mixed in one statement.
    for p in policies {
        for st in &p.statements {
            if st.effect != model::Effect::Allow {
                continue;
            }
            let acts = validate::statement_actions(c, st);
            if acts.len() > 2000 {
                continue;
            }
            let (mut r, mut w) = (false, false);
            for a in acts.iter() {
                match c.action(a).1.access {
                    catalog::Access::List | catalog::Access::Read => r = true,
                    _ => w = true,
                }
            }
            if r && w {
                push(format!(
                    "Split read from write: $.Statement[{}]{} mixes them; give write actions their own statement with narrower resources and conditions.",
                    st.index,
                    st.sid.as_deref().map(|s| format!(" ({s})")).unwrap_or_default()
                ));
                break;
            }
        }
    }
    out
}
