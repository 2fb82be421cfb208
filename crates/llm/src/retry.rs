//! Retries with exponential backoff and full jitter, for throttling and
//! server errors only: a 4xx other than 408/429 is the caller's mistake
//! and retrying it only burns budget.

use std::time::Duration;

use crate::LlmError;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Total attempts, first included.
    pub attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// Backoff multiplier per attempt.
    pub factor: f64,
}

impl Default for RetryPolicy {
    /// The reference workflow's numbers: 3 attempts, 1 s, ×2.
    fn default() -> Self {
        RetryPolicy {
            attempts: 3,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(20),
            factor: 2.0,
        }
    }
}

/// A small xorshift generator: jitter needs spread, not cryptography.
fn random_unit(seed: &mut u64) -> f64 {
    let mut x = *seed;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *seed = x;
    (x >> 11) as f64 / (1u64 << 53) as f64
}

impl RetryPolicy {
    /// Full jitter: a uniform delay in [0, min(max, base × factor^n)].
    pub fn delay(&self, retry: u32, seed: &mut u64) -> Duration {
        let cap = self.base_delay.as_secs_f64() * self.factor.powi(retry as i32);
        let cap = cap.min(self.max_delay.as_secs_f64());
        Duration::from_secs_f64(cap * random_unit(seed))
    }

    /// Run `op` until it succeeds, fails for good, or attempts run out.
    pub async fn run<T, F, Fut>(&self, mut op: F) -> Result<T, LlmError>
    where
        F: FnMut(u32) -> Fut,
        Fut: std::future::Future<Output = Result<T, LlmError>>,
    {
        let mut seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x9E37_79B9_7F4A_7C15)
            | 1;
        let mut attempt = 0;
        loop {
            match op(attempt).await {
                Ok(v) => return Ok(v),
                Err(e) if e.retryable() && attempt + 1 < self.attempts => {
                    let wait = e
                        .retry_after()
                        .unwrap_or_else(|| self.delay(attempt, &mut seed))
                        .min(self.max_delay);
                    tracing::warn!(attempt = attempt + 1, wait_ms = wait.as_millis() as u64, error = %e, "model call failed; retrying");
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_jitter_stays_under_the_cap() {
        let p = RetryPolicy {
            attempts: 5,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(300),
            factor: 2.0,
        };
        let mut seed = 42;
        for retry in 0..6 {
            let cap = (100.0 * 2f64.powi(retry as i32)).min(300.0);
            for _ in 0..50 {
                let d = p.delay(retry, &mut seed).as_secs_f64() * 1000.0;
                assert!((0.0..=cap).contains(&d), "retry {retry}: {d} > {cap}");
            }
        }
    }
}
