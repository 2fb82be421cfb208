//! `warden ingest` and `warden triage --store`: the detection pipeline also
//! feeds the embedded store. A writer thread owns the database and takes
//! batches of events from the decoders; files already ingested (same path,
//! size and modification time) are skipped, and every event is keyed so a
//! re-read file never duplicates anything.

use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::UNIX_EPOCH;

use warden_core::Incident;
use warden_ingest::Input;
use warden_store::{EventBatch, IncidentInput, IngestCounts, Store, StoreError};

use crate::Fatal;

/// The store directory: `--store`, then `WARDEN_STORE`, then
/// `$XDG_DATA_HOME/warden/store` or `~/.local/share/warden/store`.
pub fn store_dir(flag: Option<&Path>) -> Result<PathBuf, Fatal> {
    if let Some(p) = flag {
        return Ok(p.to_path_buf());
    }
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    if let Some(p) = env("WARDEN_STORE") {
        return Ok(PathBuf::from(p));
    }
    if let Some(d) = env("XDG_DATA_HOME") {
        return Ok(PathBuf::from(d).join("warden/store"));
    }
    env("HOME")
        .map(|h| PathBuf::from(h).join(".local/share/warden/store"))
        .ok_or_else(|| Fatal("no store directory: pass --store DIR or set WARDEN_STORE".into()))
}

pub fn open(dir: &Path) -> Result<Store, Fatal> {
    Store::open(dir).map_err(|e| Fatal(e.to_string()))
}

fn mtime_ms(p: &Path) -> i64 {
    std::fs::metadata(p)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Drop inputs already ingested into `store`; returns how many.
pub fn skip_ingested(store: &Store, inputs: &mut Vec<Input>) -> Result<usize, Fatal> {
    let before = inputs.len();
    let mut keep = Vec::with_capacity(inputs.len());
    for i in inputs.drain(..) {
        let seen = match &i {
            Input::File(p) => store
                .source_seen(&p.display().to_string(), i.size(), mtime_ms(p))
                .map_err(|e| Fatal(e.to_string()))?,
            Input::Stdin => false,
        };
        if !seen {
            keep.push(i);
        }
    }
    *inputs = keep;
    Ok(before - inputs.len())
}

/// Most events the writer puts in one transaction.
const TX_EVENTS: usize = 32 * 1024;

/// The writer thread: owns the store while the pipeline runs.
pub struct Writer {
    pub tx: crossbeam_channel::Sender<EventBatch>,
    handle: JoinHandle<(Store, Result<IngestCounts, StoreError>)>,
}

impl Writer {
    /// Start the writer; with `bulk`, the store's secondary indexes are
    /// dropped now and rebuilt by [`finish`](Self::finish).
    pub fn start(mut store: Store, bulk: bool) -> Writer {
        let (tx, rx) = crossbeam_channel::bounded::<EventBatch>(8);
        let handle = std::thread::spawn(move || {
            let mut total = IngestCounts::default();
            if bulk {
                if let Err(e) = store.begin_bulk() {
                    return (store, Err(e));
                }
            }
            // Batches waiting in the channel go into one transaction: index
            // pages touched by several batches are written once.
            while let Ok(first) = rx.recv() {
                let mut events = first.len();
                let mut group = vec![first];
                while events < TX_EVENTS {
                    match rx.try_recv() {
                        Ok(b) => {
                            events += b.len();
                            group.push(b);
                        }
                        Err(_) => break,
                    }
                }
                match store.add_batches(&group) {
                    Ok(c) => {
                        total.events_added += c.events_added;
                        total.events_already_stored += c.events_already_stored;
                    }
                    // Stop taking batches: the senders see the hang-up and
                    // the error is reported once, below.
                    Err(e) => return (store, Err(e)),
                }
            }
            (store, Ok(total))
        });
        Writer { tx, handle }
    }

    /// Wait for the last batch; the caller must have dropped every other
    /// sender (the pipeline's options) first.
    pub fn finish(self) -> Result<(Store, IngestCounts), Fatal> {
        drop(self.tx);
        let (store, r) = self
            .handle
            .join()
            .map_err(|_| Fatal("the store writer crashed".into()))?;
        // Rebuild indexes even after a failure, so the events stored stay
        // quick to query; then refresh the planner's statistics.
        let r = r.and_then(|c| store.end_bulk().and_then(|_| store.optimize()).map(|_| c));
        let counts = r.map_err(|e| {
            Fatal(format!(
                "{e}; events of this run stored before the failure are kept, the files are not marked as ingested, so run the same command again"
            ))
        })?;
        Ok((store, counts))
    }
}

/// Is this run a bulk load: more input than the store already holds, and
/// enough of it that rebuilding the indexes once beats updating them per
/// event? (Compressed logs hold roughly one event per 200 bytes.)
pub fn is_bulk(store: &Store, inputs: &[Input]) -> Result<bool, Fatal> {
    const MIN_BYTES: u64 = 64 << 20;
    let bytes: u64 = inputs.iter().map(|i| i.size()).sum();
    if bytes < MIN_BYTES {
        return Ok(false);
    }
    let stored = store.approx_events().map_err(|e| Fatal(e.to_string()))?;
    Ok(bytes / 200 > stored)
}

/// Mark the inputs as ingested, after their events are stored.
pub fn mark_inputs(store: &Store, inputs: &[Input]) -> Result<(), Fatal> {
    for i in inputs {
        if let Input::File(p) = i {
            store
                .mark_source(&p.display().to_string(), i.size(), mtime_ms(p))
                .map_err(|e| Fatal(e.to_string()))?;
        }
    }
    Ok(())
}

/// Store the run's incidents with their alerts.
pub fn store_incidents(store: &mut Store, incidents: &[Incident]) -> Result<IngestCounts, Fatal> {
    let rows: Vec<IncidentInput> = incidents
        .iter()
        .map(|i| IncidentInput {
            id: i.id.clone(),
            title: i.title.clone(),
            threat_level: i.threat_level.as_str().to_string(),
            level_rank: i.threat_level as i64 + 1,
            first_ms: i.first_seen.map(|t| t.millis()),
            last_ms: i.last_seen.map(|t| t.millis()),
            principal: i.principal.clone(),
            account: i.account.clone(),
            summary: i.summary.clone(),
            json: serde_json::to_string(i).unwrap_or_default(),
            alerts: i
                .alerts
                .iter()
                .map(|a| {
                    (
                        a.rule_id.clone(),
                        a.rule_title.clone(),
                        a.level.as_str().to_string(),
                        a.event_id.as_deref().map(|id| {
                            warden_store::uid(
                                a.source.map(|k| k.as_str()).unwrap_or("unknown"),
                                Some(id),
                                "",
                            )
                        }),
                    )
                })
                .collect(),
        })
        .collect();
    store.add_incidents(&rows).map_err(|e| Fatal(e.to_string()))
}

/// Size of the store directory in bytes.
pub fn size_on_disk(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}
