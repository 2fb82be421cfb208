//! Anthropic's Messages API: `POST {base_url}/v1/messages` with
//! `x-api-key` and `anthropic-version`; streaming as server-sent events
//! (`message_start`, `content_block_delta`, `message_delta`,
//! `message_stop`, and `error` events inside a 200 stream).

use serde_json::{json, Value};

use crate::http::{self, protocol};
use crate::types::*;
use crate::{HttpSettings, LlmError, OnText, Provider};

pub const API_VERSION: &str = "2023-06-01";
const NAME: &str = "anthropic";

pub struct Anthropic {
    s: HttpSettings,
    client: reqwest::Client,
}

impl Anthropic {
    pub fn new(s: HttpSettings) -> Anthropic {
        let client = http::client(s.timeout);
        Anthropic { s, client }
    }

    fn body(&self, req: &Request, stream: bool) -> Value {
        let messages: Vec<Value> = req
            .messages
            .iter()
            .map(|m| {
                let content: Vec<Value> = m
                    .content
                    .iter()
                    .map(|b| match b {
                        Block::Text { text } => json!({"type": "text", "text": text}),
                        Block::Image { media_type, data } => json!({
                            "type": "image",
                            "source": {"type": "base64", "media_type": media_type, "data": crate::structured::base64(data)}
                        }),
                        Block::ToolUse { id, name, input } => json!({"type": "tool_use", "id": id, "name": name, "input": input}),
                        Block::ToolResult { id, content, is_error } => json!({"type": "tool_result", "tool_use_id": id, "content": content, "is_error": is_error}),
                    })
                    .collect();
                json!({"role": match m.role { Role::User => "user", Role::Assistant => "assistant" }, "content": content})
            })
            .collect();
        let mut body = json!({
            "model": self.s.model,
            "max_tokens": req.max_tokens,
            "system": req.system,
            "messages": messages,
        });
        if let Some(t) = req.temperature {
            body["temperature"] = json!(t);
        }
        if stream {
            body["stream"] = json!(true);
        }
        if !req.tools.is_empty() {
            body["tools"] = Value::Array(
                req.tools
                    .iter()
                    .map(|t| json!({"name": t.name, "description": t.description, "input_schema": t.input_schema}))
                    .collect(),
            );
        }
        body
    }

    async fn send(&self, body: &Value) -> Result<reqwest::Response, LlmError> {
        let url = format!("{}/v1/messages", self.s.base_url.trim_end_matches('/'));
        let key = self.s.api_key.as_deref().ok_or_else(|| {
            LlmError::Config("Anthropic needs an API key: set ANTHROPIC_API_KEY (or the variable named in the configuration)".into())
        })?;
        let rb = self
            .client
            .post(&url)
            .header("x-api-key", key)
            .header("anthropic-version", API_VERSION)
            .json(body);
        http::send(NAME, &url, self.s.timeout, rb).await
    }
}

fn stop(r: Option<&str>) -> StopReason {
    match r {
        Some("end_turn") => StopReason::EndTurn,
        Some("max_tokens") => StopReason::MaxTokens,
        Some("tool_use") => StopReason::ToolUse,
        Some("stop_sequence") => StopReason::StopSequence,
        Some("refusal") => StopReason::ContentFiltered,
        _ => StopReason::Other,
    }
}

fn block(b: &Value) -> Option<Block> {
    match b.get("type").and_then(Value::as_str)? {
        "text" => Some(Block::text(
            b.get("text").and_then(Value::as_str).unwrap_or(""),
        )),
        "tool_use" => Some(Block::ToolUse {
            id: b
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            name: b
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            input: b.get("input").cloned().unwrap_or(json!({})),
        }),
        _ => None,
    }
}

/// An `error` event inside a stream, classified like an HTTP error.
fn stream_error(v: &Value) -> LlmError {
    let kind = v
        .pointer("/error/type")
        .and_then(Value::as_str)
        .unwrap_or("");
    let message = v
        .pointer("/error/message")
        .and_then(Value::as_str)
        .unwrap_or("error event")
        .to_string();
    match kind {
        "overloaded_error" | "rate_limit_error" => LlmError::Throttled {
            provider: NAME.into(),
            message,
            retry_after: None,
        },
        "api_error" => LlmError::Server {
            provider: NAME.into(),
            status: 500,
            message,
        },
        _ => protocol(NAME, message),
    }
}

impl Provider for Anthropic {
    fn name(&self) -> &str {
        NAME
    }
    fn model(&self) -> &str {
        &self.s.model
    }

    async fn complete(&self, req: &Request) -> Result<Response, LlmError> {
        let body = self.body(req, false);
        self.s
            .retry
            .run(|_| async {
                let resp = self.send(&body).await?;
                let v = http::json(NAME, resp).await?;
                let content = v
                    .get("content")
                    .and_then(Value::as_array)
                    .ok_or_else(|| protocol(NAME, "no content in the answer"))?
                    .iter()
                    .filter_map(block)
                    .collect();
                Ok(Response {
                    content,
                    stop_reason: stop(v.get("stop_reason").and_then(Value::as_str)),
                    usage: Usage {
                        input_tokens: v
                            .pointer("/usage/input_tokens")
                            .and_then(Value::as_u64)
                            .unwrap_or(0),
                        output_tokens: v
                            .pointer("/usage/output_tokens")
                            .and_then(Value::as_u64)
                            .unwrap_or(0),
                    },
                    model: v
                        .get("model")
                        .and_then(Value::as_str)
                        .unwrap_or(&self.s.model)
                        .to_string(),
                    request_id: v.get("id").and_then(Value::as_str).map(str::to_string),
                })
            })
            .await
    }

    async fn stream(&self, req: &Request, on_text: OnText<'_>) -> Result<Response, LlmError> {
        let body = self.body(req, true);
        let resp = self.s.retry.run(|_| self.send(&body)).await?;
        let mut blocks: Vec<(Block, String)> = Vec::new();
        let mut u = Usage::default();
        let mut reason = None;
        let mut id = None;
        let mut model = self.s.model.clone();
        http::read_sse(NAME, resp, |ev| {
            let v: Value = serde_json::from_str(&ev.data)
                .map_err(|e| protocol(NAME, format!("bad stream event: {e}")))?;
            match v
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or(ev.event.as_str())
            {
                "message_start" => {
                    id = v
                        .pointer("/message/id")
                        .and_then(Value::as_str)
                        .map(str::to_string);
                    if let Some(m) = v.pointer("/message/model").and_then(Value::as_str) {
                        model = m.to_string();
                    }
                    u.input_tokens = v
                        .pointer("/message/usage/input_tokens")
                        .and_then(Value::as_u64)
                        .unwrap_or(0);
                }
                "content_block_start" => {
                    let b = v
                        .get("content_block")
                        .and_then(block)
                        .unwrap_or_else(|| Block::text(""));
                    blocks.push((b, String::new()));
                }
                "content_block_delta" => {
                    let Some((b, json_buf)) = blocks.last_mut() else {
                        return Err(protocol(NAME, "delta before any content block"));
                    };
                    match (v.pointer("/delta/type").and_then(Value::as_str), b) {
                        (Some("text_delta"), Block::Text { text }) => {
                            let t = v
                                .pointer("/delta/text")
                                .and_then(Value::as_str)
                                .unwrap_or("");
                            on_text(t);
                            text.push_str(t);
                        }
                        (Some("input_json_delta"), Block::ToolUse { .. }) => {
                            json_buf.push_str(
                                v.pointer("/delta/partial_json")
                                    .and_then(Value::as_str)
                                    .unwrap_or(""),
                            );
                        }
                        _ => {}
                    }
                }
                "message_delta" => {
                    reason = v
                        .pointer("/delta/stop_reason")
                        .and_then(Value::as_str)
                        .map(str::to_string);
                    if let Some(o) = v.pointer("/usage/output_tokens").and_then(Value::as_u64) {
                        u.output_tokens = o;
                    }
                }
                "message_stop" => return Ok(true),
                "error" => return Err(stream_error(&v)),
                _ => {} // ping, content_block_stop
            }
            Ok(false)
        })
        .await?;
        let mut content = Vec::new();
        for (b, json_buf) in blocks {
            content.push(match b {
                Block::ToolUse { id, name, .. } => Block::ToolUse {
                    id,
                    name,
                    input: if json_buf.is_empty() {
                        json!({})
                    } else {
                        serde_json::from_str(&json_buf)
                            .map_err(|e| protocol(NAME, format!("tool input is not JSON: {e}")))?
                    },
                },
                other => other,
            });
        }
        Ok(Response {
            content,
            stop_reason: stop(reason.as_deref()),
            usage: u,
            model,
            request_id: id,
        })
    }
}
