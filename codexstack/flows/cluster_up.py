"""``cluster up``: start the local loopback cluster (a quick no-op when it is healthy)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from codexstack import cluster
from codexstack.flows.progress import SILENT, Reporter
from codexstack.flows.result import Checked

Result = Checked["cluster.ClusterStatus"]
"""The cluster's health, per component; exit code 1 when it is not healthy."""


@dataclass(frozen=True)
class Request:
    """Where the cluster keeps its state, and how long each component may take to start."""

    state_dir: Path | None = None
    """Default: ``./.codexstack/cluster``."""
    timeout: float = 90.0


def run(request: Request, progress: Reporter = SILENT) -> Result:
    """Start (or find healthy) the cluster of ``state_dir``."""
    return Checked(cluster.up(request.state_dir, timeout=request.timeout))
