#!/bin/sh
# Install the end-to-end tests' npm packages (playwright-core, pinned by tests/e2e/package.json and its lock)
# into build/npm-e2e. No browser is downloaded: the tests drive Debian's chromium (/usr/bin/chromium,
# installed by scripts/install-deps.sh). Called by tests/test_server.sh.
# Usage: scripts/install-e2e.sh [DEST]   prints DEST/node_modules on success
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-$root/build/npm-e2e}
sh "$root/scripts/npm-install.sh" "$root/tests/e2e" "$dest"
echo "$dest/node_modules"
