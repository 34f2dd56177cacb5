"""The errors of the GitHub side, each with the exit code the CLI ends with.

Every message is built from redacted text (:func:`codexstack.redact.redact`), so a token that
found its way into a server's answer or a URL never reaches a terminal or a log.
"""

from __future__ import annotations

from codexstack.errors import CodexstackError, ConfigError, TemporaryError
from codexstack.redact import redact


class GitHubError(CodexstackError):
    """A GitHub call failed for good (not found, forbidden, validation): exit 1."""

    def __init__(self, message: str, *, hint: str | None = None, status: int | None = None):
        super().__init__(redact(message), hint=redact(hint) if hint else None)
        self.status = status


class GitHubUnavailable(TemporaryError):
    """GitHub answered 5xx, timed out or could not be reached within the budget: exit 75."""

    def __init__(self, message: str, *, hint: str | None = None):
        super().__init__(redact(message), hint=hint)


class RateLimited(GitHubUnavailable):
    """A rate limit resets later than the wait budget allows: exit 75, reset time in the text."""


class MissingAccess(CodexstackError):
    """No token or no repository could be found in the flag/environment chain: exit 1."""


class Refused(CodexstackError):
    """An operation a safety rule forbids (default/protected branch, fork head): exit 1."""


class BadBranchName(ConfigError):
    """A branch name with shell or ref metacharacters: bad input, exit 65."""
