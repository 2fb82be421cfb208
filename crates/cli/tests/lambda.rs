//! `warden` as a Lambda function, against a local stand-in of the Lambda
//! Runtime API (the protocol the real service speaks to a custom runtime):
//! API Gateway requests answered by the server's router (Slack signatures
//! checked), an SQS batch with one bad message reported in
//! `batchItemFailures`, an EventBridge CloudTrail event through detection,
//! and an event of no known kind reported as an error. Also prints the
//! handler's cold start (process start → first response) for the closing
//! figures.

use std::io::Write;
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

mod common;
use common::read_request;

/// What the runtime posted back: (request id, "response" or "error", body).
type Posted = Arc<Mutex<Vec<(String, String, Value)>>>;

/// A Runtime API that hands out `events` in order, then waits forever.
fn runtime_api(events: Vec<Value>) -> (String, Posted, Arc<Mutex<Option<Instant>>>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap().to_string();
    let posted: Posted = Default::default();
    let first_response: Arc<Mutex<Option<Instant>>> = Default::default();
    let (p, f) = (posted.clone(), first_response.clone());
    std::thread::spawn(move || {
        let mut next = 0;
        for stream in l.incoming() {
            let Ok(mut stream) = stream else { return };
            let (first, _headers, body) = read_request(&stream);
            let path = first.split(' ').nth(1).unwrap_or("").to_string();
            if path.ends_with("/invocation/next") {
                let Some(ev) = events.get(next) else {
                    std::thread::sleep(Duration::from_secs(3600));
                    return;
                };
                let id = format!("req-{next}");
                next += 1;
                let text = ev.to_string();
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nlambda-runtime-aws-request-id: {id}\r\nlambda-runtime-deadline-ms: {}\r\nlambda-runtime-invoked-function-arn: arn:aws:lambda:us-east-1:123456789012:function:warden\r\nlambda-runtime-trace-id: Root=1-0-0\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{text}",
                    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() + 60_000,
                    text.len()
                );
            } else {
                // .../invocation/{id}/response or .../error
                let parts: Vec<&str> = path.split('/').collect();
                let (id, kind) = (
                    parts[parts.len() - 2].to_string(),
                    parts[parts.len() - 1].to_string(),
                );
                f.lock().unwrap().get_or_insert(Instant::now());
                p.lock().unwrap().push((
                    id,
                    kind,
                    serde_json::from_slice(&body).unwrap_or(Value::Null),
                ));
                let _ = write!(
                    stream,
                    "HTTP/1.1 202 Accepted\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{{}}"
                );
            }
        }
    });
    (addr, posted, first_response)
}

#[test]
fn one_binary_handles_api_gateway_sqs_and_eventbridge_events() {
    let stop_logging = json!({
        "eventVersion": "1.09", "eventSource": "cloudtrail.amazonaws.com", "eventName": "StopLogging",
        "eventTime": "2026-11-20T10:00:00Z", "eventID": "ev-stop-1", "awsRegion": "us-east-1",
        "recipientAccountId": "111122223333", "sourceIPAddress": "198.51.100.23",
        "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/mallory", "userName": "mallory", "accountId": "111122223333"},
        "requestParameters": {"name": "main"}
    });
    let events = vec![
        json!({"version": "2.0", "routeKey": "GET /health", "rawPath": "/health", "rawQueryString": "",
               "headers": {"host": "x.execute-api.us-east-1.amazonaws.com"},
               "requestContext": {"http": {"method": "GET", "path": "/health"}}, "isBase64Encoded": false}),
        json!({"version": "2.0", "routeKey": "POST /slack/commands", "rawPath": "/slack/commands", "rawQueryString": "",
               "headers": {"content-type": "application/x-www-form-urlencoded", "x-slack-request-timestamp": "1",
                           "x-slack-signature": "v0=00"},
               "body": "dGV4dD1oaQ==", "isBase64Encoded": true,
               "requestContext": {"http": {"method": "POST", "path": "/slack/commands"}}}),
        json!({"Records": [
            {"messageId": "m-ok", "eventSource": "aws:sqs", "body": json!({"Service": "Amazon S3", "Event": "s3:TestEvent"}).to_string()},
            {"messageId": "m-bad", "eventSource": "aws:sqs", "body": "<xml/>"},
            {"messageId": "m-ct", "eventSource": "aws:sqs", "body": json!({"detail-type": "AWS API Call via CloudTrail", "source": "aws.cloudtrail", "detail": stop_logging}).to_string()}
        ]}),
        json!({"detail-type": "AWS API Call via CloudTrail", "source": "aws.cloudtrail", "detail": stop_logging}),
        json!({"hello": "world"}),
    ];
    let n = events.len();
    let (addr, posted, first) = runtime_api(events);
    let store = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_warden"))
        .env("AWS_LAMBDA_RUNTIME_API", &addr)
        .env("AWS_LAMBDA_FUNCTION_NAME", "warden")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_LOG_STREAM_NAME", "test")
        .env("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/warden")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("SLACK_SIGNING_SECRET", "lambda-test-secret")
        .env("WARDEN_STORE", store.path())
        .env("WARDEN_LOG", "error")
        .env_remove("WARDEN_CONFIG")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while posted.lock().unwrap().len() < n && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let got = posted.lock().unwrap().clone();
    assert_eq!(got.len(), n, "every event answered: {got:?}\n{stderr}");
    let cold = first.lock().unwrap().unwrap() - started;
    println!(
        "cold start (spawn → first response, debug build): {} ms",
        cold.as_millis()
    );

    // API Gateway → the server's router.
    assert_eq!(
        (got[0].1.as_str(), got[0].2["statusCode"].as_u64()),
        ("response", Some(200))
    );
    assert!(
        got[0].2["body"].as_str().unwrap().contains("ok"),
        "{:?}",
        got[0]
    );
    assert_eq!(
        got[1].2["statusCode"].as_u64(),
        Some(401),
        "a Slack request with a wrong signature is refused: {:?}",
        got[1]
    );
    // SQS: only the bad message comes back.
    assert_eq!(got[2].1, "response");
    assert_eq!(
        got[2].2,
        json!({"batchItemFailures": [{"itemIdentifier": "m-bad"}]})
    );
    // EventBridge: detection ran (and stored the event and incident).
    assert_eq!(
        (got[3].1.as_str(), &got[3].2),
        ("response", &json!({"done": 1}))
    );
    // Unknown: an error, so Lambda's retry and failure destination apply.
    assert_eq!(got[4].1, "error", "{:?}", got[4]);
    assert!(got[4]
        .2
        .to_string()
        .contains("not SQS, S3, EventBridge or API Gateway"));
    let s = warden_store::Store::open(store.path()).unwrap();
    let (events, _, _) = s.stats().unwrap();
    assert_eq!(
        events, 1,
        "the StopLogging event stored once (SQS and EventBridge carried the same event)"
    );
}

#[test]
fn the_deployment_template_passes_the_policy_check_and_a_loose_one_does_not() {
    let t = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy/aws/template.yaml");
    let o = Command::new(env!("CARGO_BIN_EXE_warden"))
        .args(["policy", "check", "--min-score", "8", "--format", "json"])
        .arg(&t)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let docs = v.as_array().unwrap();
    assert_eq!(
        docs.len(),
        3,
        "queue policy, trust policy, function policy: {v}"
    );
    for d in docs {
        assert!(d["score"].as_f64().unwrap() >= 8.0, "{d}");
    }
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // The same template with the delete permission on every bucket fails:
    // template references are specific, "*" is not.
    let text = std::fs::read_to_string(&t).unwrap().replace(
        "Action: [s3:DeleteObject, s3:DeleteObjectVersion]\n                Resource: !Sub arn:aws:s3:::${UploadBucketName}/*",
        "Action: [s3:DeleteObject, s3:DeleteObjectVersion, iam:PassRole, lambda:CreateFunction, lambda:InvokeFunction]\n                Resource: \"*\"",
    );
    assert!(text.contains("iam:PassRole"));
    let d = tempfile::tempdir().unwrap();
    let loose = d.path().join("loose.yaml");
    std::fs::write(&loose, text).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_warden"))
        .args(["policy", "check", "--min-score", "8", "--format", "json"])
        .arg(&loose)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}
