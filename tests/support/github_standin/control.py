"""A client for the stand-in's ``/_control`` endpoints: seed, inspect, flip switches.

Works the same against the pytest fixture's in-process server and a separate
``python -m tests.support.github_standin`` process. :meth:`Control.writes` lists the
requests that change something (any REST verb but GET, and git pushes); GraphQL queries
and git fetches are reads.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any


class Control:
    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")

    def _call(self, verb: str, name: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}/_control/{name}",
            data=data,
            method=verb,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read() or b"null")

    def state(self) -> dict[str, Any]:
        return dict(self._call("GET", "state"))

    def load(self, data: dict[str, Any]) -> dict[str, Any]:
        """Replace the whole state (defaults are filled in); returns the normalized state."""
        return dict(self._call("PUT", "state", data))

    def switches(self, **values: Any) -> dict[str, Any]:
        return dict(self._call("POST", "switches", values))

    def rate_limit(self, seconds: float, kind: str = "primary") -> None:
        """Answer API requests with a rate-limit error for ``seconds`` from the next one.

        The window opens at the next API request, not now, so a slow client start-up on a
        loaded machine cannot let it pass unnoticed.
        """
        self.switches(rate_limit_for=seconds, rate_limit_until=0, rate_limit_kind=kind)

    def fail(self, count: int, status: int = 502) -> None:
        """Answer the next ``count`` API requests with ``status``."""
        self.switches(fail_count=count, fail_status=status)

    def slow(self, delay: float) -> None:
        self.switches(delay=delay)

    def page_size(self, size: int) -> None:
        """Cap REST and GraphQL pages at ``size`` items (0: GitHub's sizes)."""
        self.switches(page_size=size)

    def requests(self) -> list[dict[str, Any]]:
        return list(self._call("GET", "requests"))

    def clear_requests(self) -> None:
        self._call("DELETE", "requests")

    def writes(self) -> list[dict[str, Any]]:
        """Requests that change state: non-GET REST calls and git pushes."""
        found = []
        for entry in self.requests():
            if entry["kind"] == "git":
                if "git-receive-pack" in entry["path"] + entry["query"]:
                    found.append(entry)
            elif entry["method"] != "GET" and entry["path"] != "/graphql":
                found.append(entry)
        return found

    def repo(self, full_name: str) -> dict[str, Any]:
        return dict(self.state()["repos"][full_name])
