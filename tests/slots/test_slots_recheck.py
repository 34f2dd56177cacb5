"""Decisions made before a lock are made again under it (issue 14, defects 6 and 7).

GC lists the claims without any lock and used to release from that listing: a heartbeat or a
``keep`` label that arrived before GC got a slot's lock was ignored. ensure-ready waited for
the slot's lock (up to ten minutes) and then applied for the claim it had seen before, even
when a cleanup had released it meanwhile. The interleavings are made real here: the injected
engine step of one slot acts on another, and a second caller holds the lock in a thread.
"""

from __future__ import annotations

import threading
import time

from conftest import OpenSlots
from slotkit import demo_namespace

from codexstack.slots import Claim, Request, Selector, Slots
from codexstack.slots.ready import ReadyOptions, ReadySteps, ensure_ready
from codexstack.slots.release import _release_locked


def ask(issue: int) -> Request:
    return Request(Selector(issue=issue), demo_namespace, max_slots=4)


def test_gc_decides_again_under_each_slots_lock(open_registry: OpenSlots) -> None:
    slots, other = open_registry(), open_registry()
    for issue in (1, 2, 3):
        slots.ensure(ask(issue))
    time.sleep(1.2)  # every claim is now older than the TTL
    destroyed: list[int] = []

    def destroy(claim: Claim) -> None:
        destroyed.append(claim.slot)
        if claim.slot == 1:  # meanwhile, another runner heartbeats 2 and marks 3 keep
            other.renew(2)
            other.label(3, {"keep": "true"})

    report = slots.gc(1.0, destroy=destroy)
    assert destroyed == [1]
    assert report.released == [1]
    assert report.fresh == [2]
    assert report.kept == [3]
    assert slots.get(2) is not None
    assert slots.get(3) is not None


def test_ensure_ready_never_applies_a_claim_released_while_it_waited(
    open_registry: OpenSlots,
) -> None:
    slots, cleaner = open_registry(), open_registry()
    first = slots.ensure(ask(7)).claim
    holding, released = threading.Event(), threading.Event()

    def cleanup_holding_the_lock() -> None:
        with cleaner.store.lock(first.slot, cleaner.holder, 5.0):
            holding.set()
            time.sleep(0.5)  # ensure-ready is waiting for the lock now
            _release_locked(cleaner, first.slot, None, 0.0)
            released.set()

    worker = threading.Thread(target=cleanup_holding_the_lock)
    started = [False]

    def namespace_exists(namespace: str) -> bool:
        if not started[0]:  # between ensure-ready's allocation and its lock
            started[0] = True
            worker.start()
            assert holding.wait(5)
        return True

    applied: list[Claim] = []

    def provision(claim: Claim) -> None:
        assert released.is_set()
        current = slots.get(claim.slot)
        assert current is not None, f"applied slot {claim.slot} after its claim was released"
        assert current.issue == 7
        applied.append(claim)

    steps = ReadySteps(namespace_exists=namespace_exists, provision=provision)
    result = ensure_ready(slots, ask(7), steps, ReadyOptions(apply=True, force_apply=True))
    worker.join()
    assert len(applied) == 1
    assert result.claim.issue == 7
    assert slots.get(result.claim.slot) is not None


def test_ensure_ready_reuse_is_unchanged(slots: Slots) -> None:
    calls: list[int] = []
    steps = ReadySteps(namespace_exists=lambda _ns: True, provision=lambda c: calls.append(c.slot))
    first = ensure_ready(slots, ask(9), steps, ReadyOptions(apply=True))
    again = ensure_ready(slots, ask(9), steps, ReadyOptions(apply=True))
    assert first.claim.slot == again.claim.slot
    assert calls == [first.claim.slot]
