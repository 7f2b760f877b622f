#!/bin/bash
# store_test.sh - the event store through the dyad command, on real files and real processes:
# ingesting twice changes nothing; a reprint is linked and counted as mentions; kill -9 during an ingest
# and a re-run give the same database as one clean run; bad lines are reported and counted while good
# ones are stored; `dyad events` filters and formats (jsonl equal to `dyad code`); `dyad stats`; event and
# attribution dates, places and casualties stored, filtered (--country, --near, --min-killed) and served
# (`dyad casualties`); an older schema refused read-only and upgraded by an ingest.
# Usage: store_test.sh DYAD DATA_DIR   (needs the sqlite3 command-line tool)
set -u
DYAD=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") # absolute: one check runs in another directory
DATA=$(cd "$2" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/testlib.sh"
q() { sqlite3 "$1" "$2"; }
if ! command -v sqlite3 > /dev/null; then
    echo "store_cli: the sqlite3 tool is missing (scripts/install-deps.sh installs it)"
    exit 1
fi
unset DYAD_DB
D=(--dicts "$DATA")

# Everything the database holds, except the wall-clock time of coding (coded_at) and the internal
# layout of the full-text index's segments (checked through queries and FTS5's integrity-check instead).
content() {
    sqlite3 "$1" "
SELECT id, sid, date, title, source, url, text, text_hash, shingles, hex(minhash), duplicate_of, similarity,
       dict_version FROM stories ORDER BY id;
SELECT * FROM events ORDER BY id;
SELECT * FROM mentions ORDER BY event, story;
SELECT * FROM event_casualties ORDER BY event, k;
SELECT * FROM casualties ORDER BY story, k;
SELECT * FROM (SELECT * FROM story_lsh UNION ALL SELECT * FROM story_lsh_recent) ORDER BY key, story;
SELECT * FROM meta ORDER BY key;
SELECT * FROM daily ORDER BY 1, 2, 3, 4;
SELECT source, target, date, factual, sum(events), sum(q1), sum(q2), sum(q3), sum(q4), round(sum(gsum), 6),
       round(sum(gneg), 6), round(sum(gpos), 6), sum(mentions), sum(stories)
  FROM (SELECT * FROM dyad_daily UNION ALL SELECT * FROM dyad_daily_recent) GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;
SELECT rowid FROM events_fts WHERE events_fts MATCH 'attacked' ORDER BY rowid;
SELECT rowid FROM events_fts WHERE events_fts MATCH 'praised AND number' ORDER BY rowid;" | sha256sum
}
stored() { # stories in a database that may not have its tables yet
    local n
    n=$(sqlite3 "$1" 'SELECT count(*) FROM stories' 2> /dev/null)
    echo "${n:-0}"
}
fts_ok() { sqlite3 "$1" "INSERT INTO events_fts(events_fts, rank) VALUES('integrity-check', 1);" 2>&1 | grep -q . && return 1 || return 0; }

P1="Freedonia attacked Sylvania on Monday, officials in the border region said, in the third such incident this month along the disputed river valley."
P2="Sylvanian Prime Minister Vera Trentino accused Freedonia of violating the ceasefire agreement signed in the capital two years ago."
P3="Vulgaria praised Sylvania for its restraint and called for calm on both sides of the frontier."
P4="Baron Bomburst will visit Sylvania next week, his office said in a brief statement released late on Tuesday."

# 1. a directory of stories; events as jsonl equal `dyad code`'s; ingesting again changes nothing
mkdir -p "$T/dir/sub"
for i in $(seq 1 300); do
    echo "{\"id\":\"s$i\",\"date\":\"2026-01-$(printf %02d $((i % 28 + 1)))\",\"text\":\"Freedonia attacked Sylvania. Vulgaria praised Freedonia number $i.\"}"
done > "$T/dir/a.jsonl"
printf 'Mr. Firefly spoke.\nFreedonia attacked Sylvania.\n' > "$T/dir/sub/b.txt"
"$DYAD" ingest --db "$T/a.db" "${D[@]}" --date 2026-02-01 -j 2 "$T/dir" > "$T/out" 2> "$T/err"
check "ingest: exit 0" test $? -eq 0
check "ingest: summary" contains "$T/err" "stories 301, stored 301, reprints 0, already stored 0, events 601, mentions 0, errors 0"
check "ingest: quiet when piped (no progress line)" test "$(grep -c $'\r' "$T/err")" -eq 0
check "ingest: nothing on stdout" test ! -s "$T/out"
check "ingest: 301 stories" test "$(q "$T/a.db" 'SELECT count(*) FROM stories')" -eq 301
check "ingest: WAL mode" test "$(q "$T/a.db" 'PRAGMA journal_mode')" = wal
check "ingest: dictionary version recorded" test "$(q "$T/a.db" "SELECT count(DISTINCT dict_version) FROM stories WHERE dict_version LIKE '$("$DYAD" version | cut -d' ' -f2)+dicts.%'")" -eq 1
"$DYAD" code "${D[@]}" --date 2026-02-01 "$T/dir" > "$T/code.jsonl" 2> /dev/null
"$DYAD" events --db "$T/a.db" > "$T/events.jsonl" 2> "$T/err"
check "events: exit 0" test $? -eq 0
check "events: jsonl equals dyad code's output" cmp -s "$T/code.jsonl" "$T/events.jsonl"
"$DYAD" code "${D[@]}" --date 2026-02-01 --format tsv "$T/dir" > "$T/code.tsv" 2> /dev/null
"$DYAD" events --db "$T/a.db" --format tsv > "$T/events.tsv"
check "events: tsv equals dyad code's output" cmp -s "$T/code.tsv" "$T/events.tsv"
sqlite3 "$T/a.db" .dump > "$T/dump1"
"$DYAD" ingest --db "$T/a.db" "${D[@]}" --date 2026-02-01 -j 2 "$T/dir" > "$T/out" 2> "$T/err"
check "re-ingest: exit 0" test $? -eq 0
check "re-ingest: everything already stored" contains "$T/err" "stories 301, stored 0, reprints 0, already stored 301, events 0"
sqlite3 "$T/a.db" .dump > "$T/dump2"
check "re-ingest: database unchanged (.dump)" cmp -s "$T/dump1" "$T/dump2"
# the same texts under other ids (another path to the same files) add nothing either
cp -r "$T/dir" "$T/dir2"
sed -i 's/"id":"s/"id":"t/' "$T/dir2/a.jsonl"
"$DYAD" ingest --db "$T/a.db" "${D[@]}" --date 2026-02-01 "$T/dir2" > "$T/out" 2> "$T/err"
check "same text, new ids: nothing added" contains "$T/err" "stored 0, reprints 0, already stored 301"
sqlite3 "$T/a.db" .dump > "$T/dump3"
check "same text, new ids: database unchanged" cmp -s "$T/dump1" "$T/dump3"

# 2. filters and formats
ev() { "$DYAD" events --db "$T/a.db" "$@" 2> "$T/err"; }
check "filter --actor prefix" test "$(ev --actor VUL | wc -l)" -eq 300
check "filter --actor matches target too" test "$(ev --actor SYL | wc -l)" -eq 301
check "filter --dyad" test "$(ev --dyad VUL,FRD | wc -l)" -eq 300
check "filter --dyad is directed" test "$(ev --dyad FRD,VUL | wc -l)" -eq 0
check "filter --cameo" test "$(ev --cameo 190 | wc -l)" -eq 301
check "filter --root" test "$(ev --root 05 | wc -l)" -eq 300
check "filter --quad" test "$(ev --quad 4 | wc -l)" -eq 301
check "filter --modality" test "$(ev --modality factual | wc -l)" -eq 601
check "filter --modality none" test "$(ev --modality negated | wc -l)" -eq 0
check "filter --from/--to" test "$(ev --from 2026-01-02 --to 2026-01-02 | wc -l)" -eq 22
check "filter --text" test "$(ev --text 'number 17' | wc -l)" -eq 1
check "filter --text all words" test "$(ev --text 'praised Sylvania' | wc -l)" -eq 0
check "filter --limit" test "$(ev --limit 5 | wc -l)" -eq 5
check "filters combine" test "$(ev --actor FRD --root 19 --from 2026-02-01 | wc -l)" -eq 1
check "--text with quotes and punctuation" test "$(ev --text '"Firefly'"'"'s" (spoke' | wc -l)" -eq 0
ev --format csv > "$T/csv"
check "csv: header + 601 rows" test "$(wc -l < "$T/csv")" -eq 602
check "csv: header" contains "$T/csv" "^event_id,story_id,date,sentence,source,source_text,target,target_text,cameo"
check "csv: a row" contains "$T/csv" "^1,s1,2026-01-02,0,FRD,Freedonia,SYL,Sylvania,190,19,4,-10.0,ASSAULT,factual,,,1,0,28,Freedonia attacked Sylvania.,,"
ev --format phoenix > "$T/phx"
check "phoenix: 26 columns" test "$(awk -F'\t' 'NF != 26' "$T/phx" | wc -l)" -eq 0
check "phoenix: a row" contains "$T/phx" "^1	20260102	2026	01	02	FRD	FRD			SYL	SYL			190	19	4	-10.0	"
ev --format gdelt > "$T/gdelt"
check "gdelt: 61 columns" test "$(awk -F'\t' 'NF != 61' "$T/gdelt" | wc -l)" -eq 0
check "gdelt: 601 rows" test "$(wc -l < "$T/gdelt")" -eq 601
check "gdelt: codes, quad, goldstein, mentions" test "$(head -1 "$T/gdelt" | cut -f1,2,6,7,16,26-32 | tr '\t' ' ')" = "1 20260102 FRD FREEDONIA SYL 1 190 190 19 4 -10.0 1"
"$DYAD" events --db "$T/a.db" --format xml > "$T/out" 2> "$T/err"
check "bad format: exit 2" test $? -eq 2
"$DYAD" events --db "$T/a.db" --dyad FRD > "$T/out" 2> "$T/err"
check "bad --dyad: exit 2" test $? -eq 2
"$DYAD" events --db "$T/a.db" --from 2026-02-30 > "$T/out" 2> "$T/err"
check "bad --from: exit 2" test $? -eq 2
"$DYAD" events --db "$T/none.db" > "$T/out" 2> "$T/err"
check "missing database: exit 1" test $? -eq 1
check "missing database: message" contains "$T/err" "none.db"
check "missing database: not created" test ! -e "$T/none.db"
"$DYAD" stats --db "$T/a.db" > "$T/out" 2> "$T/err"
check "stats: exit 0" test $? -eq 0
check "stats: stories" contains "$T/out" "^stories *301 (301 originals, 0 reprints)"
check "stats: events" contains "$T/out" "^events *601 (601 mentions)"
check "stats: dates" contains "$T/out" "^dates *2026-01-01 .. 2026-02-01"
check "stats: top actors" contains "$T/out" "^top actors *FRD 601, SYL 301, VUL 300"
# $DYAD_DB, then ./dyad.db
DYAD_DB="$T/env.db" "$DYAD" ingest "${D[@]}" --date 2026-02-01 "$T/dir/sub/b.txt" 2> /dev/null
check "DYAD_DB: used" test "$(q "$T/env.db" 'SELECT count(*) FROM events')" -eq 1
mkdir "$T/cwd"
(cd "$T/cwd" && "$DYAD" ingest "${D[@]}" --date 2026-02-01 "$T/dir/sub/b.txt" 2> /dev/null)
check "default ./dyad.db" test "$(q "$T/cwd/dyad.db" 'SELECT count(*) FROM events')" -eq 1

# 3. a reprint: another headline, the last paragraph cut, another outlet: linked, events become mentions
printf '%s\n\n%s\n\n%s\n\n%s\n' "$P1" "$P2" "$P3" "$P4" > "$T/orig.txt"
"$DYAD" ingest --db "$T/r.db" "${D[@]}" --date 2026-01-16 --id wire-1 "$T/orig.txt" 2> "$T/err"
check "reprint: original stored" contains "$T/err" "stored 1, reprints 0, .*events 5"
printf '{"id":"planet-9","date":"2026-01-17","title":"Border clash","source":"Daily Planet","text":"%s\\n\\n%s\\n\\n%s\\n"}\n' "$P1" "$P2" "$P3" > "$T/reprint.jsonl"
echo '{"id":"other","date":"2026-01-17","source":"Daily Planet","text":"Rufus Firefly will visit Vulgaria in the spring to discuss the trade of grain and timber, and his office said that talks on a new river treaty could follow before the end of the year."}' >> "$T/reprint.jsonl"
"$DYAD" ingest --db "$T/r.db" "${D[@]}" "$T/reprint.jsonl" 2> "$T/err"
check "reprint: exit 0" test $? -eq 0
check "reprint: counted" contains "$T/err" "stored 1, reprints 1, already stored 0, events 2, mentions 3"
check "reprint: linked to the original" test "$(q "$T/r.db" "SELECT o.sid FROM stories s JOIN stories o ON o.id = s.duplicate_of WHERE s.sid = 'planet-9'")" = wire-1
check "reprint: unrelated story not linked" test "$(q "$T/r.db" "SELECT count(*) FROM stories WHERE sid = 'other' AND duplicate_of IS NULL")" -eq 1
check "reprint: no new events" test "$(q "$T/r.db" "SELECT count(*) FROM events e JOIN stories s ON s.id = e.story WHERE s.sid = 'planet-9'")" -eq 0
check "reprint: mentions of the original's events" test "$(q "$T/r.db" "SELECT group_concat(mentions, ' ') FROM (SELECT mentions FROM events ORDER BY id)")" = "2 2 2 1 1 1 1"
check "reprint: daily view counts mentions" test "$(q "$T/r.db" "SELECT events || ' ' || mentions FROM daily WHERE date = '2026-01-16' AND source = 'FRD' AND target = 'SYL' AND cameo = '190'")" = "1 2"
check "reprint: gdelt NumMentions" test "$("$DYAD" events --db "$T/r.db" --format gdelt --cameo 190 | cut -f32)" = 2
"$DYAD" stats --db "$T/r.db" > "$T/out"
check "reprint: stats" contains "$T/out" "^stories *3 (2 originals, 1 reprints)"
check "reprint: stats mentions" contains "$T/out" "^events *7 (10 mentions)"

# 4. bad lines are reported with file:line and counted; the good ones are stored
good='{"id":"g1","date":"2026-01-16","text":"Freedonia attacked Sylvania."}'
good2='{"id":"g2","date":"2026-01-17","text":"Sylvania praised the US."}'
{
    echo "$good"
    echo '{"id":"b1","date":"2026-01-16","text":"unterminated'
    echo '[1,2,3]'
    echo '{"id":"b3","text":"a bad day","date":"2026-02-31"}'
    echo '{"date":"2026-01-16","text":"no id"}'
    printf '{"id":"b5","date":"2026-01-16","text":"bad \xff byte"}\n'
    echo "$good2"
} > "$T/mixed.jsonl"
"$DYAD" ingest --db "$T/m.db" "${D[@]}" "$T/mixed.jsonl" > "$T/out" 2> "$T/err"
check "bad lines: exit 3" test $? -eq 3
check "bad lines: unterminated JSON named" contains "$T/err" "mixed.jsonl:2: byte"
check "bad lines: non-object named" contains "$T/err" "mixed.jsonl:3: .*JSON object"
check "bad lines: bad date named" contains "$T/err" "mixed.jsonl:4: story b3: bad date"
check "bad lines: missing id named" contains "$T/err" "mixed.jsonl:5: no \"id\""
check "bad lines: invalid UTF-8 named" contains "$T/err" "mixed.jsonl:6: byte .*invalid UTF-8"
check "bad lines: summary counts them" contains "$T/err" "stories 2, stored 2, .* errors 5"
check "bad lines: good stories stored" test "$(q "$T/m.db" "SELECT group_concat(sid, ' ') FROM stories")" = "g1 g2"
printf 'ELF\0\1\2binary' > "$T/bin.txt"
"$DYAD" ingest --db "$T/m.db" "${D[@]}" --date 2026-01-16 "$T/bin.txt" > "$T/out" 2> "$T/err"
check "binary file: exit 1, nothing stored" test $? -eq 1
check "binary file: named" contains "$T/err" "bin.txt:1: byte 3: NUL byte"
printf 'not a database, only text that is long enough to be looked at by sqlite\n' > "$T/text.db"
"$DYAD" ingest --db "$T/text.db" "${D[@]}" "$T/mixed.jsonl" > "$T/out" 2> "$T/err"
check "not a database: exit 1" test $? -eq 1
check "not a database: named" contains "$T/err" "text.db"

# 5. kill -9 during an ingest, then the same command again: the same database as one clean run
{
    for i in $(seq 1 6000); do
        d=$(printf '2026-%02d-%02d' $((i % 12 + 1)) $((i % 28 + 1)))
        if [ $((i % 50)) -eq 0 ]; then # long stories: every one after the first is a reprint of it
            echo "{\"id\":\"k$i\",\"date\":\"$d\",\"source\":\"Outlet $i\",\"text\":\"$P1 $P2 $P3 Story $i.\"}"
        else
            echo "{\"id\":\"k$i\",\"date\":\"$d\",\"text\":\"Freedonia attacked Sylvania in Sylvania, killing $i civilians. Vulgaria praised Freedonia number $i. Mr. Firefly spoke about item $i.\"}"
        fi
    done
} > "$T/big.jsonl"
"$DYAD" ingest --db "$T/clean.db" "${D[@]}" "$T/big.jsonl" 2> "$T/err"
check "clean run: exit 0" test $? -eq 0
check "clean run: reprints found" contains "$T/err" "stories 6000, stored 5881, reprints 119,"
total=$(q "$T/clean.db" 'SELECT count(*) FROM stories')
mid=0
for attempt in 1 2 3 4 5 6; do # until three kills have landed mid-ingest
    "$DYAD" ingest --db "$T/crash.db" "${D[@]}" "$T/big.jsonl" 2> /dev/null &
    pid=$!
    # let it store a random part of the input (watching the database, not the clock), then a few random
    # milliseconds more, so that the kill lands anywhere: in coding, inside a transaction, in a commit
    have=$(stored "$T/crash.db")
    want=$((have + RANDOM % ((total - have) * 3 / 4 + 1)))
    while kill -0 "$pid" 2> /dev/null && [ "$(stored "$T/crash.db")" -lt "$want" ]; do
        sleep 0.01
    done
    sleep "0.00$((RANDOM % 10))"
    kill -9 "$pid" 2> /dev/null
    wait "$pid" 2> /dev/null
    [ "$(stored "$T/crash.db")" -lt "$total" ] && mid=$((mid + 1))
    check "kill -9 ($attempt): database intact" test "$(q "$T/crash.db" 'PRAGMA integrity_check')" = ok
    check "kill -9 ($attempt): full-text index intact" fts_ok "$T/crash.db"
    check "kill -9 ($attempt): whole stories only" test "$(q "$T/crash.db" "SELECT count(*) FROM stories s WHERE s.duplicate_of IS NULL AND (SELECT count(*) FROM events e WHERE e.story = s.id) = 0")" -eq 0
    [ $mid -ge 3 ] && break
done
echo "store_cli: kill -9 landed mid-ingest in $mid of $attempt attempts"
"$DYAD" ingest --db "$T/crash.db" "${D[@]}" "$T/big.jsonl" 2> "$T/err"
check "after kill -9: the re-run completes" test $? -eq 0
check "after kill -9: same database content as a clean run" test "$(content "$T/crash.db")" = "$(content "$T/clean.db")"
check "after kill -9: full-text index intact" fts_ok "$T/crash.db"
check "after kill -9: same events output" test "$("$DYAD" events --db "$T/crash.db" --format csv | cut -d, -f1-20 | sha256sum)" = "$("$DYAD" events --db "$T/clean.db" --format csv | cut -d, -f1-20 | sha256sum)"

check "after kill -9: casualties stored" test "$(q "$T/crash.db" 'SELECT count(*) FROM casualties')" -eq 5880

# 6. when, where, how many: event and attribution dates, places and casualties go in and come out as coded
cat > "$T/w.jsonl" << 'EOF'
{"id":"w1","date":"2026-01-16","text":"Freedonia attacked Sylvania in Sylvania on Wednesday, killing at least 12 civilians, a rights group said on Thursday."}
{"id":"w2","date":"2026-01-17","text":"Vulgaria attacked Freedonia in Freedonia, killing 3 soldiers and wounding 20 people. More than 40 people have been killed since January."}
{"id":"w3","date":"2026-01-18","text":"Freedonian troops attacked Sylvania near Kharkiv on Wednesday, killing 5 soldiers."}
{"id":"w4","date":"2026-01-18","text":"Vulgaria praised Sylvania. Freedonia attacked Vulgaria near Lviv."}
EOF
"$DYAD" ingest --db "$T/w.db" "${D[@]}" "$T/w.jsonl" 2> "$T/err"
check "places: ingest" contains "$T/err" "stories 4, stored 4, reprints 0, already stored 0, events 5,"
"$DYAD" code "${D[@]}" "$T/w.jsonl" > "$T/code.jsonl" 2> /dev/null
"$DYAD" events --db "$T/w.db" > "$T/events.jsonl" 2> "$T/err"
check "places: the coder gives an event date" contains "$T/code.jsonl" '"event_date":{"date":"2026-01-14","precision":"day","text":"on Wednesday"}'
check "places: ... an attribution date" contains "$T/code.jsonl" '"attribution":{"text":"a rights group","code":"---NGO","date":"2026-01-15"}'
check "places: ... a country-level place" contains "$T/code.jsonl" '"place":{"level":"country","country":"SYL","name":"Sylvania","text":"in Sylvania"}'
check "places: ... casualties" contains "$T/code.jsonl" '"casualties":\[{"kind":"killed","count":12,"qualifier":"at least","who":"civilians","reported_by":"a rights group","text":"killing at least 12 civilians"}\]'
check "places: jsonl equals dyad code's output" cmp -s "$T/code.jsonl" "$T/events.jsonl"
"$DYAD" code "${D[@]}" --casualties "$T/w.jsonl" 2> /dev/null | grep '"type":"casualties"' > "$T/code.cas"
"$DYAD" casualties --db "$T/w.db" > "$T/cas" 2> "$T/err"
check "casualties: exit 0" test $? -eq 0
check "casualties: 5 records" test "$(wc -l < "$T/cas")" -eq 5
check "casualties: equal dyad code --casualties" cmp -s "$T/code.cas" "$T/cas"
check "casualties: event rows" test "$(q "$T/w.db" 'SELECT count(*) FROM event_casualties')" -eq 4
evw() { "$DYAD" events --db "$T/w.db" "$@" 2> "$T/err"; }
casw() { "$DYAD" casualties --db "$T/w.db" "$@" 2> "$T/err"; }
check "filter --country" test "$(evw --country SYL | wc -l)" -eq 1
check "filter --country (another)" test "$(evw --country FRD | wc -l)" -eq 1
check "filter --country none" test "$(evw --country ZZZ | wc -l)" -eq 0
check "filter --min-killed 1" test "$(evw --min-killed 1 | wc -l)" -eq 3
check "filter --min-killed 5" test "$(evw --min-killed 5 | wc -l)" -eq 2
check "filter --min-killed 12" test "$(evw --min-killed 12 | wc -l)" -eq 1
check "filter --min-killed: the wounded are not killed" test "$(evw --min-killed 13 | wc -l)" -eq 0
check "filters combine (place, casualties, code)" test "$(evw --country SYL --min-killed 4 --root 19 | wc -l)" -eq 1
check "casualties --country (a sentence without an event: the story's one country)" test "$(casw --country FRD | wc -l)" -eq 3
check "casualties --min-killed" test "$(casw --min-killed 10 | wc -l)" -eq 2
check "casualties --from" test "$(casw --from 2026-01-17 | wc -l)" -eq 4
check "casualties --to" test "$(casw --to 2026-01-16 | wc -l)" -eq 1
check "casualties --limit" test "$(casw --limit 2 | wc -l)" -eq 2
evw --format gdelt > "$T/gdelt"
check "gdelt: 61 columns with places" test "$(awk -F'\t' 'NF != 61' "$T/gdelt" | wc -l)" -eq 0
check "gdelt: ActionGeo of a country" test "$(head -1 "$T/gdelt" | cut -f52-59 | tr '\t' '|')" = "1|Sylvania||||||"
for bad in "--near 91,0,10" "--near 1,2" "--near 1,2,0" "--near a,b,c" "--min-killed 0" "--country Syl"; do
    # shellcheck disable=SC2086
    "$DYAD" events --db "$T/w.db" $bad > "$T/out" 2> "$T/err"
    check "bad $bad: exit 2" test $? -eq 2
done
"$DYAD" casualties --db "$T/w.db" --country 12 > "$T/out" 2> "$T/err"
check "casualties bad --country: exit 2" test $? -eq 2
if grep -q '"level":"city"' "$T/code.jsonl"; then
    # the gazetteer is built in: Kharkiv (49.98, 36.25), Lviv (49.84, 24.02); from Kyiv 411 and 468 km
    check "filter --country (a city's)" test "$(evw --country UKR | wc -l)" -eq 2
    check "filter --near" test "$(evw --near 50,36.3,10 | wc -l)" -eq 1
    check "filter --near: too far" test "$(evw --near 50,36.3,1 | wc -l)" -eq 0
    check "filter --near: one of two" test "$(evw --near 50.45,30.52,420 | wc -l)" -eq 1
    check "filter --near: both" test "$(evw --near 50.45,30.52,480 | wc -l)" -eq 2
    check "filter --near --limit counts what is near" test "$(evw --near 50.45,30.52,480 --limit 1 | grep -c Kharkiv)" -eq 1
    check "filter --near --min-killed" test "$(evw --near 50.45,30.52,480 --min-killed 1 | wc -l)" -eq 1
    check "filter --near: a circle holding the pole" test "$(evw --near 80,0,3700 | wc -l)" -eq 2
    # across the antimeridian: Suva (-18.14, 178.44) is 218 km from (-18, -179.5), 165 from (-18, 180)
    echo '{"id":"fj","date":"2026-01-18","text":"Freedonia attacked Vulgaria near Suva."}' > "$T/fj.jsonl"
    "$DYAD" ingest --db "$T/fj.db" "${D[@]}" "$T/fj.jsonl" 2> /dev/null
    check "filter --near across the antimeridian" test "$("$DYAD" events --db "$T/fj.db" --near -18,-179.5,230 | wc -l)" -eq 1
    check "filter --near across the antimeridian: too far" test "$("$DYAD" events --db "$T/fj.db" --near -18,-179.5,200 | wc -l)" -eq 0
    check "filter --near at 180" test "$("$DYAD" events --db "$T/fj.db" --near -18,180,180 | wc -l)" -eq 1
    check "gdelt: ActionGeo of a city" test "$(grep -P '\tKharkiv\t' "$T/gdelt" | cut -f52-59 | tr '\t' '|')" = "4|Kharkiv||||49.9808|36.2527|706483"
    check "casualties --country of a city" test "$(casw --country UKR | wc -l)" -eq 1
else
    echo "store_cli: no city places (dyad was built without the gazetteer): --near skipped"
fi
# an older database (schema 2: this one without schema 3's columns and tables) is refused read-only and
# upgraded by an ingest; its old events keep no places
cp "$T/w.db" "$T/old.db"
cols="attribution_date attribution_date_precision place_level place_country place_admin1 place_lat place_lon place_geonameid place_name_start place_name_end place_name_text place_start place_end place_text"
sqlite3 "$T/old.db" "DROP INDEX events_place_country; DROP INDEX events_place_geo; DROP TABLE casualties;
DROP TABLE event_casualties; $(for c in $cols; do printf 'ALTER TABLE events DROP COLUMN %s; ' "$c"; done)
UPDATE meta SET value = '2' WHERE key = 'schema';"
"$DYAD" events --db "$T/old.db" > "$T/out" 2> "$T/err"
check "schema 2: refused read-only" test $? -eq 1
check "schema 2: message" contains "$T/err" "schema version 2, this dyad reads version 6 (dyad ingest into it upgrades it"
echo '{"id":"w5","date":"2026-01-19","text":"Vulgaria attacked Sylvania in Sylvania, killing 9 soldiers."}' > "$T/w5.jsonl"
"$DYAD" ingest --db "$T/old.db" "${D[@]}" "$T/w5.jsonl" 2> "$T/err"
check "schema 2: upgraded by ingest" test "$(q "$T/old.db" "SELECT value FROM meta WHERE key = 'schema'")" = 6
check "schema 2: old and new events" test "$("$DYAD" events --db "$T/old.db" | wc -l)" -eq 6
check "schema 2: new events with places" test "$("$DYAD" events --db "$T/old.db" --country SYL | wc -l)" -eq 1
check "schema 2: new casualties" test "$("$DYAD" casualties --db "$T/old.db" | wc -l)" -eq 1

finish store_cli
