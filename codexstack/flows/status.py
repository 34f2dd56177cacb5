"""``status``: one stack's last operation, objects, outputs, tags, locks, pending operations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from codexstack import deploy
from codexstack.flows._stack import Cluster, Stack
from codexstack.flows.progress import SILENT, Reporter
from codexstack.flows.target import Target


@dataclass(frozen=True)
class Request:
    """Which stack."""

    target: Target
    cluster: Cluster = field(default_factory=Cluster)


@dataclass(frozen=True)
class Result:
    """The deploy layer's status report."""

    report: dict[str, Any]
    exit_code: int = 0

    def data(self, fmt: str) -> Any:
        return self.report

    def text(self) -> str:
        report = self.report
        lines = [
            f"stack:      {report['stack']} ({report['project']})",
            f"namespace:  {report.get('namespace') or '-'}",
            f"backend:    {report['backend']}",
        ]
        if not report.get("exists"):
            return "\n".join([*lines, "state:      not deployed"]) + "\n"
        last = report.get("last_operation") or {}
        locks = report["locks"]
        holders = "; ".join(h for h in [locks["local"], *locks["engine"]] if h)
        lines += [
            f"last:       {last.get('kind', '-')} {last.get('result', '')} at "
            f"{last.get('end') or last.get('start', '-')}",
            f"objects:    {report['objects']} ({report['resources']} resources)",
            f"locked:     {'yes: ' + holders if locks['busy'] else 'no'}",
            f"interrupted operations: {report['pending_operations']}",
        ]
        lines += [f"output {k}: {v}" for k, v in sorted(report.get("outputs", {}).items())]
        return "\n".join(lines) + "\n"


def run(request: Request, progress: Reporter = SILENT) -> Result:
    """Read the target's stack state."""
    stack = Stack.open(request.target, progress, where=request.cluster)
    return Result(deploy.stack_status(stack.plan, stack.loaded.project_dir, stack.engine))
