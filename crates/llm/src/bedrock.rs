//! Amazon Bedrock through the AWS SDK for Rust: `Converse` and
//! `ConverseStream`, with a model id or an inference-profile id, the
//! standard credential chain (environment, profile and SSO, web identity,
//! container and instance roles), a region, and an endpoint override for
//! VPC endpoints and for tests.
//!
//! The SDK's own retries are switched off so that warden's
//! [`RetryPolicy`](crate::retry::RetryPolicy) (full jitter, configurable
//! attempts) governs every provider the same way, and the SDK's errors
//! are classified into [`LlmError`] with the fix spelled out — above all
//! `AccessDeniedException`, which nearly always means model access or
//! `bedrock:InvokeModel` on the model's ARN is missing.

use std::collections::HashMap;
use std::time::Duration;

use aws_sdk_bedrockruntime as br;
use aws_sdk_bedrockruntime::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_bedrockruntime::operation::RequestId;
use aws_smithy_types::{Blob, Document, Number};
use br::types as bt;
use serde_json::Value;

use crate::retry::RetryPolicy;
use crate::types::*;
use crate::{LlmError, OnText, Provider};

const NAME: &str = "bedrock";

/// Where and how to reach Bedrock.
#[derive(Debug, Clone)]
pub struct BedrockSettings {
    /// A foundation-model id (`anthropic.claude-3-5-haiku-20241022-v1:0`),
    /// an inference-profile id (`us.anthropic.claude-…`) or an ARN.
    pub model: String,
    /// `None`: the region from the environment or profile.
    pub region: Option<String>,
    /// A named profile from `~/.aws/config`; `None`: the default chain.
    pub profile: Option<String>,
    /// Endpoint override (a VPC endpoint, or a local server in tests).
    pub endpoint_url: Option<String>,
    pub timeout: Duration,
    pub retry: RetryPolicy,
}

pub struct Bedrock {
    client: br::Client,
    s: BedrockSettings,
    region: String,
}

impl Bedrock {
    /// Load credentials and region the standard way and build a client.
    pub async fn connect(s: BedrockSettings) -> Result<Bedrock, LlmError> {
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .retry_config(aws_config::retry::RetryConfig::disabled());
        if let Some(r) = &s.region {
            loader = loader.region(aws_config::Region::new(r.clone()));
        }
        if let Some(p) = &s.profile {
            loader = loader.profile_name(p);
        }
        if let Some(u) = &s.endpoint_url {
            loader = loader.endpoint_url(u);
        }
        let sdk = loader.load().await;
        if sdk.region().is_none() {
            return Err(LlmError::Config(
                "Bedrock needs a region: set [llm] region, AWS_REGION, or a region in your AWS profile".into(),
            ));
        }
        Ok(Bedrock::from_conf(
            br::config::Builder::from(&sdk).build(),
            s,
        ))
    }

    /// A client from an explicit SDK configuration (tests, embedding).
    pub fn from_conf(conf: br::Config, s: BedrockSettings) -> Bedrock {
        let region = conf
            .region()
            .map(|r| r.to_string())
            .unwrap_or_else(|| "us-east-1".into());
        let conf = conf
            .to_builder()
            .retry_config(aws_config::retry::RetryConfig::disabled())
            .timeout_config(
                aws_config::timeout::TimeoutConfig::builder()
                    .connect_timeout(s.timeout.min(Duration::from_secs(10)))
                    .operation_attempt_timeout(s.timeout)
                    .build(),
            )
            .build();
        Bedrock {
            client: br::Client::from_conf(conf),
            s,
            region,
        }
    }

    fn model_arn(&self) -> String {
        if self.s.model.starts_with("arn:") {
            self.s.model.clone()
        } else if self.s.model.split('.').count() > 2
            && ["us.", "eu.", "apac.", "global.", "us-gov."]
                .iter()
                .any(|p| self.s.model.starts_with(p))
        {
            format!(
                "arn:aws:bedrock:{}:<account>:inference-profile/{}",
                self.region, self.s.model
            )
        } else {
            format!(
                "arn:aws:bedrock:{}::foundation-model/{}",
                self.region, self.s.model
            )
        }
    }

    fn parts(&self, req: &Request) -> Result<Parts, LlmError> {
        let mut messages = Vec::with_capacity(req.messages.len());
        for m in &req.messages {
            let mut content = Vec::with_capacity(m.content.len());
            for b in &m.content {
                content.push(to_block(b)?);
            }
            messages.push(
                bt::Message::builder()
                    .role(match m.role {
                        Role::User => bt::ConversationRole::User,
                        Role::Assistant => bt::ConversationRole::Assistant,
                    })
                    .set_content(Some(content))
                    .build()
                    .map_err(build_error)?,
            );
        }
        let mut inference = bt::InferenceConfiguration::builder()
            .max_tokens(req.max_tokens.min(i32::MAX as u32) as i32);
        if let Some(t) = req.temperature {
            inference = inference.temperature(t);
        }
        let tools = if req.tools.is_empty() {
            None
        } else {
            let mut b = bt::ToolConfiguration::builder();
            for t in &req.tools {
                b = b.tools(bt::Tool::ToolSpec(
                    bt::ToolSpecification::builder()
                        .name(&t.name)
                        .description(&t.description)
                        .input_schema(bt::ToolInputSchema::Json(to_document(&t.input_schema)))
                        .build()
                        .map_err(build_error)?,
                ));
            }
            Some(b.build().map_err(build_error)?)
        };
        let system = (!req.system.is_empty())
            .then(|| vec![bt::SystemContentBlock::Text(req.system.clone())]);
        Ok(Parts {
            system,
            messages,
            inference: inference.build(),
            tools,
        })
    }

    /// Turn an SDK error into an [`LlmError`] with the fix in it.
    fn classify<E>(&self, e: SdkError<E, br::config::http::HttpResponse>) -> LlmError
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let status = e.raw_response().map(|r| r.status().as_u16());
        match &e {
            SdkError::TimeoutError(_) => {
                return LlmError::Timeout {
                    provider: NAME.into(),
                    timeout: self.s.timeout,
                }
            }
            SdkError::DispatchFailure(d) if d.is_timeout() => {
                return LlmError::Timeout {
                    provider: NAME.into(),
                    timeout: self.s.timeout,
                }
            }
            SdkError::DispatchFailure(d) if d.is_other() => {
                let full = DisplayErrorContext(&e).to_string();
                if full.contains("no credentials found") || full.contains("CredentialsNotLoaded") {
                    return LlmError::Config(
                        "Bedrock: no AWS credentials found (tried environment variables, the shared config and credentials files, web identity, container and instance metadata); set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, run `aws sso login`, or run on an instance or task role".into(),
                    );
                }
            }
            SdkError::DispatchFailure(d) if d.is_io() => {
                return LlmError::Connect {
                    provider: NAME.into(),
                    url: self.s.endpoint_url.clone().unwrap_or_else(|| {
                        format!("bedrock-runtime.{}.amazonaws.com", self.region)
                    }),
                    message: DisplayErrorContext(&e).to_string(),
                }
            }
            _ => {}
        }
        let code = e.code().unwrap_or("").to_string();
        let message = e
            .message()
            .map(str::to_string)
            .unwrap_or_else(|| DisplayErrorContext(&e).to_string());
        self.classify_code(&code, status, message)
    }

    fn classify_code(&self, code: &str, status: Option<u16>, message: String) -> LlmError {
        let code_lc = code.to_ascii_lowercase();
        let client = |status: u16, hint: String| LlmError::Client {
            provider: NAME.into(),
            status,
            message: format!("{code}: {message}"),
            hint,
        };
        match code_lc.as_str() {
            "throttlingexception" | "servicequotaexceededexception" | "modelnotreadyexception"
            | "toomanyrequestsexception" => LlmError::Throttled {
                provider: NAME.into(),
                message: format!("{code}: {message}"),
                retry_after: None,
            },
            "internalserverexception" | "serviceunavailableexception" | "modeltimeoutexception"
            | "modelstreamerrorexception" => LlmError::Server {
                provider: NAME.into(),
                status: status.unwrap_or(500),
                message: format!("{code}: {message}"),
            },
            "accessdeniedexception" => client(
                status.unwrap_or(403),
                format!(
                    ". Bedrock refused this caller: enable access to model '{}' in the Bedrock console (Model access) for region {}, and allow bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream on {} in the caller's IAM policy (for an inference profile, also on the foundation models it routes to)",
                    self.s.model,
                    self.region,
                    self.model_arn()
                ),
            ),
            "resourcenotfoundexception" => client(
                status.unwrap_or(404),
                format!(
                    ". Check the model id '{}': it must exist in {} (list them with `aws bedrock list-foundation-models --region {}`), or use an inference-profile id such as 'us.{}'",
                    self.s.model, self.region, self.region, self.s.model
                ),
            ),
            "validationexception" => client(
                status.unwrap_or(400),
                format!(
                    ". Bedrock rejected the request; some models need an inference-profile id (e.g. 'us.{}') for on-demand use, and not every model supports Converse, tools or images",
                    self.s.model
                ),
            ),
            "unrecognizedclientexception" | "expiredtokenexception" | "invalidsignatureexception"
            | "incompletesignature" | "missingauthenticationtokenexception" => client(
                status.unwrap_or(403),
                ". The AWS credentials were not accepted: refresh them (aws sso login, or new keys) and check the profile and region".into(),
            ),
            _ => match status {
                Some(429) => LlmError::Throttled {
                    provider: NAME.into(),
                    message: format!("{code} {message}"),
                    retry_after: None,
                },
                Some(s) if s >= 500 => LlmError::Server {
                    provider: NAME.into(),
                    status: s,
                    message: format!("{code} {message}"),
                },
                Some(s) if (400..500).contains(&s) => client(s, String::new()),
                _ if message.contains("credentials") => LlmError::Config(format!(
                    "Bedrock: no AWS credentials found ({message}); set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, run `aws sso login`, or run on a role"
                )),
                _ => LlmError::Protocol {
                    provider: NAME.into(),
                    message: if code.is_empty() { message } else { format!("{code}: {message}") },
                },
            },
        }
    }
}

/// Fill a Converse or ConverseStream builder (two SDK types with the same
/// setters) from the request parts.
macro_rules! request {
    ($builder:expr, $model:expr, $parts:expr) => {
        $builder
            .model_id(&$model)
            .set_system($parts.system.clone())
            .set_messages(Some($parts.messages.clone()))
            .inference_config($parts.inference.clone())
            .set_tool_config($parts.tools.clone())
    };
}

struct Parts {
    system: Option<Vec<bt::SystemContentBlock>>,
    messages: Vec<bt::Message>,
    inference: bt::InferenceConfiguration,
    tools: Option<bt::ToolConfiguration>,
}

fn build_error(e: impl std::fmt::Display) -> LlmError {
    LlmError::Config(format!("cannot build the Bedrock request: {e}"))
}

fn to_block(b: &Block) -> Result<bt::ContentBlock, LlmError> {
    Ok(match b {
        Block::Text { text } => bt::ContentBlock::Text(text.clone()),
        Block::Image { media_type, data } => {
            let format = match media_type.as_str() {
                "image/png" => bt::ImageFormat::Png,
                "image/jpeg" | "image/jpg" => bt::ImageFormat::Jpeg,
                "image/gif" => bt::ImageFormat::Gif,
                "image/webp" => bt::ImageFormat::Webp,
                other => {
                    return Err(LlmError::Config(format!(
                        "Bedrock takes PNG, JPEG, GIF or WebP images, not {other}; convert the image first"
                    )))
                }
            };
            bt::ContentBlock::Image(
                bt::ImageBlock::builder()
                    .format(format)
                    .source(bt::ImageSource::Bytes(Blob::new(data.clone())))
                    .build()
                    .map_err(build_error)?,
            )
        }
        Block::ToolUse { id, name, input } => bt::ContentBlock::ToolUse(
            bt::ToolUseBlock::builder()
                .tool_use_id(id)
                .name(name)
                .input(to_document(input))
                .build()
                .map_err(build_error)?,
        ),
        Block::ToolResult {
            id,
            content,
            is_error,
        } => bt::ContentBlock::ToolResult(
            bt::ToolResultBlock::builder()
                .tool_use_id(id)
                .content(bt::ToolResultContentBlock::Text(content.clone()))
                .status(if *is_error {
                    bt::ToolResultStatus::Error
                } else {
                    bt::ToolResultStatus::Success
                })
                .build()
                .map_err(build_error)?,
        ),
    })
}

/// JSON → Smithy document (tool schemas and tool inputs).
pub fn to_document(v: &Value) -> Document {
    match v {
        Value::Null => Document::Null,
        Value::Bool(b) => Document::Bool(*b),
        Value::Number(n) => Document::Number(if let Some(u) = n.as_u64() {
            Number::PosInt(u)
        } else if let Some(i) = n.as_i64() {
            Number::NegInt(i)
        } else {
            Number::Float(n.as_f64().unwrap_or(0.0))
        }),
        Value::String(s) => Document::String(s.clone()),
        Value::Array(a) => Document::Array(a.iter().map(to_document).collect()),
        Value::Object(o) => Document::Object(
            o.iter()
                .map(|(k, v)| (k.clone(), to_document(v)))
                .collect::<HashMap<_, _>>(),
        ),
    }
}

/// Smithy document → JSON.
pub fn from_document(d: &Document) -> Value {
    match d {
        Document::Null => Value::Null,
        Document::Bool(b) => Value::Bool(*b),
        Document::Number(Number::PosInt(u)) => Value::from(*u),
        Document::Number(Number::NegInt(i)) => Value::from(*i),
        Document::Number(Number::Float(f)) => Value::from(*f),
        Document::String(s) => Value::String(s.clone()),
        Document::Array(a) => Value::Array(a.iter().map(from_document).collect()),
        Document::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| (k.clone(), from_document(v)))
                .collect(),
        ),
    }
}

fn stop(r: &bt::StopReason) -> StopReason {
    match r {
        bt::StopReason::EndTurn => StopReason::EndTurn,
        bt::StopReason::MaxTokens => StopReason::MaxTokens,
        bt::StopReason::ToolUse => StopReason::ToolUse,
        bt::StopReason::StopSequence => StopReason::StopSequence,
        bt::StopReason::ContentFiltered | bt::StopReason::GuardrailIntervened => {
            StopReason::ContentFiltered
        }
        _ => StopReason::Other,
    }
}

fn usage(u: Option<&bt::TokenUsage>) -> Usage {
    u.map(|u| Usage {
        input_tokens: u.input_tokens().max(0) as u64,
        output_tokens: u.output_tokens().max(0) as u64,
    })
    .unwrap_or_default()
}

fn from_block(b: &bt::ContentBlock) -> Option<Block> {
    match b {
        bt::ContentBlock::Text(t) => Some(Block::text(t.clone())),
        bt::ContentBlock::ToolUse(t) => Some(Block::ToolUse {
            id: t.tool_use_id().to_string(),
            name: t.name().to_string(),
            input: from_document(t.input()),
        }),
        _ => None,
    }
}

/// A tool call being streamed: its input arrives as JSON text in pieces.
struct PendingTool {
    id: String,
    name: String,
    input: String,
}

impl Provider for Bedrock {
    fn name(&self) -> &str {
        NAME
    }

    fn model(&self) -> &str {
        &self.s.model
    }

    async fn complete(&self, req: &Request) -> Result<Response, LlmError> {
        let parts = self.parts(req)?;
        let out = self
            .s
            .retry
            .run(|_| {
                let call = request!(self.client.converse(), self.s.model, parts);
                async move { call.send().await.map_err(|e| self.classify(e)) }
            })
            .await?;
        let content = match out.output() {
            Some(bt::ConverseOutput::Message(m)) => {
                m.content().iter().filter_map(from_block).collect()
            }
            _ => {
                return Err(LlmError::Protocol {
                    provider: NAME.into(),
                    message: "the answer has no message".into(),
                })
            }
        };
        Ok(Response {
            content,
            stop_reason: stop(out.stop_reason()),
            usage: usage(out.usage()),
            model: self.s.model.clone(),
            request_id: out.request_id().map(str::to_string),
        })
    }

    async fn stream(&self, req: &Request, on_text: OnText<'_>) -> Result<Response, LlmError> {
        let parts = self.parts(req)?;
        let mut out = self
            .s
            .retry
            .run(|_| {
                let call = request!(self.client.converse_stream(), self.s.model, parts);
                async move { call.send().await.map_err(|e| self.classify(e)) }
            })
            .await?;
        let request_id = out.request_id().map(str::to_string);
        let mut text = String::new();
        let mut content: Vec<Block> = Vec::new();
        let mut tool: Option<PendingTool> = None;
        let mut stop_reason = None;
        let mut use_ = Usage::default();
        loop {
            let next = tokio::time::timeout(self.s.timeout, out.stream.recv())
                .await
                .map_err(|_| LlmError::Timeout {
                    provider: NAME.into(),
                    timeout: self.s.timeout,
                })?;
            let event = match next {
                Ok(Some(ev)) => ev,
                Ok(None) => break,
                Err(e) => {
                    use bt::error::ConverseStreamOutputError as Se;
                    // Exception frames carry their type in a header, which
                    // the SDK turns into a variant rather than a code.
                    let code = match e.as_service_error() {
                        Some(Se::ThrottlingException(_)) => "ThrottlingException",
                        Some(Se::ServiceUnavailableException(_)) => "ServiceUnavailableException",
                        Some(Se::InternalServerException(_)) => "InternalServerException",
                        Some(Se::ModelStreamErrorException(_)) => "ModelStreamErrorException",
                        Some(Se::ValidationException(_)) => "ValidationException",
                        _ => e.code().unwrap_or(""),
                    }
                    .to_string();
                    let message = e
                        .message()
                        .map(str::to_string)
                        .unwrap_or_else(|| DisplayErrorContext(&e).to_string());
                    return Err(if code.is_empty() {
                        LlmError::Protocol {
                            provider: NAME.into(),
                            message: format!("the event stream broke: {message}"),
                        }
                    } else {
                        self.classify_code(&code, None, message)
                    });
                }
            };
            match event {
                bt::ConverseStreamOutput::ContentBlockStart(s) => {
                    if let Some(bt::ContentBlockStart::ToolUse(t)) = s.start() {
                        tool = Some(PendingTool {
                            id: t.tool_use_id().to_string(),
                            name: t.name().to_string(),
                            input: String::new(),
                        });
                    }
                }
                bt::ConverseStreamOutput::ContentBlockDelta(d) => match d.delta() {
                    Some(bt::ContentBlockDelta::Text(t)) => {
                        on_text(t);
                        text.push_str(t);
                    }
                    Some(bt::ContentBlockDelta::ToolUse(t)) => {
                        if let Some(p) = tool.as_mut() {
                            p.input.push_str(t.input());
                        }
                    }
                    _ => {}
                },
                bt::ConverseStreamOutput::ContentBlockStop(_) => {
                    if let Some(p) = tool.take() {
                        let input = if p.input.trim().is_empty() {
                            Value::Object(Default::default())
                        } else {
                            serde_json::from_str(&p.input).map_err(|e| LlmError::Protocol {
                                provider: NAME.into(),
                                message: format!("tool '{}' input is not JSON: {e}", p.name),
                            })?
                        };
                        if !text.is_empty() {
                            content.push(Block::text(std::mem::take(&mut text)));
                        }
                        content.push(Block::ToolUse {
                            id: p.id,
                            name: p.name,
                            input,
                        });
                    }
                }
                bt::ConverseStreamOutput::MessageStop(m) => {
                    stop_reason = Some(stop(m.stop_reason()));
                }
                bt::ConverseStreamOutput::Metadata(m) => use_ = usage(m.usage()),
                _ => {}
            }
        }
        let Some(stop_reason) = stop_reason else {
            return Err(LlmError::Protocol {
                provider: NAME.into(),
                message: "the event stream ended before messageStop: the answer is incomplete"
                    .into(),
            });
        };
        if !text.is_empty() {
            content.push(Block::text(text));
        }
        Ok(Response {
            content,
            stop_reason,
            usage: use_,
            model: self.s.model.clone(),
            request_id,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn documents_round_trip() {
        let v = json!({"a": [1, -2, 2.5, "x", null, true], "b": {"c": {}}});
        assert_eq!(from_document(&to_document(&v)), v);
    }
}
