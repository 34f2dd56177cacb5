"""Fixtures for the slot registry tests: a fresh registry per test on either backend.

``registry`` is parametrised over the SQLite file (always) and Kubernetes Leases in a fresh
state namespace of the project's local kube-apiserver (``integration``; a failure with the
build command when the cluster binaries are missing, never a skip). Both are the real
backends; nothing is stood in for.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from nskit import ClusterNamespaces, SetNamespaces
from slotkit import Cluster, start_cluster

from codexstack.slots import Slots
from codexstack.slots.backends import RegistrySettings, open_slots

REPO = Path(__file__).resolve().parents[2]

OpenSlots = Callable[..., Slots]
Namespaces = SetNamespaces | ClusterNamespaces


@pytest.fixture(scope="session")
def cluster() -> Cluster:
    """The project's local cluster, started once (a no-op when it already runs)."""
    return start_cluster(REPO / ".codexstack" / "cluster")


@pytest.fixture
def sqlite_settings(tmp_path: Path) -> RegistrySettings:
    return RegistrySettings(backend="sqlite", path=tmp_path / "slots.db")


@pytest.fixture
def lease_settings(cluster: Cluster) -> Iterator[RegistrySettings]:
    namespace = f"slots-test-{secrets.token_hex(3)}"
    yield RegistrySettings(backend="lease", kubeconfig=cluster.kubeconfig, namespace=namespace)
    cluster.delete_namespace(namespace)


@pytest.fixture(params=["sqlite", pytest.param("lease", marks=pytest.mark.integration)])
def settings(request: pytest.FixtureRequest) -> RegistrySettings:
    """Settings of a fresh, empty registry on each backend."""
    name = "sqlite_settings" if request.param == "sqlite" else "lease_settings"
    value: RegistrySettings = request.getfixturevalue(name)
    return value


@pytest.fixture
def namespaces(settings: RegistrySettings, request: pytest.FixtureRequest) -> Iterator[Namespaces]:
    """Slot namespaces to match the backend: real ones with Leases, a set with SQLite."""
    prefix = f"t{secrets.token_hex(3)}"
    made: Namespaces
    if settings.backend == "lease":
        made = ClusterNamespaces(request.getfixturevalue("cluster"), prefix)
    else:
        made = SetNamespaces(prefix)
    yield made
    made.cleanup()


@pytest.fixture
def open_registry(settings: RegistrySettings) -> Iterator[OpenSlots]:
    """Open callers (each its own holder and connection) on the test's registry."""
    opened: list[Slots] = []

    def make(**options: object) -> Slots:
        slots = open_slots(replace(settings), **options)
        opened.append(slots)
        return slots

    yield make
    for slots in opened:
        slots.store.close()


@pytest.fixture
def slots(open_registry: OpenSlots) -> Slots:
    return open_registry()
