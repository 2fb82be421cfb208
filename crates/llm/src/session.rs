//! A session of model calls with the controls every feature needs: a token
//! budget per run, a response cache keyed by a hash of the request, and an
//! audit record of each call (like Bedrock's model-invocation logging:
//! time, provider, model, purpose, request id, tokens, latency, hashes of
//! prompt and response — never the text itself).

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::types::{Request, Response, Usage};
use crate::{LlmError, Provider};

/// One audit line (JSON Lines file).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AuditRecord {
    pub time: String,
    pub provider: String,
    pub model: String,
    pub purpose: String,
    pub request_id: Option<String>,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub latency_ms: u64,
    pub cached: bool,
    pub redactions: usize,
    pub prompt_sha256: String,
    pub response_sha256: String,
    pub outcome: String,
}

fn sha256_hex(data: &[u8]) -> String {
    let d = Sha256::digest(data);
    d.iter().map(|b| format!("{b:02x}")).collect()
}

fn now_rfc3339() -> String {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let tod = secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        tod / 3600,
        tod % 3600 / 60,
        tod % 60,
        ms.rem_euclid(1000)
    )
}

/// Calls, tokens and cache hits of a session, for the run summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub calls: u64,
    pub cached: u64,
    pub input_tokens: u64,
    pub output_tokens: u64,
}

pub struct Session<P: Provider> {
    pub provider: P,
    /// Most tokens (input + output) this session may spend; `None` = no limit.
    pub budget: Option<u64>,
    pub audit: Option<PathBuf>,
    cache: HashMap<String, Response>,
    pub totals: Totals,
}

impl<P: Provider> Session<P> {
    pub fn new(provider: P) -> Self {
        Session {
            provider,
            budget: None,
            audit: None,
            cache: HashMap::new(),
            totals: Totals::default(),
        }
    }

    fn key(&self, req: &Request) -> String {
        let body = serde_json::to_vec(req).unwrap_or_default();
        let mut h = Sha256::new();
        h.update(self.provider.name().as_bytes());
        h.update([0]);
        h.update(self.provider.model().as_bytes());
        h.update([0]);
        h.update(&body);
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// One call, with budget, cache and audit. `redactions` is how many
    /// values the guardrails replaced in this request (for the record).
    pub async fn call(&mut self, req: &Request, redactions: usize) -> Result<Response, LlmError> {
        let key = self.key(req);
        let prompt_hash = sha256_hex(&serde_json::to_vec(req).unwrap_or_default());
        if let Some(r) = self.cache.get(&key).cloned() {
            self.totals.cached += 1;
            self.record(req, &r, 0, true, redactions, &prompt_hash, "ok");
            return Ok(r);
        }
        let used = self.totals.input_tokens + self.totals.output_tokens;
        if let Some(b) = self.budget {
            // Estimate this request's input at 4 characters per token.
            let estimate = (serde_json::to_string(req).map(|s| s.len()).unwrap_or(0) / 4) as u64
                + req.max_tokens as u64;
            if used + estimate > b {
                return Err(LlmError::Budget(format!(
                    "this run has used {used} of its {b} tokens and the next call needs about {estimate}; raise [llm] run_token_budget or narrow the run"
                )));
            }
        }
        let started = Instant::now();
        let result = self.provider.complete(req).await;
        let ms = started.elapsed().as_millis() as u64;
        match &result {
            Ok(r) => {
                self.totals.calls += 1;
                self.totals.input_tokens += r.usage.input_tokens;
                self.totals.output_tokens += r.usage.output_tokens;
                self.record(req, r, ms, false, redactions, &prompt_hash, "ok");
                self.cache.insert(key, r.clone());
            }
            Err(e) => {
                let empty = Response {
                    content: vec![],
                    stop_reason: crate::StopReason::Other,
                    usage: Usage::default(),
                    model: self.provider.model().to_string(),
                    request_id: None,
                };
                self.record(
                    req,
                    &empty,
                    ms,
                    false,
                    redactions,
                    &prompt_hash,
                    &format!("error: {e}"),
                );
            }
        }
        result
    }

    #[allow(clippy::too_many_arguments)]
    fn record(
        &self,
        req: &Request,
        r: &Response,
        ms: u64,
        cached: bool,
        redactions: usize,
        prompt_hash: &str,
        outcome: &str,
    ) {
        let Some(path) = &self.audit else { return };
        let rec = AuditRecord {
            time: now_rfc3339(),
            provider: self.provider.name().to_string(),
            model: r.model.clone(),
            purpose: req.purpose.clone(),
            request_id: r.request_id.clone(),
            input_tokens: if cached { 0 } else { r.usage.input_tokens },
            output_tokens: if cached { 0 } else { r.usage.output_tokens },
            latency_ms: ms,
            cached,
            redactions,
            prompt_sha256: prompt_hash.to_string(),
            response_sha256: sha256_hex(r.text().as_bytes()),
            outcome: outcome.to_string(),
        };
        let line = serde_json::to_string(&rec).unwrap_or_default();
        let written = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .and_then(|mut f| writeln!(f, "{line}"));
        if let Err(e) = written {
            tracing::error!(path = %path.display(), error = %e, "cannot write the LLM audit record");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::offline::Offline;

    #[tokio::test]
    async fn cache_budget_and_audit() {
        let dir = std::env::temp_dir().join(format!("warden-audit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let audit = dir.join("llm-audit.jsonl");
        let _ = std::fs::remove_file(&audit);
        let mut s = Session::new(Offline);
        s.audit = Some(audit.clone());
        let req = Request::new("triage", "sys", "facts");
        let a = s.call(&req, 2).await.unwrap();
        let b = s.call(&req, 2).await.unwrap();
        assert_eq!(a, b);
        assert_eq!((s.totals.calls, s.totals.cached), (1, 1));
        let lines: Vec<AuditRecord> = std::fs::read_to_string(&audit)
            .unwrap()
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                assert_eq!(v["prompt_sha256"].as_str().unwrap().len(), 64);
                assert!(!l.contains("facts"), "no prompt text in the audit log");
                AuditRecord {
                    time: v["time"].as_str().unwrap().into(),
                    provider: v["provider"].as_str().unwrap().into(),
                    model: v["model"].as_str().unwrap().into(),
                    purpose: v["purpose"].as_str().unwrap().into(),
                    request_id: None,
                    input_tokens: 0,
                    output_tokens: 0,
                    latency_ms: 0,
                    cached: v["cached"].as_bool().unwrap(),
                    redactions: v["redactions"].as_u64().unwrap() as usize,
                    prompt_sha256: String::new(),
                    response_sha256: String::new(),
                    outcome: v["outcome"].as_str().unwrap().into(),
                }
            })
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!((lines[0].cached, lines[1].cached), (false, true));
        assert_eq!(
            (lines[0].purpose.as_str(), lines[0].redactions),
            ("triage", 2)
        );
        assert!(lines[0].time.starts_with("20") && lines[0].time.ends_with('Z'));

        let mut tight = Session::new(Offline);
        tight.budget = Some(10);
        let e = tight.call(&req, 0).await.unwrap_err();
        assert!(matches!(e, LlmError::Budget(_)), "{e}");
    }
}
