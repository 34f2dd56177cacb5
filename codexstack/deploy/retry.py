"""``ci apply``'s retry loop: bounded attempts with doubling backoff, per phase.

codexctl retries a failed apply up to ``--apply-retries`` times (total attempts) and a failed
wait up to ``--wait-retries`` times, each with its own doubling backoff. codexstack waits
inside the engine (Pulumi awaits readiness), so one attempt is one engine run; a failure the
engine reports as a partial failure (objects applied, readiness never reached:
:class:`~codexstack.errors.ReadinessError`) counts against the wait budget, any other
deployment failure against the apply budget. The phase comes from the engine's structured
event, never from message text (an apiserver "i/o timeout" is an apply failure). Hooks
before the engine run once; a retry resumes at the engine phase (D-HOOK-FILTER).
Configuration errors and interrupts are never retried.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from codexstack.deploy.hooks import HookError
from codexstack.deploy.operations import Request, apply
from codexstack.deploy.progress import Progress
from codexstack.deploy.summary import Summary
from codexstack.errors import DeployError, ReadinessError, TemporaryError


@dataclass(frozen=True)
class RetryPolicy:
    """Attempts (at least 1 each) and initial backoff seconds, doubling per retry."""

    apply_attempts: int = 3
    apply_backoff_s: float = 5.0
    wait_attempts: int = 3
    wait_backoff_s: float = 5.0


def failure_phase(error: Exception) -> str:
    """Which budget a failed attempt uses: ``wait`` for readiness, ``apply`` for the rest."""
    return "wait" if isinstance(error, ReadinessError) else "apply"


def apply_with_retries(
    request: Request, policy: RetryPolicy, sleep: Callable[[float], None] = time.sleep
) -> Summary:
    """Apply until it succeeds or a phase's attempts are used up (the last error is raised)."""
    used = {"apply": 0, "wait": 0}
    limits = {"apply": max(1, policy.apply_attempts), "wait": max(1, policy.wait_attempts)}
    backoff = {"apply": policy.apply_backoff_s, "wait": policy.wait_backoff_s}
    notes: list[str] = []
    while True:
        try:
            summary = apply(request, before_hooks=not any(used.values()))
        except (DeployError, TemporaryError) as exc:
            phase = failure_phase(exc)
            used[phase] += 1
            if used[phase] >= limits[phase] or _not_retryable(exc):
                raise
            delay = backoff[phase] * 2 ** (used[phase] - 1)
            notes.append(f"{phase} attempt {used[phase]} failed; retrying in {delay:g}s")
            if request.reporter is not None:
                request.reporter(Progress("message", message=notes[-1], severity="warning"))
            sleep(delay)
            continue
        summary.notes[:0] = notes
        return summary


def _not_retryable(exc: Exception) -> bool:
    """A failing hook fails the same way again: stop instead of waiting for it."""
    return isinstance(exc, HookError)
