#!/bin/bash
# analytics_test.sh - dyad trend, top and alerts on a real database ingested from a small JSONL written here
# (tests/data's dictionary): table, json and csv outputs with exact numbers, prefixes and --both, charts
# (--svg is an SVG document, --png a PNG of the right size), an escalation found with its sentences.
# Usage: analytics_test.sh DYAD DATA_DIR
set -u
DYAD=$1
DATA=$(cd "$2" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/testlib.sh"
unset DYAD_DB
D=(--dicts "$DATA")

# 90 days from 2026-01-01: Vulgaria praises Freedonia every third day, Freedonia attacks Sylvania every tenth;
# from day 80 (2026-03-22) Freedonia attacks Sylvania three times a day and Sylvania accuses Freedonia.
{
    for day in $(seq 0 89); do
        d=$(date -u -d "2026-01-01 + $day days" +%F)
        [ $((day % 3)) -eq 0 ] && echo "{\"id\":\"p$day\",\"date\":\"$d\",\"text\":\"Vulgaria praised Freedonia for its help number $day.\"}"
        [ $((day % 10)) -eq 0 ] && echo "{\"id\":\"a$day\",\"date\":\"$d\",\"text\":\"Freedonia attacked Sylvania near the river number $day.\"}"
        if [ "$day" -ge 80 ]; then
            for k in 1 2 3; do
                echo "{\"id\":\"x$day-$k\",\"date\":\"$d\",\"text\":\"Freedonia attacked Sylvania again in raid $day-$k. Sylvania accused Freedonia of the strike $day-$k.\"}"
            done
        fi
    done
} > "$T/in.jsonl"
"$DYAD" ingest --db "$T/a.db" "${D[@]}" "$T/in.jsonl" 2> "$T/err"
check "ingest: exit 0" test $? -eq 0
check "ingest: summary" contains "$T/err" "stories 69, stored 69, reprints 0, already stored 0, events 99, mentions 0, errors 0"

# trend: a table, with the weeks from Monday and the empty ones filled
"$DYAD" trend FRD SYL --db "$T/a.db" --by week > "$T/out" 2> "$T/err"
check "trend: exit 0" test $? -eq 0
check "trend: header" contains "$T/out" "^period *events *q1 *q2 *q3 *q4 *gold.sum *mean *mc% *stories$"
check "trend: first week (Monday 2025-12-29)" contains "$T/out" "^2025-12-29 *1 *0 *0 *0 *1 *-10.0 *-10.00 *100.0% *1$"
check "trend: the week of day 10 (2026-01-11)" contains "$T/out" "^2026-01-05 *1 *0 *0 *0 *1 *-10.0 *-10.00 *100.0% *1$"
check "trend: an empty week" contains "$T/out" "^2026-01-12 *0 *0 *0 *0 *0 *0.0 *0.00 *0.0% *0$"
check "trend: the escalation week" contains "$T/out" "^2026-03-23 *21 *0 *0 *0 *21 *-210.0 *-10.00 *100.0% *21$" # 7 days x 3
check "trend: 14 weeks" test "$(grep -c '^20' "$T/out")" -eq 14
check "trend: no sparkline when piped" test "$(grep -c 'Goldstein sum' "$T/out")" -eq 0
# --both, by month, csv
"$DYAD" trend FRD SYL --both --by month --db "$T/a.db" --format csv > "$T/out"
check "trend csv: header" contains "$T/out" "^period,events,q1,q2,q3,q4,goldstein_sum,goldstein_mean,material_conflict_share,stories,mentions$"
check "trend csv: January" contains "$T/out" "^2026-01-01,4,0,0,0,4,-40.0,-10.00,1.000,4,4$"
check "trend csv: March, both directions" contains "$T/out" "^2026-03-01,63,0,0,30,33,-390.0,-6.19,0.524,63,63$" # 3 + 30 attacks, 30 accusations (-2)
check "trend csv: 3 months" test "$(wc -l < "$T/out")" -eq 4
# one actor against everyone, json, a range
"$DYAD" trend FRD --db "$T/a.db" --by month --from 2026-02-01 --to 2026-02-28 --format json > "$T/out"
check "trend json: one object" contains "$T/out" '^{"a":"FRD","b":null,"both":false,"by":"month","points":\[{"period":"2026-02-01","events":11,"quad":\[9,0,0,2\],"goldstein_sum":10.6,"goldstein_mean":0.9636,"material_conflict_share":0.1818,"stories":11,"mentions":11}\]}$'
# prefixes: FRD matches FRD; a code no event has gives no periods
"$DYAD" trend FR SY --db "$T/a.db" --by month --format csv > "$T/out2"
check "trend: prefixes" test "$(sed -n 2p "$T/out2")" = "2026-01-01,4,0,0,0,4,-40.0,-10.00,1.000,4,4"
"$DYAD" trend ZZZ --db "$T/a.db" > "$T/out"
check "trend: no events" contains "$T/out" "(no events)"
# charts
"$DYAD" trend FRD SYL --both --by week --db "$T/a.db" --svg "$T/c.svg" --png "$T/c.png" > /dev/null 2> "$T/err"
check "chart: exit 0" test $? -eq 0
check "chart: svg is an SVG document" test "$(grep -c '<svg' "$T/c.svg")" -ge 1 -a "$(tail -c 200 "$T/c.svg" | grep -c '</svg>')" -ge 1
check "chart: svg has text (title glyphs)" test "$(grep -c '<g' "$T/c.svg")" -ge 1
check "chart: png signature" test "$(head -c 8 "$T/c.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a
check "chart: png 1000 x 520" test "$(head -c 24 "$T/c.png" | tail -c 8 | od -An -tx1 | tr -d ' \n')" = 000003e800000208
"$DYAD" trend FRD SYL --db "$T/a.db" --png "$T/nodir/c.png" > /dev/null 2> "$T/err"
check "chart: unwritable file: exit 1" test $? -eq 1
check "chart: unwritable file: named" contains "$T/err" "nodir/c.png"

# top
"$DYAD" top --db "$T/a.db" --from 2026-03-01 --to 2026-03-31 > "$T/out"
check "top: conflict table" contains "$T/out" "^ *1  FRD *SYL *33 *-330.0 *330.0$"
check "top: second" contains "$T/out" "^ *2  SYL *FRD *30 *-60.0 *60.0$"
"$DYAD" top --db "$T/a.db" --by cooperation --format csv > "$T/out"
check "top: cooperation csv (last 30 days)" test "$(cat "$T/out")" = "rank,source,target,events,goldstein_sum,score
1,VUL,FRD,10,34.0,34.0"
"$DYAD" top --db "$T/a.db" --by volume --limit 1 --format json > "$T/out"
check "top: volume json" test "$(cat "$T/out")" = '{"by":"volume","dyads":[{"source":"FRD","target":"SYL","events":33,"goldstein_sum":-330,"score":33}]}'
"$DYAD" top --db "$T/a.db" --by nonsense > /dev/null 2>&1
check "top: bad --by: exit 2" test $? -eq 2

# alerts: the escalation of Freedonia against Sylvania, with the sentences
"$DYAD" alerts --db "$T/a.db" > "$T/out"
check "alerts: exit 0" test $? -eq 0
check "alerts: FRD -> SYL from 2026-03-22" contains "$T/out" "^FRD -> SYL  start 2026-03-22  detected 2026-03-2[2-5]  score [0-9.]*  [a-z-]*$"
check "alerts: its sentences" contains "$T/out" "^    2026-03-2.  190  -10.0  Freedonia attacked Sylvania again in raid 8"
"$DYAD" alerts --db "$T/a.db" --format json > "$T/out"
check "alerts: json" contains "$T/out" '^{"alerts":\[{"source":"FRD","target":"SYL","start":"2026-03-22",.*"sentence":"Freedonia attacked Sylvania again in raid 8'
"$DYAD" alerts --db "$T/a.db" --since 2026-04-01 > "$T/out"
check "alerts: --since" test "$(cat "$T/out")" = "(no alerts)"

# errors
"$DYAD" trend --db "$T/a.db" > /dev/null 2>&1
check "trend: no actor: exit 2" test $? -eq 2
"$DYAD" trend frd --db "$T/a.db" > /dev/null 2>&1
check "trend: bad code: exit 2" test $? -eq 2
"$DYAD" trend FRD SYL --by year --db "$T/a.db" > /dev/null 2>&1
check "trend: bad --by: exit 2" test $? -eq 2
"$DYAD" trend FRD --db "$T/none.db" > /dev/null 2> "$T/err"
check "trend: missing database: exit 1" test $? -eq 1
check "trend: missing database: not created" test ! -e "$T/none.db"

finish analytics_cli
