//! Bedrock wire-format tests: the real AWS SDK client (SigV4 signing,
//! restJson1, the `application/vnd.amazon.eventstream` decoder) talks to a
//! local server that checks each request and answers exactly as Bedrock
//! Runtime's Converse and ConverseStream do, including error types in
//! `x-amzn-errortype`, exception frames inside a stream, cut-off streams
//! and corrupt frames.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_sdk_bedrockruntime::config::{BehaviorVersion, Credentials, Region};
use common::*;
use serde_json::{json, Value};
use warden_llm::bedrock::{Bedrock, BedrockSettings};
use warden_llm::retry::RetryPolicy;
use warden_llm::{Block, LlmError, Message, Provider, Request, Role, StopReason, Tool};

const MODEL: &str = "anthropic.claude-3-5-haiku-20241022-v1:0";
const MODEL_PATH: &str = "anthropic.claude-3-5-haiku-20241022-v1%3A0";

fn bedrock(base: &str, attempts: u32, timeout_ms: u64) -> Bedrock {
    let conf = aws_sdk_bedrockruntime::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "AKIDWARDENTEST",
            "test-secret",
            None,
            None,
            "test",
        ))
        .endpoint_url(base)
        .build();
    Bedrock::from_conf(
        conf,
        BedrockSettings {
            model: MODEL.into(),
            region: Some("us-east-1".into()),
            profile: None,
            endpoint_url: Some(base.into()),
            timeout: Duration::from_millis(timeout_ms),
            retry: RetryPolicy {
                attempts,
                base_delay: Duration::from_millis(5),
                max_delay: Duration::from_millis(20),
                factor: 2.0,
            },
        },
    )
}

fn request() -> Request {
    let mut r = Request::new("test", "You are warden.", "Summarise incident INC-1.");
    r.max_tokens = 300;
    r.tools.push(Tool {
        name: "get_incident".into(),
        description: "Fetch an incident".into(),
        input_schema: json!({"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}),
    });
    r
}

/// A Bedrock error answer: the type in `x-amzn-errortype`, as the service sends it.
fn error_reply(status: u16, kind: &str, message: &str) -> Reply {
    Reply {
        headers: vec![
            ("content-type", "application/json".into()),
            (
                "x-amzn-errortype",
                format!("{kind}:http://internal.amazon.com/coral/com.amazon.bedrock/"),
            ),
            ("x-amzn-requestid", "req-err".into()),
        ],
        ..json_reply(status, json!({"message": message}))
    }
}

/// CRC-32 (IEEE), as the event-stream framing uses.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// One `application/vnd.amazon.eventstream` message: prelude (total and
/// headers length, prelude CRC), string headers, payload, message CRC.
fn frame(headers: &[(&str, &str)], payload: &[u8]) -> Vec<u8> {
    let mut h = Vec::new();
    for (k, v) in headers {
        h.push(k.len() as u8);
        h.extend_from_slice(k.as_bytes());
        h.push(7); // string
        h.extend_from_slice(&(v.len() as u16).to_be_bytes());
        h.extend_from_slice(v.as_bytes());
    }
    let total = 12 + h.len() + payload.len() + 4;
    let mut m = Vec::with_capacity(total);
    m.extend_from_slice(&(total as u32).to_be_bytes());
    m.extend_from_slice(&(h.len() as u32).to_be_bytes());
    let c = crc32(&m);
    m.extend_from_slice(&c.to_be_bytes());
    m.extend_from_slice(&h);
    m.extend_from_slice(payload);
    let c = crc32(&m);
    m.extend_from_slice(&c.to_be_bytes());
    m
}

fn event(kind: &str, payload: Value) -> Vec<u8> {
    frame(
        &[
            (":event-type", kind),
            (":content-type", "application/json"),
            (":message-type", "event"),
        ],
        payload.to_string().as_bytes(),
    )
}

fn exception(kind: &str, message: &str) -> Vec<u8> {
    frame(
        &[
            (":exception-type", kind),
            (":content-type", "application/json"),
            (":message-type", "exception"),
        ],
        json!({"message": message}).to_string().as_bytes(),
    )
}

fn stream_reply(frames: Vec<Vec<u8>>) -> Reply {
    Reply {
        status: 200,
        headers: vec![
            ("content-type", "application/vnd.amazon.eventstream".into()),
            ("x-amzn-requestid", "req-stream-1".into()),
        ],
        body: frames.concat(),
        delay: Duration::ZERO,
    }
}

fn tool_stream() -> Vec<Vec<u8>> {
    vec![
        event("messageStart", json!({"role": "assistant"})),
        event(
            "contentBlockDelta",
            json!({"contentBlockIndex": 0, "delta": {"text": "Look"}}),
        ),
        event(
            "contentBlockDelta",
            json!({"contentBlockIndex": 0, "delta": {"text": "ing."}}),
        ),
        event("contentBlockStop", json!({"contentBlockIndex": 0})),
        event(
            "contentBlockStart",
            json!({"contentBlockIndex": 1, "start": {"toolUse": {"toolUseId": "tooluse_1", "name": "get_incident"}}}),
        ),
        event(
            "contentBlockDelta",
            json!({"contentBlockIndex": 1, "delta": {"toolUse": {"input": "{\"id\":"}}}),
        ),
        event(
            "contentBlockDelta",
            json!({"contentBlockIndex": 1, "delta": {"toolUse": {"input": "\"INC-1\"}"}}}),
        ),
        event("contentBlockStop", json!({"contentBlockIndex": 1})),
        event("messageStop", json!({"stopReason": "tool_use"})),
        event(
            "metadata",
            json!({"usage": {"inputTokens": 31, "outputTokens": 9, "totalTokens": 40}, "metrics": {"latencyMs": 250}}),
        ),
    ]
}

#[tokio::test]
async fn converse_request_is_signed_and_shaped_and_answer_parsed() {
    let (base, seen) = server(vec![Reply {
        headers: vec![
            ("content-type", "application/json".into()),
            ("x-amzn-requestid", "req-123".into()),
        ],
        ..json_reply(
            200,
            json!({
                "output": {"message": {"role": "assistant", "content": [
                    {"text": "Looking."},
                    {"toolUse": {"toolUseId": "tooluse_1", "name": "get_incident", "input": {"id": "INC-1"}}}
                ]}},
                "stopReason": "tool_use",
                "usage": {"inputTokens": 42, "outputTokens": 7, "totalTokens": 49},
                "metrics": {"latencyMs": 321}
            }),
        )
    }]);
    let p = bedrock(&base, 1, 3000);
    assert_eq!((p.name(), p.model()), ("bedrock", MODEL));
    let mut req = request();
    req.messages.push(Message {
        role: Role::Assistant,
        content: vec![Block::ToolUse {
            id: "tooluse_0".into(),
            name: "get_incident".into(),
            input: json!({"id": "INC-0"}),
        }],
    });
    req.messages.push(Message {
        role: Role::User,
        content: vec![
            Block::ToolResult {
                id: "tooluse_0".into(),
                content: "not found".into(),
                is_error: true,
            },
            Block::Image {
                media_type: "image/png".into(),
                data: b"\x89PNG\r\n\x1a\nfake".to_vec(),
            },
        ],
    });
    let r = p.complete(&req).await.unwrap();
    assert_eq!(r.text(), "Looking.");
    assert_eq!(r.stop_reason, StopReason::ToolUse);
    assert_eq!((r.usage.input_tokens, r.usage.output_tokens), (42, 7));
    assert_eq!(r.request_id.as_deref(), Some("req-123"));
    let calls: Vec<_> = r.tool_calls().collect();
    assert_eq!(
        calls,
        vec![("tooluse_1", "get_incident", &json!({"id": "INC-1"}))]
    );

    let s = seen.lock().unwrap()[0].clone();
    assert_eq!(s.path, format!("/model/{MODEL_PATH}/converse"));
    let auth = s.header("authorization").unwrap();
    assert!(
        auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDWARDENTEST/")
            && auth.contains("/us-east-1/bedrock/aws4_request"),
        "SigV4 for service bedrock: {auth}"
    );
    assert!(s.header("x-amz-date").is_some());
    assert_eq!(s.body["system"], json!([{"text": "You are warden."}]));
    assert_eq!(
        s.body["messages"][0],
        json!({"role": "user", "content": [{"text": "Summarise incident INC-1."}]})
    );
    assert_eq!(
        s.body["messages"][1]["content"][0]["toolUse"],
        json!({"toolUseId": "tooluse_0", "name": "get_incident", "input": {"id": "INC-0"}})
    );
    assert_eq!(
        s.body["messages"][2]["content"][0]["toolResult"],
        json!({"toolUseId": "tooluse_0", "content": [{"text": "not found"}], "status": "error"})
    );
    let image = &s.body["messages"][2]["content"][1]["image"];
    assert_eq!(image["format"], "png");
    assert_eq!(image["source"]["bytes"], "iVBORw0KGgpmYWtl");
    assert_eq!(s.body["inferenceConfig"]["maxTokens"], 300);
    assert_eq!(s.body["inferenceConfig"]["temperature"].as_f64(), Some(0.0));
    let spec = &s.body["toolConfig"]["tools"][0]["toolSpec"];
    assert_eq!(spec["name"], "get_incident");
    assert_eq!(spec["inputSchema"]["json"]["required"], json!(["id"]));
}

#[tokio::test]
async fn unsupported_image_type_is_refused_before_any_call() {
    let p = bedrock("http://127.0.0.1:9", 1, 500);
    let mut req = request();
    req.messages[0].content.push(Block::Image {
        media_type: "image/tiff".into(),
        data: vec![1, 2, 3],
    });
    let e = p.complete(&req).await.unwrap_err();
    assert!(
        matches!(e, LlmError::Config(_)) && e.to_string().contains("image/tiff"),
        "{e}"
    );
}

#[tokio::test]
async fn throttling_and_server_errors_are_retried_with_jitter() {
    let ok = json_reply(
        200,
        json!({"output": {"message": {"role": "assistant", "content": [{"text": "ok"}]}}, "stopReason": "end_turn",
               "usage": {"inputTokens": 1, "outputTokens": 1, "totalTokens": 2}}),
    );
    let (base, seen) = server(vec![
        error_reply(
            429,
            "ThrottlingException",
            "Too many requests, please wait before trying again.",
        ),
        error_reply(503, "ServiceUnavailableException", "Service unavailable"),
        ok,
    ]);
    let r = bedrock(&base, 3, 3000).complete(&request()).await.unwrap();
    assert_eq!(r.text(), "ok");
    assert_eq!(r.stop_reason, StopReason::EndTurn);
    assert_eq!(seen.lock().unwrap().len(), 3);

    // Out of attempts: the last error, classified.
    let (base, seen) = server(vec![
        error_reply(429, "ThrottlingException", "slow down"),
        error_reply(500, "InternalServerException", "boom"),
    ]);
    let e = bedrock(&base, 2, 3000)
        .complete(&request())
        .await
        .unwrap_err();
    assert!(matches!(e, LlmError::Server { status: 500, .. }), "{e}");
    assert_eq!(seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn access_denied_explains_model_access_and_is_not_retried() {
    let (base, seen) = server(vec![error_reply(
        403,
        "AccessDeniedException",
        "You don't have access to the model with the specified model ID.",
    )]);
    let e = bedrock(&base, 3, 3000)
        .complete(&request())
        .await
        .unwrap_err();
    let text = e.to_string();
    assert!(matches!(e, LlmError::Client { status: 403, .. }), "{text}");
    assert!(text.contains("bedrock:InvokeModel"), "{text}");
    assert!(
        text.contains(
            "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0"
        ),
        "{text}"
    );
    assert!(text.contains("Model access"), "{text}");
    assert_eq!(seen.lock().unwrap().len(), 1, "a 403 is not retried");

    let (base, seen) = server(vec![error_reply(
        400,
        "ValidationException",
        "Invocation of model ID with on-demand throughput isn't supported.",
    )]);
    let e = bedrock(&base, 3, 3000)
        .complete(&request())
        .await
        .unwrap_err();
    assert!(matches!(e, LlmError::Client { status: 400, .. }), "{e}");
    assert!(e.to_string().contains("inference-profile"), "{e}");
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn timeouts_refused_connections_and_malformed_json() {
    let (base, _) = server(vec![Reply {
        delay: Duration::from_millis(2500),
        ..json_reply(200, json!({}))
    }]);
    let e = bedrock(&base, 1, 400)
        .complete(&request())
        .await
        .unwrap_err();
    assert!(matches!(e, LlmError::Timeout { .. }), "{e}");

    let e = bedrock("http://127.0.0.1:9", 1, 1000)
        .complete(&request())
        .await
        .unwrap_err();
    assert!(
        matches!(e, LlmError::Connect { .. } | LlmError::Timeout { .. }),
        "{e:?}"
    );

    let (base, _) = server(vec![Reply {
        body: b"{\"output\": {\"message\": ".to_vec(),
        ..json_reply(200, json!({}))
    }]);
    let e = bedrock(&base, 1, 2000)
        .complete(&request())
        .await
        .unwrap_err();
    assert!(matches!(e, LlmError::Protocol { .. }), "{e:?}");
}

#[tokio::test]
async fn converse_stream_text_and_tool_use() {
    let (base, seen) = server(vec![stream_reply(tool_stream())]);
    let pieces = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = pieces.clone();
    let mut on_text = move |t: &str| sink.lock().unwrap().push(t.to_string());
    let r = bedrock(&base, 1, 3000)
        .stream(&request(), &mut on_text)
        .await
        .unwrap();
    assert_eq!(*pieces.lock().unwrap(), vec!["Look", "ing."]);
    assert_eq!(r.text(), "Looking.");
    assert_eq!(r.stop_reason, StopReason::ToolUse);
    assert_eq!((r.usage.input_tokens, r.usage.output_tokens), (31, 9));
    assert_eq!(r.request_id.as_deref(), Some("req-stream-1"));
    let calls: Vec<_> = r.tool_calls().collect();
    assert_eq!(
        calls,
        vec![("tooluse_1", "get_incident", &json!({"id": "INC-1"}))]
    );
    assert_eq!(
        seen.lock().unwrap()[0].path,
        format!("/model/{MODEL_PATH}/converse-stream")
    );
}

#[tokio::test]
async fn converse_stream_failures_are_errors_not_short_answers() {
    // Cut off before messageStop.
    let mut frames = tool_stream();
    frames.truncate(3);
    let (base, _) = server(vec![stream_reply(frames)]);
    let e = bedrock(&base, 1, 3000)
        .stream(&request(), &mut |_: &str| {})
        .await
        .unwrap_err();
    assert!(
        matches!(e, LlmError::Protocol { .. }) && e.to_string().contains("messageStop"),
        "{e}"
    );

    // A throttling exception frame inside a 200 stream.
    let mut frames = tool_stream();
    frames.truncate(2);
    frames.push(exception(
        "throttlingException",
        "Too many tokens, please wait.",
    ));
    let (base, _) = server(vec![stream_reply(frames)]);
    let e = bedrock(&base, 1, 3000)
        .stream(&request(), &mut |_: &str| {})
        .await
        .unwrap_err();
    assert!(matches!(e, LlmError::Throttled { .. }), "{e:?}");

    // A frame whose checksum does not match.
    let mut frames = tool_stream();
    let bad = frames[1].len() - 1;
    frames[1][bad] ^= 0xff;
    let (base, _) = server(vec![stream_reply(frames)]);
    let e = bedrock(&base, 1, 3000)
        .stream(&request(), &mut |_: &str| {})
        .await
        .unwrap_err();
    assert!(matches!(e, LlmError::Protocol { .. }), "{e:?}");

    // The stream's opening request is retried on throttling like Converse.
    let (base, seen) = server(vec![
        error_reply(429, "ThrottlingException", "slow down"),
        stream_reply(tool_stream()),
    ]);
    let r = bedrock(&base, 2, 3000)
        .stream(&request(), &mut |_: &str| {})
        .await
        .unwrap();
    assert_eq!(r.text(), "Looking.");
    assert_eq!(seen.lock().unwrap().len(), 2);
}
