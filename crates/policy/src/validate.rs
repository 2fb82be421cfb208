//! Checks against the action catalog: names of services, actions and
//! condition keys, ARN shapes, operator and key types, redundancy, and the
//! statement shapes IAM Access Analyzer calls security warnings.

use crate::catalog::{ActionSet, Catalog};
use crate::finding::{Category, Finding, Severity};
use crate::glob;
use crate::model::{Condition, Effect, Policy, SetOp, Statement};

/// Condition operators without `IfExists` and set prefixes.
pub const OPERATORS: [&str; 27] = [
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Null",
];

/// The value family an operator compares.
fn operator_family(op: &str) -> &'static str {
    if op.starts_with("String") {
        "String"
    } else if op.starts_with("Numeric") {
        "Numeric"
    } else if op.starts_with("Date") {
        "Date"
    } else if op == "Bool" {
        "Bool"
    } else if op == "BinaryEquals" {
        "Binary"
    } else if op.ends_with("IpAddress") {
        "IPAddress"
    } else if op.starts_with("Arn") {
        "ARN"
    } else {
        "Null"
    }
}

/// Can an operator of `family` sensibly compare a key of catalog type `ty`?
fn compatible(family: &str, ty: &str) -> bool {
    let ty = ty.strip_prefix("ArrayOf").unwrap_or(ty);
    match family {
        "Null" => true,
        // ARN keys are strings too; string operators on them are common
        // and fine (AWS's own managed policies compare Bool keys with
        // StringEquals "true", which IAM accepts). Arn operators on plain
        // strings are accepted by IAM.
        "String" => matches!(ty, "String" | "ARN" | "Bool" | "Boolean"),
        "ARN" => matches!(ty, "ARN" | "String"),
        "Numeric" => matches!(ty, "Numeric" | "Long" | "Integer"),
        "Date" => ty == "Date",
        "Bool" => ty == "Bool" || ty == "Boolean",
        "IPAddress" => ty == "IPAddress",
        "Binary" => ty == "Binary",
        _ => true,
    }
}

/// Action entries already covered by another entry of the same list:
/// (entry index, covering entry index). An exact name is covered by an
/// earlier identical one or by a wildcard that matches it; a wildcard only
/// by a wider wildcard (or an identical earlier one). Linear in the number
/// of exact names, so policies listing hundreds of actions stay fast.
pub fn redundant_entries(texts: &[&str], sets: &[(usize, ActionSet)]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut first_exact: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
    let wild: Vec<&(usize, ActionSet)> = sets
        .iter()
        .filter(|(i, _)| glob::has_wildcard(texts[*i]))
        .collect();
    for (i, set) in sets {
        if glob::has_wildcard(texts[*i]) {
            let by = wild.iter().find(|(j, s2)| {
                j != i && {
                    let mut rest = set.clone();
                    rest.subtract(s2);
                    rest.is_empty() && (s2.len() > set.len() || j < i)
                }
            });
            if let Some((j, _)) = by {
                out.push((*i, *j));
            }
            continue;
        }
        let Some(a) = set.iter().next() else { continue };
        if let Some((j, _)) = wild.iter().find(|(_, s2)| s2.contains(a)) {
            out.push((*i, *j));
        } else if let Some(&j) = first_exact.get(&a) {
            out.push((*i, j));
        } else {
            first_exact.insert(a, *i);
        }
    }
    out
}

/// The actions a statement's Action/NotAction covers.
pub fn statement_actions(c: &Catalog, st: &Statement) -> ActionSet {
    let mut set = ActionSet::empty(c.len());
    if let Some(a) = &st.action {
        for t in &a.items {
            set.union_with(&c.expand(&t.text));
        }
        if a.not {
            set = set.complement(c.len());
        }
    }
    set
}

/// ARN template of the catalog (`arn:${Partition}:s3:::${BucketName}`) as
/// a wildcard pattern.
pub fn template_glob(arn: &str) -> String {
    let mut out = String::with_capacity(arn.len());
    let mut rest = arn;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        out.push('*');
        match rest[i..].find('}') {
            Some(j) => rest = &rest[i + j + 1..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether `${inner}` is a template's reference (CloudFormation `Ref`,
/// `GetAtt`, `Sub` parameters, `AWS::Region`…; Terraform leaves none)
/// rather than an IAM policy variable (`aws:username`, `s3:prefix`…).
/// A reference is fixed at deploy time: one specific value.
pub fn is_template_ref(inner: &str) -> bool {
    !matches!(inner, "*" | "?" | "$") && (!inner.contains(':') || inner.contains("::"))
}

/// A resource string with policy variables replaced by `*` (they resolve
/// per request, so they can be anything for shape checks). Template
/// references stay as written: each stands for one deploy-time value, so
/// `${UploadBucketName}` is neither "every bucket" nor the same bucket as
/// `${TrailBucketName}`.
pub fn resource_glob(r: &str) -> String {
    let mut out = String::with_capacity(r.len());
    let mut rest = r;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        match rest[i..].find('}') {
            Some(j) => {
                let inner = &rest[i + 2..i + j];
                if is_template_ref(inner) {
                    out.push_str(&rest[i..i + j + 1]);
                } else {
                    out.push('*');
                }
                rest = &rest[i + j + 1..];
            }
            None => {
                out.push('*');
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// `${EventsQueue.Arn}` or `${QuarantineBucket.Arn}/prefix/*`: the ARN
/// itself comes from the template, so its shape cannot be checked here.
fn starts_with_template_ref(r: &str) -> bool {
    r.strip_prefix("${")
        .and_then(|rest| rest.split_once('}'))
        .is_some_and(|(inner, _)| is_template_ref(inner))
}

const PARTITIONS: [&str; 6] = [
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-eusc",
];

/// Validate every statement of `policy` against the catalog.
pub fn validate(c: &Catalog, policy: &Policy, out: &mut Vec<Finding>) {
    for st in &policy.statements {
        let tag = |f: Finding| f.stmt(st.index, st.sid.as_deref());
        let actions = check_actions(c, st, out, &tag);
        check_resources(c, st, &actions, out, &tag);
        check_conditions(c, st, &actions, out, &tag);
        check_shapes(c, policy, st, &actions, out, &tag);
    }
}

fn check_actions(
    c: &Catalog,
    st: &Statement,
    out: &mut Vec<Finding>,
    tag: &dyn Fn(Finding) -> Finding,
) -> ActionSet {
    let Some(items) = &st.action else {
        return ActionSet::empty(c.len());
    };
    let mut sets: Vec<(usize, ActionSet)> = Vec::new();
    for (i, t) in items.items.iter().enumerate() {
        let a = t.text.trim();
        if a == "*" {
            sets.push((i, ActionSet::full(c.len())));
            continue;
        }
        let Some((svc, name)) = a.split_once(':') else {
            out.push(tag(Finding::new(
                "INVALID_ACTION",
                Severity::Error,
                format!("\"{a}\" is not an action: write service:Action, e.g. s3:GetObject"),
            )
            .at(&t.path, Some(t.pos))));
            continue;
        };
        if !glob::has_wildcard(svc) && c.service(svc).is_none() {
            let hint = c
                .closest_service(svc)
                .map(|s| format!(" (did you mean \"{s}\"?)"))
                .unwrap_or_default();
            out.push(tag(Finding::new(
                "UNKNOWN_SERVICE",
                Severity::Error,
                format!(
                    "\"{svc}\" is not an AWS service prefix{hint} (catalog of {})",
                    c.date
                ),
            )
            .at(&t.path, Some(t.pos))));
            continue;
        }
        let set = c.expand(a);
        if set.is_empty() {
            let (code, msg) = if glob::has_wildcard(a) {
                (
                    "ACTION_MATCHES_NOTHING",
                    format!("\"{a}\" matches no action"),
                )
            } else {
                let hint = c
                    .service(svc)
                    .and_then(|s| c.closest_action(s, name))
                    .map(|n| format!(" (did you mean \"{svc}:{n}\"?)"))
                    .unwrap_or_default();
                (
                    "UNKNOWN_ACTION",
                    format!("\"{a}\" is not an action of {svc}{hint}"),
                )
            };
            out.push(tag(
                Finding::new(code, Severity::Error, msg).at(&t.path, Some(t.pos))
            ));
            continue;
        }
        sets.push((i, set));
    }
    for (k, j) in redundant_entries(
        &items
            .items
            .iter()
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>(),
        &sets,
    ) {
        let t = &items.items[k];
        out.push(tag(Finding::new(
            "REDUNDANT_ACTION",
            Severity::Suggestion,
            format!(
                "\"{}\" is already covered by \"{}\"; remove it",
                t.text, items.items[j].text
            ),
        )
        .at(&t.path, Some(t.pos))));
    }
    let mut all = ActionSet::empty(c.len());
    for (_, s) in &sets {
        all.union_with(s);
    }
    if items.not {
        all = all.complement(c.len());
    }
    all
}

fn check_resources(
    c: &Catalog,
    st: &Statement,
    actions: &ActionSet,
    out: &mut Vec<Finding>,
    tag: &dyn Fn(Finding) -> Finding,
) {
    let Some(res) = &st.resource else { return };
    let mut valid: Vec<(usize, String)> = Vec::new();
    for (i, t) in res.items.iter().enumerate() {
        let r = t.text.as_str();
        if r == "*" {
            valid.push((i, r.to_string()));
            continue;
        }
        if starts_with_template_ref(r) {
            valid.push((i, resource_glob(r)));
            continue;
        }
        let parts: Vec<&str> = r.splitn(6, ':').collect();
        let bad = if parts.len() < 6 || parts[0] != "arn" {
            Some("an ARN has six parts: arn:partition:service:region:account:resource".to_string())
        } else if !(glob::has_wildcard(parts[1])
            || PARTITIONS.contains(&parts[1])
            || parts[1].contains("${"))
        {
            Some(format!(
                "\"{}\" is not an AWS partition (aws, aws-cn, aws-us-gov…)",
                parts[1]
            ))
        } else if parts[2].is_empty() {
            Some("the service part of the ARN is empty".to_string())
        } else if !(parts[4].is_empty()
            || glob::has_wildcard(parts[4])
            || parts[4].contains("${")
            || (parts[4].len() == 12 && parts[4].bytes().all(|b| b.is_ascii_digit()))
            || parts[4] == "aws")
        {
            Some(format!(
                "account \"{}\" is not a 12-digit account id",
                parts[4]
            ))
        } else if parts[5].is_empty() {
            Some("the resource part of the ARN is empty".to_string())
        } else {
            None
        };
        if let Some(why) = bad {
            out.push(tag(Finding::new(
                "INVALID_ARN",
                Severity::Error,
                format!("\"{r}\": {why}"),
            )
            .at(&t.path, Some(t.pos))));
            continue;
        }
        valid.push((i, resource_glob(r)));
    }
    for (k, (i, g)) in valid.iter().enumerate() {
        if let Some((_, (j, _))) = valid
            .iter()
            .enumerate()
            .find(|(k2, (_, g2))| *k2 != k && g2 != g && glob::covers(g2, g))
        {
            out.push(tag(Finding::new(
                "REDUNDANT_RESOURCE",
                Severity::Suggestion,
                format!(
                    "\"{}\" is already covered by \"{}\"; remove it",
                    res.items[*i].text, res.items[*j].text
                ),
            )
            .at(&res.items[*i].path, Some(res.items[*i].pos))));
        }
    }
    if res.not || valid.iter().any(|(_, g)| g == "*") || actions.len() > 2000 {
        return;
    }
    // Actions none of whose resource types matches any listed ARN never
    // apply through this statement.
    // Shapes only: a template reference may hold any ARN of the right kind.
    let shapes: Vec<String> = valid
        .iter()
        .map(|(i, _)| template_glob(&res.items[*i].text))
        .collect();
    let mut unmatched = Vec::new();
    for a in actions.iter() {
        let (svc, act) = c.action(a);
        let ok = if act.resources.is_empty() {
            false
        } else {
            act.resources.iter().any(|(ri, _)| {
                let tg = template_glob(&svc.resources[*ri as usize].arn);
                shapes.iter().any(|g| glob::arn_overlaps(g, &tg))
            })
        };
        if !ok {
            unmatched.push((a, act.resources.is_empty()));
        }
    }
    if unmatched.is_empty() || valid.is_empty() {
        return;
    }
    let names: Vec<String> = unmatched.iter().map(|(a, _)| c.action_name(*a)).collect();
    let star_only: Vec<&String> = unmatched
        .iter()
        .zip(&names)
        .filter(|((_, s), _)| *s)
        .map(|(_, n)| n)
        .collect();
    let shown = list(&names, 6);
    let msg = if star_only.len() == names.len() {
        format!("{shown} support only \"Resource\": \"*\" (no resource-level permissions), so the listed ARNs never grant them; put them in a statement with Resource \"*\"")
    } else {
        format!("no listed resource matches a resource type of {shown}; this statement never grants them (check the ARN format)")
    };
    out.push(tag(Finding::new(
        "RESOURCE_MISMATCH",
        Severity::Warning,
        msg,
    )
    .at(&res.path, Some(res.pos))
    .actions(names)));
}

fn list(names: &[String], n: usize) -> String {
    if names.len() <= n {
        names.join(", ")
    } else {
        format!("{} and {} more", names[..n].join(", "), names.len() - n)
    }
}

fn check_conditions(
    c: &Catalog,
    st: &Statement,
    actions: &ActionSet,
    out: &mut Vec<Finding>,
    tag: &dyn Fn(Finding) -> Finding,
) {
    for cond in &st.conditions {
        let at = |f: Finding| tag(f.at(&cond.path, Some(cond.pos)));
        if !OPERATORS.contains(&cond.base.as_str()) {
            let hint = crate::model::suggest(&cond.base, &OPERATORS);
            out.push(at(Finding::new(
                "UNKNOWN_OPERATOR",
                Severity::Error,
                format!("\"{}\" is not a condition operator{hint}", cond.operator),
            )));
            continue;
        }
        if cond.base == "Null" && (cond.if_exists || cond.set.is_some()) {
            out.push(at(Finding::new(
                "INVALID_OPERATOR",
                Severity::Error,
                "Null cannot take IfExists or ForAllValues/ForAnyValue".to_string(),
            )));
        }
        check_values(cond, out, &at);
        let key = cond.key.text.as_str();
        let def = c.condition_key(key);
        let Some(def) = def else {
            let global = key.to_ascii_lowercase().starts_with("aws:");
            out.push(at(Finding::new(
                "UNKNOWN_CONDITION_KEY",
                if global {
                    Severity::Error
                } else {
                    Severity::Warning
                },
                format!(
                    "\"{key}\" is not a known {} condition key (catalog of {})",
                    if global { "global" } else { "service" },
                    c.date
                ),
            )));
            continue;
        };
        let family = operator_family(&cond.base);
        if !compatible(family, &def.ty) {
            out.push(at(Finding::new(
                "CONDITION_TYPE_MISMATCH",
                Severity::Error,
                format!(
                    "{} compares {} values but {} is of type {}; use a {} operator",
                    cond.operator,
                    family,
                    def.name,
                    def.ty,
                    suggest_family(&def.ty)
                ),
            )));
        }
        match (cond.set, def.multivalued) {
            (Some(SetOp::ForAllValues), false) | (Some(SetOp::ForAnyValue), false) => {
                out.push(at(Finding::new(
                    "SET_OPERATOR_ON_SINGLE_VALUED_KEY",
                    if cond.set == Some(SetOp::ForAllValues) && st.effect == Effect::Allow {
                        Severity::SecurityWarning
                    } else {
                        Severity::Warning
                    },
                    format!(
                        "{} is single-valued: drop the {} prefix{}",
                        def.name,
                        if cond.set == Some(SetOp::ForAllValues) { "ForAllValues:" } else { "ForAnyValue:" },
                        if cond.set == Some(SetOp::ForAllValues) {
                            " (ForAllValues is also true when the key is missing, so this Allow applies to requests without it)"
                        } else {
                            ""
                        }
                    ),
                )));
            }
            (None, true) if cond.base != "Null" => out.push(at(Finding::new(
                "MISSING_SET_OPERATOR",
                Severity::Warning,
                format!(
                    "{} is multi-valued: use ForAnyValue: or ForAllValues: to say how its values are compared",
                    def.name
                ),
            ))),
            // ForAllValues is vacuously true on an empty/missing set.
            (Some(SetOp::ForAllValues), true)
                if st.effect == Effect::Allow
                    && !cond.if_exists
                    && !st
                        .conditions
                        .iter()
                        .any(|o| o.base == "Null" && o.key.text.eq_ignore_ascii_case(key)) =>
            {
                out.push(at(Finding::new(
                    "FOR_ALL_VALUES_WITHOUT_NULL_CHECK",
                    Severity::Warning,
                    format!(
                        "ForAllValues with Allow is also true when {} is absent; add \"Null\": {{\"{}\": \"false\"}}",
                        def.name, def.name
                    ),
                )));
            }
            _ => {}
        }
        // Service keys must belong to at least one of the statement's
        // actions, or the condition can never be true for them.
        if !key.to_ascii_lowercase().starts_with("aws:")
            && !actions.is_empty()
            && actions.len() < 2000
        {
            let lk = key.to_ascii_lowercase();
            let supported = actions.iter().any(|a| {
                let (_, act) = c.action(a);
                act.condition_keys
                    .iter()
                    .any(|k| crate::catalog::template_matches(k, &lk))
            });
            if !supported {
                let deny = st.effect == Effect::Deny;
                out.push(at(Finding::new(
                    "CONDITION_KEY_NOT_SUPPORTED",
                    if deny { Severity::SecurityWarning } else { Severity::Warning },
                    format!(
                        "none of this statement's actions supports {key}, so the condition is never {}{}",
                        if cond.if_exists { "evaluated (IfExists makes it pass)" } else { "true" },
                        if deny { ": this Deny does not protect anything" } else { ": this Allow grants nothing" }
                    ),
                )));
            }
        }
    }
}

fn suggest_family(ty: &str) -> &'static str {
    match ty.strip_prefix("ArrayOf").unwrap_or(ty) {
        "IPAddress" => "IpAddress/NotIpAddress",
        "Date" => "Date…",
        "Numeric" | "Long" | "Integer" => "Numeric…",
        "Bool" | "Boolean" => "Bool",
        "ARN" => "Arn…",
        "Binary" => "BinaryEquals",
        _ => "String…",
    }
}

fn check_values(cond: &Condition, out: &mut Vec<Finding>, at: &dyn Fn(Finding) -> Finding) {
    let family = operator_family(&cond.base);
    for v in &cond.values {
        let t = v.text.as_str();
        if t.contains("${") {
            continue; // policy variable, resolved per request
        }
        let ok = match family {
            "Bool" | "Null" => t.eq_ignore_ascii_case("true") || t.eq_ignore_ascii_case("false"),
            "Numeric" => t.parse::<f64>().is_ok(),
            "Date" => t.parse::<i64>().is_ok() || looks_like_date(t),
            "IPAddress" => valid_cidr(t),
            _ => true,
        };
        if !ok {
            out.push(at(Finding::new(
                "INVALID_CONDITION_VALUE",
                Severity::Error,
                format!(
                    "\"{t}\" is not a valid {family} value for {}",
                    cond.operator
                ),
            )
            .at(&v.path, Some(v.pos))));
        }
    }
}

fn looks_like_date(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() >= 10 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[7] == b'-'
}

/// IPv4/IPv6 address or CIDR.
pub fn valid_cidr(t: &str) -> bool {
    let (addr, bits) = match t.split_once('/') {
        Some((a, b)) => (a, Some(b)),
        None => (t, None),
    };
    let max = if addr.parse::<std::net::Ipv4Addr>().is_ok() {
        32
    } else if addr.parse::<std::net::Ipv6Addr>().is_ok() {
        128
    } else {
        return false;
    };
    match bits {
        None => true,
        Some(b) => b.parse::<u32>().is_ok_and(|n| n <= max),
    }
}

fn check_shapes(
    c: &Catalog,
    policy: &Policy,
    st: &Statement,
    actions: &ActionSet,
    out: &mut Vec<Finding>,
    tag: &dyn Fn(Finding) -> Finding,
) {
    if st.effect != Effect::Allow {
        return;
    }
    if let Some(a) = &st.action {
        if a.not {
            out.push(tag(Finding::new(
                "ALLOW_WITH_NOT_ACTION",
                Severity::SecurityWarning,
                format!(
                    "Allow with NotAction grants every other action of every AWS service ({} actions), including ones added later; list the actions instead",
                    actions.len()
                ),
            )
            .category(Category::PermissionsManagement)
            .at(&a.path, Some(a.pos))));
        }
    }
    if let Some(r) = &st.resource {
        if r.not {
            out.push(tag(Finding::new(
                "ALLOW_WITH_NOT_RESOURCE",
                Severity::SecurityWarning,
                "Allow with NotResource grants the actions on every other resource, including ones created later; list the resources instead",
            )
            .category(Category::ResourceExposure)
            .at(&r.path, Some(r.pos))));
        }
    }
    if let Some(p) = &st.principal {
        if p.not {
            out.push(tag(Finding::new(
                "ALLOW_WITH_NOT_PRINCIPAL",
                Severity::SecurityWarning,
                "Allow with NotPrincipal grants access to everyone except the listed principals, anonymous users included; name the principals with Principal",
            )
            .category(Category::ResourceExposure)
            .at(&p.path, Some(p.pos))));
        } else if p.is_public() && !crate::risk::restricts_principal(&st.conditions) {
            out.push(tag(Finding::new(
                "PUBLIC_ACCESS",
                Severity::SecurityWarning,
                "Principal \"*\" without a condition on the caller (aws:PrincipalOrgID, aws:SourceAccount, aws:SourceArn, aws:SourceVpce, aws:SourceIp…) makes this resource usable by anyone, anonymous users included",
            )
            .category(Category::ResourceExposure)
            .at(&p.path, Some(p.pos))));
        }
    }
    // iam:PassRole checks.
    if let Some(pr) = c.lookup("iam:PassRole") {
        // With every action granted, FULL_ADMIN already says it all.
        if actions.contains(pr) && actions.len() < c.len() && !policy.is_resource_policy() {
            let star = st
                .resource
                .as_ref()
                .is_some_and(|r| !r.not && r.items.iter().any(|t| t.text == "*"));
            let scoped_service = st.conditions.iter().any(|c| {
                c.key.text.eq_ignore_ascii_case("iam:PassedToService")
                    && crate::risk::restricting_values(c)
            });
            if star {
                out.push(tag(Finding::new(
                    "PASS_ROLE_ON_ALL_ROLES",
                    Severity::SecurityWarning,
                    "iam:PassRole on \"*\" lets the holder hand any role in the account, administrator roles included, to a service it controls; list the role ARNs it must pass",
                )
                .category(Category::PrivilegeEscalation)
                .actions(vec!["iam:PassRole".into()])
                .at(st.resource.as_ref().map(|r| r.path.as_str()).unwrap_or(&st.path), st.resource.as_ref().map(|r| r.pos))));
            }
            if !scoped_service {
                out.push(tag(Finding::new(
                    "PASS_ROLE_WITHOUT_SERVICE_CONDITION",
                    Severity::Warning,
                    "iam:PassRole without an iam:PassedToService condition allows passing the roles to any service; add e.g. \"StringEquals\": {\"iam:PassedToService\": \"lambda.amazonaws.com\"}",
                )
                .category(Category::PrivilegeEscalation)
                .actions(vec!["iam:PassRole".into()])
                .at(&st.path, Some(st.pos))));
            }
        }
    }
}

#[cfg(test)]
mod template_ref_tests {
    use super::*;

    #[test]
    fn template_references_are_specific_resources() {
        assert!(is_template_ref("UploadBucketName"));
        assert!(is_template_ref("EventsQueue.Arn"));
        assert!(is_template_ref("AWS::AccountId"));
        assert!(!is_template_ref("aws:username"));
        assert!(!is_template_ref("*"));
        assert_eq!(
            resource_glob("arn:aws:s3:::${UploadBucketName}/home/${aws:username}/*"),
            "arn:aws:s3:::${UploadBucketName}/home/*/*"
        );
        assert!(starts_with_template_ref("${QuarantineBucket.Arn}/q/*"));
        assert!(!starts_with_template_ref("${aws:username}"));
    }
}
