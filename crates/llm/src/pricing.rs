//! What a run's tokens cost, estimated from list prices.
//!
//! The figures are public on-demand list prices in US dollars per million
//! tokens (input, output) as published by the providers; they change, so
//! `[llm] price_input_per_mtok` / `price_output_per_mtok` override them and
//! every report says which price it used. A local server (Ollama, vLLM on
//! localhost) costs nothing per token.

use serde::Serialize;

use crate::types::Usage;

/// Dollars per million tokens.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Price {
    pub input_per_mtok: f64,
    pub output_per_mtok: f64,
}

/// Model-name fragments and their list prices, most specific first.
const LIST: &[(&str, f64, f64)] = &[
    ("claude-opus-4", 15.0, 75.0),
    ("claude-sonnet-4", 3.0, 15.0),
    ("claude-3-7-sonnet", 3.0, 15.0),
    ("claude-3-5-sonnet", 3.0, 15.0),
    ("claude-haiku-4", 1.0, 5.0),
    ("claude-3-5-haiku", 0.8, 4.0),
    ("claude-3-haiku", 0.25, 1.25),
    ("nova-pro", 0.8, 3.2),
    ("nova-lite", 0.06, 0.24),
    ("nova-micro", 0.035, 0.14),
    ("gpt-4o-mini", 0.15, 0.6),
    ("gpt-4o", 2.5, 10.0),
    ("gpt-4.1-mini", 0.4, 1.6),
    ("gpt-4.1", 2.0, 8.0),
];

/// The price for `provider`/`model`, or `None` when unknown.
pub fn list_price(provider: &str, model: &str, base_url: Option<&str>) -> Option<Price> {
    if provider == "offline" {
        return Some(Price {
            input_per_mtok: 0.0,
            output_per_mtok: 0.0,
        });
    }
    if let Some(u) = base_url {
        if ["://localhost", "://127.", "://[::1]"]
            .iter()
            .any(|h| u.contains(h))
        {
            return Some(Price {
                input_per_mtok: 0.0,
                output_per_mtok: 0.0,
            });
        }
    }
    let m = model.to_ascii_lowercase();
    LIST.iter()
        .find(|(k, _, _)| m.contains(k))
        .map(|&(_, i, o)| Price {
            input_per_mtok: i,
            output_per_mtok: o,
        })
}

/// Estimated dollars for `usage` at `price`.
pub fn cost(usage: Usage, price: Price) -> f64 {
    usage.input_tokens as f64 * price.input_per_mtok / 1e6
        + usage.output_tokens as f64 * price.output_per_mtok / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_by_model_and_local_servers_are_free() {
        let p = list_price(
            "bedrock",
            "us.anthropic.claude-3-5-haiku-20241022-v1:0",
            None,
        )
        .unwrap();
        assert_eq!(p.input_per_mtok, 0.8);
        let u = Usage {
            input_tokens: 1_000_000,
            output_tokens: 100_000,
        };
        assert!((cost(u, p) - 1.2).abs() < 1e-9);
        assert_eq!(
            list_price("openai", "llama3.1:8b", Some("http://localhost:11434/v1"))
                .unwrap()
                .input_per_mtok,
            0.0
        );
        assert!(list_price("openai", "mystery-model", Some("https://example.com/v1")).is_none());
        // gpt-4o-mini must not be priced as gpt-4o.
        assert_eq!(
            list_price("openai", "gpt-4o-mini", None)
                .unwrap()
                .input_per_mtok,
            0.15
        );
    }
}
