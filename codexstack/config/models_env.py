"""Where things run: environments, namespaces, storage, slot state, data paths, slot policy.

Mirrors codexctl's ``Environment`` (both generations: 1.0.x ``slotBootstrapInfra``, ≤0.8
``kubeconfig``/``context``/``localRegistry``), ``NamespaceBlock``, ``StorageConfig``,
``StateConfig`` and ≤0.8 ``DataPaths``. :class:`SlotPolicy` is a codexstack extension (key
``slots``): the safety objects every slot namespace gets (quota, limit range, network policy,
Pod Security level), where an absent key keeps codexstack's safe default.
"""

from __future__ import annotations

import os
from typing import Literal

from pydantic import Field

from codexstack.config.docstrings import document_models
from codexstack.config.models_base import ConfigModel, YBool, YInt, YStr


class LocalRegistry(ConfigModel):
    """≤0.8 local registry description; parsed and inherited, not acted upon."""

    enabled: YBool = False
    """Whether the local registry is in use."""
    name: YStr = ""
    """Registry name/host."""
    port: YInt = Field(default=0, ge=0, le=65535)
    """Registry port."""


class Environment(ConfigModel):
    """Settings of one environment; ``from`` inherits another environment's settings."""

    from_: YStr = Field(default="", alias="from")
    """Parent environment (recursive; cycles and unknown names are errors)."""
    image_pull_policy: YStr = ""
    """Inherited and overridable; not applied to manifests (as in codexctl)."""
    slot_bootstrap_infra: tuple[YStr, ...] = ()
    """Infra blocks applied right after a new slot is allocated (replaces the parent's)."""
    local_registry: LocalRegistry | None = None
    """Local registry (replaces the parent's when present)."""
    kubeconfig: YStr = ""
    """Kubeconfig path (``~`` expanded); ``CODEXCTL_KUBECONFIG`` overrides."""
    context: YStr = ""
    """Kubeconfig context; ``CODEXCTL_KUBE_CONTEXT`` overrides."""


class NamespaceBlock(ConfigModel):
    """Namespace naming."""

    patterns: dict[YStr, YStr] = Field(default_factory=dict)
    """Env name -> namespace template (rendered with the pass-1 context)."""


class PVCSpec(ConfigModel):
    """A PersistentVolumeClaim shape, exposed to templates as ``.Storage.<X>``."""

    size: YStr = ""
    """Requested size, e.g. ``20Gi``."""
    storage_class: YStr = ""
    """StorageClass name."""
    access_modes: tuple[YStr, ...] = ()
    """Access modes, e.g. ``[ReadWriteMany]``."""


class Storage(ConfigModel):
    """1.0.x storage block; templates only (codexctl creates no PVCs itself)."""

    workspace: PVCSpec | None = None
    """Shared source workspace."""
    data: PVCSpec | None = None
    """Stateful service data."""
    registry: PVCSpec | None = None
    """Registry storage."""


class StateConfig(ConfigModel):
    """Where codexctl kept slot records (ConfigMaps)."""

    backend: YStr = ""
    """``""`` or ``configmap``."""
    configmap_namespace: YStr = ""
    """Namespace of the slot-record ConfigMaps."""
    configmap_prefix: YStr = ""
    """Name prefix of slot records (default ``codex-env-``)."""

    @property
    def prefix(self) -> str:
        """The effective record prefix."""
        return self.configmap_prefix or "codex-env-"


class DataPaths(ConfigModel):
    """≤0.8 host data directories, created/cleaned by the ``codex.ensure-data-dirs`` hook."""

    root: YStr = ""
    """Root directory; clean/delete only touch paths strictly inside it."""
    env_dir: YStr = ""
    """Per-environment directory (used instead of ``root`` as the base)."""
    dirs: tuple[YStr, ...] = ()
    """Sub-directories of the base."""
    paths: tuple[YStr, ...] = ()
    """Explicit paths (win over ``dirs``)."""

    def resolved_paths(self) -> tuple[str, ...]:
        """``paths`` if any, else base (envDir or root) joined with each of ``dirs``, else base."""
        explicit = [p.strip() for p in self.paths if p.strip()]
        if not explicit:
            base = self.env_dir.strip() or self.root.strip()
            if base and self.dirs:
                dirs = [d.strip() for d in self.dirs if d.strip()]
                explicit = [os.path.normpath(os.path.join(base, d)) for d in dirs]
            elif base:
                explicit = [base]
        return tuple(dict.fromkeys(explicit))


class LimitRangeSpec(ConfigModel):
    """Container values of the slot's LimitRange; an absent key keeps codexstack's default."""

    default: dict[YStr, YStr] | None = None
    """Default limits, e.g. ``{cpu: "1", memory: 1Gi}``."""
    default_request: dict[YStr, YStr] | None = None
    """Default requests, e.g. ``{cpu: 50m, memory: 64Mi}``."""
    max: dict[YStr, YStr] | None = None
    """Largest limits a container may ask for."""


class SlotPolicy(ConfigModel):
    """codexstack extension (key ``slots``): safety objects of every slot namespace.

    For ``resourceQuota`` and ``limitRange``: an absent key means codexstack's default, an
    explicit ``null`` switches the object off, a mapping replaces the default (see
    :meth:`given`). Shared environments (dev, staging) get only the Pod Security labels.
    """

    pod_security: Literal["privileged", "baseline", "restricted"] | None = "baseline"
    """Pod Security Admission level enforced on slot namespaces; null: no labels."""
    resource_quota: dict[YStr, YStr] | None = None
    """ResourceQuota ``spec.hard`` (e.g. ``{pods: "30", requests.cpu: "4"}``)."""
    limit_range: LimitRangeSpec | None = None
    """LimitRange container defaults."""
    network_policy: YBool = True
    """Default-deny ingress and egress, except DNS, the namespace itself and ``egressAllow``."""
    ingress_namespaces: tuple[YStr, ...] | None = None
    """Namespaces whose pods may reach slot pods (default: ``[ingress-nginx]``)."""
    egress_allow: tuple[YStr, ...] = ()
    """CIDRs slot pods may reach besides DNS and their namespace (model API, registries…)."""
    ttl: YStr = ""
    """Go duration after which a slot without heartbeat may be collected; blank: never."""
    labels: dict[YStr, YStr] = Field(default_factory=dict)
    """Extra labels for slot namespaces."""

    def given(self, key: str) -> bool:
        """Whether services.yaml set attribute ``key`` (even to null), i.e. not a default."""
        return key in self.model_fields_set


document_models(__name__)
