"""A minimal Kubernetes API client for the registry: kubeconfig in, JSON over HTTPS out.

The registry makes a handful of calls (create/get/replace/delete/list of Leases, read of
ConfigMaps) from many short-lived processes, so it speaks HTTPS with the standard library
instead of importing the official client (2.4 s of import per process on this machine). It
reads the usual kubeconfig fields (server, CA, client certificate, token or token file,
insecure-skip-tls-verify), keeps one keep-alive connection per thread, retries reads, and
turns a write whose answer was lost into :class:`Ambiguous` so the caller can read back.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import ssl
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import yaml

from codexstack.slots.registry import Ambiguous, RegistryError

READ_ATTEMPTS = 3
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TRANSPORT_ERRORS = (OSError, http.client.HTTPException)


@dataclass(frozen=True)
class Response:
    status: int
    body: dict[str, Any]

    @property
    def reason(self) -> str:
        """The Status ``reason`` (AlreadyExists, Conflict, NotFound, ...) of an error answer."""
        return str(self.body.get("reason", ""))

    @property
    def message(self) -> str:
        return str(self.body.get("message", "")) or f"HTTP {self.status}"


class KubeApi:
    """Thread-safe JSON requests against one API server."""

    def __init__(
        self, server: str, context: ssl.SSLContext | None, token: str = "", timeout: float = 10.0
    ):
        parts = urlsplit(server)
        self.server = server.rstrip("/")
        self._host = parts.hostname or "localhost"
        self._port = parts.port or (443 if parts.scheme == "https" else 80)
        self._tls = context if parts.scheme == "https" else None
        self._token = token
        self.timeout = timeout
        self._local = threading.local()

    @classmethod
    def from_kubeconfig(
        cls, path: Path, context: str | None = None, timeout: float = 10.0
    ) -> KubeApi:
        """Build a client from a kubeconfig file (``current-context`` unless ``context``)."""
        return _load(path, context, timeout)

    def request(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        query: dict[str, str] | None = None,
    ) -> Response:
        """Send one request; reads are retried, writes raise Ambiguous when unanswered."""
        url = path + ("?" + urlencode(query) if query else "")
        payload = json.dumps(body).encode() if body is not None else None
        attempts = READ_ATTEMPTS if method == "GET" else 1
        for attempt in range(attempts):
            try:
                return self._send(method, url, payload)
            except _Unsent as exc:
                raise RegistryError(
                    f"cannot reach the Kubernetes API at {self.server}: {exc.__cause__}",
                    hint="is the cluster up? (codexstack cluster status)",
                ) from exc
            except _TRANSPORT_ERRORS as exc:
                self._drop()
                if method != "GET":
                    raise Ambiguous(f"{method} {path}: {_describe(exc)}") from exc
                if attempt + 1 == attempts:
                    raise RegistryError(
                        f"Kubernetes API {method} {path}: {_describe(exc)} ({attempts} attempts)"
                    ) from exc
                time.sleep(0.1 * (attempt + 1))
        raise AssertionError("unreachable")  # pragma: no cover

    def _send(self, method: str, url: str, payload: bytes | None) -> Response:
        conn = self._connection()
        headers = {"Accept": "application/json"}
        if payload is not None:
            headers["Content-Type"] = "application/json"
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        conn.request(method, url, body=payload, headers=headers)
        answer = conn.getresponse()
        raw = answer.read()
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            body = {"message": raw[:200].decode(errors="replace")}
        return Response(answer.status, body if isinstance(body, dict) else {})

    def _connection(self) -> http.client.HTTPConnection:
        conn: http.client.HTTPConnection | None = getattr(self._local, "conn", None)
        if conn is None:
            if self._tls is not None:
                conn = http.client.HTTPSConnection(
                    self._host, self._port, context=self._tls, timeout=self.timeout
                )
            else:
                conn = http.client.HTTPConnection(self._host, self._port, timeout=self.timeout)
            try:
                conn.connect()
            except OSError as exc:
                raise _Unsent() from exc
            self._local.conn = conn
        return conn

    def _drop(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def close(self) -> None:
        self._drop()


class _Unsent(Exception):
    """The connection could not be opened: nothing was sent."""


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "timed out"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def path_of(*parts: str) -> str:
    """Join URL path segments, escaping each."""
    return "/" + "/".join(quote(p, safe="") for p in parts)


def _load(path: Path, context_name: str | None, timeout: float) -> KubeApi:
    try:
        config = yaml.load(path.read_text(), Loader=_LOADER)  # noqa: S506 (a safe loader)
    except (OSError, yaml.YAMLError) as exc:
        raise RegistryError(f"cannot read kubeconfig {path}: {exc}") from exc
    name = context_name or config.get("current-context", "")
    context = _named(config, "contexts", name, path)["context"]
    cluster = _named(config, "clusters", context["cluster"], path)["cluster"]
    user = _named(config, "users", context.get("user", ""), path).get("user") or {}
    base = path.parent
    try:
        tls = _tls(cluster, user, base)
    except (OSError, ssl.SSLError, ValueError, KeyError) as exc:
        raise RegistryError(f"kubeconfig {path}: unusable TLS material: {exc}") from exc
    token = str(user.get("token", ""))
    if not token and user.get("tokenFile"):
        token = (base / user["tokenFile"]).read_text().strip()
    return KubeApi(str(cluster["server"]), tls, token, timeout)


def _tls(cluster: dict[str, Any], user: dict[str, Any], base: Path) -> ssl.SSLContext:
    # Verifying (hostname + chain) like create_default_context, but the system CA store (40 ms
    # per process) is loaded only when the kubeconfig names no CA of its own.
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if cluster.get("insecure-skip-tls-verify"):
        tls.check_hostname = False
        tls.verify_mode = ssl.CERT_NONE
    elif cluster.get("certificate-authority-data"):
        ca = base64.b64decode(cluster["certificate-authority-data"]).decode()
        tls.load_verify_locations(cadata=ca)
    elif cluster.get("certificate-authority"):
        tls.load_verify_locations(cafile=str(base / cluster["certificate-authority"]))
    else:
        tls.load_default_certs()
    _load_client_cert(tls, user, base)
    return tls


def _named(config: dict[str, Any], section: str, name: str, path: Path) -> dict[str, Any]:
    for entry in config.get(section) or []:
        if entry.get("name") == name:
            return dict(entry)
    if section == "users":
        return {}
    raise RegistryError(f"kubeconfig {path}: no {section[:-1]} named {name!r}")


def _load_client_cert(tls: ssl.SSLContext, user: dict[str, Any], base: Path) -> None:
    if user.get("client-certificate"):
        tls.load_cert_chain(str(base / user["client-certificate"]), str(base / user["client-key"]))
    elif user.get("client-certificate-data"):
        # ssl only loads certificates from files: a private temp dir, removed at once.
        with tempfile.TemporaryDirectory(prefix="codexstack-kube-") as tmp:
            cert, key = Path(tmp, "cert.pem"), Path(tmp, "key.pem")
            for target, field in ((cert, "client-certificate-data"), (key, "client-key-data")):
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as handle:
                    handle.write(base64.b64decode(user[field]))
            tls.load_cert_chain(str(cert), str(key))
