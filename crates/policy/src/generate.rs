//! Policy generation without a model: from what a principal was seen
//! doing (CloudTrail calls in the store, as IAM Access Analyzer's policy
//! generation does), or from a short description ("read objects in bucket
//! uploads and write items to table orders").
//!
//! Both give a starting point that names exact actions and the narrowest
//! resources the input supports; the caller runs the analyzer on the
//! result before showing it, and says what could not be mapped.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::{json, Value};

use crate::Catalog;

/// A generated policy, and what the generator could not place.
#[derive(Debug, Clone, Serialize)]
pub struct Generated {
    pub policy: Value,
    /// How the policy was made and what to check before use.
    pub notes: Vec<String>,
    /// Inputs that mapped to no IAM action.
    pub unmatched: Vec<String>,
}

/// One kind of call a principal made.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Observed {
    /// CloudTrail `eventSource`, e.g. `s3.amazonaws.com`.
    pub event_source: String,
    /// CloudTrail `eventName`, e.g. `GetObject`.
    pub event_name: String,
    /// The S3 bucket and key, for S3 data events.
    pub bucket: Option<String>,
    pub key: Option<String>,
}

/// CloudTrail event names that differ from the IAM action they need.
const EVENT_TO_ACTION: &[(&str, &str)] = &[
    ("s3:ListObjects", "s3:ListBucket"),
    ("s3:ListObjectsV2", "s3:ListBucket"),
    ("s3:ListObjectVersions", "s3:ListBucketVersions"),
    ("s3:HeadObject", "s3:GetObject"),
    ("s3:HeadBucket", "s3:ListBucket"),
    ("s3:CopyObject", "s3:PutObject"),
    ("s3:CreateMultipartUpload", "s3:PutObject"),
    ("s3:UploadPart", "s3:PutObject"),
    ("s3:CompleteMultipartUpload", "s3:PutObject"),
    ("s3:DeleteObjects", "s3:DeleteObject"),
    (
        "bedrock:InvokeModelWithResponseStream",
        "bedrock:InvokeModelWithResponseStream",
    ),
    ("bedrock:Converse", "bedrock:InvokeModel"),
    (
        "bedrock:ConverseStream",
        "bedrock:InvokeModelWithResponseStream",
    ),
];

/// Calls that need no permission or are not API actions.
const NO_PERMISSION: &[&str] = &[
    "sts:GetCallerIdentity",
    "signin:ConsoleLogin",
    "signin:CheckMfa",
    "signin:SwitchRole",
];

/// S3 actions that act on the bucket rather than on objects.
fn s3_bucket_level(action: &str) -> bool {
    matches!(
        action,
        "s3:ListBucket" | "s3:ListBucketVersions" | "s3:GetBucketLocation"
    ) || action.starts_with("s3:GetBucket")
        || action.starts_with("s3:PutBucket")
}

fn prefix_of(event_source: &str) -> &str {
    let p = event_source.split('.').next().unwrap_or(event_source);
    match p {
        "monitoring" => "cloudwatch",
        "bedrock-runtime" | "bedrock-agent-runtime" => "bedrock",
        o => o,
    }
}

/// The statements for a set of (action, resource) pairs: one statement
/// per service and resource set, actions sorted.
fn build(grants: BTreeMap<String, BTreeSet<String>>) -> Value {
    // resource set → service → actions
    let mut by_res: BTreeMap<(String, Vec<String>), BTreeSet<String>> = BTreeMap::new();
    for (action, resources) in grants {
        let svc = action.split(':').next().unwrap_or("").to_string();
        let res: Vec<String> = resources.into_iter().collect();
        by_res.entry((svc, res)).or_default().insert(action);
    }
    let mut seen_sid: BTreeMap<String, usize> = BTreeMap::new();
    let statements: Vec<Value> = by_res
        .into_iter()
        .map(|((svc, res), actions)| {
            let base: String = svc
                .split('-')
                .map(|w| {
                    let mut c = w.chars();
                    c.next()
                        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                        .unwrap_or_default()
                })
                .collect();
            let n = seen_sid.entry(base.clone()).or_insert(0);
            *n += 1;
            let sid = if *n == 1 { base } else { format!("{base}{n}") };
            let one = |v: Vec<String>| {
                if v.len() == 1 {
                    Value::String(v[0].clone())
                } else {
                    json!(v)
                }
            };
            json!({
                "Sid": sid,
                "Effect": "Allow",
                "Action": one(actions.into_iter().collect()),
                "Resource": one(res),
            })
        })
        .collect();
    json!({"Version": "2012-10-17", "Statement": statements})
}

/// A policy that allows what was observed, and nothing else.
pub fn from_activity(c: &Catalog, calls: &[Observed]) -> Generated {
    let mut grants: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut unmatched = BTreeSet::new();
    let mut wildcard_resources = BTreeSet::new();
    for o in calls {
        let raw = format!("{}:{}", prefix_of(&o.event_source), o.event_name);
        if NO_PERMISSION.contains(&raw.as_str()) {
            continue;
        }
        let action = EVENT_TO_ACTION
            .iter()
            .find(|(e, _)| *e == raw)
            .map(|(_, a)| a.to_string())
            .unwrap_or(raw.clone());
        let Some(id) = c.lookup(&action) else {
            unmatched.insert(raw);
            continue;
        };
        let action = c.action_name(id);
        let resource = match (&o.bucket, action.starts_with("s3:")) {
            (Some(b), true) if s3_bucket_level(&action) => format!("arn:aws:s3:::{b}"),
            (Some(b), true) => format!("arn:aws:s3:::{b}/*"),
            _ => {
                wildcard_resources.insert(action.clone());
                "*".to_string()
            }
        };
        grants.entry(action).or_default().insert(resource);
    }
    let mut notes = vec![format!(
        "Generated from {} kinds of observed calls; only what was seen is allowed, so rare tasks (deploys, month-end jobs) may need more.",
        calls.len()
    )];
    if !wildcard_resources.is_empty() {
        notes.push(format!(
            "The events do not name the resources of {} action(s) ({}); they use \"*\" — replace with ARNs.",
            wildcard_resources.len(),
            wildcard_resources.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    Generated {
        policy: build(grants),
        notes,
        unmatched: unmatched.into_iter().collect(),
    }
}

/// What a phrase asks for, per service: (words that name the service or
/// its resource, resource ARN template with `{name}`, verbs → actions).
type Verbs = &'static [(&'static [&'static str], &'static [&'static str])];
struct ServiceWords {
    words: &'static [&'static str],
    arn: &'static str,
    verbs: Verbs,
}

const READ: &[&str] = &[
    "read", "get", "download", "fetch", "view", "retrieve", "load", "読", "읽",
];
const LIST: &[&str] = &["list", "browse", "enumerate", "一覧", "목록"];
const WRITE: &[&str] = &[
    "write",
    "put",
    "upload",
    "store",
    "save",
    "update",
    "create",
    "add",
    "書",
    "쓰",
    "업로드",
];
const DELETE: &[&str] = &["delete", "remove", "purge", "削除", "삭제"];
const SEND: &[&str] = &["send", "enqueue", "publish", "post", "notify", "送", "보내"];
const RECEIVE: &[&str] = &["receive", "consume", "poll", "process", "受信", "받"];
const INVOKE: &[&str] = &[
    "invoke", "call", "run", "trigger", "execute", "use", "呼", "호출",
];
const DECRYPT: &[&str] = &["decrypt", "復号", "복호"];
const ENCRYPT: &[&str] = &["encrypt", "暗号", "암호"];

const SERVICES: &[ServiceWords] = &[
    ServiceWords {
        words: &["bucket", "s3", "object", "objects", "バケット", "버킷"],
        arn: "arn:aws:s3:::{name}",
        verbs: &[
            (READ, &["s3:GetObject"]),
            (LIST, &["s3:ListBucket"]),
            (WRITE, &["s3:PutObject"]),
            (DELETE, &["s3:DeleteObject"]),
        ],
    },
    ServiceWords {
        words: &["table", "dynamodb", "テーブル", "테이블"],
        arn: "arn:aws:dynamodb:{region}:{account}:table/{name}",
        verbs: &[
            (
                READ,
                &[
                    "dynamodb:GetItem",
                    "dynamodb:Query",
                    "dynamodb:BatchGetItem",
                ],
            ),
            (LIST, &["dynamodb:Scan"]),
            (
                WRITE,
                &[
                    "dynamodb:PutItem",
                    "dynamodb:UpdateItem",
                    "dynamodb:BatchWriteItem",
                ],
            ),
            (DELETE, &["dynamodb:DeleteItem"]),
        ],
    },
    ServiceWords {
        words: &["queue", "sqs", "キュー", "큐"],
        arn: "arn:aws:sqs:{region}:{account}:{name}",
        verbs: &[
            (SEND, &["sqs:SendMessage"]),
            (WRITE, &["sqs:SendMessage"]),
            (
                RECEIVE,
                &[
                    "sqs:ReceiveMessage",
                    "sqs:DeleteMessage",
                    "sqs:GetQueueAttributes",
                    "sqs:ChangeMessageVisibility",
                ],
            ),
            (
                READ,
                &[
                    "sqs:ReceiveMessage",
                    "sqs:DeleteMessage",
                    "sqs:GetQueueAttributes",
                    "sqs:ChangeMessageVisibility",
                ],
            ),
        ],
    },
    ServiceWords {
        words: &["topic", "sns", "トピック", "토픽"],
        arn: "arn:aws:sns:{region}:{account}:{name}",
        verbs: &[(SEND, &["sns:Publish"]), (WRITE, &["sns:Publish"])],
    },
    ServiceWords {
        words: &["function", "lambda", "関数", "함수"],
        arn: "arn:aws:lambda:{region}:{account}:function:{name}",
        verbs: &[
            (INVOKE, &["lambda:InvokeFunction"]),
            (READ, &["lambda:GetFunction"]),
        ],
    },
    ServiceWords {
        words: &[
            "secret",
            "secrets",
            "secretsmanager",
            "シークレット",
            "시크릿",
        ],
        arn: "arn:aws:secretsmanager:{region}:{account}:secret:{name}-*",
        verbs: &[
            (READ, &["secretsmanager:GetSecretValue"]),
            (WRITE, &["secretsmanager:PutSecretValue"]),
        ],
    },
    ServiceWords {
        words: &["key", "kms", "キー", "키"],
        arn: "arn:aws:kms:{region}:{account}:key/{name}",
        verbs: &[
            (DECRYPT, &["kms:Decrypt"]),
            (ENCRYPT, &["kms:Encrypt", "kms:GenerateDataKey"]),
            (READ, &["kms:Decrypt"]),
        ],
    },
    ServiceWords {
        words: &["log", "logs", "cloudwatch", "ログ", "로그"],
        arn: "arn:aws:logs:{region}:{account}:log-group:{name}:*",
        verbs: &[
            (WRITE, &["logs:CreateLogStream", "logs:PutLogEvents"]),
            (READ, &["logs:GetLogEvents", "logs:FilterLogEvents"]),
        ],
    },
    ServiceWords {
        words: &["model", "bedrock", "claude", "titan", "モデル", "모델"],
        arn: "arn:aws:bedrock:{region}::foundation-model/{name}",
        verbs: &[(
            INVOKE,
            &[
                "bedrock:InvokeModel",
                "bedrock:InvokeModelWithResponseStream",
            ],
        )],
    },
];

/// Words that are never a resource name.
const NOT_NAMES: &[&str] = &[
    "the", "a", "an", "my", "our", "to", "from", "in", "into", "of", "and", "or", "only", "all",
    "named", "called", "items", "item", "messages", "message", "objects", "object", "files",
    "file", "rows", "data", "on", "for", "with", "that", "this", "its", "their",
];

fn is_verb(w: &str) -> bool {
    let lw = w.to_lowercase();
    [
        READ, LIST, WRITE, DELETE, SEND, RECEIVE, INVOKE, DECRYPT, ENCRYPT,
    ]
    .iter()
    .any(|l| {
        l.iter().any(|v| {
            v.is_ascii()
                && lw
                    .strip_prefix(v)
                    .is_some_and(|rest| ["", "s", "es", "ed", "d", "ing"].contains(&rest))
        })
    })
}

fn tokens(text: &str) -> Vec<String> {
    text.split(|ch: char| {
        ch.is_whitespace() || matches!(ch, ',' | ';' | '"' | '\'' | '`' | '(' | ')' | '、' | '。')
    })
    .map(|w| w.trim_end_matches(['.', ':', '!', '?']).to_string())
    .filter(|w| !w.is_empty())
    .collect()
}

fn is_name(w: &str) -> bool {
    let lw = w.to_ascii_lowercase();
    !NOT_NAMES.contains(&lw.as_str())
        && w.len() <= 255
        && w.chars()
            .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_' | '.' | '/' | '*' | ':'))
        && w.chars().any(|ch| ch.is_ascii_alphanumeric())
}

/// A policy for a short description, one clause at a time ("read objects
/// in bucket uploads, send messages to queue jobs"). English, with the
/// common Japanese and Korean verbs and nouns.
pub fn from_description(c: &Catalog, text: &str) -> Generated {
    let account = tokens(text)
        .into_iter()
        .find(|w| w.len() == 12 && w.chars().all(|ch| ch.is_ascii_digit()))
        .unwrap_or_else(|| "*".into());
    let region = tokens(text)
        .into_iter()
        .find(|w| {
            let p: Vec<&str> = w.split('-').collect();
            p.len() == 3
                && ["us", "eu", "ap", "ca", "sa", "me", "af", "il", "mx"].contains(&p[0])
                && p[2].chars().all(|ch| ch.is_ascii_digit())
        })
        .unwrap_or_else(|| "*".into());
    let mut grants: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut unmatched = Vec::new();
    let mut named_nothing = Vec::new();
    for clause in text
        .split(['\n', ';', '.', ',', '、', '。'])
        .filter(|s| !s.trim().is_empty())
    {
        let clause = clause.replace(" and then ", ", ");
        let words = tokens(&clause);
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let has = |list: &[&str]| {
            lower.iter().any(|w| {
                list.iter()
                    .any(|v| w.starts_with(v) || (!v.is_ascii() && w.contains(v)))
            })
        };
        let mut matched = false;
        for svc in SERVICES {
            let positions: Vec<usize> = lower
                .iter()
                .enumerate()
                .filter(|(_, w)| {
                    svc.words
                        .iter()
                        .any(|s| *w == s || (!s.is_ascii() && w.contains(s)))
                })
                .map(|(i, _)| i)
                .collect();
            if positions.is_empty() {
                continue;
            }
            // The resource: an ARN in the clause, else the word after a
            // service noun ("bucket uploads"), else the word before one
            // ("the uploads bucket").
            let arn_in_text = words.iter().find(|w| w.starts_with("arn:"));
            let usable = |w: &&String| {
                is_name(w) && !is_verb(w) && !svc.words.contains(&w.to_lowercase().as_str())
            };
            let after = positions
                .iter()
                .find_map(|&p| words.get(p + 1).filter(usable));
            let before = positions
                .iter()
                .find_map(|&p| p.checked_sub(1).and_then(|q| words.get(q)).filter(usable));
            let name = after.or(before);
            let resource = match (arn_in_text, name) {
                (Some(a), _) => a.clone(),
                (None, Some(n)) => svc
                    .arn
                    .replace("{name}", n)
                    .replace("{region}", &region)
                    .replace("{account}", &account),
                (None, None) => {
                    named_nothing.push(clause.trim().to_string());
                    "*".into()
                }
            };
            for (verbs, actions) in svc.verbs {
                if !has(verbs) {
                    continue;
                }
                for a in *actions {
                    let Some(id) = c.lookup(a) else { continue };
                    let a = c.action_name(id);
                    let r = if a == "s3:ListBucket" || !a.starts_with("s3:") || resource == "*" {
                        resource.clone()
                    } else {
                        format!("{resource}/*")
                    };
                    grants.entry(a).or_default().insert(r);
                    matched = true;
                }
            }
        }
        if !matched {
            unmatched.push(clause.trim().to_string());
        }
    }
    let mut notes = vec![
        "Generated offline from the description's verbs and resource names (not by a model); review it before use.".to_string(),
    ];
    if account == "*" || region == "*" {
        notes.push(
            "No account id or region was given: the ARNs use \"*\" there; put yours in.".into(),
        );
    }
    if !named_nothing.is_empty() {
        notes.push(format!(
            "No resource name found in: {} — the policy uses \"*\"; name the resource (\"bucket my-uploads\").",
            named_nothing.join("; ")
        ));
    }
    Generated {
        policy: build(grants),
        notes,
        unmatched,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statements(g: &Generated) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for s in g.policy["Statement"].as_array().unwrap() {
            let acts: Vec<String> = match &s["Action"] {
                Value::String(a) => vec![a.clone()],
                Value::Array(v) => v.iter().map(|a| a.as_str().unwrap().to_string()).collect(),
                _ => vec![],
            };
            let res: Vec<String> = match &s["Resource"] {
                Value::String(a) => vec![a.clone()],
                Value::Array(v) => v.iter().map(|a| a.as_str().unwrap().to_string()).collect(),
                _ => vec![],
            };
            for a in &acts {
                for r in &res {
                    out.push((a.clone(), r.clone()));
                }
            }
        }
        out
    }

    #[test]
    fn description_names_exact_actions_and_resources() {
        let c = Catalog::embedded();
        let g = from_description(
            c,
            "Read and upload objects in bucket acme-uploads, write items to table orders in 123456789012 us-east-1; send messages to queue jobs",
        );
        let s = statements(&g);
        assert!(
            s.contains(&("s3:GetObject".into(), "arn:aws:s3:::acme-uploads/*".into())),
            "{s:?}"
        );
        assert!(s.contains(&("s3:PutObject".into(), "arn:aws:s3:::acme-uploads/*".into())));
        assert!(s.contains(&(
            "dynamodb:PutItem".into(),
            "arn:aws:dynamodb:us-east-1:123456789012:table/orders".into()
        )));
        assert!(
            s.contains(&(
                "sqs:SendMessage".into(),
                "arn:aws:sqs:us-east-1:123456789012:jobs".into()
            )),
            "the account and region apply to every clause: {s:?}"
        );
        assert!(
            !s.iter().any(|(a, _)| a.contains('*')),
            "no wildcard actions: {s:?}"
        );
        assert!(g.unmatched.is_empty(), "{:?}", g.unmatched);
    }

    #[test]
    fn description_in_japanese_and_korean() {
        let c = Catalog::embedded();
        let s = statements(&from_description(c, "バケット reports を読む"));
        assert!(
            s.contains(&("s3:GetObject".into(), "arn:aws:s3:::reports/*".into())),
            "{s:?}"
        );
        let s = statements(&from_description(c, "버킷 reports 에서 파일을 읽기"));
        assert!(
            s.contains(&("s3:GetObject".into(), "arn:aws:s3:::reports/*".into())),
            "{s:?}"
        );
    }

    #[test]
    fn nonsense_maps_to_nothing_and_says_so() {
        let c = Catalog::embedded();
        let g = from_description(c, "make everything secure please");
        assert!(g.policy["Statement"].as_array().unwrap().is_empty());
        assert_eq!(
            g.unmatched,
            vec!["make everything secure please".to_string()]
        );
        let g = from_description(c, "");
        assert!(g.policy["Statement"].as_array().unwrap().is_empty());
    }

    #[test]
    fn activity_maps_event_names_to_actions_and_buckets() {
        let c = Catalog::embedded();
        let o = |src: &str, name: &str, b: Option<&str>| Observed {
            event_source: src.into(),
            event_name: name.into(),
            bucket: b.map(String::from),
            key: None,
        };
        let g = from_activity(
            c,
            &[
                o("s3.amazonaws.com", "PutObject", Some("up")),
                o("s3.amazonaws.com", "ListObjectsV2", Some("up")),
                o("sts.amazonaws.com", "GetCallerIdentity", None),
                o("bedrock.amazonaws.com", "InvokeModel", None),
                o("made-up.amazonaws.com", "DoThing", None),
            ],
        );
        let s = statements(&g);
        assert!(
            s.contains(&("s3:PutObject".into(), "arn:aws:s3:::up/*".into())),
            "{s:?}"
        );
        assert!(s.contains(&("s3:ListBucket".into(), "arn:aws:s3:::up".into())));
        assert!(s.contains(&("bedrock:InvokeModel".into(), "*".into())));
        assert!(!s.iter().any(|(a, _)| a.starts_with("sts:")));
        assert_eq!(g.unmatched, vec!["made-up:DoThing".to_string()]);
        assert!(g.notes.iter().any(|n| n.contains("bedrock:InvokeModel")));
    }
}
