//! Noise control: suppressions with expiry and an allow-list for known
//! automation, applied to alerts after detection.
//!
//! A suppression names a rule (by id or `name`, or `*`) and any of a
//! principal pattern, an account and a source network; an alert matching
//! all the given parts is dropped and counted. Every suppression must carry
//! a reason, and one with an `until` date stops applying after it, so
//! forgotten exceptions do not hide attacks forever. Allow-listed automation
//! principals lose their low and medium alerts only: a CI role that
//! suddenly deletes trails must still page.

use serde::Deserialize;
use warden_core::{Alert, Level, Timestamp};

use crate::matcher::{parse_wildcards, Net, StrPat, StrSet};

/// One `[[suppress]]` entry of `warden.toml`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SuppressionConfig {
    /// Rule id or name, or `*` for every rule.
    pub rule: String,
    /// Principal ARN, user name or access key; `*` and `?` wildcards.
    pub principal: Option<String>,
    pub account: Option<String>,
    /// Source address or CIDR network.
    pub source_ip: Option<String>,
    /// Last day the suppression applies (`YYYY-MM-DD`, inclusive, UTC).
    pub until: Option<String>,
    /// Why: shown by `-v` and required so exceptions stay explainable.
    pub reason: String,
}

/// `[allow]` in `warden.toml`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct AllowConfig {
    /// Principals of known automation (wildcards allowed).
    #[serde(default)]
    pub principals: Vec<String>,
}

#[derive(Debug)]
struct Suppression {
    rule: String,
    principal: Option<StrSet>,
    account: Option<String>,
    source: Option<Net>,
    reason: String,
    hits: u64,
}

/// Compiled suppressions and allow-list.
#[derive(Debug, Default)]
pub struct Suppressor {
    rules: Vec<Suppression>,
    automation: Option<StrSet>,
    /// Alerts dropped, by reason.
    pub allowed: u64,
}

fn pattern(p: &str) -> Result<StrSet, String> {
    let mut s = StrSet::new(false);
    s.push(StrPat::from_pieces(&parse_wildcards(p), false)?);
    Ok(s.finish())
}

impl Suppressor {
    /// Compile the configuration. Entries past their `until` date (compared
    /// with `now`) are skipped and reported in the returned notes.
    pub fn new(
        entries: &[SuppressionConfig],
        allow: &AllowConfig,
        now: Timestamp,
    ) -> Result<(Suppressor, Vec<String>), String> {
        let mut out = Suppressor::default();
        let mut notes = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            let at = format!("suppress[{}] (rule {})", i + 1, e.rule);
            if e.reason.trim().is_empty() {
                return Err(format!(
                    "{at}: 'reason' must say why the alerts are suppressed"
                ));
            }
            if let Some(until) = &e.until {
                let end = Timestamp::parse(until).ok_or_else(|| {
                    format!("{at}: 'until' must be a date like 2026-12-31, not '{until}'")
                })?;
                if now.0 >= end.0 + 86_400_000 {
                    notes.push(format!(
                        "{at} expired on {until} and no longer applies: {}",
                        e.reason
                    ));
                    continue;
                }
            }
            out.rules.push(Suppression {
                rule: e.rule.clone(),
                principal: e
                    .principal
                    .as_deref()
                    .map(pattern)
                    .transpose()
                    .map_err(|m| format!("{at}: {m}"))?,
                account: e.account.clone(),
                source: e
                    .source_ip
                    .as_deref()
                    .map(Net::parse)
                    .transpose()
                    .map_err(|m| format!("{at}: {m}"))?,
                reason: e.reason.clone(),
                hits: 0,
            });
        }
        if !allow.principals.is_empty() {
            let mut set = StrSet::new(false);
            for p in &allow.principals {
                set.push(StrPat::from_pieces(&parse_wildcards(p), false)?);
            }
            out.automation = Some(set.finish());
        }
        Ok((out, notes))
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty() && self.automation.is_none()
    }

    /// Whether `alert` should be dropped (and count it).
    pub fn suppress(&mut self, alert: &Alert) -> bool {
        let e = &alert.event;
        let who = [
            e.principal.as_deref(),
            e.user_name.as_deref(),
            e.access_key_id.as_deref(),
        ];
        if let Some(auto) = &self.automation {
            if alert.rule.level <= Level::Medium && who.iter().flatten().any(|w| auto.is_match(w)) {
                self.allowed += 1;
                return true;
            }
        }
        for s in &mut self.rules {
            let rule_ok = s.rule == "*"
                || s.rule == alert.rule.id
                || alert.rule.name.as_deref() == Some(s.rule.as_str());
            let principal_ok = s
                .principal
                .as_ref()
                .is_none_or(|p| who.iter().flatten().any(|w| p.is_match(w)));
            let account_ok = s
                .account
                .as_ref()
                .is_none_or(|a| e.account.as_deref() == Some(a.as_str()));
            let source_ok = s.source.as_ref().is_none_or(|n| {
                e.source_ip
                    .as_deref()
                    .and_then(|ip| ip.parse().ok())
                    .is_some_and(|ip| n.contains(ip))
            });
            if rule_ok && principal_ok && account_ok && source_ok {
                s.hits += 1;
                return true;
            }
        }
        false
    }

    /// Drop suppressed alerts from `alerts`.
    pub fn filter(&mut self, alerts: &mut Vec<Alert>) {
        if self.is_empty() {
            return;
        }
        alerts.retain(|a| !self.suppress(a));
    }

    /// Total alerts dropped.
    pub fn dropped(&self) -> u64 {
        self.allowed + self.rules.iter().map(|s| s.hits).sum::<u64>()
    }

    /// One line per suppression that matched, for the run summary.
    pub fn report(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .rules
            .iter()
            .filter(|s| s.hits > 0)
            .map(|s| {
                format!(
                    "{} alert(s) suppressed for rule {}: {}",
                    s.hits, s.rule, s.reason
                )
            })
            .collect();
        if self.allowed > 0 {
            lines.push(format!(
                "{} low/medium alert(s) of allow-listed automation dropped",
                self.allowed
            ));
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use warden_core::{EventFacts, RuleInfo};

    use super::*;

    fn alert(level: Level, principal: &str, ip: &str) -> Alert {
        Alert {
            rule: Arc::new(RuleInfo {
                id: "id-1".into(),
                name: Some("aws_iam_user_created".into()),
                title: "t".into(),
                level,
                tags: vec![],
                description: String::new(),
                falsepositives: vec![],
                correlation: false,
                novelty: false,
            }),
            event: EventFacts {
                principal: Some(principal.into()),
                account: Some("123456789012".into()),
                source_ip: Some(ip.into()),
                ..Default::default()
            },
            file: Arc::from("f"),
            record: 1,
            related: vec![],
            group: vec![],
            raw: None,
            repeats: 0,
        }
    }

    fn entry(rule: &str) -> SuppressionConfig {
        SuppressionConfig {
            rule: rule.into(),
            principal: None,
            account: None,
            source_ip: None,
            until: None,
            reason: "because".into(),
        }
    }

    const NOW: Timestamp = Timestamp(1_793_750_400_000); // 2026-11-04

    #[test]
    fn matches_all_given_parts() {
        let e = SuppressionConfig {
            principal: Some("arn:aws:iam::*:role/ci-*".into()),
            source_ip: Some("10.0.0.0/8".into()),
            ..entry("aws_iam_user_created")
        };
        let (mut s, notes) = Suppressor::new(&[e], &AllowConfig::default(), NOW).unwrap();
        assert!(notes.is_empty());
        assert!(s.suppress(&alert(
            Level::High,
            "arn:aws:iam::1:role/ci-deploy",
            "10.1.1.1"
        )));
        assert!(!s.suppress(&alert(
            Level::High,
            "arn:aws:iam::1:role/ci-deploy",
            "8.8.8.8"
        )));
        assert!(!s.suppress(&alert(Level::High, "arn:aws:iam::1:user/bob", "10.1.1.1")));
        assert_eq!(s.dropped(), 1);
        assert_eq!(s.report().len(), 1);
    }

    #[test]
    fn expired_entries_do_not_apply() {
        let e = SuppressionConfig {
            until: Some("2026-11-03".into()),
            ..entry("*")
        };
        let (mut s, notes) = Suppressor::new(&[e], &AllowConfig::default(), NOW).unwrap();
        assert_eq!(notes.len(), 1);
        assert!(!s.suppress(&alert(Level::Low, "x", "1.1.1.1")));
        let e = SuppressionConfig {
            until: Some("2026-11-04".into()),
            ..entry("*")
        };
        let (mut s, _) = Suppressor::new(&[e], &AllowConfig::default(), NOW).unwrap();
        assert!(
            s.suppress(&alert(Level::Low, "x", "1.1.1.1")),
            "until is inclusive"
        );
    }

    #[test]
    fn bad_entries_are_errors() {
        let no_reason = SuppressionConfig {
            reason: " ".into(),
            ..entry("*")
        };
        assert!(Suppressor::new(&[no_reason], &AllowConfig::default(), NOW).is_err());
        let bad_date = SuppressionConfig {
            until: Some("soon".into()),
            ..entry("*")
        };
        assert!(Suppressor::new(&[bad_date], &AllowConfig::default(), NOW)
            .unwrap_err()
            .contains("until"));
        let bad_net = SuppressionConfig {
            source_ip: Some("10.0.0.0/99".into()),
            ..entry("*")
        };
        assert!(Suppressor::new(&[bad_net], &AllowConfig::default(), NOW).is_err());
    }

    #[test]
    fn automation_keeps_high_alerts() {
        let allow = AllowConfig {
            principals: vec!["arn:aws:iam::*:role/terraform".into()],
        };
        let (mut s, _) = Suppressor::new(&[], &allow, NOW).unwrap();
        assert!(s.suppress(&alert(
            Level::Medium,
            "arn:aws:iam::1:role/terraform",
            "1.1.1.1"
        )));
        assert!(!s.suppress(&alert(
            Level::High,
            "arn:aws:iam::1:role/terraform",
            "1.1.1.1"
        )));
    }
}
