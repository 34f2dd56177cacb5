"""``cluster up``: start the local loopback cluster (a quick no-op when it is healthy).

As kind, k3d and minikube do, it then adds a context for the cluster to the user's kubeconfig
(the first of ``$KUBECONFIG``, else ``~/.kube/config``) and makes it current, so ``apply`` and
``kubectl`` in the same shell use it; ``kubeconfig=False`` (``--no-kubeconfig``) leaves the
user's files alone. The result names the context and the ``export KUBECONFIG=…`` line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codexstack import cluster
from codexstack.flows.progress import SILENT, Reporter


@dataclass(frozen=True)
class Request:
    """Where the cluster keeps its state, and how long each component may take to start."""

    state_dir: Path | None = None
    """Default: ``./.codexstack/cluster``."""
    timeout: float = 90.0
    kubeconfig: bool = True
    """Add the cluster's context to the user's kubeconfig and make it current."""


@dataclass(frozen=True)
class Result:
    """The cluster's health, per component, and the context added; exit 1 when unhealthy."""

    report: cluster.ClusterStatus
    added: cluster.Added | None = None

    @property
    def exit_code(self) -> int:
        return 0 if self.report.healthy else 1

    def data(self, fmt: str) -> Any:
        data = self.report.to_dict()
        if self.added is not None:
            data["context"] = self.added.context
            data["user_kubeconfig"] = str(self.added.path)
        return data

    def text(self) -> str:
        text = self.report.text().rstrip("\n") + "\n"
        if self.added is not None:
            text += f"context {self.added.context} (current) in {self.added.path}\n"
            text += self.added.export_line() + "\n"
        return text


def run(request: Request, progress: Reporter = SILENT) -> Result:
    """Start (or find healthy) the cluster of ``state_dir``; add its kubeconfig context."""
    status = cluster.up(request.state_dir, timeout=request.timeout)
    if not (request.kubeconfig and status.healthy):
        return Result(status)
    added = cluster.add_context(Path(status.state_dir), Path(status.kubeconfig))
    return Result(status, added)
