"""``cluster down``: stop the processes a state directory started (nothing else).

The context ``cluster up`` added to the user's kubeconfig is removed again.
"""

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
    context_removed: str = ""

    def data(self, fmt: str) -> Any:
        removed = {"context_removed": self.context_removed} if self.context_removed else {}
        return {"stopped": self.stopped, "purged": self.purged, **removed}

    def text(self) -> str:
        text = "stopped: " + (", ".join(self.stopped) or "nothing was running") + "\n"
        if self.context_removed:
            text += f"kubeconfig context {self.context_removed} removed\n"
        return text


def run(request: Request, progress: Reporter = SILENT) -> Result:
    """Stop the cluster of ``state_dir``."""
    removed = cluster.remove_context(request.state_dir)
    stopped = cluster.down(request.state_dir, purge=request.purge)
    return Result(stopped, request.purge, context_removed=removed.context if removed else "")
