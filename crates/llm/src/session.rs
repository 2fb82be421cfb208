//! A session of model calls with the controls every feature needs: token
//! budgets per run and per day, a response cache keyed by a hash of the
//! request (in memory, and on disk when a state directory is set), and an
//! audit record of each call like Bedrock's model-invocation logging:
//! time, provider, model, purpose, request id, tokens, latency, hashes of
//! prompt and response. The text itself is recorded only when an audit key
//! is configured, and then sealed (see [`crate::seal`]).

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::seal::AuditKey;
use crate::types::{Request, Response, Usage};
use crate::{LlmError, Provider};

/// One audit line (JSON Lines file).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
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
    /// The request and answer text, sealed with the audit key; absent
    /// unless full-text audit is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed_text: Option<String>,
}

fn sha256_hex(data: &[u8]) -> String {
    let d = Sha256::digest(data);
    d.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn now_rfc3339() -> String {
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

impl Totals {
    pub fn usage(&self) -> Usage {
        Usage {
            input_tokens: self.input_tokens,
            output_tokens: self.output_tokens,
        }
    }
}

/// Where a session keeps what outlives a run: the per-day token ledger
/// (`usage-YYYY-MM-DD.jsonl`, one line per call, appended) and the
/// response cache (`cache/<sha256>.json`).
#[derive(Debug, Clone)]
pub struct StateDir {
    pub path: PathBuf,
    /// Cached answers older than this are not used.
    pub cache_ttl: Duration,
}

#[derive(Serialize, Deserialize)]
struct CachedAnswer {
    stored_ms: u64,
    response: Response,
}

#[derive(Serialize, Deserialize)]
struct LedgerLine {
    time: String,
    provider: String,
    model: String,
    tokens: u64,
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

impl StateDir {
    fn ledger(&self, day: &str) -> PathBuf {
        self.path.join(format!("usage-{day}.jsonl"))
    }

    /// Tokens spent today (UTC) by every warden process using this folder.
    pub fn spent_today(&self) -> u64 {
        let day = &now_rfc3339()[..10];
        std::fs::read_to_string(self.ledger(day))
            .map(|s| {
                s.lines()
                    .filter_map(|l| serde_json::from_str::<LedgerLine>(l).ok())
                    .map(|l| l.tokens)
                    .sum()
            })
            .unwrap_or(0)
    }

    fn charge(&self, provider: &str, model: &str, tokens: u64) {
        let time = now_rfc3339();
        let line = LedgerLine {
            time: time.clone(),
            provider: provider.into(),
            model: model.into(),
            tokens,
        };
        let path = self.ledger(&time[..10]);
        // One short line per append: concurrent writers do not interleave.
        let written = std::fs::create_dir_all(&self.path).and_then(|_| {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .and_then(|mut f| {
                    writeln!(f, "{}", serde_json::to_string(&line).unwrap_or_default())
                })
        });
        if let Err(e) = written {
            tracing::error!(path = %path.display(), error = %e, "cannot record token use; the daily budget may undercount");
        }
    }

    fn cache_file(&self, key: &str) -> PathBuf {
        self.path.join("cache").join(format!("{key}.json"))
    }

    fn cached(&self, key: &str) -> Option<Response> {
        let bytes = std::fs::read(self.cache_file(key)).ok()?;
        let c: CachedAnswer = serde_json::from_slice(&bytes).ok()?;
        (now_ms().saturating_sub(c.stored_ms) <= self.cache_ttl.as_millis() as u64)
            .then_some(c.response)
    }

    fn store(&self, key: &str, r: &Response) {
        let path = self.cache_file(key);
        let c = CachedAnswer {
            stored_ms: now_ms(),
            response: r.clone(),
        };
        // Write to a temporary name and rename, so a reader never sees half a file.
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        let done = path
            .parent()
            .map(std::fs::create_dir_all)
            .unwrap_or(Ok(()))
            .and_then(|_| std::fs::write(&tmp, serde_json::to_vec(&c).unwrap_or_default()))
            .and_then(|_| std::fs::rename(&tmp, &path));
        if let Err(e) = done {
            let _ = std::fs::remove_file(&tmp);
            tracing::warn!(path = %path.display(), error = %e, "cannot store the answer in the cache");
        }
    }
}

pub struct Session<P: Provider> {
    pub provider: P,
    /// Most tokens (input + output) this session may spend; `None` = no limit.
    pub budget: Option<u64>,
    /// Most tokens all runs may spend per UTC day (needs `state`).
    pub daily_budget: Option<u64>,
    pub audit: Option<PathBuf>,
    /// With a key, audit records carry the sealed request and answer text.
    pub audit_key: Option<AuditKey>,
    pub state: Option<StateDir>,
    cache: HashMap<String, Response>,
    spent_before: Option<u64>,
    pub totals: Totals,
}

impl<P: Provider> Session<P> {
    pub fn new(provider: P) -> Self {
        Session {
            provider,
            budget: None,
            daily_budget: None,
            audit: None,
            audit_key: None,
            state: None,
            cache: HashMap::new(),
            spent_before: None,
            totals: Totals::default(),
        }
    }

    fn key(&self, body: &[u8]) -> String {
        let mut h = Sha256::new();
        h.update(self.provider.name().as_bytes());
        h.update([0]);
        h.update(self.provider.model().as_bytes());
        h.update([0]);
        h.update(body);
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Refuse a call that would overrun the run's or the day's budget.
    fn check_budget(&mut self, req: &Request) -> Result<(), LlmError> {
        // Estimate this request's input at 4 characters per token.
        let estimate = (serde_json::to_string(req).map(|s| s.len()).unwrap_or(0) / 4) as u64
            + req.max_tokens as u64;
        let used = self.totals.input_tokens + self.totals.output_tokens;
        if let Some(b) = self.budget {
            if used + estimate > b {
                return Err(LlmError::Budget(format!(
                    "this run has used {used} of its {b} tokens and the next call needs about {estimate}; raise [llm] run_token_budget or narrow the run"
                )));
            }
        }
        if let (Some(b), Some(state)) = (self.daily_budget, &self.state) {
            let before = *self.spent_before.get_or_insert_with(|| state.spent_today());
            let today = before + used;
            if today + estimate > b {
                return Err(LlmError::Budget(format!(
                    "today's token budget is spent: {today} of {b} tokens used (UTC day, all runs sharing {}), and the next call needs about {estimate}; raise [llm] daily_token_budget or wait until 00:00 UTC",
                    state.path.display()
                )));
            }
        }
        Ok(())
    }

    /// One call, with budgets, cache and audit. `redactions` is how many
    /// values the guardrails replaced in this request (for the record).
    pub async fn call(&mut self, req: &Request, redactions: usize) -> Result<Response, LlmError> {
        self.call_keyed(req, redactions, None).await
    }

    /// Like [`call`](Self::call), with the cache keyed by `canonical`
    /// instead of the request: callers whose prompts carry a random fence
    /// boundary pass the request with the boundary normalised, so the same
    /// facts hit the cache in the next run.
    pub async fn call_keyed(
        &mut self,
        req: &Request,
        redactions: usize,
        canonical: Option<&str>,
    ) -> Result<Response, LlmError> {
        let body = serde_json::to_vec(req).unwrap_or_default();
        let key = match canonical {
            Some(c) => self.key(c.as_bytes()),
            None => self.key(&body),
        };
        let prompt_hash = sha256_hex(&body);
        let hit = self.cache.get(&key).cloned().or_else(|| {
            let r = self.state.as_ref()?.cached(&key)?;
            self.cache.insert(key.clone(), r.clone());
            Some(r)
        });
        if let Some(r) = hit {
            self.totals.cached += 1;
            self.record(req, &r, 0, true, redactions, &prompt_hash, "ok");
            return Ok(r);
        }
        self.check_budget(req)?;
        let started = Instant::now();
        let result = self.provider.complete(req).await;
        let ms = started.elapsed().as_millis() as u64;
        match &result {
            Ok(r) => {
                self.totals.calls += 1;
                self.totals.input_tokens += r.usage.input_tokens;
                self.totals.output_tokens += r.usage.output_tokens;
                self.record(req, r, ms, false, redactions, &prompt_hash, "ok");
                self.cache.insert(key.clone(), r.clone());
                if let Some(state) = &self.state {
                    state.charge(self.provider.name(), self.provider.model(), r.usage.total());
                    state.store(&key, r);
                }
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
        let sealed_text = self.audit_key.as_ref().and_then(|k| {
            let text = serde_json::json!({"request": req, "response": r.text()});
            match k.seal(text.to_string().as_bytes(), prompt_hash) {
                Ok(s) => Some(s),
                Err(e) => {
                    tracing::error!(error = %e, "cannot seal the audit text; recording hashes only");
                    None
                }
            }
        });
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
            sealed_text,
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

/// Read an audit file; unreadable lines are reported with their number
/// and skipped.
pub fn read_audit(path: &Path) -> Result<(Vec<AuditRecord>, Vec<String>), String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the audit file {}: {e}", path.display()))?;
    let mut records = Vec::new();
    let mut bad = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<AuditRecord>(line) {
            Ok(r) => records.push(r),
            Err(e) => bad.push(format!(
                "{}:{}: not an audit record: {e}",
                path.display(),
                n + 1
            )),
        }
    }
    Ok((records, bad))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::offline::Offline;

    fn tmp(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("warden-session-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[tokio::test]
    async fn cache_budget_and_audit() {
        let dir = tmp("audit");
        let audit = dir.join("llm-audit.jsonl");
        let mut s = Session::new(Offline);
        s.audit = Some(audit.clone());
        let req = Request::new("triage", "sys", "facts");
        let a = s.call(&req, 2).await.unwrap();
        let b = s.call(&req, 2).await.unwrap();
        assert_eq!(a, b);
        assert_eq!((s.totals.calls, s.totals.cached), (1, 1));
        let raw = std::fs::read_to_string(&audit).unwrap();
        assert!(!raw.contains("facts"), "no prompt text in the audit log");
        std::fs::write(&audit, format!("{raw}not json\n")).unwrap();
        let (lines, bad) = read_audit(&audit).unwrap();
        assert_eq!(lines.len(), 2);
        assert!(
            bad[0].ends_with(
                "llm-audit.jsonl:3: not an audit record: expected ident at line 1 column 2"
            ),
            "{bad:?}"
        );
        assert_eq!(lines[0].prompt_sha256.len(), 64);
        assert_eq!((lines[0].cached, lines[1].cached), (false, true));
        assert_eq!(
            (lines[0].purpose.as_str(), lines[0].redactions),
            ("triage", 2)
        );
        assert!(lines[0].time.starts_with("20") && lines[0].time.ends_with('Z'));
        assert!(lines[0].sealed_text.is_none());

        let mut tight = Session::new(Offline);
        tight.budget = Some(10);
        let e = tight.call(&req, 0).await.unwrap_err();
        assert!(matches!(e, LlmError::Budget(_)), "{e}");
    }

    #[tokio::test]
    async fn sealed_full_text_opens_only_with_the_key() {
        let dir = tmp("sealed");
        let audit = dir.join("a.jsonl");
        let key = AuditKey::from_hex(&"0f".repeat(32)).unwrap();
        let mut s = Session::new(Offline);
        s.audit = Some(audit.clone());
        s.audit_key = Some(key.clone());
        s.call(&Request::new("ask", "sys", "who is root?"), 0)
            .await
            .unwrap();
        let raw = std::fs::read_to_string(&audit).unwrap();
        assert!(!raw.contains("who is root"), "sealed, not plain");
        let (recs, _) = read_audit(&audit).unwrap();
        let sealed = recs[0].sealed_text.as_deref().unwrap();
        let plain = key.open(sealed, &recs[0].prompt_sha256).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&plain).unwrap();
        assert_eq!(
            v["request"]["messages"][0]["content"][0]["text"],
            "who is root?"
        );
        assert!(v["response"].as_str().unwrap().contains("who is root?"));
    }

    #[tokio::test]
    async fn persistent_cache_and_daily_budget_span_sessions() {
        let dir = tmp("state");
        let state = StateDir {
            path: dir.clone(),
            cache_ttl: Duration::from_secs(3600),
        };
        let req = Request::new("triage", "sys", "facts of incident 1");
        let mut first = Session::new(Offline);
        first.state = Some(state.clone());
        first.call(&req, 0).await.unwrap();
        assert_eq!(first.totals.calls, 1);

        // A new run answers the same request from disk.
        let mut second = Session::new(Offline);
        second.state = Some(state.clone());
        second.call(&req, 0).await.unwrap();
        assert_eq!((second.totals.calls, second.totals.cached), (0, 1));

        // An expired entry is not used.
        let mut third = Session::new(Offline);
        third.state = Some(StateDir {
            cache_ttl: Duration::ZERO,
            ..state.clone()
        });
        std::thread::sleep(Duration::from_millis(5));
        third.call(&req, 0).await.unwrap();
        assert_eq!(third.totals.calls, 1);

        // Charge the ledger as another process would, then a daily budget
        // below today's spend refuses the next call.
        state.charge("anthropic", "m", 5_000);
        assert!(state.spent_today() >= 5_000);
        let mut capped = Session::new(Offline);
        capped.state = Some(state.clone());
        capped.daily_budget = Some(5_000);
        let e = capped
            .call(&Request::new("triage", "sys", "another incident"), 0)
            .await
            .unwrap_err();
        assert!(
            matches!(e, LlmError::Budget(ref m) if m.contains("today")),
            "{e}"
        );
        let mut roomy = Session::new(Offline);
        roomy.state = Some(state);
        roomy.daily_budget = Some(1_000_000);
        roomy
            .call(&Request::new("triage", "sys", "another incident"), 0)
            .await
            .unwrap();
    }
}
