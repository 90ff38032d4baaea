#!/usr/bin/env bash
# Load test of the archive as bin/run serves it, on loopback only.
#
#   bench/load/run.sh            # defaults below; results in bench/out/load-<time>/
#
# LOAD_SECONDS (20) per run, LOAD_CONNECTIONS (8), LOAD_MAX_REQUESTS (20000 per
# run, a hard cap besides the time), LOAD_PORT (8077), LOAD_VAR_DIR (a scratch
# archive, /tmp/phnews-load; point it at a prepared PHNEWS_VAR_DIR to test a
# bigger archive — bin/run adds the sample pages to it). GUNICORN_WORKERS as usual.
#
# LOAD_KINDS (all of them) picks the per-kind runs; LOAD_HEAVY_CONNECTIONS (4,
# 0 to skip) the clients sending heavy searches; LOAD_CRAWL_CONNECTIONS (4, 0
# to skip) the clients asking for sitemaps, feeds and JSON lists.
#
# Runs: a warm-up (not recorded), the mix of home, calendar, issue, article,
# person and search requests, then each kind alone, then heavy searches alone
# and beside the mix (with a /healthz probe). Needs wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/../.."
. bin/lib/common.sh

SECS=${LOAD_SECONDS:-20}
CONNECTIONS=${LOAD_CONNECTIONS:-8}
THREADS=2
MAX_REQUESTS=${LOAD_MAX_REQUESTS:-20000}
KINDS=${LOAD_KINDS:-mix home calendar issue article person search}
HEAVY_CONNECTIONS=${LOAD_HEAVY_CONNECTIONS:-4}
CRAWL_CONNECTIONS=${LOAD_CRAWL_CONNECTIONS:-4}
PORT=${LOAD_PORT:-8077}
TARGET="http://127.0.0.1:$PORT"   # loopback only, by construction
command -v wrk >/dev/null || die "wrk not found (apt-get install wrk)"
[ "$SECS" -le 300 ] || die "LOAD_SECONDS is capped at 300"

OUT="bench/out/load-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
export PHNEWS_VAR_DIR=${LOAD_VAR_DIR:-/tmp/phnews-load}
export GUNICORN_BIND="127.0.0.1:$PORT"
unset DATABASE_URL

say "starting the archive with bin/run on $TARGET (log: $OUT/server.log)"
bin/run >"$OUT/server.log" 2>&1 &
SERVER=$!   # bin/run execs gunicorn: this is the gunicorn master
trap 'kill -TERM $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do
    curl -fsS -o /dev/null "$TARGET/healthz" 2>/dev/null && break
    kill -0 $SERVER 2>/dev/null || { tail -20 "$OUT/server.log" >&2; die "the server did not start"; }
    sleep 0.5
done
curl -fsS "$TARGET/healthz" >"$OUT/healthz.json" || die "/healthz does not answer 200"

"$PY" bench/load/urls.py "$OUT/urls.tsv"

run_wrk() {  # kind seconds [connections [label]]
    local connections=${3:-$CONNECTIONS} threads=$THREADS
    [ "$connections" -ge "$threads" ] || threads=$connections
    LOAD_URLS="$OUT/urls.tsv" LOAD_KIND=$1 LOAD_LABEL=${4:-$1} LOAD_MAX_PER_THREAD=$((MAX_REQUESTS / threads)) \
        wrk -t$threads -c"$connections" -d"$2s" --timeout 10s -s bench/load/mix.lua "$TARGET" | tail -1
}

say "warm-up"
run_wrk mix 5 >/dev/null
: >"$OUT/results.jsonl"
for kind in $KINDS; do
    say "$kind: ${SECS}s, $CONNECTIONS connections"
    run_wrk "$kind" "$SECS" | tee -a "$OUT/results.jsonl"
done

# Heavy queries (as long as allowed, of common text) from HEAVY_CONNECTIONS
# clients while the normal mix and a health probe run beside them: what
# readers of ordinary pages see while someone hammers the search.
if [ "$HEAVY_CONNECTIONS" -gt 0 ]; then
    say "heavy searches alone: ${SECS}s, $HEAVY_CONNECTIONS connections"
    run_wrk heavy "$SECS" "$HEAVY_CONNECTIONS" | tee -a "$OUT/results.jsonl"
    say "mix ($CONNECTIONS connections) beside heavy searches ($HEAVY_CONNECTIONS) and /healthz (1): ${SECS}s"
    run_wrk heavy "$SECS" "$HEAVY_CONNECTIONS" "heavy (beside mix)" >"$OUT/heavy-beside.json" &
    HEAVY=$!
    run_wrk healthz "$SECS" 1 "healthz (beside heavy)" >"$OUT/healthz-beside.json" &
    PROBE=$!
    run_wrk mix "$SECS" "$CONNECTIONS" "mix (beside heavy)" | tee -a "$OUT/results.jsonl"
    wait $HEAVY $PROBE
    cat "$OUT/heavy-beside.json" "$OUT/healthz-beside.json" | tee -a "$OUT/results.jsonl"
fi

# Crawlers and feed readers (sitemap pages, feeds, JSON lists) beside the mix:
# pages whose cost could grow with the archive must not slow ordinary ones.
if [ "$CRAWL_CONNECTIONS" -gt 0 ]; then
    say "mix ($CONNECTIONS connections) beside sitemap/feed clients ($CRAWL_CONNECTIONS): ${SECS}s"
    run_wrk crawl "$SECS" "$CRAWL_CONNECTIONS" "crawl (beside mix)" >"$OUT/crawl-beside.json" &
    CRAWL=$!
    run_wrk mix "$SECS" "$CONNECTIONS" "mix (beside crawl)" | tee -a "$OUT/results.jsonl"
    wait $CRAWL
    cat "$OUT/crawl-beside.json" | tee -a "$OUT/results.jsonl"
fi

# Worker memory after the runs (resident set, MB): gunicorn's children, not
# the index writer (search_sync), which bin/run also started under this pid.
workers=$(pgrep -P $SERVER -f gunicorn || true)
# RSS (as ps shows it) is the worker's own memory plus the pages of mapped
# files it has touched (libraries, shared with every process); PSS shares
# those out between the processes mapping them; USS is what only this worker
# holds, what stopping it would give back. All from /proc/PID/smaps_rollup.
for pid in $workers; do
    "$PY" - "$pid" <<'PYEOF'
import json, sys
pid = sys.argv[1]
rollup = {}
for line in open(f"/proc/{pid}/smaps_rollup"):
    name, _, value = line.partition(":")
    if value.strip().endswith("kB"):
        rollup[name] = int(value.split()[0]) / 1024
uss = rollup["Private_Clean"] + rollup["Private_Dirty"]
print(json.dumps({"worker": int(pid), "rss_mb": round(rollup["Rss"], 1), "anon_mb": round(rollup["Anonymous"], 1),
                  "file_mb": round(rollup["Rss"] - rollup["Anonymous"], 1), "pss_mb": round(rollup["Pss"], 1),
                  "uss_mb": round(uss, 1)}))
PYEOF
done >"$OUT/memory.jsonl"
cat "$OUT/memory.jsonl"
"$PY" - "$OUT" "$CONNECTIONS" <<'PYEOF'
import json, os, sys
out, connections = sys.argv[1], sys.argv[2]
rows = [json.loads(line) for line in open(f"{out}/results.jsonl")]
memory = [json.loads(line) for line in open(f"{out}/memory.jsonl")]
print(f"\n{len(memory)} workers, {connections} connections, {os.cpu_count()} cores")
print("| requests | count | req/s | p50 ms | p95 ms | p99 ms | max ms | refused busy | over budget | errors |")
print("|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    errors = r["non_200"] + r["socket_errors"]
    print(f"| {r['kind']} | {r['requests']} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | "
          f"{r['p99_ms']:.1f} | {r['max_ms']:.0f} | {r['busy']} | {r['over_budget']} | {errors} |")
by_kind = {r["kind"]: r for r in rows}
for label in ("heavy", "heavy (beside mix)"):
    if label in by_kind:
        r = by_kind[label]
        admitted = r["requests"] - r["busy"]
        print(f"\n{label}: {r['requests']} sent, {admitted} admitted ({admitted - r['over_budget']} answered, "
              f"{r['over_budget']} stopped by the budget), {r['busy']} refused busy (503)")
alone = by_kind.get("mix")
for other in ("heavy", "crawl"):
    beside = by_kind.get(f"mix (beside {other})")
    if alone and beside:
        print(f"mix beside {other} / mix alone: p50 {beside['p50_ms'] / alone['p50_ms']:.2f}x, "
              f"p95 {beside['p95_ms'] / alone['p95_ms']:.2f}x, req/s {beside['rps'] / alone['rps']:.2f}x")
rss = [m["rss_mb"] for m in memory]
print(f"\nworker RSS: {min(rss):.0f}–{max(rss):.0f} MB each, {sum(rss):.0f} MB total")
for m in memory:
    print(f"  worker {m['worker']}: RSS {m['rss_mb']:.0f} MB = own {m['anon_mb']:.0f} + mapped files {m['file_mb']:.0f}; "
          f"PSS {m['pss_mb']:.0f} MB; USS {m['uss_mb']:.0f} MB")
total_errors = sum(r["non_200"] + r["socket_errors"] for r in rows)
sys.exit(1 if total_errors else 0)
PYEOF
