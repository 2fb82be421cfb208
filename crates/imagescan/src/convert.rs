//! Formats Tesseract cannot read, turned into PNG pages first: HEIC (the
//! iPhone camera's default) with `heif-convert` from libheif, PDF with
//! `pdftoppm` from Poppler. Like OCR these are commands, not linked
//! libraries, so only machines that scan such files need them
//! (`apt install libheif-examples poppler-utils`).
//!
//! Hostile files are bounded: at most `max_pages` pages are rendered,
//! at a resolution that keeps the largest page within `PDF_PAGE_PIXELS`
//! (a page that claims to be 200 inches wide renders no larger), each
//! command runs under the OCR timeout with its output capped, and every
//! page is checked against the pixel limit before OCR.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::child::Failure;
use crate::{ImageKind, ScanError};

/// Resolution PDF pages are rendered at: Tesseract reads body text well
/// from about 200 dpi (it misreads more when a page is scaled up past its
/// size, and below ~150 dpi).
pub const PDF_DPI: u32 = 200;

/// Most pixels of a rendered PDF page: A4 and Letter at 200 dpi are under
/// 4 million; a long receipt-like page (8.5 × 70 in) still renders at
/// ~164 dpi, readable; a page that claims to be 200 inches square is
/// rendered at a low resolution instead of as a 1.6-gigapixel image.
pub const PDF_PAGE_PIXELS: u64 = 16_000_000;

/// The converter commands (`WARDEN_HEIF_CONVERT`, `WARDEN_PDFTOPPM`,
/// `WARDEN_PDFINFO` override).
#[derive(Debug, Clone)]
pub struct Converters {
    pub heif_convert: PathBuf,
    pub pdftoppm: PathBuf,
    pub pdfinfo: PathBuf,
}

impl Default for Converters {
    fn default() -> Self {
        let cmd = |var: &str, name: &str| {
            std::env::var_os(var)
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(name))
        };
        Converters {
            heif_convert: cmd("WARDEN_HEIF_CONVERT", "heif-convert"),
            pdftoppm: cmd("WARDEN_PDFTOPPM", "pdftoppm"),
            pdfinfo: cmd("WARDEN_PDFINFO", "pdfinfo"),
        }
    }
}

/// PNG pages of a HEIC or PDF file, in order (at most `max_pages`), and
/// whether there were more pages than that.
pub fn to_png_pages(
    bytes: &[u8],
    kind: ImageKind,
    conv: &Converters,
    max_pages: usize,
    timeout: Duration,
) -> Result<(Vec<Vec<u8>>, bool), ScanError> {
    let dir = tempfile::Builder::new()
        .prefix("warden-pages-")
        .tempdir()
        .map_err(|e| ScanError::Convert(format!("cannot make a temporary folder: {e}")))?;
    let input = dir.path().join(format!("in.{}", kind.as_str()));
    std::fs::write(&input, bytes)
        .map_err(|e| ScanError::Convert(format!("cannot write a temporary file: {e}")))?;
    let max_pages = max_pages.max(1);
    let (program, args, install): (&Path, Vec<String>, &str) = match kind {
        ImageKind::Heic => (
            &conv.heif_convert,
            vec![path_arg(&input), path_arg(&dir.path().join("page.png"))],
            "apt install libheif-examples, or set WARDEN_HEIF_CONVERT",
        ),
        ImageKind::Pdf => (
            &conv.pdftoppm,
            vec![
                "-png".into(),
                "-r".into(),
                pdf_dpi(&input, conv, max_pages, timeout)?.to_string(),
                "-f".into(),
                "1".into(),
                "-l".into(),
                // One more than needed, to know whether pages were left out.
                (max_pages + 1).to_string(),
                path_arg(&input),
                path_arg(&dir.path().join("page")),
            ],
            "apt install poppler-utils, or set WARDEN_PDFTOPPM",
        ),
        _ => return Ok((vec![bytes.to_vec()], false)),
    };
    run(program, &args, timeout, install)?;
    // heif-convert writes page.png (one image) or page-1.png, page-2.png…;
    // pdftoppm writes page-1.png or page-01.png… (padded to the page count).
    let mut pages: Vec<(u32, PathBuf)> = std::fs::read_dir(dir.path())
        .map_err(|e| ScanError::Convert(format!("cannot read the rendered pages: {e}")))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "png"))
        .filter_map(|p| {
            let stem = p.file_stem()?.to_str()?.to_string();
            let n = match stem.strip_prefix("page") {
                Some("") => 1,
                Some(rest) => rest.trim_start_matches('-').parse().ok()?,
                None => return None,
            };
            Some((n, p))
        })
        .collect();
    pages.sort();
    if pages.is_empty() {
        return Err(ScanError::Convert(format!(
            "{} produced no page: the file may be damaged or encrypted",
            program.display()
        )));
    }
    let more = pages.len() > max_pages;
    pages.truncate(max_pages);
    let pngs = pages
        .into_iter()
        .map(|(_, p)| {
            std::fs::read(&p)
                .map_err(|e| ScanError::Convert(format!("cannot read {}: {e}", p.display())))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((pngs, more))
}

/// The resolution for a PDF's pages: [`PDF_DPI`], lowered so that the
/// largest of the pages read stays within [`PDF_PAGE_PIXELS`] (sizes from
/// `pdfinfo`, in points of 1/72 inch).
fn pdf_dpi(
    input: &Path,
    conv: &Converters,
    max_pages: usize,
    timeout: Duration,
) -> Result<u32, ScanError> {
    // The same pages pdftoppm renders (one more than read, to tell
    // whether there were more).
    let args = [
        "-f".to_string(),
        "1".into(),
        "-l".into(),
        (max_pages + 1).to_string(),
        path_arg(input),
    ];
    let info = run(
        &conv.pdfinfo,
        &args,
        timeout,
        "apt install poppler-utils, or set WARDEN_PDFINFO",
    )?;
    Ok(dpi_for(&info))
}

/// From `pdfinfo` output ("Page    1 size: 612 x 792 pts (letter)").
fn dpi_for(info: &str) -> u32 {
    let largest = info
        .lines()
        .filter(|l| l.starts_with("Page") && l.contains(" size:"))
        .filter_map(|l| {
            let (_, dims) = l.split_once(" size:")?;
            let mut it = dims.split_whitespace();
            let w: f64 = it.next()?.parse().ok()?;
            let _x = it.next()?;
            let h: f64 = it.next()?.parse().ok()?;
            // Square inches.
            Some(w / 72.0 * h / 72.0)
        })
        .filter(|a| a.is_finite() && *a > 0.0)
        .fold(0.0_f64, f64::max);
    if largest <= 0.0 {
        return PDF_DPI;
    }
    let fit = (PDF_PAGE_PIXELS as f64 / largest).sqrt().floor();
    if !fit.is_finite() {
        return PDF_DPI;
    }
    (fit as u32).clamp(10, PDF_DPI)
}

fn path_arg(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// Run a converter to completion within `timeout`: its standard output
/// (at most 64 KiB; the pages go to files), its complaints to the error.
fn run(
    program: &Path,
    args: &[String],
    timeout: Duration,
    install: &str,
) -> Result<String, ScanError> {
    let done = crate::child::run(Command::new(program).args(args), timeout, 64 << 10).map_err(
        |f| match f {
            Failure::NotFound => ScanError::ConverterMissing {
                program: program.display().to_string(),
                install: install.to_string(),
            },
            Failure::Timeout => ScanError::Timeout(timeout.as_secs()),
            Failure::Os(e) => ScanError::Convert(format!("cannot run {}: {e}", program.display())),
        },
    )?;
    let (status, out, err) = (done.status, done.stdout, done.stderr);
    if !status.success() {
        let mut why: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
        why.dedup();
        why.truncate(3);
        return Err(ScanError::Convert(format!(
            "{} could not read the file ({status}){}{}",
            program.display(),
            if why.is_empty() { "" } else { ": " },
            why.join("; ")
        )));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_pages_are_rendered_at_a_bounded_size() {
        let a4 = "Pages:          2\nPage    1 size: 595.276 x 841.89 pts (A4)\nPage    1 rot:  0\nPage    2 size: 612 x 792 pts (letter)\n";
        assert_eq!(dpi_for(a4), 200, "A4 and Letter at 200 dpi fit");
        let long = "Page    1 size: 612 x 5000 pts\n";
        assert_eq!(dpi_for(long), 164, "a long page stays readable");
        let huge = "Page    1 size: 14400 x 14400 pts\n";
        assert_eq!(dpi_for(huge), 20, "a 200-inch page is rendered small");
        assert_eq!(
            dpi_for("Page    1 size: 1e9 x 1e9 pts\n"),
            10,
            "never below 10 dpi"
        );
        assert_eq!(dpi_for("garbage\nPage 1 size: NaN x pts"), PDF_DPI);
        assert_eq!(dpi_for(""), PDF_DPI);
    }

    #[test]
    fn a_missing_converter_says_what_to_install() {
        let conv = Converters {
            heif_convert: "/nonexistent/heif-convert".into(),
            pdftoppm: "/nonexistent/pdftoppm".into(),
            pdfinfo: "/nonexistent/pdfinfo".into(),
        };
        let e = to_png_pages(
            b"%PDF-1.4",
            ImageKind::Pdf,
            &conv,
            3,
            Duration::from_secs(5),
        )
        .unwrap_err();
        assert!(e.to_string().contains("poppler-utils"), "{e}");
        let e = to_png_pages(
            b"\0\0\0\x18ftypheic",
            ImageKind::Heic,
            &conv,
            3,
            Duration::from_secs(5),
        )
        .unwrap_err();
        assert!(e.to_string().contains("libheif-examples"), "{e}");
    }
}
