"""The stand-in GitHub: REST and GraphQL the codexstack GitHub module uses, plus git smart-HTTP.

:class:`StandIn` is a threading HTTP server on 127.0.0.1 (port 0 picks a free one). API
requests need ``Authorization: token|Bearer <t>`` with a token of ``state.tokens`` (401
"Bad credentials" otherwise). Switches (``state.switches``, set through ``/_control``):
``rate_limit_until`` (epoch) or ``rate_limit_for`` (seconds from the next API request;
``rate_limit_kind`` primary → 403 with ``X-RateLimit-*``, GraphQL 200 with RATE_LIMITED,
secondary → 429 with ``Retry-After``), ``fail_count``/``fail_status`` (the next N API
requests answer 5xx), ``delay`` (seconds before each API answer) and ``page_size`` (caps
REST ``per_page`` and GraphQL page sizes, to test pagination with few items), ``git_delay``
(seconds before each git answer, to watch a push while it runs). Every request
but ``/_control`` is recorded (method, path, query, auth, status, operation) so tests can
assert what was, and was not, asked. Git at ``/git/<owner>/<name>.git`` is served by
``git http-backend`` from ``git_root``: pushes need HTTP Basic auth with a valid token as the
password; fetches from a repository that is not ``private`` also work without credentials.
"""

from __future__ import annotations

import base64
import json
import math
import re
import sys
import threading
import time
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from . import gitsmart, graphql, rest, shapes
from .state import State


class StandIn(ThreadingHTTPServer):
    """The server; ``url`` is its base, ``state`` its data, ``requests`` what it was asked."""

    daemon_threads = True

    def __init__(self, state: State, git_root: Path, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), Handler)
        self.state = state
        self.git_root = git_root
        self.requests: list[dict[str, Any]] = []
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> StandIn:
        self.thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()
        return self

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (its timeout) is expected with ``delay``; anything else shows."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class Handler(BaseHTTPRequestHandler):
    server: StandIn
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return None

    # One entry point per verb; all route through _handle.
    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _handle(self, verb: str) -> None:
        parsed = urllib.parse.urlsplit(self.path)
        raw = self._body()
        if parsed.path.startswith("/_control/"):
            self._control(verb, parsed.path, raw)
            return
        kind = "git" if parsed.path.startswith("/git/") else "api"
        entry: dict[str, Any] = {
            "method": verb,
            "path": parsed.path,
            "query": parsed.query,
            "kind": kind,
            "time": time.time(),
        }
        self.server.requests.append(entry)
        if kind == "git":
            with self.server.state.lock:
                git_delay = float(self.server.state.data["switches"].get("git_delay") or 0)
            if git_delay:
                time.sleep(git_delay)
            login = self._basic_login()
            entry["auth"] = "ok" if login else "missing-or-bad"
            if not login and self._anonymous_read(parsed):
                entry["auth"] = "anonymous"
            elif not login:
                entry["status"] = 401
                self._send(401, b"", {"WWW-Authenticate": 'Basic realm="GitHub"'})
                return
            status, headers, out = gitsmart.serve(self, self.server.git_root, parsed, raw, login)
            entry["status"] = status
            self._send(status, out, headers)
            return
        self._api(verb, parsed, raw, entry)

    def _api(
        self, verb: str, parsed: urllib.parse.SplitResult, raw: bytes, entry: dict[str, Any]
    ) -> None:
        state = self.server.state
        with state.lock:
            switches = state.data["switches"]
            delay = float(switches.get("delay") or 0)
        if delay:
            time.sleep(delay)
        login = self._token_login()
        entry["auth"] = "ok" if login else "missing-or-bad"
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = None
        entry["body"] = payload
        if not login:
            self._json(401, shapes.error("Bad credentials", 401), entry)
            return
        if self._switched_off(entry):
            return
        base = self.server.url
        with state.lock:
            if parsed.path == "/graphql" and verb == "POST":
                entry["operation"] = graphql.operation(payload)
                status, body = graphql.answer(state, payload or {})
                self._json(status, body, entry)
                return
            status, body, headers = rest.route(state, base, verb, parsed, payload, login, self)
        self._json(status, body, entry, headers)

    def _switched_off(self, entry: dict[str, Any]) -> bool:
        state = self.server.state
        with state.lock:
            switches = state.data["switches"]
            armed = float(switches.pop("rate_limit_for", 0) or 0)
            if armed:  # the window opens at the first request after arming, not at arming
                switches["rate_limit_until"] = time.time() + armed
            until = float(switches.get("rate_limit_until") or 0)
            kind = switches.get("rate_limit_kind") or "primary"
            fail = int(switches.get("fail_count") or 0)
            if fail:
                switches["fail_count"] = fail - 1
        if time.time() < until:
            if kind == "secondary":
                wait = max(1, math.ceil(until - time.time()))
                message = "You have exceeded a secondary rate limit. Please wait a few minutes."
                self._json(429, shapes.error(message, 429), entry, {"Retry-After": str(wait)})
            else:
                headers = {
                    "X-RateLimit-Limit": "5000",
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset": str(math.ceil(until)),
                    "X-RateLimit-Resource": "core",
                }
                message = "API rate limit exceeded for user ID 1."
                if entry["path"] == "/graphql":
                    # GraphQL answers 200 with a RATE_LIMITED error (GitHub's documented shape).
                    headers["X-RateLimit-Resource"] = "graphql"
                    body = {"errors": [{"type": "RATE_LIMITED", "message": message}]}
                    self._json(200, body, entry, headers)
                else:
                    self._json(403, shapes.error(message, 403), entry, headers)
            return True
        if fail:
            status = int(switches.get("fail_status") or 502)
            self._json(status, shapes.error("Server Error", status), entry)
            return True
        return False

    def _anonymous_read(self, parsed: urllib.parse.SplitResult) -> bool:
        """A fetch without credentials from a public repository (as on GitHub)."""
        if "Authorization" in self.headers or "git-upload-pack" not in parsed.path + parsed.query:
            return False
        name = parsed.path.removeprefix("/git/").split(".git/")[0]
        with self.server.state.lock:
            repo = self.server.state.repo(name)
            return repo is None or not repo["private"]

    def _token_login(self) -> str:
        header = self.headers.get("Authorization", "")
        match = re.match(r"^(?:token|bearer)\s+(\S+)$", header, re.IGNORECASE)
        if not match:
            return ""
        with self.server.state.lock:
            return str(self.server.state.data["tokens"].get(match.group(1), ""))

    def _basic_login(self) -> str:
        header = self.headers.get("Authorization", "")
        if not header.lower().startswith("basic "):
            return ""
        try:
            _, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            return ""
        with self.server.state.lock:
            return str(self.server.state.data["tokens"].get(password, ""))

    def _control(self, verb: str, path: str, raw: bytes) -> None:
        state = self.server.state
        name = path.removeprefix("/_control/")
        payload = json.loads(raw) if raw else {}
        if name == "state" and verb == "GET":
            self._json(200, state.snapshot(), None)
        elif name == "state" and verb == "PUT":
            state.replace(payload)
            self._json(200, state.snapshot(), None)
        elif name == "switches" and verb == "POST":
            with state.lock:
                state.data["switches"].update(payload)
                self._json(200, dict(state.data["switches"]), None)
        elif name == "requests" and verb == "GET":
            self._json(200, list(self.server.requests), None)
        elif name == "requests" and verb == "DELETE":
            self.server.requests.clear()
            self._json(200, [], None)
        else:
            self._json(404, {"message": f"no control endpoint {verb} {name}"}, None)

    def _json(
        self,
        status: int,
        body: Any,
        entry: dict[str, Any] | None,
        headers: dict[str, str] | None = None,
    ) -> None:
        if entry is not None:
            entry["status"] = status
        data = b"" if status == 204 else json.dumps(body).encode()
        extra = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
        extra.setdefault("X-RateLimit-Remaining", "4999")
        self._send(status, data, extra)

    def _send(self, status: int, data: bytes, headers: dict[str, str]) -> None:
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = ""
        self.send_response(status, phrase)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if data:
            self.wfile.write(data)
