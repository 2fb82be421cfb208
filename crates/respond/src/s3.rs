//! Reading objects from Amazon S3 for the image guard, with a size limit
//! checked before the body is read.

use aws_sdk_s3::Client;

/// An `s3://bucket/key` address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Url {
    pub bucket: String,
    pub key: String,
}

impl S3Url {
    pub fn parse(s: &str) -> Result<S3Url, String> {
        let rest = s
            .strip_prefix("s3://")
            .ok_or_else(|| format!("'{s}' is not an s3://bucket/key address"))?;
        let (bucket, key) = rest
            .split_once('/')
            .filter(|(b, k)| !b.is_empty() && !k.is_empty())
            .ok_or_else(|| format!("'{s}' needs a bucket and a key: s3://bucket/key"))?;
        Ok(S3Url {
            bucket: bucket.to_string(),
            key: key.to_string(),
        })
    }
}

/// The usual AWS configuration (environment, profile, SSO, instance or
/// Lambda role; `AWS_ENDPOINT_URL` for local stand-ins).
pub async fn sdk_config() -> aws_config::SdkConfig {
    aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await
}

/// An S3 client from the usual AWS configuration. Custom endpoints
/// (`AWS_ENDPOINT_URL`, e.g. MinIO or a local stand-in) get path-style
/// addressing, which they need.
pub async fn client() -> Client {
    let conf = sdk_config().await;
    let custom = ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"]
        .iter()
        .any(|k| std::env::var(k).is_ok_and(|v| !v.is_empty()));
    let s3 = aws_sdk_s3::config::Builder::from(&conf)
        .force_path_style(custom)
        .build();
    Client::from_conf(s3)
}

/// An object read whole.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub bytes: Vec<u8>,
    /// The version read, on versioned buckets.
    pub version: Option<String>,
    pub etag: Option<String>,
    pub content_type: Option<String>,
}

/// The message for an AWS SDK error: the service's code and message
/// (`NoSuchBucket: The specified bucket does not exist`) when it answered,
/// else the cause chain (connection refused, timeout…).
pub fn sdk_error<E>(e: &E) -> String
where
    E: aws_sdk_s3::error::ProvideErrorMetadata + std::error::Error + 'static,
{
    match (e.code(), e.message()) {
        (Some(c), Some(m)) => format!("{c}: {m}"),
        (Some(c), None) => c.to_string(),
        _ => aws_sdk_s3::error::DisplayErrorContext(e).to_string(),
    }
}

/// The object's bytes and version id; refused when it is larger than
/// `max_bytes` (the size is asked first).
pub async fn fetch(
    c: &Client,
    u: &S3Url,
    max_bytes: usize,
) -> Result<(Vec<u8>, Option<String>), String> {
    fetch_version(c, u, None, max_bytes)
        .await
        .map(|f| (f.bytes, f.version))
}

/// One version of an object (the current one when `version` is `None`),
/// refused when it is larger than `max_bytes`: the size is asked first,
/// and that same version is then read, so a concurrent overwrite cannot
/// slip a different object in between.
pub async fn fetch_version(
    c: &Client,
    u: &S3Url,
    version: Option<&str>,
    max_bytes: usize,
) -> Result<Fetched, String> {
    let err = |what: &str, e: String| format!("s3://{}/{}: {what}: {e}", u.bucket, u.key);
    let head = c
        .head_object()
        .bucket(&u.bucket)
        .key(&u.key)
        .set_version_id(version.map(String::from))
        .send()
        .await
        .map_err(|e| err("cannot read", sdk_error(&e)))?;
    let size = head.content_length().unwrap_or(0).max(0) as usize;
    if size > max_bytes {
        return Err(format!(
            "s3://{}/{}: the object is {size} bytes; the limit is {max_bytes}",
            u.bucket, u.key
        ));
    }
    let obj = c
        .get_object()
        .bucket(&u.bucket)
        .key(&u.key)
        .set_version_id(head.version_id().map(String::from))
        .send()
        .await
        .map_err(|e| err("cannot read", sdk_error(&e)))?;
    let version = obj.version_id().map(String::from);
    let etag = obj.e_tag().map(String::from);
    let content_type = obj.content_type().map(String::from);
    let bytes = obj
        .body
        .collect()
        .await
        .map_err(|e| err("cannot read the body", e.to_string()))?
        .into_bytes();
    if bytes.len() > max_bytes {
        return Err(format!(
            "s3://{}/{}: the object grew past the limit while it was read",
            u.bucket, u.key
        ));
    }
    Ok(Fetched {
        bytes: bytes.to_vec(),
        version: version.filter(|v| v != "null"),
        etag,
        content_type,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_s3_addresses() {
        assert_eq!(
            S3Url::parse("s3://uploads/a/b c.png").unwrap(),
            S3Url {
                bucket: "uploads".into(),
                key: "a/b c.png".into()
            }
        );
        for bad in [
            "uploads/a.png",
            "s3://",
            "s3://bucket",
            "s3://bucket/",
            "s3:///key",
        ] {
            assert!(S3Url::parse(bad).is_err(), "{bad}");
        }
    }
}
