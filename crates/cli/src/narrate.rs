//! `warden triage --llm`: a language model writes each incident's summary
//! and next steps. One call per incident (never per event), the most
//! severe first, within the run's token budget. The threat level, title
//! and every fact stay the engine's; the model only gets the incident's
//! facts, pseudonymised and fenced as data, and its answer must be a
//! strict JSON object or the template narrative stays.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use warden_core::Incident;
use warden_guard::{fence, output, redact};
use warden_llm::anthropic::Anthropic;
use warden_llm::openai::OpenAi;
use warden_llm::retry::RetryPolicy;
use warden_llm::session::{Session, Totals};
use warden_llm::{HttpSettings, LlmError, Provider, Request};

use crate::config::LlmConfig;
use crate::Fatal;

/// Most incidents narrated per run (the rest keep the template).
pub const MAX_INCIDENTS: usize = 25;

/// The provider settings after config and environment.
pub struct LlmSetup {
    pub provider: String,
    pub http: Option<HttpSettings>,
    pub budget: Option<u64>,
    pub audit: Option<std::path::PathBuf>,
    pub language: String,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

pub fn setup(cfg: &LlmConfig) -> Result<LlmSetup, Fatal> {
    let provider = env("WARDEN_LLM_PROVIDER")
        .or(cfg.provider.clone())
        .unwrap_or_else(|| "offline".into())
        .to_ascii_lowercase();
    let language = env("WARDEN_LLM_LANGUAGE")
        .or(cfg.language.clone())
        .unwrap_or_else(|| "en".into());
    if !matches!(language.as_str(), "en" | "ko" | "ja") {
        return Err(Fatal(format!(
            "[llm] language '{language}' is not supported (en, ko, ja)"
        )));
    }
    let timeout = match &cfg.timeout {
        Some(t) => Duration::from_millis(
            warden_core::time::parse_duration_ms(t)
                .ok_or_else(|| Fatal(format!("[llm] timeout '{t}' is not a duration (e.g. 60s)")))?
                as u64,
        ),
        None => Duration::from_secs(60),
    };
    let (default_base, default_key, default_model) = match provider.as_str() {
        "offline" => ("", "", ""),
        "anthropic" => ("https://api.anthropic.com", "ANTHROPIC_API_KEY", "claude-sonnet-4-5"),
        "openai" => ("https://api.openai.com/v1", "OPENAI_API_KEY", "gpt-4o-mini"),
        "bedrock" => {
            return Err(Fatal(
                "[llm] provider 'bedrock' is not available in this build yet; use anthropic, openai (any compatible server) or offline".into(),
            ))
        }
        other => return Err(Fatal(format!("[llm] provider '{other}' is unknown (offline, anthropic, openai)"))),
    };
    let http = (provider != "offline").then(|| {
        let key_env = cfg
            .api_key_env
            .clone()
            .unwrap_or_else(|| default_key.to_string());
        HttpSettings {
            base_url: env("WARDEN_LLM_BASE_URL")
                .or(cfg.base_url.clone())
                .unwrap_or_else(|| default_base.into()),
            api_key: env(&key_env),
            model: env("WARDEN_LLM_MODEL")
                .or(cfg.model.clone())
                .unwrap_or_else(|| default_model.into()),
            timeout,
            retry: RetryPolicy {
                attempts: cfg.attempts.unwrap_or(3).max(1),
                ..RetryPolicy::default()
            },
        }
    });
    Ok(LlmSetup {
        provider,
        http,
        budget: cfg.run_token_budget,
        audit: cfg.audit.clone(),
        language,
    })
}

/// What the model must return.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Narrative {
    summary: String,
    next_steps: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct NarrateReport {
    pub narrated: usize,
    pub fell_back: usize,
    pub totals: Totals,
}

fn system_prompt(language: &str, boundary: &str) -> String {
    let lang = match language {
        "ko" => "Korean",
        "ja" => "Japanese",
        _ => "English",
    };
    format!(
        "You are warden's security analyst. You explain one security incident to an on-call engineer. \
The threat level and facts were computed by warden's rule engine: do not change or question them, do not invent facts, \
and refer to values exactly as given (placeholders such as <EMAIL_1> included). \
Answer in {lang} with only a JSON object: {{\"summary\": \"three to five sentences: what happened, who, from where, why it matters\", \
\"next_steps\": [\"two to five concrete actions, most urgent first\"]}}.\n{}",
        fence::system_rules(boundary)
    )
}

fn facts(i: &Incident, boundary: &str) -> String {
    let mut lines = vec![
        format!("incident: {}", i.id),
        format!(
            "threat level: {} ({})",
            i.threat_level.as_str(),
            i.threat_reason
        ),
        format!(
            "window: {} to {}",
            i.first_seen.map(|t| t.to_string()).unwrap_or_default(),
            i.last_seen.map(|t| t.to_string()).unwrap_or_default()
        ),
        format!(
            "alerts: {}; techniques: {}; tactics: {}",
            i.alert_count,
            i.techniques.join(", "),
            i.tactics.join(", ")
        ),
    ];
    // Everything below came from logs: fenced as data.
    lines.push(fence::fence("title", &i.title, boundary));
    lines.push(fence::fence(
        "principal",
        i.principal.as_deref().unwrap_or("-"),
        boundary,
    ));
    lines.push(fence::fence(
        "account",
        i.account.as_deref().unwrap_or("-"),
        boundary,
    ));
    lines.push(fence::fence(
        "source_ips",
        &i.source_ips.join(", "),
        boundary,
    ));
    lines.push(fence::fence(
        "event_names",
        &i.event_names.join(", "),
        boundary,
    ));
    lines.push(fence::fence("rules", &i.rules.join("; "), boundary));
    lines.push(fence::fence("template_summary", &i.summary, boundary));
    lines.join("\n")
}

async fn narrate_all<P: Provider>(
    session: &mut Session<P>,
    incidents: &mut [Incident],
    language: &str,
    quiet: bool,
) -> NarrateReport {
    let mut report = NarrateReport::default();
    let policy = redact::Policy::default();
    for inc in incidents.iter_mut().take(MAX_INCIDENTS) {
        let boundary = fence::boundary();
        let system = system_prompt(language, &boundary);
        let mut pseudo = redact::Pseudonymiser::new();
        let user = match pseudo.redact(&facts(inc, &boundary), &policy) {
            Ok(u) => u,
            Err(e) => {
                if !quiet {
                    eprintln!("warden: {}: not sent to the model: {e}", inc.id);
                }
                report.fell_back += 1;
                continue;
            }
        };
        let mut req = Request::new("triage", system.clone(), user);
        req.max_tokens = 700;
        let outcome: Result<Narrative, String> = match session.call(&req, pseudo.replaced).await {
            Err(LlmError::Budget(m)) => {
                if !quiet {
                    eprintln!("warden: {m}; the remaining incidents keep their template narrative");
                }
                report.fell_back += 1;
                break;
            }
            Err(e) => Err(e.to_string()),
            Ok(r) => {
                let text = r.text();
                if output::leaks_prompt(&text, &system, 12) {
                    Err("the answer repeats the system prompt".into())
                } else {
                    warden_llm::structured::parse::<Narrative>(&text)
                        .map_err(|e| format!("the answer is not the required JSON ({e})"))
                }
            }
        };
        match outcome {
            Ok(n) if !n.summary.trim().is_empty() && output::language(&n.summary) == language => {
                inc.summary = pseudo.restore(n.summary.trim());
                inc.reference.summarize = inc.summary.clone();
                inc.recommended_actions = n
                    .next_steps
                    .iter()
                    .map(|s| pseudo.restore(s.trim()))
                    .filter(|s| !s.is_empty())
                    .collect();
                inc.narrative_source =
                    format!("{}/{}", session.provider.name(), session.provider.model());
                report.narrated += 1;
            }
            Ok(_) => {
                if !quiet {
                    eprintln!("warden: {}: the model answered in the wrong language or with an empty summary; keeping the template", inc.id);
                }
                report.fell_back += 1;
            }
            Err(why) => {
                if !quiet {
                    eprintln!("warden: {}: {why}; keeping the template", inc.id);
                }
                report.fell_back += 1;
            }
        }
    }
    report.totals = session.totals;
    report
}

/// Narrate `incidents` (most severe first) with the configured model.
pub fn narrate(
    cfg: &LlmConfig,
    incidents: &mut [Incident],
    quiet: bool,
) -> Result<NarrateReport, Fatal> {
    let s = setup(cfg)?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Fatal(format!("cannot start the async runtime: {e}")))?;
    let report = match (s.provider.as_str(), s.http) {
        ("offline", _) | (_, None) => {
            if !quiet {
                eprintln!("warden: --llm with the offline analyst (no [llm] provider configured): narratives stay the templates");
            }
            NarrateReport::default()
        }
        ("anthropic", Some(h)) => {
            let mut session = Session::new(Anthropic::new(h));
            session.budget = s.budget;
            session.audit = s.audit.clone();
            rt.block_on(narrate_all(&mut session, incidents, &s.language, quiet))
        }
        (_, Some(h)) => {
            let mut session = Session::new(OpenAi::new(h));
            session.budget = s.budget;
            session.audit = s.audit.clone();
            rt.block_on(narrate_all(&mut session, incidents, &s.language, quiet))
        }
    };
    Ok(report)
}
