//! One value for "the configured model", whichever provider it is.
//!
//! [`Provider`] uses `async fn` and so cannot be a trait object; features
//! hold an [`AnyProvider`] instead and the dispatch is a `match`.

use crate::anthropic::Anthropic;
use crate::bedrock::{Bedrock, BedrockSettings};
use crate::offline::Offline;
use crate::openai::OpenAi;
use crate::types::{Request, Response};
use crate::{HttpSettings, LlmError, OnText, Provider};

/// Which provider, with its settings (built from configuration).
#[derive(Debug, Clone)]
pub enum ProviderSettings {
    Offline,
    Anthropic(HttpSettings),
    OpenAi(HttpSettings),
    Bedrock(BedrockSettings),
}

pub enum AnyProvider {
    Offline(Offline),
    Anthropic(Anthropic),
    OpenAi(OpenAi),
    Bedrock(Box<Bedrock>),
}

impl AnyProvider {
    /// Build the provider; Bedrock resolves credentials and region here.
    pub async fn connect(s: ProviderSettings) -> Result<AnyProvider, LlmError> {
        Ok(match s {
            ProviderSettings::Offline => AnyProvider::Offline(Offline),
            ProviderSettings::Anthropic(h) => AnyProvider::Anthropic(Anthropic::new(h)),
            ProviderSettings::OpenAi(h) => AnyProvider::OpenAi(OpenAi::new(h)),
            ProviderSettings::Bedrock(b) => {
                AnyProvider::Bedrock(Box::new(Bedrock::connect(b).await?))
            }
        })
    }

    pub fn is_offline(&self) -> bool {
        matches!(self, AnyProvider::Offline(_))
    }
}

impl Provider for AnyProvider {
    fn name(&self) -> &str {
        match self {
            AnyProvider::Offline(p) => p.name(),
            AnyProvider::Anthropic(p) => p.name(),
            AnyProvider::OpenAi(p) => p.name(),
            AnyProvider::Bedrock(p) => p.name(),
        }
    }

    fn model(&self) -> &str {
        match self {
            AnyProvider::Offline(p) => p.model(),
            AnyProvider::Anthropic(p) => p.model(),
            AnyProvider::OpenAi(p) => p.model(),
            AnyProvider::Bedrock(p) => p.model(),
        }
    }

    async fn complete(&self, req: &Request) -> Result<Response, LlmError> {
        match self {
            AnyProvider::Offline(p) => p.complete(req).await,
            AnyProvider::Anthropic(p) => p.complete(req).await,
            AnyProvider::OpenAi(p) => p.complete(req).await,
            AnyProvider::Bedrock(p) => p.complete(req).await,
        }
    }

    async fn stream(&self, req: &Request, on_text: OnText<'_>) -> Result<Response, LlmError> {
        match self {
            AnyProvider::Offline(p) => p.stream(req, on_text).await,
            AnyProvider::Anthropic(p) => p.stream(req, on_text).await,
            AnyProvider::OpenAi(p) => p.stream(req, on_text).await,
            AnyProvider::Bedrock(p) => p.stream(req, on_text).await,
        }
    }
}
