# dyad: the two commands of the README are `make run` and `make test`.
#   make          build build/dyad (optimised) and the library
#   make run      install what is missing, build, code the bundled sample stories into an SQLite store
#   make test     install what is missing, build (release, and with sanitizers), run every test via ctest
#   make eval     accuracy on ../shared (seed story, gold records) against floors kept in eval/floors
#   make bench    throughput and memory on ../shared/corpus (never part of make test)
#   make fuzz     libFuzzer on the coder and the dictionary loader, a minute each (clang)

JOBS ?= 2
SHARED ?= ../shared

.PHONY: all deps run test test-release test-asan eval bench fuzz clean

all:
	@cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DDYAD_BIN_DIR=$(CURDIR)/build >/dev/null
	@cmake --build build/release -j $(JOBS)

deps:
	@sh scripts/install-deps.sh

run: deps all
	@mkdir -p out
	./build/dyad ingest --db out/dyad.db -j $(JOBS) samples/
	./build/dyad stats --db out/dyad.db
	./build/dyad events --db out/dyad.db --limit 5 --format tsv | cut -f1,2,5,7,9,14

test: deps test-release test-asan

test-release:
	@cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DDYAD_WERROR=ON -DDYAD_BIN_DIR=$(CURDIR)/build >/dev/null
	@cmake --build build/release -j $(JOBS)
	cd build/release && ctest --output-on-failure

test-asan:
	@cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DDYAD_SANITIZE=ON -DDYAD_WERROR=ON -DDYAD_BIN_DIR=$(CURDIR)/build/asan >/dev/null
	@cmake --build build/asan -j $(JOBS)
	cd build/asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure

eval: all
	@sh scripts/eval.sh $(SHARED)

bench: all
	@sh bench/run.sh $(SHARED)

fuzz: all
	@sh tests/fuzz/run.sh 60 code
	@sh tests/fuzz/run.sh 60 dict

clean:
	rm -rf build out
