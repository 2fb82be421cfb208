//! `warden run`: the long-running mode. SQS queues (S3 notifications,
//! EventBridge events) and S3 prefixes feed the same detection, triage,
//! store, image guard and notifications as `warden triage` on files;
//! approved remediations are carried out as they are decided.

use std::collections::HashSet;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Args;
use warden_live::s3scan::{self, Prefix};
use warden_live::sqs::{Queue, QueueOptions};
use warden_live::Work;

use crate::live::Processor;
use crate::Fatal;

#[derive(Args, Debug)]
pub struct RunArgs {
    /// SQS queue URL of S3 notifications or EventBridge events (repeatable;
    /// adds to [run] sqs).
    #[arg(long = "sqs", value_name = "URL")]
    pub sqs: Vec<String>,
    /// S3 prefix to read, s3://bucket/prefix (repeatable; adds to [run] s3).
    /// What is done is remembered in the store, so a restart resumes.
    #[arg(long = "s3", value_name = "S3_PREFIX")]
    pub s3: Vec<String>,
    /// The store (default: WARDEN_STORE, else ~/.local/share/warden/store).
    #[arg(long, value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// Stop when the queues are empty and the prefixes are done instead of
    /// running until stopped. Correlations and open incidents are carried
    /// only within one process: keep `warden run` running to join attacks
    /// spread over time.
    #[arg(long)]
    pub once: bool,
    /// How often S3 prefixes are listed again (default 60s, or [run] interval).
    #[arg(long, value_name = "DURATION")]
    pub interval: Option<String>,
    /// SQS long-polling wait, up to 20s.
    #[arg(long, default_value = "20s", value_name = "DURATION")]
    pub wait: String,
    /// SQS visibility timeout while a message is worked on.
    #[arg(long, default_value = "300s", value_name = "DURATION")]
    pub visibility: String,
    /// First back-off before a failed message is visible again (doubles
    /// with each receive, at most 15m).
    #[arg(long, default_value = "30s", value_name = "DURATION")]
    pub retry_after: String,
    /// Do not check uploaded images for personal data.
    #[arg(long)]
    pub no_images: bool,
    #[command(flatten)]
    pub rules: crate::RuleSel,
}

fn duration(flag: &str, v: &str) -> Result<Duration, Fatal> {
    warden_core::time::parse_duration(v)
        .ok_or_else(|| Fatal(format!("{flag} '{v}' is not a duration (e.g. 20s, 5m)")))
}

/// What one pass did.
#[derive(Default)]
struct Pass {
    done: usize,
    failed: usize,
}

/// Warnings on stderr, unless `--quiet`.
#[derive(Clone, Copy)]
struct Say {
    quiet: bool,
}

impl Say {
    fn warn(self, m: impl std::fmt::Display) {
        tracing::warn!("{m}");
        if !self.quiet {
            eprintln!("warden: warning: {m}");
        }
    }
}

pub fn run(a: RunArgs, cfg: &crate::config::FileConfig, quiet: bool) -> Result<ExitCode, Fatal> {
    let say = Say { quiet };
    let mut sqs: Vec<String> = cfg.run.sqs.clone();
    sqs.extend(a.sqs.iter().cloned());
    let mut prefixes = Vec::new();
    for p in cfg.run.s3.iter().chain(&a.s3) {
        prefixes.push(Prefix::parse(p).map_err(Fatal)?);
    }
    if sqs.is_empty() && prefixes.is_empty() {
        return Err(Fatal(
            "nothing to watch: give --sqs URL or --s3 s3://bucket/prefix, or [run] sqs/s3 in warden.toml (see docs/run.md)".into(),
        ));
    }
    let interval = match (&a.interval, &cfg.run.interval) {
        (Some(v), _) => duration("--interval", v)?,
        (None, Some(v)) => duration("[run] interval", v)?,
        (None, None) => Duration::from_secs(60),
    };
    if interval < Duration::from_secs(1) {
        return Err(Fatal(
            "the S3 listing interval must be at least 1s (each listing costs ListObjectsV2 calls)"
                .into(),
        ));
    }
    let wait = duration("--wait", &a.wait)?;
    if wait > Duration::from_secs(20) {
        return Err(Fatal(format!(
            "--wait '{}' is over SQS's 20s long-polling limit",
            a.wait
        )));
    }
    if cfg.run.max_log_bytes.is_some_and(|m| m < 1024) {
        return Err(Fatal("[run] max_log_bytes must be at least 1024".into()));
    }
    let qopts = QueueOptions {
        wait,
        batch: 10,
        visibility: duration("--visibility", &a.visibility)?.max(Duration::from_secs(1)),
        retry_base: duration("--retry-after", &a.retry_after)?,
    };
    let store_dir = crate::store_cmd::store_dir(a.store.as_deref())?;
    let files = crate::rule_files(&a.rules, cfg, quiet);
    let engine = crate::load_rules(&files, quiet)?.engine;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Fatal(format!("cannot start the async runtime: {e}")))?;
    let stop = Arc::new(AtomicBool::new(false));
    rt.block_on(async {
        let p = Processor::new(engine, &store_dir, cfg, !a.no_images).await?;
        let sqs_client = warden_live::sqs::client().await;
        let queues: Vec<Queue> = sqs
            .iter()
            .map(|u| Queue::new(sqs_client.clone(), u, qopts.clone()))
            .collect();
        for q in &queues {
            match q.has_dead_letter_queue().await {
                Ok(true) => {}
                Ok(false) => say.warn(format!(
                    "{}: the queue has no dead-letter queue (redrive policy); a message that keeps failing comes back until it expires",
                    q.url
                )),
                Err(e) => say.warn(e),
            }
        }
        if cfg.respond.route.is_empty() {
            say.warn("no [[respond.route]] in the configuration: incidents are stored, but nobody is notified (see docs/respond.md)");
        }
        {
            let stop = stop.clone();
            tokio::spawn(async move {
                shutdown_signal().await;
                stop.store(true, Ordering::SeqCst);
            });
        }
        if !quiet {
            eprintln!(
                "warden: run: watching {} queue(s) and {} S3 prefix(es); store {}{}",
                queues.len(),
                prefixes.len(),
                store_dir.display(),
                if a.once { "; stopping when idle (--once)" } else { "; Ctrl-C or SIGTERM stops after the message in hand" }
            );
        }
        let started = Instant::now();
        let mut next_listing = Instant::now();
        let mut failed_total = 0;
        // Objects that failed in this run are not tried again until the
        // next run (--once) or the next listing.
        let mut failed_keys: HashSet<String> = HashSet::new();
        loop {
            let mut pass = Pass::default();
            if !prefixes.is_empty() && (a.once || Instant::now() >= next_listing) {
                if !a.once {
                    failed_keys.clear();
                }
                for pre in &prefixes {
                    let r = scan_prefix(&p, pre, &stop, &mut failed_keys, say).await;
                    pass.done += r.done;
                    pass.failed += r.failed;
                }
                next_listing = Instant::now() + interval;
            }
            for q in &queues {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let r = drain_queue(&p, q, &stop, say).await;
                pass.done += r.done;
                pass.failed += r.failed;
            }
            pass.done += p.execute_approved().await;
            failed_total += pass.failed;
            // --once: stop when a pass finds nothing, or only failures
            // (they come back after their back-off, or go to the DLQ).
            if stop.load(Ordering::SeqCst) || (a.once && pass.done <= pass.failed) {
                break;
            }
            if queues.is_empty() && pass.done == 0 {
                // Only prefixes: wait for the next listing (or a stop).
                let until = next_listing.saturating_duration_since(Instant::now());
                tokio::select! {
                    _ = tokio::time::sleep(until.min(Duration::from_secs(1))) => {}
                    _ = stopped(&stop) => {}
                }
            }
        }
        let s = p.stats.lock().map(|s| s.clone()).unwrap_or_default();
        if !quiet {
            eprintln!(
                "warden: run: {} messages done, {} objects, {} events ({} new to the store, {} already stored), {} incidents ({} updated by later events), {} images checked ({} with personal data or needing review, {} remediated, {} awaiting approval, {} unreadable: see `warden audit`), {} notifications, {} failures, in {:.1}s ({:.1}s of it working, the rest waiting on AWS)",
                s.messages, s.objects, s.events, s.events_added, s.events_already_stored, s.incidents, s.incidents_updated, s.images_checked, s.images_with_pii,
                s.remediated, s.awaiting_approval, s.images_unreadable, s.notifications, failed_total + s.failures as usize,
                started.elapsed().as_secs_f64(),
                s.work_ms as f64 / 1000.0
            );
        }
        if let Ok(j) = serde_json::to_string(&s) {
            tracing::info!(stats = %j, "run finished");
        }
        Ok::<_, Fatal>(if failed_total > 0 && a.once {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        })
    })
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Resolves once a stop was asked for.
async fn stopped(stop: &AtomicBool) {
    while !stop.load(Ordering::SeqCst) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Test hook: exit abruptly (as a crash would) after this many objects
/// were worked on but before the last one is marked done.
fn crash_after() -> Option<u64> {
    std::env::var("WARDEN_TEST_CRASH_AFTER")
        .ok()
        .and_then(|v| v.parse().ok())
}

/// One receive from a queue (a stop cuts the long poll short): each
/// message's work, then one batch delete of the finished ones, and a
/// back-off for the failed ones.
async fn drain_queue(p: &Processor, q: &Queue, stop: &AtomicBool, say: Say) -> Pass {
    let mut pass = Pass::default();
    let received = tokio::select! {
        r = q.receive() => r,
        _ = stopped(stop) => return pass,
    };
    let msgs = match received {
        Ok(m) => m,
        Err(e) => {
            say.warn(format!("{e}; trying again in 2 s"));
            tokio::time::sleep(Duration::from_secs(2)).await;
            pass.failed += 1;
            return pass;
        }
    };
    let mut finished = Vec::new();
    for m in &msgs {
        pass.done += 1;
        let result = match warden_live::envelope::parse(m.body.as_bytes()) {
            Ok(work) => {
                let mut r = Ok(());
                for w in &work {
                    if let Err(e) = p.work(w).await {
                        r = Err(e.message);
                        break;
                    }
                }
                r
            }
            Err(e) => Err(e.0),
        };
        match result {
            Ok(()) => finished.push(m),
            Err(e) => {
                pass.failed += 1;
                match q.retry_later(m).await {
                    Ok(wait) => say.warn(format!(
                        "message {} failed (receive #{}): {e}; it comes back in {} s (after the queue's maxReceiveCount it goes to its dead-letter queue, if it has one)",
                        m.id, m.receives, wait.as_secs()
                    )),
                    Err(e2) => say.warn(format!("message {} failed: {e}; {e2}", m.id)),
                }
            }
        }
    }
    let undeleted = q.done_batch(&finished).await;
    for (id, why) in &undeleted {
        say.warn(format!(
            "message {id} was handled but not deleted ({why}); it will be delivered again and its work is idempotent"
        ));
    }
    p.stats
        .lock()
        .map(|mut s| s.messages += finished.len() as u64)
        .ok();
    pass
}

/// The objects under a prefix not done yet, in key order; each is marked
/// done in the store only after its work. An object that can never be
/// read (too large, not a log) is marked done too, with a warning and an
/// audit record, so it is not retried forever.
async fn scan_prefix(
    p: &Processor,
    pre: &Prefix,
    stop: &AtomicBool,
    failed_keys: &mut HashSet<String>,
    say: Say,
) -> Pass {
    let mut pass = Pass::default();
    let listed = match s3scan::list(&p.s3, pre).await {
        Ok(l) => l,
        Err(e) => {
            say.warn(e);
            pass.failed += 1;
            return pass;
        }
    };
    let mut worked = 0u64;
    for o in listed {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let name = format!("s3://{}/{}", pre.bucket, o.key);
        if failed_keys.contains(&name) {
            continue;
        }
        let seen = p.with_store(|s| s.source_seen(&name, o.size, o.mtime_ms));
        if seen.unwrap_or(false) {
            continue;
        }
        pass.done += 1;
        let w = Work::Object(warden_live::ObjectRef {
            bucket: pre.bucket.clone(),
            key: o.key.clone(),
            size: Some(o.size),
            version: None,
            event: "ListObjectsV2".into(),
        });
        let mark = match p.work(&w).await {
            Ok(_) => {
                worked += 1;
                if crash_after().is_some_and(|n| worked >= n) {
                    eprintln!(
                        "warden: WARDEN_TEST_CRASH_AFTER: exiting before {name} is marked done"
                    );
                    std::process::exit(70);
                }
                true
            }
            Err(e) if e.permanent => {
                pass.failed += 1;
                say.warn(format!(
                    "{e}; skipped for good (recorded in `warden audit`)"
                ));
                p.with_store(|s| s.audit("warden", "source.skipped", &name, &e.message))
                    .ok();
                true
            }
            Err(e) => {
                pass.failed += 1;
                failed_keys.insert(name.clone());
                say.warn(format!("{e} (tried again on the next listing)"));
                false
            }
        };
        if mark {
            if let Err(e) = p.with_store(|s| s.mark_source(&name, o.size, o.mtime_ms)) {
                say.warn(format!("{name}: cannot record it as done: {e}"));
            }
        }
    }
    pass
}
