//! Running one helper command (`tesseract`, `heif-convert`, `pdfinfo`,
//! `pdftoppm`) to completion within a time limit: both pipes are drained
//! on their own threads (a chatty child never blocks on a full pipe), the
//! output kept is capped, and a child past its time is killed.

use std::io::Read;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// What a finished command left.
pub(crate) struct Finished {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

/// Why a command did not finish.
pub(crate) enum Failure {
    /// The program is not installed (or not on `PATH`).
    NotFound,
    /// It could not be started or waited for.
    Os(String),
    /// It ran past the time limit and was killed.
    Timeout,
}

/// Standard error kept, bytes (the first lines explain a failure).
const STDERR_CAP: u64 = 64 << 10;

/// Run `cmd` with null stdin; keep at most `stdout_cap` bytes of its
/// output.
pub(crate) fn run(
    cmd: &mut Command,
    timeout: Duration,
    stdout_cap: u64,
) -> Result<Finished, Failure> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Failure::NotFound
            } else {
                Failure::Os(e.to_string())
            }
        })?;
    let drain = |r: Box<dyn Read + Send>, cap: u64| {
        std::thread::spawn(move || {
            let mut r = r;
            let mut s = String::new();
            let _ = (&mut r).take(cap).read_to_string(&mut s);
            let _ = std::io::copy(&mut r, &mut std::io::sink());
            s
        })
    };
    let out = drain(Box::new(child.stdout.take().expect("piped")), stdout_cap);
    let err = drain(Box::new(child.stderr.take().expect("piped")), STDERR_CAP);
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) if started.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Failure::Timeout);
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(Failure::Os(e.to_string())),
        }
    };
    Ok(Finished {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    })
}
