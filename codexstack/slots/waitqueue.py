"""Who holds and who waits: the registry snapshot and the fair queue for a free slot.

A :class:`Snapshot` is one listing of the registry read as claims (ours and codexctl's) and
live queue entries; queue entries not renewed within ``stale_after`` belong to dead waiters
and are removed by whoever sees them. Waiting (``--wait-for-slot``) is first come, first
served: a waiter enqueues a record stamped with its arrival time and only tries to claim while
its position is smaller than the number of free slots, renewing its entry (and its pending
issue/PR keys) on every turn. Callers that do not wait never take a slot reserved for a waiter.
"""

from __future__ import annotations

import time
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from codexstack.errors import SlotsFullError
from codexstack.slots.model import Claim, ClaimState, Kind, Record, queue_name
from codexstack.slots.owned import create_owned, delete_quietly, replace_owned
from codexstack.slots.registry import SlotConflictError, VersionConflict

if TYPE_CHECKING:
    from codexstack.slots.service import Slots


@dataclass(frozen=True)
class Snapshot:
    """One consistent-enough view: claims by slot number and the live queue in turn order."""

    claims: dict[int, Claim]
    queue: list[Record]

    def free(self, capacity: int) -> list[int]:
        """Slot numbers 1..capacity that nobody holds, ascending."""
        return [n for n in range(1, capacity + 1) if n not in self.claims]

    def releasing(self) -> list[Claim]:
        """Our claims whose release waits for their namespace to go."""
        return [c for c in self.claims.values() if c.state is ClaimState.RELEASING]

    def waiters_before(self, holder: str) -> int:
        """How many live waiters are ahead of ``holder`` (all of them if it is not queued)."""
        for position, entry in enumerate(self.queue):
            if entry.holder == holder:
                return position
        return len(self.queue)


def take_snapshot(slots: Slots) -> Snapshot:
    """List the registry once; drop stale queue entries on the way."""
    records = slots.store.list()
    now = slots.now()
    claims = {c.slot: c for c in (Claim.from_record(r) for r in records if r.kind == Kind.SLOT)}
    if slots.foreign is not None:
        for claim in slots.foreign.list():
            claims.setdefault(claim.slot, claim)
    queue = []
    for entry in (r for r in records if r.kind == Kind.QUEUE):
        if now - entry.renewed > slots.stale_after:
            delete_quietly(slots.store, entry.name, entry.version)
        else:
            queue.append(entry)
    queue.sort(key=lambda r: (float(r.data.get("enqueued", "0")), r.name))
    return Snapshot(claims, queue)


def wait_turn(
    slots: Slots,
    capacity: int,
    describe: str,
    *,
    owned: MutableMapping[str, Record],
    attempt: Callable[[list[int]], Claim | None],
    deadline: float,
    finish: Callable[[Snapshot], bool],
) -> Claim:
    """Queue until ``attempt`` claims a slot or ``deadline`` (monotonic) passes.

    ``owned`` holds the caller's pending issue/PR keys; they are renewed with the queue entry
    so that other callers for the same issue keep waiting instead of taking them over.
    ``finish`` completes releases whose namespaces are gone and says whether any did.
    """
    now = slots.now()
    entry = create_owned(
        slots.store,
        Record(
            queue_name(slots.prefix, slots.holder),
            Kind.QUEUE,
            slots.holder,
            now,
            {"enqueued": repr(now)},
        ),
    )
    if entry is None:  # pragma: no cover - holder ids are unique per caller
        raise SlotConflictError(f"queue entry of {slots.holder} is held by another caller")
    started = time.monotonic()
    try:
        while True:
            snapshot = take_snapshot(slots)
            free = snapshot.free(capacity)
            if not free and snapshot.releasing() and finish(snapshot):
                continue
            if snapshot.waiters_before(slots.holder) < len(free):
                claim = attempt(free)
                if claim is not None:
                    return claim
            if time.monotonic() >= deadline:
                raise SlotsFullError(
                    f"no free slot for {describe} after waiting {time.monotonic() - started:.0f}s:"
                    f" all {capacity} slots are held",
                    hint="wait longer with --wait-for-slot, raise --max, or run manage-env gc",
                )
            time.sleep(slots.queue_poll)
            entry = _renew(slots, entry)
            for name, key in list(owned.items()):
                owned[name] = _renew(slots, key)
    finally:
        delete_quietly(slots.store, entry.name)


def _renew(slots: Slots, record: Record) -> Record:
    try:
        return replace_owned(slots.store, record.touched(slots.now()))
    except VersionConflict as exc:
        raise SlotConflictError(
            f"{record.name} was taken over while this run waited (was it paused for longer than"
            f" {slots.stale_after:g}s?)"
        ) from exc
