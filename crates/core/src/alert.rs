//! Alerts (one rule matched one event, or a correlation fired) and incidents.

use std::sync::Arc;

use serde::Serialize;

use crate::kind::{Accessor, LogKind};
use crate::level::{Level, ThreatLevel};
use crate::record::EventView;
use crate::time::Timestamp;

/// What a rule says about itself; shared by every alert it raises.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RuleInfo {
    pub id: String,
    /// The rule's Sigma `name`, when it has one (correlations and
    /// suppressions may refer to rules by it).
    pub name: Option<String>,
    pub title: String,
    pub level: Level,
    pub tags: Vec<String>,
    pub description: String,
    pub falsepositives: Vec<String>,
    /// True for Sigma correlation rules.
    pub correlation: bool,
    /// True for first-seen rules: they report something new for an entity,
    /// not a chain of steps, so they do not raise an incident's level.
    pub novelty: bool,
}

impl RuleInfo {
    /// ATT&CK technique ids from tags such as `attack.t1562.008`.
    pub fn techniques(&self) -> impl Iterator<Item = String> + '_ {
        self.tags.iter().filter_map(|t| {
            let t = t.strip_prefix("attack.")?;
            let first = t.as_bytes().first()?;
            (matches!(first, b't' | b'T') && t[1..].starts_with(|c: char| c.is_ascii_digit()))
                .then(|| t.to_ascii_uppercase())
        })
    }

    /// ATT&CK tactic names from tags such as `attack.defense-evasion`.
    pub fn tactics(&self) -> impl Iterator<Item = &str> + '_ {
        self.tags.iter().filter_map(|t| {
            let t = t.strip_prefix("attack.")?;
            let first = t.as_bytes().first()?;
            let is_technique =
                matches!(first, b't' | b'T') && t[1..].starts_with(|c: char| c.is_ascii_digit());
            let is_group =
                matches!(first, b'g' | b's') && t[1..].starts_with(|c: char| c.is_ascii_digit());
            (!is_technique && !is_group).then_some(t)
        })
    }
}

/// The owned facts about one event that outputs and triage need. Copied out
/// of the borrowed [`EventView`] only when a rule matched.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct EventFacts {
    pub kind: Option<LogKind>,
    pub event_id: Option<String>,
    pub time: Option<Timestamp>,
    pub event_source: Option<String>,
    pub event_name: Option<String>,
    pub event_type: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
    pub principal: Option<String>,
    pub principal_type: Option<String>,
    pub access_key_id: Option<String>,
    pub user_name: Option<String>,
    pub source_ip: Option<String>,
    pub user_agent: Option<String>,
    pub error_code: Option<String>,
    pub s3_bucket: Option<String>,
    pub s3_key: Option<String>,
    pub content_type: Option<String>,
    pub model_id: Option<String>,
    pub title: Option<String>,
    /// For findings: the resource they are about.
    pub resource_id: Option<String>,
}

impl EventFacts {
    pub fn from_view(v: &EventView<'_>) -> EventFacts {
        let get = |a: Accessor| v.accessor(a).map(|c| c.into_owned());
        EventFacts {
            kind: Some(v.kind),
            event_id: get(Accessor::EventId),
            time: v.time(),
            event_source: get(Accessor::EventSource),
            event_name: get(Accessor::EventName),
            event_type: get(Accessor::EventType),
            account: get(Accessor::Account),
            region: get(Accessor::Region),
            principal: get(Accessor::PrincipalArn),
            principal_type: get(Accessor::PrincipalType),
            access_key_id: get(Accessor::AccessKeyId),
            user_name: get(Accessor::UserName),
            source_ip: get(Accessor::SourceIp),
            user_agent: get(Accessor::UserAgent),
            error_code: get(Accessor::ErrorCode),
            s3_bucket: get(Accessor::S3Bucket),
            s3_key: get(Accessor::S3Key),
            content_type: get(Accessor::ContentType),
            model_id: get(Accessor::ModelId),
            title: get(Accessor::Title),
            resource_id: get(Accessor::ResourceId),
        }
    }

    /// Best single name for who acted: ARN, else user name, else access key.
    pub fn who(&self) -> Option<&str> {
        self.principal
            .as_deref()
            .or(self.user_name.as_deref())
            .or(self.access_key_id.as_deref())
    }
}

/// One rule match.
#[derive(Debug, Clone)]
pub struct Alert {
    pub rule: Arc<RuleInfo>,
    pub event: EventFacts,
    /// Input the event came from (path, `-` for stdin).
    pub file: Arc<str>,
    /// 1-based record number within the file.
    pub record: u64,
    /// For correlation alerts: the events that made it fire.
    pub related: Vec<EventFacts>,
    /// For correlation alerts: the group-by values, `field=value`.
    pub group: Vec<(String, String)>,
    /// Raw JSON of the matched event, kept for evidence (bounded by triage).
    pub raw: Option<Arc<str>>,
    /// Identical alerts folded into this one by window deduplication.
    pub repeats: u32,
}

/// The one-line machine form of an alert (`warden detect --format ndjson`).
/// Field names are a stable contract.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AlertRecord {
    pub rule_id: String,
    pub rule_title: String,
    pub level: Level,
    pub tags: Vec<String>,
    pub event_id: Option<String>,
    pub event_time: Option<Timestamp>,
    pub event_name: Option<String>,
    pub source: Option<LogKind>,
    pub principal: Option<String>,
    pub source_ip: Option<String>,
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub group: Vec<(String, String)>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related_events: Vec<String>,
    /// Identical alerts folded into this one (same rule, actor, action and
    /// target within the dedupe window); absent when none.
    #[serde(skip_serializing_if = "is_zero")]
    pub repeats: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Alert {
    pub fn record(&self) -> AlertRecord {
        AlertRecord {
            rule_id: self.rule.id.clone(),
            rule_title: self.rule.title.clone(),
            level: self.rule.level,
            tags: self.rule.tags.clone(),
            event_id: self.event.event_id.clone(),
            event_time: self.event.time,
            event_name: self.event.event_name.clone(),
            source: self.event.kind,
            principal: self.event.who().map(str::to_string),
            source_ip: self.event.source_ip.clone(),
            file: self.file.to_string(),
            account: self.event.account.clone(),
            group: self.group.clone(),
            related_events: self
                .related
                .iter()
                .filter_map(|e| e.event_id.clone())
                .collect(),
            repeats: self.repeats,
        }
    }
}

/// Alerts grouped into one story about one actor in one time window.
#[derive(Debug, Clone, Serialize)]
pub struct Incident {
    pub id: String,
    pub title: String,
    pub summary: String,
    /// low / medium / high / critical. The reference pipeline's scale is
    /// low / medium / high; `critical` extends it.
    pub threat_level: ThreatLevel,
    /// Why the threat level is what it is, in words.
    pub threat_reason: String,
    pub techniques: Vec<String>,
    pub tactics: Vec<String>,
    pub rule_ids: Vec<String>,
    pub rules: Vec<String>,
    pub evidence: Vec<String>,
    pub alert_count: usize,
    pub first_seen: Option<Timestamp>,
    pub last_seen: Option<Timestamp>,
    pub principal: Option<String>,
    pub principal_type: Option<String>,
    pub account: Option<String>,
    pub access_keys: Vec<String>,
    pub source_ips: Vec<String>,
    pub regions: Vec<String>,
    pub sources: Vec<LogKind>,
    pub event_names: Vec<String>,
    pub recommended_actions: Vec<String>,
    /// Who wrote `summary` and `recommended_actions`: `template` (warden's
    /// own words) or `provider/model` when a language model did
    /// (`warden triage --llm`). Levels and facts are always the engine's.
    pub narrative_source: String,
    /// The reference pipeline's triage record.
    #[serde(flatten)]
    pub reference: ReferenceTriage,
    pub alerts: Vec<AlertRecord>,
}

/// Fields of the reference event pipeline's LLM triage schema
/// (`event_title`, `summarize`, `threat_level`, `s3_bucket`, `s3_key`,
/// `is_image_upload`, `media_type`), computed deterministically here.
/// `threat_level` is the incident's own field.
#[derive(Debug, Clone, Serialize, Default)]
pub struct ReferenceTriage {
    pub event_title: String,
    pub summarize: String,
    pub s3_bucket: Option<String>,
    pub s3_key: Option<String>,
    pub is_image_upload: bool,
    pub media_type: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_split_into_techniques_and_tactics() {
        let r = RuleInfo {
            id: "x".into(),
            name: None,
            title: "t".into(),
            level: Level::High,
            tags: vec![
                "attack.defense-evasion".into(),
                "attack.t1562.008".into(),
                "attack.g0016".into(),
                "cve.2021-1".into(),
            ],
            description: String::new(),
            falsepositives: vec![],
            correlation: false,
            novelty: false,
        };
        assert_eq!(r.techniques().collect::<Vec<_>>(), vec!["T1562.008"]);
        assert_eq!(r.tactics().collect::<Vec<_>>(), vec!["defense-evasion"]);
    }
}
