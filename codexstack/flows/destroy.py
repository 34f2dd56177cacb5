"""``destroy``: delete everything the stack created (the whole stack; filters do not apply).

``remove`` also deletes the stack and its history once it is empty. A shared environment is
destroyed only after a yes (issue 14): ``yes`` (``--yes``) skips the question, ``ask`` (the
CLI's terminal prompt, None without a terminal) is shown the stack and the objects that will
be deleted; with neither, a non-slot destroy is refused (exit 64) before anything is touched.
Slot stacks (``ai-<N>``) are destroyed without a question, as codexctl does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from codexstack import deploy
from codexstack.flows._stack import Cluster, Outcome, Stack
from codexstack.flows.ci import CiOutputs
from codexstack.flows.progress import SILENT, Reporter
from codexstack.flows.target import Target
from codexstack.naming import stack_name

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
    yes: bool = False
    """``--yes``: no question, whatever the stack."""
    ask: Callable[[str, Sequence[str]], bool] | None = None
    """Ask the user (stack, objects to delete) -> yes?; None when there is no terminal."""


def run(request: Request, progress: Reporter = SILENT) -> Outcome:
    """Destroy the target's stack (hooks run around it)."""
    consent = deploy.Consent(yes=request.yes, ask=request.ask)
    if request.target.env:  # refuse before the engine or the config is even looked at
        deploy.needs_question(stack_name(request.target.env, request.target.slot), consent)
    stack = Stack.open(request.target, progress, where=request.cluster)
    operation = stack.request(lock_wait=request.lock_wait, hooks=True, deadline=request.deadline)
    summary = deploy.destroy(operation, remove=request.remove, consent=consent)
    return stack.finish(summary, request.ci)
