"""A Kubernetes API client for the stack's cluster (preflight checks and built-in hooks).

The engine talks to the cluster through the provider; codexstack itself needs the API only
for checks before a run and for the few hook steps that must handle Secrets in-process. The
client is built from the Plan's cluster target (kubeconfig path and context), with a short
request timeout so that an unreachable cluster is reported in seconds.
"""

from __future__ import annotations

import os
from typing import Any

from codexstack.plan.model import ClusterTarget

REQUEST_TIMEOUT_S = 5.0


def api_client(cluster: ClusterTarget) -> Any:
    """A ``kubernetes.client.ApiClient`` for ``cluster`` (kubeconfig, else in-cluster)."""
    from kubernetes import client, config  # noqa: PLC0415  (heavy; only when needed)

    path = os.path.expanduser(cluster.kubeconfig) if cluster.kubeconfig else None
    try:
        return config.new_client_from_config(config_file=path, context=cluster.context)
    except config.ConfigException:
        if path or cluster.context:
            raise
        config.load_incluster_config()
        return client.ApiClient()


def core_api(cluster: ClusterTarget) -> Any:
    from kubernetes import client  # noqa: PLC0415

    return client.CoreV1Api(api_client(cluster))


def status_of(exc: BaseException) -> int:
    """The HTTP status of an ApiException (0 for connection errors)."""
    return int(getattr(exc, "status", 0) or 0)
