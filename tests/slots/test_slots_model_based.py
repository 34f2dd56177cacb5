"""Battery A6: a hypothesis state machine drives 8 concurrent workers through ensure, release,
crash mid-allocation, heartbeat and GC on the real SQLite registry, checking after every step
that no slot has two holders, no issue two slots, every key points at its claim, capacity is
respected and every issue keeps the answer it was given.

Time is a shared fake clock so that staleness and TTLs pass instantly. Examples:
``CODEXSTACK_A6_EXAMPLES`` (default 15).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from slotkit import check_registry, demo_namespace

from codexstack.errors import SlotsFullError
from codexstack.slots import Claim, Request, Selector, Slots
from codexstack.slots.model import key_name, key_record
from codexstack.slots.sqlite import SqliteStore

WORKERS = 8
CAPACITY = 5
ISSUES = st.integers(min_value=1, max_value=10)
STALE = 30.0
TTL = 600.0


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0
        self.guard = threading.Lock()

    def __call__(self) -> float:
        with self.guard:
            return self.now

    def advance(self, seconds: float) -> None:
        with self.guard:
            self.now += seconds


class SlotMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="slots-a6-"))
        self.clock = Clock()
        self.workers = [self._open() for _ in range(WORKERS)]
        self.expected: dict[int, int] = {}  # issue -> slot it was given and still holds

    def _open(self) -> Slots:
        return Slots(
            SqliteStore(self.dir / "slots.db"),
            clock=self.clock,
            stale_after=STALE,
            poll=0.01,
            queue_poll=0.01,
        )

    def teardown(self) -> None:
        for worker in self.workers:
            worker.store.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    @rule(issues=st.lists(ISSUES, min_size=1, max_size=WORKERS))
    def ensure_concurrently(self, issues: list[int]) -> None:
        answers: list[tuple[int, int | None]] = []

        def call(worker: Slots, issue: int) -> None:
            try:
                claim = worker.ensure(
                    Request(Selector(issue=issue), demo_namespace, CAPACITY)
                ).claim
                answers.append((issue, claim.slot))
            except SlotsFullError:
                answers.append((issue, None))

        pairs = zip(self.workers, issues, strict=False)
        threads = [threading.Thread(target=call, args=pair) for pair in pairs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for issue, slot in answers:
            if issue in self.expected:
                assert slot == self.expected[issue], (issue, slot, self.expected)
            elif slot is not None:
                self.expected[issue] = slot
        by_issue = {i: {s for j, s in answers if j == i} for i, _ in answers}
        assert all(len(s) == 1 for s in by_issue.values()), by_issue

    @rule(issue=ISSUES)
    def release(self, issue: int) -> None:
        slot = self.expected.pop(issue, None)
        if slot is not None:
            self.workers[0].release(slot)

    @rule(issue=ISSUES, with_claim=st.booleans())
    def crash_mid_allocation(self, issue: int, with_claim: bool) -> None:
        """A worker dies after creating the issue key (and maybe the claim); time passes."""
        dead = self.workers[-1]
        name = key_name(dead.prefix, "ai", "issue", issue)
        if issue in self.expected or dead.store.get(name) is not None:
            return
        free = [n for n in range(1, CAPACITY + 1) if dead.get(n) is None]
        dead.store.create(
            key_record(name, "dead", dead.now(), env="ai", what="issue", number=issue)
        )
        if with_claim and free:
            orphan = Claim(
                slot=free[0],
                env="ai",
                namespace=demo_namespace(free[0]),
                issue=issue,
                holder="dead",
                created=dead.now(),
                renewed=dead.now(),
            )
            dead.store.create(orphan.to_record(dead.prefix))
            self.expected[issue] = free[0]  # whoever comes next must adopt it, not duplicate it
        self.clock.advance(STALE + 1)

    @rule(issue=ISSUES)
    def heartbeat(self, issue: int) -> None:
        if issue in self.expected:
            self.workers[1].renew(self.expected[issue])

    @rule(seconds=st.sampled_from([10.0, TTL / 2, TTL + 1]))
    def gc(self, seconds: float) -> None:
        self.clock.advance(seconds)
        report = self.workers[2].gc(TTL)
        released = set(report.released)
        self.expected = {i: s for i, s in self.expected.items() if s not in released}

    @invariant()
    def registry_is_consistent(self) -> None:
        held = check_registry(self.workers[0], CAPACITY)
        assert held == self.expected


TestSlotMachine = SlotMachine.TestCase
TestSlotMachine.settings = settings(
    max_examples=int(os.environ.get("CODEXSTACK_A6_EXAMPLES", "15")),
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
