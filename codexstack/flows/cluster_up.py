"""``cluster up``: start the local loopback cluster (a quick no-op when it is healthy)."""

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


@dataclass(frozen=True)
class Result:
    """The cluster's health, per component; exit code 1 when it is not healthy."""

    state: cluster.ClusterStatus

    @property
    def exit_code(self) -> int:
        return 0 if self.state.healthy else 1

    def data(self, fmt: str) -> Any:
        return self.state.to_dict()

    def text(self) -> str:
        return str(self.state.text())


def run(request: Request, progress: Reporter = SILENT) -> Result:
    """Start (or find healthy) the cluster of ``state_dir``."""
    return Result(cluster.up(request.state_dir, timeout=request.timeout))
