#!/bin/sh
# make bench: dyad's throughput and memory on real news (../shared/corpus), repeated to at least 50 MB,
# on one thread and on all cores, against the floor (read, split into words, hash look-up).
# Prints a table and a JSON line. Never part of make test.
set -eu
S=${1:-../shared}
CORPUS="$S/corpus/voa-stories.jsonl"
[ -f "$CORPUS" ] || { echo "bench: $CORPUS not found" >&2; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# repeat the corpus to >= 50 MB, with unique ids
python3 - "$CORPUS" "$T/in.jsonl" <<'PY' 2>/dev/null || { i=0; while [ "$(wc -c < "$T/in.jsonl" 2>/dev/null || echo 0)" -lt 50000000 ]; do sed "s/\"id\": \"/\"id\": \"r$i-/" "$CORPUS" >> "$T/in.jsonl"; i=$((i+1)); done; }
import sys
src = open(sys.argv[1], encoding='utf-8').read().splitlines()
out = open(sys.argv[2], 'w', encoding='utf-8')
size, i = 0, 0
while size < 50_000_000:
    for l in src:
        l = l.replace('"id": "', '"id": "r%d-' % i, 1)
        out.write(l + '\n')
        size += len(l.encode()) + 1
    i += 1
PY
MB=$(($(wc -c < "$T/in.jsonl") / 1000000))
cc -O2 -o "$T/floor" bench/floor.c
# the floor's table: every word of dyad's dictionaries
cat dicts/*.txt | tr -cs '[:alnum:]' '\n' | tr '[:upper:]' '[:lower:]' | sort -u > "$T/words"
"$T/floor" "$T/in.jsonl" "$T/words" > "$T/floor.out"
FLOOR_MBS=$(sed -n 's/.*MB\/s \([0-9.]*\).*/\1/p' "$T/floor.out")
NPROC=$(nproc)
echo "input: $MB MB ($CORPUS repeated)"
printf '%-8s %10s %12s %8s %10s %10s %8s\n' threads stories/s sentences/s MB/s load_ms peak_MB ev/1k
for j in 1 "$NPROC"; do
    ./build/dyad code --stats -j "$j" "$T/in.jsonl" 2> "$T/stats.$j" > /dev/null
    line=$(grep 'dyad stats' "$T/stats.$j")
    get() { echo "$line" | sed -n "s/.*$1 \([0-9.]*\).*/\1/p"; }
    printf '%-8s %10s %12s %8s %10s %10s %8s\n' "$j" "$(get 'stories\/s')" "$(get 'sentences\/s')" "$(get 'MB\/s')" \
        "$(get 'load')" "$(get 'peak RSS MB')" "$(get 'events per 1000 sentences')"
    eval "SPS_$j=$(get 'sentences\/s') MBS_$j=$(get 'MB\/s') LOAD_$j=$(get 'load') RSS_$j=$(get 'peak RSS MB') EV_$j=$(get 'events per 1000 sentences')"
done
eval "SPSN=\$SPS_$NPROC MBSN=\$MBS_$NPROC RSSN=\$RSS_$NPROC"
RATIO=$(awk -v a="$MBS_1" -v b="$FLOOR_MBS" 'BEGIN{printf "%.3f", a/b}')
SPEEDUP=$(awk -v a="$SPSN" -v b="$SPS_1" 'BEGIN{printf "%.2f", a/b}')
echo "floor (read, split, hash look-up): $FLOOR_MBS MB/s; dyad on one thread: $MBS_1 MB/s = $RATIO of the floor"
echo "speed-up on $NPROC threads: ${SPEEDUP}x"
printf '{"input_mb":%s,"threads_all":%s,"sentences_per_s_1":%s,"mb_per_s_1":%s,"sentences_per_s_all":%s,"mb_per_s_all":%s,"speedup":%s,"load_ms":%s,"peak_rss_mb":%s,"events_per_1000_sentences":%s,"floor_mb_per_s":%s,"ratio_to_floor":%s}\n' \
    "$MB" "$NPROC" "$SPS_1" "$MBS_1" "$SPSN" "$MBSN" "$SPEEDUP" "$LOAD_1" "$RSSN" "$EV_1" "$FLOOR_MBS" "$RATIO"
