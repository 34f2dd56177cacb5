"""``doctor``: engine, provider, Python packages and local cluster, with how to fix gaps."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codexstack import cluster
from codexstack.flows.progress import SILENT, Reporter


@dataclass(frozen=True)
class Request:
    """Which local cluster to check (by state directory)."""

    state_dir: Path | None = None


@dataclass(frozen=True)
class Result:
    """The checks; exit code 1 when anything is missing or unhealthy."""

    report: cluster.DoctorReport

    @property
    def exit_code(self) -> int:
        return 0 if self.report.healthy else 1

    def data(self, fmt: str) -> Any:
        return self.report.to_dict()

    def text(self) -> str:
        return str(self.report.text())


def run(request: Request, progress: Reporter = SILENT) -> Result:
    """Run every check."""
    return Result(cluster.run_doctor(request.state_dir))
