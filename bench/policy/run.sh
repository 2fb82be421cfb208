#!/usr/bin/env bash
# IAM policy analyzer benchmark: warden vs parliament and cloudsplaining, same inputs, one run.
#
#   bench/policy/run.sh                 # build, fetch managed policies if missing, measure
#   BENCH_SKIP_BUILD=1 bench/policy/run.sh
#
# Prints two tables:
#   1. time to analyse every AWS managed policy on one core (warden: best of 3);
#   2. escalation detection on warden's own fixtures (crates/policy/tests/fixtures/escalation):
#      positives that must be flagged, near misses that must not.
# Peers are installed into bench/out/peers-venv by peers.sh (pip: parliament, cloudsplaining).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"
warden="${WARDEN:-$repo/target/release/warden}"
out="$repo/bench/out/policy"
managed="$repo/bench/out/managed-policies"
venv="${PEERS_VENV:-$repo/bench/out/peers-venv}"
cpu="${BENCH_CPU:-0}"
mkdir -p "$out"

if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
    cargo build --release -q -p warden
fi
[ -d "$managed" ] || python3 "$here/extract_managed.py" "$managed"
n=$(find "$managed" -name '*.json' | wc -l)

pin=()
if [ -n "$cpu" ] && command -v taskset >/dev/null; then pin=(taskset -c "$cpu"); fi

echo "== 1. all AWS managed policies ($n files), one core"
best=""
for _ in 1 2 3; do
    /usr/bin/time -f "%e %U %M" -o "$out/warden.time" "${pin[@]}" "$warden" policy check -f json "$managed" > "$out/warden-managed.json"
    read -r wall user rss < "$out/warden.time"
    if [ -z "$best" ] || awk "BEGIN{exit !($wall < $best)}"; then best=$wall; best_user=$user; best_rss=$rss; fi
done
python3 - "$out/warden-managed.json" "$best" "$best_user" "$best_rss" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
esc = [r for r in d if r["escalation_paths"]]
print(f"warden          wall {float(sys.argv[2]):6.2f} s  cpu {float(sys.argv[3]):5.2f} s  rss {int(sys.argv[4])//1024} MB  "
      f"{len(d)} reports, {len(esc)} policies with escalation paths ({sum(len(r['escalation_paths']) for r in esc)} paths)")
PY
PEERS_CPU="$cpu" PEERS_VENV="$venv" PEERS_OUT="$out/peers-managed" "$here/peers.sh" "$managed" | tail -n +3

echo
echo "== 2. escalation fixtures: positives flagged / near misses flagged"
fx="$out/fixtures"
rm -rf "$fx"
mkdir -p "$fx"
cp crates/policy/tests/fixtures/escalation/*.json "$fx/"
"$warden" policy check -f json "$fx" > "$out/warden-fixtures.json"
for tool in cloudsplaining parliament; do
    "$venv/bin/python" "$here/peer_escalation.py" "$fx" --tool "$tool" --out "$out/$tool-fixtures.jsonl" 2>/dev/null
done
python3 - "$out" crates/policy/tests/fixtures/escalation/cases.yml <<'PY'
import json, os, sys
out, cases_path = sys.argv[1], sys.argv[2]
# cases.yml is simple enough to read without PyYAML: "- file: X" then "  expect: [a, b]".
cases, cur = {}, None
for line in open(cases_path):
    s = line.strip()
    if s.startswith("- file:"):
        cur = s.split(":", 1)[1].strip()
    elif s.startswith("expect:") and cur:
        body = s.split(":", 1)[1].strip().strip("[]")
        cases[cur] = [x.strip() for x in body.split(",") if x.strip()]
flagged = {}
for r in json.load(open(os.path.join(out, "warden-fixtures.json"))):
    flagged.setdefault("warden", {})[os.path.basename(r["file"])] = r["escalation_paths"]
for tool in ("cloudsplaining", "parliament"):
    for line in open(os.path.join(out, f"{tool}-fixtures.jsonl")):
        r = json.loads(line)
        flagged.setdefault(tool, {})[os.path.basename(r["file"])] = r.get("escalations", [])
pos = [f for f in cases if not f.endswith(".near-miss.json")]
# Near misses in which no path at all is exploitable (some enable other paths on purpose).
neg = [f for f in cases if f.endswith(".near-miss.json") and not cases[f]]
print(f"{'tool':<15} {'positives flagged':>18} {'clean near misses flagged':>26}")
for tool in ("warden", "cloudsplaining", "parliament"):
    got = flagged.get(tool, {})
    tp = sum(1 for f in pos if got.get(f))
    fp = sum(1 for f in neg if got.get(f))
    print(f"{tool:<15} {tp:>8}/{len(pos):<9} {fp:>12}/{len(neg):<13}")
print("(warden is scored per path id against cases.yml by `cargo test -p warden-policy`; here, as for the peers, 'flagged' means any escalation reported)")
PY
