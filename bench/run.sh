#!/usr/bin/env bash
# warden throughput benchmark: one command, same files for every tool.
#
#   bench/run.sh                       # build, generate corpus if needed, measure
#   BENCH_EVENTS=20000 bench/run.sh    # small corpus (quick check)
#   BENCH_SKIP_BUILD=1 bench/run.sh    # use the binaries already built
#
# Environment:
#   BENCH_EVENTS      corpus size in events (default: 1,000,000 and >= 1 GiB of JSON)
#   BENCH_SKIP_BUILD  1 = do not run cargo
#   BENCH_REPEAT      runs per tool, the fastest is kept (default 1)
#   BENCH_THREADS     thread count for the "all cores" run (default: nproc)
#   BENCH_RULES       Sigma rules for the peer (default: <repo>/rules)
#   BENCH_WARDEN_ARGS extra arguments for both warden runs, e.g.
#                     "--no-builtin --rules /some/dir" (default: none)
#   BENCH_CORPUS      corpus directory (default: bench/corpus)
#   BENCH_OUT         results directory (default: bench/out)
#
# Writes bench/out/results.md (plus each run's stderr and timing files).
# See bench/README.md for what is measured and how to read it.
set -uo pipefail
export LC_ALL=C

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
CORPUS=${BENCH_CORPUS:-$BENCH_DIR/corpus}
OUT=${BENCH_OUT:-$BENCH_DIR/out}
RULES=${BENCH_RULES:-$ROOT/rules}
REPEAT=${BENCH_REPEAT:-1}
NPROC=$(nproc)
THREADS_ALL=${BENCH_THREADS:-$NPROC}
WARDEN=$ROOT/target/release/warden
read -r -a WARDEN_ARGS <<< "${BENCH_WARDEN_ARGS:-}"
PEER_TARGET=$ROOT/target/bench-peer
PEER=$PEER_TARGET/release/sigma-rust-peer
TIME=/usr/bin/time

say() { printf '\n== %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

[[ -x $TIME ]] || die "$TIME not found (GNU time is needed for peak RSS: apt-get install time)"
command -v python3 >/dev/null || die "python3 not found"
command -v zcat >/dev/null || die "zcat not found (gzip package)"
mkdir -p "$OUT"

# ---------------------------------------------------------------- (a) build
if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
    say "building warden (release)"
    if ! (cd "$ROOT" && cargo build --release -p warden); then
        echo "bench: warden build failed; continuing without it" >&2
    fi
    say "building sigma-rust-peer (release, target dir $PEER_TARGET)"
    if ! CARGO_TARGET_DIR=$PEER_TARGET cargo build --release \
            --manifest-path "$BENCH_DIR/sigma-rust-peer/Cargo.toml"; then
        echo "bench: sigma-rust-peer build failed; continuing without it" >&2
    fi
fi

# ---------------------------------------------------------------- (b) corpus
manifest=$CORPUS/MANIFEST.json
corpus_ok() {
    [[ -f $manifest ]] || return 1
    python3 - "$manifest" "${BENCH_EVENTS:-}" "$BENCH_DIR/gen_corpus.py" <<'PY'
import hashlib, json, sys
m = json.load(open(sys.argv[1]))
want = sys.argv[2]
sha = hashlib.sha256(open(sys.argv[3], "rb").read()).hexdigest()
if m.get("generator_sha256") != sha:
    sys.exit(1)          # generator changed since the corpus was made
if want:
    ok = m.get("requested_events") == int(want) and m.get("min_bytes") == 0
else:
    ok = m.get("requested_events") == 1_000_000 and m.get("min_bytes", 0) >= 1 << 30
sys.exit(0 if ok else 1)
PY
}
if corpus_ok; then
    say "corpus: reusing $CORPUS"
else
    say "corpus: generating in $CORPUS"
    gen_args=(--out "$CORPUS")
    [[ -n ${BENCH_EVENTS:-} ]] && gen_args+=(--events "$BENCH_EVENTS")
    python3 "$BENCH_DIR/gen_corpus.py" "${gen_args[@]}" || die "corpus generation failed"
fi
DATA=$CORPUS/$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("data_dir","AWSLogs"))' "$manifest")
[[ -d $DATA ]] || die "no data directory $DATA"
LIST=$OUT/files.list
find "$DATA" -type f -name '*.json.gz' -print0 | sort -z > "$LIST"
nfiles=$(tr -cd '\0' < "$LIST" | wc -c)
(( nfiles > 0 )) || die "no *.json.gz files under $DATA"

# Warm the page cache so every tool reads the files from memory.
xargs -0 -a "$LIST" cat > /dev/null

# ---------------------------------------------------------------- (c) measure
now() { if [[ -n ${EPOCHREALTIME:-} ]]; then echo "$EPOCHREALTIME"; else date +%s.%N; fi; }

# run NAME CMD... : runs CMD REPEAT times under GNU time (for peak RSS; wall
# time is taken around it with microsecond resolution), stdout to /dev/null,
# stderr to $OUT/NAME.stderr; writes "seconds maxrss_kb rc" of the fastest
# successful run to $OUT/NAME.result.
run() {
    local name=$1; shift
    local best="" i rc t t0 t1
    rm -f "$OUT/$name.result"
    for ((i = 1; i <= REPEAT; i++)); do
        t0=$(now)
        "$TIME" -f '%M' -o "$OUT/$name.time" "$@" > /dev/null 2> "$OUT/$name.stderr.tmp"
        rc=$?
        t1=$(now)
        t="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }') $(tail -n 1 "$OUT/$name.time")"
        if [[ $rc -ne 0 ]]; then
            echo "bench: $name exited with status $rc (stderr: $OUT/$name.stderr)" >&2
            mv "$OUT/$name.stderr.tmp" "$OUT/$name.stderr"
            echo "$t $rc" > "$OUT/$name.result"
            return
        fi
        if [[ -z $best ]] || awk -v a="${t%% *}" -v b="${best%% *}" 'BEGIN { exit !(a < b) }'; then
            best=$t
            mv "$OUT/$name.stderr.tmp" "$OUT/$name.stderr"
        fi
        printf '   %-14s run %d: %s s, %s KB peak RSS\n' "$name" "$i" "${t%% *}" "${t##* }" >&2
    done
    rm -f "$OUT/$name.stderr.tmp"
    echo "$best 0" > "$OUT/$name.result"
}

rm -f "$OUT"/*.result
say "zcat (one process, one core) over $nfiles files"
run zcat xargs -0 -a "$LIST" zcat --

if [[ -x $WARDEN ]]; then
    say "warden detect --threads 1"
    run warden-1t "$WARDEN" detect --threads 1 --format ndjson "${WARDEN_ARGS[@]}" "$DATA"
    say "warden detect --threads $THREADS_ALL"
    run warden-all "$WARDEN" detect --threads "$THREADS_ALL" --format ndjson "${WARDEN_ARGS[@]}" "$DATA"
else
    say "warden not built ($WARDEN missing): skipping warden runs"
fi

if [[ -x $PEER ]]; then
    [[ -d $RULES ]] || echo "bench: rules directory $RULES not found" >&2
    say "sigma-rust-peer --rules $RULES"
    run peer "$PEER" --rules "$RULES" --quiet "$DATA"
else
    say "sigma-rust-peer not built ($PEER missing): skipping peer run"
fi

# ---------------------------------------------------------------- (d) report
python3 - "$OUT" "$manifest" "$THREADS_ALL" "$NPROC" "$RULES" "$ROOT" <<'PY'
import json, os, platform, re, subprocess, sys, datetime
out, manifest_path, threads_all, nproc, rules, root = sys.argv[1:7]
m = json.load(open(manifest_path))
events, nbytes = m["events"], m["uncompressed_bytes"]

def result(name):
    p = os.path.join(out, name + ".result")
    if not os.path.exists(p):
        return None
    sec, rss_kb, rc = open(p).read().split()
    return float(sec), int(rss_kb), int(rc)

def stderr(name):
    p = os.path.join(out, name + ".stderr")
    return open(p, errors="replace").read() if os.path.exists(p) else ""

rows = [("zcat", "zcat (1 core)"),
        ("warden-1t", "warden detect --threads 1"),
        ("warden-all", "warden detect --threads %s" % threads_all),
        ("peer", "sigma-rust-peer (1 core)")]
res = {k: result(k) for k, _ in rows}
z = res["zcat"]
zsec = z[0] if z and z[2] == 0 else None

def fmt_row(key, label):
    r = res[key]
    if r is None:
        why = "warden not built" if key.startswith("warden") else "not run"
        return "| %s | %s | | | | |" % (label, why)
    sec, rss, rc = r
    if rc != 0:
        return "| %s | FAILED (exit %d) | | | | |" % (label, rc)
    sec = max(sec, 0.001)
    ratio = "%.2f×" % (zsec / sec) if zsec else "n/a"
    return "| %s | %.3f | %s | %.1f | %.1f | %s |" % (
        label, sec, format(int(events / sec), ","), nbytes / 1e6 / sec, rss / 1024, ratio)

def ok(r):
    return r is not None and r[2] == 0

lines = []
lines.append("# warden throughput benchmark")
lines.append("")
try:
    rev = subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip() or "none"
except OSError:
    rev = "none"
cpu = "unknown"
try:
    for l in open("/proc/cpuinfo"):
        if l.startswith("model name"):
            cpu = l.split(":", 1)[1].strip()
            break
except OSError:
    pass
lines.append("- date: %s; commit: %s" % (datetime.datetime.now().strftime("%Y-%m-%d %H:%M"), rev))
lines.append("- machine: %s, %s cores, %s" % (cpu, nproc, platform.platform()))
lines.append("- corpus: %d files, %s events, %.1f MB uncompressed, %.1f MB gzipped, avg %.0f B/event, %d event names"
             % (m["files"], format(events, ","), nbytes / 1e6, m["compressed_bytes"] / 1e6,
                nbytes / events, m.get("distinct_event_names", 0)))
lines.append("- MB = 10^6 bytes of uncompressed JSON; events/s and MB/s are corpus totals divided by wall time;"
             " peak RSS from GNU time (%M)")
lines.append("")
lines.append("| tool | seconds | events/s | MB/s | peak RSS MB | × zcat |")
lines.append("|---|---:|---:|---:|---:|---:|")
for k, label in rows:
    lines.append(fmt_row(k, label))
lines.append("")

w1, wa, pr = res["warden-1t"], res["warden-all"], res["peer"]
if ok(w1) and ok(pr):
    lines.append("warden (1 thread) / sigma-rust-peer: **%.2f×**" % (pr[0] / max(w1[0], 0.001)))
    lines.append("")

# Targets from the benchmark issue.
checks = []
def check(label, cond, detail):
    checks.append("- [%s] %s (%s)" % ("x" if cond else " ", label, detail))
if zsec and ok(w1):
    r = zsec / max(w1[0], 0.001)
    check("single thread ≥ 0.8× zcat", r >= 0.8, "%.2f×" % r)
if zsec and ok(wa):
    r = zsec / max(wa[0], 0.001)
    check("all cores > 1× zcat", r > 1.0, "%.2f×" % r)
if ok(w1) and ok(pr):
    r = pr[0] / max(w1[0], 0.001)
    check("≥ 5× the sigma-rust pipeline, one core each", r >= 5.0, "%.2f×" % r)
for key in ("warden-1t", "warden-all"):
    if ok(res[key]):
        mb = res[key][1] / 1024
        check("peak RSS ≤ 100 MB (%s)" % key, mb <= 100, "%.1f MB" % mb)
if checks:
    lines.append("Targets:")
    lines.extend(checks)
    lines.append("")

pe = stderr("peer")
mm = re.search(r"events=(\d+) matches=(\d+) rules_loaded=(\d+) rules_skipped=(\d+)(?: rules_applied=(\d+))?", pe)
if mm:
    pev, pmatch, ploaded, pskipped, papplied = mm.groups()
    lines.append("sigma-rust-peer: %s events, %s matches; rules from %s: %s loaded (%s applied to CloudTrail), %s skipped as unparseable by sigma-rust"
                 % (format(int(pev), ","), pmatch, rules, ploaded, papplied or "?", pskipped))
    if int(pev) != events:
        lines.append("**warning: the peer saw %s events, the manifest says %s**" % (pev, events))
    st = re.search(r"stages: .*", pe)
    if st:
        lines.append("sigma-rust-peer " + st.group(0))
    lines.append("")
for key in ("warden-1t", "warden-all"):
    s = stderr(key).strip()
    if ok(res[key]):
        # Cross-check that warden really read the corpus: look for an event
        # count in its summary.
        counts = [int(x.replace(",", "").replace("_", "")) for x in
                  re.findall(r"(?i)(\d[\d,_]*)\s+(?:events|records)\b", s) +
                  re.findall(r"(?i)\b(?:events|records)\s*[=:]\s*(\d[\d,_]*)", s)]
        if not counts:
            lines.append("**%s: its summary states no event count; cannot check it read all %s events**"
                         % (key, format(events, ",")))
        elif events not in counts:
            lines.append("**warning: %s reports %s events, the manifest says %s**"
                         % (key, "/".join(format(c, ",") for c in counts), format(events, ",")))
        if zsec and res[key][0] < zsec * 0.05:
            lines.append("**warning: %s finished in %.3f s, under 5%% of zcat's time: did it read the files?**"
                         % (key, res[key][0]))
    if s:
        tail = s.splitlines()[-3:]
        lines.append("%s stderr (last lines):" % key)
        lines.append("```")
        lines.extend(tail)
        lines.append("```")
        lines.append("")

text = "\n".join(lines)
open(os.path.join(out, "results.md"), "w").write(text + "\n")
print()
print(text)
print("(written to %s)" % os.path.join(out, "results.md"))
PY
