"""What the local-path provisioner makes: its StorageClasses, one PV per claim, its directory.

Pure functions over API objects as plain dicts, so the rules are testable without a cluster.
A claim is ours when its class names :data:`PROVISIONER` and the PV controller has handed it
to that provisioner (the ``storage-provisioner`` annotation it sets only after finding no
existing volume to bind, so a statically pre-bound PV always wins). Its volume is named
``pvc-<uid>`` (creating it twice is a harmless conflict) and lives in a directory under
``<state>/volumes/``; only direct children of that directory are ever removed.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

PROVISIONER = "codexstack.io/local-path"
PROVISIONED_BY = "pv.kubernetes.io/provisioned-by"
DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class"
# The PV controller sets both names (beta kept for compatibility) when it delegates a claim.
HANDED_TO = (
    "volume.kubernetes.io/storage-provisioner",
    "volume.beta.kubernetes.io/storage-provisioner",
)
CLASSES = {"standard": True, "local-path": False}
"""Class name -> whether it is the cluster's default class."""

Obj = dict[str, Any]


def storage_class(name: str, *, default: bool) -> Obj:
    """A StorageClass served by this provisioner."""
    annotations = {DEFAULT_CLASS: "true"} if default else {}
    return {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": {"name": name, "annotations": annotations},
        "provisioner": PROVISIONER,
        "reclaimPolicy": "Delete",
        "volumeBindingMode": "Immediate",
    }


def missing_classes(existing: list[Obj]) -> list[Obj]:
    """Our StorageClasses that ``existing`` lacks (an existing one of that name is left alone)."""
    names = {item["metadata"]["name"] for item in existing}
    return [storage_class(n, default=d) for n, d in CLASSES.items() if n not in names]


def our_classes(classes: list[Obj]) -> set[str]:
    """Names of the classes whose provisioner is ours."""
    return {c["metadata"]["name"] for c in classes if c.get("provisioner") == PROVISIONER}


def volume_name(claim: Obj) -> str:
    return f"pvc-{claim['metadata']['uid']}"


def wants_volume(claim: Obj, classes: set[str]) -> bool:
    """Whether ``claim`` waits for this provisioner to make its volume."""
    meta, spec = claim["metadata"], claim.get("spec", {})
    annotations = meta.get("annotations") or {}
    return (
        claim.get("status", {}).get("phase", "Pending") == "Pending"
        and not spec.get("volumeName")
        and "deletionTimestamp" not in meta
        and spec.get("storageClassName") in classes
        and any(annotations.get(key) == PROVISIONER for key in HANDED_TO)
    )


def unsupported(claim: Obj) -> str | None:
    """Why a wanted claim cannot be served by an empty directory, or None."""
    spec = claim.get("spec", {})
    if spec.get("selector"):
        return "a selector (dynamic provisioning ignores labels)"
    if spec.get("dataSource") or spec.get("dataSourceRef"):
        return "a data source (a new directory cannot be a clone or snapshot)"
    if spec.get("volumeMode", "Filesystem") != "Filesystem":
        return f"volumeMode {spec['volumeMode']} (only directories are offered)"
    if "storage" not in spec.get("resources", {}).get("requests", {}):
        return "no storage request"
    return None


def volume_dir(root: Path, claim: Obj) -> Path:
    """``<root>/<namespace>-<claim>-<uid prefix>``, short enough for any file system."""
    meta = claim["metadata"]
    stem = f"{meta['namespace']}-{meta['name']}"[:200]
    return root / f"{stem}-{meta['uid'][:8]}"


def persistent_volume(claim: Obj, directory: Path) -> Obj:
    """The PV for ``claim``, pre-bound to it by uid so the PV controller binds the pair."""
    meta, spec = claim["metadata"], claim["spec"]
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {"name": volume_name(claim), "annotations": {PROVISIONED_BY: PROVISIONER}},
        "spec": {
            "capacity": {"storage": spec["resources"]["requests"]["storage"]},
            "accessModes": spec.get("accessModes") or ["ReadWriteOnce"],
            "storageClassName": spec["storageClassName"],
            "persistentVolumeReclaimPolicy": "Delete",
            "volumeMode": "Filesystem",
            "hostPath": {"path": str(directory), "type": "DirectoryOrCreate"},
            "claimRef": {
                "apiVersion": "v1",
                "kind": "PersistentVolumeClaim",
                "namespace": meta["namespace"],
                "name": meta["name"],
                "uid": meta["uid"],
            },
        },
    }


def reclaimable(volume: Obj) -> bool:
    """A volume we provisioned whose claim is gone and whose policy says delete."""
    annotations = volume["metadata"].get("annotations") or {}
    return (
        annotations.get(PROVISIONED_BY) == PROVISIONER
        and volume.get("status", {}).get("phase") == "Released"
        and volume.get("spec", {}).get("persistentVolumeReclaimPolicy") == "Delete"
        and "deletionTimestamp" not in volume["metadata"]
    )


def remove_dir(volume: Obj, root: Path) -> bool:
    """Delete the volume's directory if it is a direct child of ``root``; False if it is not.

    The path comes from an API object anyone with PV rights can write, so it is resolved
    (symlinks, ``..``) before the check: nothing outside ``root`` is ever removed.
    """
    raw = volume.get("spec", {}).get("hostPath", {}).get("path")
    if not raw:
        return False
    path = Path(raw)
    if path.is_symlink() or path.resolve().parent != root.resolve():
        return False
    if path.exists():
        shutil.rmtree(path)
    return True
