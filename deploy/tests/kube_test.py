#!/usr/bin/env python3
"""Several nodes for real: `podman play kube` runs deploy/k8s's API and worker Deployments (two
API pods, two worker pods) against PostgreSQL from localhost/code-remote-postgres:15, and

- a job submitted through API node A runs on a worker container, and its output streams live over
  a WebSocket of API node B;
- four jobs run on the two workers; one worker container is killed (SIGKILL) mid-run; every job
  still finishes exactly once, with its output once, the killed worker's jobs on a second attempt.

podman 4.3 cannot play the manifests unchanged: `podman_variant` makes the differences, and
DIFFERENCES lists them (docs/deploy.md repeats the list). Everything else is the manifests' own:
images, arguments, environment, capabilities, user, read-only root, secrets by reference.

Usage: kube_test.py   (needs root, podman, `scripts/image` and `scripts/image --postgres` built,
the `websockets` package). Prints one line per check and "kube: N passed, N failed" last.
"""

import base64
import copy
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import yaml
from websockets.sync.client import connect

REPO = Path(__file__).resolve().parents[2]
IMAGE = os.environ.get("CODE_REMOTE_IMAGE", "localhost/code-remote:latest")
POSTGRES_IMAGE = "localhost/code-remote-postgres:15"
NETWORK = "code-remote-kube"
POSTGRES = "code-remote-kube-postgres"
# host ports, all on 127.0.0.1
API_NODES = {"code-remote-api-a": 18491, "code-remote-api-b": 18492}
WORKER_NODES = {"code-remote-worker-a": 18493, "code-remote-worker-b": 18494}

DIFFERENCES = [
    "kinds podman 4.3 does not play (Namespace, Service, HPA, PDB, NetworkPolicy, Ingress, the "
    "adapter's ConfigMap, the kustomization) are left out; everything runs in one namespace on one "
    "bridge network, with PostgreSQL as a plain container named postgres on it",
    "replicas: podman publishes every replica on the same host port, so each Deployment becomes "
    "two one-replica Deployments (-a, -b)",
    "ports get hostIP 127.0.0.1 and a hostPort of their own (podman would publish them on 0.0.0.0)",
    "probes are removed: podman turns a livenessProbe on a named port into `curl localhost:0` (the "
    "image has no curl; without systemd nothing runs it); the test polls /readyz itself",
    "emptyDir volumes become disk volumes shared by every pod using the name: each pod's are "
    "renamed after it, and sizeLimit/medium are lost",
    "the JWT key volume names its own Secret (code-remote-jwt) with `optional: false` (without "
    "it podman 4.3 panics) and the key text as its data (podman writes data verbatim, undecoded)",
    "the Secrets for secretKeyRef are podman secrets holding JSON ({key: base64}) instead of "
    "YAML (podman issue 16269)",
    "image: the locally built one instead of the registry's",
]


passed = 0
failed = 0


def check(description, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"  ok    {description}")
    else:
        failed += 1
        print(f"  FAIL  {description}")
        if detail:
            print("        " + str(detail).replace("\n", "\n        ")[:4000])


def podman(*args, input=None, check_rc=True):
    result = subprocess.run(["podman", *args], capture_output=True, text=True, input=input)
    if check_rc and result.returncode != 0:
        raise RuntimeError(f"podman {' '.join(args[:3])}…: {result.stderr.strip()[-2000:]}")
    return result


def deployment(path):
    for document in yaml.safe_load_all(path.read_text()):
        if document and document["kind"] == "Deployment":
            return document
    raise ValueError(f"{path} has no Deployment")


def podman_variant(original, name, host_port):
    """The Deployment `original` as podman 4.3 can play it (see DIFFERENCES)."""
    d = copy.deepcopy(original)
    d["metadata"]["name"] = name
    d["metadata"].pop("namespace", None)
    d["spec"]["replicas"] = 1
    spec = d["spec"]["template"]["spec"]
    renamed = {}
    for volume in spec.get("volumes", []):
        if "emptyDir" in volume:
            renamed[volume["name"]] = f"{name}-{volume['name']}"
            volume["name"] = renamed[volume["name"]]
        if "secret" in volume:
            volume["secret"]["secretName"] = "code-remote-jwt"
            volume["secret"]["optional"] = False
    for container in spec["containers"]:
        container["image"] = IMAGE
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            container.pop(probe, None)
        for port in container.get("ports", []):
            port["hostIP"] = "127.0.0.1"
            port["hostPort"] = host_port
        for mount in container.get("volumeMounts", []):
            mount["name"] = renamed.get(mount["name"], mount["name"])
    return d


def get(url, token=None, timeout=10):
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, response.read()


def api(port, method, path, body=None, token=None):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1{path}",
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
    )
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def wait_ready(port, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if get(f"http://127.0.0.1:{port}/readyz", timeout=2)[0] == 200:
                return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    return False


def container_of(deployment_name):
    return f"{deployment_name}-pod-0-{'api' if '-api-' in deployment_name else 'worker'}"


def claimed_by(job_id):
    """The worker containers whose log says they claimed `job_id`."""
    found = []
    for worker in WORKER_NODES:
        logs = podman("logs", container_of(worker), check_rc=False)
        for line in (logs.stdout + logs.stderr).splitlines():
            if job_id in line and '"claimed"' in line:
                found.append(worker)
    return found


def wait_final(port, token, job_id, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status, job = api(port, "GET", f"/executions/{job_id}", token=token)
        if status == 200 and job["status"] not in ("queued", "running"):
            return job
        time.sleep(0.3)
    return job


def events_over_websocket(port, token, job_id, seconds=60):
    """Every event of `job_id` from API node `port`'s WebSocket, with arrival times, until the
    finished event and half a second more (a second finished event would show up there)."""
    events = []
    with connect(f"ws://127.0.0.1:{port}/api/v1/ws?token={token}", open_timeout=10) as socket:
        socket.send(json.dumps({"type": "subscribe", "job_id": job_id}))
        deadline = time.monotonic() + seconds
        finished_at = None
        while time.monotonic() < deadline:
            if finished_at and time.monotonic() > finished_at + 0.5:
                break
            try:
                frame = json.loads(socket.recv(timeout=0.5))
            except TimeoutError:
                continue
            if frame.get("job_id") == job_id:
                events.append((time.monotonic(), frame))
                if frame["type"] == "finished" and finished_at is None:
                    finished_at = time.monotonic()
    return events


def start(work):
    password = secrets.token_hex(24)
    url = f"postgres://code_remote:{password}@postgres:5432/code_remote"
    podman("network", "create", NETWORK)
    podman(
        "run", "-d", "--name", POSTGRES, "--network", NETWORK, "--network-alias", "postgres",
        "-e", "POSTGRES_USER=code_remote", "-e", "POSTGRES_DB=code_remote",
        "-e", f"POSTGRES_PASSWORD={password}", POSTGRES_IMAGE,
    )
    encoded = base64.b64encode(url.encode()).decode()
    for secret in ("code-remote", "code-remote-worker"):
        podman("secret", "create", secret, "-", input=json.dumps({"database-url": encoded}))
    jwt_key = base64.b64encode(secrets.token_bytes(64)).decode()
    jwt_secret = {
        "apiVersion": "v1", "kind": "Secret", "metadata": {"name": "code-remote-jwt"},
        "type": "Opaque", "data": {"jwt.key": jwt_key},
    }
    (work / "jwt.yaml").write_text(yaml.safe_dump(jwt_secret))
    podman("play", "kube", str(work / "jwt.yaml"))
    api_doc = deployment(REPO / "deploy/k8s/api.yaml")
    worker_doc = deployment(REPO / "deploy/k8s/worker.yaml")
    for nodes, doc in ((API_NODES, api_doc), (WORKER_NODES, worker_doc)):
        for name, port in nodes.items():
            path = work / f"{name}.yaml"
            path.write_text(yaml.safe_dump(podman_variant(doc, name, port)))
            podman("play", "kube", "--network", NETWORK, str(path))


def stop(work):
    for name in [*API_NODES, *WORKER_NODES]:
        path = work / f"{name}.yaml"
        if path.exists():
            podman("play", "kube", "--down", str(path), check_rc=False)
        for volume in ("tmp", "run", "data"):
            podman("volume", "rm", "-f", f"{name}-{volume}", check_rc=False)
    podman("secret", "rm", "code-remote", "code-remote-worker", check_rc=False)
    podman("volume", "rm", "-f", "code-remote-jwt", check_rc=False)  # the played Secret
    podman("rm", "-f", "-v", POSTGRES, check_rc=False)
    podman("network", "rm", "-f", NETWORK, check_rc=False)


def check_pods():
    worker = json.loads(podman("inspect", container_of("code-remote-worker-a")).stdout)[0]
    api_node = json.loads(podman("inspect", container_of("code-remote-api-a")).stdout)[0]
    check(
        "the worker container holds the manifest's capabilities (KILL, SETGID, SETPCAP, SETUID, "
        "SYS_ADMIN), a read-only root, uid 0, not privileged",
        worker["EffectiveCaps"] == ["CAP_KILL", "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_ADMIN"]
        and worker["HostConfig"]["ReadonlyRootfs"]
        and worker["HostConfig"]["Privileged"] is False
        and worker["Config"]["User"] in ("0", "0:0", ""),
        (worker["EffectiveCaps"], worker["Config"]["User"]),
    )
    check(
        "the API container runs as uid 10001 with no capabilities and a read-only root",
        api_node["EffectiveCaps"] in ([], None)
        and api_node["Config"]["User"].split(":")[0] == "10001"
        and api_node["HostConfig"]["ReadonlyRootfs"],
        (api_node["EffectiveCaps"], api_node["Config"]["User"]),
    )
    for worker_name in WORKER_NODES:
        logs = podman("logs", container_of(worker_name))
        check(
            f"{worker_name}: doctor says runs are safe with nothing weaker (noexec scratch), on PostgreSQL",
            "Runs are safe" in logs.stdout + logs.stderr and "postgres" in logs.stdout + logs.stderr
            and "/box, /tmp and /dev/shm are noexec tmpfs" in logs.stdout + logs.stderr
            and "WEAKER" not in logs.stdout + logs.stderr,
            (logs.stdout + logs.stderr)[-1500:],
        )


def check_streaming(api_a, api_b, token):
    code = "import time\nfor i in range(6):\n    print('line', i, flush=True)\n    time.sleep(0.4)\n"
    status, job = api(api_a, "POST", "/executions", {"code": code}, token)
    check("a job is accepted by API node A", status == 202, (status, job))
    events = events_over_websocket(api_b, token, job["id"])
    output = "".join(f["data"] for _, f in events if f["type"] == "output")
    finished = [(t, f) for t, f in events if f["type"] == "finished"]
    first_output = next((t for t, f in events if f["type"] == "output"), None)
    check(
        "its output streams through API node B's WebSocket, in order, before it finishes",
        output == "".join(f"line {i}\n" for i in range(6))
        and len(finished) == 1
        and finished[0][1]["execution"]["status"] == "succeeded"
        and first_output is not None
        and finished[0][0] - first_output > 1.0,
        [f for _, f in events],
    )
    seqs = [f["seq"] for _, f in events]
    check("the events arrive once each, without gaps", seqs == list(range(seqs[0], seqs[0] + len(seqs))), seqs)
    workers = claimed_by(job["id"])
    check(f"it ran on a worker container ({', '.join(workers)})", len(workers) == 1, workers)


def check_worker_killed(api_a, api_b, tokens):
    code = "import time\nprint('start', flush=True)\ntime.sleep(5)\nprint('token {}')\n"
    jobs = {}
    for i, token in enumerate(tokens):
        mark = secrets.token_hex(4)
        status, job = api(api_a, "POST", "/executions", {"code": code.format(mark)}, token)
        assert status == 202, (status, job)
        jobs[job["id"]] = (token, mark)
    deadline = time.monotonic() + 30
    placed = {}
    while time.monotonic() < deadline and len(placed) < len(jobs):
        for job_id in jobs:
            workers = claimed_by(job_id)
            if workers:
                placed[job_id] = workers[0]
        time.sleep(0.3)
    check(
        f"{len(jobs)} jobs run at once on both workers",
        len(placed) == len(jobs) and set(placed.values()) == set(WORKER_NODES),
        placed,
    )
    victim = "code-remote-worker-a"
    lost = [job_id for job_id, worker in placed.items() if worker == victim]
    podman("kill", "--signal", "KILL", container_of(victim))
    killed_at = time.monotonic()
    finals = {job_id: wait_final(api_b, token, job_id) for job_id, (token, _) in jobs.items()}
    took = time.monotonic() - killed_at
    for job_id, job in finals.items():
        _, mark = jobs[job_id]
        expected_attempts = 2 if job_id in lost else 1
        check(
            f"job {job_id[-8:]} ({'on the killed worker' if job_id in lost else 'elsewhere'}) "
            f"finishes once: succeeded, its output once, attempt {expected_attempts}",
            job["status"] == "succeeded"
            and job["stdout"] == f"start\ntoken {mark}\n"
            and job["attempts"] == expected_attempts,
            {k: job.get(k) for k in ("status", "stdout", "stderr", "attempts", "message")},
        )
        events = events_over_websocket(api_b, jobs[job_id][0], job_id, seconds=10)
        finished = [f for _, f in events if f["type"] == "finished"]
        check(f"job {job_id[-8:]} has exactly one finished event", len(finished) == 1, finished)
    print(f"        (the killed worker's jobs finished {took:.1f} s after the kill; lease 15 s)")


def main():
    started = time.monotonic()
    print("  what podman 4.3 needs changed in the manifests (docs/deploy.md):")
    for difference in DIFFERENCES:
        print(f"    - {difference}")
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        stop(work)  # leftovers of an interrupted run
        try:
            start(work)
            ready = all(wait_ready(port) for port in [*API_NODES.values(), *WORKER_NODES.values()])
            check(
                f"podman play kube: 2 API and 2 worker pods ready in {time.monotonic() - started:.1f} s",
                ready,
                podman("ps", "-a", "--format", "{{.Names}} {{.Status}}").stdout,
            )
            if ready:
                api_a, api_b = API_NODES.values()
                tokens = []
                for i in range(4):
                    node = api_a if i % 2 == 0 else api_b
                    status, body = api(
                        node, "POST", "/auth/register",
                        {"username": f"kube-{i}", "password": "a long enough password"},
                    )
                    assert status == 201, (status, body)
                    tokens.append(body["access_token"])
                check_pods()
                check_streaming(api_a, api_b, tokens[1])
                check_worker_killed(api_a, api_b, tokens)
        finally:
            stop(work)
    print(f"        (multi-node test: {time.monotonic() - started:.0f} s)")
    print(f"kube: {passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
