//! Configuration: `warden.toml`, overridden by `WARDEN_*` environment
//! variables, overridden by flags. Secrets never live here.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The file's shape. Every key is optional.
#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    #[serde(default)]
    pub rules: RulesConfig,
    #[serde(default)]
    pub detect: DetectConfig,
    #[serde(default)]
    pub triage: TriageConfig,
    /// `[[suppress]]` entries: known-benign alerts to drop, each with a reason.
    #[serde(default)]
    pub suppress: Vec<warden_detect::suppress::SuppressionConfig>,
    /// `[allow]`: known automation whose low/medium alerts are dropped.
    #[serde(default)]
    pub allow: warden_detect::suppress::AllowConfig,
    #[serde(default)]
    pub state: StateConfig,
    #[serde(default)]
    pub llm: LlmConfig,
    #[serde(default)]
    pub guard: GuardConfig,
    /// `[respond]`: notification routes and destinations.
    #[serde(default)]
    pub respond: warden_respond::RespondConfig,
    /// `[run]`: the live sources of `warden run`.
    #[serde(default)]
    pub run: RunConfig,
}

/// `[run]`: what `warden run` watches (command-line flags add to these).
///
/// ```toml
/// [run]
/// sqs = ["https://sqs.us-east-1.amazonaws.com/111122223333/warden-events"]
/// s3 = ["s3://acme-trail/AWSLogs/111122223333/CloudTrail/"]
/// interval = "60s"      # how often S3 prefixes are listed
/// ```
#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RunConfig {
    #[serde(default)]
    pub sqs: Vec<String>,
    #[serde(default)]
    pub s3: Vec<String>,
    pub interval: Option<String>,
    /// Largest log object read, bytes (default 256 MiB).
    pub max_log_bytes: Option<usize>,
    /// How late an event may arrive and still be correlated and grouped
    /// with events read before it (default "15m").
    pub lateness: Option<String>,
}

/// `[guard]`: what happens to each kind of personal data or secret on its
/// way to a model.
#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct GuardConfig {
    /// Entity type → keep, pseudonymise or block, e.g.
    /// `entities = { EMAIL = "keep", PHONE = "block" }`. Unlisted types keep
    /// their defaults (IP addresses kept, private keys blocked, the rest
    /// pseudonymised).
    #[serde(default)]
    pub entities: std::collections::BTreeMap<String, String>,
}

impl GuardConfig {
    /// The redaction policy, or an error naming the bad key or value.
    pub fn policy(&self) -> Result<warden_guard::redact::Policy, String> {
        use warden_guard::recognize::Entity;
        use warden_guard::redact::{Action, Policy};
        let mut p = Policy::default();
        for (k, v) in &self.entities {
            let e = Entity::parse(k).ok_or_else(|| {
                format!(
                    "[guard] entities: unknown entity type '{k}' (known: {})",
                    Entity::ALL.map(|e| e.as_str()).join(", ")
                )
            })?;
            let a = Action::parse(v).ok_or_else(|| {
                format!("[guard] entities.{k}: '{v}' is not an action (keep, pseudonymise, block)")
            })?;
            p.set(e, a);
        }
        Ok(p)
    }
}

/// `[llm]`: which language model writes narratives and answers.
#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct LlmConfig {
    /// offline (default), anthropic, openai (any compatible server).
    pub provider: Option<String>,
    pub model: Option<String>,
    pub base_url: Option<String>,
    /// Name of the environment variable holding the API key (the key itself
    /// never goes in this file).
    pub api_key_env: Option<String>,
    /// Per-call timeout, e.g. "60s".
    pub timeout: Option<String>,
    /// Attempts per call (throttling and server errors are retried).
    pub attempts: Option<u32>,
    /// Most tokens one run may spend.
    pub run_token_budget: Option<u64>,
    /// JSON Lines file for the invocation audit records.
    pub audit: Option<std::path::PathBuf>,
    /// Language of narratives: en, ko, ja.
    pub language: Option<String>,
    /// Bedrock: AWS region (default: from the environment or profile).
    pub region: Option<String>,
    /// Bedrock: named AWS profile (default: the standard credential chain).
    pub profile: Option<String>,
    /// Bedrock: endpoint override, e.g. a VPC interface endpoint.
    pub endpoint_url: Option<String>,
    /// Most tokens all runs may spend per UTC day (counted in `state_dir`).
    pub daily_token_budget: Option<u64>,
    /// Folder for the per-day token ledger and the response cache
    /// (default: $XDG_STATE_HOME/warden/llm or ~/.local/state/warden/llm).
    pub state_dir: Option<PathBuf>,
    /// How long a cached answer is reused, e.g. "24h"; "0s" turns the
    /// on-disk cache off.
    pub cache_ttl: Option<String>,
    /// Record the full request and answer text in the audit file, sealed
    /// with AES-256-GCM under the key in WARDEN_AUDIT_KEY (64 hex digits).
    #[serde(default)]
    pub audit_full_text: bool,
    /// Price overrides for the cost estimate, US dollars per million tokens.
    pub price_input_per_mtok: Option<f64>,
    pub price_output_per_mtok: Option<f64>,
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct StateConfig {
    /// History file for first-seen rules; without it history lasts one run.
    pub path: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RulesConfig {
    /// Extra rule folders, loaded after the bundled rules.
    #[serde(default)]
    pub dirs: Vec<PathBuf>,
    /// Load the bundled rules (default true).
    pub builtin: Option<bool>,
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct DetectConfig {
    /// Worker threads; 0 means one per core.
    pub threads: Option<usize>,
    /// Largest single record accepted, in bytes.
    pub max_record_bytes: Option<usize>,
    /// Fold identical alerts within this window, e.g. "1h"; "0" disables.
    pub dedupe: Option<String>,
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct TriageConfig {
    /// Grouping window, e.g. "2h".
    pub window: Option<String>,
    /// Exit non-zero when an incident reaches this level.
    pub fail_on: Option<String>,
}

/// Where the config came from, for `-v` output.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub config: FileConfig,
    pub path: Option<PathBuf>,
}

/// Read the config file: the explicit path if given (must exist), else
/// `./warden.toml`, else `$XDG_CONFIG_HOME/warden/warden.toml` (or
/// `~/.config/warden/warden.toml`), else defaults.
pub fn load(explicit: Option<&Path>) -> Result<Loaded, String> {
    // The whole file in one variable: how a Lambda function (or a
    // container) is configured without a file of its own.
    if explicit.is_none() {
        if let Some(text) = std::env::var("WARDEN_CONFIG_TOML")
            .ok()
            .filter(|t| !t.trim().is_empty())
        {
            let config: FileConfig = toml::from_str(&text)
                .map_err(|e| format!("WARDEN_CONFIG_TOML: {}", e.to_string().trim()))?;
            return Ok(Loaded { config, path: None });
        }
    }
    let candidates: Vec<PathBuf> = match explicit {
        Some(p) => vec![p.to_path_buf()],
        None => {
            let mut c = vec![PathBuf::from("warden.toml")];
            let base = std::env::var_os("XDG_CONFIG_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")));
            if let Some(b) = base {
                c.push(b.join("warden").join("warden.toml"));
            }
            c
        }
    };
    for p in candidates {
        match std::fs::read_to_string(&p) {
            Ok(text) => {
                let config: FileConfig = toml::from_str(&text)
                    .map_err(|e| format!("{}: {}", p.display(), e.to_string().trim()))?;
                return Ok(Loaded {
                    config,
                    path: Some(p),
                });
            }
            Err(e) if explicit.is_some() => {
                return Err(format!("{}: cannot read config: {e}", p.display()))
            }
            Err(_) => {}
        }
    }
    Ok(Loaded {
        config: FileConfig::default(),
        path: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_full_file_and_rejects_unknown_keys() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("w.toml");
        std::fs::write(
            &p,
            "[rules]\ndirs = [\"r\"]\nbuiltin = false\n[detect]\nthreads = 2\n[triage]\nwindow = \"1h\"\nfail_on = \"high\"\n",
        )
        .unwrap();
        let l = load(Some(&p)).unwrap();
        assert_eq!(l.config.detect.threads, Some(2));
        assert!(l.config.suppress.is_empty());
        assert_eq!(l.config.rules.builtin, Some(false));
        std::fs::write(&p, "[detect]\nthreds = 2\n").unwrap();
        let e = load(Some(&p)).unwrap_err();
        assert!(e.contains("threds"), "{e}");
        assert!(load(Some(&d.path().join("missing.toml"))).is_err());
    }
}
