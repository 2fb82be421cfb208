//! `warden scan-image` on images the test renders itself
//! (`tests/images/render.py`: Pillow and the Noto CJK fonts), OCR'd by the
//! real Tesseract: personal data in English, Korean and Japanese is found,
//! masked and located; clean images stay clean; an image whose text claims
//! to be safe is not; broken and hostile files give clear errors and the
//! other files are still scanned.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

mod common;
use common::{auth, aws_env, aws_request, moto};

fn render() -> (tempfile::TempDir, PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/images/render.py");
    let o = Command::new("python3")
        .arg(&script)
        .arg(d.path())
        .output()
        .expect("python3");
    assert!(
        o.status.success(),
        "rendering the test images needs Pillow and fonts-noto-cjk (scripts/test.sh installs them): {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let p = d.path().to_path_buf();
    (d, p)
}

fn scan(args: &[&str], files: &[PathBuf]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_warden"))
        .arg("scan-image")
        .args(args)
        .args(files)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).to_string(),
        String::from_utf8_lossy(&o.stderr).to_string(),
    )
}

fn entity<'a>(v: &'a Value, t: &str) -> Option<&'a Value> {
    v["entities"].as_array()?.iter().find(|e| e["type"] == t)
}

#[test]
fn personal_data_in_images_is_found_masked_and_located() {
    let (_keep, dir) = render();
    let all: Vec<PathBuf> = [
        "en-contact.png",
        "en-contact.jpg",
        "ko-rrn.png",
        "ja-mynumber.png",
        "clean.png",
        "clean-ja.png",
        "hostile.png",
        "blank.png",
    ]
    .iter()
    .map(|f| dir.join(f))
    .collect();
    let (code, out, err) = scan(&["--format", "json", "-j", "2"], &all);
    assert_eq!(code, 1, "personal data found: {err}");
    let docs: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(docs.len(), all.len(), "one verdict per file, in order");
    for (d, f) in docs.iter().zip(&all) {
        assert_eq!(d["file"], f.display().to_string());
        for key in ["pii_found", "entities", "ocr_chars", "verdict", "action"] {
            assert!(d.get(key).is_some(), "{key} in {d}");
        }
    }
    let by = |name: &str| &docs[all.iter().position(|f| f.ends_with(name)).unwrap()];

    let en = by("en-contact.png");
    assert_eq!(en["pii_found"], true);
    assert_eq!(en["verdict"], "pii");
    assert_eq!(en["action"], "quarantine_pending_approval");
    let email = entity(en, "EMAIL").expect("email");
    assert_eq!(email["masked"][0], "j***@example.com");
    let b = email["boxes"][0].as_array().unwrap();
    assert!(
        b[0].as_u64().unwrap() > 100 && b[2].as_u64().unwrap() > 100,
        "a box where the address is: {b:?}"
    );
    assert!(entity(en, "CREDIT_CARD").unwrap()["masked"][0]
        .as_str()
        .unwrap()
        .ends_with("1111"));
    assert!(entity(en, "PHONE").is_some());
    assert!(!en.to_string().contains("jane.doe@"), "values are masked");
    assert!(entity(by("en-contact.jpg"), "EMAIL").is_some(), "JPEG too");
    assert!(
        entity(by("ko-rrn.png"), "KR_RRN").is_some(),
        "{}",
        by("ko-rrn.png")
    );
    assert!(
        entity(by("ja-mynumber.png"), "JP_MY_NUMBER").is_some(),
        "{}",
        by("ja-mynumber.png")
    );
    for clean in ["clean.png", "clean-ja.png", "blank.png"] {
        let d = by(clean);
        assert_eq!(d["pii_found"], false, "{clean}: {d}");
        assert_eq!(d["action"], "none");
    }
    assert!(
        by("clean.png")["ocr_chars"].as_u64().unwrap() > 30,
        "the clean image was read"
    );
    let hostile = by("hostile.png");
    assert_eq!(
        hostile["pii_found"], true,
        "text claiming safety clears nothing: {hostile}"
    );
    assert!(entity(hostile, "EMAIL").is_some());

    // Text output, one line per file.
    let (code, out, _) = scan(&[], &[dir.join("clean.png"), dir.join("hostile.png")]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].ends_with("characters read)") && lines[0].contains("clean"),
        "{out}"
    );
    assert!(
        lines[1].contains("PERSONAL DATA: EMAIL ×1 (a***@example.net)"),
        "{out}"
    );
    let (code, _, _) = scan(&[], &[dir.join("clean.png")]);
    assert_eq!(code, 0);
}

#[test]
fn pdf_pages_and_heic_photos_are_read() {
    let (_keep, dir) = render();
    let files: Vec<PathBuf> = ["form.pdf", "ko-rrn.heic", "long.pdf", "broken.pdf"]
        .iter()
        .map(|f| dir.join(f))
        .collect();
    let (code, out, err) = scan(&["--format", "json", "--max-pages", "3"], &files);
    assert_eq!(code, 1, "personal data found (and a broken file): {err}");
    let docs: Vec<Value> = serde_json::from_str(&out).unwrap();
    // The PDF: every page read, the finding placed on page 2.
    let form = &docs[0];
    assert_eq!(
        (form["format"].as_str(), form["pages"].as_u64()),
        (Some("pdf"), Some(3)),
        "{form}"
    );
    let email = entity(form, "EMAIL").expect("the e-mail on page 2");
    assert_eq!(email["pages"], serde_json::json!([2]));
    assert_eq!(email["boxes"].as_array().unwrap().len(), 1);
    assert!(form.get("pages_not_read").is_none());
    // The HEIC photo: the Korean RRN, as in the PNG it was made from.
    let heic = &docs[1];
    assert_eq!(heic["format"], "heic");
    assert!(entity(heic, "KR_RRN").is_some(), "{heic}");
    assert!(heic.get("pages").is_none(), "one image, no pages: {heic}");
    // Four pages, three read: the card on page 4 is not seen, and the
    // verdict says so rather than calling the document clean outright.
    let long = &docs[2];
    assert_eq!(
        (
            long["pii_found"].as_bool(),
            long["pages_not_read"].as_bool()
        ),
        (Some(false), Some(true)),
        "{long}"
    );
    assert_eq!(
        long["verdict"], "needs_review",
        "not ruled out is not clean: {long}"
    );
    let (code, out, _) = scan(&["--max-pages", "3"], &[dir.join("long.pdf")]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("NEEDS REVIEW") && out.contains("raise --max-pages"),
        "{out}"
    );
    let (_, out, _) = scan(&[], &[dir.join("long.pdf")]);
    assert!(
        out.contains("CREDIT_CARD") && out.contains("on page 4"),
        "{out}"
    );
    // A broken PDF: a clear error naming the file and the reader.
    let e = docs[3]["error"].as_str().unwrap_or("");
    assert!(e.contains("could not read the file"), "{e}");
    assert!(err.contains("broken.pdf"), "{err}");

    // Without the converters: what to install, and images still work.
    let o = Command::new(env!("CARGO_BIN_EXE_warden"))
        .args(["scan-image", "--format", "json"])
        .arg(dir.join("form.pdf"))
        .arg(dir.join("ko-rrn.heic"))
        .arg(dir.join("clean.png"))
        .env("WARDEN_PDFINFO", "/nonexistent/pdfinfo")
        .env("WARDEN_HEIF_CONVERT", "/nonexistent/heif-convert")
        .output()
        .unwrap();
    let docs: Vec<Value> = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        docs[0]["error"]
            .as_str()
            .unwrap()
            .contains("apt install poppler-utils"),
        "{}",
        docs[0]
    );
    assert!(
        docs[1]["error"]
            .as_str()
            .unwrap()
            .contains("apt install libheif-examples"),
        "{}",
        docs[1]
    );
    assert_eq!(docs[2]["pii_found"], false);
}

#[test]
fn broken_and_hostile_files_are_refused_and_the_rest_scanned() {
    let (_keep, dir) = render();
    let files: Vec<PathBuf> = [
        "bomb.png",
        "truncated.png",
        "not-an-image.png",
        "missing.png",
        "clean.png",
    ]
    .iter()
    .map(|f| dir.join(f))
    .collect();
    let (code, out, err) = scan(&["--format", "json"], &files);
    assert_eq!(code, 2, "errors, no personal data: {err}");
    let docs: Vec<Value> = serde_json::from_str(&out).unwrap();
    let e = |i: usize| docs[i]["error"].as_str().unwrap_or("").to_string();
    assert!(e(0).contains("100000×100000 pixels"), "{}", e(0));
    assert!(e(1).contains("OCR failed"), "{}", e(1));
    assert!(e(2).contains("not an image"), "{}", e(2));
    assert!(e(3).contains("cannot read"), "{}", e(3));
    assert_eq!(
        docs[4]["pii_found"], false,
        "the good file is still scanned"
    );
    for f in [
        "bomb.png",
        "truncated.png",
        "not-an-image.png",
        "missing.png",
    ] {
        assert!(err.contains(f), "stderr names {f}: {err}");
    }
    // Without Tesseract: a message that says what to install.
    let o = Command::new(env!("CARGO_BIN_EXE_warden"))
        .args(["scan-image"])
        .arg(dir.join("clean.png"))
        .env("WARDEN_TESSERACT", "/nonexistent/tesseract")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("apt install tesseract-ocr"));
}

#[test]
fn s3_objects_are_read_with_a_size_check_first() {
    let (_keep, dir) = render();
    let m = moto();
    let a = auth("s3");
    let put = |path: &str, body: &[u8]| {
        let (st, b) = aws_request(
            &m,
            "PUT",
            path,
            "application/octet-stream",
            &[("Authorization", a.as_str())],
            body,
        );
        assert_eq!(st, 200, "{path}: {b}");
    };
    put("/uploads", b"");
    put(
        "/uploads/in/passport scan.png".replace(' ', "%20").as_str(),
        &std::fs::read(dir.join("en-contact.png")).unwrap(),
    );
    put(
        "/uploads/in/report.png",
        &std::fs::read(dir.join("clean.png")).unwrap(),
    );
    put("/uploads/in/big.png", &vec![0u8; 26 << 20]);
    let o = Command::new(env!("CARGO_BIN_EXE_warden"))
        .args(["scan-image", "--format", "json"])
        .args([
            "s3://uploads/in/passport scan.png",
            "s3://uploads/in/report.png",
            "s3://uploads/in/big.png",
            "s3://uploads/in/missing.png",
            "s3://no-key",
        ])
        .envs(aws_env(&m).iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let docs: Vec<Value> = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(docs[0]["pii_found"], true, "{}", docs[0]);
    assert!(entity(&docs[0], "EMAIL").is_some());
    assert_eq!(docs[1]["pii_found"], false);
    assert!(
        docs[2]["error"].as_str().unwrap().contains("the limit is"),
        "{}",
        docs[2]
    );
    assert!(
        docs[3]["error"].as_str().unwrap().contains("cannot read"),
        "{}",
        docs[3]
    );
    assert!(
        docs[4]["error"]
            .as_str()
            .unwrap()
            .contains("needs a bucket and a key"),
        "{}",
        docs[4]
    );
}
