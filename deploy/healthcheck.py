#!/usr/bin/env python3
"""Container health probe for Code Remote: GET http://127.0.0.1:<port><path>, exit 0 on a 2xx.

The port comes from CODE_REMOTE_LISTEN (the address the process listens on), so one probe serves
API nodes (8080) and worker nodes (9090). The path is the first argument: /healthz (the process is
up, the default) or /readyz (the database is reachable as well). The image has no curl; Python is
there anyway for the sandbox.
"""

import os
import sys
import urllib.error
import urllib.request

DEFAULT_LISTEN = "0.0.0.0:8080"
TIMEOUT_SECONDS = 3


def main() -> int:
    path = sys.argv[1] if len(sys.argv) > 1 else "/healthz"
    listen = os.environ.get("CODE_REMOTE_LISTEN", DEFAULT_LISTEN)
    port = listen.rsplit(":", 1)[-1]
    url = f"http://127.0.0.1:{port}{path}"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            return 0 if 200 <= response.status < 300 else 1
    except (urllib.error.URLError, OSError) as error:
        print(f"healthcheck: {url}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
