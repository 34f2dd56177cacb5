"""The render pipeline: from a loaded config to each unit's transformed documents (§4.1).

Infrastructure items, then services, in file order. A unit takes part when its ``when`` is
true and it is selected by the filters (unselected units are rendered too when the caller
needs them, e.g. to keep them unchanged in a filtered deploy). Every manifest is rendered and
decoded first; then the scope registry learns the cluster-scoped kinds of any CRD in the
render; then service documents get their transforms while infrastructure documents stay as
written. Warnings (overrides that match nothing, namespaced infra objects without a
namespace, a mount name in both mount lists) are collected, not printed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from codexstack.config import InfraItem, Service, ServicesConfig
from codexstack.errors import ConfigError, Location
from codexstack.render.kinds import KindScopes, cluster_scoped_crd_kinds
from codexstack.render.manifests import TemplateSite, render_manifest
from codexstack.render.select import Filters, UnitKind, WhenSite, evaluate_when
from codexstack.render.transforms import ServiceTransform, image_reference
from codexstack.render.workloads import Doc, host_mount, pvc_mount

FieldRenderFn = Callable[[str, str], str]
"""Render an already-loaded config field again under a site name (double-render mode)."""


@dataclass(frozen=True)
class RenderInputs:
    """Everything the pipeline needs from a loaded config, as plain values and callables."""

    config: ServicesConfig
    env: str
    namespace: str
    source: str
    """services.yaml path as the user named it (for error locations)."""
    site: TemplateSite
    resolve: Callable[[str], Path]
    """A manifest path as written -> absolute path inside the project (refuses others)."""
    locate: Callable[[tuple[str | int, ...]], Location] | None = None
    """Key path in services.yaml -> its location (for errors about manifest references)."""
    render_field: FieldRenderFn | None = None
    """Set when ``doubleRender`` is on: fields are rendered again at their site (codexctl)."""
    scopes: KindScopes = field(default_factory=KindScopes)


@dataclass(frozen=True)
class RenderedDoc:
    """One document of a unit: its manifest path, index in that file and the object."""

    source: str
    index: int
    obj: Doc


@dataclass(frozen=True)
class RenderedUnit:
    """An enabled unit with its documents (after transforms for services)."""

    kind: UnitKind
    name: str
    selected: bool
    item: InfraItem | Service
    documents: tuple[RenderedDoc, ...]


@dataclass
class RenderResult:
    """The pipeline's outcome: units in apply order and the warnings met on the way."""

    units: list[RenderedUnit] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def documents(self, *, selected_only: bool = True) -> list[Doc]:
        """Objects in apply order (infrastructure first)."""
        return [d.obj for u in self.units if u.selected or not selected_only for d in u.documents]


def _field(inputs: RenderInputs, text: str, site: str) -> str:
    return inputs.render_field(text, site) if inputs.render_field is not None else text


def unit_enabled(inputs: RenderInputs, when: str, site: str) -> bool:
    """Evaluate an infra/service ``when`` (rendered again only in double-render mode)."""
    rendered = _field(inputs, when, site) if when.strip() else when
    return evaluate_when(when, rendered, WhenSite.unit).enabled


def _resolve(inputs: RenderInputs, rel: str, key: tuple[str | int, ...]) -> Path:
    """The manifest's path, refused (F3) at the line of its ``path`` key in services.yaml."""
    try:
        return inputs.resolve(rel)
    except ConfigError as exc:
        if inputs.locate is None:
            raise
        raise ConfigError(exc.message, location=inputs.locate(key), hint=exc.hint) from None


def _raw_documents(
    inputs: RenderInputs, unit: InfraItem | Service, key: tuple[str | int, ...]
) -> list[RenderedDoc]:
    docs: list[RenderedDoc] = []
    for number, ref in enumerate(unit.manifests):
        path = _resolve(inputs, ref.path, (*key, "manifests", number, "path"))
        for index, obj in enumerate(render_manifest(path, ref.path, inputs.site)):
            docs.append(RenderedDoc(ref.path, index, obj))
    return docs


def _units(
    cfg: ServicesConfig,
) -> list[tuple[UnitKind, tuple[str | int, ...], InfraItem | Service]]:
    """Every unit in apply order with its key path in services.yaml."""
    infra: list[tuple[UnitKind, tuple[str | int, ...], InfraItem | Service]] = [
        ("infra", ("infrastructure", i), item) for i, item in enumerate(cfg.infrastructure)
    ]
    return infra + [("service", ("services", i), svc) for i, svc in enumerate(cfg.services)]


def render_units(
    inputs: RenderInputs, filters: Filters, *, include_unselected: bool = False
) -> RenderResult:
    """Render every enabled unit that is selected (or every enabled one, if asked)."""
    cfg = inputs.config
    locate = inputs.locate
    filters.check_names(
        [s.name for s in cfg.services],
        [i.name for i in cfg.infrastructure],
        source=inputs.source,
        locate=(lambda section: locate((section,))) if locate else None,
    )
    result = RenderResult()
    staged: list[tuple[UnitKind, InfraItem | Service, bool, list[RenderedDoc]]] = []
    for kind, key, unit in _units(cfg):
        selected = filters.admits(kind, unit.name)
        site = "infra-when" if kind == "infra" else "service-when"
        if not (selected or include_unselected) or not unit_enabled(inputs, unit.when, site):
            continue
        staged.append((kind, unit, selected, _raw_documents(inputs, unit, key)))
    every_doc = (d.obj for _, _, _, docs in staged for d in docs)
    scopes = inputs.scopes.with_kinds(cluster_scoped_crd_kinds(every_doc))
    for kind, unit, selected, raw in staged:
        if isinstance(unit, Service):
            docs = _transform_service(inputs, unit, raw, scopes, result.warnings)
        else:
            docs = raw
            result.warnings.extend(_unscoped_infra(unit.name, docs, scopes))
        result.units.append(RenderedUnit(kind, unit.name, selected, unit, tuple(docs)))
    return result


def service_transform(
    inputs: RenderInputs, service: Service, scopes: KindScopes
) -> ServiceTransform:
    """The transforms the service's overlay for the selected env asks for."""
    overlay = service.overlays.get(inputs.env)
    image = None
    if service.image.repository.strip():
        tag = _field(inputs, service.image.tag_template, "tag")
        image = image_reference(service.image.repository, tag)
    if overlay is None:
        return ServiceTransform(service.name, inputs.namespace, scopes, image=image)
    return ServiceTransform(
        service.name,
        inputs.namespace,
        scopes,
        drop_kinds=overlay.drop_kinds,
        image=image,
        host_mounts=[
            host_mount(m.name, m.host_path, m.mount_path, m.host_path_type)
            for m in overlay.host_mounts
        ],
        pvc_mounts=[
            pvc_mount(m.name, m.claim_name, m.mount_path, m.sub_path, m.read_only)
            for m in overlay.pvc_mounts
        ],
    )


def _transform_service(
    inputs: RenderInputs,
    service: Service,
    docs: list[RenderedDoc],
    scopes: KindScopes,
    warnings: list[str],
) -> list[RenderedDoc]:
    transform = service_transform(inputs, service, scopes)
    out: list[RenderedDoc] = []
    for doc in docs:
        obj = transform.apply(doc.obj)
        if obj is not None:
            out.append(RenderedDoc(doc.source, doc.index, obj))
    if out:
        warnings.extend(f"service '{service.name}': {note}" for note in transform.unmatched())
    both = {m.name for m in transform.host_mounts} & {m.name for m in transform.pvc_mounts}
    warnings.extend(
        f"service '{service.name}': volume '{name}' is in both hostMounts and pvcMounts "
        f"for env '{inputs.env}'; the pvcMounts entry wins"
        for name in sorted(both)
    )
    return out


def _unscoped_infra(name: str, docs: Iterable[RenderedDoc], scopes: KindScopes) -> list[str]:
    """Warnings for namespaced infra objects without a namespace (kubectl's default lands them)."""
    notes = []
    for doc in docs:
        kind = doc.obj.get("kind")
        meta = doc.obj.get("metadata")
        ns = meta.get("namespace") if isinstance(meta, dict) else None
        if isinstance(kind, str) and kind and scopes.is_namespaced(kind) and not ns:
            obj_name = meta.get("name", "?") if isinstance(meta, dict) else "?"
            notes.append(
                f"infrastructure '{name}': {kind} '{obj_name}' ({doc.source}) has no "
                f"metadata.namespace; it goes to the cluster's default namespace"
            )
    return notes
