//! Risk analysis over effective permissions: what the policies together
//! allow after explicit denies, on which resources, under which conditions.
//!
//! The semantics that matter and that naive tools get wrong:
//! - an explicit unconditional `Deny` covering an Allow's resources removes
//!   those actions (a conditional Deny only sometimes applies, so it does
//!   not count as removal);
//! - `Allow` + `NotAction` grants the complement of the list;
//! - a condition reduces risk only when it really restricts (a value of
//!   `*`, `0.0.0.0/0`, a negated operator, or `BoolIfExists` on
//!   `aws:MultiFactorAuthPresent` does not);
//! - a grant limited to the caller's own user (`${aws:username}`) is not
//!   an escalation for actions that only matter against other users;
//! - one finding per real problem: an escalation path is reported once,
//!   naming every action it needs, not once per action.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::catalog::{Access, ActionSet, Catalog};
use crate::finding::{Category, Finding, Severity};
use crate::glob;
use crate::model::{Condition, Effect, Policy, Statement};
use crate::validate::{resource_glob, statement_actions};

/// One Allow statement's contribution after denies.
#[derive(Debug, Clone)]
pub struct Grant {
    /// Which policy (index into the combined list) and statement.
    pub policy: usize,
    pub stmt: usize,
    pub sid: Option<String>,
    pub path: String,
    pub pos: crate::json::Pos,
    pub actions: ActionSet,
    /// Resource patterns with variables as `*`; `["*"]` for NotResource.
    pub resources: Vec<String>,
    /// The resources as written (for self-scope checks).
    pub raw_resources: Vec<String>,
    pub conditions: Vec<Condition>,
    /// Some condition really restricts who/where/what.
    pub restricted: bool,
}

impl Grant {
    pub fn on_all_resources(&self) -> bool {
        self.resources.iter().any(|r| r == "*")
    }
    /// Broad: every resource and no restricting condition.
    pub fn unrestricted(&self) -> bool {
        self.on_all_resources() && !self.restricted
    }
}

/// Effective permissions of one or more policies.
#[derive(Debug, Clone)]
pub struct Effective {
    pub grants: Vec<Grant>,
    /// Denies of iam:PassRole conditioned only on iam:PassedToService:
    /// they remove passing roles to the named services, so they are
    /// evaluated per service rather than ignored like other conditional
    /// denies. (resource patterns, the conditions)
    pub passrole_denies: Vec<(Vec<String>, Vec<Condition>)>,
    /// Everything allowed somewhere (after unconditional denies).
    pub allowed: ActionSet,
    /// Allowed on every resource with no restricting condition.
    pub broad: ActionSet,
}

/// Global keys whose restriction narrows who may call.
const CALLER_KEYS: [&str; 17] = [
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourcevpce",
    "aws:sourcevpc",
    "aws:sourceip",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:userid",
    "aws:username",
    "aws:principalservicename",
    "aws:vpcsourceip",
    "kms:calleraccount",
    "kms:viaservice",
];

/// Does this condition's value set actually narrow anything?
pub fn restricting_values(c: &Condition) -> bool {
    let negated = c.base.contains("Not") || c.base == "Null";
    if negated || c.values.is_empty() {
        return false;
    }
    c.values.iter().any(|v| {
        let t = v.text.trim();
        !(t == "*" || t == "0.0.0.0/0" || t == "::/0" || t.is_empty())
    })
}

/// Do these conditions limit the caller (for resource policies with a
/// public principal)?
pub fn restricts_principal(conds: &[Condition]) -> bool {
    conds.iter().any(|c| {
        restricting_values(c) && CALLER_KEYS.contains(&c.key.text.to_ascii_lowercase().as_str())
    })
}

/// Do these conditions really restrict an Allow?
pub fn restricts(conds: &[Condition]) -> bool {
    conds.iter().any(|c| {
        let k = c.key.text.to_ascii_lowercase();
        if k == "aws:securetransport" {
            return false; // only the transport, not who or what
        }
        if k == "aws:multifactorauthpresent" {
            // BoolIfExists passes when the key is absent — which it is for
            // every long-term access key.
            return !c.if_exists && c.values.iter().any(|v| v.text.eq_ignore_ascii_case("true"));
        }
        restricting_values(c)
    })
}

fn grant_resources(st: &Statement) -> (Vec<String>, Vec<String>) {
    match &st.resource {
        Some(r) if !r.not => (
            r.items.iter().map(|t| resource_glob(&t.text)).collect(),
            r.items.iter().map(|t| t.text.clone()).collect(),
        ),
        // NotResource, or a resource policy without Resource: treat as all.
        _ => (vec!["*".into()], vec!["*".into()]),
    }
}

/// Compute effective permissions of `policies` (identity policies of one
/// principal, evaluated together), optionally capped by a permissions
/// boundary.
pub fn effective(c: &Catalog, policies: &[&Policy], boundary: Option<&Policy>) -> Effective {
    let mut denies: Vec<(ActionSet, Vec<String>, bool)> = Vec::new();
    let mut passrole_denies = Vec::new();
    let passrole = c.lookup("iam:PassRole");
    for p in policies {
        for st in &p.statements {
            if st.effect == Effect::Deny {
                let (res, _) = grant_resources(st);
                let not_res = st.resource.as_ref().is_some_and(|r| r.not);
                // A conditional or NotResource Deny applies only sometimes.
                let unconditional = st.conditions.is_empty() && !not_res;
                let acts = statement_actions(c, st);
                if !unconditional
                    && !not_res
                    && passrole.is_some_and(|pr| acts.contains(pr))
                    && st
                        .conditions
                        .iter()
                        .all(|c| c.key.text.eq_ignore_ascii_case("iam:PassedToService"))
                {
                    passrole_denies.push((res.clone(), st.conditions.clone()));
                }
                denies.push((acts, res, unconditional));
            }
        }
    }
    let cap = boundary.map(|b| {
        let sub = effective(c, &[b], None);
        sub.allowed
    });
    let mut grants = Vec::new();
    let mut allowed = ActionSet::empty(c.len());
    let mut broad = ActionSet::empty(c.len());
    for (pi, p) in policies.iter().enumerate() {
        for st in &p.statements {
            if st.effect != Effect::Allow || st.action.is_none() {
                continue;
            }
            let mut actions = statement_actions(c, st);
            let (resources, raw_resources) = grant_resources(st);
            for (da, dres, unconditional) in &denies {
                if !unconditional {
                    continue;
                }
                let covers = resources
                    .iter()
                    .all(|r| dres.iter().any(|d| glob::covers(d, r)));
                if covers {
                    actions.subtract(da);
                }
            }
            if let Some(cap) = &cap {
                actions.intersect_with(cap);
            }
            if actions.is_empty() {
                continue;
            }
            let g = Grant {
                policy: pi,
                stmt: st.index,
                sid: st.sid.clone(),
                path: st.path.clone(),
                pos: st.pos,
                actions,
                resources,
                raw_resources,
                conditions: st.conditions.clone(),
                restricted: restricts(&st.conditions),
            };
            allowed.union_with(&g.actions);
            if g.unrestricted() {
                broad.union_with(&g.actions);
            }
            grants.push(g);
        }
    }
    Effective {
        grants,
        passrole_denies,
        allowed,
        broad,
    }
}

// ---------------------------------------------------------------------
// Category findings

/// Actions that hand out or reveal credentials.
const CREDENTIAL_ACTIONS: [&str; 27] = [
    "iam:CreateAccessKey",
    "iam:UpdateAccessKey",
    "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
    "iam:CreateServiceSpecificCredential",
    "iam:ResetServiceSpecificCredential",
    "iam:UploadSSHPublicKey",
    "iam:UpdateSSHPublicKey",
    "sts:GetFederationToken",
    "secretsmanager:GetSecretValue",
    "secretsmanager:BatchGetSecretValue",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "ec2:GetPasswordData",
    "ec2-instance-connect:SendSSHPublicKey",
    "ec2-instance-connect:SendSerialConsoleSSHPublicKey",
    "redshift:GetClusterCredentials",
    "redshift:GetClusterCredentialsWithIAM",
    "redshift-serverless:GetCredentials",
    "rds-db:connect",
    "lightsail:GetInstanceAccessDetails",
    "lightsail:DownloadDefaultKeyPair",
    "sso:GetRoleCredentials",
    "cognito-identity:GetCredentialsForIdentity",
    "glue:GetConnection",
    "codeartifact:GetAuthorizationToken",
];

/// Actions that read data out in bulk.
const DATA_ACTIONS: [&str; 20] = [
    "s3:GetObject",
    "s3:GetObjectVersion",
    "dynamodb:Scan",
    "dynamodb:Query",
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:ExportTableToPointInTime",
    "rds:CopyDBSnapshot",
    "rds:CreateDBSnapshot",
    "ec2:CreateSnapshot",
    "ec2:CopySnapshot",
    "ebs:GetSnapshotBlock",
    "kms:Decrypt",
    "sqs:ReceiveMessage",
    "kinesis:GetRecords",
    "logs:GetLogEvents",
    "logs:FilterLogEvents",
    "athena:GetQueryResults",
    "glacier:GetJobOutput",
    "backup:StartRestoreJob",
];

/// Services whose "Permissions management" actions manage identities
/// rather than one resource's policy.
const IDENTITY_SERVICES: [&str; 6] = [
    "iam",
    "sts",
    "sso",
    "organizations",
    "identitystore",
    "sso-directory",
];

fn named(c: &Catalog, names: &[&str]) -> ActionSet {
    let mut s = ActionSet::empty(c.len());
    for n in names {
        if let Some(i) = c.lookup(n) {
            s.insert(i);
        }
    }
    s
}

fn sample(c: &Catalog, s: &ActionSet, n: usize) -> (Vec<String>, String) {
    let names: Vec<String> = s.iter().map(|a| c.action_name(a)).collect();
    let shown = if names.len() <= n {
        names.join(", ")
    } else {
        format!("{} and {} more", names[..n].join(", "), names.len() - n)
    };
    (names, shown)
}

/// Category findings, one per statement and category.
pub fn categories(c: &Catalog, policies: &[&Policy], eff: &Effective, out: &mut Vec<Finding>) {
    let creds = named(c, &CREDENTIAL_ACTIONS);
    let data = named(c, &DATA_ACTIONS);
    let mut permmgmt = ActionSet::empty(c.len());
    for svc in IDENTITY_SERVICES {
        if let Some(s) = c.service(svc) {
            for i in 0..s.actions.len() as u32 {
                permmgmt.insert(s.first + i);
            }
        }
    }
    permmgmt.intersect_with(c.with_access(Access::PermissionsManagement));
    let mut resexp = c.with_access(Access::PermissionsManagement).clone();
    resexp.subtract(&permmgmt);
    let writes = c.with_access(Access::Write);
    // Full administrator: every action on every resource.
    if eff.broad.len() == c.len() {
        let g = eff
            .grants
            .iter()
            .find(|g| g.unrestricted() && g.actions.len() == c.len());
        let mut f = Finding::new(
            "FULL_ADMIN",
            Severity::SecurityWarning,
            format!(
                "grants {} of {} AWS actions on every resource without a restricting condition: this is administrator access",
                eff.broad.len(),
                c.len()
            ),
        )
        .category(Category::PrivilegeEscalation)
        .detail("Anyone holding it can do anything in the account, including granting themselves any other access. Replace it with the actions the workload needs.");
        if let Some(g) = g {
            f = f.stmt(g.stmt, g.sid.as_deref()).at(&g.path, Some(g.pos));
            f.policy = Some(g.policy);
        }
        out.push(f);
        return;
    }
    for g in &eff.grants {
        let at = |f: Finding| {
            let mut f = f.stmt(g.stmt, g.sid.as_deref()).at(&g.path, Some(g.pos));
            f.policy = Some(g.policy);
            f
        };
        let wide = g.on_all_resources();
        let loose = !g.restricted;
        let hit = |set: &ActionSet| {
            let mut s = g.actions.clone();
            s.intersect_with(set);
            s
        };
        let cr = hit(&creds);
        if !cr.is_empty() && wide && loose {
            let (names, shown) = sample(c, &cr, 5);
            out.push(at(Finding::new(
                "CREDENTIALS_EXPOSURE",
                Severity::SecurityWarning,
                format!("can create or read credentials on every resource: {shown}"),
            )
            .category(Category::CredentialsExposure)
            .actions(names)
            .detail("Scope these actions to the specific users, secrets or parameters the workload owns, or add a condition (aws:ResourceTag, aws:SourceVpce).")));
        }
        let da = hit(&data);
        if !da.is_empty() && wide && loose {
            let (names, shown) = sample(c, &da, 5);
            out.push(at(Finding::new(
                "DATA_EXFILTRATION",
                Severity::Warning,
                format!("can read data from every resource of its kind: {shown}"),
            )
            .category(Category::DataExfiltration)
            .actions(names)
            .detail("Limit reads to the buckets, tables and keys the workload uses, and consider aws:SourceVpce / aws:SourceIp conditions.")));
        }
        let re = hit(&resexp);
        if !re.is_empty() && wide && loose {
            let (names, shown) = sample(c, &re, 5);
            out.push(at(Finding::new(
                "RESOURCE_EXPOSURE",
                Severity::SecurityWarning,
                format!("can change resource policies, ACLs or sharing on every resource: {shown}"),
            )
            .category(Category::ResourceExposure)
            .actions(names)
            .detail("These actions can make a bucket, key, snapshot or queue public or shared with another account. Scope them to named resources.")));
        }
        let pm = hit(&permmgmt);
        if !pm.is_empty() && wide && loose {
            let (names, shown) = sample(c, &pm, 5);
            out.push(at(Finding::new(
                "PERMISSIONS_MANAGEMENT",
                Severity::SecurityWarning,
                format!("can change identities and their permissions without constraints: {shown}"),
            )
            .category(Category::PermissionsManagement)
            .actions(names)
            .detail("Limit to named users/roles/policies (ARN paths), require a permissions boundary with iam:PermissionsBoundary, or move to an approval workflow.")));
        }
        let wr = hit(writes);
        if !wr.is_empty() && wide && loose {
            let (names, shown) = sample(c, &wr, 5);
            out.push(at(Finding::new(
                "INFRASTRUCTURE_MODIFICATION",
                Severity::Warning,
                format!("{} write action(s) on every resource: {shown}", wr.len()),
            )
            .category(Category::InfrastructureModification)
            .actions(names)
            .detail("Scope write actions to the resources the workload owns (ARN patterns, aws:ResourceTag conditions).")));
        }
    }
    // Service-wide wildcards as written.
    for (pi, p) in policies.iter().enumerate() {
        for st in &p.statements {
            if st.effect != Effect::Allow {
                continue;
            }
            let Some(a) = &st.action else { continue };
            if a.not {
                continue;
            }
            let svcs: Vec<String> = a
                .items
                .iter()
                .filter(|t| t.text == "*" || t.text.ends_with(":*"))
                .map(|t| t.text.clone())
                .collect();
            if !svcs.is_empty() {
                out.push(
                    Finding::new(
                        "SERVICE_WILDCARD",
                        Severity::Warning,
                        format!(
                            "{} grants every action of the service, including actions AWS adds later; list the actions needed",
                            svcs.join(", ")
                        ),
                    )
                    .category(Category::ServiceWildcard)
                    .stmt(st.index, st.sid.as_deref())
                    .at(&a.path, Some(a.pos))
                    .actions(svcs),
                );
                if let Some(f) = out.last_mut() {
                    f.policy = Some(pi);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------
// Privilege escalation paths

static PATHS_YAML: &str = include_str!("../data/escalation-paths.yml");

#[derive(Debug, Clone, Deserialize)]
pub struct TargetSpec {
    pub action: String,
    /// `self_ok`: a grant limited to the caller's own user is safe.
    #[serde(rename = "self")]
    pub self_scope: String,
}

/// One documented privilege-escalation path.
#[derive(Debug, Clone, Deserialize)]
pub struct EscalationPath {
    pub id: String,
    pub title: String,
    /// Each entry: one action, or alternatives separated by `|`.
    pub all: Vec<String>,
    #[serde(default)]
    pub passrole_to: Option<String>,
    #[serde(default)]
    pub target: Option<TargetSpec>,
    pub how: String,
    #[serde(default)]
    pub impact: Option<String>,
    #[serde(default)]
    pub references: Vec<String>,
}

pub fn paths() -> &'static [EscalationPath] {
    static P: std::sync::OnceLock<Vec<EscalationPath>> = std::sync::OnceLock::new();
    P.get_or_init(|| {
        serde_yaml::from_str(PATHS_YAML).expect("escalation-paths.yml is valid (checked by tests)")
    })
}

/// Is this resource pattern limited to the caller's own IAM user?
fn self_only(r: &str) -> bool {
    r.contains(":user/${aws:username}") || r.ends_with(":user/${aws:username}")
}

/// Is every iam:PassedToService condition in `conds` true for `service`?
fn service_condition_holds(conds: &[Condition], service: &str) -> bool {
    conds
        .iter()
        .filter(|c| c.key.text.eq_ignore_ascii_case("iam:PassedToService"))
        .all(|c| {
            let hit = c
                .values
                .iter()
                .any(|v| glob::matches(&v.text, service, true));
            if c.base.contains("Not") {
                !hit
            } else {
                hit
            }
        })
}

/// Can this PassRole grant pass a role to `service` (any of `a | b`)?
/// Its own iam:PassedToService condition must admit the service, and no
/// PassedToService-conditioned Deny covering its roles may refuse it.
fn passes_to(eff: &Effective, g: &Grant, services: &str) -> bool {
    services.split('|').map(str::trim).any(|svc| {
        service_condition_holds(&g.conditions, svc)
            && !eff.passrole_denies.iter().any(|(res, conds)| {
                g.resources
                    .iter()
                    .all(|r| res.iter().any(|d| glob::covers(d, r)))
                    && service_condition_holds(conds, svc)
            })
    })
}

/// Can some resource of the grant be of a type the action works on? An
/// action without resource types needs `*`. `ssm:SendCommand` also needs
/// an instance: a grant on documents only runs nothing.
fn reaches(c: &Catalog, g: &Grant, a: u32) -> bool {
    if g.on_all_resources() {
        return true;
    }
    let (svc, act) = c.action(a);
    let fits = |type_names: Option<&[&str]>| {
        act.resources.iter().any(|(ri, _)| {
            let rt = &svc.resources[*ri as usize];
            if type_names.is_some_and(|t| !t.contains(&rt.name.as_str())) {
                return false;
            }
            let tg = crate::validate::template_glob(&rt.arn);
            g.resources.iter().any(|r| glob::arn_overlaps(r, &tg))
        })
    };
    if !fits(None) {
        return false;
    }
    if svc.prefix == "ssm" && act.name == "SendCommand" {
        return fits(Some(&["instance", "managed-instance"]));
    }
    true
}

/// Grants that allow action `a` (after denies) on a resource it applies to.
fn grants_for<'a>(c: &'a Catalog, eff: &'a Effective, a: u32) -> impl Iterator<Item = &'a Grant> {
    eff.grants
        .iter()
        .filter(move |g| g.actions.contains(a) && reaches(c, g, a))
}

/// Report every escalation path the effective permissions enable.
pub fn escalation(c: &Catalog, eff: &Effective, out: &mut Vec<Finding>) -> Vec<String> {
    let mut found = Vec::new();
    if eff.broad.len() == c.len() {
        return found; // administrator already; FULL_ADMIN says it all
    }
    'path: for p in paths() {
        let mut used: BTreeMap<String, &Grant> = BTreeMap::new();
        for entry in &p.all {
            let mut ok = false;
            let alts: Vec<&str> = entry.split('|').map(str::trim).collect();
            // A self-only grant is harmless for the target entry (and so
            // for each alternative of it) when the path says so.
            let self_safe = p.target.as_ref().is_some_and(|t| {
                t.self_scope == "self_ok" && alts.iter().any(|a| a.eq_ignore_ascii_case(&t.action))
            });
            for alt in alts {
                let Some(a) = c.lookup(alt) else { continue };
                let mut gs: Vec<&Grant> = grants_for(c, eff, a).collect();
                if alt.eq_ignore_ascii_case("iam:PassRole") {
                    if let Some(svc) = &p.passrole_to {
                        gs.retain(|g| passes_to(eff, g, svc));
                    }
                }
                if self_safe {
                    gs.retain(|g| !g.raw_resources.iter().all(|r| self_only(r)));
                }
                if let Some(g) = gs.first() {
                    used.insert(c.action_name(a), g);
                    ok = true;
                    break;
                }
            }
            if !ok {
                continue 'path;
            }
        }
        let lead = p
            .target
            .as_ref()
            .and_then(|t| used.iter().find(|(n, _)| n.eq_ignore_ascii_case(&t.action)))
            .or_else(|| used.iter().next())
            .map(|(_, g)| *g);
        let actions: Vec<String> = used.keys().cloned().collect();
        let conditioned = used.values().any(|g| g.restricted);
        let scoped = used.values().all(|g| !g.on_all_resources());
        let mut detail = p.how.trim().to_string();
        if scoped {
            detail.push_str(" The grants are limited to specific resources, so the reach is what those resources can do.");
        }
        if conditioned {
            detail.push_str(
                " Some grants carry conditions, which limit when this works but do not remove it.",
            );
        }
        let mut f = Finding::new(
            &format!("PRIVESC_{}", p.id.to_ascii_uppercase().replace('-', "_")),
            Severity::SecurityWarning,
            format!(
                "privilege escalation — {} ({})",
                p.title,
                actions.join(" + ")
            ),
        )
        .category(Category::PrivilegeEscalation)
        .actions(actions)
        .detail(detail);
        if let Some(g) = lead {
            f = f.stmt(g.stmt, g.sid.as_deref()).at(&g.path, Some(g.pos));
            f.policy = Some(g.policy);
        }
        out.push(f);
        found.push(p.id.clone());
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;
    use crate::model::parse_policy;

    fn pol(src: &str) -> Policy {
        let mut f = Vec::new();
        parse_policy(&parse(src.as_bytes()).unwrap(), &mut f).unwrap()
    }

    #[test]
    fn denies_subtract_and_conditions_are_judged() {
        let c = Catalog::embedded();
        let p = pol(r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Action":"iam:*","Resource":"*"},
            {"Effect":"Deny","Action":["iam:CreateAccessKey","iam:Put*"],"Resource":"*"},
            {"Effect":"Deny","Action":"iam:AttachUserPolicy","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}]}"#);
        let e = effective(c, &[&p], None);
        assert!(!e.allowed.contains(c.lookup("iam:CreateAccessKey").unwrap()));
        assert!(!e.allowed.contains(c.lookup("iam:PutUserPolicy").unwrap()));
        // The conditional deny does not remove the action.
        assert!(e
            .allowed
            .contains(c.lookup("iam:AttachUserPolicy").unwrap()));
        let weak = pol(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
            "Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"true"},"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}}]}"#,
        );
        assert!(!effective(c, &[&weak], None).grants[0].restricted);
        let strong = pol(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
            "Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}}]}"#,
        );
        assert!(effective(c, &[&strong], None).grants[0].restricted);
    }

    #[test]
    fn boundary_caps_and_paths_load() {
        let c = Catalog::embedded();
        let p = pol(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        );
        let b = pol(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#,
        );
        let e = effective(c, &[&p], Some(&b));
        assert_eq!(e.allowed.len(), c.expand("s3:*").len());
        assert!(paths().len() >= 20);
        for p in paths() {
            for entry in &p.all {
                for alt in entry.split('|') {
                    assert!(
                        c.lookup(alt.trim()).is_some(),
                        "{}: unknown action {alt}",
                        p.id
                    );
                }
            }
        }
    }
}
