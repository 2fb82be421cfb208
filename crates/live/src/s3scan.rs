//! An S3 prefix read as a source: list it, oldest key order, and hand out
//! the objects not yet done. What is done is the caller's checkpoint (the
//! store's `sources` table in warden: a key is marked only after its
//! events, incidents and notifications are stored), so a crash re-reads
//! at most the object in flight — and its events are not stored twice.

use aws_sdk_s3::Client;
use warden_respond::s3::sdk_error;

/// One listed object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub key: String,
    pub size: u64,
    /// Last modified, ms since the epoch.
    pub mtime_ms: i64,
}

/// `s3://bucket/prefix` (the prefix may be empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prefix {
    pub bucket: String,
    pub prefix: String,
}

impl Prefix {
    pub fn parse(s: &str) -> Result<Prefix, String> {
        let rest = s
            .strip_prefix("s3://")
            .ok_or_else(|| format!("'{s}' is not an s3://bucket/prefix address"))?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(format!("'{s}' needs a bucket: s3://bucket/prefix"));
        }
        Ok(Prefix {
            bucket: bucket.to_string(),
            prefix: prefix.to_string(),
        })
    }
}

impl std::fmt::Display for Prefix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "s3://{}/{}", self.bucket, self.prefix)
    }
}

/// Every object under the prefix, in key order (S3 lists in UTF-8 binary
/// order; CloudTrail's keys put the date in the path, so this is roughly
/// time order within a region). Folder markers are skipped.
pub async fn list(c: &Client, p: &Prefix) -> Result<Vec<Listed>, String> {
    let mut out = Vec::new();
    let mut pages = c
        .list_objects_v2()
        .bucket(&p.bucket)
        .prefix(&p.prefix)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| format!("{p}: cannot list: {}", sdk_error(&e)))?;
        for o in page.contents() {
            let Some(key) = o.key() else { continue };
            if key.ends_with('/') {
                continue;
            }
            out.push(Listed {
                key: key.to_string(),
                size: o.size().unwrap_or(0).max(0) as u64,
                mtime_ms: o
                    .last_modified()
                    .and_then(|t| t.to_millis().ok())
                    .unwrap_or(0),
            });
        }
    }
    out.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_parse() {
        assert_eq!(
            Prefix::parse("s3://trail/AWSLogs/1/").unwrap(),
            Prefix {
                bucket: "trail".into(),
                prefix: "AWSLogs/1/".into()
            }
        );
        assert_eq!(Prefix::parse("s3://trail").unwrap().prefix, "");
        assert!(Prefix::parse("trail/x").is_err());
        assert!(Prefix::parse("s3:///x").is_err());
    }
}
