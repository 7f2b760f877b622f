#!/bin/sh
# Fuzz with libFuzzer (clang): tests/fuzz/run.sh [SECONDS] [code|dict]. Builds its own instrumented copy
# of the library in build/fuzz. Not part of make test.
set -eu
SECS=${1:-60}
T=${2:-code}
cd "$(dirname "$0")/../.."
B=build/fuzz
mkdir -p "$B/corpus-$T"
CC=clang cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=Debug -DDYAD_SANITIZE=ON -DDYAD_BIN_DIR="$PWD/$B/bin" \
    -DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link" >/dev/null
cmake --build "$B" -j 2 --target dyadlib >/dev/null
clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude "tests/fuzz/fuzz_$T.c" "$B/libdyad.a" \
    $(pkg-config --libs libutf8proc) -o "$B/fuzz_$T"
# seeds: sample stories for the coder, our test dictionary for the loader
if [ "$T" = code ]; then cp samples/stories.jsonl "$B/corpus-$T/seed1"; else cp tests/data/mini.txt "$B/corpus-$T/seed1"; fi
"$B/fuzz_$T" -max_total_time="$SECS" -max_len=4096 "$B/corpus-$T"
