"""The one Kubernetes API client of codexstack: endpoint, JSON requests, one error type.

Every apiserver conversation goes through here (an import-linter contract forbids HTTP
elsewhere). :class:`Endpoint` is where the server is and who we are (built from a kubeconfig,
the local PKI or the in-cluster service account); :class:`Client` sends JSON requests over it
with one retry rule; :class:`KubeError` (status + reason) is the one error type, refined by
:class:`Unreachable` (nothing sent) and :class:`Ambiguous` (a write's answer was lost).
Content types for patches and server-side apply are exported as constants; :func:`exec_pod`
runs a command in a pod over the WebSocket streaming protocol (stdin in, stdout/stderr out,
exit status back). Modules load on
first use, so importing the package is free.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codexstack.lazy import exports

if TYPE_CHECKING:
    from codexstack.kube._client import (
        APPLY_PATCH,
        JSON,
        JSON_PATCH,
        MERGE_PATCH,
        STRATEGIC_MERGE_PATCH,
        Client,
        Response,
        path_of,
    )
    from codexstack.kube._endpoint import Endpoint, default_kubeconfig
    from codexstack.kube._errors import Ambiguous, KubeError, Unreachable
    from codexstack.kube._exec import ExecCancelled, ExecResult, ExecTimeout, exec_pod

__all__ = [
    "APPLY_PATCH",
    "JSON",
    "JSON_PATCH",
    "MERGE_PATCH",
    "STRATEGIC_MERGE_PATCH",
    "Ambiguous",
    "Client",
    "Endpoint",
    "ExecCancelled",
    "ExecResult",
    "ExecTimeout",
    "KubeError",
    "Response",
    "Unreachable",
    "default_kubeconfig",
    "exec_pod",
    "path_of",
]
__getattr__, __dir__ = exports(
    __name__,
    {
        **dict.fromkeys(
            (
                "APPLY_PATCH",
                "JSON",
                "JSON_PATCH",
                "MERGE_PATCH",
                "STRATEGIC_MERGE_PATCH",
                "Client",
                "Response",
                "path_of",
            ),
            "_client",
        ),
        "Endpoint": "_endpoint",
        "default_kubeconfig": "_endpoint",
        **dict.fromkeys(("Ambiguous", "KubeError", "Unreachable"), "_errors"),
        **dict.fromkeys(("ExecCancelled", "ExecResult", "ExecTimeout", "exec_pod"), "_exec"),
    },
)
