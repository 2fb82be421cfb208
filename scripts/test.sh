#!/usr/bin/env bash
# The whole test suite, runnable on a fresh clone: formatting, lints, unit,
# property and end-to-end tests, the bundled rules' own examples, a
# smoke run of the README's quick-start command, and the web UI in
# headless Chromium. Installs what it needs when missing: Debian's
# chromium, Tesseract (en/ko/ja), CJK fonts, libheif-examples and
# poppler-utils, and from PyPI Playwright,
# moto (a local AWS stand-in) and Pillow.
#
# Usage: scripts/test.sh            (CI runs exactly this via .ci/run)
#        WARDEN_TEST_BENCH=1 scripts/test.sh   also runs a tiny benchmark
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "toolchain"
if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
    rustup component add rustfmt clippy
fi
cargo --version
# A full debug build of the workspace needs several GB; say how much there is.
df -h . | tail -1 | awk '{print "disk: " $4 " free of " $2}'

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

step "test tools (moto for AWS, Playwright + chromium for the web UI, Tesseract + fonts + Pillow + libheif + Poppler for OCR)"
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! python3 -c "import moto, playwright, PIL" 2>/dev/null || ! command -v moto_server >/dev/null; then
    python3 -m pip install -q -r tests/requirements.txt
fi
# Debian packages: Chromium for the UI test; Tesseract with Korean and
# Japanese data and the fonts the OCR tests draw with; libheif's and
# Poppler's tools for HEIC photos and PDF pages.
APT_PKGS="chromium tesseract-ocr tesseract-ocr-kor tesseract-ocr-jpn fonts-noto-cjk fonts-dejavu-core libheif-examples poppler-utils"
if [ ! -x /usr/bin/chromium ] || ! command -v tesseract >/dev/null \
    || ! command -v heif-enc >/dev/null || ! command -v heif-convert >/dev/null || ! command -v pdftoppm >/dev/null \
    || [ ! -f /usr/share/tesseract-ocr/5/tessdata/kor.traineddata ] || [ ! -f /usr/share/tesseract-ocr/5/tessdata/jpn.traineddata ] \
    || [ ! -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then
    # shellcheck disable=SC2086
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $APT_PKGS >/dev/null \
        || { as_root apt-get update -q >/dev/null && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $APT_PKGS >/dev/null; }
fi

step "cargo test"
cargo test --workspace

step "warden rules test (bundled rules against their examples)"
cargo run -q -p warden -- rules test
cargo run -q -p warden -- rules test --no-builtin --rules rules-extra

step "quick start: warden triage samples/data"
cargo run -q -p warden -- triage samples/data --format json > target/sample-triage.json
python3 - <<'PY'
import json
doc = json.load(open("target/sample-triage.json"))
levels = doc["summary"]["incidents_by_level"]
print("sample incidents by level:", levels)
assert levels.get("critical", 0) >= 1, "the sample's attack stories must give a critical incident"
PY

step "detection quality: labelled two-day corpus (eval/)"
python3 eval/gen_labelled.py > /dev/null
WARDEN=target/debug/warden python3 eval/report.py --check --out target/eval-report.md | sed -n '/^## Summary/,/^## Stories/p'

step "response workflow against moto: image guard, quarantine, approvals, SQS/S3 sources, crash resume (tests/live)"
python3 tests/live/test_live.py target/debug/warden

step "web UI in headless Chromium (screenshots: target/ui-screenshots/)"
python3 tests/ui/test_ui.py target/debug/warden

if [ "${WARDEN_TEST_BENCH:-0}" = "1" ]; then
    step "benchmark smoke run"
    BENCH_EVENTS=20000 bench/run.sh
fi

step "all tests passed"
