"""``cluster down``: stop the processes a state directory started (nothing else)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codexstack import cluster
from codexstack.flows.progress import SILENT, Reporter


@dataclass(frozen=True)
class Request:
    """Which cluster, and whether to delete its certificates, etcd data and logs too."""

    state_dir: Path | None = None
    purge: bool = False


@dataclass(frozen=True)
class Result:
    """The components stopped."""

    stopped: list[str]
    purged: bool
    exit_code: int = 0

    def data(self, fmt: str) -> Any:
        return {"stopped": self.stopped, "purged": self.purged}

    def text(self) -> str:
        return "stopped: " + (", ".join(self.stopped) or "nothing was running") + "\n"


def run(request: Request, progress: Reporter = SILENT) -> Result:
    """Stop the cluster of ``state_dir``."""
    stopped = cluster.down(request.state_dir, purge=request.purge)
    return Result(stopped, request.purge)
