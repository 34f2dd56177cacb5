"""ensure-ready and cleanup orchestration over the real registry, with the engine steps
given as plain functions that record what they were asked to do."""

from __future__ import annotations

import pytest
from slotkit import demo_namespace

from codexstack.errors import DeployError
from codexstack.slots import Claim, Request, Selector, Slots
from codexstack.slots.cleanup import CleanupOptions, cleanup, select
from codexstack.slots.ready import ReadyOptions, ReadySteps, ensure_ready


class Cluster:
    """What the steps did, and which namespaces exist as a result."""

    def __init__(self, wait_fails: bool = False) -> None:
        self.namespaces: set[str] = set()
        self.calls: list[str] = []
        self.wait_fails = wait_fails

    def steps(self) -> ReadySteps:
        return ReadySteps(
            namespace_exists=self.namespaces.__contains__,
            provision=self.apply,
            wait=self.wait,
            sync=lambda c: self.calls.append(f"sync {c.slot}"),
            env_ready=lambda c: c.namespace in self.namespaces,
        )

    def apply(self, claim: Claim) -> None:
        self.calls.append(f"apply {claim.slot}")
        self.namespaces.add(claim.namespace)

    def wait(self, claim: Claim) -> None:
        self.calls.append(f"wait {claim.slot}")
        if self.wait_fails:
            raise DeployError(f"deployments in {claim.namespace} not Available")

    def destroy(self, claim: Claim) -> None:
        self.calls.append(f"destroy {claim.slot}")
        if claim.issue == 13:
            raise DeployError("engine failed")
        self.namespaces.discard(claim.namespace)


def ask(issue: int) -> Request:
    return Request(Selector(issue=issue), demo_namespace, max_slots=4)


def test_new_then_reused_then_recreated(slots: Slots) -> None:
    cluster = Cluster()
    applying = ReadyOptions(apply=True)
    first = ensure_ready(slots, ask(42), cluster.steps(), applying)
    again = ensure_ready(slots, ask(42), cluster.steps(), applying)
    cluster.namespaces.clear()  # someone deleted the namespace
    rebuilt = ensure_ready(slots, ask(42), cluster.steps(), applying)
    assert [r.outputs()["codexctl_new_env"] for r in (first, again, rebuilt)] == [True, False, True]
    assert rebuilt.outputs()["recreated"] is True
    assert cluster.calls == ["sync 1", "apply 1", "wait 1", "sync 1", "sync 1", "apply 1", "wait 1"]
    assert again.env_ready
    assert not again.applied


def test_wait_failure_is_fatal_unless_soft(slots: Slots) -> None:
    with pytest.raises(DeployError, match="not Available"):
        ensure_ready(slots, ask(1), Cluster(wait_fails=True).steps(), ReadyOptions(apply=True))
    soft = ensure_ready(
        slots, ask(2), Cluster(wait_fails=True).steps(), ReadyOptions(apply=True, soft_fail=True)
    )
    assert soft.outputs()["infra_ready"] is False
    assert soft.outputs()["infra_unhealthy"] is True


def test_cleanup_goes_on_after_a_failure(slots: Slots) -> None:
    cluster = Cluster()
    for issue in (12, 13, 14):
        ensure_ready(slots, ask(issue), cluster.steps(), ReadyOptions(apply=True))
    claims = select(slots, Selector(), everything=True)
    items = cleanup(slots, claims, CleanupOptions(destroy=cluster.destroy))
    assert [(i.slot, i.outcome) for i in items] == [(1, "released"), (2, "failed"), (3, "released")]
    assert "engine failed" in items[1].error
    assert [c.slot for c in slots.claims()] == [2]  # the failed one stays, to retry


def test_cleanup_keeping_the_claim_only_destroys(slots: Slots) -> None:
    cluster = Cluster()
    ensure_ready(slots, ask(5), cluster.steps(), ReadyOptions(apply=True))
    items = cleanup(
        slots,
        select(slots, Selector(issue=5)),
        CleanupOptions(destroy=cluster.destroy, keep_claim=True),
    )
    assert [i.outcome for i in items] == ["destroyed"]
    assert ensure_ready(slots, ask(5), cluster.steps(), ReadyOptions()).recreated
