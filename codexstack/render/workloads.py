"""Edits inside workload pod templates: the image override and the source mounts (§4.4).

codexctl touches exactly one thing: the ``Deployment`` whose ``metadata.name`` equals the
service name. The image goes into ``containers[0]`` and into every init container whose image
was empty or equal to the old main image; mounts replace same-named volumes and volume mounts
and go into ``containers[0]`` and every init container. :class:`Target` keeps that as the
default and lets a caller aim at other workload kinds, names or containers (D-IMAGE).
Documents are edited in place; they are fresh objects of one render.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

Doc = dict[str, Any]

_POD_SPEC_PATH: Final[Mapping[str, tuple[str, ...]]] = {
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
    "Pod": ("spec",),
}


@dataclass(frozen=True)
class Target:
    """Which workload and container an override or mount is aimed at.

    The default (kinds ``Deployment``, name = service name, first container) is codexctl's rule.
    """

    name: str
    kinds: frozenset[str] = frozenset({"Deployment"})
    container: str | None = None
    """Container name; None means ``containers[0]``."""

    def matches(self, doc: Mapping[str, Any]) -> bool:
        meta = doc.get("metadata")
        name = meta.get("name") if isinstance(meta, Mapping) else None
        return doc.get("kind") in self.kinds and name == self.name


@dataclass(frozen=True)
class Mount:
    """One source mount: the container mount and, when complete, the pod volume it needs."""

    name: str
    mount_path: str
    volume: Mapping[str, Any] | None
    """The volume source (without ``name``), or None when the entry lacks the fields for one."""
    sub_path: str = ""
    read_only: bool = False

    def volume_entry(self) -> Doc:
        return {"name": self.name, **dict(self.volume or {})}

    def mount_entry(self) -> Doc:
        entry: Doc = {"name": self.name, "mountPath": self.mount_path}
        if self.sub_path:
            entry["subPath"] = self.sub_path
        if self.read_only:
            entry["readOnly"] = True
        return entry


def pvc_mount(
    name: str, claim_name: str, mount_path: str, sub_path: str = "", read_only: bool = False
) -> Mount:
    """A 1.0.x ``pvcMounts`` entry; the volume needs name, claimName and mountPath."""
    complete = bool(name and claim_name and mount_path)
    volume = {"persistentVolumeClaim": {"claimName": claim_name}} if complete else None
    return Mount(name, mount_path, volume, sub_path, read_only)


def host_mount(name: str, host_path: str, mount_path: str, host_path_type: str = "") -> Mount:
    """A ≤0.8 ``hostMounts`` entry; the volume needs name, hostPath and mountPath."""
    complete = bool(name and host_path and mount_path)
    volume = {"hostPath": {"path": host_path, "type": host_path_type or "Directory"}}
    return Mount(name, mount_path, volume if complete else None)


def pod_spec(doc: Mapping[str, Any]) -> Doc | None:
    """The pod spec mapping of a workload document, or None if it has none."""
    node: Any = doc
    for key in _POD_SPEC_PATH.get(str(doc.get("kind", "")), ()):
        node = node.get(key) if isinstance(node, Mapping) else None
    return node if isinstance(node, dict) and node is not doc else None


def _dicts(value: Any) -> list[Doc]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _main_container(pod: Doc, target: Target) -> Doc | None:
    containers = _dicts(pod.get("containers"))
    if target.container is None:
        return containers[0] if containers else None
    return next((c for c in containers if c.get("name") == target.container), None)


def override_image(doc: Doc, target: Target, image: str) -> bool:
    """Set the target container's image; return True when ``doc`` was the target."""
    if not target.matches(doc):
        return False
    pod = pod_spec(doc)
    main = _main_container(pod, target) if pod is not None else None
    if pod is None or main is None:
        return True
    previous = main.get("image")
    main["image"] = image
    for init in _dicts(pod.get("initContainers")):
        current = init.get("image")
        if current is None or current in ("", previous):
            init["image"] = image
    return True


def apply_mounts(doc: Doc, target: Target, mounts: Sequence[Mount]) -> bool:
    """Swap same-named volumes and mounts for ``mounts``; True when ``doc`` was the target."""
    if not mounts or not target.matches(doc):
        return False
    pod = pod_spec(doc)
    if pod is None:
        return True
    names = {m.name for m in mounts if m.name}
    volumes = [m.volume_entry() for m in mounts if m.volume is not None]
    _replace(pod, "volumes", names, volumes)
    entries = [m.mount_entry() for m in mounts if m.name and m.mount_path]
    main = _main_container(pod, target)
    for container in ([main] if main is not None else []) + _dicts(pod.get("initContainers")):
        _replace(container, "volumeMounts", names, entries)
    return True


def _replace(owner: Doc, key: str, names: set[str], added: list[Doc]) -> None:
    """Drop entries of ``owner[key]`` named in ``names`` and append copies of ``added``."""
    current = owner.get(key)
    if current is None and not added:
        return
    kept = [
        e
        for e in (current if isinstance(current, list) else [])
        if not (isinstance(e, Mapping) and e.get("name") in names)
    ]
    owner[key] = kept + [_copy(e) for e in added]


def _copy(entry: Doc) -> Doc:
    # Each container gets its own objects so later edits of one never show in another.
    return {k: (_copy(v) if isinstance(v, dict) else v) for k, v in entry.items()}
