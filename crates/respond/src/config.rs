//! `[respond]` in warden.toml: destinations by name, and routes that send
//! incidents of a threat level to some of them.
//!
//! ```toml
//! [respond]
//! base_url = "https://warden.example.com"   # evidence links in messages
//! dead_letter = "/var/lib/warden/dead-letter.jsonl"
//! attempts = 3                              # the reference workflow: 3 attempts,
//! base_delay = "1s"                         # 1 s, ×2
//! backoff = 2.0
//!
//! [[respond.route]]
//! min_level = "high"
//! to = ["security-slack", "oncall"]
//!
//! [respond.destinations.security-slack]
//! kind = "slack_webhook"
//! url_env = "SLACK_WEBHOOK_URL"
//!
//! [respond.destinations.oncall]
//! kind = "sns"
//! topic_arn = "arn:aws:sns:us-east-1:123456789012:security-high"
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;
use warden_core::ThreatLevel;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RespondConfig {
    /// warden's web address, for "open in warden" links.
    pub base_url: Option<String>,
    /// Where messages that could not be delivered are kept (JSON lines).
    pub dead_letter: Option<PathBuf>,
    pub attempts: Option<u32>,
    pub base_delay: Option<String>,
    pub backoff: Option<f64>,
    #[serde(default)]
    pub route: Vec<RouteConfig>,
    #[serde(default)]
    pub destinations: BTreeMap<String, DestinationConfig>,
    /// The image guard (`[respond.images]`, see `images.rs`).
    #[serde(default)]
    pub images: crate::images::ImageGuardConfig,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteConfig {
    /// Lowest threat level sent (low, medium, high, critical).
    pub min_level: String,
    /// Highest; none = every level from `min_level` up.
    pub max_level: Option<String>,
    /// Destination names.
    pub to: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DestinationConfig {
    /// `slack_webhook`, `slack_chat`, `sns`, `webhook`, `file` or `stdout`.
    pub kind: String,
    /// Webhook address (`webhook`; `slack_webhook` when not from `url_env`).
    pub url: Option<String>,
    /// Environment variable holding the address (Slack webhooks are secrets).
    pub url_env: Option<String>,
    /// `slack_chat`: the channel id; the token is `SLACK_BOT_TOKEN`.
    pub channel: Option<String>,
    /// `sns`: the topic.
    pub topic_arn: Option<String>,
    /// `webhook`: environment variable with the HMAC-SHA256 signing key.
    pub secret_env: Option<String>,
    /// `file`: where to append (JSON lines).
    pub path: Option<PathBuf>,
    /// Most messages per minute to this destination (default 60).
    pub rate_per_minute: Option<u32>,
    /// Do not resend the same incident at the same level within this
    /// window (default "1h"; "0" sends every time).
    pub dedupe: Option<String>,
}

pub fn parse_level(s: &str) -> Option<ThreatLevel> {
    match s.to_ascii_lowercase().as_str() {
        "low" => Some(ThreatLevel::Low),
        "medium" => Some(ThreatLevel::Medium),
        "high" => Some(ThreatLevel::High),
        "critical" => Some(ThreatLevel::Critical),
        _ => None,
    }
}
