"""The Plan: everything one environment or slot will contain, computed without Pulumi.

A Plan is the hand-off between the pure core and the engine. ``build_plan`` (in
``codexstack.plan.build``) fills it from a loaded config; ``render`` prints its documents as a
YAML stream; the Pulumi program turns its units into components. It holds every *enabled*
unit, selected or not, because a filtered apply must keep (never delete) what was not selected.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

UnitKind = Literal["infra", "service"]


@dataclass(frozen=True)
class Manifest:
    """One rendered Kubernetes object and where it came from."""

    source: str
    """Manifest path as written in services.yaml (relative to the project root)."""
    index: int
    """0-based document index within that file (after empty documents are dropped)."""
    obj: Mapping[str, Any]
    """The decoded object after the per-document transforms."""

    @property
    def api_version(self) -> str:
        return str(self.obj.get("apiVersion", ""))

    @property
    def kind(self) -> str:
        return str(self.obj.get("kind", ""))

    @property
    def name(self) -> str:
        meta = self.obj.get("metadata") or {}
        return str(meta.get("name", "")) if isinstance(meta, Mapping) else ""

    @property
    def namespace(self) -> str:
        meta = self.obj.get("metadata") or {}
        return str(meta.get("namespace", "") or "") if isinstance(meta, Mapping) else ""


@dataclass(frozen=True)
class Unit:
    """An infrastructure block or a service, with its rendered manifests and hooks."""

    kind: UnitKind
    name: str
    selected: bool
    """False when --only/--skip filters leave it out (it is kept, not changed)."""
    manifests: tuple[Manifest, ...]
    hooks: Mapping[str, Sequence[Any]] = field(default_factory=dict)
    """Stage name (beforeApply, afterApply, beforeDestroy, afterDestroy) -> config HookStep list."""


@dataclass(frozen=True)
class ClusterTarget:
    """Which cluster a stack talks to (environment kubeconfig/context, with overrides)."""

    kubeconfig: str | None = None
    context: str | None = None


@dataclass(frozen=True)
class AgentAccess:
    """The agent's identity and extra permissions (``codex.agentService``/``agentAccess``)."""

    service: str = "codex"
    """The service (and Deployment) the agent runs as."""
    pod_exec: bool = False
    """Exec into and port-forward to the namespace's pods."""
    redeploy: bool = False
    """Re-deploy its own services from inside its pod, behind the admission guard."""
    secrets: tuple[str, ...] = ()
    """Secrets that pod specs the agent writes may reference."""


@dataclass(frozen=True)
class Plan:
    """One environment or slot, ready to render or deploy."""

    project: str
    env: str
    slot: int
    namespace: str
    stack: str
    """Pulumi stack name: ``<env>`` or ``ai-<slot>`` (from codexstack.naming)."""
    infrastructure: tuple[Unit, ...]
    services: tuple[Unit, ...]
    hooks: Mapping[str, Sequence[Any]] = field(default_factory=dict)
    """Top-level stages beforeAll / afterAll -> config HookStep list."""
    cluster: ClusterTarget = field(default_factory=ClusterTarget)
    tags: Mapping[str, str] = field(default_factory=dict)
    image_digests: Mapping[str, str] = field(default_factory=dict)
    """Image ref -> pushed digest (``image-digests.json``): pins workloads, never rendered."""
    agent: AgentAccess = field(default_factory=AgentAccess)

    def units(self) -> tuple[Unit, ...]:
        """Infrastructure first, in file order, then services in file order."""
        return self.infrastructure + self.services

    def documents(self, *, selected_only: bool = True) -> list[Mapping[str, Any]]:
        """Objects in apply order (what ``render`` prints)."""
        return [m.obj for u in self.units() if u.selected or not selected_only for m in u.manifests]
