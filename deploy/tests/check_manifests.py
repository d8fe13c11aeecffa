#!/usr/bin/env python3
"""Cross-file checks of deploy/ that schemas cannot express.

The JSON-schema validators say each file is well-formed; this says the files agree with each
other and with the sandbox's needs: selectors select, secrets exist, probes hit /healthz and
/readyz on a declared port, the worker holds exactly the privileges docs/deploy.md justifies,
nothing secret is committed, and the Dockerfile copies files that exist.

Usage: check_manifests.py DEPLOY_DIR. Needs PyYAML. Prints one line per check and
"manifests: N passed, N failed" last; exits 1 if any check failed.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

WORKER_CAPS = {"SYS_ADMIN", "SETPCAP", "SETUID", "SETGID", "KILL"}
API_PORT, WORKER_PORT = 8080, 9090
QUEUE_METRIC = "code_remote_queue_depth"
K8S_NOT_APPLIED = {"secret.example.yaml", "ingress.yaml", "prometheus-adapter.yaml", "kustomization.yaml"}
PLACEHOLDER = re.compile(r"^$|CHANGE-ME")
REQUIRED_VAR = re.compile(r"\$\{(\w+):\?[^}]*\}")


class Checks:
    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0

    def check(self, ok: bool, description: str, detail: str = "") -> None:
        if ok:
            self.passed += 1
            print(f"  ok    {description}")
        else:
            self.failed += 1
            print(f"  FAIL  {description}" + (f"\n        {detail}" if detail else ""))


def load_all(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def by_kind(docs: list[dict], kind: str) -> list[dict]:
    return [d for d in docs if d.get("kind") == kind]


def selects(selector: dict, labels: dict) -> bool:
    wanted = selector.get("matchLabels", {})
    return bool(wanted) and all(labels.get(k) == v for k, v in wanted.items())


def env_of(container: dict) -> dict[str, dict]:
    return {e["name"]: e for e in container.get("env", [])}


# --- Kubernetes -------------------------------------------------------------------------------


def check_kubernetes(k8s: Path, c: Checks) -> None:
    files = {p.name: load_all(p) for p in sorted(k8s.glob("*.yaml"))}
    kustomization = files["kustomization.yaml"][0]
    applied = [d for name in kustomization["resources"] for d in files.get(name, [])]
    c.check(
        all((k8s / r).exists() for r in kustomization["resources"]),
        "kustomization lists only files that exist",
    )
    c.check(
        set(kustomization["resources"]) == set(files) - K8S_NOT_APPLIED,
        "kustomization applies every manifest except the template, Ingress and adapter rule",
        f"resources: {kustomization['resources']}",
    )

    namespaces = {d["metadata"]["name"]: d for d in by_kind(applied, "Namespace")}
    everything = [d for docs in files.values() for d in docs if d.get("kind") not in (None, "Kustomization")]
    outside = [
        f"{d['kind']}/{d['metadata']['name']}"
        for d in everything
        if d["kind"] != "Namespace" and d["metadata"].get("namespace") not in namespaces
        and d["metadata"].get("namespace") != "monitoring"
    ]
    c.check(not outside, "every namespaced resource lives in a namespace the manifests create", str(outside))

    deployments = {d["metadata"]["name"]: d for d in by_kind(applied, "Deployment")}
    api, worker = deployments.get("code-remote-api"), deployments.get("code-remote-worker")
    c.check(api is not None and worker is not None, "an API and a worker Deployment exist")
    if api is None or worker is None:
        return
    image_names = {kustomization["images"][0]["name"]}

    for name, deployment in deployments.items():
        spec = deployment["spec"]
        pod = spec["template"]["spec"]
        labels = spec["template"]["metadata"]["labels"]
        c.check(selects(spec["selector"], labels), f"{name}: its selector matches its pod labels")
        for container in pod["containers"]:
            ports = {p["name"]: p["containerPort"] for p in container.get("ports", [])}
            resources = container.get("resources", {})
            c.check(
                all(resources.get(kind, {}).get(r) for kind in ("requests", "limits") for r in ("cpu", "memory")),
                f"{name}: CPU and memory requests and limits are set",
            )
            probes = {p: container.get(p, {}).get("httpGet", {}) for p in ("livenessProbe", "readinessProbe", "startupProbe")}
            c.check(
                probes["livenessProbe"].get("path") == "/healthz"
                and probes["readinessProbe"].get("path") == "/readyz"
                and probes["startupProbe"].get("path") == "/healthz",
                f"{name}: liveness and startup probe /healthz, readiness probe /readyz",
            )
            c.check(
                all(p.get("port") in ports for p in probes.values()),
                f"{name}: probes use a declared container port",
            )
            listen = env_of(container).get("CODE_REMOTE_LISTEN", {}).get("value", "")
            c.check(
                listen.startswith("0.0.0.0:") and int(listen.rsplit(":", 1)[1]) in ports.values(),
                f"{name}: CODE_REMOTE_LISTEN binds all interfaces on the declared port",
                listen,
            )
            c.check(
                container["image"].split(":")[0] in image_names,
                f"{name}: the image is the one kustomization.yaml rewrites",
            )
            check_secret_references(name, deployment, container, pod, files["secret.example.yaml"], c)
        c.check(pod.get("automountServiceAccountToken") is False, f"{name}: no service account token is mounted")

    api_container = api["spec"]["template"]["spec"]["containers"][0]
    api_pod = api["spec"]["template"]["spec"]
    c.check(api_container["args"][:3] == ["serve", "--workers", "0"], "API pods are API-only (serve --workers 0)")
    trusted = env_of(api_container).get("CODE_REMOTE_TRUSTED_PROXIES", {}).get("value", "")
    c.check(
        bool(trusted) and all(n.strip() and n.strip() not in ("0.0.0.0/0", "::/0") for n in trusted.split(",")),
        "API pods trust X-Forwarded-For from a configured proxy network, not from everyone",
        trusted,
    )
    api_security = api_container["securityContext"]
    c.check(
        api_pod["securityContext"].get("runAsNonRoot") is True
        and api_security.get("allowPrivilegeEscalation") is False
        and api_security.get("capabilities") == {"drop": ["ALL"]}
        and api_security.get("readOnlyRootFilesystem") is True
        and api_pod["securityContext"].get("seccompProfile", {}).get("type") == "RuntimeDefault",
        "API pods meet the restricted Pod Security level: non-root, no capabilities, RuntimeDefault seccomp",
    )
    c.check(
        namespaces[api["metadata"]["namespace"]]["metadata"]["labels"].get("pod-security.kubernetes.io/enforce") == "restricted",
        "the API namespace enforces the restricted Pod Security level",
    )

    worker_container = worker["spec"]["template"]["spec"]["containers"][0]
    security = worker_container["securityContext"]
    c.check(worker_container["args"][:1] == ["worker"], "worker pods run `code-remote worker`")
    c.check(not security.get("privileged"), "worker pods are not privileged")
    c.check(
        security.get("capabilities", {}).get("drop") == ["ALL"]
        and set(security.get("capabilities", {}).get("add", [])) == WORKER_CAPS,
        f"worker pods drop all capabilities and add exactly {', '.join(sorted(WORKER_CAPS))}",
        str(security.get("capabilities")),
    )
    c.check(
        security.get("seccompProfile", {}).get("type") == "RuntimeDefault",
        "worker pods keep the runtime's default seccomp profile (not Unconfined)",
    )
    c.check(security.get("procMount", "Default") == "Default", "worker pods keep the masked /proc")
    c.check(security.get("readOnlyRootFilesystem") is True, "worker pods have a read-only root filesystem")
    c.check(
        "hostPID" not in worker["spec"]["template"]["spec"] and "hostNetwork" not in worker["spec"]["template"]["spec"]
        and not any("hostPath" in v for v in worker["spec"]["template"]["spec"].get("volumes", [])),
        "worker pods share nothing with the host (no hostPID, hostNetwork or hostPath)",
    )
    check_worker_mounts(worker, c)

    for kind in ("Service", "PodDisruptionBudget", "NetworkPolicy"):
        for doc in by_kind(applied, kind):
            selector = doc["spec"].get("selector") or doc["spec"].get("podSelector")
            selector = selector if "matchLabels" in selector or selector == {} else {"matchLabels": selector}
            if selector == {}:
                continue  # a namespace-wide default policy
            matched = [
                n for n, d in deployments.items()
                if d["metadata"]["namespace"] == doc["metadata"]["namespace"]
                and selects(selector, d["spec"]["template"]["metadata"]["labels"])
            ]
            c.check(bool(matched), f"{kind} {doc['metadata']['name']} selects a Deployment in its namespace")

    check_network_policies(applied, c)
    check_autoscaler(applied, files["prometheus-adapter.yaml"], deployments, c)

    for secret in by_kind(files["secret.example.yaml"], "Secret"):
        values = secret.get("stringData", {})
        c.check(
            all(PLACEHOLDER.search(v) for v in values.values()),
            f"Secret template {secret['metadata']['name']} holds placeholders only",
            str(values),
        )


def check_secret_references(name, deployment, container, pod, secret_docs, c: Checks) -> None:
    namespace = deployment["metadata"]["namespace"]
    secrets = {
        s["metadata"]["name"]: set(s.get("stringData", {})) | set(s.get("data", {}))
        for s in secret_docs
        if s["metadata"]["namespace"] == namespace
    }
    references = [
        (e["valueFrom"]["secretKeyRef"], e["valueFrom"]["secretKeyRef"].get("optional", False))
        for e in container.get("env", [])
        if "secretKeyRef" in e.get("valueFrom", {})
    ]
    references += [
        ({"name": v["secret"]["secretName"], "key": item["key"]}, v["secret"].get("optional", False))
        for v in pod.get("volumes", [])
        if "secret" in v
        for item in v["secret"].get("items", [])
    ]
    unknown = [r for r, optional in references if not optional and r["key"] not in secrets.get(r["name"], set())]
    c.check(not unknown, f"{name}: every required Secret key it reads is in the Secret template", str(unknown))
    c.check(
        all(optional for r, optional in references if r["key"] not in secrets.get(r["name"], set())),
        f"{name}: keys missing from the template are read as optional",
    )
    values = [e for e in container.get("env", []) if "value" in e and re.search(r"KEY$|PASSWORD|SECRET|DATABASE_URL", e["name"])]
    c.check(not values, f"{name}: no secret is written into the manifest as a plain value", str(values))


def check_worker_mounts(worker: dict, c: Checks) -> None:
    mounts = {m["mountPath"] for m in worker["spec"]["template"]["spec"]["containers"][0].get("volumeMounts", [])}
    c.check("/run" in mounts, "worker pods get a writable /run for the entrypoint's private procfs mount point")


def check_network_policies(applied: list[dict], c: Checks) -> None:
    policies = {d["metadata"]["name"]: d for d in by_kind(applied, "NetworkPolicy")}
    worker = policies.get("code-remote-worker")
    c.check(worker is not None, "a NetworkPolicy confines the workers")
    if worker is None:
        return
    ports = {p["port"] for rule in worker["spec"].get("egress", []) for p in rule.get("ports", [])}
    open_rules = [r for r in worker["spec"].get("egress", []) if not r.get("to") or not r.get("ports")]
    c.check(
        ports == {53, 5432} and not open_rules and set(worker["spec"]["policyTypes"]) == {"Ingress", "Egress"},
        "workers may reach only DNS (53) and PostgreSQL (5432)",
        f"egress ports {sorted(ports)}",
    )


def check_autoscaler(applied, adapter_docs, deployments, c: Checks) -> None:
    hpas = by_kind(applied, "HorizontalPodAutoscaler")
    c.check(len(hpas) == 1, "one HorizontalPodAutoscaler")
    if not hpas:
        return
    hpa = hpas[0]
    target = hpa["spec"]["scaleTargetRef"]
    c.check(
        target["kind"] == "Deployment" and target["name"] == "code-remote-worker"
        and deployments[target["name"]]["metadata"]["namespace"] == hpa["metadata"]["namespace"],
        "the autoscaler scales the worker Deployment in its own namespace",
    )
    metrics = [m["external"]["metric"]["name"] for m in hpa["spec"]["metrics"] if m["type"] == "External"]
    c.check(metrics == [QUEUE_METRIC], f"the autoscaler follows the external metric {QUEUE_METRIC}")
    config = yaml.safe_load(adapter_docs[0]["data"]["config.yaml"])
    served = [rule["name"]["as"] for rule in config.get("externalRules", [])]
    c.check(QUEUE_METRIC in served, "the prometheus-adapter rule serves that metric under that name")
    rule = config["externalRules"][0]
    c.check(
        QUEUE_METRIC in rule["seriesQuery"] and "namespace" in rule["resources"]["overrides"],
        "the adapter rule reads the gauge and scopes it to the autoscaler's namespace",
    )


# --- docker compose ---------------------------------------------------------------------------


def check_compose(deploy: Path, c: Checks) -> None:
    path = deploy / "docker-compose.yml"
    text = path.read_text()
    compose = yaml.safe_load(text)
    services = compose["services"]
    apis = [n for n, s in services.items() if s.get("command", [])[:1] == ["serve"]]
    workers = [n for n, s in services.items() if s.get("command") == ["worker"]]
    c.check(len(apis) == 2 and len(workers) == 2, "compose runs two API nodes and two workers", f"{apis} {workers}")
    c.check("postgres" in services, "compose runs PostgreSQL")

    c.check(all("healthcheck" in s for s in services.values()), "every compose service has a healthcheck")
    conditions = [
        (name, dep, spec.get("condition"))
        for name, s in services.items()
        for dep, spec in (s.get("depends_on") or {}).items()
    ]
    c.check(
        all(cond == "service_healthy" for *_, cond in conditions)
        and all(("postgres" in {d for n, d, _ in conditions if n == s}) for s in apis + workers),
        "compose nodes wait for a healthy PostgreSQL (depends_on with condition)",
    )

    required = set(REQUIRED_VAR.findall(text))
    c.check(required == {"POSTGRES_PASSWORD"}, "the only required variable is POSTGRES_PASSWORD, with no default", str(required))
    password = services["postgres"]["environment"]["POSTGRES_PASSWORD"]
    c.check(REQUIRED_VAR.fullmatch(password) is not None, "PostgreSQL's password comes from the environment only")
    literal = [
        f"{n}.{k}"
        for n, s in services.items()
        for k, v in (s.get("environment") or {}).items()
        if re.search(r"PASSWORD|SECRET|KEY$|DATABASE_URL", k) and v and "${" not in str(v)
    ]
    c.check(not literal, "no secret value is written into the compose file", str(literal))
    gitignore = (deploy / ".gitignore").read_text().split()
    secret_files = [s["file"] for s in compose.get("secrets", {}).values()]
    env_files = [e["path"] if isinstance(e, dict) else e for s in services.values() for e in s.get("env_file", [])]
    c.check(
        bool(secret_files) and all(f.removeprefix("./").split("/")[0] + "/" in gitignore for f in secret_files)
        and ".env" in gitignore and all(f.removeprefix("./") in gitignore for f in env_files),
        "the JWT key file, .env and the env files with LLM keys are git-ignored",
    )
    c.check(
        all("jwt_key" in services[n].get("secrets", []) for n in apis)
        and all(services[n]["environment"]["CODE_REMOTE_JWT_KEY_FILE"] == "/run/secrets/jwt_key" for n in apis),
        "API nodes read the shared JWT key from the compose secret",
    )

    proxy_address = ((services.get("proxy", {}).get("networks") or {}).get("frontend") or {}).get("ipv4_address")
    c.check(
        proxy_address is not None
        and all(services[n]["environment"].get("CODE_REMOTE_TRUSTED_PROXIES") == proxy_address for n in apis),
        "API nodes trust X-Forwarded-For from nginx's fixed address only",
        str(proxy_address),
    )

    for name in apis:
        s = services[name]
        c.check(
            s["command"] == ["serve", "--workers", "0"] and s.get("user", "0").split(":")[0] not in ("0", "root")
            and s.get("cap_drop") == ["ALL"] and not s.get("cap_add"),
            f"{name}: API-only, non-root, no capabilities",
        )
    for name in workers:
        s = services[name]
        options = s.get("security_opt", [])
        c.check(not s.get("privileged"), f"{name}: not privileged")
        c.check(
            s.get("cap_drop") == ["ALL"] and set(s.get("cap_add", [])) == WORKER_CAPS,
            f"{name}: drops all capabilities and adds exactly {', '.join(sorted(WORKER_CAPS))}",
        )
        c.check(not any(o.startswith("seccomp") for o in options), f"{name}: keeps Docker's default seccomp profile")
        c.check(s.get("cgroup") == "private", f"{name}: has its own cgroup namespace")
        c.check(
            all(compose["networks"][n].get("internal") for n in s.get("networks", [])),
            f"{name}: is attached to internal networks only (no route out)",
        )

    build = compose["x-code-remote"]["build"]
    dockerfile = (deploy / build["context"] / build["dockerfile"]).resolve()
    c.check(dockerfile.is_file(), "the compose build points at the Dockerfile from the repository root")
    c.check(
        dockerfile.with_name(dockerfile.name + ".dockerignore").is_file(),
        "the Dockerfile has its own .dockerignore next to it",
    )


# --- Dockerfile -------------------------------------------------------------------------------


def check_dockerfile(deploy: Path, c: Checks) -> None:
    root = deploy.parent
    lines = (deploy / "Dockerfile").read_text().replace("\\\n", " ").splitlines()
    instructions = [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]
    stages = [i.split()[1] for i in instructions if i.upper().startswith("FROM ")]
    c.check(
        len(stages) == 4 and stages[0].startswith("node:") and stages[1].startswith("rust:")
        and stages[2] == stages[3] and stages[3].startswith("debian:"),
        "the Dockerfile builds in four stages: node, rust, the Python environment and the runtime on the same debian",
        str(stages),
    )
    c.check(
        "COPY --from=pyenv /usr/local/lib/code-remote/ /usr/local/lib/code-remote/" in instructions
        and any("scripts/install-python-env /usr/local/lib/code-remote/python" in i for i in instructions),
        "the runtime stage gets the Python environment that scripts/install-python-env made from the lock",
    )
    copies = [i.split()[1:] for i in instructions if i.upper().startswith("COPY ") and "--from=" not in i]
    sources = [src for args in copies for src in args[:-1] if not src.startswith("--")]
    missing = [s for s in sources if not (root / s).exists()]
    c.check(not missing, "every file the Dockerfile copies from the context exists", str(missing))
    runtime = "\n".join(instructions[[i for i, x in enumerate(instructions) if x.upper().startswith("FROM ")][-1]:])
    c.check(
        all(re.search(rf"\b{p}\b", runtime) for p in ("bubblewrap", "python3", "ca-certificates", "util-linux")),
        "the runtime stage installs bubblewrap, python3, ca-certificates and util-linux (setpriv)",
    )
    c.check("HEALTHCHECK" in runtime and "ENTRYPOINT" in runtime, "the runtime stage has a HEALTHCHECK and an ENTRYPOINT")
    c.check("cargo build --release --locked -p code-remote" in "\n".join(instructions), "the binary is built with --locked")


def main() -> int:
    deploy = Path(sys.argv[1]).resolve()
    c = Checks()
    check_kubernetes(deploy / "k8s", c)
    check_compose(deploy, c)
    check_dockerfile(deploy, c)
    print(f"manifests: {c.passed} passed, {c.failed} failed")
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
