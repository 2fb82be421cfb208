//! Media type of an uploaded object from its key and logged content type.
//!
//! The reference pipeline asked an LLM whether an upload was an image; here
//! it is a lookup. (Magic-byte confirmation needs the object itself and
//! belongs to the image guard, which fetches it.)

/// Image types the image PII guard can inspect.
const IMAGE_EXTENSIONS: &[(&str, &str)] = &[
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("jpe", "image/jpeg"),
    ("gif", "image/gif"),
    ("webp", "image/webp"),
    ("tif", "image/tiff"),
    ("tiff", "image/tiff"),
    ("bmp", "image/bmp"),
    ("heic", "image/heic"),
    ("heif", "image/heif"),
];

const OTHER_EXTENSIONS: &[(&str, &str)] = &[
    ("pdf", "application/pdf"),
    ("json", "application/json"),
    ("csv", "text/csv"),
    ("txt", "text/plain"),
    ("zip", "application/zip"),
    ("gz", "application/gzip"),
    ("html", "text/html"),
    ("xml", "application/xml"),
    ("mp4", "video/mp4"),
];

/// S3 API calls that put a new object in place.
pub const UPLOAD_EVENTS: &[&str] = &[
    "PutObject",
    "CompleteMultipartUpload",
    "CopyObject",
    "POST Object",
];

fn extension(key: &str) -> Option<String> {
    let name = key.rsplit('/').next()?;
    let (_, ext) = name.rsplit_once('.')?;
    (!ext.is_empty() && ext.len() <= 5).then(|| ext.to_ascii_lowercase())
}

/// Media type: the logged content type when present, else from the key's
/// extension.
pub fn media_type(key: Option<&str>, content_type: Option<&str>) -> Option<String> {
    if let Some(ct) = content_type {
        let ct = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if ct.contains('/') {
            return Some(ct);
        }
    }
    let ext = extension(key?)?;
    IMAGE_EXTENSIONS
        .iter()
        .chain(OTHER_EXTENSIONS)
        .find(|(e, _)| *e == ext)
        .map(|(_, t)| t.to_string())
}

/// Whether an event uploads an image: an upload API and an image media type.
pub fn is_image_upload(
    event_name: Option<&str>,
    key: Option<&str>,
    content_type: Option<&str>,
) -> bool {
    let upload =
        event_name.is_some_and(|n| UPLOAD_EVENTS.iter().any(|u| u.eq_ignore_ascii_case(n)));
    upload && media_type(key, content_type).is_some_and(|m| m.starts_with("image/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types() {
        assert_eq!(
            media_type(Some("a/b/Scan.JPG"), None).as_deref(),
            Some("image/jpeg")
        );
        assert_eq!(
            media_type(Some("x.png"), Some("image/webp; q=1")).as_deref(),
            Some("image/webp")
        );
        assert_eq!(media_type(Some("noext"), None), None);
        assert_eq!(media_type(Some("dir.png/file"), None), None);
        assert!(is_image_upload(
            Some("PutObject"),
            Some("u/passport.jpeg"),
            None
        ));
        assert!(!is_image_upload(
            Some("GetObject"),
            Some("u/passport.jpeg"),
            None
        ));
        assert!(!is_image_upload(
            Some("PutObject"),
            Some("u/report.pdf"),
            None
        ));
        assert!(is_image_upload(
            Some("PutObject"),
            Some("u/blob"),
            Some("image/png")
        ));
    }
}
