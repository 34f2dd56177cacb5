"""Releasing slots: one at a time (cleanup) or by heartbeat age (GC), always under the slot lock.

A release marks the claim ``releasing`` first, drops its issue/PR keys, runs the injected
``destroy`` (the deploy layer's stack destroy), and deletes the claim only once
``namespace_gone`` confirms the slot's namespace no longer exists; until then the number stays
taken, so a new issue never lands in a namespace that is still terminating (battery A7). A
failed destroy leaves the claim ``releasing`` for the next cleanup or GC to retry. GC skips
claims labelled keep, claims with a recent heartbeat and claims whose lock is held (an apply
is running), and sweeps keys and queue entries left by dead callers (E2). GC chooses from a
listing taken before any lock, so under each slot's lock it reads the claim again and decides
once more (expired, not keep): a heartbeat or a keep label set in between wins. A caller that
knows which issues and PRs are closed (the GitHub layer, or a recorded state) passes
``closed``: a claim whose issue or PR is closed is collected whatever its age (battery E2),
still never when labelled keep or locked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from codexstack.errors import CodexstackError, StackBusyError
from codexstack.flock import poll_until
from codexstack.slots.model import Claim, ClaimState, Kind, key_name
from codexstack.slots.owned import delete_quietly, replace_owned
from codexstack.slots.registry import VersionConflict

if TYPE_CHECKING:
    from codexstack.slots.service import Slots

Destroy = Callable[[Claim], None]
Closed = Callable[[Claim], bool]
"""Whether a claim's issue or PR is closed (its slot is no longer needed)."""
NAMESPACE_POLL = 0.5


class Outcome(StrEnum):
    """How a release ended."""

    RELEASED = "released"
    RELEASING = "releasing"  # destroyed; the namespace is still terminating
    ABSENT = "absent"


@dataclass(frozen=True)
class ReleaseResult:
    slot: int
    outcome: Outcome
    claim: Claim | None = None


@dataclass
class GcReport:
    """What one GC pass did, by slot number."""

    released: list[int] = field(default_factory=list)
    releasing: list[int] = field(default_factory=list)
    expired: list[int] = field(default_factory=list)
    """Expired claims a dry run would release."""
    kept: list[int] = field(default_factory=list)
    fresh: list[int] = field(default_factory=list)
    locked: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)
    swept_keys: int = 0


def release(
    slots: Slots,
    slot: int,
    *,
    destroy: Destroy | None = None,
    lock_wait: float = 0.0,
    namespace_wait: float = 0.0,
) -> ReleaseResult:
    """Release ``slot``: StackBusyError if its lock stays held for ``lock_wait`` seconds."""
    with slots.store.lock(slot, slots.holder, lock_wait):
        return _release_locked(slots, slot, destroy, namespace_wait)


def _release_locked(
    slots: Slots, slot: int, destroy: Destroy | None, namespace_wait: float
) -> ReleaseResult:
    claim = _mark_releasing(slots, slot)
    if claim is None:
        return ReleaseResult(slot, Outcome.ABSENT)
    if destroy is not None:
        try:
            destroy(claim)
        except StackBusyError:
            _restore(slots, claim)  # an apply runs on the stack: the slot stays its issue's
            raise
    _drop_keys(slots, claim)
    gone = poll_until(lambda: slots.namespace_gone(claim.namespace), namespace_wait, NAMESPACE_POLL)
    if gone:
        delete_quietly(slots.store, claim.to_record(slots.prefix).name, claim.version)
        return ReleaseResult(slot, Outcome.RELEASED, claim)
    return ReleaseResult(slot, Outcome.RELEASING, claim)


def _mark_releasing(slots: Slots, slot: int) -> Claim | None:
    while True:
        claim = slots.get(slot)
        if claim is None or claim.state is ClaimState.RELEASING:
            return claim
        record = claim.to_record(slots.prefix).evolve(state=str(ClaimState.RELEASING))
        try:
            return Claim.from_record(replace_owned(slots.store, record))
        except VersionConflict:
            continue


def _restore(slots: Slots, claim: Claim) -> None:
    """Undo ``_mark_releasing`` unless the issue/PR meanwhile moved to another slot."""
    record = claim.to_record(slots.prefix).evolve(state=str(ClaimState.CLAIMED))
    try:
        restored = Claim.from_record(replace_owned(slots.store, record))
    except VersionConflict:
        return
    for what, number in (("issue", claim.issue), ("pr", claim.pr)):
        if not number:
            continue
        key = slots.store.get(key_name(slots.prefix, claim.env, what, number))
        if key is None or key.get_int("slot") != claim.slot:
            _mark_releasing(slots, restored.slot)  # a new allocation replaced it: let it go
            return


def _drop_keys(slots: Slots, claim: Claim) -> None:
    for what, number in (("issue", claim.issue), ("pr", claim.pr)):
        if not number:
            continue
        key = slots.store.get(key_name(slots.prefix, claim.env, what, number))
        if key is not None and key.get_int("slot") == claim.slot:
            delete_quietly(slots.store, key.name, key.version)


def finish_releasing(slots: Slots, claims: list[Claim]) -> list[int]:
    """Delete releasing claims whose namespace is gone (skipping locked slots)."""
    finished = []
    for claim in claims:
        if claim.source != "codexstack" or not slots.namespace_gone(claim.namespace):
            continue
        try:
            with slots.store.lock(claim.slot, slots.holder, 0.0):
                current = slots.get(claim.slot)
                if current is not None and current.state is ClaimState.RELEASING:
                    delete_quietly(
                        slots.store, current.to_record(slots.prefix).name, current.version
                    )
                    finished.append(claim.slot)
        except StackBusyError:
            continue
    return finished


def collect(
    slots: Slots,
    ttl: float,
    *,
    destroy: Destroy | None = None,
    dry_run: bool = False,
    closed: Closed | None = None,
) -> GcReport:
    """Release claims whose last heartbeat is older than ``ttl`` seconds, or that are closed."""
    report = GcReport()
    now = slots.now()
    for claim in slots.claims(include_foreign=False):
        verdict = _verdict(claim, now, ttl, closed)
        if verdict is not None:
            _verdict_list(report, verdict).append(claim.slot)
        elif dry_run:
            report.expired.append(claim.slot)
        else:
            _collect_one(slots, claim.slot, (ttl, closed), destroy, report)
    if not dry_run:
        report.swept_keys = _sweep(slots, now)
    return report


def _verdict(claim: Claim, now: float, ttl: float, closed: Closed | None) -> str | None:
    """Why ``claim`` stays (``kept`` or ``fresh``), or None when it is to be collected."""
    if claim.keep:
        return "kept"
    expired = claim.state is ClaimState.RELEASING or now - claim.renewed >= ttl
    return None if expired or (closed is not None and closed(claim)) else "fresh"


def _verdict_list(report: GcReport, verdict: str) -> list[int]:
    return report.kept if verdict == "kept" else report.fresh


def _collect_one(
    slots: Slots,
    slot: int,
    rule: tuple[float, Closed | None],
    destroy: Destroy | None,
    report: GcReport,
) -> None:
    try:
        with slots.store.lock(slot, slots.holder, 0.0):
            current = slots.get(slot)
            if current is None:
                return
            verdict = _verdict(current, slots.now(), *rule)  # decided again, under the lock
            if verdict is not None:
                _verdict_list(report, verdict).append(slot)
                return
            result = _release_locked(slots, slot, destroy, 0.0)
    except StackBusyError:
        report.locked.append(slot)
    except CodexstackError as exc:  # report it and go on with the others (codexctl D-CLEANUP)
        report.failed[slot] = str(exc)
    else:
        target = report.released if result.outcome is Outcome.RELEASED else report.releasing
        if result.outcome is not Outcome.ABSENT:
            target.append(slot)


def _sweep(slots: Slots, now: float) -> int:
    """Remove keys of dead allocations or vanished slots, and dead waiters' queue entries."""
    records = slots.store.list()
    slots_held = {r.get_int("slot") for r in records if r.kind == Kind.SLOT}
    swept = 0
    for record in records:
        stale = now - record.renewed > slots.stale_after
        bound = record.get_int("slot")
        dead_key = record.kind == Kind.KEY and (
            (bound == 0 and stale) or (bound and bound not in slots_held)
        )
        if dead_key or (record.kind == Kind.QUEUE and stale):
            delete_quietly(slots.store, record.name, record.version)
            swept += record.kind == Kind.KEY
    return swept
