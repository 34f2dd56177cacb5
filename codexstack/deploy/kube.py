"""The Kubernetes client for the stack's cluster (preflight checks and built-in hooks).

The engine talks to the cluster through the provider; codexstack itself needs the API only
for checks before a run and for the few hook steps that must handle Secrets in-process. The
client (``codexstack.kube``) is built from the Plan's cluster target: its kubeconfig and
context, else ``$KUBECONFIG`` or ``~/.kube/config``, else the in-cluster service account;
its request timeout is short so that an unreachable cluster is reported in seconds.
"""

from __future__ import annotations

import os
from pathlib import Path

from codexstack import kube
from codexstack.plan import ClusterTarget

REQUEST_TIMEOUT_S = 5.0


def client_for(cluster: ClusterTarget) -> kube.Client:
    """A client for ``cluster`` (kubeconfig, else in-cluster)."""
    path = Path(os.path.expanduser(cluster.kubeconfig)) if cluster.kubeconfig else None
    path = path or kube.default_kubeconfig()
    if path is None and not cluster.context:
        return kube.Client(kube.Endpoint.in_cluster(), REQUEST_TIMEOUT_S)
    if path is None:
        raise kube.KubeError(f"no kubeconfig found for context {cluster.context!r}")
    return kube.Client.from_kubeconfig(path, cluster.context, REQUEST_TIMEOUT_S)
