"""``cluster status``: per-component health of the local cluster (exit 1 when unhealthy)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from codexstack import cluster
from codexstack.flows.progress import SILENT, Reporter
from codexstack.flows.result import Checked

Result = Checked["cluster.ClusterStatus"]


@dataclass(frozen=True)
class Request:
    """Which cluster (by state directory)."""

    state_dir: Path | None = None


def run(request: Request, progress: Reporter = SILENT) -> Result:
    """Check each component of the cluster of ``state_dir``."""
    return Checked(cluster.status(request.state_dir))
