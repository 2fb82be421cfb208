//! The Slack app: `/ask-aws` slash commands and `@warden` mentions.
//!
//! Slack's rules, each enforced here:
//! - every request is signed: `v0=` + HMAC-SHA256 of `v0:{timestamp}:{body}`
//!   with the signing secret, compared in constant time; timestamps more
//!   than five minutes away are refused (replays);
//! - acknowledge within three seconds: the handler answers at once and the
//!   answer follows through `response_url` or `chat.postMessage`;
//! - Slack retries unacknowledged events (`X-Slack-Retry-Num`): each
//!   `event_id` is handled once;
//! - anything that came from logs is escaped (`&`, `<`, `>`), so a log line
//!   cannot mention `<!channel>` or plant a link, and links are not
//!   unfurled;
//! - Block Kit limits: a section holds at most 3,000 characters and a
//!   message 50 blocks, so long answers are split.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// Oldest request timestamp accepted, seconds either side of now.
pub const MAX_SKEW_SECS: i64 = 300;
/// Characters per section block (Slack allows 3,000).
const SECTION_CHARS: usize = 2_900;
/// Blocks per message (Slack allows 50).
const MESSAGE_BLOCKS: usize = 45;
/// How long an event id is remembered for deduplication.
const SEEN_TTL: Duration = Duration::from_secs(3600);

/// Slack settings, from `SLACK_SIGNING_SECRET`, `SLACK_BOT_TOKEN`,
/// `SLACK_APP_TOKEN` (Socket Mode) and `WARDEN_SLACK_API_URL` (tests point
/// it at a local server).
#[derive(Clone)]
pub struct SlackConfig {
    /// Checks requests to the HTTP endpoints; not needed in Socket Mode.
    pub signing_secret: Option<String>,
    pub bot_token: Option<String>,
    /// An app-level token (`xapp-…`): Socket Mode, for deployments Slack
    /// cannot reach over HTTPS.
    pub app_token: Option<String>,
    pub api_base: String,
}

impl std::fmt::Debug for SlackConfig {
    // Secrets are never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SlackConfig")
            .field(
                "signing_secret",
                &self.signing_secret.as_ref().map(|_| "<set>"),
            )
            .field("bot_token", &self.bot_token.as_ref().map(|_| "<set>"))
            .field("app_token", &self.app_token.as_ref().map(|_| "<set>"))
            .field("api_base", &self.api_base)
            .finish()
    }
}

impl SlackConfig {
    pub fn from_env() -> Option<SlackConfig> {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        SlackConfig::from_values(
            env("SLACK_SIGNING_SECRET"),
            env("SLACK_BOT_TOKEN"),
            env("SLACK_APP_TOKEN"),
        )
    }

    /// Slack is on when there is a signing secret (HTTP endpoints) or an
    /// app token (Socket Mode).
    pub fn from_values(
        signing_secret: Option<String>,
        bot_token: Option<String>,
        app_token: Option<String>,
    ) -> Option<SlackConfig> {
        if signing_secret.is_none() && app_token.is_none() {
            return None;
        }
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        Some(SlackConfig {
            signing_secret,
            bot_token,
            app_token,
            api_base: env("WARDEN_SLACK_API_URL").unwrap_or_else(|| "https://slack.com/api".into()),
        })
    }
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("missing X-Slack-Request-Timestamp or X-Slack-Signature")]
    Missing,
    #[error("the request timestamp is not a number")]
    BadTimestamp,
    #[error("the request timestamp is more than 5 minutes from now (a replay?)")]
    Stale,
    #[error("the signature does not match")]
    Mismatch,
}

/// Check a request's Slack signature.
pub fn verify(
    secret: &str,
    timestamp: Option<&str>,
    signature: Option<&str>,
    body: &[u8],
    now_secs: i64,
) -> Result<(), SignatureError> {
    let (Some(ts), Some(sig)) = (timestamp, signature) else {
        return Err(SignatureError::Missing);
    };
    let t: i64 = ts
        .trim()
        .parse()
        .map_err(|_| SignatureError::BadTimestamp)?;
    if (now_secs - t).abs() > MAX_SKEW_SECS {
        return Err(SignatureError::Stale);
    }
    let tag = sig
        .strip_prefix("v0=")
        .and_then(unhex)
        .ok_or(SignatureError::Mismatch)?;
    let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, secret.as_bytes());
    let mut msg = Vec::with_capacity(body.len() + ts.len() + 4);
    msg.extend_from_slice(b"v0:");
    msg.extend_from_slice(ts.as_bytes());
    msg.push(b':');
    msg.extend_from_slice(body);
    // Constant-time comparison.
    aws_lc_rs::hmac::verify(&key, &msg, &tag).map_err(|_| SignatureError::Mismatch)
}

/// Sign as Slack does (tests and the local simulator).
pub fn sign(secret: &str, timestamp: &str, body: &[u8]) -> String {
    let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, secret.as_bytes());
    let mut msg = format!("v0:{timestamp}:").into_bytes();
    msg.extend_from_slice(body);
    let tag = aws_lc_rs::hmac::sign(&key, &msg);
    let hex: String = tag.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    format!("v0={hex}")
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if s.len() != 64 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

pub use warden_respond::slack::escape;

/// Split already-escaped text into messages of section blocks within
/// Slack's limits, breaking at lines (or inside a line that is too long,
/// never inside an `&…;` entity).
pub fn messages(text: &str) -> Vec<Vec<Value>> {
    let mut chunks: Vec<String> = Vec::new();
    let mut cur = String::new();
    for line in text.lines() {
        let mut line = line;
        while line.chars().count() > SECTION_CHARS {
            let mut cut = line
                .char_indices()
                .nth(SECTION_CHARS)
                .map(|(i, _)| i)
                .unwrap_or(line.len());
            if let Some(amp) = line[..cut].rfind('&') {
                if cut - amp < 6 && !line[amp..cut].contains(';') {
                    cut = amp;
                }
            }
            if !cur.is_empty() {
                chunks.push(std::mem::take(&mut cur));
            }
            chunks.push(line[..cut].to_string());
            line = &line[cut..];
        }
        if cur.chars().count() + line.chars().count() + 1 > SECTION_CHARS {
            chunks.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push('\n');
        }
        cur.push_str(line);
    }
    if !cur.is_empty() || chunks.is_empty() {
        chunks.push(cur);
    }
    chunks
        .chunks(MESSAGE_BLOCKS)
        .map(|c| {
            c.iter()
                .map(|t| json!({"type": "section", "text": {"type": "mrkdwn", "text": t}}))
                .collect()
        })
        .collect()
}

/// The Slack text of an answer: its sentences, then what each citation
/// label points at. Everything is escaped: it quotes log content.
pub fn answer_text(a: &warden_assistant::Answer) -> String {
    let mut t = escape(&a.text);
    if !a.citations.is_empty() {
        t.push_str("\n\n");
        for c in &a.citations {
            t.push_str(&format!(
                "`{}` {}\n",
                escape(&c.label),
                escape(&c.description)
            ));
        }
    }
    t
}

/// Answers being worked on: acknowledging is cheap, answering is not,
/// so a burst of commands queues at most [`Jobs::MAX`] answers.
#[derive(Default)]
pub struct Jobs {
    pending: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

/// One admitted answer; dropping it frees the place.
pub struct Job(std::sync::Arc<std::sync::atomic::AtomicUsize>);

impl Drop for Job {
    fn drop(&mut self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
    }
}

impl Jobs {
    pub const MAX: usize = 64;

    pub fn admit(&self) -> Option<Job> {
        let n = self
            .pending
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        let job = Job(self.pending.clone());
        (n < Self::MAX).then_some(job)
    }
}

/// Event ids already handled (Slack retries until acknowledged).
#[derive(Default)]
pub struct SeenEvents {
    seen: Mutex<HashMap<String, Instant>>,
}

impl SeenEvents {
    /// `true` the first time an id is offered (within an hour).
    pub fn first(&self, id: &str) -> bool {
        let mut m = self.seen.lock().unwrap();
        m.retain(|_, t| t.elapsed() < SEEN_TTL);
        m.insert(id.to_string(), Instant::now()).is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_and_fail_for_the_right_reasons() {
        let secret = "8f742231b10e8888abcd99yyyzzz85a5";
        let body = b"token=x&team_id=T1&command=%2Fask-aws&text=who+deleted+the+trail";
        let now = 1_800_000_000;
        let ts = now.to_string();
        let sig = sign(secret, &ts, body);
        assert_eq!(verify(secret, Some(&ts), Some(&sig), body, now), Ok(()));
        // An independent computation (Python's hmac) of one fixed case.
        assert_eq!(
            sign("s3cret", "1531420618", b"a=b"),
            "v0=9afc8bab5b7187332415aac495a66ea21eb45974bd468bb374855dfa284fd526"
        );
        let e = |ts: Option<&str>, sig: Option<&str>, body: &[u8], now| {
            verify(secret, ts, sig, body, now).unwrap_err()
        };
        assert_eq!(e(None, Some(&sig), body, now), SignatureError::Missing);
        assert_eq!(
            e(Some("soon"), Some(&sig), body, now),
            SignatureError::BadTimestamp
        );
        assert_eq!(
            e(Some(&ts), Some(&sig), body, now + 301),
            SignatureError::Stale
        );
        assert_eq!(
            e(Some(&ts), Some(&sig), b"token=x&text=other", now),
            SignatureError::Mismatch
        );
        assert_eq!(
            e(Some(&ts), Some("v0=zz"), body, now),
            SignatureError::Mismatch
        );
        assert_eq!(
            e(Some(&ts), Some(&sig[3..]), body, now),
            SignatureError::Mismatch
        );
        let other = sign("another-secret", &ts, body);
        assert_eq!(
            e(Some(&ts), Some(&other), body, now),
            SignatureError::Mismatch
        );
    }

    #[test]
    fn log_content_cannot_mention_or_link() {
        let t = escape("user <!channel> & <https://evil.example|click> <@U123>");
        assert_eq!(
            t,
            "user &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt; &lt;@U123&gt;"
        );
        assert!(!t.contains('<') && !t.contains('>'));
    }

    #[test]
    fn long_answers_split_within_block_kit_limits() {
        let line = escape(&"<x> ".repeat(2_000));
        let text = format!("{line}\nshort\n{}", "y".repeat(100_000));
        let msgs = messages(&text);
        let mut joined = String::new();
        for m in &msgs {
            assert!(m.len() <= 50);
            for b in m {
                let t = b["text"]["text"].as_str().unwrap();
                assert!(t.chars().count() <= 3_000, "{}", t.len());
                assert!(!t.ends_with("&lt") && !t.ends_with('&'), "entity split");
                joined.push_str(t);
            }
        }
        assert_eq!(
            joined.replace('\n', "").len(),
            text.replace('\n', "").len(),
            "nothing lost"
        );
        assert_eq!(messages("").len(), 1);
    }

    #[test]
    fn retries_are_handled_once() {
        let s = SeenEvents::default();
        assert!(s.first("Ev1"));
        assert!(!s.first("Ev1"));
        assert!(s.first("Ev2"));
    }
}

// ---- HTTP endpoints ----

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;

use crate::{ApiError, AppState};

fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// The Slack settings, and the request's signature checked.
/// Answers go only to Slack's own webhook host (or, in tests, to the
/// local Slack stand-in), so a forged payload cannot make warden post
/// log content elsewhere.
pub(crate) fn check_response_url(cfg: &SlackConfig, url: &str) -> Result<(), ApiError> {
    let local =
        cfg.api_base.starts_with("http://127.0.0.1:") && url.starts_with("http://127.0.0.1:");
    if !url.starts_with("https://hooks.slack.com/") && !local {
        return Err(ApiError::bad_request(
            "response_url is not a Slack URL (https://hooks.slack.com/…)",
        ));
    }
    Ok(())
}

pub(crate) fn verified<'a>(
    st: &'a AppState,
    h: &HeaderMap,
    body: &[u8],
) -> Result<&'a SlackConfig, ApiError> {
    let cfg = st.slack.as_ref().ok_or_else(|| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Slack is not configured: set SLACK_SIGNING_SECRET (and SLACK_BOT_TOKEN for mentions)",
        )
    })?;
    let secret = cfg.signing_secret.as_deref().ok_or_else(|| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "the Slack HTTP endpoints need SLACK_SIGNING_SECRET (this server takes Slack requests over Socket Mode)",
        )
    })?;
    let header = |k: &str| h.get(k).and_then(|v| v.to_str().ok());
    verify(
        secret,
        header("x-slack-request-timestamp"),
        header("x-slack-signature"),
        body,
        now_secs(),
    )
    .map_err(|e| {
        tracing::warn!(reason = %e, "refused a Slack request");
        ApiError::new(StatusCode::UNAUTHORIZED, format!("Slack signature: {e}"))
    })?;
    Ok(cfg)
}

#[derive(serde::Deserialize)]
pub(crate) struct Command {
    #[serde(default)]
    text: String,
    response_url: String,
    #[serde(default)]
    user_id: String,
}

/// `/ask-aws <question>`: acknowledged at once; the answer follows on
/// the command's `response_url`.
pub(crate) async fn commands(
    State(st): State<Arc<AppState>>,
    h: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let cfg = verified(&st, &h, &body)?.clone();
    let cmd: Command = serde_urlencoded::from_bytes(&body)
        .map_err(|e| ApiError::bad_request(format!("bad slash command form: {e}")))?;
    handle_command(st, cfg, cmd).await.map(Json)
}

/// A slash command, however it arrived (HTTP or Socket Mode): the
/// immediate reply; the answer is delivered later.
pub(crate) async fn handle_command(
    st: Arc<AppState>,
    cfg: SlackConfig,
    cmd: Command,
) -> Result<Value, ApiError> {
    let question = cmd.text.trim().to_string();
    if question.is_empty() {
        return Ok(json!({"response_type": "ephemeral",
            "text": "Ask about your AWS logs, e.g. `/ask-aws who deleted the trail yesterday?` (English, 한국어, 日本語)"}));
    }
    check_response_url(&cfg, &cmd.response_url)?;
    tracing::info!(user = %cmd.user_id, "slack command");
    let Some(job) = st.slack_jobs.admit() else {
        return Ok(json!({"response_type": "ephemeral",
            "text": "warden is busy with other questions; ask again in a minute."}));
    };
    let q = question.clone();
    tokio::spawn(async move {
        let _job = job;
        let payload = match answer(&st, q).await {
            Ok(msgs) => msgs,
            Err(e) => vec![vec![
                json!({"type": "section", "text": {"type": "mrkdwn", "text": escape(&e)}}),
            ]],
        };
        for blocks in payload {
            let body = json!({"response_type": "ephemeral", "replace_original": false,
                "text": "warden answer", "blocks": blocks,
                "unfurl_links": false, "unfurl_media": false});
            if let Err(e) = st.http.post(&cmd.response_url).json(&body).send().await {
                tracing::error!(error = %e, "could not deliver a Slack answer");
            }
        }
    });
    Ok(json!({"response_type": "ephemeral",
        "text": format!("Looking into: {}", escape(&question.chars().take(300).collect::<String>()))}))
}

/// The answer (the configured model's, or the offline analyst's) as
/// Slack messages.
async fn answer(st: &Arc<AppState>, question: String) -> Result<Vec<Vec<Value>>, String> {
    let max = crate::api::MAX_QUESTION_CHARS;
    if question.chars().count() > max {
        return Err(format!("The question is over {max} characters."));
    }
    let a = crate::ask(st, question, None)
        .await
        .map_err(|e| e.message)?;
    Ok(messages(&answer_text(&a.answer)))
}

/// Events API: the `url_verification` challenge and `app_mention`
/// (answered in the thread with `chat.postMessage`). Each `event_id` is
/// handled once, however often Slack retries it.
pub(crate) async fn events(
    State(st): State<Arc<AppState>>,
    h: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let cfg = verified(&st, &h, &body)?.clone();
    let v: Value = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request(format!("bad event JSON: {e}")))?;
    Ok(Json(handle_event(st, cfg, v)))
}

/// An Events API envelope, however it arrived (HTTP or Socket Mode).
pub(crate) fn handle_event(st: Arc<AppState>, cfg: SlackConfig, v: Value) -> Value {
    match v["type"].as_str() {
        Some("url_verification") => {
            return json!({"challenge": v["challenge"].as_str().unwrap_or("")})
        }
        Some("event_callback") => {}
        _ => return json!({"ok": true}),
    }
    let id = v["event_id"].as_str().unwrap_or("").to_string();
    if id.is_empty() || !st.slack_seen.first(&id) {
        return json!({"ok": true, "duplicate": true});
    }
    let ev = &v["event"];
    if ev["type"] != "app_mention" || ev.get("bot_id").is_some() {
        return json!({"ok": true});
    }
    let Some(token) = cfg.bot_token.clone() else {
        tracing::warn!("app_mention received but SLACK_BOT_TOKEN is not set");
        return json!({"ok": true});
    };
    let channel = ev["channel"].as_str().unwrap_or("").to_string();
    let thread = ev["thread_ts"]
        .as_str()
        .or(ev["ts"].as_str())
        .unwrap_or("")
        .to_string();
    let question = strip_mentions(ev["text"].as_str().unwrap_or(""));
    let Some(job) = st.slack_jobs.admit() else {
        tracing::warn!("Slack mention dropped: too many answers pending");
        return json!({"ok": true});
    };
    tokio::spawn(async move {
        let _job = job;
        let msgs = match answer(&st, question).await {
            Ok(m) => m,
            Err(e) => messages(&escape(&e)),
        };
        for blocks in msgs {
            let body = json!({"channel": channel, "thread_ts": thread, "text": "warden answer",
                "blocks": blocks, "unfurl_links": false, "unfurl_media": false});
            let r = st
                .http
                .post(format!("{}/chat.postMessage", cfg.api_base))
                .bearer_auth(&token)
                .json(&body)
                .send()
                .await;
            match r {
                Ok(r) if r.status().is_success() => {}
                Ok(r) => tracing::error!(status = %r.status(), "chat.postMessage failed"),
                Err(e) => tracing::error!(error = %e, "chat.postMessage failed"),
            }
        }
    });
    json!({"ok": true})
}

/// The mention text without `<@U…>` mentions.
fn strip_mentions(t: &str) -> String {
    let mut out = String::new();
    let mut rest = t;
    while let Some(i) = rest.find("<@") {
        out.push_str(&rest[..i]);
        match rest[i..].find('>') {
            Some(j) => rest = &rest[i + j + 1..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod job_tests {
    use super::*;

    #[test]
    fn pending_answers_are_bounded_and_freed() {
        let j = Jobs::default();
        let held: Vec<Job> = (0..Jobs::MAX).map(|_| j.admit().unwrap()).collect();
        assert!(j.admit().is_none(), "the 65th waits");
        drop(held);
        assert!(j.admit().is_some());
    }
}
