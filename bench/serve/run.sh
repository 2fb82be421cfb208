#!/usr/bin/env bash
# `warden serve` load test with wrk on 127.0.0.1: requests/s and p99 for a
# policy check and the incident list, over a store of the sample day.
# Targets (issue 7, 2 cores): policy check >= 2,000 req/s with p99 <= 20 ms;
# Slack acknowledgement p99 <= 100 ms while answers are being generated.
#
#   bench/serve/run.sh                 # builds release first
#   BENCH_SKIP_BUILD=1 BENCH_SECS=10 bench/serve/run.sh
#
# Writes bench/out/serve.md. Needs wrk (apt-get install wrk).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${BENCH_OUT:-$root/bench/out}
secs=${BENCH_SECS:-10}
conns=${BENCH_CONNS:-32}
warden=$root/target/release/warden
mkdir -p "$out"
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 1; }
[ "${BENCH_SKIP_BUILD:-}" = 1 ] || (cd "$root" && cargo build --release -p warden)
store=$(mktemp -d)
log=$(mktemp)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$store" "$log" "${slack_body:-}"' EXIT
"$warden" ingest --store "$store" "$root/samples/data" 2>/dev/null
export WRK_TOKEN=$("$warden" tokens create --store "$store" --name bench --role analyst 2>/dev/null)
# Slack: answers go to a closed local port, so each acknowledged command
# still runs its answer in the background while wrk measures the acks.
export SLACK_SIGNING_SECRET=bench-secret WARDEN_SLACK_API_URL=http://127.0.0.1:9/api
SLACK_BOT_TOKEN= "$warden" serve --store "$store" --listen 127.0.0.1:0 --rate-limit 1000000 2> "$log" &
pid=$!
for _ in $(seq 50); do grep -q 'listening on' "$log" && break; sleep 0.1; done
addr=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$log")
[ -n "$addr" ] || { cat "$log" >&2; exit 1; }

slack_body=$(mktemp)
printf 'token=x&team_id=T1&user_id=U1&command=%%2Fask-aws&text=who+deleted+the+trail+yesterday%%3F&response_url=http%%3A%%2F%%2F127.0.0.1%%3A9%%2Fresp' > "$slack_body"
export WRK_SLACK_TS=$(date +%s)
export WRK_SLACK_SIG=$(python3 -c 'import hmac,hashlib,sys; print("v0="+hmac.new(b"bench-secret", b"v0:"+sys.argv[1].encode()+b":"+open(sys.argv[2],"rb").read(), hashlib.sha256).hexdigest())' "$WRK_SLACK_TS" "$slack_body")

run() { # name, path, script [body file]
  local r
  r=$(WRK_BODY_FILE="${4:-$here/policy.json}" wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$here/$3" "$addr$2")
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$r")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$r")
  local errs
  errs=$(awk '/Non-2xx/ {print $5}' <<<"$r")
  printf '| %s | %s | %s | %s |\n' "$1" "$rps" "$p99" "${errs:-0}"
}
{
  echo "# warden serve load test"
  echo
  echo "wrk, $conns connections, 2 threads, ${secs} s each; server and wrk share $(nproc) cores; $(date -u +%Y-%m-%d)."
  echo
  echo "| request | requests/s | p99 | non-2xx |"
  echo "|---|---|---|---|"
  run "POST /api/policy/check (3 statements)" /api/policy/check post.lua
  run "GET /api/incidents" /api/incidents get.lua
  run "POST /slack/commands (ack; answers generated meanwhile)" /slack/commands slack.lua "$slack_body"
  run "GET /health (no auth, baseline)" /health get.lua
} > "$out/serve.md"
cat "$out/serve.md"
