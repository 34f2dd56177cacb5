"""``ensure``: reuse an issue/PR's slot or claim a free one, atomically, on any backend.

The algorithm rests on two atomic creates. First the caller creates the deterministic key
objects of its selector (``issue-<N>``, ``pr-<N>``); whoever creates a key is the only caller
allocating for that issue/PR, and everybody else waits for the key to be bound to a slot and
returns that same slot (battery A2). Then the key holder creates slot objects ``<prefix><N>``
in ascending order until one create succeeds; only "already exists" means taken, so every
other failure surfaces as itself (A5). Finally the keys are bound to the slot. A key whose
holder died mid-way is taken over after ``stale_after``, and the new holder adopts a slot
record already made for the same issue, so nothing leaks and nothing is given twice (A4, A6).
An explicit ``--slot`` is honoured or refused, never silently replaced (codexctl D-ALLOC).
"""

from __future__ import annotations

import dataclasses
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from codexstack.errors import SlotsFullError
from codexstack.slots import keys
from codexstack.slots.model import (
    DEFAULT_MAX_SLOTS,
    Claim,
    ClaimState,
    Record,
    Selector,
    new_holder_id,
)
from codexstack.slots.owned import create_owned, delete_quietly
from codexstack.slots.registry import SlotConflictError
from codexstack.slots.release import finish_releasing
from codexstack.slots.waitqueue import Snapshot, take_snapshot, wait_turn

if TYPE_CHECKING:
    from codexstack.slots.service import Slots


@dataclass(frozen=True)
class Request:
    """What ``ensure`` needs: the selector, the capacity and how to name a slot's namespace."""

    selector: Selector
    namespace_for: Callable[[int], str]
    max_slots: int = 0
    """Capacity: slots 1..max_slots; 0 means codexctl's 10000."""
    owner: str = "manual"
    wait: float = 0.0
    """Seconds to wait in the fair queue when every slot is held; 0 fails at once."""
    labels: Mapping[str, str] = field(default_factory=dict)

    @property
    def capacity(self) -> int:
        return self.max_slots if self.max_slots > 0 else DEFAULT_MAX_SLOTS


@dataclass(frozen=True)
class Allocation:
    """The answer: the claim, whether this call created it, and how long it waited."""

    claim: Claim
    created: bool
    waited: float = 0.0


def ensure(slots: Slots, request: Request) -> Allocation:
    """Return the slot of the request's issue/PR, claiming one if it has none."""
    selector = request.selector
    selector.validate()
    # Each call is its own holder: a lost answer is recognised as this call's, never another's.
    slots = dataclasses.replace(slots, holder=new_holder_id())
    started = time.monotonic()
    deadline = started + max(request.wait, 0.0)
    while True:
        claim = keys.reuse(slots, selector)
        if claim is not None:
            return Allocation(claim, False, time.monotonic() - started)
        if not selector.keys(slots.prefix):
            return Allocation(_claim_explicit(slots, request), True, time.monotonic() - started)
        owned = keys.take_keys(slots, selector, deadline)
        if owned is None:
            continue  # another caller allocated (or gave up) for this issue: look again
        try:
            claim, created = _claim(slots, request, owned, deadline)
            claim = keys.bind(slots, owned, claim, selector)
        except BaseException:
            for key in owned.values():
                delete_quietly(slots.store, key.name)
            raise
        return Allocation(claim, created, time.monotonic() - started)


def _claim(
    slots: Slots, request: Request, owned: dict[str, Record], deadline: float
) -> tuple[Claim, bool]:
    selector = request.selector
    snapshot = take_snapshot(slots)
    orphan = _orphan_for(snapshot, selector)
    if orphan is not None:
        return orphan, False
    free = _free(slots, snapshot, request)
    if selector.slot:
        return _claim_explicit(slots, request, free), True
    ahead = len(snapshot.queue)
    claim = _attempt(slots, request, free) if len(free) > ahead else None
    if claim is not None:
        return claim, True
    if request.wait <= 0:
        raise _full(request, snapshot)
    claim = wait_turn(
        slots,
        request.capacity,
        selector.describe(),
        owned=owned,
        attempt=lambda numbers: _attempt(slots, request, numbers),
        deadline=deadline,
        finish=lambda snap: bool(finish_releasing(slots, snap.releasing())),
    )
    return claim, True


def _claim_explicit(slots: Slots, request: Request, free: list[int] | None = None) -> Claim:
    """Claim exactly the requested slot or fail: codexctl silently took another (D-ALLOC)."""
    selector = request.selector
    claim = _attempt(slots, request, [selector.slot] if free is None else free)
    if claim is not None:
        return claim
    held = next((c for c in slots.claims() if c.slot == selector.slot), None)
    owner = f" by {held.source} for issue {held.issue}, PR {held.pr}" if held else ""
    raise SlotConflictError(
        f"slot {selector.slot} is held{owner}; {selector.describe()} cannot have it",
        hint="omit --slot to take any free slot",
    )


def _free(slots: Slots, snapshot: Snapshot, request: Request) -> list[int]:
    wanted = request.selector.slot
    free = (
        [wanted]
        if wanted and wanted not in snapshot.claims
        else ([] if wanted else snapshot.free(request.capacity))
    )
    if not free and snapshot.releasing() and finish_releasing(slots, snapshot.releasing()):
        return _free(slots, take_snapshot(slots), request)
    return free


def _orphan_for(snapshot: Snapshot, selector: Selector) -> Claim | None:
    """A claim made for this issue/PR by a caller that died before binding its key."""
    for claim in snapshot.claims.values():
        if claim.source != "codexstack" or claim.state is not ClaimState.CLAIMED:
            continue
        primary = claim.issue == selector.issue if selector.issue else claim.pr == selector.pr
        pr_fits = selector.pr == 0 or claim.pr in (0, selector.pr)
        if claim.env == selector.env and primary and pr_fits:
            return claim
    return None


def _attempt(slots: Slots, request: Request, candidates: list[int]) -> Claim | None:
    """Create slot objects in order until one succeeds; spread out after the first collision."""
    order = list(candidates)
    spread = False
    while order:
        slot = order.pop(0)
        held = create_owned(slots.store, _new_claim(slots, request, slot).to_record(slots.prefix))
        if held is None:
            if not spread:
                # Many callers raced for the lowest number: stop queueing behind them.
                random.shuffle(order)
                spread = True
            continue
        if slots.foreign is not None and slots.foreign.holds(slot):
            delete_quietly(slots.store, held.name, held.version)  # codexctl got there first
            continue
        return Claim.from_record(held)
    return None


def _new_claim(slots: Slots, request: Request, slot: int) -> Claim:
    now = slots.now()
    selector = request.selector
    return Claim(
        slot=slot,
        env=selector.env,
        namespace=request.namespace_for(slot),
        issue=selector.issue,
        pr=selector.pr,
        holder=slots.holder,
        owner=request.owner,
        created=now,
        renewed=now,
        labels=dict(request.labels),
    )


def _full(request: Request, snapshot: Snapshot) -> SlotsFullError:
    claims = [c for c in snapshot.claims.values() if c.slot <= request.capacity]
    foreign = sum(c.source != "codexstack" for c in claims)
    releasing = sum(c.state is ClaimState.RELEASING for c in claims)
    waiting = f", {len(snapshot.queue)} waiting" if snapshot.queue else ""
    return SlotsFullError(
        f"no free slot for {request.selector.describe()}: all {request.capacity} slots are held"
        f" ({foreign} by codexctl, {releasing} being released{waiting})",
        hint="wait with --wait-for-slot DURATION, raise --max/CODEXCTL_DEV_SLOTS_MAX,"
        " or free slots with manage-env cleanup/gc",
    )
