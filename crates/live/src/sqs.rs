//! An SQS queue of S3 notifications or EventBridge events: long polling;
//! a message is deleted only after its work succeeded; a failed one is
//! made visible again after a back-off (its receive count grows, and the
//! queue's redrive policy moves it to the dead-letter queue in the end).

use std::time::Duration;

use aws_sdk_sqs::Client;

/// SQS settings for one queue.
#[derive(Debug, Clone)]
pub struct QueueOptions {
    /// Long-polling wait, 0–20 s.
    pub wait: Duration,
    /// Messages per receive, 1–10.
    pub batch: i32,
    /// Hidden from other consumers while being worked on.
    pub visibility: Duration,
    /// Until a failed message is visible again: `retry_base × 2^(receives-1)`,
    /// at most 15 minutes.
    pub retry_base: Duration,
}

impl Default for QueueOptions {
    fn default() -> Self {
        QueueOptions {
            wait: Duration::from_secs(20),
            batch: 10,
            visibility: Duration::from_secs(300),
            retry_base: Duration::from_secs(30),
        }
    }
}

/// One received message.
#[derive(Debug, Clone)]
pub struct Received {
    pub id: String,
    pub receipt: String,
    pub body: String,
    /// How often it has been received (1 the first time).
    pub receives: u32,
}

pub struct Queue {
    pub url: String,
    client: Client,
    opts: QueueOptions,
}

fn err<E>(url: &str, what: &str, e: E) -> String
where
    E: aws_sdk_sqs::error::ProvideErrorMetadata + std::error::Error + 'static,
{
    format!("{url}: {what}: {}", warden_respond::s3::sdk_error(&e))
}

/// An SQS client from the usual AWS configuration (honours
/// `AWS_ENDPOINT_URL` for local stand-ins).
pub async fn client() -> Client {
    Client::new(&warden_respond::s3::sdk_config().await)
}

impl Queue {
    pub fn new(client: Client, url: &str, opts: QueueOptions) -> Queue {
        Queue {
            url: url.to_string(),
            client,
            opts,
        }
    }

    /// Wait (long polling) for up to `batch` messages.
    pub async fn receive(&self) -> Result<Vec<Received>, String> {
        let out = self
            .client
            .receive_message()
            .queue_url(&self.url)
            .max_number_of_messages(self.opts.batch.clamp(1, 10))
            .wait_time_seconds(self.opts.wait.as_secs().min(20) as i32)
            .visibility_timeout(self.opts.visibility.as_secs().clamp(1, 43_200) as i32)
            .message_system_attribute_names(
                aws_sdk_sqs::types::MessageSystemAttributeName::ApproximateReceiveCount,
            )
            .send()
            .await
            .map_err(|e| err(&self.url, "cannot receive", e))?;
        Ok(out
            .messages()
            .iter()
            .filter_map(|m| {
                Some(Received {
                    id: m.message_id()?.to_string(),
                    receipt: m.receipt_handle()?.to_string(),
                    body: m.body().unwrap_or("").to_string(),
                    receives: m
                        .attributes()
                        .and_then(|a| a.get(&aws_sdk_sqs::types::MessageSystemAttributeName::ApproximateReceiveCount))
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(1),
                })
            })
            .collect())
    }

    /// Remove several finished messages in one call per 10; the messages
    /// that could not be removed, with why.
    pub async fn done_batch(&self, ms: &[&Received]) -> Vec<(String, String)> {
        let mut failed = Vec::new();
        for chunk in ms.chunks(10) {
            let entries: Vec<_> = chunk
                .iter()
                .enumerate()
                .filter_map(|(i, m)| {
                    aws_sdk_sqs::types::DeleteMessageBatchRequestEntry::builder()
                        .id(i.to_string())
                        .receipt_handle(&m.receipt)
                        .build()
                        .ok()
                })
                .collect();
            match self
                .client
                .delete_message_batch()
                .queue_url(&self.url)
                .set_entries(Some(entries))
                .send()
                .await
            {
                Ok(out) => {
                    for f in out.failed() {
                        let i: usize = f.id().parse().unwrap_or(0);
                        failed.push((
                            chunk.get(i).map(|m| m.id.clone()).unwrap_or_default(),
                            f.message().unwrap_or(f.code()).to_string(),
                        ));
                    }
                }
                Err(e) => {
                    let why = err(&self.url, "cannot delete finished messages", e);
                    failed.extend(chunk.iter().map(|m| (m.id.clone(), why.clone())));
                }
            }
        }
        failed
    }

    /// Whether the queue has a redrive policy (a dead-letter queue).
    pub async fn has_dead_letter_queue(&self) -> Result<bool, String> {
        let out = self
            .client
            .get_queue_attributes()
            .queue_url(&self.url)
            .attribute_names(aws_sdk_sqs::types::QueueAttributeName::RedrivePolicy)
            .send()
            .await
            .map_err(|e| err(&self.url, "cannot read the queue's attributes", e))?;
        Ok(out.attributes().is_some_and(|a| {
            a.contains_key(&aws_sdk_sqs::types::QueueAttributeName::RedrivePolicy)
        }))
    }

    /// The work failed: make the message visible again after a back-off;
    /// returns the back-off.
    pub async fn retry_later(&self, m: &Received) -> Result<Duration, String> {
        let shift = m.receives.saturating_sub(1).min(10);
        let wait = (self.opts.retry_base * (1u32 << shift)).min(Duration::from_secs(900));
        self.client
            .change_message_visibility()
            .queue_url(&self.url)
            .receipt_handle(&m.receipt)
            .visibility_timeout(wait.as_secs() as i32)
            .send()
            .await
            .map(|_| wait)
            .map_err(|e| err(&self.url, "cannot reschedule a failed message", e))
    }
}
