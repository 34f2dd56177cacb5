"""The slot registry and cluster of a target: what every slot flow opens first.

:func:`open_registry` loads services.yaml for the target's env (default ``ai``), picks the
registry (``--registry`` / ``CODEXSTACK_SLOTS_REGISTRY``, else services.yaml ``state.backend``:
``sqlite``, the offline default, or ``lease`` on the cluster, which codexctl's ``configmap``
means too) and the cluster the env deploys to (the env's kubeconfig, else ``$KUBECONFIG``,
else ``~/.kube/config``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from codexstack import kube, slots
from codexstack.flows import _target
from codexstack.flows.progress import Reporter
from codexstack.flows.target import Target

if TYPE_CHECKING:
    from codexstack.config import LoadedConfig
    from codexstack.slots import Request, Slots

SLOT_ENV_DEFAULT = "ai"


@dataclass(frozen=True)
class Registry:
    """Where slots are claimed: the registry selection of a slot command."""

    backend: str | None = None
    """``sqlite`` or ``lease`` (default: services.yaml ``state.backend``, else sqlite)."""
    namespace: str | None = None
    """State namespace of the Lease registry (default: ``state.configmapNamespace``)."""


@dataclass
class Opened:
    """A target's loaded config, its slot registry and its cluster (None when none is set)."""

    target: Target
    loaded: LoadedConfig
    slots: Slots
    api: kube.Client | None
    progress: Reporter

    @property
    def env(self) -> str:
        return self.target.env

    @property
    def project(self) -> str:
        return self.loaded.project

    def namespace_for(self, slot: int) -> str:
        return self.loaded.namespace_for(self.env, slot)

    def capacity(self, flag: int) -> int:
        """``--max`` / ``CODEXCTL_DEV_SLOTS_MAX``, else ``maxSlots``, else codexctl's 0 (10000)."""
        return flag if flag else self.loaded.model.max_slots

    def claim_request(self, *, issue: int, pr: int, max_slots: int, wait: float) -> Request:
        """The slots layer's request: the target's slot or the issue/PR, the capacity, the wait."""
        return slots.Request(
            slots.Selector(self.env, issue, pr, self.target.slot),
            self.namespace_for,
            self.capacity(max_slots),
            owner=slots.default_owner(),
            wait=wait,
        )


def open_registry(
    target: Target, registry: Registry, progress: Reporter, *, require_env: bool = True
) -> Opened:
    """Load the config for the target's env (default ``ai``) and open its slot registry."""
    target = target.with_env(SLOT_ENV_DEFAULT)
    # The registry is the env's, whatever the slot: load without slot or namespace override.
    loaded = _target.load(replace(target, slot=0, namespace=None), progress)
    environment = loaded.environment(required=require_env)
    kubeconfig = kubeconfig_path(environment.kubeconfig)
    state = loaded.model.state
    settings = slots.RegistrySettings(
        backend=registry.backend or state.backend or "sqlite",
        project_root=loaded.root,
        kubeconfig=kubeconfig,
        context=environment.context or None,
        namespace=registry.namespace or state.configmap_namespace or None,
        codexctl_namespace=state.configmap_namespace or None,
        codexctl_prefix=state.prefix,
    )
    opened_slots = slots.open_slots(settings)
    api = (
        kube.Client.from_kubeconfig(kubeconfig, environment.context or None) if kubeconfig else None
    )
    return Opened(target, loaded, opened_slots, api, progress)


def kubeconfig_path(configured: str) -> Path | None:
    """The env's kubeconfig, else the first of ``$KUBECONFIG``, else ``~/.kube/config``."""
    if configured:
        return Path(os.path.expanduser(configured))
    listed = os.environ.get("KUBECONFIG", "")
    if listed.strip():
        return Path(listed.split(os.pathsep)[0])
    default = Path.home() / ".kube" / "config"
    return default if default.is_file() else None
