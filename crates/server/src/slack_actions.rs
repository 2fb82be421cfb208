//! `/slack/interactivity`: the "Analyze with warden" message shortcut and
//! the buttons on incident notifications (acknowledge; approve or reject a
//! remediation).
//!
//! Buttons act as the warden user linked to the presser's Slack member id
//! (`warden users add NAME --slack-user U…`), with that user's role:
//! acknowledging needs analyst, deciding a remediation needs approver.
//! Every decision is an audit record; nothing is decided twice.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use warden_store::Decision;

use crate::slack::{check_response_url, escape, messages, verified};
use crate::{ApiError, AppState, Role};

/// The shortcut's callback id, as in `deploy/slack/manifest.yml`.
pub const ANALYZE_CALLBACK: &str = "analyze_with_warden";
pub use warden_respond::slack::{incident_blocks, ACK, APPROVE, REJECT};

/// Largest snippet analysed (Slack messages are at most 40k characters;
/// snippet previews are shorter).
const MAX_SNIPPET: usize = 256 * 1024;

fn ok() -> Response {
    StatusCode::OK.into_response()
}

pub(crate) async fn interactivity(
    State(st): State<Arc<AppState>>,
    h: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let cfg = verified(&st, &h, &body)?.clone();
    let form: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
        .map_err(|e| ApiError::bad_request(format!("bad interactivity form: {e}")))?;
    let payload = form
        .iter()
        .find(|(k, _)| k == "payload")
        .map(|(_, v)| v.as_str())
        .ok_or_else(|| ApiError::bad_request("the form has no 'payload'"))?;
    let p: Value = serde_json::from_str(payload)
        .map_err(|e| ApiError::bad_request(format!("bad interactivity payload: {e}")))?;
    Ok(match handle_interaction(st, cfg, p).await? {
        Some(reply) => axum::Json(reply).into_response(),
        None => ok(),
    })
}

/// An interaction, however it arrived (HTTP or Socket Mode): an
/// immediate reply when there is one; the work is delivered later.
pub(crate) async fn handle_interaction(
    st: Arc<AppState>,
    cfg: crate::slack::SlackConfig,
    p: Value,
) -> Result<Option<Value>, ApiError> {
    let response_url = p["response_url"].as_str().unwrap_or("").to_string();
    match p["type"].as_str() {
        Some("message_action") if p["callback_id"] == ANALYZE_CALLBACK => {
            check_response_url(&cfg, &response_url)?;
            let text = message_text(&p["message"]);
            let Some(job) = st.slack_jobs.admit() else {
                return Ok(Some(json!({"response_type": "ephemeral",
                    "text": "warden is busy; try the shortcut again in a minute."})));
            };
            tracing::info!(user = %p["user"]["id"].as_str().unwrap_or(""), "slack shortcut");
            tokio::spawn(async move {
                let _job = job;
                let blocks = analyze(&st, text).await;
                deliver(&st, &response_url, blocks, false).await;
            });
            Ok(None)
        }
        Some("block_actions") => {
            check_response_url(&cfg, &response_url)?;
            let action = &p["actions"][0];
            let (Some(id), Some(value)) = (action["action_id"].as_str(), action["value"].as_str())
            else {
                return Err(ApiError::bad_request(
                    "the action has no action_id or value",
                ));
            };
            let slack_user = p["user"]["id"].as_str().unwrap_or("").to_string();
            let outcome = decide(&st, id, value, &slack_user).await?;
            // The original message without its buttons, plus who did what;
            // or, when nothing changed, a note only the presser sees. Sent
            // after the acknowledgement, which must not wait for Slack.
            let (msgs, replace) = match outcome {
                Outcome::Changed(note) => {
                    let mut blocks: Vec<Value> = p["message"]["blocks"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|b| b["type"] != "actions")
                        .collect();
                    blocks.push(
                        json!({"type": "context", "elements": [{"type": "mrkdwn", "text": note}]}),
                    );
                    (vec![blocks], true)
                }
                Outcome::Refused(note) => (messages(&note), false),
            };
            tokio::spawn(async move { deliver(&st, &response_url, msgs, replace).await });
            Ok(None)
        }
        // Other kinds (views, other shortcuts) are not used by warden.
        _ => Ok(None),
    }
}

enum Outcome {
    Changed(String),
    Refused(String),
}

/// A Slack member id as Slack writes it (safe to echo as `<@U…>`).
fn member(id: &str) -> Option<&str> {
    (id.len() >= 2
        && id.len() <= 20
        && id.starts_with(['U', 'W'])
        && id
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()))
    .then_some(id)
}

async fn decide(
    st: &Arc<AppState>,
    action_id: &str,
    value: &str,
    slack_user: &str,
) -> Result<Outcome, ApiError> {
    let need = match action_id {
        ACK => Role::Analyst,
        APPROVE | REJECT => Role::Approver,
        other => {
            return Ok(Outcome::Refused(format!(
                "warden does not know the button '{}'.",
                escape(other)
            )))
        }
    };
    let Some(who) = member(slack_user) else {
        return Err(ApiError::bad_request("the payload has no Slack member id"));
    };
    let w = who.to_string();
    let linked = st.pool.run(move |s| s.user_by_slack(&w)).await?;
    let Some((name, role)) = linked else {
        return Ok(Outcome::Refused(format!(
            "Your Slack account (<@{who}>) is not linked to a warden user, so warden cannot tell what you may do. An admin can link it: `warden users add NAME --role approver --slack-user {who}`."
        )));
    };
    let role = Role::parse(&role).unwrap_or(Role::Viewer);
    if role < need {
        let w = who.to_string();
        let (n, a) = (name.clone(), action_id.to_string());
        st.pool
            .run(move |s| {
                s.audit(
                    &format!("user:{n}"),
                    "slack.refused",
                    &a,
                    &format!("slack {w}"),
                )
            })
            .await?;
        return Ok(Outcome::Refused(format!(
            "Only {} or above may do that; your warden user '{}' is {}.",
            need.as_str(),
            escape(&name),
            role.as_str()
        )));
    }
    let actor = format!("user:{name}");
    let v = value.to_string();
    let id = escape(value);
    match action_id {
        ACK => {
            let a = actor.clone();
            let acked = st.pool.run(move |s| s.ack_incident(&v, &a)).await?;
            Ok(match acked {
                None => Outcome::Refused(format!("There is no stored incident {id}.")),
                Some(by) if by == actor => Outcome::Changed(format!(
                    ":eyes: {id} acknowledged by <@{who}> (warden user {}).",
                    escape(&name)
                )),
                Some(by) => {
                    Outcome::Refused(format!("{id} was already acknowledged by {}.", escape(&by)))
                }
            })
        }
        _ => {
            let approve = action_id == APPROVE;
            let a = actor.clone();
            let d = st.pool.run(move |s| s.decide(&v, approve, &a)).await?;
            Ok(match d {
                Decision::Decided(r) => Outcome::Changed(format!(
                    "{} {} of {} {} by <@{who}> (warden user {}).",
                    if approve {
                        ":white_check_mark:"
                    } else {
                        ":no_entry:"
                    },
                    escape(&r.action),
                    escape(&r.target),
                    r.state,
                    escape(&name)
                )),
                Decision::Already(r) => Outcome::Refused(format!(
                    "{id} was already {} by {}.",
                    r.state,
                    escape(r.decided_by.as_deref().unwrap_or("someone"))
                )),
                Decision::Unknown => Outcome::Refused(format!(
                    "There is no remediation {id} waiting for a decision."
                )),
            })
        }
    }
}

/// The text to analyse: code blocks if the message has any, else the
/// whole text, plus snippet previews of attached files; Slack's own
/// escaping undone.
fn message_text(m: &Value) -> String {
    let text = m["text"].as_str().unwrap_or("");
    let mut parts: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("```") {
        let after = &rest[start + 3..];
        match after.find("```") {
            Some(end) => {
                parts.push(after[..end].to_string());
                rest = &after[end + 3..];
            }
            None => break,
        }
    }
    if parts.is_empty() {
        parts.push(text.to_string());
    }
    for f in m["files"].as_array().into_iter().flatten() {
        if let Some(p) = f["preview"].as_str() {
            parts.push(p.to_string());
        }
    }
    let joined = parts.join("\n");
    joined
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
        .chars()
        .take(MAX_SNIPPET)
        .collect()
}

/// Run detection on the text when it holds log events; otherwise treat it
/// as a question.
async fn analyze(st: &Arc<AppState>, text: String) -> Vec<Vec<Value>> {
    if text.trim().is_empty() {
        return messages("The message has no text for warden to analyse.");
    }
    if let Some(analyzer) = st.snippets.clone() {
        let bytes = text.clone().into_bytes();
        let found = tokio::task::spawn_blocking(move || analyzer.0(&bytes)).await;
        if let Ok(s) = found {
            if s.events > 0 {
                return messages(&snippet_report(&s));
            }
        }
    }
    let q: String = text.chars().take(crate::api::MAX_QUESTION_CHARS).collect();
    match crate::ask(st, q, None).await {
        Ok(a) => messages(&crate::slack::answer_text(&a.answer)),
        Err(e) => messages(&format!("warden could not answer: {}", escape(&e.message))),
    }
}

/// Incidents found in a snippet, as escaped mrkdwn.
fn snippet_report(s: &crate::Snippet) -> String {
    let mut out = format!(
        "*warden analysed {} event{} from the message*: {} incident{}.",
        s.events,
        if s.events == 1 { "" } else { "s" },
        s.incidents.len(),
        if s.incidents.len() == 1 { "" } else { "s" }
    );
    if s.incidents.is_empty() {
        out.push_str(" No rule matched.");
    }
    for i in s.incidents.iter().take(10) {
        out.push_str(&format!(
            "\n\n*{}* {}\n{}",
            i.threat_level.to_string().to_uppercase(),
            escape(&i.title),
            escape(&i.summary)
        ));
        for a in i.recommended_actions.iter().take(2) {
            out.push_str(&format!("\n→ {}", escape(a)));
        }
    }
    if !s.errors.is_empty() {
        out.push_str(&format!(
            "\n\n_{} part(s) could not be read, e.g.: {}_",
            s.errors.len(),
            escape(&s.errors[0])
        ));
    }
    out
}

async fn deliver(st: &Arc<AppState>, url: &str, msgs: Vec<Vec<Value>>, replace: bool) {
    for (k, blocks) in msgs.into_iter().enumerate() {
        let body = json!({"response_type": "ephemeral", "replace_original": replace && k == 0,
            "text": "warden", "blocks": blocks, "unfurl_links": false, "unfurl_media": false});
        if let Err(e) = st.http.post(url).json(&body).send().await {
            tracing::error!(error = %e, "could not deliver a Slack reply");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_ids_are_checked_before_they_are_echoed() {
        assert_eq!(member("U024BE7LH"), Some("U024BE7LH"));
        assert_eq!(member("W123"), Some("W123"));
        for bad in [
            "",
            "U",
            "u024",
            "U02<!channel>",
            "B123",
            "U0123456789012345678901",
        ] {
            assert_eq!(member(bad), None, "{bad}");
        }
    }

    #[test]
    fn message_text_prefers_code_blocks_and_undoes_slack_escaping() {
        let m = json!({"text": "look at this ```{\"a\": \"&lt;b&gt; &amp;\"}``` and ```x```",
            "files": [{"preview": "{\"c\": 1}"}]});
        assert_eq!(message_text(&m), "{\"a\": \"<b> &\"}\nx\n{\"c\": 1}");
        assert_eq!(
            message_text(&json!({"text": "who is 203.0.113.7?"})),
            "who is 203.0.113.7?"
        );
        assert_eq!(message_text(&json!({})), "");
    }
}
