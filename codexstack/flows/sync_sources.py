"""``ci sync-sources``: copy the checkout into the workspace of a slot or environment.

codexctl 1.0.x crashes on this command (D-PANIC); here it does what ``ci ensure-ready``'s sync
step does, on its own: services.yaml is read (the env must exist), the target is
``<code-root-base>/<slot>/src`` for env ``ai`` (``ai-staging`` for ``ai-repair``, the env's
name otherwise), and :func:`codexstack.slots.sync_sources` copies incrementally under the
workspace's lock, never following a link out of it, never wiping work already there (pruning
is opt-in), with credentials scrubbed or withheld. The result is codexctl-style ``key: value``
lines, also written to ``$GITHUB_OUTPUT``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codexstack import slots
from codexstack.errors import UsageError
from codexstack.flows import _workspace
from codexstack.flows._target import load
from codexstack.flows.ci import CiOutputs, Value
from codexstack.flows.progress import SILENT, Reporter
from codexstack.flows.result import Lines
from codexstack.flows.target import Target


@dataclass(frozen=True)
class Request:
    """Where from, where to, and what may travel."""

    target: Target
    code_root_base: str | None
    source: str = "."
    env_files: frozenset[str] = frozenset()
    """``.env*`` names that may be copied (every other ``.env*`` stays behind)."""
    prune: bool = False
    lock_wait: float = 900.0
    ci: CiOutputs = field(default_factory=CiOutputs)


@dataclass(frozen=True)
class Result(Lines):
    """The workspace and what the copy did."""

    workspace: str
    copied: int
    unchanged: int
    removed: tuple[str, ...] = ()
    withheld: tuple[str, ...] = ()

    def values(self) -> dict[str, Value]:
        return {
            "codexctl_workspace": self.workspace,
            "codexctl_sync_copied": self.copied,
            "codexctl_sync_unchanged": self.unchanged,
        }

    def data(self, fmt: str) -> dict[str, Any]:
        if fmt == "kv":
            return dict(self.values())
        return {
            **self.values(),
            "removed": list(self.removed),
            "withheld": list(self.withheld),
        }


def run(request: Request, progress: Reporter = SILENT) -> Result:
    """Sync ``source`` into the env's (or slot's) workspace."""
    if not request.code_root_base:
        raise UsageError("--code-root-base is required (or CODEXCTL_CODE_ROOT_BASE)")
    target = request.target.with_env("ai")
    slot = target.required_slot() if target.env == "ai" else target.slot
    loaded = load(target, progress)
    environment = loaded.environment(required=True)  # as for every codexctl ci step
    source = Path(request.source or ".")
    if not source.is_dir():
        raise UsageError(f"--source {source}: no such folder")
    where = _workspace.Where(
        project=loaded.project,
        env=target.env,
        slot=slot,
        namespace=loaded.namespace,
        kubeconfig=environment.kubeconfig,
        context=environment.context,
    )
    options = slots.SyncOptions(
        prune=request.prune, env_files=request.env_files, lock_wait=request.lock_wait
    )
    report = _workspace.sync(
        where,
        code_root_base=request.code_root_base,
        source=source,
        options=options,
        process_env=loaded.process_env,
        progress=progress,
    )
    result = Result(
        str(report.target),
        report.copied,
        report.unchanged,
        tuple(report.removed),
        tuple(report.withheld),
    )
    request.ci.write(result.values())
    return result
