//! OCR with the Tesseract command (`tesseract FILE stdout -l LANGS tsv`):
//! words with their boxes and confidence, joined into lines. Running the
//! command — rather than linking libtesseract — keeps the default build
//! free of system libraries; only machines that scan images need
//! Tesseract and its language data (`tesseract-ocr`, `-kor`, `-jpn`).

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use crate::child::Failure;
use crate::ScanError;

/// Most TSV kept from one image (a full page of text is tens of KB).
const TSV_CAP: u64 = 64 << 20;

/// How OCR runs.
#[derive(Debug, Clone)]
pub struct OcrOptions {
    /// The `tesseract` command (`WARDEN_TESSERACT` overrides).
    pub binary: PathBuf,
    /// Language data, `+`-joined (English, Korean, Japanese by default).
    pub languages: String,
    /// Longest one image may take.
    pub timeout: Duration,
}

impl Default for OcrOptions {
    fn default() -> Self {
        OcrOptions {
            binary: std::env::var_os("WARDEN_TESSERACT")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from("tesseract")),
            languages: "eng+kor+jpn".into(),
            timeout: Duration::from_secs(60),
        }
    }
}

/// One recognised word: where it is in [`OcrText::text`] and on the image.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub start: usize,
    pub end: usize,
    /// left, top, width, height in pixels.
    pub bbox: [u32; 4],
    pub confidence: f32,
    /// Page of a multi-page document (HEIC sequence, PDF), from 1.
    pub page: u32,
}

/// The text of an image, with the box of every word.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OcrText {
    pub text: String,
    pub words: Vec<Word>,
}

impl OcrText {
    /// Add the text of page `page` after this one, on a new line.
    pub fn append_page(&mut self, other: OcrText, page: u32) {
        if other.text.is_empty() {
            return;
        }
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        let shift = self.text.len();
        self.text.push_str(&other.text);
        self.words.extend(other.words.into_iter().map(|w| Word {
            start: w.start + shift,
            end: w.end + shift,
            page,
            ..w
        }));
    }
}

/// Parse Tesseract's TSV: one row per page, block, paragraph, line and
/// word; words (level 5) carry the text.
pub fn parse_tsv(tsv: &str) -> OcrText {
    let mut out = OcrText::default();
    let mut last_line: Option<(u32, u32, u32, u32)> = None;
    for row in tsv.lines().skip(1) {
        let f: Vec<&str> = row.splitn(12, '\t').collect();
        if f.len() < 12 || f[0] != "5" {
            continue;
        }
        let word = f[11].trim();
        if word.is_empty() {
            continue;
        }
        let n = |i: usize| f[i].parse::<u32>().unwrap_or(0);
        let line = (n(1), n(2), n(3), n(4));
        match last_line {
            // Japanese and Chinese are written without spaces; Tesseract
            // splits them into "words" that must be joined again.
            Some(l) if l == line && !(ends_cjk(&out.text) && starts_cjk(word)) => {
                out.text.push(' ')
            }
            Some(l) if l == line => {}
            Some(_) => out.text.push('\n'),
            None => {}
        }
        last_line = Some(line);
        let start = out.text.len();
        out.text.push_str(word);
        out.words.push(Word {
            start,
            end: out.text.len(),
            bbox: [n(6), n(7), n(8), n(9)],
            confidence: f[10].parse().unwrap_or(-1.0),
            page: 1,
        });
    }
    out
}

/// Kana, CJK ideographs and full-width forms (not Hangul: Korean is
/// written with spaces).
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

fn ends_cjk(s: &str) -> bool {
    s.chars().next_back().is_some_and(is_cjk)
}

fn starts_cjk(s: &str) -> bool {
    s.chars().next().is_some_and(is_cjk)
}

/// OCR an image file's bytes (`suffix` names its format for Leptonica).
pub fn run(bytes: &[u8], suffix: &str, opts: &OcrOptions) -> Result<OcrText, ScanError> {
    let mut file = tempfile::Builder::new()
        .prefix("warden-ocr-")
        .suffix(&format!(".{suffix}"))
        .tempfile()
        .map_err(|e| ScanError::Tesseract(format!("cannot write a temporary file: {e}")))?;
    std::io::Write::write_all(&mut file, bytes)
        .map_err(|e| ScanError::Tesseract(format!("cannot write a temporary file: {e}")))?;
    let done = crate::child::run(
        Command::new(&opts.binary)
            .arg(file.path())
            .arg("stdout")
            .args(["-l", &opts.languages, "--psm", "3", "tsv"])
            // One thread per image: callers run images in parallel instead.
            .env("OMP_THREAD_LIMIT", "1"),
        opts.timeout,
        TSV_CAP,
    )
    .map_err(|f| match f {
        Failure::NotFound => ScanError::NotInstalled(opts.binary.display().to_string()),
        Failure::Timeout => ScanError::Timeout(opts.timeout.as_secs()),
        Failure::Os(e) => {
            ScanError::Tesseract(format!("cannot run {}: {e}", opts.binary.display()))
        }
    })?;
    let (status, tsv, err) = (done.status, done.stdout, done.stderr);
    if !status.success() {
        let why = err
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with("Estimating resolution"))
            .take(3)
            .collect::<Vec<_>>()
            .join("; ");
        return Err(ScanError::Tesseract(if why.is_empty() {
            format!("tesseract exited with {status}")
        } else {
            why
        }));
    }
    Ok(parse_tsv(&tsv))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_words_become_lines_with_boxes() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
1\t1\t0\t0\t0\t0\t0\t0\t1024\t768\t-1\t\n\
5\t1\t1\t1\t1\t1\t48\t40\t120\t30\t96.5\tEmail:\n\
5\t1\t1\t1\t1\t2\t180\t40\t300\t30\t91.0\tjane@example.com\n\
5\t1\t1\t1\t2\t1\t48\t100\t90\t30\t95.0\tPhone\n\
5\t1\t1\t1\t2\t2\t150\t100\t10\t30\t20.0\t \n";
        let o = parse_tsv(tsv);
        assert_eq!(o.text, "Email: jane@example.com\nPhone");
        assert_eq!(o.words.len(), 3);
        assert_eq!(
            &o.text[o.words[1].start..o.words[1].end],
            "jane@example.com"
        );
        assert_eq!(o.words[1].bbox, [180, 40, 300, 30]);
        let ja = "h\n5\t1\t1\t1\t1\t1\t0\t0\t9\t9\t90\tマイ\n5\t1\t1\t1\t1\t2\t9\t0\t9\t9\t90\tナン\n5\t1\t1\t1\t1\t3\t18\t0\t9\t9\t90\tバー:\n5\t1\t1\t1\t1\t4\t27\t0\t9\t9\t90\t1234\n";
        assert_eq!(
            parse_tsv(ja).text,
            "マイナンバー: 1234",
            "CJK words are joined, others spaced"
        );
        assert_eq!(parse_tsv(""), OcrText::default());
        assert_eq!(parse_tsv("garbage\nmore\tgarbage"), OcrText::default());
    }
}
