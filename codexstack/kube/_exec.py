"""Pod exec over the Kubernetes WebSocket streaming protocol (``v5.channel.k8s.io``, then v4).

One function, :func:`exec_pod`, runs a command in a pod's container through the apiserver's
``pods/exec`` subresource and returns its exit status. Frames carry a channel byte: 0 stdin,
1 stdout, 2 stderr, 3 the final ``Status`` (exit code in ``details.causes[ExitCode]``), 255
close (v5: the client's end of stdin). Stdin is streamed in chunks from bytes or a binary
file, so a prompt of megabytes or a tar archive of a source tree goes through the same path;
output is handed to callbacks as it arrives. A deadline or a set ``cancel`` event closes the
stream and raises; the caller stops the remote process (closing the stream does not kill a
process on a real kubelet). v4 has no stdin close, so callers that need end-of-input on any
server send a length the remote side reads exactly (``head -c N``), as ``prompt run`` does.
"""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO
from urllib.parse import quote, urlencode

from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from codexstack.kube._endpoint import Endpoint
from codexstack.kube._errors import KubeError, Unreachable

PROTOCOLS = ("v5.channel.k8s.io", "v4.channel.k8s.io")
STDIN, STDOUT, STDERR, ERROR, RESIZE, CLOSE = 0, 1, 2, 3, 4, 255
CHUNK = 64 * 1024
Sink = Callable[[bytes], None]


@dataclass(frozen=True)
class ExecResult:
    """How the remote command ended."""

    exit_code: int
    protocol: str
    status: Mapping[str, Any] = field(default_factory=dict)
    message: str = ""


class ExecTimeout(KubeError):
    """The command ran past its deadline; the stream was closed."""


class ExecCancelled(KubeError):
    """The caller cancelled (Ctrl-C, SIGTERM); the stream was closed."""


def exec_url(
    server: str,
    namespace: str,
    pod: str,
    command: Sequence[str],
    *,
    container: str | None,
    stdin: bool,
) -> str:
    """The ``wss://…/exec?command=…`` URL (one ``command`` parameter per argv element)."""
    query: list[tuple[str, str]] = [("command", arg) for arg in command]
    if container:
        query.append(("container", container))
    query += [("stdin", "true" if stdin else "false"), ("stdout", "true"), ("stderr", "true")]
    base = server.rstrip("/").replace("https://", "wss://", 1).replace("http://", "ws://", 1)
    path = f"/api/v1/namespaces/{quote(namespace)}/pods/{quote(pod)}/exec"
    return f"{base}{path}?{urlencode(query)}"


def exit_code(status: Mapping[str, Any]) -> int:
    """The exit code a final ``Status`` carries (0 on Success, -1 when it has none)."""
    if status.get("status") == "Success":
        return 0
    for cause in (status.get("details") or {}).get("causes") or []:
        if cause.get("reason") == "ExitCode":
            try:
                return int(cause.get("message", ""))
            except ValueError:
                break
    return -1


def _open(endpoint: Endpoint, url: str, timeout: float) -> ClientConnection:
    try:
        return connect(
            url,
            ssl=endpoint.ssl_context() if url.startswith("wss://") else None,
            subprotocols=list(PROTOCOLS),  # type: ignore[arg-type]
            additional_headers=endpoint.auth_headers(),
            open_timeout=timeout,
            max_size=None,
            compression=None,
            # The apiserver's stream does not answer WebSocket pings in every version; an
            # agent run is long, and a missed pong would cut it. Deadlines are ours instead.
            ping_interval=None,
        )
    except InvalidStatus as exc:
        code = exc.response.status_code
        body = exc.response.body.decode(errors="replace")[:400] if exc.response.body else ""
        raise KubeError(f"exec refused: HTTP {code}: {body}", status=code) from None
    except (OSError, InvalidHandshake, TimeoutError) as exc:
        raise Unreachable(f"cannot open an exec stream to {endpoint.base_url}: {exc}") from None


def _open_retrying(
    endpoint: Endpoint, url: str, timeout: float, attempts: int = 3
) -> ClientConnection:
    """Open the stream; a failed handshake sent nothing, so it is tried again (busy servers)."""
    for attempt in range(1, attempts + 1):
        try:
            return _open(endpoint, url, timeout)
        except Unreachable:
            if attempt == attempts:
                raise
            time.sleep(attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def _pump_stdin(
    conn: ClientConnection, data: BinaryIO, v5: bool, failed: list[BaseException]
) -> None:
    try:
        while chunk := data.read(CHUNK):
            conn.send(bytes([STDIN]) + chunk)
        if v5:
            conn.send(bytes([CLOSE, STDIN]))
    except (ConnectionClosed, OSError) as exc:
        failed.append(exc)


def exec_pod(
    endpoint: Endpoint,
    namespace: str,
    pod: str,
    command: Sequence[str],
    *,
    container: str | None = None,
    stdin: bytes | BinaryIO | None = None,
    on_stdout: Sink | None = None,
    on_stderr: Sink | None = None,
    timeout: float | None = None,
    cancel: threading.Event | None = None,
    connect_timeout: float = 30.0,
) -> ExecResult:
    """Run ``command`` in the pod, streaming stdin and output; return the exit status."""
    url = exec_url(
        endpoint.base_url, namespace, pod, command, container=container, stdin=stdin is not None
    )
    deadline = None if timeout is None else time.monotonic() + timeout
    conn = _open_retrying(endpoint, url, connect_timeout)
    protocol = conn.subprotocol or ""
    pump_errors: list[BaseException] = []
    if stdin is not None:
        source = io.BytesIO(stdin) if isinstance(stdin, bytes) else stdin
        threading.Thread(
            target=_pump_stdin,
            args=(conn, source, protocol.startswith("v5"), pump_errors),
            daemon=True,
            name="exec-stdin",
        ).start()
    sinks = {STDOUT: on_stdout, STDERR: on_stderr}
    status: dict[str, Any] = {}
    try:
        while True:
            if cancel is not None and cancel.is_set():
                raise ExecCancelled(f"exec in {namespace}/{pod} cancelled")
            wait = 0.25
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise ExecTimeout(f"exec in {namespace}/{pod} ran past {timeout:.0f} s")
                wait = min(wait, left)
            try:
                frame = conn.recv(timeout=wait)
            except TimeoutError:
                continue
            except ConnectionClosed:
                break
            if isinstance(frame, str):
                frame = frame.encode()
            if not frame:
                continue
            channel, payload = frame[0], frame[1:]
            if channel == ERROR:
                if payload:
                    status = json.loads(payload.decode(errors="replace"))
                continue
            sink = sinks.get(channel)
            if sink is not None and payload:
                sink(payload)
    finally:
        conn.close()
    if not status:
        raise Unreachable(f"the exec stream in {namespace}/{pod} ended without a status")
    return ExecResult(exit_code(status), protocol, status, str(status.get("message", "")))
