"""``ci ensure-slot``: claim a slot for an issue or PR, or find the one it already holds.

The selector comes from the target's slot and the request's issue/PR; the env defaults to
``ai``. The result is codexctl's ``slot``, ``namespace``, ``env`` (stdout and
``$GITHUB_OUTPUT``). A full registry raises the slots layer's temporary error (exit 75)
unless ``wait_for_slot`` queues fairly for a free slot first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from codexstack import slots
from codexstack.flows._registry import Registry, open_registry
from codexstack.flows.ci import CiOutputs, Value
from codexstack.flows.progress import SILENT, Reporter
from codexstack.flows.result import Lines
from codexstack.flows.target import Target


@dataclass(frozen=True)
class Request:
    """Which slot to claim, in which project, registry and CI step."""

    target: Target
    issue: int = 0
    pr: int = 0
    max_slots: int = 0
    """Capacity (0: services.yaml ``maxSlots``, else codexctl's 10000)."""
    wait_for_slot: float = 0.0
    """Seconds to queue when every slot is held (0: fail at once with exit 75)."""
    registry: Registry = field(default_factory=Registry)
    ci: CiOutputs = field(default_factory=CiOutputs)


@dataclass(frozen=True)
class Result(Lines):
    """The claimed slot (``created``: claimed now, not reused)."""

    slot: int
    namespace: str
    env: str
    created: bool

    def values(self) -> dict[str, Value]:
        return slots.slot_result(self.slot, self.namespace, self.env)


def run(request: Request, progress: Reporter = SILENT) -> Result:
    """Claim (or reuse) the slot; write the step outputs; say which on the reporter."""
    opened = open_registry(request.target, request.registry, progress)
    claim_req = opened.claim_request(
        issue=request.issue, pr=request.pr, max_slots=request.max_slots, wait=request.wait_for_slot
    )
    allocation = opened.slots.ensure(claim_req)
    claim = allocation.claim
    progress.info(
        f"slot {claim.slot}: {'claimed' if allocation.created else 'reused'} for"
        f" {claim_req.selector.describe()} (namespace {claim.namespace})"
    )
    result = Result(claim.slot, claim.namespace, claim.env, allocation.created)
    request.ci.write(result.values())
    return result
