//! The offline planner: a question in English, Korean or Japanese becomes
//! a [`Plan`] — an intent, a time window, sources, entities and topics —
//! that runs as store queries. No model is involved; the words it knows are
//! listed here, so what it understands can be read and extended.

use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};
use warden_store::{Filter, Store, StoreError};

use crate::when::{self, Window, DAY};

/// What the question asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    /// Explain one incident by id.
    ExplainIncident,
    /// The most dangerous incidents.
    TopThreats,
    /// What a principal, key or address did.
    ActorActivity,
    /// Who (or which address) did something.
    WhoDid,
    /// Is anything touching / exposing a topic.
    Exposure,
    /// Counts.
    Count,
    /// Overview of a source or a period.
    Summarise,
    /// Keyword search when nothing else fits.
    Search,
}

/// A subject the question is about, mapped to stored event names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Topic {
    pub name: String,
    pub event_names: Vec<String>,
    pub failed_only: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub intent: Intent,
    pub language: String,
    pub window: Option<Window>,
    /// Sources asked about (cloudtrail, guardduty, bedrock, okta).
    pub kinds: Vec<String>,
    /// Names as the question wrote them, and the stored principals they matched.
    pub actors: Vec<String>,
    pub principals: Vec<String>,
    /// User or role names an actor matched exactly (all their sessions).
    #[serde(default)]
    pub user_names: Vec<String>,
    pub source_ips: Vec<String>,
    pub access_keys: Vec<String>,
    pub topics: Vec<Topic>,
    pub failed_only: bool,
    pub incident: Option<String>,
    /// For who-did questions: group by address instead of principal.
    pub by_ip: bool,
    /// Words left for a full-text search.
    pub keywords: Vec<String>,
    /// What the planner did, in order (shown with `--format json`).
    pub steps: Vec<String>,
}

impl Plan {
    /// Is this principal ARN one the question is about: matched, or a
    /// session of a user or role it named?
    pub fn is_actor(&self, principal: &str) -> bool {
        self.principals.iter().any(|p| p == principal)
            || self.user_names.iter().any(|n| {
                let p = principal.to_ascii_lowercase();
                let n = n.to_ascii_lowercase();
                p == n || p.ends_with(&format!("/{n}")) || p.contains(&format!("/{n}/"))
            })
    }

    pub fn filter(&self) -> Filter {
        Filter {
            since_ms: self.window.as_ref().map(|w| w.since_ms),
            until_ms: self.window.as_ref().map(|w| w.until_ms),
            kinds: self.kinds.clone(),
            principals: self.principals.clone(),
            user_names: self.user_names.clone(),
            access_keys: self.access_keys.clone(),
            source_ips: self.source_ips.clone(),
            event_names: self
                .topics
                .iter()
                .flat_map(|t| t.event_names.iter().cloned())
                .collect(),
            failed_only: self.failed_only || self.topics.iter().any(|t| t.failed_only),
            ..Filter::default()
        }
    }
}

/// Topics: words in three languages → event names (exact, or `*` for
/// "contains", matched against the names in the store).
const TOPICS: &[(&str, &[&str], &[&str], bool)] = &[
    (
        "failed console login",
        &[
            "failed console login",
            "console login failure",
            "console sign-in failure",
            "failed to sign in to the console",
            "콘솔 로그인 실패",
            "콘솔 로그인에 실패",
            "실패한 콘솔 로그인",
            "コンソールログイン失敗",
            "コンソールログインに失敗",
            "失敗したコンソールログイン",
            "コンソールへのログインに失敗",
        ],
        &["ConsoleLogin"],
        true,
    ),
    (
        "failed sign-ins",
        &[
            "failed login",
            "failed logins",
            "failed okta login",
            "failed okta logins",
            "failed sign-in",
            "failed sign-ins",
            "login failures",
            "failed authentication",
            "login failure",
            "failed to log in",
            "로그인 실패",
            "로그인에 실패",
            "실패한 로그인",
            "ログイン失敗",
            "ログインに失敗",
            "失敗したログイン",
        ],
        &["ConsoleLogin", "user.session.start"],
        true,
    ),
    (
        "console login",
        &[
            "console login",
            "console sign-in",
            "console signin",
            "sign in to the console",
            "콘솔 로그인",
            "콘솔에 로그인",
            "コンソールログイン",
            "コンソールへのログイン",
        ],
        &["ConsoleLogin"],
        false,
    ),
    (
        "Bedrock logging",
        &[
            "bedrock logging",
            "invocation logging",
            "model invocation log",
            "베드록 로깅",
            "bedrock 로깅",
            "호출 로깅",
            "bedrockのログ",
            "bedrock ログ",
            "呼び出しログ",
        ],
        &["*ModelInvocationLogging*"],
        false,
    ),
    (
        "CloudTrail logging",
        &[
            "stoplogging",
            "stop logging",
            "stopped logging",
            "deleted the trail",
            "delete the trail",
            "trail deleted",
            "cloudtrail logging",
            "trail",
            "트레일",
            "로깅 중지",
            "ログ記録の停止",
            "証跡",
        ],
        &[
            "StopLogging",
            "DeleteTrail",
            "UpdateTrail",
            "PutEventSelectors",
        ],
        false,
    ),
    (
        "public S3 bucket",
        &[
            "public bucket",
            "bucket public",
            "made public",
            "public access",
            "bucket policy",
            "퍼블릭 버킷",
            "버킷 공개",
            "공개 버킷",
            "공개된",
            "공개",
            "バケットの公開",
            "バケットを公開",
            "公開バケット",
            "公開",
            "パブリック",
        ],
        &[
            "PutBucketPolicy",
            "DeleteBucketPublicAccessBlock",
            "PutBucketAcl",
            "PutPublicAccessBlock",
            "PutAccountPublicAccessBlock",
            "DeleteAccountPublicAccessBlock",
        ],
        false,
    ),
    (
        "access keys",
        &["access key", "액세스 키", "アクセスキー"],
        &["CreateAccessKey", "UpdateAccessKey", "DeleteAccessKey"],
        false,
    ),
    (
        "new IAM users",
        &[
            "created a user",
            "create user",
            "new user",
            "created user",
            "사용자 생성",
            "사용자를 만든",
            "새 사용자",
            "ユーザー作成",
            "ユーザーを作成",
            "新しいユーザー",
        ],
        &["CreateUser", "CreateLoginProfile", "user.lifecycle.create"],
        false,
    ),
    (
        "admin privileges",
        &[
            "admin",
            "administrator",
            "privilege",
            "관리자",
            "권한",
            "管理者",
            "権限",
        ],
        &[
            "AttachUserPolicy",
            "AttachRolePolicy",
            "PutUserPolicy",
            "PutRolePolicy",
            "AddUserToGroup",
            "user.account.privilege.grant",
            "group.user_membership.add",
        ],
        false,
    ),
    (
        "MFA",
        &[
            "mfa",
            "multi-factor",
            "second factor",
            "다중 인증",
            "2단계",
            "多要素",
            "二要素",
        ],
        &[
            "*mfa*",
            "*MFA*",
            "DeactivateMFADevice",
            "DeleteVirtualMFADevice",
        ],
        false,
    ),
    (
        "API tokens",
        &["api token", "api 토큰", "apiトークン", "api トークン"],
        &["system.api_token.create", "system.api_token.revoke"],
        false,
    ),
    (
        "secrets",
        &[
            "secret",
            "secrets manager",
            "시크릿",
            "비밀",
            "シークレット",
        ],
        &["GetSecretValue", "PutSecretValue", "DeleteSecret"],
        false,
    ),
    (
        "deletions",
        &["deleted", "delete", "삭제", "削除"],
        &["*Delete*"],
        false,
    ),
    (
        "access denied",
        &["access denied", "accessdenied", "denied", "거부", "拒否"],
        &[],
        true,
    ),
    (
        "image uploads",
        &["image upload", "uploaded image", "image", "이미지", "画像"],
        &["PutObject"],
        false,
    ),
    (
        "root",
        &["root user", "root account", "root", "루트", "ルート"],
        &[],
        false,
    ),
];

/// Source names in three languages.
const SOURCES: &[(&str, &[&str])] = &[
    (
        "guardduty",
        &[
            "guardduty",
            "guard duty",
            "가드듀티",
            "finding",
            "findings",
            "탐지 결과",
            "検出結果",
            "ファインディング",
        ],
    ),
    ("okta", &["okta", "옥타", "オクタ"]),
    (
        "bedrock",
        &[
            "bedrock invocation",
            "model invocation",
            "invocation log",
            "llm call",
            "베드록 호출",
            "モデル呼び出し",
        ],
    ),
    (
        "cloudtrail",
        &[
            "cloudtrail",
            "클라우드트레일",
            "api call",
            "api 호출",
            "api呼び出し",
        ],
    ),
];

fn any_word(q: &str, words: &[&str]) -> bool {
    words.iter().any(|w| contains_word(q, w))
}

/// `w` in `q` on word boundaries for ASCII words (so "trail" is not found
/// in "contrail"), anywhere for Korean and Japanese.
fn contains_word(q: &str, w: &str) -> bool {
    if !w.is_ascii() {
        return q.contains(w);
    }
    let mut from = 0;
    while let Some(i) = q[from..].find(w) {
        let s = from + i;
        let e = s + w.len();
        let before = q[..s].chars().next_back();
        // Plurals count: "access keys", "privileges".
        let e = if q[e..].starts_with("es") && !w.ends_with('s') {
            e + 2
        } else if q[e..].starts_with('s') && !w.ends_with('s') {
            e + 1
        } else {
            e
        };
        let after = q[e..].chars().next();
        let edge = |c: Option<char>| c.is_none_or(|c| !c.is_ascii_alphanumeric());
        if edge(before) && edge(after) {
            return true;
        }
        from = e;
    }
    false
}

fn intent_of(q: &str, has_actor: bool, has_topic: bool, by_ip: bool) -> Intent {
    let explain = [
        "explain",
        "describe",
        "tell me about",
        "details of",
        "설명",
        "자세히",
        "説明",
        "詳しく",
        "詳細",
    ];
    let top = [
        "most dangerous",
        "top threat",
        "biggest threat",
        "worst",
        "most severe",
        "riskiest",
        "highest risk",
        "most critical",
        "critical incident",
        "top incident",
        "incidents",
        "threats",
        "가장 위험",
        "위험한",
        "심각한",
        "위협",
        "인시던트",
        "最も危険",
        "一番危険",
        "危険な",
        "深刻な",
        "脅威",
        "インシデント",
    ];
    let who = [
        "who",
        "which ip",
        "which ips",
        "which user",
        "which users",
        "which principal",
        "which principals",
        "which address",
        "which addresses",
        "what ip",
        "what ips",
        "which account",
        "which role",
        "which roles",
        "누가",
        "누구",
        "어떤 ip",
        "어느 ip",
        "어떤 사용자",
        "誰が",
        "だれが",
        "どのip",
        "どのユーザー",
        "どのアドレス",
    ];
    let what_did = [
        "what did",
        "what has",
        "activity of",
        "activity for",
        "actions of",
        "did what",
        "뭘 했",
        "무엇을 했",
        "뭐 했",
        "무슨 일을 했",
        "활동",
        "다른 것도",
        "何をした",
        "何をしました",
        "の操作",
        "の行動",
        "の活動",
        "他に何か",
    ];
    let exposure = [
        "touching",
        "exposed",
        "exposure",
        "public",
        "anything about",
        "anything related",
        "any change",
        "changed",
        "노출",
        "공개",
        "건드린",
        "변경",
        "触れ",
        "公開",
        "露出",
        "変更",
    ];
    let count = [
        "how many",
        "count",
        "number of",
        "몇 건",
        "몇 개",
        "몇",
        "何件",
        "いくつ",
        "件数",
    ];
    let summary = [
        "summarise",
        "summarize",
        "summary",
        "summarising",
        "summarizing",
        "overview",
        "what happened",
        "recap",
        "요약",
        "정리",
        "무슨 일",
        "개요",
        "まとめ",
        "要約",
        "概要",
        "何があった",
    ];
    if any_word(q, &who) || (by_ip && has_topic && !has_actor && !any_word(q, &count)) {
        return Intent::WhoDid;
    }
    if has_actor && (any_word(q, &what_did) || !has_topic) {
        return Intent::ActorActivity;
    }
    if any_word(q, &count) {
        return Intent::Count;
    }
    if any_word(q, &summary) {
        return Intent::Summarise;
    }
    if any_word(q, &exposure) && has_topic {
        return Intent::Exposure;
    }
    if any_word(q, &top) {
        return Intent::TopThreats;
    }
    if has_topic {
        return Intent::Exposure;
    }
    if any_word(q, &explain) {
        return Intent::TopThreats;
    }
    Intent::Search
}

const STOPWORDS: &[&str] = &[
    "the",
    "a",
    "an",
    "of",
    "in",
    "on",
    "for",
    "to",
    "and",
    "or",
    "is",
    "are",
    "was",
    "were",
    "did",
    "do",
    "does",
    "what",
    "which",
    "who",
    "any",
    "anything",
    "me",
    "show",
    "tell",
    "about",
    "last",
    "past",
    "hours",
    "days",
    "day",
    "yesterday",
    "today",
    "week",
    "with",
    "from",
    "by",
    "that",
    "this",
    "there",
    "it",
    "its",
    "have",
    "has",
    "been",
    "user",
    "users",
    "all",
    "please",
    "find",
    "list",
    "give",
    "events",
    "event",
];

/// `name.ext`: an object key or file, not a user.
fn regex_file() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?i)\.(jpe?g|png|gif|webp|pdf|csv|json|gz|zip|txt|docx?|xlsx?|parquet|log|html?|tiff?|bmp|heic)$").unwrap())
}

/// Plan a question. `now_ms` anchors relative times; `previous` is the
/// thread's last plan, for follow-ups.
pub fn plan(
    store: &Store,
    question: &str,
    now_ms: i64,
    previous: Option<&Plan>,
) -> Result<Plan, StoreError> {
    static RE: OnceLock<[Regex; 5]> = OnceLock::new();
    let [ip_re, key_re, inc_re, arn_re, name_re] = RE.get_or_init(|| {
        [
            Regex::new(
                r"\b(?:\d{1,3}\.){3}\d{1,3}\b|\b[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{0,4}){2,7}\b",
            )
            .unwrap(),
            Regex::new(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b").unwrap(),
            Regex::new(r"(?i)INC-[0-9a-f]{4,}").unwrap(),
            Regex::new(r"arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{12}:[A-Za-z0-9+=,.@_/:-]+")
                .unwrap(),
            Regex::new(r"[A-Za-z0-9][A-Za-z0-9._@+-]*[A-Za-z0-9]").unwrap(),
        ]
    });
    let language = warden_guard::output::language(question).to_string();
    let q = question.to_lowercase();
    let mut steps = Vec::new();
    let mut p = Plan {
        intent: Intent::Search,
        language,
        window: when::parse(question, now_ms),
        kinds: Vec::new(),
        actors: Vec::new(),
        principals: Vec::new(),
        user_names: Vec::new(),
        source_ips: ip_re
            .find_iter(question)
            .map(|m| m.as_str().to_string())
            .collect(),
        access_keys: key_re
            .find_iter(question)
            .map(|m| m.as_str().to_string())
            .collect(),
        topics: Vec::new(),
        failed_only: false,
        incident: inc_re
            .find(question)
            .map(|m| format!("INC-{}", m.as_str()[4..].to_ascii_lowercase())),
        by_ip: false,
        keywords: Vec::new(),
        steps: Vec::new(),
    };
    if let Some(w) = &p.window {
        steps.push(format!("time window from '{}'", w.said));
    }
    for (kind, words) in SOURCES {
        if any_word(&q, words) {
            p.kinds.push(kind.to_string());
        }
    }
    if !p.kinds.is_empty() {
        steps.push(format!("sources: {}", p.kinds.join(", ")));
    }
    // Topics: the most specific phrase wins over its parts.
    let names = store.event_names()?;
    for (name, words, events, failed) in TOPICS {
        if !any_word(&q, words) {
            continue;
        }
        let login = |n: &str| n.contains("login") || n.contains("sign-in");
        if p.topics.iter().any(|t| {
            t.name.contains(name)
                || name.contains(t.name.as_str())
                || (login(&t.name) && login(name))
        }) {
            continue;
        }
        let mut ev = Vec::new();
        for e in events.iter() {
            if let Some(pat) = e.strip_prefix('*').and_then(|e| e.strip_suffix('*')) {
                for (n, _) in &names {
                    if n.to_lowercase().contains(&pat.to_lowercase()) && !ev.contains(n) {
                        ev.push(n.clone());
                    }
                }
            } else if !ev.contains(&e.to_string()) {
                ev.push(e.to_string());
            }
        }
        if *name == "root" {
            p.actors.push("root".into());
            continue;
        }
        p.topics.push(Topic {
            name: name.to_string(),
            event_names: ev,
            failed_only: *failed,
        });
    }
    // API names written as such ("StopLogging", "user.session.start").
    for m in name_re.find_iter(question) {
        if let Some((n, _)) = names
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(m.as_str()))
        {
            if !p.topics.iter().any(|t| t.event_names.contains(n)) {
                p.topics.push(Topic {
                    name: n.clone(),
                    event_names: vec![n.clone()],
                    failed_only: false,
                });
            }
        }
    }
    // Specific topics first; "deletions" and "admin" only when nothing narrower matched.
    let broad = |t: &Topic| t.name == "deletions" || t.name == "admin privileges";
    if p.topics.iter().any(|t| !broad(t)) {
        p.topics.retain(|t| !broad(t));
    }
    if !p.topics.is_empty() {
        steps.push(format!(
            "topics: {}",
            p.topics
                .iter()
                .map(|t| t.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    p.failed_only = any_word(
        &q,
        &[
            "failed",
            "failure",
            "failing",
            "unsuccessful",
            "실패",
            "失敗",
        ],
    );
    p.by_ip = any_word(
        &q,
        &[
            "ip",
            "address",
            "addresses",
            "주소",
            "アドレス",
            "どこから",
            "어디서",
            "어디에서",
        ],
    ) || q.contains("ip는")
        || q.contains("ip가")
        || q.contains("ipは")
        || q.contains("ipアドレス");
    // Actors: ARNs, then names the store knows.
    for m in arn_re.find_iter(question) {
        p.actors.push(m.as_str().to_string());
    }
    let known_names: Vec<&str> = names.iter().map(|(n, _)| n.as_str()).collect();
    for m in name_re.find_iter(question) {
        let t = m.as_str();
        let tl = t.to_lowercase();
        let looks_like_name = t.contains(['.', '-', '_', '@'])
            || ["user ", "role ", "principal "]
                .iter()
                .any(|w| question[..m.start()].to_lowercase().ends_with(w));
        if t.len() < 3
            || STOPWORDS.contains(&tl.as_str())
            || !looks_like_name
            || known_names.iter().any(|n| n.eq_ignore_ascii_case(t))
            || ip_re.is_match(t)
            || key_re.is_match(t)
            || inc_re.is_match(t)
            || t.starts_with("arn:")
            || t.chars()
                .all(|c| c.is_ascii_digit() || c == '-' || c == '.')
            || SOURCES.iter().any(|(k, _)| *k == tl)
            || [
                "guardduty",
                "okta",
                "bedrock",
                "cloudtrail",
                "aws",
                "mfa",
                "api",
                "s3",
                "iam",
                "ip",
                "ips",
                "sso",
            ]
            .contains(&tl.as_str())
        {
            continue;
        }
        let found = resolve_actor(store, t)?;
        let before = question[..m.start()].to_lowercase();
        let named_as_user = [
            "user ",
            "role ",
            "principal ",
            "사용자 ",
            "유저 ",
            "ユーザー",
            "ロール",
        ]
        .iter()
        .any(|w| before.trim_end().ends_with(w.trim_end()));
        let asks_activity = any_word(
            &q,
            &[
                "what did",
                "what has",
                "activity of",
                "뭘 했",
                "무엇을 했",
                "何をした",
                "何をしました",
            ],
        );
        let file_like = regex_file().is_match(t);
        if !found.is_empty() && (t.contains(['.', '-', '_', '@']) || named_as_user) {
            p.actors.push(t.to_string());
        } else if found.is_empty()
            && !file_like
            && (t.contains('@') || named_as_user || asks_activity)
        {
            // A name the store does not know: keep it, the answer says so.
            p.actors.push(t.to_string());
        }
    }
    p.actors.dedup();
    for a in &p.actors.clone() {
        let found = if a == "root" {
            Actor::Principals(store.principals_like(":root")?)
        } else {
            resolve_actor(store, a)?
        };
        match found {
            Actor::Names(names) => {
                steps.push(format!(
                    "'{a}' is a stored user or role name (all its sessions)"
                ));
                for n in names {
                    if !p.user_names.contains(&n) {
                        p.user_names.push(n);
                    }
                }
            }
            Actor::Principals(found) => {
                steps.push(format!("'{a}' matched {} stored principal(s)", found.len()));
                for f in found {
                    if !p.principals.contains(&f) {
                        p.principals.push(f);
                    }
                }
            }
        }
    }
    // Follow-ups: inherit what this question leaves out.
    if let Some(prev) = previous {
        let pronoun = any_word(
            &q,
            &[
                "that user",
                "this user",
                "that principal",
                "he",
                "she",
                "they",
                "them",
                "it",
                "that ip",
                "that key",
                "그 사용자",
                "그 유저",
                "그는",
                "그녀",
                "그 계정",
                "その人",
                "そのユーザー",
                "彼",
                "彼女",
                "そのアカウント",
            ],
        );
        let day_before = when::is_day_before(question);
        if p.window.is_none() {
            if let (true, Some(w)) = (day_before, &prev.window) {
                p.window = Some(when::shift(w, -DAY, "the day before"));
                steps.push("follow-up: the previous window, one day earlier".into());
            } else {
                p.window = prev.window.clone();
            }
        }
        let no_subject = p.actors.is_empty() && p.source_ips.is_empty() && p.access_keys.is_empty();
        if no_subject && (pronoun || day_before || p.topics.is_empty()) {
            p.actors = prev.actors.clone();
            p.principals = prev.principals.clone();
            p.user_names = prev.user_names.clone();
            p.source_ips = prev.source_ips.clone();
            p.access_keys = prev.access_keys.clone();
            if day_before {
                p.topics = prev.topics.clone();
                p.kinds = prev.kinds.clone();
                p.failed_only = prev.failed_only;
                p.by_ip = prev.by_ip;
            }
            if !p.actors.is_empty() || !p.source_ips.is_empty() || !p.access_keys.is_empty() {
                steps.push("follow-up: same subject as the previous question".into());
            }
        }
        if day_before && p.incident.is_none() {
            p.intent = prev.intent;
            p.incident = prev.incident.clone();
        }
    }
    let has_actor = !p.actors.is_empty() || !p.source_ips.is_empty() || !p.access_keys.is_empty();
    let inherited_intent = previous.is_some() && when::is_day_before(question);
    if !inherited_intent {
        p.intent = if p.incident.is_some() {
            Intent::ExplainIncident
        } else {
            intent_of(&q, has_actor, !p.topics.is_empty(), p.by_ip)
        };
    }
    if p.intent == Intent::Search {
        p.keywords = name_re
            .find_iter(question)
            .map(|m| m.as_str().to_string())
            .filter(|w| w.len() > 2 && !STOPWORDS.contains(&w.to_lowercase().as_str()))
            .collect();
    }
    steps.insert(0, format!("intent: {:?}", p.intent));
    p.steps = steps;
    Ok(p)
}

/// What an actor named in a question matched in the store.
pub(crate) enum Actor {
    /// A user or role name, exactly: every session of it.
    Names(Vec<String>),
    /// Principals whose ARN or name contains the text.
    Principals(Vec<String>),
}

impl Actor {
    fn is_empty(&self) -> bool {
        match self {
            Actor::Names(v) | Actor::Principals(v) => v.is_empty(),
        }
    }
}

/// An exact user or role name first (an index lookup, and it covers all
/// of a role's sessions), else principals containing the text.
pub(crate) fn resolve_actor(store: &Store, name: &str) -> Result<Actor, StoreError> {
    let names = store.user_names(name)?;
    if !names.is_empty() {
        return Ok(Actor::Names(names));
    }
    Ok(Actor::Principals(store.principals_like(name)?))
}
