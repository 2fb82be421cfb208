//! The IAM policy grammar: from positioned JSON to statements, with every
//! grammar problem reported as a finding instead of stopping at the first.
//!
//! Accepts every form IAM accepts: `Statement` as one object or a list,
//! string-or-list elements, `Action`/`NotAction`, `Resource`/`NotResource`,
//! `Principal`/`NotPrincipal` (`*`, AWS, Service, Federated, CanonicalUser),
//! and `Condition` blocks with set operators and `...IfExists`.

use crate::finding::{Finding, Severity};
use crate::json::{Node, Pos, Value};

/// A string from the policy with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub text: String,
    pub pos: Pos,
    pub path: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

/// `Action`/`NotAction`, `Resource`/`NotResource`: a list and whether it is
/// the `Not` form.
#[derive(Debug, Clone, PartialEq)]
pub struct Items {
    pub not: bool,
    pub items: Vec<Text>,
    pub path: String,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Principals {
    pub not: bool,
    /// `"Principal": "*"`.
    pub everyone: bool,
    /// (kind — AWS, Service, Federated, CanonicalUser — , value).
    pub entries: Vec<(String, Text)>,
    pub path: String,
    pub pos: Pos,
}

impl Principals {
    /// Anyone at all: `*` or `{"AWS": "*"}`.
    pub fn is_public(&self) -> bool {
        self.everyone
            || self
                .entries
                .iter()
                .any(|(k, v)| k == "AWS" && v.text == "*")
    }
}

/// Set operator prefix of a condition operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetOp {
    ForAllValues,
    ForAnyValue,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// As written, e.g. `ForAnyValue:StringLikeIfExists`.
    pub operator: String,
    /// Without the set prefix and `IfExists`, e.g. `StringLike`.
    pub base: String,
    pub set: Option<SetOp>,
    pub if_exists: bool,
    pub key: Text,
    pub values: Vec<Text>,
    pub path: String,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub index: usize,
    pub sid: Option<String>,
    pub effect: Effect,
    pub action: Option<Items>,
    pub resource: Option<Items>,
    pub principal: Option<Principals>,
    pub conditions: Vec<Condition>,
    pub path: String,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub version: Option<Text>,
    pub statements: Vec<Statement>,
    /// The statement list was given as a single object.
    pub single_statement: bool,
}

impl Policy {
    /// A policy with principals in its statements is a resource policy
    /// (bucket, key, queue, trust policy…); otherwise an identity policy.
    pub fn is_resource_policy(&self) -> bool {
        self.statements.iter().any(|s| s.principal.is_some())
    }
}

pub const VERSIONS: [&str; 2] = ["2012-10-17", "2008-10-17"];

const TOP_KEYS: [&str; 3] = ["Version", "Id", "Statement"];
const STATEMENT_KEYS: [&str; 10] = [
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "NotPrincipal",
    "Condition",
    "Id",
];
const PRINCIPAL_KINDS: [&str; 4] = ["AWS", "Service", "Federated", "CanonicalUser"];

fn err(code: &str, msg: String, path: &str, pos: Pos) -> Finding {
    Finding::new(code, Severity::Error, msg).at(path, Some(pos))
}

/// Parse a policy document. Grammar problems become findings; whatever can
/// be understood is kept so the rest of the analysis still runs. A document
/// that is not an object at all gives `None`.
pub fn parse_policy(doc: &Node, out: &mut Vec<Finding>) -> Option<Policy> {
    let Some(members) = doc.members() else {
        out.push(err(
            "POLICY_NOT_OBJECT",
            format!(
                "a policy is a JSON object with Version and Statement, not {}",
                doc.type_name()
            ),
            "$",
            doc.pos,
        ));
        return None;
    };
    let mut seen: Vec<&str> = Vec::new();
    for m in members {
        if seen.contains(&m.key.as_str()) {
            out.push(err(
                "DUPLICATE_ELEMENT",
                format!(
                    "\"{}\" appears twice; IAM rejects duplicate elements",
                    m.key
                ),
                &format!("$.{}", m.key),
                m.key_pos,
            ));
        }
        seen.push(&m.key);
        if !TOP_KEYS.contains(&m.key.as_str()) {
            let hint = suggest(&m.key, &TOP_KEYS);
            out.push(err(
                "UNKNOWN_ELEMENT",
                format!("unknown top-level element \"{}\"{hint}", m.key),
                &format!("$.{}", m.key),
                m.key_pos,
            ));
        }
    }
    let version = match doc.get("Version") {
        None => {
            out.push(
                Finding::new(
                    "MISSING_VERSION",
                    Severity::Warning,
                    "no Version: IAM then uses 2008-10-17, in which policy variables such as ${aws:username} are plain text; add \"Version\": \"2012-10-17\"",
                )
                .at("$", Some(doc.pos)),
            );
            None
        }
        Some(v) => match v.as_str() {
            Some(s) if VERSIONS.contains(&s) => {
                if s == "2008-10-17" {
                    out.push(
                        Finding::new(
                            "OLD_VERSION",
                            Severity::Warning,
                            "Version 2008-10-17 does not support policy variables; use 2012-10-17",
                        )
                        .at("$.Version", Some(v.pos)),
                    );
                }
                Some(Text {
                    text: s.to_string(),
                    pos: v.pos,
                    path: "$.Version".into(),
                })
            }
            Some(s) => {
                out.push(err(
                    "UNKNOWN_VERSION",
                    format!("Version \"{s}\" is not a policy language version; use \"2012-10-17\""),
                    "$.Version",
                    v.pos,
                ));
                None
            }
            None => {
                out.push(err(
                    "UNKNOWN_VERSION",
                    format!("Version must be a string, not {}", v.type_name()),
                    "$.Version",
                    v.pos,
                ));
                None
            }
        },
    };
    let mut statements = Vec::new();
    let mut single_statement = false;
    match doc.get("Statement") {
        None => out.push(err(
            "MISSING_STATEMENT",
            "no Statement: a policy needs at least one statement".into(),
            "$",
            doc.pos,
        )),
        Some(s) => match &s.value {
            Value::Array(items) => {
                if items.is_empty() {
                    out.push(err(
                        "MISSING_STATEMENT",
                        "Statement is an empty list".into(),
                        "$.Statement",
                        s.pos,
                    ));
                }
                for (i, n) in items.iter().enumerate() {
                    let path = format!("$.Statement[{i}]");
                    if let Some(st) = parse_statement(n, i, &path, out) {
                        statements.push(st);
                    }
                }
            }
            Value::Object(_) => {
                single_statement = true;
                if let Some(st) = parse_statement(s, 0, "$.Statement", out) {
                    statements.push(st);
                }
            }
            _ => out.push(err(
                "INVALID_STATEMENT",
                format!(
                    "Statement must be an object or a list of objects, not {}",
                    s.type_name()
                ),
                "$.Statement",
                s.pos,
            )),
        },
    }
    // Sids must be unique within a policy.
    let mut sids: Vec<(&str, usize)> = Vec::new();
    for st in &statements {
        if let Some(sid) = &st.sid {
            if let Some((_, first)) = sids.iter().find(|(s, _)| *s == sid.as_str()) {
                out.push(
                    err(
                        "DUPLICATE_SID",
                        format!(
                            "Sid \"{sid}\" is also used by statement {first}; Sids must be unique"
                        ),
                        &format!("{}.Sid", st.path),
                        st.pos,
                    )
                    .stmt(st.index, Some(sid)),
                );
            } else {
                sids.push((sid, st.index));
            }
        }
    }
    Some(Policy {
        version,
        statements,
        single_statement,
    })
}

fn parse_statement(
    n: &Node,
    index: usize,
    path: &str,
    out: &mut Vec<Finding>,
) -> Option<Statement> {
    let Some(members) = n.members() else {
        out.push(err(
            "INVALID_STATEMENT",
            format!("a statement must be an object, not {}", n.type_name()),
            path,
            n.pos,
        ));
        return None;
    };
    let sid = n.get("Sid").and_then(|s| s.as_str()).map(str::to_string);
    let tag = |f: Finding| f.stmt(index, sid.as_deref());
    let mut seen: Vec<&str> = Vec::new();
    for m in members {
        let p = format!("{path}.{}", m.key);
        if seen.contains(&m.key.as_str()) {
            out.push(tag(err(
                "DUPLICATE_ELEMENT",
                format!(
                    "\"{}\" appears twice in this statement; IAM rejects it",
                    m.key
                ),
                &p,
                m.key_pos,
            )));
        }
        seen.push(&m.key);
        if !STATEMENT_KEYS.contains(&m.key.as_str()) {
            let hint = suggest(&m.key, &STATEMENT_KEYS);
            out.push(tag(err(
                "UNKNOWN_ELEMENT",
                format!("unknown statement element \"{}\"{hint}", m.key),
                &p,
                m.key_pos,
            )));
        }
    }
    if let Some(s) = n.get("Sid") {
        match s.as_str() {
            None => out.push(tag(err(
                "INVALID_SID",
                format!("Sid must be a string, not {}", s.type_name()),
                &format!("{path}.Sid"),
                s.pos,
            ))),
            Some(v) if !v.chars().all(|c| c.is_ascii_alphanumeric()) => out.push(tag(
                Finding::new(
                    "INVALID_SID",
                    Severity::Warning,
                    format!("Sid \"{v}\" has characters other than A-Z, a-z and 0-9; IAM identity policies reject it"),
                )
                .at(format!("{path}.Sid"), Some(s.pos)),
            )),
            _ => {}
        }
    }
    let effect = match n.get("Effect") {
        None => {
            out.push(tag(err(
                "MISSING_EFFECT",
                "statement has no Effect (\"Allow\" or \"Deny\")".into(),
                path,
                n.pos,
            )));
            None
        }
        Some(e) => match e.as_str() {
            Some("Allow") => Some(Effect::Allow),
            Some("Deny") => Some(Effect::Deny),
            Some(other) => {
                let hint =
                    if other.eq_ignore_ascii_case("allow") || other.eq_ignore_ascii_case("deny") {
                        " (it is case-sensitive)"
                    } else {
                        ""
                    };
                out.push(tag(err(
                    "INVALID_EFFECT",
                    format!("Effect \"{other}\" must be \"Allow\" or \"Deny\"{hint}"),
                    &format!("{path}.Effect"),
                    e.pos,
                )));
                None
            }
            None => {
                out.push(tag(err(
                    "INVALID_EFFECT",
                    format!("Effect must be a string, not {}", e.type_name()),
                    &format!("{path}.Effect"),
                    e.pos,
                )));
                None
            }
        },
    };
    let action = pair(n, path, "Action", "NotAction", out, &tag);
    if action.is_none() && n.get("Action").is_none() && n.get("NotAction").is_none() {
        out.push(tag(err(
            "MISSING_ACTION",
            "statement has neither Action nor NotAction".into(),
            path,
            n.pos,
        )));
    }
    let resource = pair(n, path, "Resource", "NotResource", out, &tag);
    let principal = principals(n, path, out, &tag);
    if resource.is_none()
        && principal.is_none()
        && n.get("Resource").is_none()
        && n.get("NotResource").is_none()
    {
        out.push(tag(err(
            "MISSING_RESOURCE",
            "statement has neither Resource nor NotResource (identity policies need one; use the ARNs the actions work on)".into(),
            path,
            n.pos,
        )));
    }
    let conditions = conditions(n, path, out, &tag);
    Some(Statement {
        index,
        sid,
        // A statement with a broken Effect is analysed as Allow: the
        // conservative reading for risk.
        effect: effect.unwrap_or(Effect::Allow),
        action,
        resource,
        principal,
        conditions,
        path: path.to_string(),
        pos: n.pos,
    })
}

/// String-or-list of strings, each with its path.
fn strings(
    n: &Node,
    path: &str,
    what: &str,
    out: &mut Vec<Finding>,
    tag: &dyn Fn(Finding) -> Finding,
) -> Vec<Text> {
    match &n.value {
        Value::String(s) => vec![Text {
            text: s.clone(),
            pos: n.pos,
            path: path.to_string(),
        }],
        Value::Array(items) => {
            if items.is_empty() {
                out.push(tag(err(
                    "EMPTY_LIST",
                    format!("{what} is an empty list; IAM rejects it"),
                    path,
                    n.pos,
                )));
            }
            let mut v = Vec::new();
            for (i, it) in items.iter().enumerate() {
                let p = format!("{path}[{i}]");
                match it.as_str() {
                    Some(s) => v.push(Text {
                        text: s.to_string(),
                        pos: it.pos,
                        path: p,
                    }),
                    None => out.push(tag(err(
                        "INVALID_TYPE",
                        format!("each {what} entry must be a string, not {}", it.type_name()),
                        &p,
                        it.pos,
                    ))),
                }
            }
            v
        }
        _ => {
            out.push(tag(err(
                "INVALID_TYPE",
                format!(
                    "{what} must be a string or a list of strings, not {}",
                    n.type_name()
                ),
                path,
                n.pos,
            )));
            Vec::new()
        }
    }
}

fn pair(
    n: &Node,
    path: &str,
    yes: &str,
    not: &str,
    out: &mut Vec<Finding>,
    tag: &dyn Fn(Finding) -> Finding,
) -> Option<Items> {
    let (node, is_not, name) = match (n.get(yes), n.get(not)) {
        (Some(a), Some(_)) => {
            out.push(tag(err(
                "CONFLICTING_ELEMENTS",
                format!("a statement cannot have both {yes} and {not}"),
                path,
                n.pos,
            )));
            (a, false, yes)
        }
        (Some(a), None) => (a, false, yes),
        (None, Some(b)) => (b, true, not),
        (None, None) => return None,
    };
    let p = format!("{path}.{name}");
    Some(Items {
        not: is_not,
        items: strings(node, &p, name, out, tag),
        path: p,
        pos: node.pos,
    })
}

fn principals(
    n: &Node,
    path: &str,
    out: &mut Vec<Finding>,
    tag: &dyn Fn(Finding) -> Finding,
) -> Option<Principals> {
    let (node, not, name) = match (n.get("Principal"), n.get("NotPrincipal")) {
        (Some(p), Some(_)) => {
            out.push(tag(err(
                "CONFLICTING_ELEMENTS",
                "a statement cannot have both Principal and NotPrincipal".into(),
                path,
                n.pos,
            )));
            (p, false, "Principal")
        }
        (Some(p), None) => (p, false, "Principal"),
        (None, Some(p)) => (p, true, "NotPrincipal"),
        (None, None) => return None,
    };
    let ppath = format!("{path}.{name}");
    let mut pr = Principals {
        not,
        everyone: false,
        entries: Vec::new(),
        path: ppath.clone(),
        pos: node.pos,
    };
    match &node.value {
        Value::String(s) if s == "*" => pr.everyone = true,
        Value::Object(members) => {
            for m in members {
                let p = format!("{ppath}.{}", m.key);
                if !PRINCIPAL_KINDS.contains(&m.key.as_str()) {
                    let hint = suggest(&m.key, &PRINCIPAL_KINDS);
                    out.push(tag(err(
                        "INVALID_PRINCIPAL",
                        format!("unknown principal type \"{}\"{hint}", m.key),
                        &p,
                        m.key_pos,
                    )));
                    continue;
                }
                for t in strings(&m.node, &p, name, out, tag) {
                    pr.entries.push((m.key.clone(), t));
                }
            }
        }
        _ => out.push(tag(err(
            "INVALID_PRINCIPAL",
            format!("{name} must be \"*\" or an object such as {{\"AWS\": \"arn:aws:iam::123456789012:root\"}}"),
            &ppath,
            node.pos,
        ))),
    }
    Some(pr)
}

fn conditions(
    n: &Node,
    path: &str,
    out: &mut Vec<Finding>,
    tag: &dyn Fn(Finding) -> Finding,
) -> Vec<Condition> {
    let Some(c) = n.get("Condition") else {
        return Vec::new();
    };
    let cpath = format!("{path}.Condition");
    let Some(ops) = c.members() else {
        out.push(tag(err(
            "INVALID_CONDITION",
            format!(
                "Condition must be an object of operators, not {}",
                c.type_name()
            ),
            &cpath,
            c.pos,
        )));
        return Vec::new();
    };
    let mut v = Vec::new();
    for op in ops {
        let opath = format!("{cpath}.{}", op.key);
        let Some(keys) = op.node.members() else {
            out.push(tag(err(
                "INVALID_CONDITION",
                format!("condition operator {} must map keys to values", op.key),
                &opath,
                op.node.pos,
            )));
            continue;
        };
        let (set, rest) = if let Some(r) = op.key.strip_prefix("ForAllValues:") {
            (Some(SetOp::ForAllValues), r)
        } else if let Some(r) = op.key.strip_prefix("ForAnyValue:") {
            (Some(SetOp::ForAnyValue), r)
        } else {
            (None, op.key.as_str())
        };
        let (base, if_exists) = match rest.strip_suffix("IfExists") {
            Some(b) => (b, true),
            None => (rest, false),
        };
        for k in keys {
            let kpath = format!("{opath}.{}", k.key);
            let values = match &k.node.value {
                // Booleans and numbers are written bare by many people.
                Value::Bool(b) => vec![Text {
                    text: b.to_string(),
                    pos: k.node.pos,
                    path: kpath.clone(),
                }],
                Value::Number(x) => vec![Text {
                    text: x.clone(),
                    pos: k.node.pos,
                    path: kpath.clone(),
                }],
                Value::Array(items) => {
                    let mut vals = Vec::new();
                    for (i, it) in items.iter().enumerate() {
                        let text = match &it.value {
                            Value::String(s) => s.clone(),
                            Value::Bool(b) => b.to_string(),
                            Value::Number(x) => x.clone(),
                            _ => {
                                out.push(tag(err(
                                    "INVALID_CONDITION",
                                    format!("condition values must be strings, numbers or booleans, not {}", it.type_name()),
                                    &format!("{kpath}[{i}]"),
                                    it.pos,
                                )));
                                continue;
                            }
                        };
                        vals.push(Text {
                            text,
                            pos: it.pos,
                            path: format!("{kpath}[{i}]"),
                        });
                    }
                    if items.is_empty() {
                        out.push(tag(err(
                            "EMPTY_LIST",
                            format!("condition {} {} has no values", op.key, k.key),
                            &kpath,
                            k.node.pos,
                        )));
                    }
                    vals
                }
                _ => strings(&k.node, &kpath, "condition value", out, tag),
            };
            v.push(Condition {
                operator: op.key.clone(),
                base: base.to_string(),
                set,
                if_exists,
                key: Text {
                    text: k.key.clone(),
                    pos: k.key_pos,
                    path: kpath.clone(),
                },
                values,
                path: kpath,
                pos: k.key_pos,
            });
        }
    }
    v
}

/// ` (did you mean "X"?)` when a known name is close.
pub fn suggest(word: &str, known: &[&str]) -> String {
    let lw = word.to_ascii_lowercase();
    known
        .iter()
        .map(|k| (edit_distance(&lw, &k.to_ascii_lowercase()), *k))
        .filter(|(d, k)| *d <= (k.len() / 3).max(1))
        .min()
        .map(|(_, k)| format!(" (did you mean \"{k}\"?)"))
        .unwrap_or_default()
}

/// Levenshtein distance over bytes (names here are ASCII).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let sub = prev[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            cur[j] = sub.min(prev[j] + 1).min(cur[j - 1] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    fn check(src: &str) -> (Option<Policy>, Vec<Finding>) {
        let mut f = Vec::new();
        let p = parse_policy(&parse(src.as_bytes()).unwrap(), &mut f);
        (p, f)
    }

    fn codes(f: &[Finding]) -> Vec<&str> {
        f.iter().map(|x| x.code.as_str()).collect()
    }

    #[test]
    fn every_grammar_form() {
        let (p, f) = check(
            r#"{"Version":"2012-10-17","Statement":{"Sid":"A1","Effect":"Allow","NotAction":"iam:*","NotResource":["arn:aws:s3:::b"],
               "Principal":{"AWS":["arn:aws:iam::111122223333:root"],"Service":"lambda.amazonaws.com"},
               "Condition":{"ForAnyValue:StringLikeIfExists":{"aws:TagKeys":["a*","b"]},"Bool":{"aws:SecureTransport":true}}}}"#,
        );
        assert!(f.is_empty(), "{f:?}");
        let p = p.unwrap();
        assert!(p.single_statement && p.is_resource_policy());
        let s = &p.statements[0];
        assert!(s.action.as_ref().unwrap().not && s.resource.as_ref().unwrap().not);
        assert_eq!(s.principal.as_ref().unwrap().entries.len(), 2);
        let c = &s.conditions[0];
        assert_eq!(
            (c.base.as_str(), c.set, c.if_exists),
            ("StringLike", Some(SetOp::ForAnyValue), true)
        );
        assert_eq!(s.conditions[1].values[0].text, "true");
    }

    #[test]
    fn grammar_errors_are_all_reported_with_paths() {
        let (_, f) = check(
            r#"{"Versoin":"x","Statement":[{"Effect":"allow","Action":[],"Resourse":"*"},
               {"Sid":"S","Effect":"Deny","Action":"s3:*","NotAction":"s3:Get*","Resource":"*"},
               {"Sid":"S","Effect":"Allow","Action":"s3:GetObject","Resource":5,"Principal":{"Aws":"*"}}, 7]}"#,
        );
        let c = codes(&f);
        for want in [
            "UNKNOWN_ELEMENT",
            "MISSING_VERSION",
            "INVALID_EFFECT",
            "EMPTY_LIST",
            "MISSING_RESOURCE",
            "CONFLICTING_ELEMENTS",
            "INVALID_TYPE",
            "INVALID_PRINCIPAL",
            "INVALID_STATEMENT",
            "DUPLICATE_SID",
        ] {
            assert!(c.contains(&want), "{want} missing from {c:?}");
        }
        let eff = f.iter().find(|x| x.code == "INVALID_EFFECT").unwrap();
        assert!(eff.message.contains("case-sensitive"));
        assert_eq!(eff.path, "$.Statement[0].Effect");
        assert_eq!(eff.statement, Some(0));
        let unk = f
            .iter()
            .find(|x| x.path == "$.Statement[0].Resourse")
            .unwrap();
        assert!(
            unk.message.contains("did you mean \"Resource\""),
            "{}",
            unk.message
        );
        let ver = f.iter().find(|x| x.path == "$.Versoin").unwrap();
        assert!(ver.message.contains("Version"));
    }

    #[test]
    fn versions_and_non_objects() {
        let (_, f) = check(r#"{"Version":"2012-10-18","Statement":[]}"#);
        assert_eq!(codes(&f), vec!["UNKNOWN_VERSION", "MISSING_STATEMENT"]);
        let (p, f) = check("[1]");
        assert!(p.is_none() && codes(&f) == vec!["POLICY_NOT_OBJECT"]);
        let (_, f) = check(
            r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}"#,
        );
        assert_eq!(codes(&f), vec!["OLD_VERSION"]);
    }
}
