#!/bin/bash
# cli_test.sh - the dyad command on real files: bad input of every kind gets a clear message naming the
# file, line and byte; the good stories of the same input are still coded; exit codes; -j keeps order.
# Usage: cli_test.sh DYAD DATA_DIR
set -u
DYAD=$1
DATA=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/testlib.sh"

D=(--dicts "$DATA")
good='{"id":"g1","date":"2026-01-16","text":"Freedonia attacked Sylvania."}'
good2='{"id":"g2","date":"2026-01-17","text":"Sylvania praised the US."}'

# 1. malformed JSONL among good records: good ones coded, bad ones reported with file:line and byte
{
    echo "$good"
    echo '{"id":"b1","date":"2026-01-16","text":"unterminated'
    echo '[1,2,3]'
    echo '{"id":"b3","text":"no date given but one is required to be valid","date":"2026-02-31"}'
    echo '{"date":"2026-01-16","text":"no id"}'
    printf '{"id":"b5","date":"2026-01-16","text":"bad \xff byte"}\n'
    echo ''
    echo "$good2"
} > "$T/mixed.jsonl"
"$DYAD" code "${D[@]}" "$T/mixed.jsonl" > "$T/out" 2> "$T/err"
rc=$?
check "mixed: exit 3 when some records fail" test $rc -eq 3
check "mixed: good record 1 coded" contains "$T/out" '"story_id":"g1"'
check "mixed: good record 2 coded" contains "$T/out" '"story_id":"g2"'
check "mixed: unterminated JSON named with line" contains "$T/err" "mixed.jsonl:2: byte"
check "mixed: non-object named" contains "$T/err" "mixed.jsonl:3: .*JSON object"
check "mixed: bad date named" contains "$T/err" "mixed.jsonl:4: story b3: bad date '2026-02-31'"
check "mixed: missing id named" contains "$T/err" "mixed.jsonl:5: no \"id\""
check "mixed: invalid UTF-8 byte offset in the file" contains "$T/err" "mixed.jsonl:6: byte $(( $(head -5 "$T/mixed.jsonl" | wc -c) + 43 )): invalid UTF-8"
check "mixed: summary" contains "$T/err" "2 stories coded, .* 5 errors"

# 2. a binary file, an empty file, invalid UTF-8 in a text story, a missing file
printf 'ELF\0\1\2binary' > "$T/bin.txt"
: > "$T/empty.txt"
printf 'Freedonia attacked Sylvania.\nSylvania \xc3\x28 praised.\n' > "$T/latin.txt"
"$DYAD" code "${D[@]}" --date 2026-01-16 "$T/bin.txt" > "$T/out" 2> "$T/err"
check "binary: exit 1, nothing coded" test $? -eq 1
check "binary: NUL byte named" contains "$T/err" "bin.txt:1: byte 3: NUL byte"
"$DYAD" code "${D[@]}" --date 2026-01-16 "$T/empty.txt" > "$T/out" 2> "$T/err"
check "empty: exit 1" test $? -eq 1
check "empty: message" contains "$T/err" "empty.txt: empty input"
"$DYAD" code "${D[@]}" --date 2026-01-16 "$T/latin.txt" > "$T/out" 2> "$T/err"
check "latin: exit 1" test $? -eq 1
check "latin: line and byte" contains "$T/err" "latin.txt:2: byte 38: invalid UTF-8"
"$DYAD" code "${D[@]}" --date 2026-01-16 "$T/nope.txt" > "$T/out" 2> "$T/err"
check "missing file: exit 1" test $? -eq 1
check "missing file: message" contains "$T/err" "nope.txt: No such file"
"$DYAD" code "${D[@]}" --date 2026-13-01 "$T/latin.txt" > "$T/out" 2> "$T/err"
check "bad --date: usage exit" test $? -eq 2
check "bad --date: message" contains "$T/err" "bad --date '2026-13-01'"

# 3. a 10 MB line: refused with its place (over the 8 MiB story limit), the next record still coded
python3 - "$T/big.jsonl" <<'PY' 2>/dev/null || awk 'BEGIN{printf "{\"id\":\"big\",\"date\":\"2026-01-16\",\"text\":\""; for(i=0;i<1000000;i++) printf "Freedonia "; print "\"}"}' > "$T/big.jsonl"
import sys
with open(sys.argv[1], 'w') as f:
    f.write('{"id":"big","date":"2026-01-16","text":"' + 'Freedonia ' * 1000000 + '"}\n')
PY
echo "$good" >> "$T/big.jsonl"
"$DYAD" code "${D[@]}" "$T/big.jsonl" > "$T/out" 2> "$T/err"
check "big: exit 3" test $? -eq 3
check "big: refused with its line" contains "$T/err" "big.jsonl:1: story big: text of 10000000 bytes is over the limit"
check "big: next record coded" contains "$T/out" '"story_id":"g1"'

# 4. plain text, stdin, TSV, evidence offsets
printf 'Mr. Firefly spoke.\nFreedonia attacked Sylvania.\n' > "$T/story.txt"
"$DYAD" code "${D[@]}" --date 2026-01-16 --id s1 "$T/story.txt" > "$T/out" 2> "$T/err"
check "text: exit 0" test $? -eq 0
check "text: event" contains "$T/out" '"source":{"code":"FRD","text":"Freedonia","country":"FRD"},"target":{"code":"SYL"'
check "text: evidence offsets" contains "$T/out" '"evidence":{"start":19,"end":47,"text":"Freedonia attacked Sylvania."}'
"$DYAD" code "${D[@]}" --date 2026-01-16 --format tsv - < "$T/story.txt" > "$T/out" 2> "$T/err"
check "tsv: header" contains "$T/out" "^story_id	sentence	date	event_date	source"
check "tsv: row" contains "$T/out" "^<stdin>	1	2026-01-16		FRD	Freedonia	SYL	Sylvania	190	19	4	-10.0"
"$DYAD" code "${D[@]}" "$T/story.txt" > "$T/out" 2> "$T/err"
check "no date: said on stderr" contains "$T/err" "as of today"

# casualty records with --casualties
printf 'Vulgarian authorities said at least 40 protesters were detained.\n' > "$T/cas.txt"
"$DYAD" code "${D[@]}" --date 2026-01-16 --casualties "$T/cas.txt" > "$T/out" 2> "$T/err"
check "casualties: record" contains "$T/out" '"type":"casualties",.*"kind":"arrested","count":40,"qualifier":"at least","who":"protesters","reported_by":"Vulgarian authorities"'

# PLOVER-style records
"$DYAD" code "${D[@]}" --date 2026-01-16 --format plover "$T/story.txt" > "$T/out" 2> "$T/err"
check "plover: record" contains "$T/out" '"event_type":"ASSAULT",.*"actor":\[{"raw_text":"Freedonia","code":"FRD","country":"FRD","sector_code":""'
check "plover: recipient list" contains "$T/out" '"recipient":\[{"raw_text":"Sylvania"'

# 5. directories are walked; -j 2 gives the same output in the same order as -j 1
mkdir -p "$T/dir/sub"
for i in $(seq 1 300); do
    echo "{\"id\":\"s$i\",\"date\":\"2026-01-16\",\"text\":\"Freedonia attacked Sylvania. Vulgaria praised Freedonia number $i.\"}"
done > "$T/dir/a.jsonl"
cp "$T/story.txt" "$T/dir/sub/b.txt"
"$DYAD" code "${D[@]}" --date 2026-01-16 -j 1 "$T/dir" > "$T/out1" 2> "$T/err"
check "dir: exit 0" test $? -eq 0
"$DYAD" code "${D[@]}" --date 2026-01-16 -j 2 "$T/dir" > "$T/out2" 2> "$T/err"
check "-j 2: same bytes as -j 1" cmp -s "$T/out1" "$T/out2"
check "dir: 601 events" test "$(wc -l < "$T/out1")" -eq 601
check "dir: last story last" test "$(tail -1 "$T/out1" | grep -c '"story_id":".*sub/b.txt"')" -eq 1

# 6. dictionaries: lint reports every broken line and fails; lookup explains
printf '# dyad-dict 1\ncountry Atlantis = ATL\nperson X Y = ATLGOV@2020-02-30..\nverb 042 : \n' > "$T/bad.txt"
"$DYAD" dict lint "$T/bad.txt" > "$T/out" 2> "$T/err"
check "lint: exit 1" test $? -eq 1
check "lint: bad date line" contains "$T/out" "bad.txt:3: bad date '2020-02-30'"
"$DYAD" dict lint "$DATA/mini.txt" > "$T/out" 2> "$T/err"
check "lint: clean file exit 0" test $? -eq 0
"$DYAD" dict lookup "Sylvanian Prime Minister Vera Trentino" --date 2026-01-16 "${D[@]}" > "$T/out" 2> "$T/err"
check "lookup: person and code" contains "$T/out" "resolves to: SYLGOV  \"Sylvanian Prime Minister Vera Trentino\""
"$DYAD" code --dicts "$T/nodir" "$T/story.txt" > "$T/out" 2> "$T/err"
check "missing dicts dir: exit 1" test $? -eq 1

# 7. dyad eval: XML and JSONL gold give the same figures; seed rules; floors fail the run
G=$(dirname "$DATA")/gold
"$DYAD" eval --gold "$G/mini.xml" "${D[@]}" --json > "$T/x.json" 2> "$T/err"
check "eval xml: exit 0" test $? -eq 0
"$DYAD" eval --gold "$G/mini.jsonl" "${D[@]}" --json > "$T/j.json" 2> "$T/err"
check "eval xml = jsonl" cmp -s <(sed 's/"file":"[^"]*"//' "$T/x.json") <(sed 's/"file":"[^"]*"//' "$T/j.json")
check "eval figures" contains "$T/j.json" '"records":4,"exact":3,.*"code":{"tp":3,"fp":1,"fn":1'
"$DYAD" eval --gold "$G/mini.jsonl" "${D[@]}" --verbose > "$T/v" 2> "$T/err"
check "eval verbose: the miss" contains "$T/v" "^missed G4  SYL>FRD 051"
check "eval verbose: the extra" contains "$T/v" "^extra  G4  SYL>FRD 111"
"$DYAD" eval --gold "$G/mini.jsonl" "${D[@]}" --min-f1 0.9 > "$T/v" 2> "$T/err"
check "eval floor: exit 1" test $? -eq 1
check "eval floor: message" contains "$T/err" "FLOOR: F1 0.750 below 0.900"
"$DYAD" eval --gold "$G/expected.json" "${D[@]}" > "$T/v" 2> "$T/err"
check "seed rules: one must met, one missed" contains "$T/v" "seed: 1/2 must, 1 forbidden, 3 events"
check "seed rules: the hypothetical strike is excused" contains "$T/v" "forbidden coded: no-release$"

# --stats: throughput, and the events left out as historical references (dated years before the story)
printf '%s\n' '{"id":"h1","date":"2021-06-01","text":"Freedonia attacked Sylvania in June 2018. Sylvania praised the US."}' > "$T/hist.jsonl"
"$DYAD" code "${D[@]}" --stats "$T/hist.jsonl" > "$T/out" 2> "$T/err"
check "stats: the recalled 2018 attack left out" contains "$T/err" "events 1, historical events left out 1,"
check "stats: today's praise coded" contains "$T/out" '"cameo":"051"'

finish cli
