"""Health probes of the local cluster over loopback, through the one Kubernetes client.

etcd answers plain HTTP on 127.0.0.1 (``/health``); the apiserver is asked with the admin
client certificate, both for its own ``/readyz`` and for objects (the fake node's ``Ready``
condition). Every probe is a :class:`codexstack.kube.Client` request with a short timeout on a
fresh connection: no kubectl process and no client library import per probe.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from codexstack import kube
from codexstack.cluster.layout import HOST
from codexstack.cluster.pki import Pki


class ProbeError(Exception):
    """A probe could not get an answer (connection refused, TLS error, timeout)."""


def admin_endpoint(port: int, pki: Pki) -> kube.Endpoint:
    """The local apiserver on ``port`` as ``admin`` (the cluster's own PKI)."""
    return kube.Endpoint.from_files(
        f"https://{HOST}:{port}", pki.ca_cert, pki.cert("admin"), pki.key("admin")
    )


def request(
    port: int,
    path: str,
    *,
    pki: Pki | None = None,
    method: str = "GET",
    body: dict[str, Any] | None = None,
    timeout: float = 3.0,
) -> tuple[int, str]:
    """One request to 127.0.0.1:port; HTTPS as admin when ``pki`` is given."""
    try:
        endpoint = admin_endpoint(port, pki) if pki else kube.Endpoint(f"http://{HOST}:{port}")
    except kube.KubeError as exc:
        raise ProbeError(exc.message) from exc
    return _ask(endpoint, method, path, body, timeout)


def _ask(
    endpoint: kube.Endpoint,
    method: str,
    path: str,
    body: dict[str, Any] | None = None,
    timeout: float = 3.0,
) -> tuple[int, str]:
    client = kube.Client(endpoint, timeout, read_attempts=1)
    try:
        answer = client.request(method, path, body, accept="*/*")
    except kube.KubeError as exc:
        raise ProbeError(f"{endpoint.base_url}{path}: {exc.message}") from exc
    finally:
        client.close()
    return answer.status, answer.text


def etcd_healthy(port: int) -> tuple[bool, str]:
    """etcd's own verdict from ``/health``."""
    try:
        status, text = request(port, "/health")
    except ProbeError as exc:
        return False, str(exc)
    try:
        healthy = status == 200 and json.loads(text).get("health") == "true"
    except ValueError:
        healthy = False
    return healthy, text.strip()


def apiserver_ready(port: int, pki: Pki) -> tuple[bool, str]:
    """``/readyz`` of the apiserver (all its post-start hooks done)."""
    try:
        status, text = request(port, "/readyz", pki=pki)
    except ProbeError as exc:
        return False, str(exc)
    return status == 200, text.strip()[:300]


def serving_healthy(port: int) -> tuple[bool, str]:
    """``/healthz`` of a controller-manager or scheduler on its loopback secure port.

    Their serving certificate is self-signed per start, and /healthz is open to anonymous
    callers, so the probe skips verification: it only asks "are you up", on 127.0.0.1.
    """
    try:
        status, text = _ask(kube.Endpoint.insecure(f"https://{HOST}:{port}"), "GET", "/healthz")
    except ProbeError as exc:
        return False, str(exc)
    return status == 200, text.strip()[:200]


def node_ready(port: int, pki: Pki, node: str) -> tuple[bool, str]:
    """Whether the node exists and its ``Ready`` condition is True."""
    try:
        status, text = request(port, f"/api/v1/nodes/{node}", pki=pki)
    except ProbeError as exc:
        return False, str(exc)
    if status != 200:
        return False, f"HTTP {status}"
    conditions = json.loads(text).get("status", {}).get("conditions", [])
    for condition in conditions:
        if condition.get("type") == "Ready":
            return condition.get("status") == "True", str(condition.get("reason", ""))
    return False, "no Ready condition yet"


def wait_until(
    check: Callable[[], tuple[bool, str]],
    *,
    timeout: float,
    interval: float = 0.2,
    alive: Callable[[], bool] | None = None,
) -> tuple[bool, str]:
    """Poll ``check`` until it passes, ``timeout`` runs out or ``alive`` says the process died."""
    deadline = time.monotonic() + timeout
    ok, detail = check()
    while not ok and time.monotonic() < deadline:
        if alive is not None and not alive():
            return False, f"process exited ({detail})"
        time.sleep(interval)
        ok, detail = check()
    return ok, detail
