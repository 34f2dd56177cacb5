"""Slot namespaces for the tests: real ones on the local cluster, or a set without a cluster.

Both kinds can be *held*: deleted but still present (Terminating) until ``let_go``, which is
what a namespace with stuck content looks like. Battery A7 and E3 use them to check that slot
numbers wait for their namespaces and that orphans are found and fixed both ways.
"""

from __future__ import annotations

import threading

from slotkit import Cluster

from codexstack.kube import path_of
from codexstack.slots.namespaces import (
    SLOT_LABEL,
    delete_namespace,
    namespace_gone,
    slot_namespaces,
)


class SetNamespaces:
    """Namespaces as a set, for SQLite runs without a cluster; a held one terminates on let_go."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.names: set[str] = set()
        self.held: set[str] = set()
        self.terminating: set[str] = set()
        self.guard = threading.Lock()

    def create(self, name: str, *, hold: bool = False) -> None:
        with self.guard:
            self.names.add(name)
            if hold:
                self.held.add(name)

    def delete(self, name: str) -> None:
        with self.guard:
            if name in self.held:
                self.terminating.add(name)
            else:
                self.names.discard(name)

    def let_go(self, name: str) -> None:
        with self.guard:
            self.held.discard(name)
            if name in self.terminating:
                self.terminating.discard(name)
                self.names.discard(name)

    def gone(self, name: str) -> bool:
        with self.guard:
            return name not in self.names

    def live(self) -> set[str]:
        with self.guard:
            return self.names - self.terminating

    def cleanup(self) -> None:
        self.names.clear()


HOLD = "codexstack.io/test-hold"


class ClusterNamespaces:
    """Real namespaces on the local cluster, labelled as slot namespaces.

    A held namespace contains a ConfigMap with a finalizer, so after its deletion it stays
    Terminating (as a namespace with stuck content does) until ``let_go`` drops the finalizer.
    """

    def __init__(self, cluster: Cluster, prefix: str):
        self.cluster = cluster
        self.api = cluster.api()
        self.prefix = prefix
        self.selector = f"{SLOT_LABEL}={prefix}"
        self.made: set[str] = set()

    def create(self, name: str, *, hold: bool = False) -> None:
        self.cluster.create_namespace(name, {SLOT_LABEL: self.prefix})
        self.made.add(name)
        if hold:
            body = {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {"name": "hold", "finalizers": [HOLD]},
            }
            answer = self.api.request(
                "POST", path_of("api", "v1", "namespaces", name, "configmaps"), body
            )
            assert answer.status == 201, answer.body

    def delete(self, name: str) -> None:
        delete_namespace(self.api, name)

    def let_go(self, name: str) -> None:
        path = path_of("api", "v1", "namespaces", name, "configmaps", "hold")
        while True:
            held = self.api.request("GET", path)
            if held.status == 404:
                return
            held.body["metadata"]["finalizers"] = []
            if self.api.request("PUT", path, held.body).status == 200:
                return

    def gone(self, name: str) -> bool:
        return namespace_gone(self.api, name)

    def live(self) -> set[str]:
        return slot_namespaces(self.api, self.selector)

    def cleanup(self) -> None:
        for name in self.made:
            self.let_go(name)
            delete_namespace(self.api, name)
