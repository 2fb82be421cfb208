//! warden-llm: one interface to language models.
//!
//! Every feature that needs words (triage narratives, answers, policy
//! explanations) talks to a [`Provider`]: Anthropic's Messages API
//! ([`anthropic`]), any OpenAI-compatible chat-completions server such as
//! Ollama or vLLM ([`openai`]), or warden's built-in [`offline`] analyst,
//! the default, which is deterministic and says it is not a generative
//! model. Calls are retried with full jitter on throttling and server
//! errors only ([`retry`]); answers that must be data are parsed strictly
//! ([`structured`]).

pub mod anthropic;
pub mod any;
pub mod bedrock;
mod http;
pub mod offline;
pub mod openai;
pub mod pricing;
pub mod retry;
pub mod seal;
pub mod session;
pub mod structured;
pub mod types;

use std::time::Duration;

pub use types::{Block, Message, Request, Response, Role, StopReason, Tool, Usage};

/// Why a model call failed, classified for retries and for the user.
#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    /// 429 or a provider's throttling/overloaded error.
    #[error("{provider} is throttling requests: {message}")]
    Throttled {
        provider: String,
        message: String,
        retry_after: Option<Duration>,
    },
    /// 5xx: the provider failed.
    #[error("{provider} server error {status}: {message}")]
    Server {
        provider: String,
        status: u16,
        message: String,
    },
    /// 4xx: the request or the credentials are wrong; not retried.
    #[error("{provider} rejected the request ({status}): {message}{hint}")]
    Client {
        provider: String,
        status: u16,
        message: String,
        hint: String,
    },
    #[error("{provider}: no answer within {0:?}; raise the timeout or check the endpoint", .timeout)]
    Timeout { provider: String, timeout: Duration },
    #[error("{provider}: cannot connect to {url}: {message}")]
    Connect {
        provider: String,
        url: String,
        message: String,
    },
    /// The answer could not be understood (bad JSON, cut-off stream).
    #[error("{provider}: unreadable answer: {message}")]
    Protocol { provider: String, message: String },
    #[error("token budget exhausted: {0}")]
    Budget(String),
    #[error("{0}")]
    Config(String),
}

impl LlmError {
    pub fn retryable(&self) -> bool {
        matches!(
            self,
            LlmError::Throttled { .. }
                | LlmError::Server { .. }
                | LlmError::Timeout { .. }
                | LlmError::Connect { .. }
        )
    }

    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            LlmError::Throttled { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// Streamed text, as it arrives.
pub type OnText<'a> = &'a mut (dyn FnMut(&str) + Send);

/// A language model.
#[allow(async_fn_in_trait)]
pub trait Provider: Send + Sync {
    /// `anthropic`, `openai`, `bedrock`, `offline`.
    fn name(&self) -> &str;
    fn model(&self) -> &str;
    /// One call, whole answer.
    async fn complete(&self, req: &Request) -> Result<Response, LlmError>;
    /// One call, text streamed to `on_text` as it arrives; the whole answer
    /// at the end.
    async fn stream(&self, req: &Request, on_text: OnText<'_>) -> Result<Response, LlmError>;
}

/// One connected provider shared by many sessions (the server's requests
/// and Slack jobs each have their own budget and cache).
impl<P: Provider> Provider for std::sync::Arc<P> {
    fn name(&self) -> &str {
        (**self).name()
    }
    fn model(&self) -> &str {
        (**self).model()
    }
    async fn complete(&self, req: &Request) -> Result<Response, LlmError> {
        (**self).complete(req).await
    }
    async fn stream(&self, req: &Request, on_text: OnText<'_>) -> Result<Response, LlmError> {
        (**self).stream(req, on_text).await
    }
}

/// Connection settings shared by the HTTP providers.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    pub base_url: String,
    pub api_key: Option<String>,
    pub model: String,
    pub timeout: Duration,
    pub retry: retry::RetryPolicy,
}
