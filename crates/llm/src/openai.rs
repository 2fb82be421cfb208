//! Any OpenAI-compatible chat-completions server: OpenAI, Ollama, vLLM,
//! llama.cpp's server. `POST {base_url}/chat/completions`, bearer key
//! (optional for local servers), streaming as server-sent events ending
//! with `data: [DONE]`.

use serde_json::{json, Value};

use crate::http::{self, protocol};
use crate::types::*;
use crate::{HttpSettings, LlmError, OnText, Provider};

pub struct OpenAi {
    s: HttpSettings,
    client: reqwest::Client,
}

const NAME: &str = "openai";

impl OpenAi {
    pub fn new(s: HttpSettings) -> OpenAi {
        let client = http::client(s.timeout);
        OpenAi { s, client }
    }

    fn url(&self) -> String {
        format!("{}/chat/completions", self.s.base_url.trim_end_matches('/'))
    }

    fn body(&self, req: &Request, stream: bool) -> Value {
        let mut messages = vec![json!({"role": "system", "content": req.system})];
        for m in &req.messages {
            let role = match m.role {
                Role::User => "user",
                Role::Assistant => "assistant",
            };
            let mut parts = Vec::new();
            let mut calls = Vec::new();
            for b in &m.content {
                match b {
                    Block::Text { text } => parts.push(json!({"type": "text", "text": text})),
                    Block::Image { media_type, data } => parts.push(json!({
                        "type": "image_url",
                        "image_url": {"url": format!("data:{media_type};base64,{}", crate::structured::base64(data))}
                    })),
                    Block::ToolUse { id, name, input } => calls.push(json!({
                        "id": id, "type": "function",
                        "function": {"name": name, "arguments": input.to_string()}
                    })),
                    Block::ToolResult { id, content, .. } => messages.push(json!({
                        "role": "tool", "tool_call_id": id, "content": content
                    })),
                }
            }
            if parts.is_empty() && calls.is_empty() {
                continue;
            }
            let mut msg = json!({"role": role});
            // Plain text as a string: the form every compatible server accepts.
            msg["content"] = match parts.as_slice() {
                [] => Value::Null,
                [one] if one["type"] == "text" => one["text"].clone(),
                _ => Value::Array(parts),
            };
            if !calls.is_empty() {
                msg["tool_calls"] = Value::Array(calls);
            }
            messages.push(msg);
        }
        let mut body = json!({
            "model": self.s.model,
            "messages": messages,
            "max_tokens": req.max_tokens,
            "stream": stream,
        });
        if let Some(t) = req.temperature {
            body["temperature"] = json!(t);
        }
        if stream {
            body["stream_options"] = json!({"include_usage": true});
        }
        if !req.tools.is_empty() {
            body["tools"] = Value::Array(
                req.tools
                    .iter()
                    .map(|t| json!({"type": "function", "function": {"name": t.name, "description": t.description, "parameters": t.input_schema}}))
                    .collect(),
            );
        }
        body
    }

    async fn send(&self, body: &Value) -> Result<reqwest::Response, LlmError> {
        let url = self.url();
        let mut rb = self.client.post(&url).json(body);
        if let Some(k) = &self.s.api_key {
            rb = rb.bearer_auth(k);
        }
        http::send(NAME, &url, self.s.timeout, rb).await
    }
}

fn stop(reason: Option<&str>) -> StopReason {
    match reason {
        Some("stop") => StopReason::EndTurn,
        Some("length") => StopReason::MaxTokens,
        Some("tool_calls") | Some("function_call") => StopReason::ToolUse,
        Some("content_filter") => StopReason::ContentFiltered,
        _ => StopReason::Other,
    }
}

fn usage(v: &Value) -> Usage {
    Usage {
        input_tokens: v
            .pointer("/usage/prompt_tokens")
            .and_then(Value::as_u64)
            .unwrap_or(0),
        output_tokens: v
            .pointer("/usage/completion_tokens")
            .and_then(Value::as_u64)
            .unwrap_or(0),
    }
}

fn tool_call(c: &Value) -> Result<Block, LlmError> {
    let args = c
        .pointer("/function/arguments")
        .and_then(Value::as_str)
        .unwrap_or("{}");
    Ok(Block::ToolUse {
        id: c
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        name: c
            .pointer("/function/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        input: serde_json::from_str(args)
            .map_err(|e| protocol(NAME, format!("tool arguments are not JSON: {e}")))?,
    })
}

impl Provider for OpenAi {
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
                let choice = v
                    .pointer("/choices/0")
                    .ok_or_else(|| protocol(NAME, "no choices in the answer"))?;
                let mut content = Vec::new();
                if let Some(t) = choice.pointer("/message/content").and_then(Value::as_str) {
                    content.push(Block::text(t));
                }
                if let Some(calls) = choice
                    .pointer("/message/tool_calls")
                    .and_then(Value::as_array)
                {
                    for c in calls {
                        content.push(tool_call(c)?);
                    }
                }
                Ok(Response {
                    content,
                    stop_reason: stop(choice.get("finish_reason").and_then(Value::as_str)),
                    usage: usage(&v),
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
        // Only the connection is retried: once text has been shown,
        // starting over would show it twice.
        let resp = self.s.retry.run(|_| self.send(&body)).await?;
        let mut text = String::new();
        let mut reason = None;
        let mut u = Usage::default();
        let mut id = None;
        let mut model = self.s.model.clone();
        let mut calls: Vec<(String, String, String)> = Vec::new();
        http::read_sse(NAME, resp, |ev| {
            if ev.data.trim() == "[DONE]" {
                return Ok(true);
            }
            let v: Value = serde_json::from_str(&ev.data)
                .map_err(|e| protocol(NAME, format!("bad stream chunk: {e}")))?;
            if let Some(i) = v.get("id").and_then(Value::as_str) {
                id = Some(i.to_string());
            }
            if let Some(m) = v.get("model").and_then(Value::as_str) {
                model = m.to_string();
            }
            if v.get("usage").is_some_and(|x| !x.is_null()) {
                u = usage(&v);
            }
            if let Some(ch) = v.pointer("/choices/0") {
                if let Some(t) = ch.pointer("/delta/content").and_then(Value::as_str) {
                    on_text(t);
                    text.push_str(t);
                }
                if let Some(tc) = ch.pointer("/delta/tool_calls").and_then(Value::as_array) {
                    for c in tc {
                        let idx = c.get("index").and_then(Value::as_u64).unwrap_or(0) as usize;
                        while calls.len() <= idx {
                            calls.push(Default::default());
                        }
                        if let Some(i) = c.get("id").and_then(Value::as_str) {
                            calls[idx].0 = i.to_string();
                        }
                        if let Some(n) = c.pointer("/function/name").and_then(Value::as_str) {
                            calls[idx].1.push_str(n);
                        }
                        if let Some(a) = c.pointer("/function/arguments").and_then(Value::as_str) {
                            calls[idx].2.push_str(a);
                        }
                    }
                }
                if let Some(r) = ch.get("finish_reason").and_then(Value::as_str) {
                    reason = Some(r.to_string());
                }
            }
            Ok(false)
        })
        .await?;
        let mut content = vec![Block::text(text)];
        for (i, n, a) in calls {
            content.push(tool_call(&json!({"id": i, "function": {"name": n, "arguments": if a.is_empty() { "{}".to_string() } else { a }}}))?);
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
