#!/bin/sh
# bench/trend.sh - how fast `dyad trend` answers on a large store (never part of make test).
# Builds a Release dyad and bench/store_gen.c, fills a store with synthetic events through the store API
# (60 actor codes, skewed; 10 events a story; dates over two years), then times, best and median of 5 runs of
# the whole process: dyad trend USA IRN (prefixes: 9 dyads of full codes), --both --by week, USAGOV IRNGOV,
# and USA against everyone; and dyad top and dyad alerts once.
# Usage: sh bench/trend.sh [EVENTS] [DB]   (default 10000000 events; DB kept when given, reused if it exists)
set -eu
NEV=${1:-10000000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B="$ROOT/build/trend-bench"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
DB=${2:-$T/big.db}
cmake -S "$ROOT" -B "$B" -DCMAKE_BUILD_TYPE=Release -DDYAD_BIN_DIR="$B/bin" > /dev/null
cmake --build "$B" -j "$(nproc)" --target dyad dyadstore > /dev/null
DYAD="$B/bin/dyad"
if [ ! -s "$DB" ]; then
    cc -O2 -I "$ROOT/include" -o "$T/store_gen" "$ROOT/bench/store_gen.c" "$B/libdyadstore.a" "$B/libdyad.a" \
        $(pkg-config --libs sqlite3 libutf8proc) -lm
    PER=10
    echo "store_gen: $((NEV / PER)) stories x $PER events"
    "$T/store_gen" "$DB" $((NEV / PER)) "$PER" 2000
    sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE);' > /dev/null
fi
echo "database: $(sqlite3 "$DB" 'SELECT count(*) FROM events') events, $(sqlite3 "$DB" 'SELECT count(*) FROM dyad_daily') dyad_daily rows, $(($(stat -c %s "$DB") / 1000000)) MB"
timeit() { # NAME ARGS...: best and median of 5 runs, ms, of the whole process
    name=$1
    shift
    "$DYAD" "$@" --db "$DB" > "$T/out" # warm the page cache
    for i in 1 2 3 4 5; do
        s=$(date +%s%N)
        "$DYAD" "$@" --db "$DB" > /dev/null
        e=$(date +%s%N)
        echo $(((e - s) / 1000000))
    done | sort -n > "$T/times"
    echo "$name: $(($(wc -l < "$T/out") - 1)) rows; ms: best $(head -1 "$T/times"), median $(sed -n 3p "$T/times")"
}
timeit "dyad trend USA IRN (by day)" trend USA IRN
timeit "dyad trend USA IRN --both --by week" trend USA IRN --both --by week
timeit "dyad trend USAGOV IRNGOV --by month" trend USAGOV IRNGOV --by month
timeit "dyad trend USA (against everyone, by day)" trend USA
timeit "dyad top --by change" top --by change
s=$(date +%s%N)
"$DYAD" alerts --db "$DB" > "$T/out"
e=$(date +%s%N)
echo "dyad alerts: $(grep -c ' -> ' "$T/out") alerts; ms: $(((e - s) / 1000000))"
