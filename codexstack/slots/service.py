"""``Slots``: the slot registry as callers see it, over any backend :class:`Store`.

One object per caller (a CLI run, a test worker) carries the caller's holder id, the clock and
the timings, plus the two things only the surroundings know: codexctl's claims
(:class:`ForeignClaims`, read during a migration) and whether a slot's namespace is gone
(``namespace_gone``; without a cluster there are no namespaces, so it defaults to "gone").
Allocation, release and GC live in their own modules and are reached through the methods
here; reads, heartbeat, ``set`` and labels are small enough to live here.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Protocol

from codexstack.slots import allocator, release
from codexstack.slots.allocator import Allocation, Request
from codexstack.slots.model import (
    Claim,
    Kind,
    Record,
    Selector,
    key_name,
    key_record,
    new_holder_id,
    slot_name,
)
from codexstack.slots.owned import create_owned, replace_owned
from codexstack.slots.registry import SlotConflictError, Store, VersionConflict
from codexstack.slots.release import Closed, Destroy, GcReport, ReleaseResult


class ForeignClaims(Protocol):
    """Slots held by another tool (codexctl's ``codex-env-<N>`` ConfigMaps)."""

    def list(self) -> list[Claim]:
        """Every foreign claim."""
        ...

    def holds(self, slot: int) -> bool:
        """True when the foreign tool holds that slot number."""
        ...


def _no_namespaces(namespace: str) -> bool:
    return True


@dataclass
class Slots:
    """The registry API: ensure, read, renew, release, GC, over one backend."""

    store: Store
    holder: str = field(default_factory=new_holder_id)
    clock: Callable[[], float] = time.time
    poll: float = 0.05
    """Seconds between polls while another caller allocates for the same issue/PR."""
    queue_poll: float = 0.25
    """Seconds between turns while waiting in the queue for a free slot."""
    stale_after: float = 30.0
    """An unbound issue/PR key or queue entry not renewed for this long belongs to a dead caller."""
    foreign: ForeignClaims | None = None
    namespace_gone: Callable[[str], bool] = _no_namespaces

    @property
    def prefix(self) -> str:
        return self.store.prefix

    def now(self) -> float:
        """The clock, rounded to microseconds (what a Lease MicroTime can hold)."""
        return round(self.clock(), 6)

    # reads -------------------------------------------------------------------------------

    def get(self, slot: int) -> Claim | None:
        """Our claim on ``slot``, if any."""
        record = self.store.get(slot_name(self.prefix, slot))
        return Claim.from_record(record) if record else None

    def claims(self, *, include_foreign: bool = True) -> list[Claim]:
        """Every claim, ours and (by default) codexctl's, ordered by slot number."""
        ours = [Claim.from_record(r) for r in self.store.list() if r.kind == Kind.SLOT]
        held = {c.slot for c in ours}
        foreign = (
            [c for c in self.foreign.list() if c.slot not in held]
            if (include_foreign and self.foreign)
            else []
        )
        return sorted(ours + foreign, key=lambda c: (c.slot, c.source))

    def find(self, selector: Selector) -> list[Claim]:
        """Claims matching the selector (env and every non-zero value), as cleanup selects."""
        return [c for c in self.claims() if c.matches(selector)]

    # writes ------------------------------------------------------------------------------

    def ensure(self, request: Request) -> Allocation:
        """Reuse the claim of the request's issue/PR or claim a free slot (see allocator)."""
        return allocator.ensure(self, request)

    def release(
        self,
        slot: int,
        *,
        destroy: Destroy | None = None,
        lock_wait: float = 0.0,
        namespace_wait: float = 0.0,
    ) -> ReleaseResult:
        """Destroy and release one slot under its lock (see release)."""
        return release.release(
            self, slot, destroy=destroy, lock_wait=lock_wait, namespace_wait=namespace_wait
        )

    def gc(
        self,
        ttl: float,
        *,
        destroy: Destroy | None = None,
        dry_run: bool = False,
        closed: Closed | None = None,
    ) -> GcReport:
        """Release every claim whose heartbeat is older than ``ttl`` seconds, or closed."""
        return release.collect(self, ttl, destroy=destroy, dry_run=dry_run, closed=closed)

    def renew(self, slot: int) -> Claim:
        """Heartbeat: mark the slot as in use now."""
        return self._update(slot, lambda r: r.touched(self.now()))

    def label(self, slot: int, labels: Mapping[str, str | None]) -> Claim:
        """Set labels on a claim (a None value removes one); ``keep=true`` protects it from GC."""

        def change(r: Record) -> Record:
            merged = {**r.labels, **{k: v for k, v in labels.items() if v is not None}}
            for k in (k for k, v in labels.items() if v is None):
                merged.pop(k, None)
            return replace(r, labels=merged)

        return self._update(slot, change)

    def set(self, slot: int, *, issue: int = 0, pr: int = 0) -> Claim:
        """``manage-env set``: bind a non-zero issue/PR to the slot (never clears one)."""
        claim = self.get(slot)
        if claim is None:
            raise SlotConflictError(f"slot {slot} is not claimed")
        for what, number in (("issue", issue), ("pr", pr)):
            if number:
                self._bind_key(key_name(self.prefix, claim.env, what, number), claim, what, number)
        values = {k: str(v) for k, v in (("issue", issue), ("pr", pr)) if v}
        return self._update(slot, lambda r: r.evolve(**values))

    def _bind_key(self, name: str, claim: Claim, what: str, number: int) -> None:
        record = key_record(
            name, self.holder, self.now(), env=claim.env, what=what, number=number, slot=claim.slot
        )
        held = create_owned(self.store, record)
        if held is None:
            current = self.store.get(name)
            bound = current.get_int("slot") if current is not None else claim.slot
            if bound != claim.slot:
                where = f"slot {bound}" if bound else "a slot being allocated"
                raise SlotConflictError(f"{what} {number} is already bound to {where}")

    def _update(self, slot: int, change: Callable[[Record], Record]) -> Claim:
        name = slot_name(self.prefix, slot)
        while True:
            record = self.store.get(name)
            if record is None:
                raise SlotConflictError(f"slot {slot} is not claimed")
            try:
                return Claim.from_record(replace_owned(self.store, change(record)))
            except VersionConflict:
                continue
