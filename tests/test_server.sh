#!/bin/bash
# test_server.sh - `dyad serve` for real: ingests a small JSONL written here into a real database, starts the
# server on a free loopback port (--listen 127.0.0.1:0: the kernel picks it, the server prints it), checks
# every endpoint with curl (answers, paging, filters against `dyad events`, byte spans, errors: 400, 401,
# 403, 404, 405, 413, 415), then the dashboard end to end in Debian's chromium driven by playwright-core
# (tests/e2e/dashboard.js; screenshots into ARTIFACTS). The browser part is skipped, saying why, only when
# node or chromium is not installed (scripts/install-deps.sh installs both).
# Usage: test_server.sh DYAD DICTS_DIR ARTIFACTS_DIR    (needs curl, jq, sqlite3)
set -u
DYAD=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
DATA=$(cd "$2" && pwd)
ART=${3:-$(pwd)/artifacts}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d)
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2> /dev/null; done
    rm -rf "$T"
}
trap cleanup EXIT
. "$(dirname "$0")/testlib.sh"
for tool in curl jq sqlite3; do
    if ! command -v $tool > /dev/null; then
        echo "server: $tool is missing (scripts/install-deps.sh installs it)"
        exit 1
    fi
done
unset DYAD_DB DYAD_TOKEN

# ---- the data: two months of Freedonia-Sylvania praise, five days of attacks (an escalation), a leaders'
# phone call, a story with non-ASCII text before its spans, ids with '/' and spaces ----
day() { date -u -d "2026-01-01 + $1 days" +%F; }
{
    i=0
    for d in $(seq 0 59); do
        i=$((i + 1))
        echo "{\"id\":\"coop-$i\",\"date\":\"$(day "$d")\",\"title\":\"Praise $i\",\"source\":\"wire\",\"text\":\"Freedonia praised Sylvania for its restraint in talks number $i.\"}"
        if [ $((d % 3)) -eq 0 ]; then
            i=$((i + 1))
            echo "{\"id\":\"coop-$i\",\"date\":\"$(day "$d")\",\"text\":\"Sylvania praised Freedonia after the meeting number $i.\"}"
        fi
    done
    for d in $(seq 50 54); do
        for k in 1 2 3; do
            i=$((i + 1))
            echo "{\"id\":\"attack-$i\",\"date\":\"$(day "$d")\",\"text\":\"Freedonia attacked Sylvania near the border post number $i.\"}"
        done
    done
    echo '{"id":"wire/2026/phone call","date":"2026-02-03","title":"Leaders talk","source":"wire","text":"Freedonian President Rufus Firefly held a phone call with Sylvanian Prime Minister Vera Trentino on Tuesday. Vulgaria praised Freedonia."}'
    echo '{"id":"zürich-1","date":"2026-02-10","title":"Zürich","text":"Après la réunion à Zürich — tense — Sylvanian Prime Minister Vera Trentino accused Freedonia of violating the ceasefire."}'
} > "$T/stories.jsonl"
DB="$T/events.db"
"$DYAD" ingest --db "$DB" --dicts "$DATA" "$T/stories.jsonl" 2> "$T/ingest.err"
check "ingest" grep -q "stored 97," "$T/ingest.err"
NEV=$(sqlite3 "$DB" 'SELECT count(*) FROM events')
check "events stored ($NEV)" test "$NEV" -gt 90

# ---- start a server; sets PORT and SPID ----
start() { # start NAME ARGS...
    local name=$1
    shift
    "$DYAD" serve --db "$DB" --dicts "$DATA" --listen 127.0.0.1:0 "$@" 2> "$T/$name.err" &
    SPID=$!
    PIDS+=("$SPID")
    PORT=""
    for _ in $(seq 1 100); do
        PORT=$(sed -n 's|^dyad serve: listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$T/$name.err")
        [ -n "$PORT" ] && return 0
        kill -0 "$SPID" 2> /dev/null || break
        sleep 0.1
    done
    echo "server $name did not start:"
    cat "$T/$name.err"
    return 1
}
if ! start main; then
    echo "server: 0 passed, 1 failed"
    exit 1
fi
MAIN_PID=$SPID
B="http://127.0.0.1:$PORT"
# req [curl args] URL: the body in $T/body, the status in $S
req() { S=$(curl -s -o "$T/body" -w '%{http_code}' --max-time 20 "$@"); }
body() { jq -r "$1" "$T/body" 2> /dev/null; }
status_is() { [ "$S" = "$1" ] || { echo "  got status $S: $(head -c 300 "$T/body")"; return 1; }; }
is_error() { status_is "$1" && [ "$(jq -r '.error | type' "$T/body" 2> /dev/null)" = string ]; }
json_ok() { jq -e . "$T/body" > /dev/null 2>&1; }

# ---- /api/openapi.json: OpenAPI 3 describing every endpoint ----
req "$B/api/openapi.json"
check "openapi: 200" status_is 200
check "openapi: version 3" [ "$(body '.openapi | startswith("3.")')" = true ]
for p in /api/events /api/dyads/top /api/series /api/alerts '/api/stories/{id}' /api/code /api/openapi.json; do
    check "openapi describes $p" [ "$(jq -r --arg p "$p" '.paths | has($p)' "$T/body")" = true ]
done
check "openapi: same bytes as docs/openapi.json" cmp -s "$T/body" "$ROOT/docs/openapi.json"
req "$B/api/info"
check "info" [ "$S:$(body .version)" = "200:$("$DYAD" version | cut -d' ' -f2)" ]
ANALYTICS=$(body .analytics)

# ---- /api/events: paging, filters equal to `dyad events` ----
req "$B/api/events?limit=10"
check "events: 200" status_is 200
check "events: a page of 10, next 10" [ "$(body '[.count, (.events | length), .offset, .limit, .next] | join(",")')" = "10,10,0,10,10" ]
check "events: first is row 1" [ "$(body '.events[0].id')" = 1 ]
# every page until next is null: every event once, in storage order
off=0
: > "$T/ids"
for _ in $(seq 1 50); do
    req "$B/api/events?limit=7&offset=$off"
    jq -r '.events[].id' "$T/body" >> "$T/ids"
    off=$(body .next)
    [ "$off" = null ] && break
done
check "events: paging visits all $NEV events once, in order" [ "$(cat "$T/ids")" = "$(seq 1 "$NEV")" ]
req "$B/api/events?offset=$NEV"
check "events: past the end: empty, next null" [ "$(body '[.count, .next] | map(tostring) | join(",")')" = "0,null" ]
# the event lines are dyad code's, with id, mentions and the actors' spans in front
"$DYAD" events --db "$DB" --limit 1 > "$T/cli1.jsonl"
req "$B/api/events?limit=1"
check "events: the JSON of dyad events, plus id/mentions/spans" \
    [ "$(jq -S -c '.events[0] | del(.id, .mentions, .source_span, .target_span)' "$T/body")" = "$(jq -S -c . "$T/cli1.jsonl")" ]
check "events: source span is the source text's bytes" [ "$(body '.events[0] | [.source_span.start, .source_span.end] | join(",")')" = "0,9" ]
filter_same() { # filter_same QUERY CLI-ARGS...: the API returns what dyad events prints, same ids
    local q=$1
    shift
    req "$B/api/events?limit=1000&$q"
    status_is 200 || return 1
    local n
    n=$("$DYAD" events --db "$DB" "$@" | wc -l)
    [ "$(body .count)" = "$n" ] && [ "$n" -gt 0 ] || { echo "  $q: api $(body .count), cli $n"; return 1; }
    [ "$(jq -c '[.events[] | {story_id, sentence, cameo}]' "$T/body")" = "$("$DYAD" events --db "$DB" "$@" | jq -s -c '[.[] | {story_id, sentence, cameo}]')" ]
}
check "events: dyad=FRD,SYL&cameo=190" filter_same "dyad=FRD,SYL&cameo=190" --dyad FRD,SYL --cameo 190
check "events: actor=SYLGOV" filter_same "actor=SYLGOV" --actor SYLGOV
check "events: from/to" filter_same "from=2026-02-01&to=2026-02-07" --from 2026-02-01 --to 2026-02-07
check "events: root=05&quad=1" filter_same "root=05&quad=1" --root 05 --quad 1
check "events: modality=factual&actor=VUL" filter_same "modality=factual&actor=VUL" --modality factual --actor VUL
check "events: text=border+post (full text)" filter_same "text=border%20post&limit=1000" --text "border post"
req "$B/api/events?dyad=FRD,SYL&cameo=190"
check "events: 15 attacks" [ "$(body '[.count, ([.events[] | select(.cameo == "190" and (.source.code | startswith("FRD")))] | length)] | join(",")')" = "15,15" ]
for q in limit=0 limit=1001 limit=x offset=-1 from=2026-13-01 to=yesterday "from=2026-02-02&to=2026-02-01" dyad=FRD \
    dyad=FRD,syl actor=frd "actor=F%27R" cameo=19x cameo=12345 root=1 quad=5 modality=maybe foo=1; do
    req "$B/api/events?$q"
    check "events: 400 for $q" is_error 400
done

# ---- /api/dyads/top, /api/series, /api/alerts (the analytics library) ----
if [ "$ANALYTICS" = true ]; then
    req "$B/api/dyads/top?by=volume&from=2026-01-01&to=2026-03-31&limit=3"
    check "top: 200" status_is 200
    check "top: FRD->SYL first by volume" [ "$(body '.dyads[0] | [.source, .target, .events] | join(",")')" = "FRD,SYL,$(sqlite3 "$DB" "SELECT count(*) FROM events WHERE source_code='FRD' AND target_code='SYL'")" ]
    check "top: at most limit rows" [ "$(body '.dyads | length')" -le 3 ]
    req "$B/api/dyads/top?by=conflict&from=2026-01-01&to=2026-03-31"
    check "top by conflict: FRD->SYL, score 150" [ "$(body '.dyads[0] | [.source, .target, .score] | join(",")')" = "FRD,SYL,150" ]
    for q in by=peace limit=0 limit=101 from=2026-02-30 foo=1; do
        req "$B/api/dyads/top?$q"
        check "top: 400 for $q" is_error 400
    done
    req "$B/api/series?a=FRD&b=SYL&by=week&both=1"
    check "series: 200" status_is 200
    NF=$(sqlite3 "$DB" "SELECT count(*) FROM events WHERE modality='factual' AND ((source_code >= 'FRD' AND source_code < 'FRE' AND target_code >= 'SYL' AND target_code < 'SYM') OR (source_code >= 'SYL' AND source_code < 'SYM' AND target_code >= 'FRD' AND target_code < 'FRE'))")
    check "series: the weeks' events add up to the dyad's factual events ($NF)" [ "$(body '[.points[].events] | add')" = "$NF" ]
    check "series: weeks start on Monday" [ "$(body '[.points[].period] | map(strptime("%Y-%m-%d") | mktime | strftime("%u")) | unique | join(",")')" = 1 ]
    check "series: the attack week is below zero" [ "$(body '[.points[] | select(.period == "2026-02-16") | .goldstein_sum < 0] | .[0]')" = true ]
    req "$B/api/series?a=FRD&b=SYL&by=day&from=2026-02-20&to=2026-02-22"
    check "series: a day of 3 attacks and a praise: -26.6" [ "$(body '[.points[] | .goldstein_sum] | join(",")')" = "-26.6,-26.6,-26.6" ]
    req "$B/api/series?a=FRD&by=month"
    check "series: a against everyone" [ "$S:$(body '.b')" = "200:null" ]
    for q in "b=SYL" "a=frd" "a=FRD&by=year" "a=FRD&both=2" "a=FRD&both=1" "a=FRD&from=2026-03-01&to=2026-02-01" \
        "a=FRD&from=1900-01-01&to=2026-01-01" "a=FRD&x=1"; do
        req "$B/api/series?$q"
        check "series: 400 for $q" is_error 400
    done
    req "$B/api/alerts"
    check "alerts: 200" status_is 200
    check "alerts: the escalation of FRD->SYL from 2026-02-20" [ "$(body '[.alerts[] | select(.source == "FRD" and .target == "SYL") | .start] | .[0]')" = 2026-02-20 ]
    req "$B/api/alerts?since=2026-03-01"
    check "alerts since after it: none" [ "$S:$(body '.alerts | length')" = "200:0" ]
    req "$B/api/alerts?since=soon"
    check "alerts: 400 for a bad date" is_error 400
else
    echo "server: dyad was built without dyadanalytics: /api/dyads/top, /api/series, /api/alerts must answer 501"
    for p in "dyads/top" "series?a=FRD" alerts; do
        req "$B/api/$p"
        check "$p: 501 without analytics" is_error 501
    done
fi

# ---- /api/stories/{id}: the text, its events, byte spans ----
req "$B/api/stories/wire%2F2026%2Fphone%20call"
check "story: 200 (id with '/' and a space)" status_is 200
check "story: its text" [ "$(body .story.text)" = "$(jq -r 'select(.id == "wire/2026/phone call") | .text' "$T/stories.jsonl")" ]
check "story: two events, the call first" [ "$(body '[.events[] | .cameo] | join(",")')" = "041,051" ]
check "story: the call's actors" [ "$(body '.events[0] | [.source.code, .target.code] | join(",")')" = "FRDGOV,SYLGOV" ]
req "$B/api/stories/z%C3%BCrich-1"
check "story: non-ASCII id" status_is 200
jq -j .story.text "$T/body" > "$T/text"
span_ok() { # the bytes of the story text at span $1 equal the text $2
    local s e
    s=$(body ".events[0].$1.start")
    e=$(body ".events[0].$1.end")
    [ "$(tail -c +$((s + 1)) "$T/text" | head -c $((e - s)))" = "$2" ]
}
check "story: trigger span is in bytes" span_ok trigger "$(body '.events[0].trigger.text')"
check "story: source span is in bytes" span_ok source_span "Sylvanian Prime Minister Vera Trentino"
check "story: evidence span" span_ok evidence "$(body '.events[0].evidence.text')"
check "story: same events as dyad events" [ "$(body '[.events[] | .id] | join(",")')" = "$(sqlite3 "$DB" "SELECT group_concat(e.id) FROM events e JOIN stories s ON s.id = e.story WHERE s.sid = 'zürich-1'")" ]
req "$B/api/stories/nope"
check "story: 404 for an unknown id" is_error 404
req "$B/api/stories/x%27%20OR%201%3D1%20--"
check "story: an id of SQL is just an unknown id" is_error 404
req "$B/api/stories/coop-1?x=1"
check "story: 400 for a parameter" is_error 400

# ---- POST /api/code ----
PHONE='Freedonian President Rufus Firefly held a phone call with Sylvanian Prime Minister Vera Trentino on Tuesday.'
code() { req -X POST -H 'Content-Type: application/json' --data-binary "$1" "$B/api/code"; }
code "$(jq -n --arg t "$PHONE" '{text: $t, date: "2026-02-03"}')"
check "code: 200" status_is 200
check "code: the phone call, 041 FRDGOV->SYLGOV" [ "$(body '.events[0] | [.source.code, .target.code, .cameo] | join(",")')" = "FRDGOV,SYLGOV,041" ]
check "code: as dyad code writes it" [ "$(jq -S -c '.events[0] | del(.source_span, .target_span)' "$T/body")" = \
    "$(printf '%s\n' "$PHONE" | "$DYAD" code --dicts "$DATA" --date 2026-02-03 --id api - 2> /dev/null | jq -S -c .)" ]
check "code: the date read" [ "$(body '.events[0].event_date.date')" = 2026-02-03 ]
check "code: nothing stored" [ "$(sqlite3 "$DB" 'SELECT count(*) FROM events')" = "$NEV" ]
code "$(jq -n --arg t "$PHONE" '{text: $t}')"
check "code: date defaults to today" [ "$S:$(body .date)" = "200:$(date -u +%F)" ]
code '{"text":"Nothing happened here."}'
check "code: no events" [ "$S:$(body '.events | length')" = "200:0" ]
for b in '' 'not json' '[1,2]' '{"text":1}' '{"text":""}' '{"date":"2026-01-01"}' '{"text":"x","date":"2026-02-30"}' \
    '{"text":"x","date":5}' '{"text":"x","id":[]}' '{"text":"a\u0000b"}'; do
    code "$b"
    check "code: 400 for body '$b'" is_error 400
done
req -X POST -H 'Content-Type: text/plain' --data-binary '{"text":"x"}' "$B/api/code"
check "code: 415 for text/plain (no cross-site form posts)" is_error 415
req -X POST --data-urlencode 'text=x' "$B/api/code"
check "code: 415 for a form" is_error 415
head -c 1100000 /dev/zero | tr '\0' a | jq -R -c '{text: .}' > "$T/big.json"
req -X POST -H 'Content-Type: application/json' --data-binary @"$T/big.json" "$B/api/code"
check "code: 413 for a body over 1 MiB" is_error 413
req -X POST -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' --data-binary @"$T/big.json" "$B/api/code"
check "code: 413 for a chunked body over 1 MiB" is_error 413
head -c 1000000 /dev/zero | tr '\0' a | jq -R -c '{text: .}' > "$T/under.json"
req -X POST -H 'Content-Type: application/json' --data-binary @"$T/under.json" "$B/api/code"
check "code: a body under the limit is coded" status_is 200
req "$B/api/code"
check "code: 405 for GET" is_error 405

# ---- routing, static files, security ----
req "$B/api/nope"
check "404 for an unknown endpoint" is_error 404
req -X DELETE "$B/api/events"
check "405 for DELETE" is_error 405
req "$B/"
check "dashboard: / is the page" [ "$S" = 200 ] && grep -q '<title>dyad' "$T/body"
for f in app.js style.css vendor/uPlot.iife.min.js vendor/uPlot.min.css; do
    req "$B/$f"
    check "dashboard: $f" status_is 200
done
S=$(curl -s -o /dev/null -w '%{content_type}' "$B/app.js")
check "dashboard: JavaScript type" [ "$S" = "text/javascript; charset=utf-8" ]
S=$(curl -s -D - -o /dev/null "$B/" | tr -d '\r' | grep -ci '^content-security-policy: default-src')
check "dashboard: a content security policy" [ "$S" = 1 ]
for p in /nope.html /../../etc/passwd /%2e%2e/%2e%2e/etc/passwd /.built /vendor//uPlot.min.css; do
    req --path-as-is "$B$p"
    check "404 for $p" is_error 404
done
req -H 'Host: evil.example' "$B/api/info"
check "403 for a foreign Host (DNS rebinding) without a token" is_error 403
req -H 'Host: localhost:1234' "$B/api/info"
check "Host localhost is fine" status_is 200

# ---- a token: every request needs it ----
TOK='s3cret-token-for-tests'
if start token --token "$TOK"; then
    BT="http://127.0.0.1:$PORT"
    req "$BT/api/info"
    check "token: 401 without it" is_error 401
    check "token: WWW-Authenticate Bearer" [ "$(curl -s -D - -o /dev/null "$BT/api/info" | tr -d '\r' | grep -i '^www-authenticate:' | cut -d' ' -f2)" = Bearer ]
    req -H "Authorization: Bearer wrong-token-for-tests" "$BT/api/info"
    check "token: 401 with a wrong one" is_error 401
    req -H "Authorization: Bearer ${TOK}x" "$BT/api/info"
    check "token: 401 with a longer one" is_error 401
    req -H "Authorization: Bearer ${TOK%?}" "$BT/api/info"
    check "token: 401 with a prefix of it" is_error 401
    req -H "Authorization: Bearer $TOK" "$BT/api/events?limit=1"
    check "token: 200 with it" [ "$S:$(body .count)" = "200:1" ]
    req -u "me:$TOK" "$BT/"
    check "token: the page with Basic auth (browsers)" status_is 200
    req "$BT/"
    check "token: the page needs it too" is_error 401
    req -X POST -H 'Content-Type: application/json' --data-binary @"$T/big.json" "$BT/api/code"
    check "token: 401 before reading a body" is_error 401
    req -H "Authorization: Bearer $TOK" -H 'Host: dyad.example.org' "$BT/api/info"
    check "token: any Host with the token" status_is 200
    kill "$SPID"
    wait "$SPID"
    check "token server: clean stop on SIGTERM" [ $? = 0 ]
else
    bad "server with --token did not start"
fi

# ---- the command line ----
"$DYAD" serve --db "$DB" --listen 0.0.0.0:0 2> "$T/e1"
check "not loopback without --token: exit 2" [ $? = 2 ] && grep -q -- '--token' "$T/e1"
"$DYAD" serve --db "$T/none.db" --listen 127.0.0.1:0 2> "$T/e2"
check "missing database: exit 1" [ $? = 1 ]
"$DYAD" serve --db "$DB" --listen 127.0.0.1:99999 2> "$T/e3"
check "bad port: exit 2" [ $? = 2 ]
"$DYAD" serve --db "$DB" --listen localhost:0 --token short 2> "$T/e4"
check "short token: exit 2" [ $? = 2 ]
"$DYAD" serve --help | grep -q -- '--listen' && ok || bad "serve --help"

# ---- the dashboard in a real browser ----
CHROMIUM=${CHROMIUM:-$(command -v chromium || true)}
if ! command -v node > /dev/null; then
    echo "server: e2e SKIPPED: node is not installed (scripts/install-deps.sh installs it)"
elif [ -z "$CHROMIUM" ]; then
    echo "server: e2e SKIPPED: chromium is not installed (scripts/install-deps.sh installs Debian's chromium)"
else
    if ! MODS=$(sh "$ROOT/scripts/install-e2e.sh" 2> "$T/npm.err" | tail -1); then
        cat "$T/npm.err"
        bad "e2e: playwright-core could not be installed (scripts/install-e2e.sh)"
    else
        mkdir -p "$ART"
        CHROMIUM="$CHROMIUM" NODE_PATH="$MODS" timeout 180 node "$ROOT/tests/e2e/dashboard.js" "$B" "$ART" > "$T/e2e.out" 2>&1
        rc=$?
        cat "$T/e2e.out"
        line=$(grep -E '^e2e: [0-9]+ passed, [0-9]+ failed' "$T/e2e.out" | tail -1)
        if [ -n "$line" ]; then
            p=$(echo "$line" | cut -d' ' -f2)
            f=$(echo "$line" | cut -d' ' -f4)
            pass=$((pass + p))
            fail=$((fail + f))
            [ "$rc" = 0 ] || [ "$f" != 0 ] || bad "e2e: exit $rc"
        else
            bad "e2e: no result (exit $rc)"
        fi
    fi
fi

# ---- a clean stop (the sanitizer build checks for leaks here) ----
kill "$MAIN_PID"
wait "$MAIN_PID"
check "clean stop on SIGTERM (exit 0, nothing leaked)" [ $? = 0 ]
if grep -q 'Sanitizer' "$T/main.err"; then
    bad "sanitizer report from the server"
    cat "$T/main.err"
fi
finish server
