"""``registry up|down|status``: the project's private dockerd and loopback registry.

``up`` starts whichever part is not healthy (``cluster.start_image_host``) and imports the
local base image (busybox-static's root filesystem) so Dockerfiles have something to start
``FROM`` on machines that reach no public registry; ``down`` stops only what this state
directory started; ``status`` only reads and exits 1 unless both parts are healthy.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from codexstack import cluster
from codexstack.flows.progress import SILENT, Reporter

Action = Literal["up", "down", "status"]


@dataclass(frozen=True)
class Request:
    """Which action, on which state directory (None: ``./.codexstack/images``)."""

    action: Action
    state_dir: Path | None = None
    timeout: float = 60.0
    purge: bool = False


@dataclass(frozen=True)
class Result:
    """The image host after the action (``stopped`` lists what ``down`` stopped)."""

    action: Action
    state: cluster.HostStatus
    stopped: tuple[str, ...] = ()
    base_image: str = ""

    @property
    def exit_code(self) -> int:
        return 1 if self.action == "status" and not self.state.healthy else 0

    def data(self, fmt: str) -> dict[str, Any]:
        out = {
            **self.state.to_dict(),
            "docker_host": self.state.docker_host,
            "registry": self.state.registry,
        }
        if self.action == "down":
            out["stopped"] = list(self.stopped)
        if self.base_image:
            out["base_image"] = self.base_image
        return out

    def text(self) -> str:
        if self.action == "down":
            return "stopped: " + (", ".join(self.stopped) or "nothing was running") + "\n"
        base = f"  base image {self.base_image}\n" if self.base_image else ""
        return self.state.text() + base


def run(request: Request, progress: Reporter = SILENT) -> Result:
    """Start, stop or inspect the image host."""
    if request.action == "up":
        state = cluster.start_image_host(request.state_dir, timeout=request.timeout)
        cluster.ensure_local_base(state.docker_host)
        progress.info(f"export DOCKER_HOST={state.docker_host}")
        return Result("up", state, base_image=cluster.BASE_IMAGE)
    if request.action == "down":
        stopped = cluster.stop_image_host(request.state_dir, purge=request.purge)
        return Result("down", cluster.image_host_status(request.state_dir), tuple(stopped))
    return Result("status", cluster.image_host_status(request.state_dir))
