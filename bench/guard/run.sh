#!/usr/bin/env bash
# Guardrails benchmark: corpus -> Presidio (two configurations) -> warden (if
# a binary is there) -> evaluate.py.  Results in bench/out/guard/results.md.
#
#   bench/guard/run.sh
#   GUARD_SKIP_PRESIDIO=1 bench/guard/run.sh     # reuse bench/out/guard/presidio-*.ndjson
#   WARDEN=path/to/warden bench/guard/run.sh     # default: target/release/warden if present
#   GUARD_SKIP_WARDEN=1 bench/guard/run.sh
#
# Builds nothing (no cargo): build warden first if you want it scored.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${GUARD_OUT:-$root/bench/out/guard}
venv=${PRESIDIO_VENV:-$root/bench/out/presidio-venv}
warden=${WARDEN:-$root/target/release/warden}
mkdir -p "$out"

python3 "$here/gen_corpus.py"

preds=()
if [ "${GUARD_SKIP_PRESIDIO:-}" != 1 ]; then
    [ -x "$venv/bin/python" ] || PRESIDIO_VENV="$venv" bash "$here/setup_presidio.sh"
    for cfg in default extended; do
        "$venv/bin/python" "$here/presidio_scan.py" --config "$cfg" --out "$out/presidio-$cfg.ndjson"
    done
fi
[ -f "$out/presidio-default.ndjson" ] && preds+=(--pred "presidio=$out/presidio-default.ndjson")
[ -f "$out/presidio-extended.ndjson" ] && preds+=(--pred "presidio-ext=$out/presidio-extended.ndjson")

if [ "${GUARD_SKIP_WARDEN:-}" != 1 ] && [ -x "$warden" ]; then
    python3 "$here/warden_scan.py" --warden "$warden" --out-dir "$out"
    preds+=(--pred "warden=$out/warden-pii.ndjson" --pred "warden=$out/warden-injection.ndjson")
fi

if [ ${#preds[@]} -eq 0 ]; then
    echo "nothing to evaluate" >&2
    exit 1
fi
python3 "$here/evaluate.py" "${preds[@]}" --out "$out/results.md" >/dev/null
echo "results: $out/results.md"
