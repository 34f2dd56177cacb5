"""Reliability battery, section E (cleanup), on both registry backends.

The apply that holds a slot lock and the holders of locked slots are separate OS processes,
so the locks are exercised as they are in CI (flock files, or Lock Leases on the cluster).
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Namespaces, OpenSlots
from slotkit import check_registry, demo_namespace

from codexstack.errors import ExitCode, StackBusyError
from codexstack.slots import Claim, ClaimState, Outcome, Request, Selector, Slots
from codexstack.slots.backends import RegistrySettings, open_slots
from codexstack.slots.model import key_name, key_record
from codexstack.slots.orphans import find_orphans, fix_orphans


def _hold_locks(
    settings: RegistrySettings, numbers: list[int], seconds: float, ready: Any, marker: Path | None
) -> None:
    slots = open_slots(settings)
    with contextlib.ExitStack() as stack:
        for slot in numbers:
            stack.enter_context(slots.store.lock(slot, f"apply-{slot}"))
        ready.set()
        time.sleep(seconds)
        if marker is not None:
            marker.write_text("applied")


@contextlib.contextmanager
def locked_elsewhere(
    settings: RegistrySettings, numbers: list[int], seconds: float, marker: Path | None = None
) -> Iterator[mp.process.BaseProcess]:
    """Another process (an apply, say) holding these slots' locks for ``seconds``."""
    ctx = mp.get_context("fork")
    ready = ctx.Event()
    proc = ctx.Process(target=_hold_locks, args=(settings, numbers, seconds, ready, marker))
    proc.start()
    assert ready.wait(30), "lock holder did not start"
    try:
        yield proc
    finally:
        proc.join(seconds + 30)


def ask(issue: int, max_slots: int = 100) -> Request:
    return Request(Selector(issue=issue), demo_namespace, max_slots=max_slots)


def test_e1_destroy_waits_for_a_running_apply(
    settings: RegistrySettings, slots: Slots, tmp_path: Path
) -> None:
    slot = slots.ensure(ask(issue=1)).claim.slot
    applied = tmp_path / "applied"
    seen: list[bool] = []

    def destroy(claim: Claim) -> None:
        seen.append(applied.exists())

    with locked_elsewhere(settings, [slot], seconds=1.5, marker=applied):
        started = time.monotonic()
        with pytest.raises(StackBusyError, match=f"slot {slot} is busy") as caught:
            slots.release(slot, destroy=destroy)
        assert caught.value.exit_code == ExitCode.TEMPORARY
        assert time.monotonic() - started < 5
        still = slots.get(slot)
        assert still is not None
        assert still.state is ClaimState.CLAIMED
        assert slots.store.get(key_name(slots.prefix, "ai", "issue", 1)) is not None
        result = slots.release(slot, destroy=destroy, lock_wait=60)
    assert result.outcome is Outcome.RELEASED
    assert seen == [True], "destroy ran while the apply still held the lock"
    assert slots.store.list() == []


def test_e2_gc_releases_exactly_the_expired(
    settings: RegistrySettings, open_registry: OpenSlots
) -> None:
    old = open_registry(clock=lambda: time.time() - 7200)
    slots = open_registry()
    for issue in range(1, 101):
        (old if issue <= 50 else slots).ensure(ask(issue))
    for slot in range(31, 41):
        slots.renew(slot)  # expired by age, but heartbeating
    for slot in range(46, 51):
        slots.label(slot, {"keep": "true"})
    destroyed: list[int] = []
    with locked_elsewhere(settings, list(range(41, 46)), seconds=120) as holder:
        report = slots.gc(3600, destroy=lambda claim: destroyed.append(claim.slot))
        second = slots.gc(3600, destroy=lambda claim: destroyed.append(claim.slot))
        holder.kill()
    assert sorted(report.released) == sorted(destroyed) == list(range(1, 31))
    assert report.locked == list(range(41, 46))
    assert report.kept == list(range(46, 51))
    assert report.fresh == [*range(31, 41), *range(51, 101)]
    assert second.released == []
    assert set(check_registry(slots, 100).values()) == set(range(31, 101))


def test_gc_dry_run_changes_nothing(slots: Slots, open_registry: OpenSlots) -> None:
    open_registry(clock=lambda: time.time() - 7200).ensure(ask(1))
    report = slots.gc(60, dry_run=True)
    assert report.expired == [1]
    assert slots.get(1) is not None


def test_gc_sweeps_keys_of_dead_allocations(slots: Slots, open_registry: OpenSlots) -> None:
    dead = open_registry(clock=lambda: time.time() - 7200)
    name = key_name(dead.prefix, "ai", "issue", 5)
    dead.store.create(key_record(name, dead.holder, dead.now(), env="ai", what="issue", number=5))
    assert slots.gc(3600).swept_keys == 1
    assert slots.store.get(name) is None


def test_e3_orphans_reported_and_fixed_both_ways(
    open_registry: OpenSlots, namespaces: Namespaces
) -> None:
    name: Callable[[int], str] = lambda n: f"{namespaces.prefix}-{n}"  # noqa: E731
    old = open_registry(clock=lambda: time.time() - 3600, namespace_gone=namespaces.gone)
    slots = open_registry(namespace_gone=namespaces.gone)

    def claim(registry: Slots, issue: int) -> Claim:
        return registry.ensure(Request(Selector(issue=issue), name, 20)).claim

    for issue in range(1, 6):
        namespaces.create(claim(old, issue).namespace)
    lonely = [claim(old, 6).slot, claim(old, 7).slot]
    young = claim(slots, 8)  # just claimed: its namespace comes with ensure-ready
    for stray in (name(50), name(51)):
        namespaces.create(stray)
    report = find_orphans(slots, namespaces.live(), min_age=600)
    assert report.namespaces_without_claims == [name(50), name(51)]
    assert [c.slot for c in report.claims_without_namespaces] == lonely
    result = fix_orphans(slots, report, delete_namespace=namespaces.delete)
    assert result.failed == {}
    assert namespaces.live() == {name(n) for n in range(1, 6)}
    assert sorted(c.slot for c in slots.claims()) == [1, 2, 3, 4, 5, young.slot]
    assert find_orphans(slots, namespaces.live(), min_age=600).empty


def test_e1_busy_destroy_leaves_the_slot_with_its_issue(slots: Slots) -> None:
    """The deploy layer's own stack lock said busy: the claim goes back to claimed, keys kept."""
    slot = slots.ensure(ask(issue=3)).claim.slot

    def busy_destroy(claim: Claim) -> None:
        raise StackBusyError(f"stack ai-{claim.slot} is busy")

    with pytest.raises(StackBusyError):
        slots.release(slot, destroy=busy_destroy)
    claim = slots.get(slot)
    assert claim is not None
    assert claim.state is ClaimState.CLAIMED
    assert slots.ensure(ask(issue=3)).claim.slot == slot


def test_e2_closed_issues_are_a_gc_input(
    settings: RegistrySettings, open_registry: OpenSlots
) -> None:
    """E2 with "closed" as an input (issue 14): the 30 closed slots go, whatever their age;
    closed but locked or labelled keep stay; open ones stay; a second GC deletes nothing."""
    slots = open_registry()
    for issue in range(1, 101):
        slots.ensure(ask(issue))
    closed_issues = {*range(1, 31), *range(41, 51)}  # recorded state, as the GitHub layer says
    for slot in range(46, 51):
        slots.label(slot, {"keep": "true"})

    def closed(claim: Claim) -> bool:
        return claim.issue in closed_issues

    destroyed: list[int] = []
    with locked_elsewhere(settings, list(range(41, 46)), seconds=120) as holder:
        report = slots.gc(3600, destroy=lambda claim: destroyed.append(claim.slot), closed=closed)
        second = slots.gc(3600, destroy=lambda claim: destroyed.append(claim.slot), closed=closed)
        holder.kill()
    assert sorted(report.released) == sorted(destroyed) == list(range(1, 31))
    assert report.locked == list(range(41, 46))
    assert report.kept == list(range(46, 51))
    assert report.fresh == [*range(31, 41), *range(51, 101)]
    assert second.released == []
    assert set(check_registry(slots, 100).values()) == set(range(31, 101))
