//! `warden triage --llm`: a language model writes each incident's summary
//! and next steps. One call per incident (never per event), the most
//! severe first, within the run's token budget. The threat level, title
//! and every fact stay the engine's; the model only gets the incident's
//! facts, pseudonymised and fenced as data, and its answer must be a
//! strict JSON object or the template narrative stays.

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use warden_core::Incident;
use warden_guard::{fence, output, redact};
use warden_llm::any::{AnyProvider, ProviderSettings};
use warden_llm::bedrock::BedrockSettings;
use warden_llm::pricing::{self, Price};
use warden_llm::retry::RetryPolicy;
use warden_llm::seal::AuditKey;
use warden_llm::session::{Session, StateDir, Totals};
use warden_llm::{HttpSettings, LlmError, Provider, Request};

use crate::config::LlmConfig;
use crate::Fatal;

/// Most incidents narrated per run (the rest keep the template).
pub const MAX_INCIDENTS: usize = 25;

/// The provider settings after config and environment.
pub struct LlmSetup {
    pub provider: ProviderSettings,
    pub budget: Option<u64>,
    pub daily_budget: Option<u64>,
    pub state: Option<StateDir>,
    pub audit: Option<PathBuf>,
    pub audit_key: Option<AuditKey>,
    pub language: String,
    /// For the cost estimate; `None` when the model's price is unknown.
    pub price: Option<Price>,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn duration(field: &str, v: &str) -> Result<Duration, Fatal> {
    warden_core::time::parse_duration(v).ok_or_else(|| {
        Fatal(format!(
            "[llm] {field} '{v}' is not a duration (e.g. 60s, 24h)"
        ))
    })
}

/// Default folder for the ledger and cache.
fn default_state_dir() -> Option<PathBuf> {
    if let Some(d) = env("WARDEN_STATE_DIR") {
        return Some(PathBuf::from(d).join("llm"));
    }
    if let Some(d) = env("XDG_STATE_HOME") {
        return Some(PathBuf::from(d).join("warden/llm"));
    }
    env("HOME").map(|h| PathBuf::from(h).join(".local/state/warden/llm"))
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
        Some(t) => duration("timeout", t)?,
        None => Duration::from_secs(60),
    };
    let retry = RetryPolicy {
        attempts: cfg.attempts.unwrap_or(3).max(1),
        ..RetryPolicy::default()
    };
    let model = env("WARDEN_LLM_MODEL").or(cfg.model.clone());
    let http = |default_base: &str, default_key: &str, default_model: &str| {
        let key_env = cfg
            .api_key_env
            .clone()
            .unwrap_or_else(|| default_key.to_string());
        HttpSettings {
            base_url: env("WARDEN_LLM_BASE_URL")
                .or(cfg.base_url.clone())
                .unwrap_or_else(|| default_base.into()),
            api_key: env(&key_env),
            model: model.clone().unwrap_or_else(|| default_model.into()),
            timeout,
            retry,
        }
    };
    let settings = match provider.as_str() {
        "offline" => ProviderSettings::Offline,
        "anthropic" => ProviderSettings::Anthropic(http(
            "https://api.anthropic.com",
            "ANTHROPIC_API_KEY",
            "claude-sonnet-4-5",
        )),
        "openai" => ProviderSettings::OpenAi(http(
            "https://api.openai.com/v1",
            "OPENAI_API_KEY",
            "gpt-4o-mini",
        )),
        "bedrock" => ProviderSettings::Bedrock(BedrockSettings {
            model: model
                .clone()
                .unwrap_or_else(|| "us.anthropic.claude-3-5-haiku-20241022-v1:0".into()),
            region: env("WARDEN_LLM_REGION").or(cfg.region.clone()),
            profile: cfg.profile.clone(),
            endpoint_url: env("WARDEN_LLM_ENDPOINT_URL").or(cfg.endpoint_url.clone()),
            timeout,
            retry,
        }),
        other => {
            return Err(Fatal(format!(
                "[llm] provider '{other}' is unknown (offline, bedrock, anthropic, openai)"
            )))
        }
    };
    let (model_name, base_url) = match &settings {
        ProviderSettings::Offline => ("".to_string(), None),
        ProviderSettings::Anthropic(h) | ProviderSettings::OpenAi(h) => {
            (h.model.clone(), Some(h.base_url.clone()))
        }
        ProviderSettings::Bedrock(b) => (b.model.clone(), None),
    };
    let price = match (cfg.price_input_per_mtok, cfg.price_output_per_mtok) {
        (Some(i), Some(o)) => Some(Price {
            input_per_mtok: i,
            output_per_mtok: o,
        }),
        (None, None) => pricing::list_price(&provider, &model_name, base_url.as_deref()),
        _ => {
            return Err(Fatal(
                "[llm] set both price_input_per_mtok and price_output_per_mtok, or neither".into(),
            ))
        }
    };
    let cache_ttl = match &cfg.cache_ttl {
        Some(t) => duration("cache_ttl", t)?,
        None => Duration::from_secs(24 * 3600),
    };
    let state_path = cfg.state_dir.clone().or_else(default_state_dir);
    let state = state_path.map(|path| StateDir { path, cache_ttl });
    if cfg.daily_token_budget.is_some() && state.is_none() {
        return Err(Fatal(
            "[llm] daily_token_budget needs a state_dir to count in (set [llm] state_dir or HOME)"
                .into(),
        ));
    }
    let audit_key = if cfg.audit_full_text {
        if cfg.audit.is_none() {
            return Err(Fatal(
                "[llm] audit_full_text needs an audit file: set [llm] audit".into(),
            ));
        }
        Some(
            AuditKey::from_env()
                .map_err(|e| Fatal(format!("[llm] audit_full_text: {e}")))?
                .ok_or_else(|| {
                    Fatal(format!(
                        "[llm] audit_full_text is on but {} is not set; set it to 64 hex digits (openssl rand -hex 32), or turn audit_full_text off",
                        warden_llm::seal::KEY_ENV
                    ))
                })?,
        )
    } else {
        None
    };
    Ok(LlmSetup {
        provider: settings,
        budget: cfg.run_token_budget,
        daily_budget: cfg.daily_token_budget,
        state,
        audit: cfg.audit.clone(),
        audit_key,
        language,
        price,
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
    /// Estimated US dollars for this run's tokens, when the price is known.
    pub estimated_cost_usd: Option<f64>,
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
    policy: &redact::Policy,
    quiet: bool,
) -> NarrateReport {
    let mut report = NarrateReport::default();
    for inc in incidents.iter_mut().take(MAX_INCIDENTS) {
        let boundary = fence::boundary();
        let system = system_prompt(language, &boundary);
        let mut pseudo = redact::Pseudonymiser::new();
        let user = match pseudo.redact(&facts(inc, &boundary), policy) {
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
        let canonical = serde_json::to_string(&req)
            .unwrap_or_default()
            .replace(&boundary, "BOUNDARY");
        let outcome: Result<Narrative, String> = match session
            .call_keyed(&req, pseudo.replaced, Some(&canonical))
            .await
        {
            Err(LlmError::Budget(m)) => {
                if !quiet {
                    eprintln!("warden: {m}; the remaining incidents keep their template narrative");
                }
                report.fell_back += 1;
                break;
            }
            // Wrong settings or credentials fail every call the same way:
            // say it once and keep the templates.
            Err(
                e @ (LlmError::Config(_)
                | LlmError::Client {
                    status: 401 | 403, ..
                }),
            ) => {
                if !quiet {
                    eprintln!("warden: {e}; no incident is narrated by the model in this run");
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
    // Everything not narrated (errors, budget, beyond MAX_INCIDENTS) kept its template.
    report.fell_back = incidents.len() - report.narrated;
    report.totals = session.totals;
    report
}

/// A session on the configured provider with the configured budgets,
/// cache and audit.
pub fn session(s: &LlmSetup, rt: &tokio::runtime::Runtime) -> Result<Session<AnyProvider>, Fatal> {
    let provider = rt
        .block_on(AnyProvider::connect(s.provider.clone()))
        .map_err(|e| Fatal(format!("cannot set up the language model: {e}")))?;
    Ok(session_on(s, provider))
}

/// A session on a connected provider with the configured budgets, cache
/// and audit.
pub fn session_on(s: &LlmSetup, provider: AnyProvider) -> Session<AnyProvider> {
    let mut session = Session::new(provider);
    session.budget = s.budget;
    session.daily_budget = s.daily_budget;
    session.state = s.state.clone();
    session.audit = s.audit.clone();
    session.audit_key = s.audit_key.clone();
    session
}

/// Narrate `incidents` (most severe first) with the configured model.
pub fn narrate(
    cfg: &LlmConfig,
    policy: &redact::Policy,
    incidents: &mut [Incident],
    quiet: bool,
) -> Result<NarrateReport, Fatal> {
    let s = setup(cfg)?;
    if matches!(s.provider, ProviderSettings::Offline) {
        if !quiet {
            eprintln!("warden: --llm with the offline analyst (no [llm] provider configured): narratives stay the templates");
        }
        return Ok(NarrateReport::default());
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Fatal(format!("cannot start the async runtime: {e}")))?;
    let mut session = session(&s, &rt)?;
    let mut report = rt.block_on(narrate_all(
        &mut session,
        incidents,
        &s.language,
        policy,
        quiet,
    ));
    report.estimated_cost_usd = s.price.map(|p| pricing::cost(report.totals.usage(), p));
    Ok(report)
}
