//! warden-live: where `warden run` and the Lambda function get their work.
//!
//! - [`envelope`]: what a message or event asks for (S3 notifications, SNS
//!   wrappers, EventBridge, CloudTrail delivery notices) → [`envelope::Work`].
//! - [`sqs`]: a queue consumer that deletes a message only after its work
//!   succeeded and otherwise lets it come back (and, in the end, go to the
//!   dead-letter queue).
//! - [`s3scan`]: an S3 prefix listed as a source; the caller keeps the
//!   checkpoint of what is done.
//!
//! What happens to the work — detection, triage, the store, the image
//! guard, notifications — is the same code as for files (`warden` crate).

pub mod envelope;
pub mod s3scan;
pub mod sqs;

pub use envelope::{ObjectRef, Work};
