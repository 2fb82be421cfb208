//! warden-respond: incidents to people and systems by threat level.
//!
//! Each route sends incidents of some levels to named destinations —
//! Slack (incoming webhook or `chat.postMessage`, with the incident
//! buttons), Amazon SNS, a generic webhook signed with HMAC-SHA256, a file
//! or stdout. Per destination: the same incident at the same level is sent
//! once per dedupe window, and at most `rate_per_minute` messages go out.
//! Sends that fail are retried with exponential backoff and full jitter
//! (3 attempts, 1 s, ×2 by default, as the reference workflow had);
//! anything not delivered — failed for good, out of attempts, or over the
//! rate limit — is appended to the dead-letter file with the reason.
//! Nothing is dropped silently.

pub mod config;
pub mod deliver;
pub mod images;
pub mod message;
pub mod quarantine;
pub mod s3;
pub mod slack;

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use warden_core::{Incident, ThreatLevel};
use warden_llm::retry::RetryPolicy;

pub use config::RespondConfig;
use deliver::{Clients, Target};
pub use message::{Notification, Pending};

/// Remembers what was sent beyond one process (the store, in warden), so
/// a restarted daemon or a re-read log file does not page twice.
pub trait Memory: Send + Sync {
    /// `true` when nothing went out under `key` within `window`; records
    /// this send.
    fn first_time(&self, key: &str, window: Duration) -> bool;
}

struct Destination {
    name: String,
    target: Target,
    per_minute: f64,
    bucket: Mutex<(f64, Instant)>,
    dedupe: Duration,
    seen: Mutex<HashMap<(String, ThreatLevel), Instant>>,
}

struct Route {
    min: ThreatLevel,
    max: Option<ThreatLevel>,
    to: Vec<usize>,
}

/// What happened to one run's notifications.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Report {
    pub sent: usize,
    /// Not sent again: the same incident and level went out recently.
    pub deduped: usize,
    /// Written to the dead-letter file instead.
    pub dead_lettered: usize,
    /// One line per message not delivered.
    pub failures: Vec<String>,
}

pub struct Responder {
    routes: Vec<Route>,
    dests: Vec<Destination>,
    retry: RetryPolicy,
    dead_letter: PathBuf,
    base_url: Option<String>,
    clients: Arc<Clients>,
    memory: Option<Arc<dyn Memory>>,
}

fn duration(field: &str, v: &str) -> Result<Duration, String> {
    warden_core::time::parse_duration(v)
        .ok_or_else(|| format!("[respond] {field} '{v}' is not a duration (e.g. 1s, 30m, 1h)"))
}

impl Responder {
    /// Check the configuration and read the secrets it names from the
    /// environment; every error names the destination and the field.
    pub fn new(cfg: &RespondConfig) -> Result<Responder, String> {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let mut dests = Vec::new();
        let mut index = HashMap::new();
        for (name, d) in &cfg.destinations {
            let need = |v: &Option<String>, field: &str| {
                v.clone().ok_or_else(|| {
                    format!(
                        "[respond.destinations.{name}] kind '{}' needs '{field}'",
                        d.kind
                    )
                })
            };
            let url = || -> Result<String, String> {
                match (&d.url, &d.url_env) {
                    (_, Some(var)) => env(var).ok_or_else(|| {
                        format!("[respond.destinations.{name}] url_env: the environment variable {var} is not set")
                    }),
                    (Some(u), None) => Ok(u.clone()),
                    (None, None) => Err(format!(
                        "[respond.destinations.{name}] needs 'url' or 'url_env'"
                    )),
                }
            };
            let target = match d.kind.as_str() {
                "slack_webhook" => Target::SlackWebhook { url: url()? },
                "slack_chat" => Target::SlackChat {
                    channel: need(&d.channel, "channel")?,
                    token: env("SLACK_BOT_TOKEN").ok_or_else(|| {
                        format!("[respond.destinations.{name}] slack_chat needs SLACK_BOT_TOKEN in the environment")
                    })?,
                    api_base: env("WARDEN_SLACK_API_URL")
                        .unwrap_or_else(|| "https://slack.com/api".into()),
                },
                "sns" => Target::Sns {
                    topic_arn: need(&d.topic_arn, "topic_arn")?,
                },
                "webhook" => Target::Webhook {
                    url: url()?,
                    secret: match &d.secret_env {
                        Some(var) => Some(
                            env(var)
                                .ok_or_else(|| {
                                    format!("[respond.destinations.{name}] secret_env: the environment variable {var} is not set")
                                })?
                                .into_bytes(),
                        ),
                        None => None,
                    },
                },
                "file" => Target::File {
                    path: d.path.clone().ok_or_else(|| {
                        format!("[respond.destinations.{name}] kind 'file' needs 'path'")
                    })?,
                },
                "stdout" => Target::Stdout,
                other => {
                    return Err(format!(
                        "[respond.destinations.{name}] kind '{other}' is not one of slack_webhook, slack_chat, sns, webhook, file, stdout"
                    ))
                }
            };
            if let Target::Webhook { url, .. } | Target::SlackWebhook { url } = &target {
                if !url.starts_with("https://")
                    && !url.starts_with("http://127.0.0.1")
                    && !url.starts_with("http://localhost")
                {
                    return Err(format!(
                        "[respond.destinations.{name}] the address must be https:// (plain http only to localhost)"
                    ));
                }
            }
            let per_minute = d.rate_per_minute.unwrap_or(60).max(1) as f64;
            index.insert(name.clone(), dests.len());
            dests.push(Destination {
                name: name.clone(),
                target,
                per_minute,
                bucket: Mutex::new((per_minute, Instant::now())),
                dedupe: duration("dedupe", d.dedupe.as_deref().unwrap_or("1h"))?,
                seen: Mutex::new(HashMap::new()),
            });
        }
        let mut routes = Vec::new();
        for (k, r) in cfg.route.iter().enumerate() {
            let level = |v: &str| {
                config::parse_level(v).ok_or_else(|| {
                    format!("[[respond.route]] #{}: level '{v}' is not one of low, medium, high, critical", k + 1)
                })
            };
            let to = r
                .to
                .iter()
                .map(|n| {
                    index.get(n).copied().ok_or_else(|| {
                        format!("[[respond.route]] #{}: no destination named '{n}' in [respond.destinations]", k + 1)
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            routes.push(Route {
                min: level(&r.min_level)?,
                max: r.max_level.as_deref().map(level).transpose()?,
                to,
            });
        }
        let mut retry = RetryPolicy::default();
        if let Some(a) = cfg.attempts {
            retry.attempts = a.clamp(1, 20);
        }
        if let Some(d) = &cfg.base_delay {
            retry.base_delay = duration("base_delay", d)?;
        }
        if let Some(b) = cfg.backoff {
            if !(1.0..=10.0).contains(&b) {
                return Err(format!("[respond] backoff {b} must be between 1 and 10"));
            }
            retry.factor = b;
        }
        retry.max_delay = Duration::from_secs(60);
        Ok(Responder {
            routes,
            dests,
            retry,
            dead_letter: cfg
                .dead_letter
                .clone()
                .unwrap_or_else(|| PathBuf::from("warden-dead-letter.jsonl")),
            base_url: cfg.base_url.clone(),
            clients: Arc::new(Clients {
                http: reqwest::Client::builder()
                    .timeout(Duration::from_secs(10))
                    .build()
                    .map_err(|e| e.to_string())?,
                sns: tokio::sync::OnceCell::new(),
                write_lock: Mutex::new(()),
            }),
            memory: None,
        })
    }

    /// Keep dedupe state in `m` instead of this process's memory.
    pub fn remember_in(mut self, m: Arc<dyn Memory>) -> Responder {
        self.memory = Some(m);
        self
    }

    /// The notification for an incident, with this setup's links.
    pub fn message(&self, i: &Incident) -> Notification {
        Notification::from_incident(i, self.base_url.as_deref())
    }

    /// No routes: nothing would be sent.
    pub fn is_empty(&self) -> bool {
        self.routes.is_empty()
    }

    pub fn dead_letter_path(&self) -> &std::path::Path {
        &self.dead_letter
    }

    /// The destinations an incident of `level` goes to.
    fn destinations(&self, level: ThreatLevel) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for r in &self.routes {
            if level >= r.min && r.max.is_none_or(|m| level <= m) {
                for &d in &r.to {
                    if !out.contains(&d) {
                        out.push(d);
                    }
                }
            }
        }
        out
    }

    /// Send every incident to its destinations (all at once), and report.
    pub async fn notify(&self, incidents: &[Incident]) -> Report {
        let items = incidents
            .iter()
            .map(|i| (i.threat_level, self.message(i)))
            .collect();
        self.send(items).await
    }

    /// Send prepared notifications (e.g. with approval buttons attached)
    /// by their levels, and report.
    pub async fn send(&self, items: Vec<(ThreatLevel, Notification)>) -> Report {
        let mut jobs = Vec::new();
        let mut report = Report::default();
        for (level, n) in items {
            for d in self.destinations(level) {
                let dest = &self.dests[d];
                if !self.first_time(dest, &n.incident_id, level) {
                    report.deduped += 1;
                    continue;
                }
                if !self.take(dest) {
                    let why = format!("rate limit of {} a minute reached", dest.per_minute);
                    self.dead(dest, &n, &why, 0);
                    report.dead_lettered += 1;
                    report
                        .failures
                        .push(format!("{} → {}: {why}", n.incident_id, dest.name));
                    continue;
                }
                jobs.push(self.deliver(dest, n.clone()));
            }
        }
        for r in futures_util::future::join_all(jobs).await {
            match r {
                Ok(()) => report.sent += 1,
                Err(line) => {
                    report.dead_lettered += 1;
                    report.failures.push(line);
                }
            }
        }
        report
    }

    fn first_time(&self, d: &Destination, id: &str, level: ThreatLevel) -> bool {
        if d.dedupe.is_zero() {
            return true;
        }
        if let Some(m) = &self.memory {
            return m.first_time(&format!("{}|{id}|{level}", d.name), d.dedupe);
        }
        let mut seen = d.seen.lock().unwrap_or_else(|p| p.into_inner());
        let key = (id.to_string(), level);
        match seen.get(&key) {
            Some(at) if at.elapsed() < d.dedupe => false,
            _ => {
                seen.insert(key, Instant::now());
                true
            }
        }
    }

    fn take(&self, d: &Destination) -> bool {
        let mut b = d.bucket.lock().unwrap_or_else(|p| p.into_inner());
        let (tokens, at) = *b;
        let now = Instant::now();
        let tokens = (tokens + at.elapsed().as_secs_f64() * d.per_minute / 60.0).min(d.per_minute);
        if tokens >= 1.0 {
            *b = (tokens - 1.0, now);
            true
        } else {
            *b = (tokens, now);
            false
        }
    }

    async fn deliver(&self, d: &Destination, n: Notification) -> Result<(), String> {
        let mut seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|t| t.as_nanos() as u64)
            .unwrap_or(7)
            | 1;
        let mut attempt = 0;
        loop {
            match deliver::send(&self.clients, &d.target, &n).await {
                Ok(()) => {
                    tracing::info!(incident = %n.incident_id, destination = %d.name, "notification sent");
                    return Ok(());
                }
                Err(e) if e.retryable && attempt + 1 < self.retry.attempts => {
                    let wait = self.retry.delay(attempt, &mut seed);
                    tracing::warn!(destination = %d.name, attempt = attempt + 1, wait_ms = wait.as_millis() as u64, error = %e.message, "notification failed; retrying");
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                Err(e) => {
                    self.dead(d, &n, &e.message, attempt + 1);
                    return Err(format!("{} → {}: {}", n.incident_id, d.name, e.message));
                }
            }
        }
    }

    /// Keep an undelivered message with the reason; if even that fails,
    /// print it, so it is never lost silently.
    fn dead(&self, d: &Destination, n: &Notification, why: &str, attempts: u32) {
        let rec = json!({
            "time": warden_core::Timestamp(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|t| t.as_millis() as i64)
                    .unwrap_or(0)
            ).to_rfc3339(),
            "destination": d.name, "error": why, "attempts": attempts, "notification": n.json(),
        });
        // Also in the log (in Lambda, CloudWatch keeps it beyond /tmp).
        tracing::warn!(record = %rec, "notification not delivered; kept as a dead letter");
        let _g = self
            .clients
            .write_lock
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let written = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.dead_letter)
            .and_then(|mut f| writeln!(f, "{rec}"));
        if let Err(e) = written {
            eprintln!(
                "warden: cannot write the dead-letter file {} ({e}); the undelivered message follows:\n{rec}",
                self.dead_letter.display()
            );
        }
    }
}
