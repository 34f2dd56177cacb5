"""``preview``: what apply would change (no hooks, nothing changed).

``wait`` None compares with an apply like the last one (with or without readiness awaits);
``detailed_exitcode`` makes a preview with changes end with exit code 2.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from codexstack import deploy
from codexstack.errors import ExitCode
from codexstack.flows._stack import NO_FILTERS, Cluster, Filters, Outcome, Stack
from codexstack.flows.ci import CiOutputs
from codexstack.flows.progress import SILENT, Reporter
from codexstack.flows.target import Target

Result = Outcome


@dataclass(frozen=True)
class Request:
    """What to compare, and how the exit code reports changes."""

    target: Target
    filters: Filters = NO_FILTERS
    cluster: Cluster = field(default_factory=Cluster)
    wait: bool | None = None
    lock_wait: float = 0.0
    detailed_exitcode: bool = False
    ci: CiOutputs = field(default_factory=CiOutputs)
    adopt: bool = True
    """Count existing kubectl-applied objects as adoptions (off: refuse them, as apply would)."""


def run(request: Request, progress: Reporter = SILENT) -> Outcome:
    """Preview the target's stack."""
    stack = Stack.open(request.target, progress, filters=request.filters, where=request.cluster)
    wait = request.wait
    if wait is None:
        wait = deploy.last_wait(deploy.ProjectState(stack.loaded.project_dir), stack.plan.stack)
    summary = deploy.preview(
        stack.request(lock_wait=request.lock_wait, wait=wait, adopt=request.adopt)
    )
    outcome = stack.finish(summary, request.ci)
    if request.detailed_exitcode and summary.changed:
        return replace(outcome, exit_code=int(ExitCode.CHANGES))
    return outcome
