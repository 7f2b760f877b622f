# testlib.sh - what the command tests share (sourced): counters, checks, and the closing line ctest reads.
#   check NAME COMMAND...   counts a pass when COMMAND succeeds, else prints "FAIL: NAME"
#   contains FILE PATTERN   grep for PATTERN in FILE
#   finish NAME             prints "NAME: N passed, M failed" and returns non-zero on any failure
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() {
    local name=$1
    shift
    if "$@"; then ok; else bad "$name"; fi
}
contains() { grep -q -- "$2" "$1"; }
finish() {
    echo "$1: $pass passed, $fail failed"
    test "$fail" -eq 0
}
