//! Sending one message to one destination, with retries (exponential
//! backoff, full jitter) for failures that may pass — network errors,
//! throttling, 5xx — and none for those that will not (other 4xx).

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value;

use crate::message::Notification;

/// A configured destination, ready to send.
#[derive(Debug, Clone)]
pub enum Target {
    SlackWebhook {
        url: String,
    },
    SlackChat {
        channel: String,
        token: String,
        api_base: String,
    },
    Sns {
        topic_arn: String,
    },
    Webhook {
        url: String,
        secret: Option<Vec<u8>>,
    },
    File {
        path: PathBuf,
    },
    Stdout,
}

/// Why a send failed, and whether trying again may help.
#[derive(Debug, Clone)]
pub struct SendError {
    pub message: String,
    pub retryable: bool,
}

impl SendError {
    fn transient(m: impl Into<String>) -> SendError {
        SendError {
            message: m.into(),
            retryable: true,
        }
    }
    fn permanent(m: impl Into<String>) -> SendError {
        SendError {
            message: m.into(),
            retryable: false,
        }
    }
}

/// Clients shared by all sends.
pub struct Clients {
    pub http: reqwest::Client,
    pub sns: tokio::sync::OnceCell<aws_sdk_sns::Client>,
    /// Serialises appends to files and stdout.
    pub write_lock: std::sync::Mutex<()>,
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`: receivers check it
/// and refuse old timestamps, as with Slack's and Stripe's signatures.
pub fn webhook_signature(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, secret);
    let mut ctx = aws_lc_rs::hmac::Context::with_key(&key);
    ctx.update(timestamp.to_string().as_bytes());
    ctx.update(b".");
    ctx.update(body);
    format!("t={timestamp},v1={}", hex(ctx.sign().as_ref()))
}

fn status_error(what: &str, status: reqwest::StatusCode, body: &str) -> SendError {
    let m = format!(
        "{what} answered {status}: {}",
        body.chars().take(200).collect::<String>()
    );
    if status.is_server_error() || status.as_u16() == 429 || status.as_u16() == 408 {
        SendError::transient(m)
    } else {
        SendError::permanent(m)
    }
}

async fn post_json(
    c: &Clients,
    what: &str,
    url: &str,
    body: &Value,
    headers: &[(&str, String)],
) -> Result<(), SendError> {
    let bytes = body.to_string();
    let mut req = c.http.post(url).header("content-type", "application/json");
    for (k, v) in headers {
        req = req.header(*k, v);
    }
    let r = req
        .body(bytes)
        .send()
        .await
        .map_err(|e| SendError::transient(format!("{what}: {e}")))?;
    let status = r.status();
    let text = r.text().await.unwrap_or_default();
    if !status.is_success() {
        return Err(status_error(what, status, &text));
    }
    // chat.postMessage answers 200 with {"ok": false, "error": …}.
    if let Ok(v) = serde_json::from_str::<Value>(&text) {
        if v.get("ok") == Some(&Value::Bool(false)) {
            let e = v["error"].as_str().unwrap_or("unknown");
            return Err(if e == "ratelimited" {
                SendError::transient(format!("{what}: {e}"))
            } else {
                SendError::permanent(format!("{what}: {e}"))
            });
        }
    }
    Ok(())
}

/// One attempt.
pub async fn send(c: &Arc<Clients>, t: &Target, n: &Notification) -> Result<(), SendError> {
    match t {
        Target::SlackWebhook { url } => post_json(c, "Slack webhook", url, &n.slack(), &[]).await,
        Target::SlackChat {
            channel,
            token,
            api_base,
        } => {
            let mut body = n.slack();
            body["channel"] = Value::String(channel.clone());
            post_json(
                c,
                "chat.postMessage",
                &format!("{api_base}/chat.postMessage"),
                &body,
                &[("authorization", format!("Bearer {token}"))],
            )
            .await
        }
        Target::Webhook { url, secret } => {
            let body = n.json();
            let mut headers = Vec::new();
            if let Some(s) = secret {
                let ts = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_secs() as i64)
                    .unwrap_or(0);
                headers.push((
                    "x-warden-signature",
                    webhook_signature(s, ts, body.to_string().as_bytes()),
                ));
            }
            post_json(c, "webhook", url, &body, &headers).await
        }
        Target::Sns { topic_arn } => {
            let client = c
                .sns
                .get_or_init(|| async {
                    let conf =
                        aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
                    aws_sdk_sns::Client::new(&conf)
                })
                .await;
            let (subject, message) = n.sns();
            client
                .publish()
                .topic_arn(topic_arn)
                .subject(subject)
                .message(message)
                .message_attributes(
                    "level",
                    aws_sdk_sns::types::MessageAttributeValue::builder()
                        .data_type("String")
                        .string_value(&n.level)
                        .build()
                        .map_err(|e| SendError::permanent(e.to_string()))?,
                )
                .send()
                .await
                .map(|_| ())
                .map_err(|e| {
                    let text = aws_sdk_sns::error::DisplayErrorContext(&e).to_string();
                    let permanent = ["NotFound", "AuthorizationError", "InvalidParameter"]
                        .iter()
                        .any(|k| text.contains(k));
                    let m = format!("SNS publish to {topic_arn}: {text}");
                    if permanent {
                        SendError::permanent(m)
                    } else {
                        SendError::transient(m)
                    }
                })
        }
        Target::File { path } => {
            let _g = c.write_lock.lock().unwrap_or_else(|p| p.into_inner());
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| SendError::permanent(format!("{}: {e}", path.display())))?;
            writeln!(f, "{}", n.json())
                .map_err(|e| SendError::transient(format!("{}: {e}", path.display())))
        }
        Target::Stdout => {
            let _g = c.write_lock.lock().unwrap_or_else(|p| p.into_inner());
            let mut out = std::io::stdout().lock();
            writeln!(out, "{}", n.json()).map_err(|e| SendError::transient(format!("stdout: {e}")))
        }
    }
}
