"""The one GitHub client: PyGithub for REST, its requester for GraphQL, bounded waiting.

:class:`GitHub` wraps a PyGithub ``Github`` built from an :class:`~.access.Access`.
Every operation runs through :meth:`GitHub.call`, which waits out rate limits (403/429
with ``Retry-After`` or ``X-RateLimit-Reset``) and outages (5xx, timeouts, refused
connections) within one wait budget per client, reporting each wait as a progress line.
Past the budget it raises :class:`~.errors.RateLimited` (with the reset time) or
:class:`~.errors.GitHubUnavailable`, both exit 75. PyGithub's own retrying is turned off so
that this budget is the only one. Errors carry redacted text only.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from codexstack.github.access import Access
from codexstack.github.errors import GitHubError, GitHubUnavailable, RateLimited
from codexstack.redact import install_log_redaction, register

T = TypeVar("T")
Progress = Callable[[str], None]

# GitHub asks clients hit by a secondary limit without Retry-After to wait at least a minute.
_SECONDARY_DEFAULT_WAIT = 60.0
_OUTAGE_STATUSES = frozenset({500, 502, 503, 504})
_PROGRESS_EVERY = 30.0  # seconds between "still waiting" lines in a long wait


def _quiet(_: str) -> None:
    return None


def _header(headers: dict[str, Any] | None, name: str) -> str:
    for key, value in (headers or {}).items():
        if key.lower() == name:
            return str(value)
    return ""


def rate_limit_wait(status: int, headers: dict[str, Any] | None, message: str) -> float | None:
    """Seconds to wait if this answer is a rate limit, else None (GitHub's documented rules).

    GraphQL reports its limit as an error of type ``RATE_LIMITED`` in a 200 answer, which
    PyGithub raises as a 400; :func:`_message` puts the type into ``message``.
    """
    if status == 400 and "RATE_LIMITED" in message:
        status = 403
    if status not in (403, 429):
        return None
    retry_after = _header(headers, "retry-after")
    if retry_after.strip().isdigit():
        return float(retry_after)
    reset = _header(headers, "x-ratelimit-reset")
    if _header(headers, "x-ratelimit-remaining") == "0" and reset.strip().isdigit():
        return max(0.0, float(reset) - time.time()) + 1.0
    if "rate limit" in message.lower():
        return _SECONDARY_DEFAULT_WAIT
    return None


def _when(seconds_from_now: float) -> str:
    moment = datetime.fromtimestamp(time.time() + seconds_from_now, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class GitHub:
    """A connected repository: PyGithub objects plus bounded, redacted error handling."""

    def __init__(self, access: Access, progress: Progress | None = None) -> None:
        import github  # noqa: PLC0415 - heavy import, only when GitHub is really used

        register(access.token)
        install_log_redaction()
        self.access = access
        self.progress = progress or _quiet
        self._waited = 0.0
        throttle = access.throttle or None
        settings: dict[str, Any] = {
            "auth": github.Auth.Token(access.token),
            "timeout": max(1, round(access.timeout)),
            "retry": None,
            "per_page": 100,
            "seconds_between_requests": throttle,
            "seconds_between_writes": throttle * 4 if throttle else None,
        }
        if access.api_url:
            settings["base_url"] = access.api_url
        self.api = github.Github(**settings)
        self._repo: Any = None

    @property
    def repo(self) -> Any:
        """The PyGithub ``Repository`` (fetched once, through :meth:`call`)."""
        if self._repo is None:
            self._repo = self.call(lambda: self.api.get_repo(self.access.repo), "read repository")
        return self._repo

    def call(self, fn: Callable[[], T], what: str) -> T:
        """Run ``fn`` (one or more requests); wait out limits and outages within the budget."""
        import github  # noqa: PLC0415
        import requests  # noqa: PLC0415

        attempt = 0
        while True:
            attempt += 1
            try:
                return fn()
            except github.GithubException as exc:
                message = _message(exc)
                wait = rate_limit_wait(exc.status, exc.headers, message)
                if wait is not None:
                    self._wait_rate_limit(wait, what)
                    continue
                if exc.status in _OUTAGE_STATUSES:
                    self._wait_outage(attempt, what, f"HTTP {exc.status}")
                    continue
                raise _failure(exc.status, message, what) from None
            except requests.RequestException as exc:
                self._wait_outage(attempt, what, type(exc).__name__)

    def _wait_rate_limit(self, wait: float, what: str) -> None:
        left = self.access.wait_budget - self._waited
        if wait > left:
            raise RateLimited(
                f"GitHub rate limit while trying to {what}: it resets at {_when(wait)} "
                f"(in {wait:.0f}s), beyond the wait budget ({left:.0f}s of "
                f"{self.access.wait_budget:.0f}s left)",
                hint="retry after the reset time, or raise CODEXSTACK_GITHUB_WAIT (seconds)",
            )
        self.progress(
            f"GitHub rate limit: waiting {wait:.0f}s until {_when(wait)} to {what} "
            f"(budget {left:.0f}s left)"
        )
        deadline = time.monotonic() + wait
        while (remaining := deadline - time.monotonic()) > 0:
            time.sleep(min(remaining, _PROGRESS_EVERY))
            if deadline - time.monotonic() > 1:
                self.progress(f"GitHub rate limit: {deadline - time.monotonic():.0f}s to go")
        self._waited += wait

    def _wait_outage(self, attempt: int, what: str, reason: str) -> None:
        wait = min(0.5 * 2 ** (attempt - 1), 30.0)
        left = self.access.wait_budget - self._waited
        if wait > left:
            raise GitHubUnavailable(
                f"GitHub is unavailable ({reason}) while trying to {what}; "
                f"gave up after {attempt} attempts",
                hint="retry later, or raise CODEXSTACK_GITHUB_WAIT (seconds)",
            )
        self.progress(f"GitHub answered {reason}; retrying to {what} in {wait:g}s")
        time.sleep(wait)
        self._waited += wait

    def graphql(self, query: str, variables: dict[str, Any], what: str) -> dict[str, Any]:
        """The ``data`` of one GraphQL query (errors raise, limits are waited out)."""

        def run() -> dict[str, Any]:
            _, body = self.api.requester.graphql_query(query, variables)
            data = body.get("data")
            return data if isinstance(data, dict) else {}

        return self.call(run, what)

    def rest(self, verb: str, path: str, what: str, body: dict[str, Any] | None = None) -> Any:
        """A raw REST request on the repository (``path`` already URL-escaped)."""
        url = f"{self.repo.url}/{path}"

        def run() -> Any:
            _, data = self.api.requester.requestJsonAndCheck(verb, url, input=body)
            return data

        return self.call(run, what)


def _message(exc: Any) -> str:
    data = exc.data if isinstance(exc.data, dict) else {}
    message = data.get("message") or exc.message or ""
    errors = data.get("errors")
    if isinstance(errors, list) and errors:
        detail = "; ".join(
            " ".join(filter(None, (str(e.get("type") or ""), str(e.get("message") or e))))
            if isinstance(e, dict)
            else str(e)
            for e in errors
        )
        message = f"{message}: {detail}" if message else detail
    return str(message)


def _failure(status: int, message: str, what: str) -> GitHubError:
    if status == 401:
        return GitHubError(
            f"GitHub refused the token (401 {message or 'Bad credentials'}) while trying to {what}",
            hint="check CODEXCTL_GH_PAT / GH_TOKEN / GITHUB_TOKEN and GITHUB_API_URL",
            status=status,
        )
    return GitHubError(f"GitHub {status} while trying to {what}: {message}", status=status)
