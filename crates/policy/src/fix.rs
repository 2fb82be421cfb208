//! `--fix`: a suggested policy that is valid and never broader than the
//! original. Only mechanical, meaning-preserving or narrowing changes are
//! made; everything that needs knowledge of the workload (which actions,
//! which ARNs) stays a suggestion in the report.
//!
//! Changes, each listed in the output:
//! - entries that grant nothing (unknown service/action, no match,
//!   malformed ARN) and entries already covered by another are removed;
//! - a statement mixing read and write actions is split in two, so the
//!   write half can be narrowed on its own;
//! - `iam:PassRole` moves to its own statement with an
//!   `iam:PassedToService` condition naming the services the same policy
//!   creates compute in (Lambda, EC2, ECS, Glue…);
//! - a missing `Version` becomes `2012-10-17` when no `${…}` appears.

use serde_json::{json, Map, Value};

use crate::catalog::{Access, Catalog};
use crate::glob;
use crate::model::{Condition, Effect, Policy, Statement, Text};
use crate::validate::resource_glob;

/// The fixed policy and what was changed.
#[derive(Debug, Clone)]
pub struct Fixed {
    pub policy: Value,
    pub changes: Vec<String>,
}

/// Services a role is passed to, by the action prefix that creates compute.
const PASS_TARGETS: [(&str, &str); 14] = [
    ("lambda", "lambda.amazonaws.com"),
    ("ec2", "ec2.amazonaws.com"),
    ("ecs", "ecs-tasks.amazonaws.com"),
    ("glue", "glue.amazonaws.com"),
    ("sagemaker", "sagemaker.amazonaws.com"),
    ("cloudformation", "cloudformation.amazonaws.com"),
    ("codebuild", "codebuild.amazonaws.com"),
    ("states", "states.amazonaws.com"),
    ("batch", "batch.amazonaws.com"),
    ("elasticmapreduce", "elasticmapreduce.amazonaws.com"),
    ("apprunner", "apprunner.amazonaws.com"),
    ("datapipeline", "datapipeline.amazonaws.com"),
    ("bedrock", "bedrock.amazonaws.com"),
    ("scheduler", "scheduler.amazonaws.com"),
];

fn list(items: &[String]) -> Value {
    if items.len() == 1 {
        Value::String(items[0].clone())
    } else {
        Value::Array(items.iter().cloned().map(Value::String).collect())
    }
}

fn conditions_json(conds: &[Condition]) -> Map<String, Value> {
    let mut m: Map<String, Value> = Map::new();
    for c in conds {
        let vals: Vec<String> = c.values.iter().map(|v| v.text.clone()).collect();
        let entry = m
            .entry(c.operator.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(keys) = entry {
            keys.insert(c.key.text.clone(), list(&vals));
        }
    }
    m
}

/// An action entry that grants something and is not covered by another.
fn useful_actions(
    c: &Catalog,
    items: &[Text],
    changes: &mut Vec<String>,
    sid: &str,
) -> Vec<String> {
    let sets: Vec<(String, crate::ActionSet)> = items
        .iter()
        .map(|t| (t.text.clone(), c.expand(t.text.trim())))
        .collect();
    let texts: Vec<&str> = sets.iter().map(|(n, _)| n.as_str()).collect();
    let indexed: Vec<(usize, crate::ActionSet)> = sets
        .iter()
        .enumerate()
        .filter(|(_, (_, s))| !s.is_empty())
        .map(|(i, (_, s))| (i, s.clone()))
        .collect();
    let redundant: Vec<usize> = crate::validate::redundant_entries(&texts, &indexed)
        .into_iter()
        .map(|(i, _)| i)
        .collect();
    let mut keep = Vec::new();
    for (k, (name, set)) in sets.iter().enumerate() {
        if set.is_empty() {
            changes.push(format!("{sid}: removed \"{name}\" (matches no action)"));
            continue;
        }
        if redundant.contains(&k) {
            changes.push(format!(
                "{sid}: removed \"{name}\" (covered by another entry)"
            ));
            continue;
        }
        if !keep.contains(name) {
            keep.push(name.clone());
        }
    }
    keep
}

fn useful_resources(items: &[Text], changes: &mut Vec<String>, sid: &str) -> Vec<String> {
    let globs: Vec<String> = items.iter().map(|t| resource_glob(&t.text)).collect();
    let mut keep = Vec::new();
    for (k, t) in items.iter().enumerate() {
        let r = &t.text;
        let valid = r == "*" || (r.starts_with("arn:") && r.splitn(6, ':').count() == 6);
        if !valid {
            changes.push(format!("{sid}: removed resource \"{r}\" (not an ARN)"));
            continue;
        }
        let covered = globs
            .iter()
            .enumerate()
            .any(|(k2, g2)| k2 != k && *g2 != globs[k] && glob::covers(g2, &globs[k]));
        if covered {
            changes.push(format!(
                "{sid}: removed resource \"{r}\" (covered by another)"
            ));
            continue;
        }
        if !keep.contains(r) {
            keep.push(r.clone());
        }
    }
    keep
}

/// Is every action of this entry a read (List/Read)?
fn is_read(c: &Catalog, entry: &str) -> bool {
    let set = c.expand(entry);
    !set.is_empty()
        && set
            .iter()
            .all(|a| matches!(c.action(a).1.access, Access::List | Access::Read))
}

fn statement_json(
    st: &Statement,
    sid: Option<String>,
    actions: Option<(bool, Vec<String>)>,
    resources: Option<(bool, Vec<String>)>,
    extra_conds: Option<(String, String, Vec<String>)>,
) -> Value {
    let mut m = Map::new();
    if let Some(s) = sid {
        m.insert("Sid".into(), Value::String(s));
    }
    m.insert(
        "Effect".into(),
        Value::String(
            if st.effect == Effect::Allow {
                "Allow"
            } else {
                "Deny"
            }
            .into(),
        ),
    );
    if let Some(p) = &st.principal {
        let key = if p.not { "NotPrincipal" } else { "Principal" };
        if p.everyone {
            m.insert(key.into(), json!("*"));
        } else {
            let mut pm: Map<String, Value> = Map::new();
            for (kind, t) in &p.entries {
                let e = pm
                    .entry(kind.clone())
                    .or_insert_with(|| Value::Array(vec![]));
                if let Value::Array(a) = e {
                    a.push(Value::String(t.text.clone()));
                }
            }
            for v in pm.values_mut() {
                if let Value::Array(a) = v {
                    if a.len() == 1 {
                        *v = a[0].clone();
                    }
                }
            }
            m.insert(key.into(), Value::Object(pm));
        }
    }
    if let Some((not, a)) = actions {
        m.insert(if not { "NotAction" } else { "Action" }.into(), list(&a));
    }
    if let Some((not, r)) = resources {
        m.insert(
            if not { "NotResource" } else { "Resource" }.into(),
            list(&r),
        );
    }
    let mut conds = conditions_json(&st.conditions);
    if let Some((op, key, vals)) = extra_conds {
        let e = conds.entry(op).or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(k) = e {
            k.insert(key, list(&vals));
        }
    }
    if !conds.is_empty() {
        m.insert("Condition".into(), Value::Object(conds));
    }
    Value::Object(m)
}

/// Build the suggested policy.
pub fn fix(c: &Catalog, p: &Policy) -> Fixed {
    let mut changes = Vec::new();
    let mut statements = Vec::new();
    // Services this policy can create compute in, for PassRole.
    let mut targets: Vec<String> = Vec::new();
    for st in &p.statements {
        if st.effect != Effect::Allow {
            continue;
        }
        if let Some(a) = &st.action {
            if a.not {
                continue;
            }
            for t in &a.items {
                if let Some((svc, _)) = t.text.split_once(':') {
                    if let Some((_, principal)) = PASS_TARGETS
                        .iter()
                        .find(|(s, _)| s.eq_ignore_ascii_case(svc))
                    {
                        if !targets.iter().any(|x| x == principal) {
                            targets.push(principal.to_string());
                        }
                    }
                }
            }
        }
    }
    targets.sort();
    for st in &p.statements {
        let label = st
            .sid
            .clone()
            .unwrap_or_else(|| format!("statement {}", st.index));
        let resources = st.resource.as_ref().map(|r| {
            let keep = if r.not {
                r.items.iter().map(|t| t.text.clone()).collect()
            } else {
                useful_resources(&r.items, &mut changes, &label)
            };
            (r.not, keep)
        });
        if resources.as_ref().is_some_and(|(_, r)| r.is_empty()) {
            changes.push(format!("{label}: removed (no valid resource left)"));
            continue;
        }
        let Some(a) = &st.action else {
            statements.push(statement_json(st, st.sid.clone(), None, resources, None));
            continue;
        };
        if a.not {
            statements.push(statement_json(
                st,
                st.sid.clone(),
                Some((true, a.items.iter().map(|t| t.text.clone()).collect())),
                resources,
                None,
            ));
            continue;
        }
        let mut actions = useful_actions(c, &a.items, &mut changes, &label);
        if actions.is_empty() {
            changes.push(format!("{label}: removed (no valid action left)"));
            continue;
        }
        // PassRole on its own, scoped to the services this policy uses.
        let has_service_cond = st
            .conditions
            .iter()
            .any(|x| x.key.text.eq_ignore_ascii_case("iam:PassedToService"));
        let mut passrole = None;
        if st.effect == Effect::Allow && !has_service_cond && !targets.is_empty() {
            if let Some(i) = actions
                .iter()
                .position(|x| x.eq_ignore_ascii_case("iam:PassRole"))
            {
                actions.remove(i);
                passrole = Some(statement_json(
                    st,
                    Some(format!(
                        "{}PassRole",
                        st.sid
                            .clone()
                            .unwrap_or_else(|| format!("Stmt{}", st.index))
                    )),
                    Some((false, vec!["iam:PassRole".into()])),
                    resources.clone(),
                    Some((
                        "StringEquals".into(),
                        "iam:PassedToService".into(),
                        targets.clone(),
                    )),
                ));
                changes.push(format!(
                    "{label}: iam:PassRole moved to its own statement, allowed only to {}",
                    targets.join(", ")
                ));
            }
        }
        // Split read from write.
        let (reads, writes): (Vec<String>, Vec<String>) =
            actions.iter().cloned().partition(|x| is_read(c, x));
        if st.effect == Effect::Allow && !reads.is_empty() && !writes.is_empty() {
            let base = st
                .sid
                .clone()
                .unwrap_or_else(|| format!("Stmt{}", st.index));
            statements.push(statement_json(
                st,
                Some(format!("{base}Read")),
                Some((false, reads)),
                resources.clone(),
                None,
            ));
            statements.push(statement_json(
                st,
                Some(format!("{base}Write")),
                Some((false, writes)),
                resources.clone(),
                None,
            ));
            changes.push(format!("{label}: split into read and write statements"));
        } else if !actions.is_empty() {
            statements.push(statement_json(
                st,
                st.sid.clone(),
                Some((false, actions)),
                resources.clone(),
                None,
            ));
        }
        if let Some(pr) = passrole {
            statements.push(pr);
        }
    }
    let mut doc = Map::new();
    let version = match &p.version {
        Some(v) => v.text.clone(),
        None => {
            let text = serde_json::to_string(&statements).unwrap_or_default();
            if text.contains("${") {
                "2008-10-17".into()
            } else {
                changes.push("added \"Version\": \"2012-10-17\"".into());
                "2012-10-17".into()
            }
        }
    };
    doc.insert("Version".into(), Value::String(version));
    doc.insert("Statement".into(), Value::Array(statements));
    Fixed {
        policy: Value::Object(doc),
        changes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::risk::effective;
    use crate::{check_document, Document, Severity};

    fn check(src: &str) -> crate::Checked {
        check_document(
            Catalog::embedded(),
            &Document {
                name: "t".into(),
                bytes: src.as_bytes().to_vec(),
            },
        )
    }

    #[test]
    fn fix_is_valid_and_never_broader() {
        let c = Catalog::embedded();
        let src = r#"{"Statement":[
            {"Sid":"App","Effect":"Allow","Action":["s3:GetObject","s3:Get*","s3:PutObject","lambda:CreateFunction","iam:PassRole","s3:NoSuchThing"],
             "Resource":["arn:aws:s3:::b/*","arn:aws:s3:::b/logs/*","arn:aws:iam::123456789012:role/app-*","arn:aws:lambda:us-east-1:123456789012:function:*","not-an-arn"]},
            {"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]}"#;
        let before = check(src);
        let fixed = fix(c, before.policy.as_ref().unwrap());
        let after = check(&fixed.policy.to_string());
        let errors: Vec<_> = after
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{errors:?}\n{}", fixed.policy);
        let b = effective(c, &[before.policy.as_ref().unwrap()], None);
        let a = effective(c, &[after.policy.as_ref().unwrap()], None);
        let mut extra = a.allowed.clone();
        extra.subtract(&b.allowed);
        assert!(
            extra.is_empty(),
            "fix granted more: {:?}",
            extra.iter().map(|i| c.action_name(i)).collect::<Vec<_>>()
        );
        let text = fixed.policy.to_string();
        assert!(
            text.contains("iam:PassedToService") && text.contains("lambda.amazonaws.com"),
            "{text}"
        );
        assert!(
            text.contains("AppRead") && text.contains("AppWrite"),
            "{text}"
        );
        assert!(
            !text.contains("NoSuchThing")
                && !text.contains("not-an-arn")
                && !text.contains("b/logs/*")
        );
        assert!(fixed.changes.iter().any(|c| c.contains("Version")));
    }
}
