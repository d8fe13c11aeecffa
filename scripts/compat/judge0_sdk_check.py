"""Runs the official Judge0 Python SDK (judge0==0.0.8) against a running Code Remote.

Usage: CODE_REMOTE_URL=http://127.0.0.1:PORT CODE_REMOTE_KEY=<API key> CODE_REMOTE_TOKEN=<access
token> python judge0_sdk_check.py (the server started with --callback-allow-private, so the
callback receiver on 127.0.0.1 may be called). Each check prints one line; the exit status is
non-zero if any failed.
"""

import base64
import hashlib
import hmac
import http.server
import json
import os
import queue
import sys
import threading
import time
import urllib.request

import judge0

URL = os.environ["CODE_REMOTE_URL"].rstrip("/") + "/judge0"
KEY = os.environ["CODE_REMOTE_KEY"]
TOKEN = os.environ["CODE_REMOTE_TOKEN"]
failures = []


def check(name, condition, detail=""):
    print(("ok   " if condition else "FAIL ") + name + ("" if condition else f": {detail}"))
    if not condition:
        failures.append(name)


# The constructor calls GET /languages and GET /config_info and validates them.
client = judge0.Client(URL, headers={"X-Auth-Token": KEY})

plain = judge0.run(client=client, source_code="print(input()[::-1])", stdin="abc", language=71)
check("a plain run by integer id", plain.status == judge0.Status.ACCEPTED and plain.stdout == "cba\n", plain)
check("time is a number, memory in KB", plain.time is not None and plain.memory > 0, plain)

# An alias goes through GET /about's version; two test cases go through /submissions/batch.
cases = judge0.run(
    client=client,
    language=judge0.PYTHON,
    source_code="print(int(input())*2)",
    test_cases=[("1", "2"), {"input": "2", "expected_output": "5"}],
)
statuses = [str(case.status) for case in cases]
check("test cases by alias: Accepted, Wrong Answer", statuses == ["Accepted", "Wrong Answer"], statuses)

for alias in (judge0.PYTHON3, judge0.PYTHON_FOR_ML):
    run = judge0.run(client=client, language=alias, source_code="print('hi')")
    check(f"alias {alias.name}", run.status == judge0.Status.ACCEPTED and run.stdout == "hi\n", run)

tle = judge0.run(client=client, source_code="while True: pass", language=71, cpu_time_limit=1, cpu_extra_time=0.5)
check("Time Limit Exceeded", tle.status == judge0.Status.TIME_LIMIT_EXCEEDED, tle)

nzec = judge0.run(client=client, source_code="import sys\nsys.exit(3)", language=71)
check("Runtime Error (NZEC) with its exit code", nzec.status == judge0.Status.RUNTIME_ERROR_NZEC and nzec.exit_code == 3, nzec)

binary = judge0.run(client=client, source_code="import sys\nsys.stdout.buffer.write('é'.encode() + b'\\xff')", language=71)
check("non-UTF-8 output arrives through base64", binary.stdout == "é\ufffd", repr(binary.stdout))

pending = judge0.async_run(client=client, source_code="import time\ntime.sleep(0.5)\nprint('late')", language=71)
judge0.wait(client=client, submissions=pending)
check("async_run then wait", pending.stdout == "late\n" and float(pending.wall_time) >= 0.5, pending)

try:
    judge0.run(client=client, source_code="puts 1", language=72)
    check("another language is refused", False, "no error")
except Exception as err:  # the SDK: RuntimeError "does not support language" (not in /languages)
    check("another language is refused", "72" in str(err), err)


# A callback, as a Judge0 user sets it through the SDK: Judge0's PUT, here signed (Standard
# Webhooks) and verified with Python's own hmac, not the server's code.
received = queue.Queue()


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_PUT(self):
        body = self.rfile.read(int(self.headers["content-length"]))
        received.put((dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Receiver)
threading.Thread(target=server.serve_forever, daemon=True).start()
request = urllib.request.Request(
    os.environ["CODE_REMOTE_URL"].rstrip("/") + "/api/v1/webhooks/secret",
    method="POST",
    headers={"Authorization": f"Bearer {TOKEN}"},
)
secret = json.load(urllib.request.urlopen(request))["secret"]
hooked = judge0.run(
    client=client,
    source_code="print('called back')",
    language=71,
    callback_url=f"http://127.0.0.1:{server.server_port}/judge0",
)
try:
    headers, body = received.get(timeout=30)
    headers = {name.lower(): value for name, value in headers.items()}
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    check("a callback is signed with the Standard Webhooks recipe", expected in headers["webhook-signature"].split(), headers)
    check("its timestamp is now", abs(time.time() - int(headers["webhook-timestamp"])) < 300, headers)
    payload = json.loads(body)
    check(
        "its body is Judge0's, base64",
        payload["token"] == hooked.token and base64.b64decode(payload["stdout"]) == b"called back\n",
        payload,
    )
except queue.Empty:
    check("a callback arrives", False, "nothing within 30 s")
server.shutdown()

sys.exit(1 if failures else 0)
