"""Pure shaping of the rendered objects a unit hands to Pulumi (no Pulumi import here).

The Plan's manifests are exactly what ``render`` prints. Before they become Pulumi resources
they get ownership labels (so a slot's objects can be found and audited), lose any
``Namespace`` document for the stack's own namespace (the ``Slot`` component owns that one,
two owners of one object would fight over it on every apply and delete it twice), and are
checked for duplicates across units (two Pulumi resources for one Kubernetes object would
silently overwrite each other). Everything here is a plain function over dicts so that it
is tested without mocks and shared by the components and the tests.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from codexstack import naming
from codexstack.errors import ConfigError, Location
from codexstack.plan import Manifest, Plan, Unit, pod_annotations

Obj = dict[str, Any]


@dataclass(frozen=True)
class ObjectKey:
    """Identity of a Kubernetes object: API group, kind, namespace and name."""

    group: str
    kind: str
    namespace: str
    name: str

    def __str__(self) -> str:
        where = f"{self.namespace}/" if self.namespace else ""
        kind = f"{self.kind}.{self.group}" if self.group else self.kind
        return f"{kind} {where}{self.name}"


def object_key(obj: Mapping[str, Any]) -> ObjectKey:
    """The identity of ``obj``; the API version is left out on purpose (v1beta1 == v1)."""
    api = str(obj.get("apiVersion", ""))
    group = api.rsplit("/", 1)[0] if "/" in api else ""
    meta = obj.get("metadata") or {}
    return ObjectKey(
        group,
        str(obj.get("kind", "")),
        str(meta.get("namespace") or ""),
        str(meta.get("name") or ""),
    )


def stack_labels(plan: Plan) -> dict[str, str]:
    """Labels every object of the stack carries (from naming, so all tools agree)."""
    return naming.common_labels(plan.project, plan.env, plan.slot)


def unit_labels(plan: Plan, unit: Unit) -> dict[str, str]:
    """Stack labels plus the unit the object came from."""
    return {**stack_labels(plan), naming.LABEL_UNIT: naming.label_value(unit.name)}


def with_labels(obj: Mapping[str, Any], labels: Mapping[str, str]) -> Obj:
    """A deep copy of ``obj`` whose ``metadata.labels`` include ``labels`` (ours win)."""
    out: Obj = copy.deepcopy(dict(obj))
    meta = out.setdefault("metadata", {})
    meta["labels"] = {**(meta.get("labels") or {}), **labels}
    return out


def is_own_namespace(obj: Mapping[str, Any], namespace: str) -> bool:
    """True for a ``Namespace`` document naming the stack's namespace."""
    return bool(namespace) and object_key(obj) == ObjectKey("", "Namespace", "", namespace)


def namespace_overrides(plan: Plan) -> tuple[dict[str, str], dict[str, str]]:
    """Labels and annotations of the manifests' own ``Namespace`` document(s), merged in order.

    A project's manifests often carry ``kind: Namespace`` for its namespace; codexstack keeps
    what they say (labels, annotations) but lets the Slot component be its only owner.
    """
    labels: dict[str, str] = {}
    annotations: dict[str, str] = {}
    for unit in plan.units():
        for manifest in unit.manifests:
            if is_own_namespace(manifest.obj, plan.namespace):
                meta = manifest.obj.get("metadata") or {}
                labels.update({str(k): str(v) for k, v in (meta.get("labels") or {}).items()})
                annotations.update(
                    {str(k): str(v) for k, v in (meta.get("annotations") or {}).items()}
                )
    return labels, annotations


def unit_objects(plan: Plan, unit: Unit) -> list[Obj]:
    """The objects a unit's component applies: labelled, without the stack's own Namespace.

    That document is either merged into the Slot (a stack that owns its namespace) or left to
    the environment that does own it (``ai-repair`` works inside staging's namespace and must
    never manage, let alone delete, it). Workloads running a prepared image carry its digest
    as a pod-template annotation (:func:`with_image_digests`).
    """
    labels = unit_labels(plan, unit)
    return [
        with_image_digests(with_labels(m.obj, labels), plan.image_digests)
        for m in unit.manifests
        if not is_own_namespace(m.obj, plan.namespace)
    ]


def _pod_template(obj: Obj) -> Obj | None:
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return None
    if obj.get("kind") == "CronJob":
        job = spec.get("jobTemplate")
        spec = job.get("spec") if isinstance(job, dict) else None
        if not isinstance(spec, dict):
            return None
    template = spec.get("template")
    return template if isinstance(template, dict) else None


def with_image_digests(obj: Obj, digests: Mapping[str, str]) -> Obj:
    """``obj`` (already a copy) with ``images.codexstack.io/<container>`` pod annotations.

    Only workloads whose containers run a ref that ``images`` prepared change; the image
    string itself is never touched, so a rebuild under the same tag rolls exactly the
    workloads that use it while the manifests stay what ``render`` prints.
    """
    template = _pod_template(obj) if digests else None
    pod_spec = template.get("spec") if template else None
    if template is None or not isinstance(pod_spec, dict):
        return obj
    found = pod_annotations(pod_spec, digests)
    if found:
        meta = template.setdefault("metadata", {})
        meta["annotations"] = {**(meta.get("annotations") or {}), **found}
    return obj


def check_unique(units: Iterable[Unit], namespace: str = "") -> None:
    """Raise ConfigError for an unnamed object or two documents describing the same object.

    The stack's own ``Namespace`` document may repeat (it is merged, not applied).
    """
    seen: dict[ObjectKey, tuple[Unit, Manifest]] = {}
    for unit in units:
        for manifest in unit.manifests:
            if is_own_namespace(manifest.obj, namespace):
                continue
            key = object_key(manifest.obj)
            if not key.name or not key.kind:
                raise ConfigError(
                    f"a {unit.kind} '{unit.name}' document has no kind or metadata.name",
                    location=Location(file=manifest.source, key=f"document {manifest.index + 1}"),
                    hint="every object needs an explicit name (generateName is not supported)",
                )
            if key in seen:
                first_unit, first = seen[key]
                raise ConfigError(
                    f"{key} is defined twice: in {unit.kind} '{unit.name}' and in "
                    f"{first_unit.kind} '{first_unit.name}' ({first.source} document "
                    f"{first.index + 1})",
                    location=Location(file=manifest.source, key=f"document {manifest.index + 1}"),
                    hint="keep one definition; each object must belong to exactly one unit",
                )
            seen[key] = (unit, manifest)
