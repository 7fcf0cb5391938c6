#!/usr/bin/env bash
# Re-cut ../krds.css and ../img/icon/ from the pinned krds-uiux 1.1.0 npm package.
# Needs node >= 18 and access to the npm registry (or a populated npm cache).
set -euo pipefail
cd "$(dirname "$0")"

npm ci --no-audit --no-fund
node cut.mjs "$@"
