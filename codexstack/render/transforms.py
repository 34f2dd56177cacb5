"""The per-document transforms of service documents, in codexctl's order (§4.4).

For each document of a service: dropKinds → namespace injection → image override → hostMounts
then pvcMounts. Infrastructure documents get none of these. :class:`ServiceTransform` holds
what one service's overlay for the selected environment asks for and applies it to each of
its documents, remembering whether the image override and the mounts found their workload so
that the caller can warn about overrides that matched nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from codexstack.render.kinds import LIST_KINDS, KindScopes
from codexstack.render.workloads import Doc, Mount, Target, apply_mounts, override_image


def is_dropped(doc: Mapping[str, Any], drop_kinds: Collection[str]) -> bool:
    """True when the document's ``kind`` is in ``drop_kinds`` (trimmed, case-insensitive)."""
    kind = doc.get("kind")
    if kind is None or not drop_kinds:
        return False
    wanted = {k.strip().lower() for k in drop_kinds}
    return str(kind).strip().lower() in wanted


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def inject_namespace(doc: Doc, namespace: str, scopes: KindScopes) -> None:
    """Set ``metadata.namespace`` on a namespaced object that has none (§4.4, D-NSINJECT).

    codexctl's rule: a non-empty namespace, a non-empty ``kind`` outside its short list and a
    missing or blank ``metadata.namespace``. With the registry, cluster-scoped kinds are left
    alone and the items of a ``List`` are treated as objects of their own.
    """
    kind = doc.get("kind")
    if not namespace or _blank(kind) or not scopes.is_namespaced(str(kind)):
        if not scopes.codexctl and kind in LIST_KINDS:
            for item in doc.get("items") or []:
                if isinstance(item, dict):
                    inject_namespace(item, namespace, scopes)
        return
    meta = doc.get("metadata")
    if not isinstance(meta, dict):
        meta = {}
        doc["metadata"] = meta
    if _blank(meta.get("namespace")):
        meta["namespace"] = namespace


@dataclass
class ServiceTransform:
    """One service's transforms for the selected environment; call :meth:`apply` per document."""

    service: str
    namespace: str
    scopes: KindScopes = field(default_factory=KindScopes)
    drop_kinds: Sequence[str] = ()
    image: str | None = None
    """The full image reference (``repository[:tag]``), or None when there is no override."""
    host_mounts: Sequence[Mount] = ()
    pvc_mounts: Sequence[Mount] = ()
    image_target: Target | None = None
    """Workload the image goes to; None: codexctl's rule (Deployment named like the service)."""
    mount_target: Target | None = None
    """Workload the mounts go to; None: codexctl's rule."""
    image_matched: bool = False
    mounts_matched: bool = False

    @property
    def image_aim(self) -> Target:
        return self.image_target or Target(self.service)

    @property
    def mount_aim(self) -> Target:
        return self.mount_target or Target(self.service)

    def apply(self, doc: Doc) -> Doc | None:
        """Transform one document in place; None when dropKinds removes it."""
        if is_dropped(doc, self.drop_kinds):
            return None
        inject_namespace(doc, self.namespace, self.scopes)
        if self.image is not None and override_image(doc, self.image_aim, self.image):
            self.image_matched = True
        for mounts in (self.host_mounts, self.pvc_mounts):
            if apply_mounts(doc, self.mount_aim, mounts):
                self.mounts_matched = True
        return doc

    def unmatched(self) -> list[str]:
        """Human notes for overrides that found no workload in this service's documents."""
        notes: list[str] = []
        if self.image is not None and not self.image_matched:
            notes.append(f"image override matched no {_describe(self.image_aim)}")
        if (self.host_mounts or self.pvc_mounts) and not self.mounts_matched:
            notes.append(f"mounts matched no {_describe(self.mount_aim)}")
        return notes


def _describe(target: Target) -> str:
    kinds = "/".join(sorted(target.kinds))
    return f"{kinds} named '{target.name}'"


def image_reference(repository: str, tag: str) -> str | None:
    """``repository`` or ``repository:tag`` (trimmed tag), None when the repository is blank."""
    repo = repository.strip()
    if not repo:
        return None
    tag = tag.strip()
    return f"{repo}:{tag}" if tag else repo
