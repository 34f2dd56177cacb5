"""The root of the services.yaml model and the public names of every model class.

:class:`ServicesConfig` accepts the union of codexctl ≤0.8 and 1.0.x keys (§2, §1.3) plus a
few codexstack extensions, each documented where it is declared: ``templateDialect`` (``go``
or ``jinja``), ``doubleRender`` (keep codexctl's second rendering of already-rendered
strings, D-DOUBLE-RENDER), ``maxSlots`` (now the default slot cap) and ``slots`` (slot
namespace policy). Environment ``from`` chains are checked by the loader, which can point at
the exact line of the offending key.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from codexstack.config.docstrings import document_models
from codexstack.config.models_base import ConfigModel, YBool, YInt, YStr
from codexstack.config.models_codex import (
    CodexConfig,
    CodexTimeouts,
    ConfigBlock,
    Link,
    MCPConfig,
    MCPServer,
    MCPServiceRef,
    MCPTool,
    ValueRef,
)
from codexstack.config.models_env import (
    DataPaths,
    Environment,
    LimitRangeSpec,
    LocalRegistry,
    NamespaceBlock,
    PVCSpec,
    SlotPolicy,
    StateConfig,
    Storage,
)
from codexstack.config.models_workloads import (
    HookSet,
    HookStep,
    HostMount,
    ImageSpec,
    InfraItem,
    Ingress,
    ManifestRef,
    Overlay,
    PVCMount,
    ResourceHooks,
    Service,
    ServiceImage,
)

Dialect = Literal["go", "jinja"]

__all__ = [
    "CodexConfig",
    "CodexTimeouts",
    "ConfigBlock",
    "DataPaths",
    "Dialect",
    "Environment",
    "HookSet",
    "HookStep",
    "HostMount",
    "ImageSpec",
    "InfraItem",
    "Ingress",
    "LimitRangeSpec",
    "Link",
    "LocalRegistry",
    "MCPConfig",
    "MCPServer",
    "MCPServiceRef",
    "MCPTool",
    "ManifestRef",
    "NamespaceBlock",
    "Overlay",
    "PVCMount",
    "PVCSpec",
    "ResourceHooks",
    "Service",
    "ServiceImage",
    "ServicesConfig",
    "SlotPolicy",
    "StateConfig",
    "Storage",
    "ValueRef",
]


class ServicesConfig(ConfigModel):
    """A whole services.yaml after templating."""

    project: YStr = ""
    """Project name; namespaces default to ``<project>-<env>``."""
    env_files: tuple[YStr, ...] = ()
    """dotenv files relative to the project root, merged in order (read before templating)."""
    registry: YStr = ""
    """Base registry address (parsed; templates use their own variables)."""
    max_slots: YInt = Field(default=0, ge=0)
    """Default slot cap when neither ``--max`` nor ``CODEXCTL_DEV_SLOTS_MAX`` is set; 0: none."""
    versions: dict[YStr, YStr] = Field(default_factory=dict)
    """Named versions, ``.Versions`` in templates."""
    base_domain: dict[YStr, YStr] = Field(default_factory=dict)
    """Env name -> base domain, ``.BaseDomain`` in templates."""
    namespace: NamespaceBlock | None = None
    """Namespace patterns."""
    environments: dict[YStr, Environment] = Field(default_factory=dict)
    """Env name -> settings."""
    images: dict[YStr, ImageSpec] = Field(default_factory=dict)
    """Images to mirror or build."""
    infrastructure: tuple[InfraItem, ...] = ()
    """Infrastructure blocks, in apply order."""
    services: tuple[Service, ...] = ()
    """Services, in apply order."""
    hooks: HookSet = HookSet.model_construct()
    """``beforeAll``/``afterAll`` hook stages."""
    storage: Storage | None = None
    """PVC shapes for templates (``.Storage``); absent means ``.Storage`` is nil."""
    state: StateConfig = StateConfig.model_construct()
    """codexctl slot-record settings."""
    codex: CodexConfig = CodexConfig.model_construct()
    """Codex agent settings."""
    data_paths: DataPaths | None = None
    """≤0.8 host data directories."""
    template_dialect: Dialect = "go"
    """codexstack: template dialect of this file and its manifests (``go`` or ``jinja``)."""
    double_render: YBool = False
    """codexstack: render template fields again at their use site, as codexctl does (compat)."""
    slots: SlotPolicy = SlotPolicy.model_construct()
    """codexstack: safety objects of slot namespaces."""
    strict: YBool = False
    """codexstack: unknown keys in this file are errors (exit 65) on every command, not only
    in ``validate``; by default each one is a warning, as codexctl ignores them."""

    @property
    def namespace_patterns(self) -> dict[str, str]:
        """``namespace.patterns`` (empty when the block is absent)."""
        return dict(self.namespace.patterns) if self.namespace else {}


document_models(__name__)
