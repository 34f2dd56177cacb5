"""``cluster map-workspace``: on the local cluster, exec into a slot's pods runs in a directory.

kwok simulates the pods, so an exec needs somewhere to run: this points every pod of one
namespace at a workspace directory, with the agent container's environment resolved as a
kubelet would (see ``codexstack.cluster.execsim``). The demo and the tests use it for the
slot's agent pod; a real cluster never needs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codexstack import cluster
from codexstack.flows.progress import SILENT, Reporter


@dataclass(frozen=True)
class Request:
    """Which namespace goes to which directory, on which local cluster."""

    namespace: str
    workdir: Path
    deployment: str = "codex"
    bin_dirs: tuple[Path, ...] = ()
    state_dir: Path | None = None


@dataclass(frozen=True)
class Result:
    """The ClusterExec object written."""

    name: str
    namespace: str
    workdir: str
    exit_code: int = 0

    def data(self, fmt: str) -> Any:
        return {"clusterExec": self.name, "namespace": self.namespace, "workdir": self.workdir}

    def text(self) -> str:
        return f"exec into pods of {self.namespace} runs in {self.workdir}\n"


def run(request: Request, progress: Reporter = SILENT) -> Result:
    """Write the namespace's exec mapping."""
    obj = cluster.map_workspace(
        request.namespace,
        request.workdir,
        state_dir=request.state_dir,
        deployment=request.deployment,
        bin_dirs=request.bin_dirs,
    )
    progress.info(f"exec into {request.namespace} → {request.workdir} ({obj['metadata']['name']})")
    return Result(obj["metadata"]["name"], request.namespace, str(request.workdir.resolve()))
