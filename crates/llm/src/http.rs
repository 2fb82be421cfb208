//! HTTP plumbing shared by the providers: the client, status
//! classification, and a server-sent-events reader.

use std::time::Duration;

use futures_util::StreamExt;

use crate::LlmError;

pub fn client(timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(Duration::from_secs(10).min(timeout))
        .build()
        .expect("a TLS client can be built")
}

/// Turn a transport error into an LlmError.
pub fn transport(provider: &str, url: &str, timeout: Duration, e: reqwest::Error) -> LlmError {
    if e.is_timeout() {
        LlmError::Timeout {
            provider: provider.into(),
            timeout,
        }
    } else if e.is_connect() {
        LlmError::Connect {
            provider: provider.into(),
            url: url.into(),
            message: e.to_string(),
        }
    } else {
        LlmError::Protocol {
            provider: provider.into(),
            message: e.to_string(),
        }
    }
}

/// The message inside a provider's JSON error body, or the body itself.
fn error_message(body: &str) -> String {
    let v: Option<serde_json::Value> = serde_json::from_str(body).ok();
    let m = v.as_ref().and_then(|v| {
        v.pointer("/error/message")
            .or_else(|| v.get("message"))
            .or_else(|| v.get("error"))
            .and_then(|m| m.as_str())
            .map(str::to_string)
    });
    let mut s = m.unwrap_or_else(|| body.trim().to_string());
    if s.len() > 500 {
        let mut cut = 500;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
        s.push('…');
    }
    s
}

/// Send a prepared request; a transport failure or a non-2xx status
/// becomes the matching LlmError.
pub async fn send(
    provider: &str,
    url: &str,
    timeout: Duration,
    rb: reqwest::RequestBuilder,
) -> Result<reqwest::Response, LlmError> {
    let resp = rb
        .send()
        .await
        .map_err(|e| transport(provider, url, timeout, e))?;
    if !resp.status().is_success() {
        return Err(status_error(provider, resp).await);
    }
    Ok(resp)
}

/// A whole JSON answer body.
pub async fn json(provider: &str, resp: reqwest::Response) -> Result<serde_json::Value, LlmError> {
    resp.json()
        .await
        .map_err(|e| protocol(provider, format!("not JSON: {e}")))
}

/// Classify a non-success response.
pub async fn status_error(provider: &str, resp: reqwest::Response) -> LlmError {
    let status = resp.status().as_u16();
    let retry_after = resp
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<f64>().ok())
        .map(Duration::from_secs_f64);
    let body = resp.text().await.unwrap_or_default();
    let message = error_message(&body);
    let overloaded = body.contains("overloaded_error") || status == 529;
    match status {
        429 | 529 => LlmError::Throttled {
            provider: provider.into(),
            message,
            retry_after,
        },
        _ if overloaded => LlmError::Throttled {
            provider: provider.into(),
            message,
            retry_after,
        },
        408 | 500..=599 => LlmError::Server {
            provider: provider.into(),
            status,
            message,
        },
        _ => LlmError::Client {
            provider: provider.into(),
            status,
            message,
            hint: match status {
                401 => {
                    "; check the API key (from the environment variable named in the configuration)"
                        .into()
                }
                403 => "; the key lacks access to this model".into(),
                404 => "; check the base URL and the model name".into(),
                _ => String::new(),
            },
        },
    }
}

/// One server-sent event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub event: String,
    pub data: String,
}

/// Read a server-sent-events body, calling `on_event` for each event;
/// `on_event` returns true when it has seen the stream's final event.
/// A body that ends before that is an error (a cut-off stream must not
/// pass for a complete answer).
pub async fn read_sse(
    provider: &str,
    resp: reqwest::Response,
    mut on_event: impl FnMut(Event) -> Result<bool, LlmError>,
) -> Result<(), LlmError> {
    let mut body = resp.bytes_stream();
    let mut buf: Vec<u8> = Vec::new();
    let mut finished = false;
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| LlmError::Protocol {
            provider: provider.into(),
            message: format!("stream interrupted: {e}"),
        })?;
        buf.extend_from_slice(&chunk);
        while let Some((end, skip)) = find_event_end(&buf) {
            let raw: Vec<u8> = buf.drain(..end + skip).collect();
            let text = String::from_utf8_lossy(&raw[..end]);
            let mut ev = Event {
                event: String::new(),
                data: String::new(),
            };
            for line in text.lines() {
                if let Some(v) = line.strip_prefix("event:") {
                    ev.event = v.trim().to_string();
                } else if let Some(v) = line.strip_prefix("data:") {
                    if !ev.data.is_empty() {
                        ev.data.push('\n');
                    }
                    ev.data.push_str(v.strip_prefix(' ').unwrap_or(v));
                }
            }
            if ev.event.is_empty() && ev.data.is_empty() {
                continue;
            }
            if on_event(ev)? {
                finished = true;
            }
        }
        if buf.len() > 8 << 20 {
            return Err(LlmError::Protocol {
                provider: provider.into(),
                message: "a streamed event is larger than 8 MiB".into(),
            });
        }
    }
    if !finished {
        return Err(LlmError::Protocol {
            provider: provider.into(),
            message: "the stream ended before the answer was complete".into(),
        });
    }
    Ok(())
}

fn find_event_end(buf: &[u8]) -> Option<(usize, usize)> {
    let lf = buf.windows(2).position(|w| w == b"\n\n").map(|i| (i, 2));
    let crlf = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, 4));
    match (lf, crlf) {
        (Some(a), Some(b)) => Some(if a.0 < b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

pub fn protocol(provider: &str, message: impl Into<String>) -> LlmError {
    LlmError::Protocol {
        provider: provider.into(),
        message: message.into(),
    }
}
