"""``destroy``: delete everything the stack created (the whole stack; filters do not apply).

``remove`` also deletes the stack and its history once it is empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from codexstack import deploy
from codexstack.flows._stack import Cluster, Outcome, Stack
from codexstack.flows.ci import CiOutputs
from codexstack.flows.progress import SILENT, Reporter
from codexstack.flows.target import Target

Result = Outcome


@dataclass(frozen=True)
class Request:
    """Which stack to empty, and how long to wait for it."""

    target: Target
    cluster: Cluster = field(default_factory=Cluster)
    remove: bool = False
    lock_wait: float = 0.0
    deadline: float | None = None
    ci: CiOutputs = field(default_factory=CiOutputs)


def run(request: Request, progress: Reporter = SILENT) -> Outcome:
    """Destroy the target's stack (hooks run around it)."""
    stack = Stack.open(request.target, progress, where=request.cluster)
    operation = stack.request(lock_wait=request.lock_wait, hooks=True, deadline=request.deadline)
    return stack.finish(deploy.destroy(operation, remove=request.remove), request.ci)
