"""ensure-slot semantics on both backends: reuse, capacity, explicit slots, keys, crashes, queue."""

from __future__ import annotations

import threading
import time

import pytest
from conftest import OpenSlots
from slotkit import check_registry, demo_namespace

from codexstack.errors import ExitCode, SlotsFullError, UsageError
from codexstack.slots import Request, Selector, SlotConflictError, Slots
from codexstack.slots.model import DEFAULT_MAX_SLOTS, Claim, key_name, key_record


def ask(
    issue: int = 0,
    pr: int = 0,
    slot: int = 0,
    max_slots: int = 4,
    wait: float = 0.0,
    env: str = "ai",
) -> Request:
    return Request(Selector(env, issue, pr, slot), demo_namespace, max_slots=max_slots, wait=wait)


def test_claims_lowest_free_slot_then_reuses_it(slots: Slots) -> None:
    first = slots.ensure(ask(issue=42))
    again = slots.ensure(ask(issue=42))
    other = slots.ensure(ask(issue=43))
    assert (first.claim.slot, first.created) == (1, True)
    assert (again.claim.slot, again.created) == (1, False)
    assert other.claim.slot == 2
    assert first.claim.namespace == "demo-dev-1"
    assert check_registry(slots) == {42: 1, 43: 2}


def test_another_caller_gets_the_same_answer(open_registry: OpenSlots) -> None:
    mine, theirs = open_registry(), open_registry()
    assert mine.holder != theirs.holder
    assert mine.ensure(ask(issue=7)).claim.slot == theirs.ensure(ask(issue=7)).claim.slot


def test_selector_must_name_something(slots: Slots) -> None:
    with pytest.raises(UsageError, match="one of --issue, --pr or --slot"):
        slots.ensure(ask())


def test_full_registry_fails_fast_with_its_own_exit_code(slots: Slots) -> None:
    for issue in (1, 2):
        slots.ensure(ask(issue=issue, max_slots=2))
    started = time.monotonic()
    with pytest.raises(SlotsFullError, match="all 2 slots are held") as caught:
        slots.ensure(ask(issue=3, max_slots=2))
    assert caught.value.exit_code == ExitCode.TEMPORARY
    assert time.monotonic() - started < 2
    assert check_registry(slots) == {1: 1, 2: 2}  # the failed caller left no key behind
    assert slots.store.get(key_name(slots.prefix, "ai", "issue", 3)) is None


def test_zero_max_means_codexctl_default() -> None:
    assert ask(issue=1, max_slots=0).capacity == DEFAULT_MAX_SLOTS


def test_explicit_slot_is_honoured_or_refused(slots: Slots) -> None:
    assert slots.ensure(ask(issue=1, slot=3)).claim.slot == 3
    assert slots.ensure(ask(issue=1, slot=3)).created is False
    with pytest.raises(SlotConflictError, match="slot 3 is held"):
        slots.ensure(ask(issue=2, slot=3))
    with pytest.raises(SlotConflictError, match="already holds slot 3"):
        slots.ensure(ask(issue=1, slot=2))
    assert check_registry(slots) == {1: 3}


def test_slot_only_selector_claims_and_reuses_that_slot(slots: Slots) -> None:
    assert slots.ensure(ask(slot=2)).created is True
    assert slots.ensure(ask(slot=2)).created is False
    with pytest.raises(SlotConflictError):
        slots.ensure(ask(slot=2, env="ai-repair"))


def test_pr_joins_its_issue_slot(slots: Slots) -> None:
    slot = slots.ensure(ask(issue=10)).claim.slot
    slots.set(slot, pr=99)  # manage-env set after the PR opened
    by_pr = slots.ensure(ask(pr=99))
    both = slots.ensure(ask(issue=10, pr=99))
    assert by_pr.claim.slot == both.claim.slot == slot
    assert (both.claim.issue, both.claim.pr) == (10, 99)
    only_pr = slots.ensure(ask(pr=5))
    joined = slots.ensure(ask(issue=11, pr=5))
    assert joined.claim.slot == only_pr.claim.slot
    assert joined.claim.issue == 11
    check_registry(slots)


def test_issue_and_pr_in_different_slots_is_a_conflict(slots: Slots) -> None:
    slots.ensure(ask(issue=1))
    slots.ensure(ask(pr=2))
    with pytest.raises(SlotConflictError, match="different slots"):
        slots.ensure(ask(issue=1, pr=2))


def test_envs_share_slot_numbers_but_not_keys(slots: Slots) -> None:
    dev = slots.ensure(ask(issue=5))
    repair = slots.ensure(ask(issue=5, env="ai-repair"))
    assert dev.claim.slot != repair.claim.slot
    assert repair.claim.env == "ai-repair"


def _crashed_caller(open_registry: OpenSlots, age: float) -> Slots:
    """A caller whose clock says it acted ``age`` seconds ago (then died)."""
    return open_registry(clock=lambda: time.time() - age)


def test_key_of_a_dead_allocator_is_taken_over(open_registry: OpenSlots) -> None:
    dead = _crashed_caller(open_registry, age=120)
    name = key_name(dead.prefix, "ai", "issue", 8)
    dead.store.create(key_record(name, dead.holder, dead.now(), env="ai", what="issue", number=8))
    live = open_registry(stale_after=30)
    allocation = live.ensure(ask(issue=8))
    assert allocation.created
    assert check_registry(live) == {8: allocation.claim.slot}


def test_claim_of_a_dead_allocator_is_adopted_not_duplicated(open_registry: OpenSlots) -> None:
    dead = _crashed_caller(open_registry, age=120)
    name = key_name(dead.prefix, "ai", "issue", 9)
    dead.store.create(key_record(name, dead.holder, dead.now(), env="ai", what="issue", number=9))
    orphan = Claim(
        slot=2,
        env="ai",
        namespace=demo_namespace(2),
        issue=9,
        holder=dead.holder,
        created=dead.now(),
        renewed=dead.now(),
    )
    dead.store.create(orphan.to_record(dead.prefix))
    live = open_registry(stale_after=30)
    allocation = live.ensure(ask(issue=9))
    assert (allocation.claim.slot, allocation.created) == (2, False)
    assert check_registry(live) == {9: 2}


def test_live_allocator_is_waited_for_not_taken_over(open_registry: OpenSlots) -> None:
    busy = open_registry()
    name = key_name(busy.prefix, "ai", "issue", 4)
    key = busy.store.create(
        key_record(name, busy.holder, busy.now(), env="ai", what="issue", number=4)
    )
    claim = Claim(
        slot=3,
        env="ai",
        namespace=demo_namespace(3),
        issue=4,
        holder=busy.holder,
        created=busy.now(),
        renewed=busy.now(),
    )

    def finish_later() -> None:
        time.sleep(0.5)
        busy.store.create(claim.to_record(busy.prefix))
        busy.store.replace(key.evolve(slot="3"))

    worker = threading.Thread(target=finish_later)
    worker.start()
    answer = open_registry().ensure(ask(issue=4))
    worker.join()
    assert (answer.claim.slot, answer.created) == (3, False)


def test_waiter_gets_the_first_freed_slot(open_registry: OpenSlots) -> None:
    owner = open_registry()
    owner.ensure(ask(issue=1, max_slots=1))
    got: list[int] = []
    waiter = threading.Thread(
        target=lambda: got.append(
            open_registry(queue_poll=0.05).ensure(ask(issue=2, max_slots=1, wait=20)).claim.slot
        )
    )
    waiter.start()
    time.sleep(0.5)
    assert not got
    owner.release(1)
    waiter.join(20)
    assert got == [1]


def test_queue_is_first_come_first_served(open_registry: OpenSlots) -> None:
    owner = open_registry()
    owner.ensure(ask(issue=1, max_slots=1))
    order: list[int] = []

    def wait_for(issue: int) -> None:
        slots = open_registry(queue_poll=0.05)
        slots.ensure(ask(issue=issue, max_slots=1, wait=30))
        order.append(issue)
        slots.release(1)

    early = threading.Thread(target=wait_for, args=(2,))
    early.start()
    time.sleep(0.4)
    late = threading.Thread(target=wait_for, args=(3,))
    late.start()
    time.sleep(0.4)
    with pytest.raises(SlotsFullError):  # a caller that does not wait never jumps the queue
        open_registry().ensure(ask(issue=4, max_slots=1))
    owner.release(1)
    early.join(30)
    late.join(30)
    assert order == [2, 3]


def test_waiting_times_out_with_the_full_error(slots: Slots) -> None:
    slots.ensure(ask(issue=1, max_slots=1))
    started = time.monotonic()
    with pytest.raises(SlotsFullError, match="after waiting"):
        slots.ensure(ask(issue=2, max_slots=1, wait=0.6))
    assert 0.5 < time.monotonic() - started < 5
    assert not [r for r in slots.store.list() if r.kind == "queue"]


def test_heartbeat_and_labels(slots: Slots) -> None:
    claim = slots.ensure(ask(issue=1)).claim
    time.sleep(0.01)
    renewed = slots.renew(claim.slot)
    assert renewed.renewed > claim.renewed
    assert slots.label(claim.slot, {"keep": "true"}).keep
    assert not slots.label(claim.slot, {"keep": None}).keep
