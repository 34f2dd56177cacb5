"""The Lease backend against the real local kube-apiserver, under faults (battery A4, A5),
plus its lock Lease and the shared reading of codexctl's slot ConfigMaps.

Faults come from a real TCP (TLS-terminating) proxy on loopback or from real identities
(a bogus token, a service account without RBAC grants); nothing stands in for the API.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from faultproxy import Fault, FaultProxy, creates_of
from slotkit import Cluster, check_registry, demo_namespace, run_concurrently

from codexstack.errors import ExitCode, StackBusyError
from codexstack.kube import path_of
from codexstack.slots import Request, Selector, Slots, origin
from codexstack.slots.backends import RegistrySettings, open_slots
from codexstack.slots.model import Kind, Record, lock_name
from codexstack.slots.registry import RegistryError

pytestmark = pytest.mark.integration


@pytest.fixture
def proxy(cluster: Cluster) -> Iterator[FaultProxy]:
    running = FaultProxy(cluster.server, cluster.pki_dir, seed=7).start()
    yield running
    running.stop()


def through(
    settings: RegistrySettings,
    cluster: Cluster,
    tmp_path: Path,
    *,
    timeout: float = 10.0,
    **kubeconfig: object,
) -> RegistrySettings:
    path = cluster.write_kubeconfig(tmp_path / f"kc-{secrets.token_hex(3)}", **kubeconfig)  # type: ignore[arg-type]
    return replace(settings, kubeconfig=path, timeout=timeout)


def ask(issue: int, max_slots: int = 16) -> Request:
    return Request(Selector(issue=issue), demo_namespace, max_slots=max_slots)


def test_a4_lost_create_answers_leak_nothing(
    lease_settings: RegistrySettings, cluster: Cluster, proxy: FaultProxy, tmp_path: Path
) -> None:
    proxy.fault = Fault("drop", creates_of("leases"), rate=0.2)
    lossy = through(lease_settings, cluster, tmp_path, server=proxy.url)
    outcomes = run_concurrently(lossy, list(range(1, 33)), max_slots=16)
    assert proxy.counters.faulted >= 5, proxy.counters.faulted
    won = {o.issue: o.slot for o in outcomes if o.code == 0}
    assert len(won) == 16, [o.message for o in outcomes if o.code not in (0, ExitCode.TEMPORARY)]
    assert all(o.code == ExitCode.TEMPORARY for o in outcomes if o.code)
    direct = open_slots(lease_settings)
    assert check_registry(direct, 16) == won
    unbound = [r.name for r in direct.store.list() if r.kind != Kind.SLOT and not r.get_int("slot")]
    assert unbound == []


@pytest.mark.parametrize("status", [500, 503])
def test_a5_server_errors_are_reported_as_themselves(
    lease_settings: RegistrySettings,
    cluster: Cluster,
    proxy: FaultProxy,
    tmp_path: Path,
    status: int,
) -> None:
    proxy.fault = Fault("status", creates_of("leases"), status=status)
    slots = open_slots(through(lease_settings, cluster, tmp_path, server=proxy.url))
    with pytest.raises(RegistryError, match=f"HTTP {status}") as caught:
        slots.ensure(ask(1))
    assert caught.value.exit_code == ExitCode.FAILURE
    assert caught.value.status == status


def test_a5_timeout_is_reported_as_itself(
    lease_settings: RegistrySettings, cluster: Cluster, proxy: FaultProxy, tmp_path: Path
) -> None:
    proxy.fault = Fault("stall", creates_of("leases"))
    slots = open_slots(through(lease_settings, cluster, tmp_path, server=proxy.url, timeout=0.5))
    started = time.monotonic()
    with pytest.raises(RegistryError, match="timed out") as caught:
        slots.ensure(ask(1))
    assert caught.value.exit_code == ExitCode.FAILURE
    assert time.monotonic() - started < 10


def test_a5_bad_token_is_401(
    lease_settings: RegistrySettings, cluster: Cluster, tmp_path: Path
) -> None:
    slots = open_slots(through(lease_settings, cluster, tmp_path, token="not-a-token"))
    with pytest.raises(RegistryError, match="HTTP 401") as caught:
        slots.ensure(ask(1))
    assert caught.value.status == 401
    assert "no free slot" not in str(caught.value)


def test_a5_account_without_rbac_is_403(
    lease_settings: RegistrySettings, cluster: Cluster, tmp_path: Path
) -> None:
    token = cluster.service_account_token(f"{lease_settings.namespace}-sa", "nobody")
    slots = open_slots(through(lease_settings, cluster, tmp_path, token=token))
    try:
        with pytest.raises(RegistryError, match="HTTP 403") as caught:
            slots.ensure(ask(1))
        assert caught.value.status == 403
    finally:
        cluster.delete_namespace(f"{lease_settings.namespace}-sa")


def test_a5_api_down_is_unreachable(
    lease_settings: RegistrySettings, cluster: Cluster, tmp_path: Path
) -> None:
    slots = open_slots(through(lease_settings, cluster, tmp_path, server="https://127.0.0.1:9"))
    with pytest.raises(RegistryError, match="cannot reach the Kubernetes API"):
        slots.ensure(ask(1))


def test_lease_is_readable_with_kubectl_labels(
    lease_settings: RegistrySettings, cluster: Cluster
) -> None:
    slots = open_slots(lease_settings)
    slots.ensure(ask(42))
    query = {"labelSelector": "codexstack.io/issue=42,codexstack.io/kind=slot"}
    path = path_of(
        "apis", "coordination.k8s.io", "v1", "namespaces", str(lease_settings.namespace), "leases"
    )
    items = cluster.api().request("GET", path, query=query).body["items"]
    assert [i["metadata"]["name"] for i in items] == ["codexstack-slot-1"]
    assert items[0]["spec"]["holderIdentity"]
    assert items[0]["metadata"]["annotations"]["codexstack.io/namespace"] == "demo-dev-1"


def test_expired_lock_lease_is_taken_over(lease_settings: RegistrySettings) -> None:
    slots = open_slots(lease_settings)
    stale = Record(
        lock_name(slots.prefix, 3),
        Kind.LOCK,
        "dead-run",
        time.time() - 600,
        {"slot": "3", "duration": "60"},
    )
    slots.store.create(stale)
    with slots.store.lock(3, "me"):
        current = slots.store.get(lock_name(slots.prefix, 3))
        assert current is not None
        assert current.holder == "me"
        other = open_slots(lease_settings).store.lock(3, "other")
        with pytest.raises(StackBusyError, match="held by me"), other:
            pass
    assert slots.store.get(lock_name(slots.prefix, 3)) is None


def _codexctl_records(cluster: Cluster, state: str) -> None:
    cluster.create_namespace(state)
    api = cluster.api()
    for slot, issue in ((1, 7), (2, 8)):
        data = {
            "slot": str(slot),
            "env": "ai",
            "namespace": f"demo-dev-{slot}",
            "owner": "123",
            "issue": str(issue),
            "pr": "0",
            "createdAt": "2025-01-02T03:04:05Z",
        }
        body = {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": f"codex-env-{slot}"},
            "data": data,
        }
        api.request("POST", path_of("api", "v1", "namespaces", state, "configmaps"), body)


@pytest.mark.parametrize("backend", ["lease", "sqlite"])
def test_codexctl_configmaps_count_as_taken_and_are_imported_on_reuse(
    lease_settings: RegistrySettings, cluster: Cluster, backend: str, tmp_path: Path
) -> None:
    state = f"{lease_settings.namespace}-cx"
    _codexctl_records(cluster, state)
    try:
        settings = replace(
            lease_settings, backend=backend, path=tmp_path / "slots.db", codexctl_namespace=state
        )
        slots: Slots = open_slots(settings)
        mine = slots.ensure(ask(9))
        theirs = slots.ensure(ask(7))
        assert (mine.claim.slot, mine.created) == (3, True)
        # codexctl's slot 1 keeps its number, issue and namespace, now in our registry.
        assert (theirs.claim.slot, theirs.claim.issue, theirs.created) == (1, 7, False)
        assert theirs.claim.namespace == "demo-dev-1"
        assert origin(theirs.claim) == "codexctl (imported)"
        assert slots.renew(1).slot == 1  # a real record: heartbeats work on it
        assert slots.ensure(ask(7)).claim.slot == 1
        assert [(c.slot, origin(c)) for c in slots.claims()] == [
            (1, "codexctl (imported)"),
            (2, "codexctl"),
            (3, "codexstack"),
        ]
    finally:
        cluster.delete_namespace(state)
