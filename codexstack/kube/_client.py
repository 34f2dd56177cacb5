"""JSON requests to one apiserver: keep-alive per thread, one retry rule, typed failures.

The registry, the preflight checks, the built-in hooks, the cluster's probes and its volume
provisioner make a handful of calls each, often from short-lived processes, so this speaks HTTP
with the standard library instead of importing the official client (2.4 s of import per process
on this machine). The retry rule: a read (GET) whose connection broke is tried ``read_attempts``
times (3 unless a prober asks for 1); a write is never repeated, and a write whose answer was
lost raises :class:`Ambiguous` so the caller can read back. A connection that cannot be opened
raises :class:`Unreachable` at once. HTTP error statuses are answers, not exceptions:
:meth:`Client.request` returns them; :meth:`Response.expect` turns them into :class:`KubeError`.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from codexstack.kube._endpoint import Endpoint
from codexstack.kube._errors import Ambiguous, KubeError, Unreachable

JSON = "application/json"
MERGE_PATCH = "application/merge-patch+json"
STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json"
JSON_PATCH = "application/json-patch+json"
APPLY_PATCH = "application/apply-patch+yaml"
"""Server-side apply; a JSON body is valid YAML."""

READ_ATTEMPTS = 3
PAGE_SIZE = 500
_TRANSPORT_ERRORS = (OSError, http.client.HTTPException)


@dataclass(frozen=True)
class Response:
    """One answer: status, the JSON object (``{}`` when none) and the raw bytes."""

    status: int
    body: dict[str, Any]
    raw: bytes = b""
    origin: str = ""
    """``METHOD path`` of the request, for error messages."""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def reason(self) -> str:
        """The Status ``reason`` (AlreadyExists, Conflict, NotFound, ...) of an error answer."""
        return str(self.body.get("reason", ""))

    @property
    def message(self) -> str:
        return str(self.body.get("message", "")) or f"HTTP {self.status}"

    @property
    def text(self) -> str:
        return self.raw.decode(errors="replace")

    def expect(self, ok: Iterable[int] = ()) -> dict[str, Any]:
        """The body of a 2xx answer (or one whose status is in ``ok``), else :class:`KubeError`."""
        if self.ok or self.status in set(ok):
            return self.body
        reason = f" {self.reason}" if self.reason else ""
        raise KubeError(
            f"{self.origin}: HTTP {self.status}{reason}: {self.message}",
            status=self.status,
            reason=self.reason,
        )


class Client:
    """Thread-safe requests against one :class:`Endpoint`."""

    def __init__(
        self, endpoint: Endpoint, timeout: float = 10.0, read_attempts: int = READ_ATTEMPTS
    ) -> None:
        self.endpoint = endpoint
        self.timeout = timeout
        self.read_attempts = read_attempts
        self._local = threading.local()

    @classmethod
    def from_kubeconfig(
        cls, path: Path, context: str | None = None, timeout: float = 10.0
    ) -> Client:
        """A client for ``context`` (default ``current-context``) of a kubeconfig file."""
        return cls(Endpoint.from_kubeconfig(path, context), timeout)

    @property
    def server(self) -> str:
        return self.endpoint.base_url

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        query: dict[str, str] | None = None,
        *,
        content_type: str = JSON,
        accept: str = JSON,
    ) -> Response:
        """Send one request under the retry rule; any HTTP status is returned, not raised."""
        url = path + ("?" + urlencode(query) if query else "")
        payload = json.dumps(body).encode() if body is not None else None
        headers = {"Accept": accept, **self.endpoint.auth_headers()}
        if payload is not None:
            headers["Content-Type"] = content_type
        attempts = self.read_attempts if method == "GET" else 1
        for attempt in range(attempts):
            try:
                return self._send(method, url, payload, headers)
            except _TRANSPORT_ERRORS as exc:
                self._drop()
                if method != "GET":
                    raise Ambiguous(f"{method} {path}: {_describe(exc)}") from exc
                if attempt + 1 == attempts:
                    raise KubeError(
                        f"Kubernetes API {method} {path}: {_describe(exc)} ({attempts} attempts)"
                    ) from exc
                time.sleep(0.1 * (attempt + 1))
        raise AssertionError("unreachable")  # pragma: no cover

    def list(
        self, path: str, query: dict[str, str] | None = None, page_size: int = PAGE_SIZE
    ) -> list[dict[str, Any]]:
        """Every item of a collection, page by page (``limit`` + ``continue``)."""
        items: list[dict[str, Any]] = []
        token = ""
        while True:
            page = {**(query or {}), "limit": str(page_size)}
            if token:
                page["continue"] = token
            body = self.request("GET", path, query=page).expect()
            items.extend(body.get("items") or [])
            token = str((body.get("metadata") or {}).get("continue") or "")
            if not token:
                return items

    def apply(
        self, path: str, body: dict[str, Any], *, manager: str, force: bool = True
    ) -> dict[str, Any]:
        """Server-side apply of ``body`` to the object at ``path``."""
        query = {"fieldManager": manager, "force": "true" if force else "false"}
        return self.request("PATCH", path, body, query, content_type=APPLY_PATCH).expect()

    def _send(
        self, method: str, url: str, payload: bytes | None, headers: dict[str, str]
    ) -> Response:
        conn = self._connection()
        conn.request(method, url, body=payload, headers=headers)
        answer = conn.getresponse()
        raw = answer.read()
        body: Any = {}
        if raw and "json" in (answer.getheader("Content-Type") or "json"):
            try:
                body = json.loads(raw)
            except ValueError:
                body = {"message": raw[:200].decode(errors="replace")}
        origin = f"{method} {url.partition('?')[0]}"
        return Response(answer.status, body if isinstance(body, dict) else {}, raw, origin)

    def _connection(self) -> http.client.HTTPConnection:
        conn: http.client.HTTPConnection | None = getattr(self._local, "conn", None)
        if conn is None:
            endpoint = self.endpoint
            context = endpoint.ssl_context()
            if context is not None:
                conn = http.client.HTTPSConnection(
                    endpoint.host, endpoint.port, context=context, timeout=self.timeout
                )
            else:
                conn = http.client.HTTPConnection(
                    endpoint.host, endpoint.port, timeout=self.timeout
                )
            try:
                conn.connect()
            except OSError as exc:
                raise Unreachable(
                    f"cannot reach the Kubernetes API at {self.server}: {exc}",
                    hint="is the cluster up? (codexstack cluster status)",
                ) from exc
            self._local.conn = conn
        return conn

    def _drop(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def close(self) -> None:
        self._drop()


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "timed out"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def path_of(*parts: str) -> str:
    """Join URL path segments, escaping each."""
    return "/" + "/".join(quote(p, safe="") for p in parts)
