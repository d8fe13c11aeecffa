#!/usr/bin/env bash
# Runs the browser tests against the real server binary.
# Needs: web/dist built (npm run build) and embedded in the binary, the binary built
# (cargo build -p code-remote, or CODE_REMOTE_BIN=path), and Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
node --test --test-concurrency=1 e2e/app.test.mjs || status=$?
if [ "$status" -ne 0 ] && [ -f e2e/artifacts/server.log ]; then
  # A failure that does not repeat is diagnosed from what the server said at the time.
  echo "--- last 200 lines of the server's log (e2e/artifacts/server.log) ---" >&2
  tail -n 200 e2e/artifacts/server.log >&2
fi
exit "$status"
