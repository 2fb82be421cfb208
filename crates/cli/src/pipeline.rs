//! The detection pipeline: inputs → decoders → engine → alerts, across
//! worker threads with bounded queues, results in input order.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use warden_core::{Alert, EventView};
use warden_detect::correlate::CorrelationState;
use warden_detect::{Detector, Engine};
use warden_ingest::{open, DecodeOptions, Decoder, FileStats, IngestError, Input, RecordPos, Sink};
use warden_store::{EventBatch, EventRow};

/// Knobs for one run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub threads: usize,
    pub decode: DecodeOptions,
    /// Detailed input errors printed before they are only counted.
    pub max_errors_shown: usize,
    pub progress: bool,
    pub quiet: bool,
    /// When set, every decoded event is also sent, in batches, to the
    /// store writer (`warden ingest`, `triage --store`).
    pub rows: Option<crossbeam_channel::Sender<EventBatch>>,
}

/// Events per batch sent to the store writer.
const ROW_BATCH: usize = 4096;

/// Totals of a run.
#[derive(Debug, Default, Clone)]
pub struct RunSummary {
    pub files: usize,
    pub stats: FileStats,
    pub alerts: usize,
    /// Alerts dropped by suppressions and the automation allow-list.
    pub suppressed: u64,
    /// Identical alerts folded into an earlier one (dedupe window).
    pub folded: u64,
    pub seconds: f64,
}

struct ErrorLog {
    shown: usize,
    max: usize,
    quiet: bool,
    /// The first few messages, for callers that answer with them.
    kept: Vec<String>,
}

impl ErrorLog {
    fn report(&mut self, e: &dyn std::fmt::Display) {
        self.shown += 1;
        if self.kept.len() < 5 {
            self.kept.push(e.to_string());
        }
        if self.quiet {
            return;
        }
        if self.shown <= self.max {
            eprintln!("warden: warning: {e}");
        } else if self.shown == self.max + 1 {
            eprintln!("warden: warning: more input errors follow; only the count is reported from here on");
        }
    }
}

struct FileSink<'d, 'e> {
    detector: &'d mut Detector<'e>,
    alerts: Vec<Alert>,
    file: Arc<str>,
    errors: &'d Mutex<ErrorLog>,
    rows: Option<(&'d crossbeam_channel::Sender<EventBatch>, Vec<EventRow>)>,
}

impl FileSink<'_, '_> {
    fn flush_rows(&mut self) {
        if let Some((tx, buf)) = &mut self.rows {
            if !buf.is_empty() {
                // The writer hung up only when it failed; it reports why.
                let rows = std::mem::replace(buf, Vec::with_capacity(ROW_BATCH));
                let _ = tx.send(EventBatch::pack(rows));
            }
        }
    }
}

impl Sink for FileSink<'_, '_> {
    #[inline]
    fn event(&mut self, ev: &EventView<'_>, pos: RecordPos) {
        self.detector
            .on_event(ev, &self.file, pos.record, &mut self.alerts);
        if let Some((_, buf)) = &mut self.rows {
            buf.push(EventRow::from_view(ev));
            if buf.len() >= ROW_BATCH {
                self.flush_rows();
            }
        }
    }
    fn error(&mut self, e: IngestError) {
        self.errors.lock().unwrap().report(&e);
    }
}

fn process(
    decoder: &mut Decoder<'_>,
    detector: &mut Detector<'_>,
    input: &Input,
    errors: &Mutex<ErrorLog>,
    rows: Option<&crossbeam_channel::Sender<EventBatch>>,
) -> (Vec<Alert>, FileStats) {
    let name: Arc<str> = Arc::from(input.display());
    let mut reader = match open(input) {
        Ok(r) => r,
        Err(e) => {
            errors
                .lock()
                .unwrap()
                .report(&format!("{name}: cannot open: {e}"));
            return (
                Vec::new(),
                FileStats {
                    errors: 1,
                    ..Default::default()
                },
            );
        }
    };
    let mut sink = FileSink {
        detector,
        alerts: Vec::new(),
        file: name.clone(),
        errors,
        rows: rows.map(|tx| (tx, Vec::with_capacity(ROW_BATCH))),
    };
    let stats = decoder.decode(&mut reader, &name, &mut sink);
    sink.flush_rows();
    (sink.alerts, stats)
}

fn progress_bar(inputs: &[Input], enabled: bool) -> Option<indicatif::ProgressBar> {
    if !enabled || !std::io::stderr().is_terminal() {
        return None;
    }
    let total: u64 = inputs.iter().map(Input::size).sum();
    let pb = indicatif::ProgressBar::new(total);
    pb.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {bytes}/{total_bytes} {wide_bar} {msg} ETA {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(pb)
}

/// Run detection over `inputs`, calling `emit` with each file's alerts in
/// input order. Correlation alerts (which need all input) are returned at
/// the end together with the totals.
pub fn run(
    engine: &Engine,
    inputs: &[Input],
    opts: &RunOptions,
    history: &mut warden_detect::history::History,
    mut emit: impl FnMut(Vec<Alert>),
) -> (Vec<Alert>, RunSummary) {
    let started = Instant::now();
    let errors = Mutex::new(ErrorLog {
        shown: 0,
        max: opts.max_errors_shown,
        quiet: opts.quiet,
        kept: Vec::new(),
    });
    let pb = progress_bar(inputs, opts.progress && !opts.quiet);
    let mut summary = RunSummary {
        files: inputs.len(),
        ..Default::default()
    };
    let threads = opts.threads.max(1).min(inputs.len().max(1));
    let mut correlation = CorrelationState::default();
    let count_alerts = |alerts: &Vec<Alert>, summary: &mut RunSummary| {
        summary.alerts += alerts.len();
    };
    if threads == 1 {
        let mut decoder = Decoder::new(&engine.registry, &engine.std, opts.decode);
        let mut detector = Detector::new(engine);
        for input in inputs {
            let (alerts, stats) = process(
                &mut decoder,
                &mut detector,
                input,
                &errors,
                opts.rows.as_ref(),
            );
            summary.stats.add(&stats);
            if let Some(pb) = &pb {
                pb.inc(input.size());
            }
            count_alerts(&alerts, &mut summary);
            emit(alerts);
        }
        correlation = std::mem::take(&mut detector.correlation);
    } else {
        let next = AtomicUsize::new(0);
        let (tx, rx) = crossbeam_channel::bounded::<(usize, Vec<Alert>, FileStats)>(threads * 4);
        std::thread::scope(|scope| {
            let mut handles = Vec::new();
            for _ in 0..threads {
                let tx = tx.clone();
                let next = &next;
                let errors = &errors;
                handles.push(scope.spawn(move || {
                    let mut decoder = Decoder::new(&engine.registry, &engine.std, opts.decode);
                    let mut detector = Detector::new(engine);
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(input) = inputs.get(i) else { break };
                        let (alerts, stats) = process(
                            &mut decoder,
                            &mut detector,
                            input,
                            errors,
                            opts.rows.as_ref(),
                        );
                        if tx.send((i, alerts, stats)).is_err() {
                            break;
                        }
                    }
                    std::mem::take(&mut detector.correlation)
                }));
            }
            drop(tx);
            // Emit in input order: hold early finishers until their turn.
            let mut pending: BTreeMap<usize, Vec<Alert>> = BTreeMap::new();
            let mut turn = 0;
            for (i, alerts, stats) in rx {
                summary.stats.add(&stats);
                if let Some(pb) = &pb {
                    pb.inc(inputs[i].size());
                }
                count_alerts(&alerts, &mut summary);
                pending.insert(i, alerts);
                while let Some(a) = pending.remove(&turn) {
                    emit(a);
                    turn += 1;
                }
            }
            for h in handles {
                if let Ok(state) = h.join() {
                    correlation.merge(state);
                }
            }
        });
    }
    if let Some(pb) = pb {
        pb.finish_and_clear();
    }
    let corr_alerts = engine.finish(correlation, history);
    summary.alerts += corr_alerts.len();
    summary.seconds = started.elapsed().as_secs_f64();
    (corr_alerts, summary)
}

/// Detection over bytes already in memory (a log snippet pasted into
/// Slack): the alerts, correlations included, the decode totals, and the
/// first few input errors. Nothing is printed.
pub fn run_bytes(
    engine: &Engine,
    name: &str,
    bytes: &[u8],
) -> (Vec<Alert>, FileStats, Vec<String>) {
    let mut history = warden_detect::history::History::default();
    let mut reader: &[u8] = bytes;
    run_reader(engine, name, &mut reader, None, &mut history)
}

/// Detection over one reader: alerts with correlations, decode totals,
/// the first input errors; events go to `rows` when given. First-seen
/// state is kept in `history` across calls.
pub fn run_reader(
    engine: &Engine,
    name: &str,
    reader: &mut dyn std::io::Read,
    rows: Option<&crossbeam_channel::Sender<EventBatch>>,
    history: &mut warden_detect::history::History,
) -> (Vec<Alert>, FileStats, Vec<String>) {
    let (mut alerts, correlation, stats, errors) = read_matches(engine, name, reader, rows);
    alerts.extend(engine.finish(correlation, history));
    (alerts, stats, errors)
}

/// Like [`run_reader`], but correlation matches are returned unjudged, for
/// a live source that carries them to its next batch.
pub fn read_matches(
    engine: &Engine,
    name: &str,
    reader: &mut dyn std::io::Read,
    rows: Option<&crossbeam_channel::Sender<EventBatch>>,
) -> (
    Vec<Alert>,
    warden_detect::correlate::CorrelationState,
    FileStats,
    Vec<String>,
) {
    let errors = Mutex::new(ErrorLog {
        shown: 0,
        max: 0,
        quiet: true,
        kept: Vec::new(),
    });
    let mut decoder = Decoder::new(&engine.registry, &engine.std, DecodeOptions::default());
    let mut detector = Detector::new(engine);
    let file: Arc<str> = Arc::from(name);
    let mut sink = FileSink {
        detector: &mut detector,
        alerts: Vec::new(),
        file: file.clone(),
        errors: &errors,
        rows: rows.map(|tx| (tx, Vec::with_capacity(ROW_BATCH))),
    };
    let stats = decoder.decode(reader, &file, &mut sink);
    sink.flush_rows();
    let alerts = std::mem::take(&mut sink.alerts);
    let correlation = std::mem::take(&mut detector.correlation);
    let kept = errors.into_inner().map(|e| e.kept).unwrap_or_default();
    (alerts, correlation, stats, kept)
}
