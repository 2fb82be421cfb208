//! Carrying out a remediation on S3: quarantine (copy with tags and
//! metadata saying why → read the copy back and compare its SHA-256 with
//! the bytes that were scanned → delete the original version) or delete.
//!
//! Every destructive step is preceded by an audit record; if the record
//! cannot be written, the step does not happen. An object that changed
//! since it was scanned (another ETag) is left alone and the remediation
//! fails with a message saying to scan again.

use aws_lc_rs::digest;
use aws_sdk_s3::types::{MetadataDirective, TaggingDirective};
use aws_sdk_s3::Client;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::s3::{sdk_error, S3Url};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Quarantine,
    Delete,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Quarantine => "quarantine",
            Action::Delete => "delete",
        }
    }
    pub fn past(self) -> &'static str {
        match self {
            Action::Quarantine => "quarantined",
            Action::Delete => "deleted",
        }
    }
}

/// Everything needed to carry out one remediation later (it is stored as
/// JSON with the approval request).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remediation {
    /// The approval id (`Q-…`).
    pub id: String,
    pub incident_id: String,
    pub action: Action,
    pub bucket: String,
    pub key: String,
    /// The version scanned (versioned buckets); that version is removed.
    pub version: Option<String>,
    /// The ETag scanned; a different one means the object changed.
    pub etag: Option<String>,
    /// SHA-256 of the bytes scanned.
    pub sha256: String,
    pub size: u64,
    pub content_type: Option<String>,
    pub quarantine_bucket: String,
    pub quarantine_key: String,
    pub level: String,
    /// `KR_RRN×1, EMAIL×2` — never the values.
    pub entities: String,
    pub uploader: Option<String>,
}

impl Remediation {
    pub fn target(&self) -> String {
        format!(
            "s3://{}/{}{}",
            self.bucket,
            self.key,
            self.version
                .as_deref()
                .map(|v| format!("?versionId={v}"))
                .unwrap_or_default()
        )
    }
    pub fn reason(&self) -> String {
        format!("personal data in an image: {}", self.entities)
    }
}

/// Where audit records go (the store, in warden). Writing one must succeed
/// before the step it describes happens.
pub trait Ledger: Send + Sync {
    fn audit(&self, actor: &str, action: &str, target: &str, detail: &str) -> Result<(), String>;
}

/// Percent-encode a key for `x-amz-copy-source` (slashes stay).
fn encode_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for b in key.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// S3 tags are a URL query string.
fn encode_tags(tags: &[(&str, &str)]) -> String {
    tags.iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                encode_key(k).replace('/', "%2F"),
                encode_key(v).replace('/', "%2F")
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Tag values allow letters, digits, spaces and `+ - = . _ : / @`.
fn tag_value(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || " +-=._:/@".contains(c) {
                c
            } else {
                '_'
            }
        })
        .take(256)
        .collect()
}

/// Carry out `r` as `actor`; the result says what was done.
pub async fn execute(
    c: &Client,
    r: &Remediation,
    actor: &str,
    why: &str,
    ledger: &dyn Ledger,
) -> Result<String, String> {
    let src = S3Url {
        bucket: r.bucket.clone(),
        key: r.key.clone(),
    };
    let place = format!("s3://{}/{}", src.bucket, src.key);
    // The object must still be the one that was scanned.
    let head = c
        .head_object()
        .bucket(&src.bucket)
        .key(&src.key)
        .set_version_id(r.version.clone())
        .send()
        .await
        .map_err(|e| {
            format!(
                "{place}: cannot read it before acting ({}); nothing was changed",
                sdk_error(&e)
            )
        })?;
    if let (Some(want), Some(have)) = (&r.etag, head.e_tag()) {
        if want != have {
            return Err(format!("{place}: the object changed since it was scanned (ETag {have}, scanned {want}); nothing was changed — the new upload is checked on its own when its event arrives"));
        }
    }
    let version = head
        .version_id()
        .map(String::from)
        .filter(|v| v != "null")
        .or(r.version.clone());
    let base = json!({
        "approval": r.id, "incident": r.incident_id, "version": version, "sha256": r.sha256,
        "entities": r.entities, "level": r.level, "why": why, "uploader": r.uploader,
    });
    if r.action == Action::Quarantine {
        let dest = format!("s3://{}/{}", r.quarantine_bucket, r.quarantine_key);
        let mut detail = base.clone();
        detail["to"] = json!(dest);
        ledger.audit(
            actor,
            "image.quarantine.copy",
            &r.target(),
            &detail.to_string(),
        )?;
        let source = format!(
            "{}/{}{}",
            src.bucket,
            encode_key(&src.key),
            version
                .as_deref()
                .map(|v| format!("?versionId={v}"))
                .unwrap_or_default()
        );
        let tags = encode_tags(&[
            ("warden-quarantine", "true"),
            ("warden-reason", &tag_value(&format!("PII {}", r.entities))),
            ("warden-level", &r.level),
            ("warden-approval", &r.id),
        ]);
        c.copy_object()
            .bucket(&r.quarantine_bucket)
            .key(&r.quarantine_key)
            .copy_source(source)
            .metadata_directive(MetadataDirective::Replace)
            .set_content_type(
                head.content_type()
                    .map(String::from)
                    .or(r.content_type.clone()),
            )
            .metadata("warden-reason", tag_value(&r.reason()))
            .metadata("warden-source", tag_value(&place))
            .metadata(
                "warden-source-version",
                version.clone().unwrap_or_else(|| "none".into()),
            )
            .metadata("warden-sha256", &r.sha256)
            .metadata("warden-incident", &r.incident_id)
            .metadata("warden-actor", tag_value(actor))
            .tagging_directive(TaggingDirective::Replace)
            .tagging(tags)
            .send()
            .await
            .map_err(|e| {
                format!(
                    "{place}: the copy to {dest} failed ({}); the original was left in place",
                    sdk_error(&e)
                )
            })?;
        // Verify: the copy's bytes are the scanned bytes.
        let copy = crate::s3::fetch_version(
            c,
            &S3Url {
                bucket: r.quarantine_bucket.clone(),
                key: r.quarantine_key.clone(),
            },
            None,
            (r.size as usize).saturating_add(1),
        )
        .await
        .map_err(|e| {
            format!("{dest}: cannot read the copy back ({e}); the original was left in place")
        })?;
        let sha = crate::images::hex(digest::digest(&digest::SHA256, &copy.bytes).as_ref());
        if sha != r.sha256 {
            return Err(format!("{dest}: the copy does not match the scanned object (SHA-256 {sha}, expected {}); the original was left in place", r.sha256));
        }
        ledger.audit(
            actor,
            "image.quarantine.verified",
            &dest,
            &json!({"sha256": sha, "bytes": copy.bytes.len()}).to_string(),
        )?;
    }
    let mut detail = base;
    detail["step"] = json!("delete the original");
    ledger.audit(
        actor,
        &format!("image.{}.delete_original", r.action.as_str()),
        &r.target(),
        &detail.to_string(),
    )?;
    c.delete_object()
        .bucket(&src.bucket)
        .key(&src.key)
        .set_version_id(version.clone())
        .send()
        .await
        .map_err(|e| format!("{place}: deleting the original failed ({})", sdk_error(&e)))?;
    let done = match (r.action, &version) {
        (Action::Quarantine, Some(v)) => format!(
            "quarantined to s3://{}/{}; version {v} of {place} removed",
            r.quarantine_bucket, r.quarantine_key
        ),
        (Action::Quarantine, None) => format!(
            "quarantined to s3://{}/{}; {place} removed",
            r.quarantine_bucket, r.quarantine_key
        ),
        (Action::Delete, Some(v)) => format!("version {v} of {place} deleted"),
        (Action::Delete, None) => format!("{place} deleted"),
    };
    ledger.audit(
        actor,
        &format!("image.{}.done", r.action.as_str()),
        &r.target(),
        &done,
    )?;
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_sources_and_tags_are_encoded() {
        assert_eq!(encode_key("a b/ü+x.png"), "a%20b/%C3%BC%2Bx.png");
        assert_eq!(
            encode_tags(&[("warden-reason", "PII a/b"), ("k", "v&w")]),
            "warden-reason=PII%20a%2Fb&k=v%26w"
        );
        assert_eq!(tag_value("KR_RRN×1, EMAIL×2"), "KR_RRN_1_ EMAIL_2");
    }
}
