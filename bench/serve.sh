#!/bin/sh
# bench/serve.sh - throughput and latency of `dyad serve` (never part of make test): requests/s and p99
# latency of /api/series and /api/events on a store of one million events, with wrk on loopback.
#   1. a Release build (build/serve-bench), and bench/store_gen.c filling a store with synthetic stories and
#      events (2024-2025, 60 actor codes, skewed) until it holds EVENTS events; the database is kept in
#      build/serve-bench/bench-EVENTS.db and reused by later runs;
#   2. wrk (Debian's package, installed here when missing) against `dyad serve --listen 127.0.0.1:0`: each
#      run is bounded in time (DURATION seconds) and in count (MAX requests per wrk thread, by a Lua script);
#      loopback only.
# Usage: sh bench/serve.sh [EVENTS] [DURATION] [CONNECTIONS]   (default 1000000, 15, 32)
set -eu
NEV=${1:-1000000}
DUR=${2:-15}
CONN=${3:-32}
MAX=200000
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B="$ROOT/build/serve-bench"
T=$(mktemp -d)
SPID=""
trap '[ -n "$SPID" ] && kill "$SPID" 2>/dev/null; rm -rf "$T"' EXIT
if ! command -v wrk >/dev/null 2>&1; then
    echo "bench: installing wrk (Debian)" >&2
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get install -y -qq wrk >/dev/null 2>&1 || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk >/dev/null; }
fi
cmake -S "$ROOT" -B "$B" -DCMAKE_BUILD_TYPE=Release -DDYAD_BIN_DIR="$B/bin" >/dev/null
cmake --build "$B" -j "$(nproc)" --target dyad dyadstore >/dev/null
DYAD="$B/bin/dyad"
DB="$B/bench-$NEV.db"
if [ ! -f "$DB" ] || [ "$(sqlite3 "$DB" 'SELECT count(*) FROM events' 2>/dev/null)" != "$NEV" ]; then
    rm -f "$DB" "$DB-wal" "$DB-shm"
    cc -O2 -I "$ROOT/include" -o "$T/store_gen" "$ROOT/bench/store_gen.c" "$B/libdyadstore.a" "$B/libdyad.a" \
        $(pkg-config --libs sqlite3 libutf8proc) -lm
    echo "bench: filling $DB with $NEV events (store_gen, 10 events a story)" >&2
    "$T/store_gen" "$DB" $((NEV / 10)) 10 1000 >&2
    sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;' >/dev/null
fi
echo "store: $(sqlite3 "$DB" 'SELECT count(*) FROM events') events, $(($(stat -c %s "$DB") / 1000000)) MB, $(nproc) cores"

"$DYAD" serve --db "$DB" --listen 127.0.0.1:0 2>"$T/serve.err" &
SPID=$!
PORT=""
for _ in $(seq 1 100); do
    PORT=$(sed -n 's|^dyad serve: listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$T/serve.err")
    [ -n "$PORT" ] && break
    sleep 0.1
done
[ -n "$PORT" ] || { cat "$T/serve.err"; exit 1; }
head -1 "$T/serve.err"
U="http://127.0.0.1:$PORT"

# at most MAX requests per wrk thread, then the thread stops (and DURATION bounds the run)
cat >"$T/bounded.lua" <<EOF
local n = 0
response = function(status, headers, body)
    if status ~= 200 then print("status " .. status) end
    n = n + 1
    if n >= $MAX then wrk.thread:stop() end
end
EOF

run() { # run NAME PATH
    sleep 3 # let the server finish the previous run's queued requests
    sz=$(curl -s -o "$T/one" -w '%{size_download} bytes, %{time_total} s alone' "$U$2")
    wrk -t 2 -c "$CONN" -d "${DUR}s" --timeout 10s --latency -s "$T/bounded.lua" "$U$2" >"$T/wrk.out" 2>&1
    rps=$(awk '/^Requests\/sec/ {print $2}' "$T/wrk.out")
    p50=$(awk '$1 == "50%" {print $2}' "$T/wrk.out")
    p99=$(awk '$1 == "99%" {print $2}' "$T/wrk.out")
    n=$(awk '/requests in/ {print $1}' "$T/wrk.out")
    bad=$(grep -c '^status' "$T/wrk.out" || true)
    printf '%-58s %9s req/s  p50 %8s  p99 %8s  (%s requests, %s non-200; one response: %s)\n' "$1" "$rps" "$p50" "$p99" "$n" "$bad" "$sz"
}
echo "wrk: 2 threads, $CONN connections, ${DUR} s or $MAX requests a thread, loopback"
run "series a=USA b=IRN by=week both=1 (prefixes)" "/api/series?a=USA&b=IRN&by=week&both=1"
run "series a=USAGOV b=IRNGOV by=day (2 years of days)" "/api/series?a=USAGOV&b=IRNGOV&by=day"
run "series a=RUS by=month (against everyone)" "/api/series?a=RUS&by=month"
run "events dyad=USA,IRN limit=100" "/api/events?dyad=USA,IRN&limit=100"
run "events dyad=USAGOV,IRNGOV 2025-06 limit=100" "/api/events?dyad=USAGOV,IRNGOV&from=2025-06-01&to=2025-06-30&limit=100"
run "events actor=IRN cameo=19 limit=20 offset=200" "/api/events?actor=IRN&cameo=19&limit=20&offset=200"
run "openapi.json (no database: the server's own cost)" "/api/openapi.json"
