"""The local-path provisioner's rules: which claims it serves, the volume it makes, what it deletes.

Plain API objects in, plain objects out; the directory removal runs on a real temporary tree,
including the paths it must refuse (outside the volumes root, ``..``, a symlink).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from codexstack.cluster import volumes

UID = "0123abcd-4567-89ef-0123-456789abcdef"


def claim(**spec: Any) -> dict[str, Any]:
    return {
        "metadata": {
            "name": "data-postgres-0",
            "namespace": "shop-dev",
            "uid": UID,
            "annotations": {volumes.HANDED_TO[0]: volumes.PROVISIONER},
        },
        "spec": {
            "storageClassName": "standard",
            "accessModes": ["ReadWriteOnce"],
            "resources": {"requests": {"storage": "2Gi"}},
            **spec,
        },
        "status": {"phase": "Pending"},
    }


OURS = volumes.our_classes(volumes.missing_classes([]))


def test_missing_classes_are_ours_and_only_standard_is_default() -> None:
    made = volumes.missing_classes([])
    assert {c["metadata"]["name"] for c in made} == set(volumes.CLASSES) == OURS
    defaults = [c["metadata"]["name"] for c in made if c["metadata"]["annotations"]]
    assert defaults == ["standard"]


def test_an_existing_class_of_another_provisioner_is_left_alone() -> None:
    foreign = {"metadata": {"name": "standard"}, "provisioner": "example.com/nfs"}
    assert [c["metadata"]["name"] for c in volumes.missing_classes([foreign])] == ["local-path"]
    assert volumes.our_classes([foreign]) == set()


def test_a_claim_handed_to_us_wants_a_volume() -> None:
    assert volumes.wants_volume(claim(), OURS)
    assert volumes.unsupported(claim()) is None


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c["metadata"].pop("annotations"),  # the PV controller may still bind one
        lambda c: c["metadata"]["annotations"].update({volumes.HANDED_TO[0]: "other.io/x"}),
        lambda c: c["spec"].update(storageClassName="fast"),
        lambda c: c["spec"].update(volumeName="pv-1"),
        lambda c: c["status"].update(phase="Bound"),
        lambda c: c["metadata"].update(deletionTimestamp="2026-01-01T00:00:00Z"),
    ],
)
def test_claims_not_ours_to_serve(change: Any) -> None:
    item = claim()
    change(item)
    assert not volumes.wants_volume(item, OURS)


@pytest.mark.parametrize(
    ("spec", "reason"),
    [
        ({"selector": {"matchLabels": {"a": "b"}}}, "selector"),
        ({"dataSource": {"kind": "PersistentVolumeClaim", "name": "x"}}, "data source"),
        ({"volumeMode": "Block"}, "Block"),
        ({"resources": {}}, "no storage request"),
    ],
)
def test_claims_a_directory_cannot_serve_say_why(spec: dict[str, Any], reason: str) -> None:
    assert reason in (volumes.unsupported(claim(**spec)) or "")


def test_the_volume_is_pre_bound_to_the_claim_by_uid(tmp_path: Path) -> None:
    item = claim(accessModes=["ReadWriteOnce", "ReadOnlyMany"])
    directory = volumes.volume_dir(tmp_path, item)
    pv = volumes.persistent_volume(item, directory)
    assert pv["metadata"]["name"] == f"pvc-{UID}"
    assert pv["metadata"]["annotations"] == {volumes.PROVISIONED_BY: volumes.PROVISIONER}
    spec = pv["spec"]
    assert spec["claimRef"] == {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "namespace": "shop-dev",
        "name": "data-postgres-0",
        "uid": UID,
    }
    assert (spec["capacity"], spec["accessModes"], spec["storageClassName"]) == (
        {"storage": "2Gi"},
        ["ReadWriteOnce", "ReadOnlyMany"],
        "standard",
    )
    assert spec["persistentVolumeReclaimPolicy"] == "Delete"
    assert spec["hostPath"]["path"] == str(tmp_path / "shop-dev-data-postgres-0-0123abcd")


def test_directory_names_stay_short_for_long_claim_names(tmp_path: Path) -> None:
    item = claim()
    item["metadata"].update(namespace="n" * 63, name="c" * 253)
    name = volumes.volume_dir(tmp_path, item).name
    assert len(name) <= 255
    assert name.endswith("-0123abcd")


def released(path: Path | str, **changes: Any) -> dict[str, Any]:
    volume: dict[str, Any] = {
        "metadata": {"name": "pvc-1", "annotations": {volumes.PROVISIONED_BY: volumes.PROVISIONER}},
        "spec": {"persistentVolumeReclaimPolicy": "Delete", "hostPath": {"path": str(path)}},
        "status": {"phase": "Released"},
    }
    for key, value in changes.items():
        volume[key].update(value)
    return volume


def test_only_our_released_delete_volumes_are_reclaimed(tmp_path: Path) -> None:
    assert volumes.reclaimable(released(tmp_path))
    assert not volumes.reclaimable(released(tmp_path, status={"phase": "Bound"}))
    assert not volumes.reclaimable(
        released(tmp_path, spec={"persistentVolumeReclaimPolicy": "Retain"})
    )
    assert not volumes.reclaimable(released(tmp_path, metadata={"annotations": {}}))


def test_directories_are_removed_only_directly_under_the_root(tmp_path: Path) -> None:
    root = tmp_path / "volumes"
    inside = root / "ns-claim-0123abcd"
    (inside / "pgdata").mkdir(parents=True)
    outside = tmp_path / "precious"
    outside.mkdir()
    (root / "link").symlink_to(outside)

    assert volumes.remove_dir(released(inside), root)
    assert not inside.exists()
    assert volumes.remove_dir(released(inside), root)  # already gone: nothing to do
    for path in (outside, root / "link", root / ".." / "precious", root, "/"):
        assert not volumes.remove_dir(released(path), root), path
    assert outside.is_dir()
    assert not volumes.remove_dir(released(""), root)
