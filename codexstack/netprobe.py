"""Readiness probes of endpoints that are not a Kubernetes apiserver: TCP connect, HTTP GET.

Hooks such as ``codex.check-dev-host-ports`` ask "does something listen on 127.0.0.1:80, and
what does it answer for this Host?"; the local image host asks its registry for ``/v2/`` and
its dockerd (on a unix socket) for ``/_ping``. The apiserver is never asked here (that is
``codexstack.kube``); these probes carry no identity and no TLS.
"""

from __future__ import annotations

import http.client
import socket


def tcp_refusal(host: str, port: int, timeout: float = 2.0) -> str | None:
    """None when ``host:port`` accepts a connection, else why not (the OS error text)."""
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except OSError as exc:
        return exc.strerror or str(exc) or type(exc).__name__
    return None


def http_status(
    host: str, port: int, path: str = "/", *, host_header: str = "", timeout: float = 3.0
) -> int:
    """The status of one plain-HTTP GET; raises OSError when no answer comes."""
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": host_header} if host_header else {})
        return conn.getresponse().status
    except http.client.HTTPException as exc:
        raise OSError(f"{type(exc).__name__}: {exc}") from exc
    finally:
        conn.close()


class _UnixHTTPConnection(http.client.HTTPConnection):
    """HTTP over a unix socket (a Docker daemon's API socket)."""

    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self._path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self._path)
        self.sock = sock


def unix_http_status(socket_path: str, path: str = "/", *, timeout: float = 3.0) -> int:
    """The status of one GET over the unix socket ``socket_path``; OSError when no answer."""
    conn = _UnixHTTPConnection(socket_path, timeout)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    except http.client.HTTPException as exc:
        raise OSError(f"{type(exc).__name__}: {exc}") from exc
    finally:
        conn.close()
