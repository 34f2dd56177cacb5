#!/usr/bin/env python3
"""Record real engine/provider failures for the error-translation goldens.

Each case deploys a tiny project with the real engine against the local cluster (started with
``codexstack cluster up``; its admin kubeconfig is used) and provokes one failure the way a
user meets it: a field conflict with another manager, a forbidden write (a service account
without rights), an invalid field, an exceeded ResourceQuota, an admission webhook's denial (a
local HTTPS webhook the apiserver calls) and a ValidatingAdmissionPolicy's denial. The engine's
raw error diagnostics (``urn`` + message) and the objects it announced are written to
``tests/golden/engine_errors/<case>.json``; the translation of each is written beside it as
``<case>.txt`` (review it: that is what users will read). Every namespace is deleted after.

    .venv/bin/python scripts/record_engine_errors.py [CASE ...]
"""

from __future__ import annotations

import base64
import datetime
import http.server
import ipaddress
import json
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from codexstack import flows  # noqa: E402
from codexstack.cluster import tools  # noqa: E402
from codexstack.deploy.failures import EngineFailure, report, translate  # noqa: E402

GOLDEN = REPO / "tests" / "golden" / "engine_errors"
ADMIN = REPO / ".codexstack" / "cluster" / "admin.kubeconfig"


def kubectl(*args: str, stdin: str | None = None, config: Path = ADMIN) -> str:
    done = subprocess.run(
        [str(tools.require("kubectl")), f"--kubeconfig={config}", *args],
        input=stdin,
        text=True,
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"kubectl {' '.join(args)}: {done.stderr}")
    return done.stdout


def configmap(name: str, data: dict[str, str], namespace: str) -> dict[str, Any]:
    meta = {"name": name, "namespace": namespace}
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": data}


class Project:
    """A one-block project in a temporary directory, deployed as env ``rec``."""

    def __init__(self, root: Path, namespace: str, kubeconfig: Path = ADMIN):
        self.root, self.namespace, self.kubeconfig = root, namespace, kubeconfig
        (root / "m").mkdir(parents=True, exist_ok=True)
        services = {
            "project": "rec",
            "environments": {"rec": {"kubeconfig": str(kubeconfig)}},
            "infrastructure": [{"name": "objects", "manifests": [{"path": "m/objects.yaml"}]}],
        }
        (root / "services.yaml").write_text(yaml.safe_dump(services))

    def apply(self, objs: list[dict[str, Any]]) -> EngineFailure | None:
        (self.root / "m" / "objects.yaml").write_text(yaml.safe_dump_all(objs))
        target = flows.Target(self.root / "services.yaml", "rec", namespace=self.namespace)
        try:
            flows.apply.run(flows.apply.Request(target))
        except EngineFailure as failure:
            return failure
        return None


def conflict(project: Project) -> EngineFailure | None:
    ns = project.namespace
    assert project.apply([configmap("settings", {"mode": "one"}, ns)]) is None
    kubectl(
        "patch",
        "configmap",
        "settings",
        "-n",
        ns,
        "--field-manager=other",
        "--type=merge",
        "-p",
        '{"data":{"mode":"two"}}',
    )
    return project.apply([configmap("settings", {"mode": "three"}, ns)])


def forbidden(project: Project) -> EngineFailure | None:
    ns = project.namespace
    kubectl("create", "namespace", ns)
    kubectl("create", "serviceaccount", "reader", "-n", ns)
    kubectl(
        "create",
        "role",
        "reader",
        "-n",
        ns,
        "--verb=get,list,watch",
        "--resource=configmaps,namespaces",
    )
    kubectl(
        "create",
        "rolebinding",
        "reader",
        "-n",
        ns,
        "--role=reader",
        f"--serviceaccount={ns}:reader",
    )
    token = kubectl("create", "token", "reader", "-n", ns).strip()
    admin = yaml.safe_load(ADMIN.read_text())
    limited = {
        **admin,
        "users": [{"name": "reader", "user": {"token": token}}],
        "contexts": [
            {
                "name": "reader",
                "context": {"cluster": admin["clusters"][0]["name"], "user": "reader"},
            }
        ],
        "current-context": "reader",
    }
    path = project.root / "reader.kubeconfig"
    path.write_text(yaml.safe_dump(limited))
    return Project(project.root, ns, path).apply([configmap("settings", {"mode": "one"}, ns)])


def invalid(project: Project) -> EngineFailure | None:
    kubectl("create", "namespace", project.namespace)
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "api", "namespace": project.namespace},
        "spec": {"selector": {"app": "api"}, "ports": [{"port": 99999}]},
    }
    return project.apply([service])


def quota(project: Project) -> EngineFailure | None:
    ns = project.namespace
    kubectl("create", "namespace", ns)
    kubectl("create", "quota", "tiny", "-n", ns, "--hard=count/configmaps=1")
    return project.apply([configmap("settings", {"mode": "one"}, ns)])


def policy(project: Project) -> EngineFailure | None:
    ns = project.namespace
    kubectl("create", "namespace", ns)
    name = f"rec-{ns}"
    kubectl(
        "apply",
        "-f",
        "-",
        stdin=yaml.safe_dump_all(
            [
                {
                    "apiVersion": "admissionregistration.k8s.io/v1",
                    "kind": "ValidatingAdmissionPolicy",
                    "metadata": {"name": name},
                    "spec": {
                        "failurePolicy": "Fail",
                        "matchConstraints": {
                            "resourceRules": [
                                {
                                    "apiGroups": [""],
                                    "apiVersions": ["v1"],
                                    "operations": ["CREATE", "UPDATE"],
                                    "resources": ["configmaps"],
                                }
                            ]
                        },
                        "validations": [
                            {
                                "expression": "!has(object.data) || !('debug' in object.data)",
                                "message": "debug settings are not allowed here",
                            }
                        ],
                    },
                },
                {
                    "apiVersion": "admissionregistration.k8s.io/v1",
                    "kind": "ValidatingAdmissionPolicyBinding",
                    "metadata": {"name": name},
                    "spec": {
                        "policyName": name,
                        "validationActions": ["Deny"],
                        "matchResources": {
                            "namespaceSelector": {
                                "matchLabels": {"kubernetes.io/metadata.name": ns}
                            }
                        },
                    },
                },
            ]
        ),
    )
    try:
        return _retry_until_denied(project, {"debug": "on"})
    finally:
        kubectl(
            "delete",
            "validatingadmissionpolicybinding,validatingadmissionpolicy",
            name,
            "--ignore-not-found",
        )


def webhook(project: Project) -> EngineFailure | None:
    ns = project.namespace
    kubectl("create", "namespace", ns)
    with _webhook_server("no configuration may say debug: ask the platform team") as (port, ca):
        name = f"deny.{ns}.codexstack.test"
        kubectl(
            "apply",
            "-f",
            "-",
            stdin=yaml.safe_dump(
                {
                    "apiVersion": "admissionregistration.k8s.io/v1",
                    "kind": "ValidatingWebhookConfiguration",
                    "metadata": {"name": name},
                    "webhooks": [
                        {
                            "name": name,
                            "admissionReviewVersions": ["v1"],
                            "sideEffects": "None",
                            "failurePolicy": "Fail",
                            "timeoutSeconds": 5,
                            "clientConfig": {
                                "url": f"https://127.0.0.1:{port}/validate",
                                "caBundle": base64.b64encode(ca).decode(),
                            },
                            "rules": [
                                {
                                    "apiGroups": [""],
                                    "apiVersions": ["v1"],
                                    "operations": ["CREATE", "UPDATE"],
                                    "resources": ["configmaps"],
                                }
                            ],
                            "namespaceSelector": {
                                "matchLabels": {"kubernetes.io/metadata.name": ns}
                            },
                        }
                    ],
                }
            ),
        )
        try:
            return _retry_until_denied(project, {"debug": "on"})
        finally:
            kubectl("delete", "validatingwebhookconfiguration", name, "--ignore-not-found")


def _retry_until_denied(project: Project, data: dict[str, str]) -> EngineFailure | None:
    """Admission configuration takes a moment to reach the apiserver's cache: a new object
    is tried until one is denied (the ones let through before stay in the stack)."""
    objs: list[dict[str, Any]] = []
    for attempt in range(10):
        objs.append(configmap(f"settings-{attempt}", data, project.namespace))
        failure = project.apply(objs)
        if failure is not None:
            return failure
        time.sleep(1)
    return None


@contextmanager
def _webhook_server(message: str) -> Iterator[tuple[int, bytes]]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    pem = cert.public_bytes(serialization.Encoding.PEM)

    class Deny(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            review = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            answer = {
                "apiVersion": "admission.k8s.io/v1",
                "kind": "AdmissionReview",
                "response": {
                    "uid": review["request"]["uid"],
                    "allowed": False,
                    "status": {"code": 403, "message": message},
                },
            }
            body = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    with tempfile.TemporaryDirectory() as tmp:
        cert_path, key_path = Path(tmp, "c.pem"), Path(tmp, "k.pem")
        cert_path.write_bytes(pem)
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Deny)
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(cert_path, key_path)
        server.socket = tls.wrap_socket(server.socket, server_side=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield server.server_address[1], pem
        finally:
            server.shutdown()
            server.server_close()


CASES: dict[str, Callable[[Project], EngineFailure | None]] = {
    "field_conflict": conflict,
    "forbidden": forbidden,
    "invalid_field": invalid,
    "quota_exceeded": quota,
    "webhook_denial": webhook,
    "policy_denial": policy,
}


def record(name: str) -> None:
    ns = f"rec-{name.replace('_', '-')}-{uuid.uuid4().hex[:6]}"
    with tempfile.TemporaryDirectory(prefix="codexstack-rec-") as tmp:
        try:
            failure = CASES[name](Project(Path(tmp), ns))
        finally:
            kubectl("delete", "namespace", ns, "--ignore-not-found", "--wait=false")
    if failure is None:
        raise SystemExit(f"{name}: the engine did not fail")
    GOLDEN.mkdir(parents=True, exist_ok=True)
    data = {
        "case": name,
        "stack": "rec",
        "diagnostics": [{"urn": u, "message": m} for u, m in failure.diagnostics],
        "objects": {u: [r.kind, r.namespace, r.name] for u, r in failure.objects.items()},
    }
    (GOLDEN / f"{name}.json").write_text(json.dumps(data, indent=2) + "\n")
    found = translate(failure.diagnostics, failure.objects, "rec")
    (GOLDEN / f"{name}.txt").write_text(report("apply", "rec", found) + "\n")
    print(f"{name}: {len(failure.diagnostics)} diagnostic(s) recorded", file=sys.stderr)


def main(argv: list[str]) -> int:
    if not ADMIN.exists():
        raise SystemExit(f"no local cluster ({ADMIN}): run `codexstack cluster up` first")
    for name in argv or list(CASES):
        record(name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
