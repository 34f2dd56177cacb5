"""What gets deployed: images, infrastructure blocks, services, overlays and hook steps.

Mirrors codexctl's ``ImageSpec``, ``InfraItem``, ``Service``, ``Overlay`` and ``HookStep``
(§2.4–2.6, §5.1) with both generations of overlay mounts: 1.0.x ``pvcMounts`` and ≤0.8
``hostMounts`` (with ``hostPathType``). Template-bearing fields (``when``, ``run``,
``tagTemplate``, ``buildArgs``…) are kept as text; they are rendered later, at their own site.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from codexstack.config.docstrings import document_models
from codexstack.config.models_base import ConfigModel, YBool, YName, YStr


class HookStep(ConfigModel):
    """One hook step: a shell script (``run``) or a built-in action (``use`` + ``with``)."""

    name: YStr = ""
    """Label for logs."""
    run: YStr = ""
    """Bash script (a template); wins over ``use`` when both are set."""
    use: YStr = ""
    """Built-in action, e.g. ``kubectl.wait``, ``github.comment``, ``sleep``."""
    with_: dict[YStr, Any] = Field(default_factory=dict, alias="with")
    """Parameters of the built-in action."""
    when: YStr = ""
    """Template; the step is skipped when it renders empty, ``false``, ``0`` or ``no``."""
    continue_on_error: YBool = False
    """Turn any error of this step into a warning."""
    timeout: YStr = ""
    """Go duration bounding the step (e.g. ``90s``)."""


class ResourceHooks(ConfigModel):
    """Hook stages of one infrastructure block or service."""

    before_apply: tuple[HookStep, ...] = ()
    """Before the apply."""
    after_apply: tuple[HookStep, ...] = ()
    """After the apply."""
    before_destroy: tuple[HookStep, ...] = ()
    """Before the delete."""
    after_destroy: tuple[HookStep, ...] = ()
    """After the delete."""


class HookSet(ConfigModel):
    """Top-level hook stages around a whole apply or destroy."""

    before_all: tuple[HookStep, ...] = ()
    """First of all stages."""
    after_all: tuple[HookStep, ...] = ()
    """Last of all stages."""


class ManifestRef(ConfigModel):
    """A manifest file (a template), relative to the project root."""

    path: YName
    """File path; must stay inside the project."""


class ImageSpec(ConfigModel):
    """An image to mirror (``type: external``) or build (``type: build``)."""

    type: YStr = ""
    """``external`` or ``build`` (case-insensitive); other values are skipped with a warning."""
    from_: YStr = Field(default="", alias="from")
    """external: the source reference."""
    local: YStr = ""
    """external: the mirror destination."""
    repository: YStr = ""
    """build: the repository to push to."""
    tag: YStr = ""
    """build: a literal tag; wins over ``tagTemplate``."""
    tag_template: YStr = ""
    """build: tag template rendered with the full context."""
    dockerfile: YStr = ""
    """build: Dockerfile (default ``Dockerfile``), relative to the project root."""
    context: YStr = ""
    """build: build context (default ``.``); a value with ``://`` is passed through."""
    build_args: dict[YStr, YStr] = Field(default_factory=dict)
    """build: ``--build-arg`` values (templates)."""
    build_contexts: dict[YStr, YStr] = Field(default_factory=dict)
    """build: named extra contexts (templates), relative to the project root."""
    secret_build_args: tuple[YStr, ...] = ()
    """build (codexstack): build args that are secrets: taken from ``buildArgs`` or else the
    process environment, never logged, and refused where the image history would record them."""

    @property
    def kind(self) -> str:
        """The normalised image type (``external``, ``build`` or something to skip)."""
        return self.type.strip().lower()

    @model_validator(mode="after")
    def _fields_for_type(self) -> ImageSpec:
        if self.kind == "external":
            missing = [k for k in ("from_", "local") if not getattr(self, k).strip()]
            if missing:
                names = " and ".join(f"'{k.rstrip('_')}'" for k in missing)
                raise ValueError(f"an external image needs {names}")
        if self.kind == "build" and not self.repository.strip():
            raise ValueError("a build image needs 'repository'")
        return self


class InfraItem(ConfigModel):
    """An infrastructure block: manifests applied before services, untouched by overlays."""

    name: YName
    """Name used by ``--only-infra``/``--skip-infra`` and ``slotBootstrapInfra``."""
    manifests: tuple[ManifestRef, ...] = ()
    """Manifest files, applied in order."""
    when: YStr = ""
    """Template; the block is disabled when it renders ``false``, ``0`` or ``no``."""
    hooks: ResourceHooks = ResourceHooks.model_construct()
    """Hook stages of this block."""


class ServiceImage(ConfigModel):
    """Image override for the service's Deployment (``containers[0]``)."""

    repository: YStr = ""
    """Image repository; the override applies only when non-blank."""
    tag_template: YStr = ""
    """Tag template rendered with the full context; blank gives an untagged reference."""


class Ingress(ConfigModel):
    """Parsed for compatibility; codexctl ignores it."""

    hosts: dict[YStr, YStr] = Field(default_factory=dict)
    """Env name -> host."""


class PVCMount(ConfigModel):
    """1.0.x source mount: a PersistentVolumeClaim volume mounted into the workload."""

    name: YName
    """Volume name (replaces a volume and mounts of the same name)."""
    claim_name: YStr = ""
    """The PVC; without it only the mount is added."""
    mount_path: YName
    """Path in the containers."""
    sub_path: YStr = ""
    """Path inside the volume."""
    read_only: YBool = False
    """Mount read-only."""


class HostMount(ConfigModel):
    """≤0.8 source mount: a hostPath volume mounted into the workload."""

    name: YName
    """Volume name (replaces a volume and mounts of the same name)."""
    host_path: YStr = ""
    """Directory (or socket…) on the node; without it only the mount is added."""
    mount_path: YName
    """Path in the containers."""
    host_path_type: YStr = "Directory"
    """hostPath ``type`` (``Directory``, ``DirectoryOrCreate``, ``Socket``…)."""


class Overlay(ConfigModel):
    """Per-environment changes to a service's documents (keyed by the exact env name)."""

    pvc_mounts: tuple[PVCMount, ...] = ()
    """PVC mounts (applied after hostMounts; a name in both resolves to this one)."""
    host_mounts: tuple[HostMount, ...] = ()
    """hostPath mounts."""
    drop_kinds: tuple[YStr, ...] = ()
    """Kinds removed from the service's documents (case-insensitive)."""


class Service(ConfigModel):
    """An application service: manifests plus image override, overlays and hooks."""

    name: YName
    """Name used by filters; also the Deployment the image override and mounts target."""
    manifests: tuple[ManifestRef, ...] = ()
    """Manifest files, applied in order."""
    image: ServiceImage = ServiceImage.model_construct()
    """Image override."""
    ingress: Ingress | None = None
    """Parsed for compatibility; ignored."""
    when: YStr = ""
    """Template; the service is disabled when it renders ``false``, ``0`` or ``no``."""
    overlays: dict[YStr, Overlay] = Field(default_factory=dict)
    """Env name -> overlay (no inheritance through ``from``)."""
    hooks: ResourceHooks = ResourceHooks.model_construct()
    """Hook stages of this service."""


document_models(__name__)
