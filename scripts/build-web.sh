#!/bin/sh
# Build the dashboard of `dyad serve` into OUT: the page's own files from web/ (HTML, JS, CSS) and uPlot's
# dist files (uPlot.iife.min.js, uPlot.min.css), at the exact version pinned by web/package.json and
# web/package-lock.json, installed with `npm ci` into build/npm-web (shared by every build directory) and
# copied next to the page, into OUT/vendor/. Nothing else is downloaded. CMake runs this at build time
# (target dyad-web) and compiles OUT into `dyad serve` as its default --web directory.
# Usage: scripts/build-web.sh [OUT] [--or-warn]   (OUT defaults to build/webroot under the repository)
#   --or-warn: when npm is missing or fails (no network), say so and exit 0 without a dashboard (the build
#   goes on; dyad serve then serves the API only, and the next build tries again)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/build/webroot}
npmdir=${DYAD_NPM_WEB:-$root/build/npm-web}
if ! sh "$root/scripts/npm-install.sh" "$root/web" "$npmdir"; then
    if [ "${2:-}" = "--or-warn" ]; then
        echo "build-web: WARNING: uPlot could not be installed: no dashboard in $out (dyad serve: API only)" >&2
        exit 0
    fi
    exit 1
fi
dist="$npmdir/node_modules/uplot/dist"
for f in uPlot.iife.min.js uPlot.min.css; do
    if [ ! -f "$dist/$f" ]; then
        echo "build-web: $dist/$f missing after npm ci" >&2
        exit 1
    fi
done
mkdir -p "$out/vendor"
for f in "$root"/web/*.html "$root"/web/*.js "$root"/web/*.css; do
    [ -f "$f" ] && cp "$f" "$out/"
done
cp "$dist/uPlot.iife.min.js" "$dist/uPlot.min.css" "$out/vendor/"
cp "$npmdir/node_modules/uplot/LICENSE" "$out/vendor/uPlot.LICENSE" 2>/dev/null || true
touch "$out/.built"
