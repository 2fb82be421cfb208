//! Plain-language summaries and recommended actions from templates.
//!
//! The LLM layer (a later stage) may rewrite these words; the facts they
//! state come from the incident and never from a model.

use warden_core::{Alert, Incident};

use crate::{short_principal, when};

fn list(items: &[String], max: usize) -> String {
    let mut s = items
        .iter()
        .take(max)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > max {
        s.push_str(&format!(" and {} more", items.len() - max));
    }
    s
}

/// One paragraph: who, what, where, when, how bad and why.
pub fn summary(inc: &Incident, alerts: &[Alert], lead: &Alert) -> String {
    let who = inc
        .principal
        .as_deref()
        .map(|p| {
            let short = short_principal(p);
            match inc.principal_type.as_deref() {
                Some(t) => format!("{short} ({t})"),
                None => short,
            }
        })
        .unwrap_or_else(|| "An unidentified actor".into());
    let mut s = who;
    if !inc.source_ips.is_empty() {
        s.push_str(&format!(" from {}", list(&inc.source_ips, 3)));
    }
    let n = alerts.len();
    if inc.first_seen == inc.last_seen {
        s.push_str(&format!(
            " triggered {n} detection{} at {}",
            if n == 1 { "" } else { "s" },
            when(inc.first_seen)
        ));
    } else {
        s.push_str(&format!(
            " triggered {n} detections between {} and {}",
            when(inc.first_seen),
            when(inc.last_seen)
        ));
    }
    if let Some(acct) = &inc.account {
        s.push_str(&format!(" in account {acct}"));
    }
    s.push_str(&format!(": {}.", list(&inc.rules, 5)));
    if !inc.event_names.is_empty() {
        s.push_str(&format!(
            " Actions involved: {}.",
            list(&inc.event_names, 8)
        ));
    }
    s.push_str(&format!(
        " The most serious is \"{}\" ({}).",
        lead.rule.title, lead.rule.level
    ));
    for c in alerts.iter().filter(|a| a.rule.correlation).take(2) {
        let grp = c
            .group
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(", ");
        s.push_str(&format!(
            " Correlation \"{}\" linked {} events{}.",
            c.rule.title,
            c.related.len(),
            if grp.is_empty() {
                String::new()
            } else {
                format!(" for {grp}")
            }
        ));
    }
    if inc.reference.is_image_upload {
        s.push_str(&format!(
            " An image was uploaded to s3://{}/{}; it should be screened for personal data.",
            inc.reference.s3_bucket.as_deref().unwrap_or("?"),
            inc.reference.s3_key.as_deref().unwrap_or("?")
        ));
    }
    if !inc.techniques.is_empty() {
        s.push_str(&format!(" ATT&CK: {}.", list(&inc.techniques, 6)));
    }
    s.push_str(&format!(
        " Threat level {} ({}).",
        inc.threat_level, inc.threat_reason
    ));
    s
}

/// The `Response:` sentences of the rules involved, most severe first.
pub fn actions(alerts: &[Alert]) -> Vec<String> {
    let mut sorted: Vec<&Alert> = alerts.iter().collect();
    sorted.sort_by_key(|a| std::cmp::Reverse(a.rule.level));
    let mut out: Vec<String> = Vec::new();
    for a in sorted {
        let d = &a.rule.description;
        let action = d
            .find("Response:")
            .map(|i| d[i + "Response:".len()..].trim().to_string())
            .filter(|s| !s.is_empty());
        if let Some(act) = action {
            let act = act.split_whitespace().collect::<Vec<_>>().join(" ");
            if !out.contains(&act) {
                out.push(act);
            }
        }
    }
    if out.is_empty() {
        out.push("Confirm with the principal's owner whether this activity was expected; if not, disable its credentials and review its recent activity.".into());
    }
    out
}
