#!/bin/sh
# bench/store.sh - the event store's figures (never part of make test):
#   1. dyad ingest throughput on real news: ../shared/corpus/voa-stories.jsonl made into 5,000 distinct
#      stories (sentences of the corpus shuffled into new stories, so that none is a reprint of another),
#      coded on all cores and stored: stories/s and events/s of the whole ingest;
#   2. the storing part alone: synthetic stories and events written through the store API (bench/store_gen.c)
#      until the database holds one million events: events/s (stories in random date order, then in date
#      order), and database bytes per event;
#   3. a one-dyad query over that database (dyad events --dyad USA,IRN), best and median of 5 runs, and the
#      same query's SQL time in the sqlite3 shell.
# Usage: sh bench/store.sh [SHARED_DIR] [EVENTS]   (default ../shared and 1000000)
# Environment: DYAD_BENCH_BUILD, a build directory to use instead of build/store-bench (its dyad binary is
# $DYAD_BENCH_BUILD/dyad unless DYAD says otherwise), so that a build of one's own can be measured.
set -eu
S=${1:-../shared}
NEV=${2:-1000000}
CORPUS="$S/corpus/voa-stories.jsonl"
[ -f "$CORPUS" ] || { echo "bench: $CORPUS not found" >&2; exit 1; }
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=${DYAD_BENCH_BUILD:-"$ROOT/build/store-bench"}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
if [ -n "${DYAD_BENCH_BUILD:-}" ]; then
    cmake -S "$ROOT" -B "$B" -DCMAKE_BUILD_TYPE=Release -DDYAD_BIN_DIR="$B" > /dev/null
    DYAD=${DYAD:-"$B/dyad"}
else
    cmake -S "$ROOT" -B "$B" -DCMAKE_BUILD_TYPE=Release > /dev/null
    DYAD=${DYAD:-"$ROOT/build/dyad"}
fi
cmake --build "$B" -j "$(nproc)" --target dyad dyadstore > /dev/null
cc -O2 -I "$ROOT/include" -o "$T/store_gen" "$ROOT/bench/store_gen.c" "$B/libdyadstore.a" "$B/libdyad.a" \
    $(pkg-config --libs sqlite3 libutf8proc) -lm

# 1. ingest of real news
python3 - "$CORPUS" "$T/in.jsonl" <<'PY'
import json, random, re, sys
random.seed(7)
sents = []
for line in open(sys.argv[1], encoding='utf-8'):
    r = json.loads(line)
    sents += [s for s in re.split(r'(?<=[.!?])\s+', r['text']) if len(s) > 30]
dates = [json.loads(l)['date'] for l in open(sys.argv[1], encoding='utf-8')]
with open(sys.argv[2], 'w', encoding='utf-8') as out:
    for i in range(5000):
        text = ' '.join(random.sample(sents, 15))
        out.write(json.dumps({'id': 'b%d' % i, 'date': random.choice(dates), 'source': 'bench', 'text': text}) + '\n')
PY
MB=$(du -m "$T/in.jsonl" | cut -f1)
"$DYAD" ingest --db "$T/ingest.db" -j "$(nproc)" "$T/in.jsonl" 2> "$T/ingest.err"
SUM=$(tail -1 "$T/ingest.err")
echo "ingest ($MB MB, 5000 stories, -j $(nproc)): $SUM"
"$DYAD" ingest --db "$T/ingest.db" -j "$(nproc)" "$T/in.jsonl" 2> "$T/ingest2.err"
echo "re-ingest (all already stored): $(tail -1 "$T/ingest2.err")"

# 2. the storing part, and a database of NEV events
PER=10
STORIES=$((NEV / PER))
echo "store_gen ($STORIES stories x $PER events through dyad_store_add, 1000 stories a transaction):"
"$T/store_gen" "$T/big.db" "$STORIES" "$PER" 1000
echo "store_gen --chronological (the same, stories in date order):"
"$T/store_gen" "$T/chrono.db" "$STORIES" "$PER" 1000 --chronological
rm -f "$T/chrono.db"*
sqlite3 "$T/big.db" 'PRAGMA wal_checkpoint(TRUNCATE);' > /dev/null
BYTES=$(stat -c %s "$T/big.db")
EV=$(sqlite3 "$T/big.db" 'SELECT count(*) FROM events')
echo "database: $EV events, $BYTES bytes, $((BYTES / EV)) bytes per event (stories with ~3 KB of text each included)"
sqlite3 "$T/big.db" "SELECT 'of which: ' || name || ' ' || sum(pgsize) FROM dbstat GROUP BY name ORDER BY sum(pgsize) DESC LIMIT 8;" 2> /dev/null || true

# 3. one dyad
time_dyad() { # time_dyad A,B: five runs of dyad events --dyad A,B, whole process; prints best and median ms
    for i in 1 2 3 4 5; do
        s=$(date +%s%N)
        "$DYAD" events --db "$T/big.db" --dyad "$1" > /dev/null
        e=$(date +%s%N)
        echo $(((e - s) / 1000000))
    done | sort -n > "$T/times"
    echo "best $(head -1 "$T/times"), median $(sed -n 3p "$T/times")"
}
N=$("$DYAD" events --db "$T/big.db" --dyad USA,IRN | wc -l)
echo "query: dyad events --dyad USA,IRN -> $N events"
echo "query wall time, whole process, ms: $(time_dyad USA,IRN)"
N=$("$DYAD" events --db "$T/big.db" --dyad USAGOV,IRNGOV | wc -l)
echo "query --dyad USAGOV,IRNGOV -> $N events, ms: $(time_dyad USAGOV,IRNGOV)"
W="source >= 'USA' AND source < 'USB' AND target >= 'IRN' AND target < 'IRO'" # the dyad index (schema 5)
printf '.timer on\nSELECT count(*) FROM (SELECT event FROM event_dyads WHERE %s UNION ALL SELECT event FROM event_dyads_recent WHERE %s);\n' "$W" "$W" |
    sqlite3 "$T/big.db" | tr '\n' ' '
echo
