"""``doctor``: engine, provider, Python packages and local cluster, with how to fix gaps."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from codexstack import cluster
from codexstack.flows.progress import SILENT, Reporter
from codexstack.flows.result import Checked

Result = Checked["cluster.DoctorReport"]
"""The checks; exit code 1 when anything is missing or unhealthy."""


@dataclass(frozen=True)
class Request:
    """Which local cluster to check (by state directory)."""

    state_dir: Path | None = None


def run(request: Request, progress: Reporter = SILENT) -> Result:
    """Run every check."""
    return Checked(cluster.run_doctor(request.state_dir))
