"""``refresh``: read the live objects back into the stack's state.

It also clears operations a crashed run left pending.
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
    """Which stack to refresh."""

    target: Target
    cluster: Cluster = field(default_factory=Cluster)
    lock_wait: float = 0.0
    ci: CiOutputs = field(default_factory=CiOutputs)


def run(request: Request, progress: Reporter = SILENT) -> Outcome:
    """Refresh the target's stack."""
    stack = Stack.open(request.target, progress, where=request.cluster)
    return stack.finish(deploy.refresh(stack.request(lock_wait=request.lock_wait)), request.ci)
