//! What a notification says, per destination kind: the triage title,
//! level, summary, evidence and a link, and for Slack the incident buttons.

use serde::Serialize;
use serde_json::{json, Value};
use warden_core::Incident;

/// The facts every message carries.
#[derive(Debug, Clone, Serialize)]
pub struct Notification {
    pub incident_id: String,
    pub level: String,
    pub title: String,
    pub summary: String,
    pub principal: Option<String>,
    pub account: Option<String>,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub techniques: Vec<String>,
    /// Stored event ids behind the incident (the first 20).
    pub evidence: Vec<String>,
    pub recommended_actions: Vec<String>,
    /// The incident page in warden, when `base_url` is set.
    pub link: Option<String>,
    /// A remediation waiting for a decision: Slack messages get Approve
    /// and Reject buttons for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approval: Option<Pending>,
}

/// A remediation waiting for an approver.
#[derive(Debug, Clone, Serialize)]
pub struct Pending {
    pub id: String,
    pub action: String,
    pub target: String,
}

impl Notification {
    pub fn from_incident(i: &Incident, base_url: Option<&str>) -> Notification {
        Notification {
            incident_id: i.id.clone(),
            level: i.threat_level.to_string(),
            title: i.title.clone(),
            summary: i.summary.clone(),
            principal: i.principal.clone(),
            account: i.account.clone(),
            first_seen: i.first_seen.map(|t| t.to_rfc3339()),
            last_seen: i.last_seen.map(|t| t.to_rfc3339()),
            techniques: i.techniques.clone(),
            evidence: i.evidence.iter().take(20).cloned().collect(),
            recommended_actions: i.recommended_actions.iter().take(5).cloned().collect(),
            link: base_url.map(|b| format!("{}/#/incident/{}", b.trim_end_matches('/'), i.id)),
            approval: None,
        }
    }

    /// The generic JSON body (webhooks, files, stdout).
    pub fn json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// A Slack message: the incident section and its buttons.
    pub fn slack(&self) -> Value {
        let mut summary = self.summary.clone();
        if let Some(a) = self.recommended_actions.first() {
            summary.push_str(&format!("\nNext: {a}"));
        }
        let blocks = crate::slack::incident_blocks(
            &self.incident_id,
            &self.level,
            &self.title,
            &summary,
            self.link.as_deref(),
            self.approval
                .as_ref()
                .map(|p| (p.id.as_str(), p.action.as_str(), p.target.as_str())),
        );
        json!({"text": format!("{} {}", self.level.to_uppercase(), crate::slack::escape(&self.title)),
            "blocks": blocks, "unfurl_links": false, "unfurl_media": false})
    }

    /// SNS subject (at most 100 printable ASCII characters) and body.
    pub fn sns(&self) -> (String, String) {
        let subject: String = format!("[warden {}] {}", self.level.to_uppercase(), self.title)
            .chars()
            .map(|c| {
                if c.is_ascii_graphic() || c == ' ' {
                    c
                } else {
                    '?'
                }
            })
            .take(100)
            .collect();
        (subject, self.json().to_string())
    }
}
