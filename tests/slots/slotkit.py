"""Test kit for the slot registry: the local cluster, concurrent ensure-slot processes, checks.

``run_concurrently`` starts one real OS process per request (forked, so no interpreter start-up
is measured), releases them together through a barrier, and collects each one's slot or exit
code and its wall time. ``check_registry`` states the invariants every battery test shares:
no slot with two holders, no issue with two slots, every bound key pointing at its claim.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import random
import time
from collections import Counter
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from codexstack.cluster import local
from codexstack.errors import CodexstackError, ToolMissingError
from codexstack.kube import Client, path_of
from codexstack.slots import Request, Selector, Slots
from codexstack.slots.backends import RegistrySettings, open_slots
from codexstack.slots.model import Kind, Record
from codexstack.slots.registry import Ambiguous, Store


def demo_namespace(slot: int) -> str:
    return f"demo-dev-{slot}"


@dataclass(frozen=True)
class Cluster:
    """The running local cluster: admin kubeconfig and key material."""

    kubeconfig: Path
    pki_dir: Path

    def api(self, timeout: float = 10.0) -> Client:
        return Client.from_kubeconfig(self.kubeconfig, timeout=timeout)

    @property
    def server(self) -> str:
        return str(self.config()["clusters"][0]["cluster"]["server"])

    def config(self) -> dict[str, Any]:
        loaded: dict[str, Any] = yaml.safe_load(self.kubeconfig.read_text())
        return loaded

    def create_namespace(self, name: str, labels: dict[str, str] | None = None) -> None:
        body = {
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": {"name": name, "labels": labels or {}},
        }
        answer = self.api().request("POST", "/api/v1/namespaces", body)
        assert answer.status in (201, 409), answer.body

    def delete_namespace(self, name: str) -> None:
        self.api().request("DELETE", path_of("api", "v1", "namespaces", name))

    def namespace_exists(self, name: str) -> bool:
        return self.api().request("GET", path_of("api", "v1", "namespaces", name)).status == 200

    def write_kubeconfig(
        self,
        path: Path,
        *,
        server: str | None = None,
        token: str | None = None,
        ca_file: Path | None = None,
    ) -> Path:
        """A variant of the admin kubeconfig: another server, or a token instead of the cert."""
        config = self.config()
        cluster = config["clusters"][0]["cluster"]
        if server:
            cluster["server"] = server
        if ca_file:
            cluster.pop("certificate-authority-data", None)
            cluster["certificate-authority"] = str(ca_file)
        if token is not None:
            config["users"][0]["user"] = {"token": token}
        path.write_text(yaml.safe_dump(config))
        return path

    def service_account_token(self, namespace: str, name: str) -> str:
        """A short-lived token of a (new) service account with no RBAC grants."""
        api = self.api()
        self.create_namespace(namespace)
        sa = {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": name}}
        api.request("POST", path_of("api", "v1", "namespaces", namespace, "serviceaccounts"), sa)
        request = {
            "apiVersion": "authentication.k8s.io/v1",
            "kind": "TokenRequest",
            "spec": {"expirationSeconds": 600},
        }
        path = path_of("api", "v1", "namespaces", namespace, "serviceaccounts", name, "token")
        answer = api.request("POST", path, request)
        assert answer.status == 201, answer.body
        return str(answer.body["status"]["token"])


def start_cluster(state_dir: Path) -> Cluster:
    """Bring the local cluster up (no-op when healthy); a failure when its binaries are missing.

    Never a skip: a CI run without the cluster would otherwise pass the Lease backend's tests by
    running none of them (issue 14).
    """
    try:
        status = local.up(state_dir)
    except ToolMissingError as exc:
        pytest.fail(
            f"local cluster binaries missing: {exc}\n"
            "build them with ./scripts/engine (cached under ~/.cache/codexstack), then re-run",
            pytrace=False,
        )
    return Cluster(Path(status.kubeconfig), state_dir / "pki")


@dataclass(frozen=True)
class Finished:
    """What one ensure-slot process ended with."""

    issue: int
    slot: int
    code: int
    elapsed: float
    message: str


def _child(
    settings: RegistrySettings, issue: int, max_slots: int, wait: float, barrier: Any, results: Any
) -> None:
    barrier.wait()
    started = time.monotonic()
    slot, code, message = 0, 0, ""
    try:
        slots = open_slots(settings)
        allocation = slots.ensure(
            Request(Selector(issue=issue), demo_namespace, max_slots=max_slots, wait=wait)
        )
        slot = allocation.claim.slot
    except CodexstackError as exc:
        code, message = int(exc.exit_code), str(exc)
    except Exception as exc:  # a bug: report it rather than hang the parent
        code, message = 99, f"{type(exc).__name__}: {exc}"
    results.put(Finished(issue, slot, code, time.monotonic() - started, message))
    os._exit(code)  # SimpleQueue.put is synchronous; skip the parent's atexit handlers


def run_concurrently(
    settings: RegistrySettings,
    issues: list[int],
    max_slots: int,
    *,
    wait: float = 0.0,
    timeout: float = 120.0,
) -> list[Finished]:
    """One forked process per issue, all released at once; their outcomes in issue order."""
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(len(issues))
    results = ctx.SimpleQueue()
    procs = [
        ctx.Process(target=_child, args=(settings, issue, max_slots, wait, barrier, results))
        for issue in issues
    ]
    for proc in procs:
        proc.start()
    deadline = time.monotonic() + timeout
    outcomes = []
    for proc in procs:
        proc.join(max(deadline - time.monotonic(), 0.1))
    while not results.empty():
        outcomes.append(results.get())
    alive = [p.pid for p in procs if p.is_alive()]
    for proc in procs:
        if proc.is_alive():
            proc.kill()
    assert not alive, f"ensure-slot processes still running after {timeout}s: {alive}"
    by_pid_code = Counter(p.exitcode for p in procs)
    assert by_pid_code == Counter(o.code for o in outcomes), (by_pid_code, outcomes)
    return sorted(outcomes, key=lambda o: o.issue)


def check_registry(slots: Slots, max_slots: int | None = None) -> dict[int, int]:
    """Assert the registry's invariants; return issue -> slot of the live claims."""
    records = slots.store.list()
    claims = [r for r in records if r.kind == Kind.SLOT]
    names = Counter(r.name for r in records)
    assert all(n == 1 for n in names.values()), names
    by_issue: dict[int, int] = {}
    for record in claims:
        issue = record.get_int("issue")
        if issue:
            assert issue not in by_issue, (
                f"issue {issue} holds slots {by_issue[issue]} and {record.name}"
            )
            by_issue[issue] = record.get_int("slot")
        if max_slots is not None:
            assert 1 <= record.get_int("slot") <= max_slots, record
    for key in (r for r in records if r.kind == Kind.KEY and r.get_int("slot")):
        claim = slots.get(key.get_int("slot"))
        assert claim is not None, f"key {key.name} points at an unclaimed slot"
        assert getattr(claim, key.data["what"]) == int(key.data["number"]), (key, claim)
    return by_issue


def clear(slots: Slots) -> None:
    """Remove every record (between rounds)."""
    for record in slots.store.list():
        slots.store.delete(record.name)


def summary(values: list[float]) -> str:
    ordered = sorted(values)
    if not ordered:
        return "-"
    p50 = ordered[len(ordered) // 2]
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms"


class LossyStore:
    """A real store whose writes are applied but, at ``rate``, answered with Ambiguous (A4)."""

    def __init__(self, store: Store, rate: float, seed: int):
        self.inner = store
        self.prefix = store.prefix
        self.rate = rate
        self.random = random.Random(seed)
        self.lost = 0

    def _maybe_lose(self, what: str) -> None:
        if self.random.random() < self.rate:
            self.lost += 1
            raise Ambiguous(f"{what}: response lost (injected)")

    def create(self, record: Record) -> Record:
        created = self.inner.create(record)
        self._maybe_lose("create")
        return created

    def replace(self, record: Record) -> Record:
        replaced = self.inner.replace(record)
        self._maybe_lose("replace")
        return replaced

    def delete(self, name: str, version: str | None = None) -> bool:
        deleted = self.inner.delete(name, version)
        self._maybe_lose("delete")
        return deleted

    def get(self, name: str) -> Record | None:
        return self.inner.get(name)

    def list(self) -> list[Record]:
        return self.inner.list()

    def lock(self, slot: int, holder: str, wait: float = 0.0) -> AbstractContextManager[None]:
        return self.inner.lock(slot, holder, wait)

    def close(self) -> None:
        self.inner.close()
