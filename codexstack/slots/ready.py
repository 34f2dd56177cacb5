"""``ensure-ready``: one call from "issue 42" to a claimed slot whose stack is applied.

The steps are codexctl's (§7.1) with its defects fixed: claim or reuse the slot; for a reused
claim, a missing namespace means the slot must be rebuilt (``recreated``); then, under the
slot's lock (so cleanup and GC never run underneath), renew the heartbeat, sync the sources,
apply the stack when asked and the slot is new, recreated or ``force_apply`` is set, wait for
it (a wait failure is fatal unless ``soft_fail``), and check that the agent is there. The
engine parts live in the deploy layer and come in as :class:`ReadySteps`.

Waiting for the lock can take minutes, and a cleanup or GC may have released the slot, or
given its number to another issue, in the meantime. So under the lock the claim is read again
and must still be the one allocated (same issue, PR, holder, namespace, state ``claimed``);
if not, the allocation starts over (a few times), and nothing is ever applied for a stale claim.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from codexstack.errors import CodexstackError, TemporaryError
from codexstack.slots.allocator import Allocation, Request
from codexstack.slots.model import Claim, ClaimState
from codexstack.slots.outputs import Value, ready_result

if TYPE_CHECKING:
    from codexstack.slots.service import Slots

Step = Callable[[Claim], None]
ATTEMPTS = 3
"""Allocations tried when the claim changes while its lock is awaited."""


def _never(claim: Claim) -> bool:
    return False


@dataclass(frozen=True)
class ReadySteps:
    """The injected parts: cluster questions and the engine operations."""

    namespace_exists: Callable[[str], bool]
    provision: Step | None = None
    """Apply the slot's stack (``ai-<slot>``)."""
    wait: Step | None = None
    """Wait until the slot's workloads are Available; raise on timeout."""
    sync: Step | None = None
    """Copy the sources into the slot's workspace."""
    images: Step | None = None
    """Mirror and build the images (``--prepare-images``), for a new or recreated slot."""
    env_ready: Callable[[Claim], bool] = _never
    """Namespace and agent deployment exist (``codexctl_env_ready``)."""


@dataclass(frozen=True)
class ReadyOptions:
    apply: bool = False
    force_apply: bool = False
    soft_fail: bool = False
    """A wait failure sets ``infra_ready=false`` instead of failing."""
    lock_wait: float = 600.0
    """Seconds to wait for a running apply/destroy of the same slot."""


@dataclass(frozen=True)
class ReadyResult:
    allocation: Allocation
    recreated: bool
    applied: bool
    infra_ready: bool
    env_ready: bool
    wait_error: str = ""

    @property
    def claim(self) -> Claim:
        return self.allocation.claim

    def outputs(self) -> dict[str, Value]:
        """codexctl's ensure-ready keys (§9.6)."""
        claim = self.claim
        return ready_result(
            slot=claim.slot,
            namespace=claim.namespace,
            env=claim.env,
            created=self.allocation.created,
            recreated=self.recreated,
            infra_ready=self.infra_ready,
            env_ready=self.env_ready,
            issue=claim.issue,
            pr=claim.pr,
        )


def ensure_ready(
    slots: Slots, request: Request, steps: ReadySteps, options: ReadyOptions
) -> ReadyResult:
    """Claim (or reuse) the slot, then bring it up as ``options`` say."""
    for _ in range(ATTEMPTS):
        result = _attempt(slots, request, steps, options)
        if result is not None:
            return result
    raise TemporaryError(
        f"the slot of {request.selector} kept changing hands while its lock was awaited",
        hint="a cleanup or GC is releasing it; run ensure-ready again",
    )


def _same(seen: Claim, current: Claim | None) -> bool:
    """``current`` (read under the lock) is still the claim that was allocated."""
    return (
        current is not None
        and current.state is ClaimState.CLAIMED
        and (current.issue, current.pr, current.holder, current.namespace, current.env)
        == (seen.issue, seen.pr, seen.holder, seen.namespace, seen.env)
    )


def _attempt(
    slots: Slots, request: Request, steps: ReadySteps, options: ReadyOptions
) -> ReadyResult | None:
    allocation = slots.ensure(request)
    claim = allocation.claim
    recreated = (
        not allocation.created
        and bool(claim.namespace)
        and not steps.namespace_exists(claim.namespace)
    )
    fresh = allocation.created or recreated
    applied, infra_ready, wait_error = False, True, ""
    with slots.store.lock(claim.slot, slots.holder, options.lock_wait):
        if claim.source == "codexstack":
            if not _same(claim, slots.get(claim.slot)):
                return None  # released or reassigned while we waited: allocate again
            slots.renew(claim.slot)
        if steps.sync is not None:
            steps.sync(claim)
        if fresh and steps.images is not None:
            steps.images(claim)  # codexctl: prepared only when created or recreated
        if options.apply and (fresh or options.force_apply) and steps.provision is not None:
            steps.provision(claim)
            applied = True
            if steps.wait is not None:
                try:
                    steps.wait(claim)
                except CodexstackError as exc:
                    if not options.soft_fail:
                        raise
                    infra_ready, wait_error = False, str(exc)
        env_ready = steps.env_ready(claim)
    return ReadyResult(allocation, recreated, applied, infra_ready, env_ready, wait_error)
