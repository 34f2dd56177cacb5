"""``ci apply``: codexctl's CI apply, retried with backoff per phase.

Apply failures and readiness failures have their own attempt counts and first backoff
(doubling per retry); a failing hook is not retried. Every option comes already parsed (the
CLI reads flags and ``CODEXCTL_*`` variables with Go's rules).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from codexstack import deploy
from codexstack.flows._stack import NO_FILTERS, Filters, Outcome, Stack
from codexstack.flows.ci import CiOutputs
from codexstack.flows.progress import SILENT, Reporter
from codexstack.flows.target import Target

Result = Outcome


@dataclass(frozen=True)
class Request:
    """What to apply and the retry budget."""

    target: Target
    filters: Filters = NO_FILTERS
    preflight: bool = False
    wait: bool = False
    apply_retries: int = 3
    wait_retries: int = 3
    apply_backoff: float = 5.0
    wait_backoff: float = 5.0
    wait_timeout: float = 600.0
    request_timeout: float = 600.0
    ci: CiOutputs = field(default_factory=CiOutputs)


def run(request: Request, progress: Reporter = SILENT) -> Outcome:
    """Apply the target's stack until it succeeds or a phase's attempts are used up."""
    policy = deploy.RetryPolicy(
        apply_attempts=max(1, request.apply_retries),
        apply_backoff_s=request.apply_backoff,
        wait_attempts=max(1, request.wait_retries),
        wait_backoff_s=request.wait_backoff,
    )
    stack = Stack.open(request.target, progress, filters=request.filters)
    if request.preflight:
        stack.preflight()
    operation = stack.request(
        wait=request.wait,
        wait_timeout=request.wait_timeout,
        hooks=True,
        request_timeout=request.request_timeout,
    )
    return stack.finish(deploy.apply_with_retries(operation, policy), request.ci)
