//! What a queued message or a Lambda event asks for, whatever envelope it
//! came in: an S3 event notification, the same wrapped in SNS, an
//! EventBridge event (S3 "Object Created", or a CloudTrail API call), or
//! CloudTrail's own "log file delivered" SNS notice.

use serde_json::Value;

/// One piece of work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Work {
    /// A new object: a log file to read, or an upload to check when its
    /// name says image (the bytes decide).
    Object(ObjectRef),
    /// Log events carried in the message itself (EventBridge `detail`).
    Events(Vec<u8>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectRef {
    pub bucket: String,
    pub key: String,
    pub size: Option<u64>,
    pub version: Option<String>,
    /// The notification's event name, e.g. `ObjectCreated:Put`.
    pub event: String,
}

/// A message that is not something warden understands; it is retried and,
/// after the queue's `maxReceiveCount`, moved to its dead-letter queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvelopeError(pub String);

impl std::fmt::Display for EnvelopeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// S3 notifications form-encode keys (`+` for space, `%XX` for bytes).
pub fn decode_notification_key(k: &str) -> String {
    let b = k.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                match u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16)
                {
                    Ok(v) => {
                        out.push(v);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn string(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).map(String::from)
}

/// The work in one message body (SQS) or event (Lambda).
pub fn parse(body: &[u8]) -> Result<Vec<Work>, EnvelopeError> {
    let v: Value = serde_json::from_slice(body).map_err(|e| {
        EnvelopeError(format!(
            "the message is not JSON ({e}); expected an S3 notification or an EventBridge event"
        ))
    })?;
    parse_value(&v, 0)
}

pub fn parse_value(v: &Value, depth: usize) -> Result<Vec<Work>, EnvelopeError> {
    if depth > 3 {
        return Err(EnvelopeError("envelopes nested too deep".into()));
    }
    let unknown = || {
        EnvelopeError("not an S3 event notification, an EventBridge event or a CloudTrail delivery notice: nothing to do with it".into())
    };
    let Some(o) = v.as_object() else {
        return Err(unknown());
    };
    // SNS → SQS without raw delivery: the real message is a JSON string.
    if o.get("Type").and_then(Value::as_str) == Some("Notification") {
        let inner = o
            .get("Message")
            .and_then(Value::as_str)
            .ok_or_else(|| EnvelopeError("an SNS notification without a Message".into()))?;
        let inner: Value = serde_json::from_str(inner)
            .map_err(|e| EnvelopeError(format!("the SNS Message is not JSON: {e}")))?;
        return parse_value(&inner, depth + 1);
    }
    // The test message S3 sends when notifications are set up.
    if o.get("Event").and_then(Value::as_str) == Some("s3:TestEvent") {
        return Ok(Vec::new());
    }
    // CloudTrail's log-delivery notice.
    if let (Some(bucket), Some(keys)) = (
        string(o.get("s3Bucket")),
        o.get("s3ObjectKey").and_then(Value::as_array),
    ) {
        return Ok(keys
            .iter()
            .filter_map(Value::as_str)
            .map(|k| {
                Work::Object(ObjectRef {
                    bucket: bucket.clone(),
                    key: k.to_string(),
                    size: None,
                    version: None,
                    event: "CloudTrailLogDelivered".into(),
                })
            })
            .collect());
    }
    if let Some(dt) = o.get("detail-type").and_then(Value::as_str) {
        let detail = o.get("detail").filter(|d| d.is_object()).ok_or_else(|| {
            EnvelopeError(format!(
                "an EventBridge '{dt}' event without a detail object"
            ))
        })?;
        if dt == "Object Created" {
            let bucket = string(detail.pointer("/bucket/name"));
            let key = string(detail.pointer("/object/key"));
            return match (bucket, key) {
                (Some(bucket), Some(key)) => Ok(vec![Work::Object(ObjectRef {
                    bucket,
                    key,
                    size: detail.pointer("/object/size").and_then(Value::as_u64),
                    version: string(detail.pointer("/object/version-id")),
                    event: "Object Created".into(),
                })]),
                _ => Err(EnvelopeError(
                    "an EventBridge 'Object Created' event without detail.bucket.name and detail.object.key".into(),
                )),
            };
        }
        // CloudTrail API calls, GuardDuty findings and other service
        // events: the detail is the log record itself.
        return Ok(vec![Work::Events(detail.to_string().into_bytes())]);
    }
    if let Some(records) = o.get("Records").and_then(Value::as_array) {
        let mut out = Vec::new();
        for (i, r) in records.iter().enumerate() {
            match r.get("eventSource").and_then(Value::as_str) {
                Some("aws:s3") => {
                    let name = string(r.get("eventName")).unwrap_or_default();
                    if !name.starts_with("ObjectCreated:") {
                        continue;
                    }
                    let bucket = string(r.pointer("/s3/bucket/name"));
                    let key = string(r.pointer("/s3/object/key"));
                    let (Some(bucket), Some(key)) = (bucket, key) else {
                        return Err(EnvelopeError(format!(
                            "Records[{i}]: an S3 notification without s3.bucket.name and s3.object.key"
                        )));
                    };
                    out.push(Work::Object(ObjectRef {
                        bucket,
                        key: decode_notification_key(&key),
                        size: r.pointer("/s3/object/size").and_then(Value::as_u64),
                        version: string(r.pointer("/s3/object/versionId")),
                        event: name,
                    }));
                }
                // CloudTrail records sent as they are.
                _ if r.get("eventVersion").is_some() && r.get("eventName").is_some() => {
                    out.push(Work::Events(r.to_string().into_bytes()));
                }
                _ => {
                    return Err(EnvelopeError(format!(
                        "Records[{i}] is neither an S3 notification nor a CloudTrail event"
                    )))
                }
            }
        }
        return Ok(out);
    }
    // One CloudTrail event on its own.
    if o.get("eventVersion").is_some() && o.get("eventSource").is_some() {
        return Ok(vec![Work::Events(
            serde_json::to_vec(v).unwrap_or_default(),
        )]);
    }
    Err(unknown())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn s3_note(key: &str) -> Value {
        json!({"Records": [{"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "us-east-1",
            "eventTime": "2026-11-20T10:00:00.000Z", "eventName": "ObjectCreated:Put",
            "s3": {"s3SchemaVersion": "1.0", "bucket": {"name": "uploads", "arn": "arn:aws:s3:::uploads"},
                   "object": {"key": key, "size": 1234, "versionId": "v7", "eTag": "abc"}}}]})
    }

    fn obj(w: &Work) -> &ObjectRef {
        match w {
            Work::Object(o) => o,
            _ => panic!("object expected: {w:?}"),
        }
    }

    #[test]
    fn s3_notifications_decode_keys() {
        let w = parse(
            s3_note("photos/my+scan%C3%BC%2B1.png")
                .to_string()
                .as_bytes(),
        )
        .unwrap();
        let o = obj(&w[0]);
        assert_eq!(
            (o.key.as_str(), o.size, o.version.as_deref()),
            ("photos/my scanü+1.png", Some(1234), Some("v7"))
        );
        // Wrapped in SNS.
        let sns = json!({"Type": "Notification", "MessageId": "m", "Message": s3_note("a.png").to_string()});
        assert_eq!(
            obj(&parse(sns.to_string().as_bytes()).unwrap()[0]).key,
            "a.png"
        );
        // Removals are not work; the setup test message is nothing.
        let mut rm = s3_note("a.png");
        rm["Records"][0]["eventName"] = json!("ObjectRemoved:Delete");
        assert!(parse(rm.to_string().as_bytes()).unwrap().is_empty());
        assert!(
            parse(br#"{"Service":"Amazon S3","Event":"s3:TestEvent","Bucket":"b"}"#)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn eventbridge_and_cloudtrail_notices() {
        let created = json!({"version": "0", "detail-type": "Object Created", "source": "aws.s3",
            "detail": {"bucket": {"name": "uploads"}, "object": {"key": "a b.png", "size": 5, "version-id": "v1"}}});
        let o = parse(created.to_string().as_bytes()).unwrap();
        assert_eq!(
            obj(&o[0]).key,
            "a b.png",
            "EventBridge keys are not encoded"
        );
        let call = json!({"detail-type": "AWS API Call via CloudTrail", "source": "aws.cloudtrail",
            "detail": {"eventVersion": "1.09", "eventName": "StopLogging"}});
        let Work::Events(b) = &parse(call.to_string().as_bytes()).unwrap()[0] else {
            panic!()
        };
        assert!(String::from_utf8_lossy(b).contains("StopLogging"));
        let ct = json!({"s3Bucket": "trail", "s3ObjectKey": ["AWSLogs/1/CloudTrail/x.json.gz", "y.json.gz"]});
        assert_eq!(parse(ct.to_string().as_bytes()).unwrap().len(), 2);
    }

    #[test]
    fn hostile_messages_are_refused_with_a_reason() {
        for (body, want) in [
            (&b"not json"[..], "not JSON"),
            (b"[1,2]", "not an S3 event notification"),
            (b"{}", "not an S3 event notification"),
            (br#"{"Type":"Notification","Message":"{oops"}"#, "SNS Message is not JSON"),
            (br#"{"Type":"Notification"}"#, "without a Message"),
            (br#"{"detail-type":"Object Created","detail":{}}"#, "without detail.bucket.name"),
            (br#"{"detail-type":"X","detail":5}"#, "without a detail object"),
            (br#"{"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{}}]}"#, "Records[0]"),
            (br#"{"Records":[{"what":1}]}"#, "Records[0] is neither"),
        ] {
            let e = parse(body).unwrap_err();
            assert!(e.0.contains(want), "{}: {e}", String::from_utf8_lossy(body));
        }
        // SNS inside SNS inside SNS… stops.
        let mut v = s3_note("a.png");
        for _ in 0..5 {
            v = json!({"Type": "Notification", "Message": v.to_string()});
        }
        assert!(parse(v.to_string().as_bytes())
            .unwrap_err()
            .0
            .contains("too deep"));
        assert_eq!(decode_notification_key("100%"), "100%");
        assert_eq!(decode_notification_key("a%zz%4"), "a%zz%4");
    }
}
