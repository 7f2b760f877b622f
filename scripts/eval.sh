#!/bin/sh
# make eval: dyad's accuracy on the reference data in ../shared, against the floors in eval/floors.
# Usage: scripts/eval.sh SHARED_DIR
set -u
S=${1:-../shared}
if [ ! -d "$S/seed" ]; then
    echo "eval: $S is not there (a fresh clone has no ../shared); nothing to evaluate" >&2
    exit 0
fi
. ./eval/floors
D=./build/dyad
rc=0
run() { # run NAME ARGS...
    name=$1
    shift
    echo "== $name"
    "$D" eval "$@" || rc=1
}
run "seed story (must/forbidden)" --gold "$S/seed/expected.json" --min-must "$SEED_MIN_MUST" --max-forbidden "$SEED_MAX_FORBIDDEN"
run "Phoenix GSR, dyad's dictionaries" --gold "$S/gold/phoenix-gsr/PETR2_GSR_english_with_treebank.jsonl" \
    --min-root-f1 "$GSR_OWN_MIN_ROOT_F1" 2>/dev/null
run "PETRARCH2 unit records, their dictionaries" --gold "$S/gold/petrarch-unit/PETR.UnitTest.records.jsonl" \
    --dicts "$S/gold/petrarch-unit/dicts" --min-exact "$UNIT_MIN_EXACT" 2>/dev/null
run "Phoenix GSR, Phoenix dictionaries" --gold "$S/gold/phoenix-gsr/PETR2_GSR_english_with_treebank.jsonl" \
    --dicts "$S/dicts/phoenix" --min-f1 "$GSR_PHOENIX_MIN_F1" 2>/dev/null
if command -v python3 >/dev/null 2>&1 && [ -f "$S/tools/score.py" ]; then
    echo "== independent scorer (../shared/tools/score.py)"
    python3 "$S/tools/score.py" seed "$D" "$S/seed/expected.json" | tail -1
    python3 "$S/tools/score.py" gold "$D" "$S/gold/phoenix-gsr/PETR2_GSR_english_with_treebank.jsonl" | tail -1
fi
if command -v python3 >/dev/null 2>&1 && [ -f eval/disagreements.tsv ]; then
    echo "== failing gold records by cause (eval/disagreements.tsv, scripts/causes.py)"
    python3 scripts/causes.py "$S" "$D"
fi
if command -v python3 >/dev/null 2>&1 && [ -f "$S/corpus/voa-stories.jsonl" ]; then
    echo "== VOA hand-coded sample (eval/voa-gold.tsv)"
    python3 scripts/voa_eval.py "$S" "$D" --min-f1="$VOA_MIN_F1" || rc=1
    echo "== VOA hand-coded sample B, out of sample (eval/voa-gold-b.tsv; no floor)"
    python3 scripts/voa_eval.py "$S" "$D" --gold=eval/voa-gold-b.tsv
    echo "== VOA hand-coded sample C, out of sample (eval/voa-gold-c.tsv; no floor)"
    python3 scripts/voa_eval.py "$S" "$D" --gold=eval/voa-gold-c.tsv
    echo "== VOA samples B and C pooled (no floor)"
    python3 scripts/voa_eval.py "$S" "$D" --gold=eval/voa-gold-b.tsv --gold=eval/voa-gold-c.tsv
    echo "== VOA hand-coded sample D, a training sample (eval/voa-gold-d.tsv; no floor)"
    python3 scripts/voa_eval.py "$S" "$D" --gold=eval/voa-gold-d.tsv
    echo "== VOA hand-coded sample E, a training sample (eval/voa-gold-e.tsv; no floor)"
    python3 scripts/voa_eval.py "$S" "$D" --gold=eval/voa-gold-e.tsv
    echo "== two blind codings of sample B against each other: the human ceiling (scripts/voa_agree.py)"
    python3 scripts/voa_agree.py eval/voa-gold-b.tsv eval/voa-gold-b2.tsv
fi
if command -v python3 >/dev/null 2>&1; then
    echo "== behavioural checklist (eval/checklist.tsv, scripts/checklist.py)"
    python3 scripts/checklist.py "$D" --min-exact="$CHECKLIST_MIN_EXACT" || rc=1
    echo "== held-out checklist B (eval/checklist-b.tsv: written blind, never tuned on; no floor)"
    python3 scripts/checklist.py "$D" --tsv=eval/checklist-b.tsv | tail -2 | head -1
fi
[ $rc -eq 0 ] && echo "eval: all figures at or above their floors" || echo "eval: a figure dropped below its floor" >&2
exit $rc
