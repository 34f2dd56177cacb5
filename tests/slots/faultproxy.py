"""A small HTTP-aware fault proxy on loopback between a client and the real kube-apiserver.

It terminates TLS with the apiserver's own serving certificate (valid for 127.0.0.1, signed
by the cluster CA the client already trusts), forwards each request upstream over TLS with
the admin client certificate, and can fault requests chosen by method and path:

- ``drop``: forward the request, let the server apply it, then close the client connection
  instead of answering (a lost response, battery A4), at a given rate;
- ``status``: answer with a canned HTTP status (500, say) without forwarding;
- ``stall``: never answer, until the client gives up (a timeout);
- ``reset``: close the client connection with a TCP reset, without forwarding.

``faults`` holds several faults at once, each with its own rate (battery C1: 30 % 5xx, 10 %
429, 5 % resets); a fault may carry a ``Retry-After`` header and may apply only to requests
whose ``User-Agent`` contains a given text (the engine's provider, say). ``counters.by_mode``
counts what was injected.

It runs its own asyncio loop in a daemon thread, so synchronous tests drive it directly.
"""

from __future__ import annotations

import asyncio
import json
import random
import socket
import ssl
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

Match = Callable[[str, str], bool]


@dataclass
class Fault:
    mode: str  # drop | status | stall | reset
    match: Match
    rate: float = 1.0
    status: int = 500
    retry_after: int | None = None
    user_agent: str = ""
    """Only requests whose User-Agent contains this (empty: every request)."""


def every(_method: str, _path: str) -> bool:
    return True


@dataclass
class Counters:
    forwarded: int = 0
    faulted: int = 0
    seen: list[str] = field(default_factory=list)
    by_mode: dict[str, int] = field(default_factory=dict)


def creates_of(resource: str) -> Match:
    """Match POSTs to a collection (``.../leases``)."""
    return lambda method, path: method == "POST" and path.split("?")[0].endswith("/" + resource)


class FaultProxy:
    def __init__(self, upstream: str, pki: Path, seed: int = 0):
        host, port = upstream.removeprefix("https://").rsplit(":", 1)
        self.upstream = (host, int(port))
        self.server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.server_tls.load_cert_chain(pki / "apiserver.crt", pki / "apiserver.key")
        self.upstream_tls = ssl.create_default_context(cafile=str(pki / "ca.crt"))
        self.upstream_tls.load_cert_chain(pki / "admin.crt", pki / "admin.key")
        self.fault: Fault | None = None
        self.faults: list[Fault] = []
        self.random = random.Random(seed)
        self.counters = Counters()
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fault-proxy", daemon=True)
        self._server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def start(self) -> FaultProxy:
        self._thread.start()
        assert self._ready.wait(10), "fault proxy did not start"
        return self

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    async def _shutdown(self) -> None:
        """Close the listener and every open connection while the loop still runs."""
        if self._server is not None:
            self._server.close()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._serve, "127.0.0.1", 0, ssl=self.server_tls)
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    def _decide(self, method: str, path: str, agent: str = "") -> tuple[str, Fault | None]:
        roll = self.random.random()
        for fault in [*([self.fault] if self.fault else []), *self.faults]:
            if not fault.match(method, path) or fault.user_agent not in agent:
                continue
            if roll < fault.rate:
                self.counters.faulted += 1
                key = f"{fault.mode} {fault.status}" if fault.mode == "status" else fault.mode
                self.counters.by_mode[key] = self.counters.by_mode.get(key, 0) + 1
                return fault.mode, fault
            roll -= fault.rate
        return "forward", None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                method, path = head.split(b" ", 2)[:2]
                body = await reader.readexactly(_length(head))
                action, fault = self._decide(method.decode(), path.decode(), _agent(head))
                self.counters.seen.append(f"{method.decode()} {path.decode()} -> {action}")
                if action == "stall":
                    await reader.read()  # until the client gives up and closes
                    return
                if action == "status":
                    assert fault is not None
                    writer.write(_canned(fault.status, fault.retry_after))
                    await writer.drain()
                    continue
                if action == "reset":
                    _reset(writer)
                    return
                if upstream is None:
                    upstream = await asyncio.open_connection(*self.upstream, ssl=self.upstream_tls)
                upstream[1].write(head + body)
                await upstream[1].drain()
                answer = await _read_response(upstream[0])
                self.counters.forwarded += 1
                if action == "drop":
                    return  # applied upstream; the client never hears back
                writer.write(answer)
                await writer.drain()
        finally:
            writer.close()
            if upstream is not None:
                upstream[1].close()


def _length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


def _agent(head: bytes) -> str:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"user-agent":
            return value.strip().decode(errors="replace")
    return ""


def _reset(writer: asyncio.StreamWriter) -> None:
    """Abort the connection with a TCP RST (SO_LINGER 0), as a crashing peer would."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


def _canned(status: int, retry_after: int | None = None) -> bytes:
    body = json.dumps(
        {
            "kind": "Status",
            "apiVersion": "v1",
            "status": "Failure",
            "message": f"injected HTTP {status}",
            "reason": "InternalError",
            "code": status,
        }
    ).encode()
    extra = f"Retry-After: {retry_after}\r\n" if retry_after is not None else ""
    return (
        f"HTTP/1.1 {status} Injected\r\nContent-Type: application/json\r\n{extra}"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


async def _read_response(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    headers = {
        name.strip().lower(): value.strip()
        for name, _, value in (line.partition(b":") for line in head.split(b"\r\n")[1:] if line)
    }
    if b"content-length" in headers:
        return head + await reader.readexactly(int(headers[b"content-length"]))
    if headers.get(b"transfer-encoding", b"").lower() == b"chunked":
        chunks = bytearray()
        while True:
            size_line = await reader.readuntil(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            chunk = await reader.readexactly(size + 2)
            chunks += size_line + chunk
            if size == 0:
                return head + bytes(chunks)
    return head
