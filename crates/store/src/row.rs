//! Turning a decoded event into the row the store keeps.

use warden_core::{Accessor, EventView};

use crate::EventRow;

/// FNV-1a, 64 bits: a stable id for events that carry none of their own.
fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The store's id for an event: `kind:event id`, or `kind:h<hash of its
/// text>` when it has no id. Alerts use the same form to point at events.
pub fn uid(kind: &str, event_id: Option<&str>, raw: &str) -> String {
    match event_id {
        Some(id) if !id.is_empty() => format!("{kind}:{id}"),
        _ => format!("{kind}:h{:016x}", fnv(raw)),
    }
}

impl EventRow {
    pub fn from_view(ev: &EventView<'_>) -> EventRow {
        let get = |a| ev.accessor(a).map(|c| c.into_owned());
        let kind = ev.kind.as_str().to_string();
        let id = get(Accessor::EventId);
        let principal = get(Accessor::PrincipalArn).or_else(|| get(Accessor::UserName));
        EventRow {
            uid: uid(&kind, id.as_deref(), ev.raw),
            time_ms: ev.time().map(|t| t.millis()).unwrap_or(0),
            account: get(Accessor::Account),
            region: get(Accessor::Region),
            principal,
            user_name: get(Accessor::UserName),
            access_key: get(Accessor::AccessKeyId),
            source_ip: get(Accessor::SourceIp),
            user_agent: get(Accessor::UserAgent),
            event_source: get(Accessor::EventSource),
            event_name: get(Accessor::EventName).or_else(|| get(Accessor::EventType)),
            error_code: get(Accessor::ErrorCode).or_else(|| {
                // Okta: a failed outcome is the error.
                get(Accessor::Outcome)
                    .filter(|o| o.eq_ignore_ascii_case("FAILURE") || o.eq_ignore_ascii_case("DENY"))
            }),
            severity: get(Accessor::Severity).and_then(|s| s.parse().ok()),
            title: get(Accessor::Title),
            s3_bucket: get(Accessor::S3Bucket),
            s3_key: get(Accessor::S3Key),
            raw: ev.raw.to_string(),
            kind,
        }
    }
}
