#!/usr/bin/env python3
"""Tests of deploy/healthcheck.py against a real HTTP server on 127.0.0.1 (port chosen by the OS).

Prints one line per check and "healthcheck: N passed, N failed" last; exits 1 on any failure.
"""

import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

PROBE = Path(__file__).resolve().parent.parent / "healthcheck.py"


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        status = {"/healthz": 200, "/readyz": 503}.get(self.path, 404)
        self.send_response(status)
        self.end_headers()

    def log_message(self, *_args) -> None:
        pass


def probe(listen: str, *args: str) -> int:
    env = {**os.environ, "CODE_REMOTE_LISTEN": listen}
    return subprocess.run([sys.executable, str(PROBE), *args], env=env, capture_output=True, check=False).returncode


def main() -> int:
    # Bound before the probes run, so no waiting for readiness is needed.
    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    cases = [
        ("a 200 on /healthz is healthy", probe(f"0.0.0.0:{port}") == 0),
        ("a 503 on /readyz is unhealthy", probe(f"0.0.0.0:{port}", "/readyz") == 1),
        ("the port comes from CODE_REMOTE_LISTEN", probe(f"[::]:{port}", "/healthz") == 0),
    ]
    server.shutdown()
    server.server_close()
    cases.append(("a closed port is unhealthy", probe(f"0.0.0.0:{port}") == 1))
    for description, ok in cases:
        print(f"  {'ok  ' if ok else 'FAIL'}  {description}")
    failed = sum(not ok for _, ok in cases)
    print(f"healthcheck: {len(cases) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
