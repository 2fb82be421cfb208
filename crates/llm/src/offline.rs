//! warden's offline analyst: the default provider. It is not a generative
//! model and says so; it answers from templates over the facts the caller
//! already put in the request, so every feature works with no network, no
//! account and no key, and the same input always gives the same words.

use crate::types::*;
use crate::{LlmError, OnText, Provider};

/// Prefix of every offline answer, so nobody mistakes it for a model's.
pub const NOTICE: &str = "[offline analyst: template output, not a generative model]";

#[derive(Debug, Default, Clone)]
pub struct Offline;

impl Offline {
    /// The text: the notice, then the request's last user text, which
    /// callers using the offline path fill with their templated facts.
    fn answer(req: &Request) -> String {
        let facts = req
            .messages
            .iter()
            .rev()
            .find(|m| m.role == Role::User)
            .map(|m| {
                m.content
                    .iter()
                    .filter_map(|b| match b {
                        Block::Text { text } => Some(text.as_str()),
                        _ => None,
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default();
        format!("{NOTICE}\n{}", facts.trim())
    }
}

impl Provider for Offline {
    fn name(&self) -> &str {
        "offline"
    }
    fn model(&self) -> &str {
        "warden-offline-analyst"
    }
    async fn complete(&self, req: &Request) -> Result<Response, LlmError> {
        let text = Self::answer(req);
        Ok(Response {
            usage: Usage::default(),
            content: vec![Block::text(text)],
            stop_reason: StopReason::EndTurn,
            model: self.model().into(),
            request_id: None,
        })
    }
    async fn stream(&self, req: &Request, on_text: OnText<'_>) -> Result<Response, LlmError> {
        let r = self.complete(req).await?;
        on_text(&r.text());
        Ok(r)
    }
}
