//! warden-guard: what may go into a prompt, and what may come out.
//!
//! Every byte of log data that reaches a model is untrusted: it may carry
//! personal data that must not leave, secrets, or instructions aimed at the
//! model.
//! - [`recognize`] finds PII and secrets with offsets and confidence
//!   ([`checks`] holds the check-digit rules behind them);
//! - [`redact`] keeps, pseudonymises (reversibly, per conversation) or
//!   blocks each entity;
//! - [`inject`] screens questions and log fields for prompt injection and
//!   says why; [`unicode`] strips hidden characters;
//! - [`fence`] wraps untrusted data for prompts (random boundary,
//!   datamarking); [`output`] checks answers (markup, prompt leakage,
//!   language).

pub mod checks;
pub mod fence;
pub mod inject;
pub mod output;
pub mod recognize;
pub mod redact;
pub mod unicode;

pub use recognize::{scan, Entity, Found};
