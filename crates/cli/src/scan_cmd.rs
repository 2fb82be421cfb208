//! `warden scan-image`: personal data in image files (OCR + the PII
//! recognisers), one verdict per file.

use std::io::Write;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use serde_json::{json, Value};
use warden_imagescan::{ScanOptions, Verdict};

use crate::Fatal;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ScanFormat {
    Text,
    Json,
}

#[derive(Args, Debug)]
pub struct ScanArgs {
    /// Image files (PNG, JPEG, GIF, WebP, TIFF, BMP; HEIC and PDF pages
    /// through heif-convert and pdftoppm), or s3://bucket/key objects
    /// (read with the usual AWS credentials; size checked first).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<String>,
    /// text, or json (one object for one file, an array for several).
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: ScanFormat,
    /// OCR languages, +-joined Tesseract language names.
    #[arg(long, default_value = "eng+kor+jpn", env = "WARDEN_OCR_LANGUAGES")]
    pub languages: String,
    /// Images scanned at once (default: one per core).
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    /// Most pages read from a PDF or a HEIC image sequence; more are
    /// reported as `pages_not_read`.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u16).range(1..=500))]
    pub max_pages: u16,
}

/// S3 access for `s3://` inputs: a runtime and a client, made once.
struct S3 {
    rt: tokio::runtime::Runtime,
    client: aws_sdk_s3::Client,
}

fn one(path: &str, opts: &ScanOptions, s3: Option<&S3>) -> Result<Verdict, String> {
    let bytes = match (path.starts_with("s3://"), s3) {
        (true, Some(s3)) => {
            let u = warden_respond::s3::S3Url::parse(path)?;
            s3.rt
                .handle()
                .block_on(warden_respond::s3::fetch(&s3.client, &u, opts.max_bytes))?
                .0
        }
        _ => std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?,
    };
    warden_imagescan::scan(&bytes, opts).map_err(|e| e.to_string())
}

pub fn run(a: ScanArgs, quiet: bool) -> Result<ExitCode, Fatal> {
    let mut opts = ScanOptions::default();
    opts.ocr.languages = a.languages.clone();
    opts.max_pages = a.max_pages as usize;
    let threads = a
        .threads
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        })
        .clamp(1, 64);
    let s3 = if a.files.iter().any(|f| f.starts_with("s3://")) {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .map_err(|e| Fatal(format!("cannot start the async runtime: {e}")))?;
        let client = rt.block_on(warden_respond::s3::client());
        Some(S3 { rt, client })
    } else {
        None
    };
    // Files in parallel, results in input order.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<std::sync::Mutex<Option<Result<Verdict, String>>>> = a
        .files
        .iter()
        .map(|_| std::sync::Mutex::new(None))
        .collect();
    std::thread::scope(|s| {
        for _ in 0..threads.min(a.files.len()) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(f) = a.files.get(i) else { break };
                *results[i].lock().unwrap() = Some(one(f, &opts, s3.as_ref()));
            });
        }
    });
    let results: Vec<Result<Verdict, String>> = results
        .into_iter()
        .map(|m| {
            m.into_inner()
                .unwrap()
                .unwrap_or_else(|| Err("not scanned".into()))
        })
        .collect();
    let mut out = std::io::stdout().lock();
    let (mut pii, mut errors) = (0, 0);
    let mut docs: Vec<Value> = Vec::new();
    for (file, r) in a.files.iter().zip(&results) {
        match r {
            Ok(v) => {
                // Personal data, or not ruled out (pages not read).
                pii += (v.pii_found || v.verdict == "needs_review") as usize;
                let mut d = serde_json::to_value(v).unwrap_or(Value::Null);
                d["file"] = json!(file);
                docs.push(d);
                if let ScanFormat::Text = a.format {
                    writeln!(out, "{}", text_line(file, v))?;
                }
            }
            Err(e) => {
                errors += 1;
                if !quiet {
                    eprintln!("warden: {file}: {e}");
                }
                docs.push(json!({"file": file, "error": e}));
            }
        }
    }
    if let ScanFormat::Json = a.format {
        if docs.len() == 1 {
            serde_json::to_writer_pretty(&mut out, &docs[0])?;
        } else {
            serde_json::to_writer_pretty(&mut out, &docs)?;
        }
        writeln!(out)?;
    }
    out.flush()?;
    Ok(if pii > 0 {
        ExitCode::from(1)
    } else if errors > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn text_line(file: &str, v: &Verdict) -> String {
    let pages = match v.pages {
        Some(n) if v.pages_not_read => {
            format!(", only the first {n} pages read: raise --max-pages")
        }
        Some(n) => format!(", {n} page{}", if n == 1 { "" } else { "s" }),
        None => String::new(),
    };
    if !v.pii_found && v.pages_not_read {
        return format!(
            "{file}: NEEDS REVIEW: nothing found in the pages read ({} characters{pages}) → {}",
            v.ocr_chars, v.action
        );
    }
    if !v.pii_found {
        return format!("{file}: clean ({} characters read{pages})", v.ocr_chars);
    }
    let found: Vec<String> = v
        .entities
        .iter()
        .map(|e| {
            let mut pages: Vec<String> = e.pages.iter().map(u32::to_string).collect();
            pages.dedup();
            let on = if pages.is_empty() {
                String::new()
            } else {
                format!(" on page {}", pages.join(", "))
            };
            format!("{} ×{} ({}){on}", e.entity, e.count, e.masked.join(", "))
        })
        .collect();
    format!(
        "{file}: PERSONAL DATA: {} → {}{}",
        found.join("; "),
        v.action,
        if v.pages_not_read {
            pages
        } else {
            String::new()
        }
    )
}
