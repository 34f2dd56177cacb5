"""The one error type of the Kubernetes client and the two transport outcomes it refines.

:class:`KubeError` carries the HTTP status (0 when no answer came) and the API's Status
``reason`` (NotFound, AlreadyExists, Conflict, Forbidden, ...), so callers branch on data, not
on message text. :class:`Unreachable` means nothing was sent (connection refused, DNS, TLS
handshake): safe to retry anything. :class:`Ambiguous` means a write was sent but its answer
was lost: it may have been applied, so the caller must read back before deciding.
"""

from __future__ import annotations

from codexstack.errors import DeployError


class KubeError(DeployError):
    """The Kubernetes API failed or refused a request; ``status`` 0 means no answer."""

    def __init__(
        self, message: str, *, status: int = 0, reason: str = "", hint: str | None = None
    ) -> None:
        super().__init__(message, hint=hint)
        self.status = status
        self.reason = reason


class Unreachable(KubeError):
    """The connection could not be opened: nothing was sent."""


class Ambiguous(KubeError):
    """A write was sent but no answer came back; it may have been applied."""
