//! Slack message building shared by notifications (this crate) and the
//! Slack app (`warden serve`): escaping of anything that came from logs,
//! and incident notifications with their buttons.

use serde_json::{json, Value};

/// Button action ids, handled by `warden serve` at `/slack/interactivity`.
pub const ACK: &str = "incident_ack";
pub const APPROVE: &str = "remediation_approve";
pub const REJECT: &str = "remediation_reject";

/// Escape Slack's control characters (`&`, `<`, `>`) in text that came
/// from logs, so `<!channel>`, `<@U…>` and `<https://…|…>` show as text:
/// the guard's one implementation.
pub use warden_guard::output::escape_markup as escape;

/// An incident notification with its buttons: acknowledge, and, when a
/// remediation waits for a decision, approve and reject. Everything from
/// logs is escaped; only http(s) links are linked.
pub fn incident_blocks(
    id: &str,
    level: &str,
    title: &str,
    summary: &str,
    link: Option<&str>,
    approval: Option<(&str, &str, &str)>,
) -> Vec<Value> {
    let mut text = format!(
        "*{}* {}\n{}",
        level.to_uppercase(),
        escape(title),
        escape(&summary.chars().take(2_500).collect::<String>())
    );
    if let Some(l) = link.filter(|l| l.starts_with("https://") || l.starts_with("http://")) {
        text.push_str(&format!("\n<{}|Open in warden>", escape(l)));
    }
    let mut buttons = vec![json!({"type": "button", "action_id": ACK, "value": id,
        "text": {"type": "plain_text", "text": "Acknowledge"}})];
    let mut blocks = vec![json!({"type": "section", "text": {"type": "mrkdwn", "text": text}})];
    if let Some((approval_id, action, target)) = approval {
        blocks.push(json!({"type": "section", "text": {"type": "mrkdwn",
            "text": format!("Proposed: *{}* {}", escape(action), escape(target))}}));
        buttons.push(json!({"type": "button", "action_id": APPROVE, "value": approval_id, "style": "primary",
            "text": {"type": "plain_text", "text": "Approve"},
            "confirm": {"title": {"type": "plain_text", "text": "Approve?"},
                "text": {"type": "plain_text", "text": format!("{action} {target}").chars().take(300).collect::<String>()},
                "confirm": {"type": "plain_text", "text": "Approve"}, "deny": {"type": "plain_text", "text": "Cancel"}}}));
        buttons.push(
            json!({"type": "button", "action_id": REJECT, "value": approval_id, "style": "danger",
            "text": {"type": "plain_text", "text": "Reject"}}),
        );
    }
    blocks.push(json!({"type": "actions", "elements": buttons}));
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notification_buttons_carry_ids_and_escape_log_text() {
        let b = incident_blocks(
            "INC-1",
            "critical",
            "<!channel> root login",
            "from <https://evil.example|here>",
            Some("https://warden.example/#/incident/INC-1"),
            Some(("Q-1", "quarantine", "s3://b/k.png")),
        );
        let s = serde_json::to_string(&b).unwrap();
        assert!(
            !s.contains("<!channel>") && s.contains("&lt;!channel&gt;"),
            "{s}"
        );
        let actions = b.last().unwrap()["elements"].as_array().unwrap();
        let ids: Vec<&str> = actions
            .iter()
            .map(|a| a["action_id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, [ACK, APPROVE, REJECT]);
        assert_eq!(actions[0]["value"], "INC-1");
        assert_eq!(actions[1]["value"], "Q-1");
        let plain = incident_blocks("INC-2", "low", "t", "s", Some("javascript:alert(1)"), None);
        let s = serde_json::to_string(&plain).unwrap();
        assert!(!s.contains("javascript"), "only http(s) links: {s}");
        assert_eq!(
            plain.last().unwrap()["elements"].as_array().unwrap().len(),
            1
        );
    }

    #[test]
    fn escapes_slack_control_characters() {
        assert_eq!(escape("a & <!here> > b"), "a &amp; &lt;!here&gt; &gt; b");
    }
}
