"""``apply``: deploy an environment or slot (hooks, the stack's changes, hooks).

With ``render_to`` no cluster is needed: the manifests are written to that directory (the
env block may then be missing). ``preflight`` checks tools, cluster, permissions, namespace
and lock first (not when rendering). Objects codexctl's ``kubectl apply`` made are adopted
(``adopt=False``: refused); what it left behind in the namespace is listed, and deleted with
``prune_adopted`` after a yes from ``ask`` (or ``yes``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from codexstack import deploy
from codexstack.flows._stack import NO_FILTERS, Cluster, Filters, Outcome, Stack
from codexstack.flows.ci import CiOutputs
from codexstack.flows.progress import SILENT, Reporter
from codexstack.flows.target import Target

Result = Outcome


@dataclass(frozen=True)
class Request:
    """What to deploy, where, and how long to wait."""

    target: Target
    filters: Filters = NO_FILTERS
    cluster: Cluster = field(default_factory=Cluster)
    wait: bool = False
    wait_timeout: float | None = None
    """Readiness budget per object, seconds (None: the engine's default)."""
    preflight: bool = False
    render_to: Path | None = None
    lock_wait: float = 0.0
    deadline: float | None = None
    parallel: int | None = None
    ci: CiOutputs = field(default_factory=CiOutputs)
    adopt: bool = True
    prune_adopted: bool = False
    yes: bool = False
    ask: deploy.Ask | None = None
    """Asks before pruning (None: no terminal; then ``yes`` is required)."""


def run(request: Request, progress: Reporter = SILENT) -> Outcome:
    """Apply the target's stack (or render it to ``render_to``)."""
    stack = Stack.open(
        request.target,
        progress,
        filters=request.filters,
        where=request.cluster,
        render_only=request.render_to is not None,
    )
    operation = stack.request(
        wait=request.wait,
        wait_timeout=request.wait_timeout,
        render_to=request.render_to,
        lock_wait=request.lock_wait,
        deadline=request.deadline,
        hooks=True,
        parallel=request.parallel,
        adopt=request.adopt,
        prune=deploy.Consent(request.yes, request.ask) if request.prune_adopted else None,
    )
    if request.preflight and request.render_to is None:
        stack.preflight()
    return stack.finish(deploy.apply(operation), request.ci)
