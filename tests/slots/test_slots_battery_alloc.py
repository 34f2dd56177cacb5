"""Reliability battery, section A (allocation), on both registry backends.

A1-A3 run real concurrent OS processes. Round and seed counts default to the battery's
numbers and can be lowered per backend with ``CODEXSTACK_A1_ROUNDS_<BACKEND>`` and
``CODEXSTACK_A3_SEEDS_<BACKEND>`` (backend ``SQLITE`` or ``LEASE``). The Lease-specific fault
tests (a real TCP proxy, 401/403 identities) are in ``test_slots_lease_faults.py``.
"""

from __future__ import annotations

import os
import random
import sqlite3
import threading
import time
from collections import defaultdict

import pytest
from conftest import Namespaces, OpenSlots
from slotkit import (
    Finished,
    LossyStore,
    check_registry,
    clear,
    demo_namespace,
    run_concurrently,
    summary,
)

from codexstack.errors import ExitCode, SlotsFullError
from codexstack.slots import Outcome, Request, Selector, Slots
from codexstack.slots.backends import RegistrySettings
from codexstack.slots.registry import RegistryError
from codexstack.slots.sqlite import SqliteStore


def count(name: str, settings: RegistrySettings, default: int) -> int:
    return int(os.environ.get(f"{name}_{settings.backend.upper()}", default))


def a1_round(settings: RegistrySettings, slots: Slots, base: int) -> list[Finished]:
    issues = [base + i for i in range(1, 65)]
    outcomes = run_concurrently(settings, issues, max_slots=16)
    won = [o for o in outcomes if o.code == 0]
    full = [o for o in outcomes if o.code == ExitCode.TEMPORARY]
    assert (len(won), len(full)) == (16, 48), [o for o in outcomes if o.code not in (0, 75)]
    assert all("no free slot" in o.message for o in full)
    assert max(o.elapsed for o in full) < 10, summary([o.elapsed for o in full])
    assert sorted(o.slot for o in won) == list(range(1, 17))
    assert check_registry(slots, 16) == {o.issue: o.slot for o in won}
    clear(slots)
    return outcomes


def test_a1_one_round(settings: RegistrySettings, slots: Slots) -> None:
    a1_round(settings, slots, 0)


@pytest.mark.slow
def test_a1_rounds(settings: RegistrySettings, slots: Slots) -> None:
    elapsed: list[float] = []
    for round_no in range(count("CODEXSTACK_A1_ROUNDS", settings, 20)):
        elapsed += [o.elapsed for o in a1_round(settings, slots, 1000 * (round_no + 1))]
    print(f"A1 {settings.backend}: ensure-slot under 64-way concurrency: {summary(elapsed)}")


def test_a2_same_issue_gets_one_slot(settings: RegistrySettings, slots: Slots) -> None:
    outcomes = run_concurrently(settings, [42] * 32, max_slots=16)
    assert {o.code for o in outcomes} == {0}, [o.message for o in outcomes if o.code]
    assert len({o.slot for o in outcomes}) == 1
    assert check_registry(slots) == {42: outcomes[0].slot}
    assert len([r for r in slots.store.list() if r.kind == "slot"]) == 1


def a3_seed(settings: RegistrySettings, slots: Slots, seed: int) -> None:
    rng = random.Random(seed)
    pool = rng.sample(range(1, 10_000), 24)
    issues = [rng.choice(pool) for _ in range(64)]
    outcomes = run_concurrently(settings, issues, max_slots=16)
    answers: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for outcome in outcomes:
        assert outcome.code in (0, ExitCode.TEMPORARY), outcome
        answers[outcome.issue].add((outcome.code, outcome.slot))
    assert all(len(a) == 1 for a in answers.values()), (seed, answers)
    held = check_registry(slots, 16)
    assert len(held) <= 16
    assert held == {i: a.pop()[1] for i, a in answers.items() if next(iter(a))[0] == 0}
    clear(slots)


def test_a3_one_seed(settings: RegistrySettings, slots: Slots) -> None:
    a3_seed(settings, slots, 1)


@pytest.mark.slow
def test_a3_seeds(settings: RegistrySettings, slots: Slots) -> None:
    for seed in range(count("CODEXSTACK_A3_SEEDS", settings, 50)):
        a3_seed(settings, slots, seed)


def test_a4_lost_answers_leak_nothing(sqlite_settings: RegistrySettings) -> None:
    """SQLite variant: the real store, every write answered with Ambiguous 20 % of the time."""
    assert sqlite_settings.path is not None
    stores = [LossyStore(SqliteStore(sqlite_settings.path), 0.2, seed) for seed in range(32)]
    outcomes: dict[int, int | str] = {}

    def call(issue: int, store: LossyStore) -> None:
        try:
            claim = Slots(store).ensure(Request(Selector(issue=issue), demo_namespace, 16)).claim
            outcomes[issue] = claim.slot
        except SlotsFullError:
            outcomes[issue] = "full"

    threads = [threading.Thread(target=call, args=(i + 1, s)) for i, s in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(s.lost for s in stores) > 10
    won = {i: s for i, s in outcomes.items() if s != "full"}
    assert len(won) == 16
    assert len(outcomes) == 32
    reader = Slots(SqliteStore(sqlite_settings.path))
    assert check_registry(reader, 16) == won
    leftovers = [r.name for r in reader.store.list() if r.kind != "slot" and not r.get_int("slot")]
    assert leftovers == []


def test_a5_backend_failure_is_not_no_free_slot(sqlite_settings: RegistrySettings) -> None:
    assert sqlite_settings.path is not None
    sqlite_settings.path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(RegistryError) as caught:
        Slots(SqliteStore(sqlite_settings.path)).ensure(Request(Selector(issue=1), demo_namespace))
    assert caught.value.exit_code == ExitCode.FAILURE
    assert "no free slot" not in str(caught.value)


def test_a5_locked_database_is_reported_as_itself(sqlite_settings: RegistrySettings) -> None:
    assert sqlite_settings.path is not None
    slots = Slots(SqliteStore(sqlite_settings.path, busy_timeout=0.2))
    blocker = sqlite3.connect(sqlite_settings.path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(RegistryError, match="locked"):
            slots.ensure(Request(Selector(issue=1), demo_namespace))
    finally:
        blocker.execute("ROLLBACK")
    assert slots.ensure(Request(Selector(issue=1), demo_namespace)).claim.slot == 1


def test_a7_released_slots_wait_for_their_namespace(
    open_registry: OpenSlots, namespaces: Namespaces
) -> None:
    slots = open_registry(namespace_gone=namespaces.gone)
    prefix = namespaces.prefix

    def request(issue: int, wait: float = 0.0) -> Request:
        return Request(Selector(issue=issue), lambda n: f"{prefix}-{n}", 16, wait=wait)

    for issue in range(1, 17):
        namespaces.create(f"{prefix}-{slots.ensure(request(issue)).claim.slot}", hold=True)
    for slot in range(1, 9):
        result = slots.release(slot, destroy=lambda claim: namespaces.delete(claim.namespace))
        assert result.outcome is Outcome.RELEASING
    with pytest.raises(SlotsFullError, match="8 being released"):
        slots.ensure(request(100))
    got: dict[int, int] = {}

    def wait_for(issue: int) -> None:
        got[issue] = (
            open_registry(namespace_gone=namespaces.gone, queue_poll=0.1)
            .ensure(request(issue, wait=60))
            .claim.slot
        )

    waiters = [threading.Thread(target=wait_for, args=(i,)) for i in range(101, 109)]
    for waiter in waiters:
        waiter.start()
    time.sleep(1.0)
    assert got == {}, "a slot was reused while its namespace still existed"
    for slot in range(1, 9):
        namespaces.let_go(f"{prefix}-{slot}")
    for waiter in waiters:
        waiter.join(60)
    assert sorted(got.values()) == list(range(1, 9))
    assert all(namespaces.gone(f"{prefix}-{slot}") for slot in got.values())
    check_registry(slots, 16)
