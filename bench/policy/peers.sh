#!/usr/bin/env bash
# Run the peer IAM policy analyzers (cloudsplaining, parliament) over a directory of
# policy JSON files; print wall time per tool and how many privilege-escalation
# findings each reports.
#
#   bench/policy/peers.sh DIR            # in-process loop per tool (fast; default)
#   PEERS_MODE=cli bench/policy/peers.sh DIR   # the tools' own CLIs, as a user runs them
#
# Environment:
#   PEERS_VENV   venv holding the tools; created and filled if missing
#                (default bench/out/peers-venv)
#   PEERS_PIP    what to pip install there (default: parliament==1.6.4 cloudsplaining==0.9.1)
#   PEERS_CPU    CPU to pin each tool to with taskset (default 0; empty = no pinning)
#   PEERS_MODE   lib (default) or cli
#   PEERS_OUT    where per-tool outputs go (default bench/out/peers)
#
# lib mode: bench/policy/peer_escalation.py --tool T, one process per tool, every file
#   analyzed in-process; writes $PEERS_OUT/<tool>.jsonl ({"file","tool","escalations"}).
# cli mode: parliament --include-community-auditors --json --directory DIR (one process),
#   and cloudsplaining scan-policy-file --input-file F once per file (a Python start-up
#   each: ~1 s per policy). Counts PRIVILEGE_ESCALATION findings / "- Method:" lines.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
dir="${1:?usage: peers.sh DIR-OF-POLICY-JSON}"
[ -d "$dir" ] || { echo "error: $dir is not a directory" >&2; exit 2; }
dir="$(cd "$dir" && pwd)"
venv="${PEERS_VENV:-$repo/bench/out/peers-venv}"
pip_spec="${PEERS_PIP:-parliament==1.6.4 cloudsplaining==0.9.1}"
cpu="${PEERS_CPU-0}"
mode="${PEERS_MODE:-lib}"
out="${PEERS_OUT:-$repo/bench/out/peers}"
mkdir -p "$out"

if [ ! -x "$venv/bin/cloudsplaining" ] || [ ! -x "$venv/bin/parliament" ]; then
    echo "installing $pip_spec into $venv ..." >&2
    python3 -m venv "$venv"
    # shellcheck disable=SC2086
    "$venv/bin/pip" install --quiet $pip_spec
fi
py="$venv/bin/python"
pin=()
if [ -n "$cpu" ] && command -v taskset >/dev/null; then pin=(taskset -c "$cpu"); fi

n_files=$(find "$dir" -name '*.json' -type f | wc -l)
versions=$("$py" -c 'import importlib.metadata as m; print(", ".join(f"{p} {m.version(p)}" for p in ("cloudsplaining","parliament","policy_sentry")))')
echo "policies: $n_files files in $dir"
echo "tools:    $versions (mode $mode${pin:+, pinned to CPU $cpu})"
printf '%-15s %9s %8s %12s %10s %7s\n' tool wall_s files files_w_esc esc_paths errors

summarize_jsonl() { # tool file.jsonl wall
    "$py" - "$1" "$2" "$3" <<'EOF'
import json, sys
tool, path, wall = sys.argv[1], sys.argv[2], float(sys.argv[3])
files = hit = paths = err = 0
for line in open(path):
    r = json.loads(line)
    files += 1
    hit += bool(r["escalations"])
    paths += len(r["escalations"])
    err += "error" in r
print(f"{tool:<15} {wall:9.2f} {files:8d} {hit:12d} {paths:10d} {err:7d}")
EOF
}

now() { date +%s.%N; }

if [ "$mode" = lib ]; then
    for tool in cloudsplaining parliament; do
        t0=$(now)
        "${pin[@]}" "$py" "$here/peer_escalation.py" "$dir" --tool "$tool" --out "$out/$tool.jsonl" 2>"$out/$tool.log"
        t1=$(now)
        summarize_jsonl "$tool" "$out/$tool.jsonl" "$(echo "$t1 - $t0" | bc)"
    done
elif [ "$mode" = cli ]; then
    # parliament: one process over the directory. It prints nothing until it has read every
    # file, and one exception (e.g. "Unknown data format: ArrayOfARN") aborts the whole run.
    t0=$(now)
    set +e
    "${pin[@]}" "$venv/bin/parliament" --include-community-auditors --json --directory "$dir" \
        </dev/null >"$out/parliament-cli.jsonl" 2>"$out/parliament-cli.err"
    rc=$?
    set -e
    t1=$(now)
    read -r hit paths <<<"$("$py" - "$out/parliament-cli.jsonl" <<'EOF'
import json, sys
files, n = set(), 0
for line in open(sys.argv[1]):
    f = json.loads(line)
    if f["issue"] == "PRIVILEGE_ESCALATION":
        n += 1
        files.add(f["location"].get("filepath"))
print(len(files), n)
EOF
)"
    errs=0
    if grep -q Traceback "$out/parliament-cli.err"; then errs=1; fi  # exit 1 means "findings" too
    printf '%-15s %9.2f %8d %12d %10d %7s\n' parliament "$(echo "$t1 - $t0" | bc)" "$n_files" "$hit" "$paths" \
        "$([ "$errs" = 1 ] && echo "ABORTED" || echo 0)"
    if [ "$errs" = 1 ]; then
        echo "  parliament aborted (exit $rc): $(grep -v '^ ' "$out/parliament-cli.err" | grep -m1 -E 'Error|Exception')" >&2
    fi

    # cloudsplaining: one process per policy file.
    t0=$(now)
    : >"$out/cloudsplaining-cli.counts"
    while IFS= read -r -d '' f; do
        n=$("${pin[@]}" "$venv/bin/cloudsplaining" scan-policy-file --input-file "$f" 2>/dev/null </dev/null \
            | grep -c '^- Method: ' || true)
        printf '%s %s\n' "${f#"$dir"/}" "$n" >>"$out/cloudsplaining-cli.counts"
    done < <(find "$dir" -name '*.json' -type f -print0 | sort -z)
    t1=$(now)
    awk -v wall="$(echo "$t1 - $t0" | bc)" '{f++; p+=$2; if ($2>0) h++} END {printf "%-15s %9.2f %8d %12d %10d %7d\n", "cloudsplaining", wall, f, h, p, 0}' \
        "$out/cloudsplaining-cli.counts"
else
    echo "error: PEERS_MODE must be lib or cli" >&2
    exit 2
fi
echo "outputs in $out"
