#!/usr/bin/env bash
# Runs the browser tests against the real server binary.
# Needs: web/dist built (npm run build) and embedded in the binary, the binary built
# (cargo build -p code-remote, or CODE_REMOTE_BIN=path), and Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
exec node --test --test-concurrency=1 e2e/app.test.mjs
