#!/usr/bin/env bash
# Store and `warden ask` benchmark: ingest a corpus into a fresh store
# (events/s, store size per million events), then time each question type
# in-process, offline (p50/p95 over BENCH_ASK_RUNS runs).
#
#   bench/ask/run.sh                          # corpus: bench/corpus (bench/run.sh makes it)
#   BENCH_CORPUS=/tmp/corpus1m bench/ask/run.sh
#   BENCH_SKIP_BUILD=1 bench/ask/run.sh
#
# Writes bench/out/ask.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
corpus=${BENCH_CORPUS:-$root/bench/corpus}
out=${BENCH_OUT:-$root/bench/out}
runs=${BENCH_ASK_RUNS:-30}
warden=$root/target/release/warden
mkdir -p "$out"
[ -d "$corpus" ] || { echo "no corpus at $corpus: run bench/run.sh (or bench/gen_corpus.py) first" >&2; exit 1; }
[ "${BENCH_SKIP_BUILD:-}" = 1 ] || (cd "$root" && cargo build --release -p warden)
store=$(mktemp -d)
trap 'rm -rf "$store"' EXIT

start=$(date +%s.%N)
/usr/bin/time -f '%M' -o "$out/ask-ingest.rss" "$warden" ingest --store "$store" "$corpus" 2> "$out/ask-ingest.log"
end=$(date +%s.%N)
events=$(sqlite3 "$store/warden.db" 'select count(*) from events' 2>/dev/null || python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from events').fetchone()[0])" "$store/warden.db")
bytes=$(du -sb "$store" | cut -f1)
secs=$(python3 -c "print($end - $start)")
rss=$(cat "$out/ask-ingest.rss")

# A principal, an address and an incident that exist in this corpus.
q() { python3 -c "import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone(); print(r[0] if r else '')" "$store/warden.db" "$1"; }
who=$(q "select user_name from events where user_name is not null and user_name not like '%@%' group by user_name order by count(*) desc limit 1")
ip=$(q "select source_ip from events where source_ip like '%.%.%.%' group by source_ip order by count(*) desc limit 1")
inc=$(q "select id from incidents order by level_rank desc limit 1")

{
  echo "# warden store and ask benchmark"
  echo
  echo "Corpus: \`$corpus\`; $(nproc) cores; $(date -u +%Y-%m-%d)."
  echo
  echo "| measure | value |"
  echo "|---|---|"
  printf '| events stored | %s |\n' "$events"
  printf '| ingest time (detection + triage + store) | %.1f s |\n' "$secs"
  printf '| ingest rate | %.0f events/s |\n' "$(python3 -c "print($events / $secs)")"
  printf '| store size | %.1f MB (%.1f MB per million events) |\n' "$(python3 -c "print($bytes / 1e6)")" "$(python3 -c "print($bytes / 1e6 / max($events, 1) * 1e6)")"
  printf '| ingest peak RSS | %.0f MB |\n' "$(python3 -c "print($rss / 1024)")"
  echo
  echo "Offline answer latency, in-process, $runs runs each (plan + queries + answer):"
  echo
  echo "| question type | question | found | p50 ms | p95 ms | max ms |"
  echo "|---|---|---|---|---|---|"
} > "$out/ask.md"

while IFS='|' read -r kind question; do
  line=$("$warden" ask --store "$store" --timing-runs "$runs" -f json "$question" 2>&1 >/dev/null | grep '^timing:' || true)
  found=$(sed -n 's/.*found=\([a-z]*\).*/\1/p' <<<"$line")
  p50=$(sed -n 's/.*p50_ms=\([0-9.]*\).*/\1/p' <<<"$line")
  p95=$(sed -n 's/.*p95_ms=\([0-9.]*\).*/\1/p' <<<"$line")
  max=$(sed -n 's/.*max_ms=\([0-9.]*\).*/\1/p' <<<"$line")
  printf '| %s | %s | %s | %s | %s | %s |\n' "$kind" "$question" "$found" "$p50" "$p95" "$max" >> "$out/ask.md"
done <<EOF2
summarise|summarise the GuardDuty findings of the last 24 hours
summarise (ko)|최근 24시간 동안 무슨 일이 있었어?
actor activity|what did $who do yesterday?
actor activity (ip)|what did $ip do?
who did|which IPs failed console login?
who did (ja)|誰がStopLoggingを呼び出しましたか?
exposure|is anything touching Bedrock logging?
count|how many access denied events yesterday?
top threats|what are the most dangerous incidents this week?
explain incident|explain $inc
search|passport-scan.jpg
EOF2
cat "$out/ask.md"
