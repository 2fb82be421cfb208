//! The work behind `warden run` and the Lambda function: one piece of work
//! (a log object, events carried in a message, an uploaded image) goes
//! through the same detection, triage, store and notifications as files
//! do, plus the image guard for uploads. Approved remediations are carried
//! out here too.

use std::io::Read;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use warden_core::Incident;
use warden_detect::Engine;
use warden_live::{ObjectRef, Work};
use warden_respond::images::{self, Checked, ImageGuard, Plan, Upload};
use warden_respond::quarantine::{self, Ledger, Remediation};
use warden_respond::s3::S3Url;
use warden_respond::{Pending, Responder};
use warden_store::Store;

use crate::Fatal;

/// Counts for the run summary and the benchmark.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Stats {
    pub objects: u64,
    pub messages: u64,
    pub events: u64,
    /// Events new to the store, and those it had already (a re-read object).
    pub events_added: u64,
    pub events_already_stored: u64,
    pub alerts: u64,
    /// Incidents started, and those that grew with later objects or
    /// messages (stored again under their id).
    pub incidents: u64,
    pub incidents_updated: u64,
    pub images_checked: u64,
    pub images_with_pii: u64,
    /// Uploads that can never be checked (damaged, encrypted, too large).
    pub images_unreadable: u64,
    pub remediated: u64,
    pub awaiting_approval: u64,
    pub notifications: u64,
    pub failures: u64,
    /// Time spent in the work itself (fetching, detection, store, image
    /// guard, notifications), not waiting on the queue; milliseconds.
    pub work_ms: u64,
}

pub struct Processor {
    engine: Engine,
    store: Arc<Mutex<Store>>,
    responder: Option<Responder>,
    guard: Option<ImageGuard>,
    pub s3: aws_sdk_s3::Client,
    /// Correlation matches and open incidents carried from one object or
    /// message to the next, so an attack spread over many log files (or
    /// one EventBridge event per message) is still one story.
    live: Mutex<LiveState>,
    max_log_bytes: usize,
    pub stats: Mutex<Stats>,
    /// The configured vision model for second opinions (`[respond.images]
    /// vision = true`), with the usual budgets, cache and audit.
    vision: Option<tokio::sync::Mutex<warden_llm::session::Session<warden_llm::any::AnyProvider>>>,
}

struct LiveState {
    correlation: warden_detect::correlate::StreamingCorrelation,
    triage: warden_triage::LiveTriage,
    history: warden_detect::history::History,
    lateness_ms: i64,
}

/// How late an event may arrive (after later ones were read) and still be
/// correlated and grouped with them: CloudTrail delivers within minutes.
pub const DEFAULT_LATENESS: &str = "15m";

/// The store as the audit ledger for S3 actions.
struct StoreLedger<'a>(&'a Mutex<Store>);

impl Ledger for StoreLedger<'_> {
    fn audit(&self, actor: &str, action: &str, target: &str, detail: &str) -> Result<(), String> {
        tracing::info!(actor, action, target, detail, "audit");
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .audit(actor, action, target, detail)
            .map_err(|e| format!("cannot write the audit record, so nothing was done: {e}"))
    }
}

/// Notification dedupe kept in the store.
struct StoreMemory(Arc<Mutex<Store>>);

impl warden_respond::Memory for StoreMemory {
    fn first_time(&self, key: &str, window: Duration) -> bool {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .first_notification(key, window.as_millis() as i64)
            .unwrap_or(true)
    }
}

fn is_missing(e: &str) -> bool {
    e.contains("NoSuchKey") || e.contains("NotFound") || e.contains("404")
}

impl Processor {
    pub async fn new(
        engine: Engine,
        store_dir: &std::path::Path,
        cfg: &crate::config::FileConfig,
        images_on: bool,
    ) -> Result<Processor, Fatal> {
        let store = Arc::new(Mutex::new(crate::store_cmd::open(store_dir)?));
        let responder = Responder::new(&cfg.respond).map_err(Fatal)?;
        // The notification memory shares the store (never locked across
        // a send).
        let responder = if responder.is_empty() {
            None
        } else {
            Some(responder.remember_in(Arc::new(StoreMemory(store.clone()))))
        };
        let guard = if images_on && cfg.respond.images.enabled != Some(false) {
            Some(ImageGuard::new(&cfg.respond.images).map_err(Fatal)?)
        } else {
            None
        };
        let vision = match &guard {
            Some(g) if g.vision => Some(tokio::sync::Mutex::new(vision_session(cfg).await?)),
            _ => None,
        };
        let mut topts = warden_triage::TriageOptions::default();
        if let Some(w) = &cfg.triage.window {
            topts.window_ms = warden_core::time::parse_duration_ms(w)
                .ok_or_else(|| Fatal(format!("[triage] window '{w}' is not a duration")))?;
        }
        let lateness = cfg.run.lateness.as_deref().unwrap_or(DEFAULT_LATENESS);
        let lateness_ms = warden_core::time::parse_duration(lateness)
            .map(|d| d.as_millis() as i64)
            .ok_or_else(|| {
                Fatal(format!(
                    "[run] lateness '{lateness}' is not a duration; write e.g. \"15m\" or \"0\""
                ))
            })?;
        Ok(Processor {
            engine,
            store,
            responder,
            guard,
            s3: warden_respond::s3::client().await,
            live: Mutex::new(LiveState {
                correlation: Default::default(),
                triage: warden_triage::LiveTriage::new(topts, lateness_ms),
                history: Default::default(),
                lateness_ms,
            }),
            max_log_bytes: cfg.run.max_log_bytes.unwrap_or(256 << 20).max(1024),
            stats: Mutex::new(Stats::default()),
            vision,
        })
    }

    fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn count(&self, f: impl FnOnce(&mut Stats)) {
        f(&mut self.stats.lock().unwrap_or_else(|p| p.into_inner()));
    }

    /// Carry out one piece of work. `Ok(Some(why))`: not ours, left
    /// alone (neither an image nor a log file by its name). `Err` leaves it
    /// to be retried — unless the error is permanent.
    pub async fn work(&self, w: &Work) -> Result<Option<String>, WorkError> {
        let t = std::time::Instant::now();
        let r = self.work_inner(w).await;
        self.count(|s| s.work_ms += t.elapsed().as_millis() as u64);
        r
    }

    async fn work_inner(&self, w: &Work) -> Result<Option<String>, WorkError> {
        match w {
            Work::Object(o)
                if images::looks_like_image(&o.key, None)
                    || (self.guard.as_ref().is_some_and(|g| g.documents)
                        && warden_imagescan::document_name(&o.key)) =>
            {
                let u = Upload {
                    bucket: o.bucket.clone(),
                    key: o.key.clone(),
                    version: o.version.clone(),
                    content_type: None,
                    event_name: o.event.clone(),
                    actor: None,
                    account: None,
                    source_ip: None,
                    event_id: None,
                    time: None,
                };
                self.image(u).await.map(|_| None).map_err(WorkError::retry)
            }
            Work::Object(o) => match not_a_log(&o.key) {
                Some(why) => {
                    tracing::info!(bucket = %o.bucket, key = %o.key, why, "left alone");
                    Ok(Some(why.to_string()))
                }
                None => self.log_object(o).await.map(|_| None),
            },
            Work::Events(bytes) => self.logs("eventbridge", bytes).await.map(|_| None),
        }
    }

    async fn log_object(&self, o: &ObjectRef) -> Result<(), WorkError> {
        let url = S3Url {
            bucket: o.bucket.clone(),
            key: o.key.clone(),
        };
        let f = warden_respond::s3::fetch_version(&self.s3, &url, None, self.max_log_bytes)
            .await
            .map_err(|e| {
                if e.contains("the limit is") {
                    WorkError::permanent(format!("{e}; raise [run] max_log_bytes to read it"))
                } else {
                    WorkError::retry(e)
                }
            })?;
        self.count(|s| s.objects += 1);
        self.logs(&format!("s3://{}/{}", o.bucket, o.key), &f.bytes)
            .await
    }

    /// Log bytes (gzip or not): detection, the store, triage,
    /// notifications, then the image uploads they record.
    pub async fn logs(&self, name: &str, raw: &[u8]) -> Result<(), WorkError> {
        let mut bytes = Vec::new();
        let plain: &[u8] = if raw.starts_with(&[0x1f, 0x8b]) {
            // The limit holds for the expanded size too (gzip bombs).
            flate2::read::MultiGzDecoder::new(raw)
                .take(self.max_log_bytes as u64 + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| WorkError::permanent(format!("{name}: not valid gzip: {e}")))?;
            if bytes.len() > self.max_log_bytes {
                return Err(WorkError::permanent(format!(
                    "{name}: expands to more than {} bytes ([run] max_log_bytes); not read",
                    self.max_log_bytes
                )));
            }
            &bytes
        } else {
            raw
        };
        let (tx, rx) = crossbeam_channel::unbounded();
        let (mut alerts, matches, stats, errors) = {
            let mut reader: &[u8] = plain;
            crate::pipeline::read_matches(&self.engine, name, &mut reader, Some(&tx))
        };
        drop(tx);
        for e in &errors {
            tracing::debug!(source = name, error = %e, "input error");
        }
        if stats.events == 0 && stats.errors > 0 {
            return Err(WorkError::permanent(
                errors
                    .first()
                    .cloned()
                    .unwrap_or_else(|| format!("{name}: no event could be read")),
            ));
        }
        let batches: Vec<_> = rx.into_iter().collect();
        let (new_alerts, incidents) = {
            let mut live = self.live.lock().unwrap_or_else(|p| p.into_inner());
            let LiveState {
                correlation,
                triage,
                history,
                lateness_ms,
            } = &mut *live;
            let late_before = correlation.late();
            alerts.extend(
                self.engine
                    .advance(correlation, matches, history, *lateness_ms),
            );
            let late = correlation.late() - late_before;
            if late > 0 {
                tracing::warn!(
                    source = name,
                    late,
                    "events arrived later than [run] lateness allows: correlated only with the events of their own file or message (raise lateness for a backfill; see docs/run.md)"
                );
            }
            (alerts.len(), triage.add(alerts))
        };
        let (incidents, new): (Vec<Incident>, Vec<bool>) = incidents.into_iter().unzip();
        let started = new.iter().filter(|n| **n).count();
        let stored = {
            let mut store = self.store();
            store
                .add_batches(&batches)
                .map_err(|e| format!("{name}: storing events: {e}"))
                .and_then(|added| {
                    crate::store_cmd::store_incidents(&mut store, &incidents)
                        .map(|_| added)
                        .map_err(|e| e.0)
                })
        };
        let added = match stored {
            Ok(added) => added,
            Err(e) => {
                // The carried state already counts these alerts: have the
                // incidents given out again when the work is retried.
                let mut live = self.live.lock().unwrap_or_else(|p| p.into_inner());
                live.triage.unsaved(incidents.iter().zip(new));
                return Err(WorkError::retry(e));
            }
        };
        self.count(|s| {
            s.events += stats.events;
            s.events_added += added.events_added;
            s.events_already_stored += added.events_already_stored;
            s.alerts += new_alerts as u64;
            s.incidents += started as u64;
            s.incidents_updated += (incidents.len() - started) as u64;
        });
        self.notify(&incidents, None).await;
        if let Some(g) = &self.guard {
            for u in images::uploads_in_log(plain) {
                if g.watches(&u) {
                    self.image(u).await.map_err(WorkError::retry)?;
                }
            }
        }
        Ok(())
    }

    async fn notify(&self, incidents: &[Incident], pending: Option<Pending>) {
        let Some(r) = &self.responder else { return };
        if incidents.is_empty() {
            return;
        }
        let items = incidents
            .iter()
            .map(|i| {
                let mut n = r.message(i);
                n.approval = pending.clone();
                (i.threat_level, n)
            })
            .collect();
        let report = r.send(items).await;
        for f in &report.failures {
            tracing::warn!(failure = %f, "notification not delivered (kept in the dead-letter file)");
        }
        self.count(|s| s.notifications += report.sent as u64);
    }

    /// The image guard for one upload.
    pub async fn image(&self, u: Upload) -> Result<(), String> {
        let Some(g) = &self.guard else { return Ok(()) };
        if !g.watches(&u) {
            return Ok(());
        }
        let checked = match images::check(g, &self.s3, &u).await {
            Ok(Some(mut c)) => {
                self.second_opinion(&u, &mut c).await;
                c
            }
            Ok(None) => return Ok(()),
            // Already gone (removed by its owner, or quarantined on an
            // earlier delivery of the same event): nothing left to guard.
            Err(e) if is_missing(e.message()) => {
                tracing::info!(bucket = %u.bucket, key = %u.key, "the uploaded object is gone; nothing to check");
                return Ok(());
            }
            Err(e) => {
                let target = format!("s3://{}/{}", u.bucket, u.key);
                let _ = StoreLedger(&self.store).audit(
                    "warden",
                    "image.scan.failed",
                    &target,
                    e.message(),
                );
                if let images::CheckError::Unreadable(why) = &e {
                    // Reading it again cannot help: do not hold up the log
                    // file or message it came with. Someone should look.
                    tracing::warn!(error = %why, "an uploaded file could not be checked for personal data (recorded in `warden audit` as image.scan.failed); review it by hand");
                    self.count(|s| s.images_unreadable += 1);
                    return Ok(());
                }
                return Err(e.message().to_string());
            }
        };
        self.count(|s| s.images_checked += 1);
        let plan = g.plan(&checked);
        let target = format!("s3://{}/{}", u.bucket, u.key);
        StoreLedger(&self.store).audit(
            "warden",
            "image.scan",
            &target,
            &images::scan_detail(&checked, &plan),
        )?;
        if plan == Plan::LeaveAlone {
            return Ok(());
        }
        self.count(|s| s.images_with_pii += 1);
        self.act(g, &checked, plan).await
    }

    /// Ask the vision model about an image OCR found clean; it can only
    /// raise it to "needs review". A failed call changes nothing.
    async fn second_opinion(&self, u: &Upload, c: &mut Checked) {
        let Some(vision) = &self.vision else { return };
        if c.verdict.pii_found {
            return; // nothing a model says can clear a finding
        }
        let media = match c.verdict.format.as_str() {
            "png" => "image/png",
            "jpeg" => "image/jpeg",
            "gif" => "image/gif",
            "webp" => "image/webp",
            _ => return, // formats vision models do not take
        };
        let url = S3Url {
            bucket: u.bucket.clone(),
            key: u.key.clone(),
        };
        let bytes = match warden_respond::s3::fetch_version(
            &self.s3,
            &url,
            c.version.as_deref(),
            5 << 20,
        )
        .await
        {
            Ok(f) => f.bytes,
            Err(e) => {
                tracing::warn!(error = %e, "no second opinion (image not re-read, or over 5 MB)");
                return;
            }
        };
        let req = warden_llm::Request {
            system: images::VISION_SYSTEM.into(),
            messages: vec![warden_llm::Message {
                role: warden_llm::Role::User,
                content: vec![
                    warden_llm::Block::Image {
                        media_type: media.into(),
                        data: bytes,
                    },
                    warden_llm::Block::text(
                        "Does this image show personal data? Answer with the JSON only.",
                    ),
                ],
            }],
            tools: Vec::new(),
            max_tokens: 200,
            temperature: Some(0.0),
            purpose: "image-second-opinion".into(),
        };
        let answer = vision.lock().await.call(&req, 0).await;
        match answer
            .map_err(|e| e.to_string())
            .and_then(|r| warden_llm::structured::parse::<images::SecondOpinion>(&r.text()))
        {
            Ok(o) => {
                if images::apply_second_opinion(&mut c.verdict, &o) {
                    tracing::info!(bucket = %u.bucket, key = %u.key, "vision model: needs review");
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "vision model second opinion failed; the OCR verdict stands")
            }
        }
    }

    async fn act(&self, g: &ImageGuard, c: &Checked, plan: Plan) -> Result<(), String> {
        let r = g.remediation(c);
        let incident = images::incident(c, &r, &plan);
        crate::store_cmd::store_incidents(&mut self.store(), std::slice::from_ref(&incident))
            .map_err(|e| e.0)?;
        self.count(|s| s.incidents += 1);
        let mut pending = None;
        match plan {
            Plan::ActNow => {
                let actor = format!(
                    "warden:auto ([respond.images] auto_min_level = {})",
                    g.auto_min_level.map(|l| l.as_str()).unwrap_or("?")
                );
                let done = quarantine::execute(
                    &self.s3,
                    &r,
                    &actor,
                    "automatic at this threat level",
                    &StoreLedger(&self.store),
                )
                .await
                .inspect_err(|e| {
                    let _ = StoreLedger(&self.store).audit(
                        &actor,
                        &format!("image.{}.failed", r.action.as_str()),
                        &r.target(),
                        e,
                    );
                })?;
                tracing::info!(%done, "image remediated");
                self.count(|s| s.remediated += 1);
            }
            Plan::AwaitApproval => {
                let spec = serde_json::to_string(&r).map_err(|e| e.to_string())?;
                self.store()
                    .request_remediation(
                        &r.id,
                        Some(&r.incident_id),
                        r.action.as_str(),
                        &r.target(),
                        &r.reason(),
                        &spec,
                    )
                    .map_err(|e| e.to_string())?;
                self.count(|s| s.awaiting_approval += 1);
                pending = Some(Pending {
                    id: r.id.clone(),
                    action: r.action.as_str().into(),
                    target: r.target(),
                });
            }
            Plan::NotifyOnly | Plan::LeaveAlone => {}
        }
        self.notify(std::slice::from_ref(&incident), pending).await;
        Ok(())
    }

    /// Carry out remediations approved (in Slack, on the web or with
    /// `warden approve`) and not yet done; how many were attempted.
    pub async fn execute_approved(&self) -> usize {
        let todo = match self.store().approved_pending_execution(50) {
            Ok(t) => t,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read approved remediations");
                return 0;
            }
        };
        let mut n = 0;
        for (row, spec) in todo {
            n += 1;
            let _ = self.execute_one(&row, &spec).await;
        }
        n
    }

    /// Carry out one approved remediation (claimed first, so only once).
    pub async fn execute_one(
        &self,
        row: &warden_store::ApprovalRow,
        spec: &str,
    ) -> Result<String, String> {
        if !self
            .store()
            .claim_execution(&row.id)
            .map_err(|e| e.to_string())?
        {
            return Err(format!(
                "{} is not approved, or was already carried out",
                row.id
            ));
        }
        let outcome = match serde_json::from_str::<Remediation>(spec) {
            Ok(r) => {
                let actor = row.decided_by.clone().unwrap_or_else(|| "unknown".into());
                quarantine::execute(
                    &self.s3,
                    &r,
                    &actor,
                    &format!("approved as {}", row.id),
                    &StoreLedger(&self.store),
                )
                .await
            }
            Err(e) => Err(format!("the stored remediation cannot be read: {e}")),
        };
        let text = match &outcome {
            Ok(d) => format!("done: {d}"),
            Err(e) => format!("failed: {e}"),
        };
        if let Err(e) = self
            .store()
            .finish_execution(&row.id, &text, outcome.is_ok())
        {
            tracing::warn!(error = %e, "cannot record the outcome");
        }
        if let Err(e) = &outcome {
            let _ = StoreLedger(&self.store).audit(
                row.decided_by.as_deref().unwrap_or("unknown"),
                "remediation.failed",
                &row.id,
                &format!("{e}; back to pending for a new decision"),
            );
        }
        match &outcome {
            Ok(_) => self.count(|s| s.remediated += 1),
            Err(e) => {
                tracing::warn!(approval = %row.id, error = %e, "remediation failed");
                self.count(|s| s.failures += 1);
            }
        }
        outcome
    }

    /// The store, for the S3 checkpoint.
    pub fn with_store<T>(&self, f: impl FnOnce(&Store) -> T) -> T {
        f(&self.store())
    }
}

/// A session on the configured model for image second opinions.
async fn vision_session(
    cfg: &crate::config::FileConfig,
) -> Result<warden_llm::session::Session<warden_llm::any::AnyProvider>, Fatal> {
    let s = crate::narrate::setup(&cfg.llm)?;
    if matches!(s.provider, warden_llm::any::ProviderSettings::Offline) {
        return Err(Fatal(
            "[respond.images] vision = true needs a vision model in [llm] (e.g. provider = \"bedrock\" with a Claude model)".into(),
        ));
    }
    let provider = warden_llm::any::AnyProvider::connect(s.provider.clone())
        .await
        .map_err(|e| Fatal(format!("cannot set up the language model: {e}")))?;
    Ok(crate::narrate::session_on(&s, provider))
}

/// Why an object is not a log file by its name (`None`: read it). Image
/// names never get here; anything without a JSON or gzip ending is left
/// alone rather than failing as an unreadable log.
pub fn not_a_log(key: &str) -> Option<&'static str> {
    let k = key.to_ascii_lowercase();
    if k.contains("/cloudtrail-digest/") {
        return Some("a CloudTrail digest file (integrity hashes, not events)");
    }
    if k.ends_with('/') {
        return Some("a folder marker");
    }
    let logish = [
        ".json",
        ".json.gz",
        ".jsonl",
        ".jsonl.gz",
        ".ndjson",
        ".ndjson.gz",
        ".log",
        ".log.gz",
        ".gz",
    ]
    .iter()
    .any(|e| k.ends_with(e));
    if logish {
        None
    } else {
        Some("neither an image nor a log file by its name")
    }
}

/// A failed piece of work: retried (SQS redelivers, a prefix lists it
/// again) unless permanent (it cannot get better: unreadable, too large).
#[derive(Debug, Clone)]
pub struct WorkError {
    pub message: String,
    pub permanent: bool,
}

impl WorkError {
    pub fn retry(message: String) -> WorkError {
        WorkError {
            message,
            permanent: false,
        }
    }
    pub fn permanent(message: String) -> WorkError {
        WorkError {
            message,
            permanent: true,
        }
    }
}

impl std::fmt::Display for WorkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_files_are_told_by_name() {
        for k in [
            "AWSLogs/1/CloudTrail/us-east-1/2026/11/20/1_CloudTrail_us-east-1_x.json.gz",
            "okta/2026-11-20.jsonl",
            "guardduty/findings.json",
            "exports/part-0.gz",
        ] {
            assert_eq!(not_a_log(k), None, "{k}");
        }
        assert!(not_a_log("AWSLogs/1/CloudTrail-Digest/us-east-1/2026/x.json.gz").is_some());
        for k in ["docs/report.pdf", "README.txt", "uploads/a.bin", "folder/"] {
            assert!(not_a_log(k).is_some(), "{k}");
        }
    }
}
