"""The Lease lock keeps renewing, stops its holder when lost, and judges expiry by observation
(issue 14, defect 5), against the real local kube-apiserver and a real TCP fault proxy.

Before: the renewer thread returned at its first failed renewal (so a short API outage let the
lease lapse while the holder kept working), a takeover went unnoticed until the release, and a
holder whose clock ran behind had its live lock taken over at once.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from faultproxy import Fault, FaultProxy
from slotkit import Cluster

from codexstack.errors import StackBusyError
from codexstack.slots.backends import RegistrySettings, open_slots
from codexstack.slots.lease_lock import LockLost
from codexstack.slots.model import Kind, Record, lock_name
from codexstack.slots.owned import replace_owned

pytestmark = pytest.mark.integration


@pytest.fixture
def proxy(cluster: Cluster) -> Iterator[FaultProxy]:
    running = FaultProxy(cluster.server, cluster.pki_dir, seed=5).start()
    yield running
    running.stop()


def test_a_lock_taken_over_stops_the_holders_work(lease_settings: RegistrySettings) -> None:
    mine, thief = open_slots(lease_settings), open_slots(lease_settings)
    mine.store.lock_seconds = 3  # type: ignore[attr-defined]  # renewed every second
    name = lock_name(mine.prefix, 5)

    def steal_then_work() -> None:
        current = thief.store.get(name)
        assert current is not None
        replace_owned(thief.store, replace(current, holder="thief"))
        time.sleep(30)  # the holder's work: interrupted at the next renewal

    began = time.monotonic()
    with pytest.raises(LockLost, match="taken over by thief"), mine.store.lock(5, "me"):
        steal_then_work()
    took = time.monotonic() - began
    assert took < 5, took
    after = thief.store.get(name)
    assert after is not None
    assert after.holder == "thief"  # a lost lock is not deleted on the way out


def test_renewal_rides_out_a_short_outage(
    lease_settings: RegistrySettings, cluster: Cluster, proxy: FaultProxy, tmp_path: Path
) -> None:
    kubeconfig = cluster.write_kubeconfig(tmp_path / f"kc-{secrets.token_hex(3)}", server=proxy.url)
    holder = open_slots(replace(lease_settings, kubeconfig=kubeconfig, timeout=2.0))
    holder.store.lock_seconds = 3  # type: ignore[attr-defined]
    other = open_slots(lease_settings)

    def lock_renewals(method: str, path: str) -> bool:
        return method == "PUT" and "/leases/" in path and "lock-" in path

    with holder.store.lock(6, "me"):
        proxy.fault = Fault("status", lock_renewals, status=503)
        time.sleep(2.2)  # two renewals fail; the lease (3 s) has not expired yet
        assert proxy.counters.faulted >= 1
        proxy.fault = None
        time.sleep(3.5)  # renewed again; a stopped renewer would have let it lapse by now
        with pytest.raises(StackBusyError, match="held by me"), other.store.lock(6, "other"):
            pass


def test_a_live_holder_with_a_slow_clock_keeps_its_lock(lease_settings: RegistrySettings) -> None:
    slots = open_slots(lease_settings)
    skewed = Record(
        lock_name(slots.prefix, 7),
        Kind.LOCK,
        "behind",
        time.time() - 100,  # its clock is 100 s behind ours; the lease lasts 60 s
        {"slot": "7", "duration": "60"},
    )
    slots.store.create(skewed)
    with pytest.raises(StackBusyError, match="held by behind"), slots.store.lock(7, "me", 1.0):
        pass


def test_a_lock_nobody_renews_is_taken_over_after_one_observed_duration(
    lease_settings: RegistrySettings,
) -> None:
    slots = open_slots(lease_settings)
    dead = Record(
        lock_name(slots.prefix, 8), Kind.LOCK, "dead", time.time(), {"slot": "8", "duration": "2"}
    )
    slots.store.create(dead)
    began = time.monotonic()
    with slots.store.lock(8, "me", 6.0):
        took = time.monotonic() - began
    assert 2 <= took < 4, took
