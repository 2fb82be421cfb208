//! warden-detect: Sigma detection for cloud logs.
//!
//! Rules are standard Sigma YAML ([`load`]), compiled once into expression
//! trees over interned field ids ([`rule`], [`expr`], [`matcher`]), indexed
//! by the exact values they require so each event meets only the rules that
//! can match it ([`engine`]), and combined over time by Sigma correlation
//! rules ([`correlate`]). [`testing`] runs each rule against the examples
//! kept beside it.

pub mod condition;
pub mod correlate;
pub mod dedupe;
pub mod engine;
pub mod expr;
pub mod history;
pub mod load;
pub mod matcher;
pub mod rule;
pub mod suppress;
pub mod testing;

pub use engine::{Detector, Engine};
pub use load::{build, builtin_files, dir_files, LoadError, Loaded, RuleFile};
