#!/bin/sh
# Install the npm packages pinned by DIR/package.json and DIR/package-lock.json into DEST/node_modules with
# `npm ci` (exact versions of the lock; nothing else is downloaded; no install scripts run). Does nothing when
# DEST already holds an install of the same lock. Installs into a fresh directory and moves it into place, so
# that two builds running at once never see half an install. Used by build-web.sh and install-e2e.sh.
# Usage: scripts/npm-install.sh DIR DEST      exit 1 when npm is missing or the install fails
set -eu
src=$1
dest=$2
if [ -f "$dest/package-lock.json" ] && [ -d "$dest/node_modules" ] && cmp -s "$src/package-lock.json" "$dest/package-lock.json"; then
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "npm-install: npm not found (scripts/install-deps.sh installs it)" >&2
    exit 1
fi
mkdir -p "$(dirname "$dest")"
tmp=$(mktemp -d "$(dirname "$dest")/.npm.XXXXXX")
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
cp "$src/package.json" "$src/package-lock.json" "$tmp/"
to=""
command -v timeout >/dev/null 2>&1 && to="timeout 300"
if ! $to npm ci --prefix "$tmp" --no-audit --no-fund --ignore-scripts --loglevel=error \
        --prefer-offline --fetch-retries=1 --fetch-timeout=30000 >&2; then
    echo "npm-install: npm ci failed in $src (no network?)" >&2
    exit 1
fi
if [ -f "$dest/package-lock.json" ] && cmp -s "$src/package-lock.json" "$dest/package-lock.json"; then
    exit 0 # another build got there first
fi
rm -rf "$dest"
mv "$tmp" "$dest"
trap - EXIT
echo "npm-install: installed $(basename "$src")'s packages into $dest" >&2
