"""The shared slot registry: ``coordination.k8s.io/v1`` Lease objects in a state namespace.

Every CI runner that can reach the cluster sees the same claims. A record is one Lease: the
name is the record name (``<prefix><N>``, ``<prefix>issue-<N>``, ...), ``holderIdentity`` the
holder id, ``renewTime`` the heartbeat, the data are ``codexstack.io/*`` annotations and the
slot, env, issue and PR are mirrored as labels so ``kubectl get lease -l codexstack.io/issue=42``
works. "Create if absent" is the API's own POST (409 AlreadyExists is the only "taken");
replace and delete carry the resourceVersion. The per-slot lock is a Lease too (see
``lease_lock``).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

from codexstack.kube import Client, Response, path_of
from codexstack.slots.kubecall import send
from codexstack.slots.lease_lock import lease_lock
from codexstack.slots.model import Kind, Record, dns_part
from codexstack.slots.registry import AlreadyExists, RegistryError, VersionConflict

DEFAULT_PREFIX = "codexstack-slot-"
DEFAULT_NAMESPACE = "codexstack-state"
GROUP = ("apis", "coordination.k8s.io", "v1")
DOMAIN = "codexstack.io/"
MANAGED = {"app.kubernetes.io/managed-by": "codexstack"}
MIRRORED = ("slot", "env", "issue", "pr")
RESERVED_LABELS = {"kind", *MIRRORED}
LISTED_KINDS = f"{DOMAIN}kind in (slot,key,queue)"


class LeaseStore:
    """A :class:`~codexstack.slots.registry.Store` of Leases in ``namespace``."""

    def __init__(
        self,
        api: Client,
        namespace: str = DEFAULT_NAMESPACE,
        prefix: str = DEFAULT_PREFIX,
        lock_seconds: int = 60,
    ):
        self.api = api
        self.namespace = namespace
        self.prefix = prefix
        self.lock_seconds = lock_seconds

    def _path(self, name: str | None = None) -> str:
        parts = [*GROUP, "namespaces", self.namespace, "leases"]
        return path_of(*parts, *([name] if name else []))

    def create(self, record: Record) -> Record:
        answer = send(self.api, "POST", self._path(), to_lease(record, self.namespace))
        if answer.status == 404 and self._ensure_namespace():
            answer = send(self.api, "POST", self._path(), to_lease(record, self.namespace))
        if answer.status == 409 and answer.reason == "AlreadyExists":
            raise AlreadyExists(record.name)
        return from_lease(_ok(answer, "create", record.name))

    def get(self, name: str) -> Record | None:
        answer = send(self.api, "GET", self._path(name))
        if answer.status == 404:
            return None
        return from_lease(_ok(answer, "read", name))

    def replace(self, record: Record) -> Record:
        answer = send(self.api, "PUT", self._path(record.name), to_lease(record, self.namespace))
        if answer.status in (404, 409):
            raise VersionConflict(record.name)
        return from_lease(_ok(answer, "update", record.name))

    def delete(self, name: str, version: str | None = None) -> bool:
        body = {"preconditions": {"resourceVersion": version}} if version else None
        answer = send(self.api, "DELETE", self._path(name), body)
        if answer.status == 404:
            return False
        if answer.status == 409:
            raise VersionConflict(name)
        _ok(answer, "delete", name)
        return True

    def list(self) -> list[Record]:
        answer = send(self.api, "GET", self._path(), query={"labelSelector": LISTED_KINDS})
        if answer.status == 404:
            return []
        items = _ok(answer, "list", self.namespace).get("items") or []
        records = [from_lease(item) for item in items]
        return sorted((r for r in records if r.name.startswith(self.prefix)), key=lambda r: r.name)

    def lock(self, slot: int, holder: str, wait: float = 0.0) -> AbstractContextManager[None]:
        return lease_lock(self, slot, holder, wait)

    def close(self) -> None:
        self.api.close()

    def _ensure_namespace(self) -> bool:
        """Create the state namespace if it is missing; True when it exists now."""
        body = {
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": {"name": self.namespace, "labels": dict(MANAGED)},
        }
        answer = send(self.api, "POST", path_of("api", "v1", "namespaces"), body)
        if answer.status == 409:
            return True
        _ok(answer, "create namespace", self.namespace)
        return True


def _ok(answer: Response, action: str, name: str) -> dict[str, Any]:
    if 200 <= answer.status < 300:
        return answer.body
    raise RegistryError(
        f"Kubernetes API refused to {action} {name}: HTTP {answer.status}"
        f" {answer.reason}: {answer.message}".replace(":  :", ":"),
        status=answer.status,
    )


def to_lease(record: Record, namespace: str) -> dict[str, Any]:
    """The Lease object that stores ``record``."""
    labels = {**MANAGED, f"{DOMAIN}kind": str(record.kind)}
    labels.update({DOMAIN + k: _label_value(record.data[k]) for k in MIRRORED if k in record.data})
    labels.update({DOMAIN + k: _label_value(v) for k, v in record.labels.items()})
    metadata: dict[str, Any] = {
        "name": record.name,
        "namespace": namespace,
        "labels": labels,
        "annotations": {DOMAIN + k: v for k, v in record.data.items()},
    }
    if record.version:
        metadata["resourceVersion"] = record.version
    spec: dict[str, Any] = {
        "holderIdentity": record.holder,
        "renewTime": micro_time(record.renewed),
    }
    if record.data.get("duration", "").isdigit():  # locks: visible to kubectl and other tools
        spec["leaseDurationSeconds"] = int(record.data["duration"])
    return {
        "apiVersion": "coordination.k8s.io/v1",
        "kind": "Lease",
        "metadata": metadata,
        "spec": spec,
    }


def from_lease(lease: dict[str, Any]) -> Record:
    """Read a Lease back as a record."""
    metadata = lease.get("metadata") or {}
    spec = lease.get("spec") or {}
    labels = metadata.get("labels") or {}
    user_labels = {
        k[len(DOMAIN) :]: v
        for k, v in labels.items()
        if k.startswith(DOMAIN) and k[len(DOMAIN) :] not in RESERVED_LABELS
    }
    data = {
        k[len(DOMAIN) :]: v
        for k, v in (metadata.get("annotations") or {}).items()
        if k.startswith(DOMAIN)
    }
    kind = labels.get(f"{DOMAIN}kind", "slot")
    return Record(
        name=str(metadata.get("name", "")),
        kind=Kind(kind) if kind in Kind.__members__.values() else Kind.SLOT,
        holder=str(spec.get("holderIdentity", "")),
        renewed=parse_micro_time(spec.get("renewTime")),
        data=data,
        labels=user_labels,
        version=str(metadata.get("resourceVersion", "")),
    )


def _label_value(value: str) -> str:
    return dns_part(value)[:63].strip("-")


def micro_time(epoch: float) -> str:
    """Kubernetes MicroTime: RFC 3339 UTC with microseconds."""
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_micro_time(text: object) -> float:
    """Seconds since the epoch of a MicroTime or Time string (0 when absent)."""
    if not isinstance(text, str) or not text:
        return 0.0
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
