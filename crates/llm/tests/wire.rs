//! Wire-format tests: each test starts a real HTTP server on localhost
//! that checks the request and answers exactly as the provider's API does
//! (JSON bodies, server-sent events, error bodies, throttling, timeouts,
//! cut-off streams, malformed JSON).

mod common;

use std::time::Duration;

use common::*;
use serde_json::{json, Value};
use warden_llm::anthropic::Anthropic;
use warden_llm::openai::OpenAi;
use warden_llm::retry::RetryPolicy;
use warden_llm::{Block, HttpSettings, LlmError, Provider, Request, StopReason, Tool};

fn settings(base: &str, attempts: u32) -> HttpSettings {
    HttpSettings {
        base_url: base.to_string(),
        api_key: Some("test-key".into()),
        model: "test-model".into(),
        timeout: Duration::from_millis(1500),
        retry: RetryPolicy {
            attempts,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
            factor: 2.0,
        },
    }
}

fn request() -> Request {
    let mut r = Request::new("test", "You are warden.", "Summarise incident INC-1.");
    r.tools.push(Tool {
        name: "get_incident".into(),
        description: "Fetch an incident".into(),
        input_schema: json!({"type": "object", "properties": {"id": {"type": "string"}}}),
    });
    r
}

fn sse(event: Option<&str>, data: Value) -> String {
    match event {
        Some(e) => format!("event: {e}\ndata: {data}\n\n"),
        None => format!("data: {data}\n\n"),
    }
}

#[tokio::test]
async fn openai_request_shape_answer_and_tool_calls() {
    let (base, seen) = server(vec![json_reply(
        200,
        json!({"id": "chatcmpl-1", "model": "test-model", "choices": [{"index": 0, "finish_reason": "tool_calls",
            "message": {"role": "assistant", "content": "Looking.", "tool_calls": [{"id": "call_1", "type": "function",
            "function": {"name": "get_incident", "arguments": "{\"id\":\"INC-1\"}"}}]}}],
            "usage": {"prompt_tokens": 42, "completion_tokens": 7, "total_tokens": 49}}),
    )]);
    let p = OpenAi::new(settings(&format!("{base}/v1"), 1));
    let r = p.complete(&request()).await.unwrap();
    assert_eq!(r.text(), "Looking.");
    assert_eq!(r.stop_reason, StopReason::ToolUse);
    assert_eq!((r.usage.input_tokens, r.usage.output_tokens), (42, 7));
    let calls: Vec<_> = r.tool_calls().collect();
    assert_eq!(calls[0].1, "get_incident");
    assert_eq!(calls[0].2, &json!({"id": "INC-1"}));
    let s = seen.lock().unwrap()[0].clone();
    assert_eq!(s.path, "/v1/chat/completions");
    assert_eq!(s.header("authorization"), Some("Bearer test-key"));
    assert_eq!(s.body["model"], "test-model");
    assert_eq!(
        s.body["messages"][0],
        json!({"role": "system", "content": "You are warden."})
    );
    assert_eq!(
        s.body["messages"][1],
        json!({"role": "user", "content": "Summarise incident INC-1."})
    );
    assert_eq!(s.body["tools"][0]["function"]["name"], "get_incident");
    assert_eq!(s.body["stream"], false);
}

#[tokio::test]
async fn openai_retries_throttling_but_not_client_errors() {
    let (base, seen) = server(vec![
        Reply {
            headers: vec![
                ("retry-after", "0".into()),
                ("content-type", "application/json".into()),
            ],
            ..json_reply(
                429,
                json!({"error": {"message": "Rate limit reached", "type": "requests"}}),
            )
        },
        json_reply(503, json!({"error": {"message": "overloaded"}})),
        json_reply(
            200,
            json!({"id": "x", "choices": [{"finish_reason": "stop", "message": {"content": "ok"}}], "usage": {"prompt_tokens": 1, "completion_tokens": 1}}),
        ),
    ]);
    let r = OpenAi::new(settings(&base, 3))
        .complete(&request())
        .await
        .unwrap();
    assert_eq!(r.text(), "ok");
    assert_eq!(seen.lock().unwrap().len(), 3);

    let (base, seen) = server(vec![
        json_reply(
            400,
            json!({"error": {"message": "max_tokens is too large"}}),
        ),
        json_reply(200, json!({})),
    ]);
    let e = OpenAi::new(settings(&base, 3))
        .complete(&request())
        .await
        .unwrap_err();
    assert!(matches!(e, LlmError::Client { status: 400, .. }), "{e}");
    assert!(e.to_string().contains("max_tokens is too large"));
    assert_eq!(seen.lock().unwrap().len(), 1, "4xx is not retried");

    let (base, _) = server(vec![json_reply(
        401,
        json!({"error": {"message": "bad key"}}),
    )]);
    let e = OpenAi::new(settings(&base, 1))
        .complete(&request())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("check the API key"), "{e}");
}

#[tokio::test]
async fn openai_streaming_and_cut_off_streams() {
    let chunk = |delta: Value, finish: Value| {
        sse(
            None,
            json!({"id": "c1", "model": "m", "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}),
        )
    };
    let events = vec![
        chunk(json!({"role": "assistant", "content": ""}), Value::Null),
        chunk(json!({"content": "Root "}), Value::Null),
        chunk(json!({"content": "logged in."}), json!("stop")),
        sse(
            None,
            json!({"id": "c1", "choices": [], "usage": {"prompt_tokens": 12, "completion_tokens": 4}}),
        ),
        "data: [DONE]\n\n".to_string(),
    ];
    let (base, seen) = server(vec![sse_reply(&events)]);
    let mut got = String::new();
    let r = OpenAi::new(settings(&base, 1))
        .stream(&request(), &mut |t: &str| got.push_str(t))
        .await
        .unwrap();
    assert_eq!(got, "Root logged in.");
    assert_eq!(r.text(), "Root logged in.");
    assert_eq!(
        (r.usage.input_tokens, r.stop_reason),
        (12, StopReason::EndTurn)
    );
    assert_eq!(
        seen.lock().unwrap()[0].body["stream_options"]["include_usage"],
        true
    );

    let (base, _) = server(vec![sse_reply(&events[..2])]);
    let e = OpenAi::new(settings(&base, 1))
        .stream(&request(), &mut |_t: &str| {})
        .await
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("ended before the answer was complete"),
        "{e}"
    );

    let (base, _) = server(vec![sse_reply(&["data: {not json\n\n".to_string()])]);
    let e = OpenAi::new(settings(&base, 1))
        .stream(&request(), &mut |_t: &str| {})
        .await
        .unwrap_err();
    assert!(matches!(e, LlmError::Protocol { .. }), "{e}");
}

#[tokio::test]
async fn timeouts_and_malformed_json() {
    let (base, _) = server(vec![Reply {
        delay: Duration::from_millis(800),
        ..json_reply(200, json!({}))
    }]);
    let mut s = settings(&base, 1);
    s.timeout = Duration::from_millis(200);
    let e = OpenAi::new(s).complete(&request()).await.unwrap_err();
    assert!(matches!(e, LlmError::Timeout { .. }), "{e}");

    let (base, _) = server(vec![Reply {
        body: "{\"choices\": [".into(),
        ..json_reply(200, json!({}))
    }]);
    let e = OpenAi::new(settings(&base, 1))
        .complete(&request())
        .await
        .unwrap_err();
    assert!(matches!(e, LlmError::Protocol { .. }), "{e}");

    let e = OpenAi::new(settings("http://127.0.0.1:9", 1))
        .complete(&request())
        .await
        .unwrap_err();
    assert!(matches!(e, LlmError::Connect { .. }), "{e}");
}

#[tokio::test]
async fn anthropic_messages_shape_and_tool_use() {
    let (base, seen) = server(vec![json_reply(
        200,
        json!({"id": "msg_01", "type": "message", "role": "assistant", "model": "claude-test",
            "content": [{"type": "text", "text": "Let me look."}, {"type": "tool_use", "id": "toolu_1", "name": "get_incident", "input": {"id": "INC-1"}}],
            "stop_reason": "tool_use", "usage": {"input_tokens": 30, "output_tokens": 9}}),
    )]);
    let mut req = request();
    req.messages[0].content.push(Block::Image {
        media_type: "image/png".into(),
        data: b"\x89PNG".to_vec(),
    });
    let r = Anthropic::new(settings(&base, 1))
        .complete(&req)
        .await
        .unwrap();
    assert_eq!(r.text(), "Let me look.");
    assert_eq!(r.stop_reason, StopReason::ToolUse);
    assert_eq!(r.request_id.as_deref(), Some("msg_01"));
    assert_eq!(r.tool_calls().next().unwrap().2, &json!({"id": "INC-1"}));
    let s = seen.lock().unwrap()[0].clone();
    assert_eq!(s.path, "/v1/messages");
    assert_eq!(s.header("x-api-key"), Some("test-key"));
    assert_eq!(s.header("anthropic-version"), Some("2023-06-01"));
    assert_eq!(s.body["system"], "You are warden.");
    assert_eq!(
        s.body["messages"][0]["content"][1]["source"],
        json!({"type": "base64", "media_type": "image/png", "data": "iVBORw=="})
    );
    assert_eq!(s.body["tools"][0]["input_schema"]["type"], "object");
}

#[tokio::test]
async fn anthropic_streaming_errors_and_overload() {
    let events = vec![
        sse(
            Some("message_start"),
            json!({"type": "message_start", "message": {"id": "msg_2", "model": "claude-test", "usage": {"input_tokens": 25, "output_tokens": 1}}}),
        ),
        sse(
            Some("content_block_start"),
            json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        ),
        sse(Some("ping"), json!({"type": "ping"})),
        sse(
            Some("content_block_delta"),
            json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Key "}}),
        ),
        sse(
            Some("content_block_delta"),
            json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "leaked."}}),
        ),
        sse(
            Some("content_block_stop"),
            json!({"type": "content_block_stop", "index": 0}),
        ),
        sse(
            Some("content_block_start"),
            json!({"type": "content_block_start", "index": 1, "content_block": {"type": "tool_use", "id": "toolu_2", "name": "get_incident", "input": {}}}),
        ),
        sse(
            Some("content_block_delta"),
            json!({"type": "content_block_delta", "index": 1, "delta": {"type": "input_json_delta", "partial_json": "{\"id\": \"IN"}}),
        ),
        sse(
            Some("content_block_delta"),
            json!({"type": "content_block_delta", "index": 1, "delta": {"type": "input_json_delta", "partial_json": "C-7\"}"}}),
        ),
        sse(
            Some("message_delta"),
            json!({"type": "message_delta", "delta": {"stop_reason": "tool_use"}, "usage": {"output_tokens": 15}}),
        ),
        sse(Some("message_stop"), json!({"type": "message_stop"})),
    ];
    let (base, seen) = server(vec![sse_reply(&events)]);
    let mut got = String::new();
    let r = Anthropic::new(settings(&base, 1))
        .stream(&request(), &mut |t: &str| got.push_str(t))
        .await
        .unwrap();
    assert_eq!(got, "Key leaked.");
    assert_eq!((r.usage.input_tokens, r.usage.output_tokens), (25, 15));
    assert_eq!(r.tool_calls().next().unwrap().2, &json!({"id": "INC-7"}));
    assert_eq!(seen.lock().unwrap()[0].body["stream"], true);

    // An error event inside a 200 stream.
    let (base, _) = server(vec![sse_reply(&[
        events[0].clone(),
        sse(
            Some("error"),
            json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}),
        ),
    ])]);
    let e = Anthropic::new(settings(&base, 1))
        .stream(&request(), &mut |_t: &str| {})
        .await
        .unwrap_err();
    assert!(matches!(e, LlmError::Throttled { .. }), "{e}");

    // 529 overloaded is retried; three server errors give up with the last.
    let (base, seen) = server(vec![
        json_reply(
            529,
            json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}),
        ),
        json_reply(
            500,
            json!({"type": "error", "error": {"type": "api_error", "message": "Internal"}}),
        ),
        json_reply(
            500,
            json!({"type": "error", "error": {"type": "api_error", "message": "Internal again"}}),
        ),
    ]);
    let e = Anthropic::new(settings(&base, 3))
        .complete(&request())
        .await
        .unwrap_err();
    assert!(matches!(e, LlmError::Server { status: 500, .. }), "{e}");
    assert!(e.to_string().contains("Internal again"));
    assert_eq!(seen.lock().unwrap().len(), 3);

    let mut s = settings(&base, 1);
    s.api_key = None;
    let e = Anthropic::new(s).complete(&request()).await.unwrap_err();
    assert!(e.to_string().contains("ANTHROPIC_API_KEY"), "{e}");
}

#[tokio::test]
async fn offline_analyst_says_what_it_is() {
    let p = warden_llm::offline::Offline;
    let r = p.complete(&request()).await.unwrap();
    assert!(r.text().starts_with(warden_llm::offline::NOTICE));
    assert!(r.text().contains("Summarise incident INC-1."));
    assert_eq!(r.usage.total(), 0);
}
