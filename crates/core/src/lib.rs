//! warden-core: the vocabulary every other crate speaks.
//!
//! Events are never materialised as a JSON DOM. A decoder scans each record
//! once and writes the byte spans of the fields the loaded rules need into a
//! reusable [`FieldTable`]; an [`EventView`] pairs that table with the raw
//! record text and answers typed questions (time, principal, source IP…)
//! without allocating. Everything else here — [`Alert`], [`Incident`],
//! [`Level`], [`ThreatLevel`], [`Timestamp`] — is the owned, serialisable
//! output of detection and triage.

pub mod alert;
pub mod fields;
pub mod kind;
pub mod level;
pub mod record;
pub mod time;

pub use alert::{Alert, AlertRecord, EventFacts, Incident, ReferenceTriage, RuleInfo};
pub use fields::{FieldId, FieldRegistry, Trie, TrieNodeId};
pub use kind::{Accessor, LogKind, StdFields};
pub use level::{Level, ThreatLevel};
pub use record::{EventView, FieldTable, Slot, Span, SpanKind, Value};
pub use time::Timestamp;
