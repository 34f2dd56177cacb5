"""The registry's requests to the Kubernetes API, with the client's errors in registry terms.

The slot logic distinguishes outcomes strictly (see ``registry``): a write whose answer was
lost is the registry's :class:`Ambiguous` (read back, recognise our holder), and every other
client failure, unreachable cluster included, is a :class:`RegistryError` with the real status.
"""

from __future__ import annotations

from typing import Any

from codexstack import kube
from codexstack.slots.registry import Ambiguous, RegistryError


def send(
    api: kube.Client,
    method: str,
    path: str,
    body: dict[str, Any] | None = None,
    query: dict[str, str] | None = None,
) -> kube.Response:
    """One request; HTTP statuses come back as answers, transport failures as registry errors."""
    try:
        return api.request(method, path, body, query)
    except kube.Ambiguous as exc:
        raise Ambiguous(exc.message) from exc
    except kube.KubeError as exc:
        raise RegistryError(exc.message, status=exc.status or None, hint=exc.hint) from exc


def refused(answer: kube.Response, what: str) -> RegistryError:
    """The error for an unexpected status: ``cannot <what>: HTTP <status>: <message>``."""
    return RegistryError(
        f"cannot {what}: HTTP {answer.status}: {answer.message}", status=answer.status
    )
