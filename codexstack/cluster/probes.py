"""Health probes of the local cluster over loopback HTTP(S), with no client library.

etcd answers plain HTTP on 127.0.0.1 (``/health``); the apiserver is asked with the admin
client certificate, both for its own ``/readyz`` and for objects (the fake node's ``Ready``
condition). The standard library is enough and keeps ``status`` fast: no kubectl process and
no Kubernetes client import per probe.
"""

from __future__ import annotations

import http.client
import json
import ssl
import time
from collections.abc import Callable
from typing import Any

from codexstack.cluster.layout import HOST
from codexstack.cluster.pki import Pki


class ProbeError(Exception):
    """A probe could not get an answer (connection refused, TLS error, timeout)."""


def _tls(pki: Pki, identity: str) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(pki.ca_cert))
    context.load_cert_chain(str(pki.cert(identity)), str(pki.key(identity)))
    return context


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
    conn: http.client.HTTPConnection
    if pki is None:
        conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    else:
        conn = http.client.HTTPSConnection(HOST, port, timeout=timeout, context=_tls(pki, "admin"))
    try:
        payload = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if payload else {}
        conn.request(method, path, body=payload, headers=headers)
        response = conn.getresponse()
        return response.status, response.read().decode(errors="replace")
    except (OSError, http.client.HTTPException, ssl.SSLError) as exc:
        raise ProbeError(f"{HOST}:{port}{path}: {exc}") from exc
    finally:
        conn.close()


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
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    conn = http.client.HTTPSConnection(HOST, port, timeout=3.0, context=context)
    try:
        conn.request("GET", "/healthz")
        response = conn.getresponse()
        return response.status == 200, response.read().decode(errors="replace").strip()[:200]
    except (OSError, http.client.HTTPException, ssl.SSLError) as exc:
        return False, str(exc)
    finally:
        conn.close()


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
