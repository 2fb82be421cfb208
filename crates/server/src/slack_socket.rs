//! Socket Mode: for deployments Slack cannot reach over HTTPS. warden
//! opens a WebSocket to Slack (`apps.connections.open` with the app-level
//! token `SLACK_APP_TOKEN`), receives commands, events and interactions as
//! envelopes, acknowledges each by its `envelope_id` at once, and handles
//! them exactly as the signed HTTP endpoints do. The socket is
//! authenticated by the app token, so there is no request signature.
//!
//! Slack closes sockets from time to time (`disconnect`); warden opens a
//! new one at once, and after failures waits 1 s, 2 s, … up to 60 s.

use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use crate::slack::{handle_command, handle_event, Command, SlackConfig};
use crate::slack_actions::handle_interaction;
use crate::AppState;

/// Keep a socket open for as long as the server runs.
pub(crate) async fn run(st: Arc<AppState>, cfg: SlackConfig) {
    let mut wait = Duration::from_secs(1);
    loop {
        match session(&st, &cfg).await {
            Ok(()) => {
                tracing::info!("Slack Socket Mode: reconnecting");
                wait = Duration::from_secs(1);
            }
            Err(e) => {
                tracing::warn!(error = %e, retry_in_s = wait.as_secs(), "Slack Socket Mode failed");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(60));
            }
        }
    }
}

/// A WebSocket address from `apps.connections.open`.
async fn open_url(st: &AppState, cfg: &SlackConfig) -> Result<String, String> {
    let token = cfg.app_token.as_deref().ok_or("no SLACK_APP_TOKEN")?;
    let r = st
        .http
        .post(format!("{}/apps.connections.open", cfg.api_base))
        .bearer_auth(token)
        .send()
        .await
        .map_err(|e| format!("apps.connections.open: {e}"))?;
    let v: Value = r
        .json()
        .await
        .map_err(|e| format!("apps.connections.open: not JSON: {e}"))?;
    if v["ok"] != true {
        return Err(format!(
            "apps.connections.open refused: {} (is SLACK_APP_TOKEN an app-level token with connections:write?)",
            v["error"].as_str().unwrap_or("no reason given")
        ));
    }
    let url = v["url"].as_str().unwrap_or("").to_string();
    let local = cfg.api_base.starts_with("http://127.0.0.1:") && url.starts_with("ws://127.0.0.1:");
    if !url.starts_with("wss://") && !local {
        return Err(format!(
            "apps.connections.open gave a non-TLS address: {url}"
        ));
    }
    Ok(url)
}

/// One socket, until Slack asks to reconnect (`Ok`) or it fails.
async fn session(st: &Arc<AppState>, cfg: &SlackConfig) -> Result<(), String> {
    let url = open_url(st, cfg).await?;
    let (ws, _) = tokio_tungstenite::connect_async(url.as_str())
        .await
        .map_err(|e| format!("cannot open the Slack socket: {e}"))?;
    let (mut tx, mut rx) = ws.split();
    while let Some(msg) = rx.next().await {
        let msg = msg.map_err(|e| format!("the Slack socket failed: {e}"))?;
        let text = match msg {
            Message::Text(t) => t.to_string(),
            Message::Ping(p) => {
                tx.send(Message::Pong(p)).await.map_err(|e| e.to_string())?;
                continue;
            }
            Message::Close(_) => return Ok(()),
            _ => continue,
        };
        let Ok(v) = serde_json::from_str::<Value>(&text) else {
            tracing::warn!("Slack Socket Mode: a message that is not JSON was ignored");
            continue;
        };
        match v["type"].as_str() {
            Some("hello") => tracing::info!("Slack Socket Mode: connected"),
            Some("disconnect") => return Ok(()),
            Some(kind) => {
                let Some(envelope) = v["envelope_id"].as_str() else {
                    continue;
                };
                let reply = dispatch(st, cfg, kind, v["payload"].clone()).await;
                let mut ack = json!({"envelope_id": envelope});
                if let Some(r) = reply {
                    ack["payload"] = r;
                }
                tx.send(Message::Text(ack.to_string().into()))
                    .await
                    .map_err(|e| format!("cannot acknowledge on the Slack socket: {e}"))?;
            }
            None => {}
        }
    }
    Ok(())
}

/// Handle one envelope; the reply payload to send with the
/// acknowledgement, if any. Handlers only start work, so this is quick.
async fn dispatch(
    st: &Arc<AppState>,
    cfg: &SlackConfig,
    kind: &str,
    payload: Value,
) -> Option<Value> {
    let r = match kind {
        "slash_commands" => match serde_json::from_value::<Command>(payload) {
            Ok(cmd) => handle_command(st.clone(), cfg.clone(), cmd).await.map(Some),
            Err(e) => {
                tracing::warn!(error = %e, "Slack Socket Mode: a malformed command was ignored");
                return None;
            }
        },
        "events_api" => {
            handle_event(st.clone(), cfg.clone(), payload);
            Ok(None)
        }
        "interactive" => handle_interaction(st.clone(), cfg.clone(), payload).await,
        other => {
            tracing::debug!(kind = other, "Slack Socket Mode: envelope type not used");
            Ok(None)
        }
    };
    match r {
        Ok(reply) => reply,
        Err(e) => {
            tracing::warn!(error = %e.message, "Slack Socket Mode: request refused");
            Some(json!({"response_type": "ephemeral", "text": crate::slack::escape(&e.message)}))
        }
    }
}
