"""Claims get volumes on the local cluster: the local-path provisioner end to end.

A StatefulSet with a ``volumeClaimTemplate`` and a plain claim, both of class ``standard``, in
a fresh namespace: each claim is Bound to a ``pvc-<uid>`` volume whose directory sits under the
cluster's ``volumes/``, the StatefulSet's pod is scheduled and Running on the kwok node, and
deleting the plain claim deletes its volume and directory. The API is read with the admin
certificate (``probes.request``), so polling costs no kubectl process.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from codexstack.cluster import probes, storage, volumes
from codexstack.cluster.health import ClusterStatus
from codexstack.cluster.layout import Layout

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]

BIND_WITHIN = 20.0


class Api:
    """JSON over the admin certificate of the cluster under test."""

    def __init__(self, cluster: ClusterStatus) -> None:
        self.layout = Layout(Path(cluster.state_dir))
        ports = self.layout.load_ports()
        assert ports is not None
        self.port = ports.apiserver

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        code, text = probes.request(self.port, path, pki=self.layout.pki, method=method, body=body)
        assert code < 300 or (method == "DELETE" and code == 404), f"{method} {path}: {code} {text}"
        return json.loads(text) if code < 300 else None

    def get(self, path: str) -> Any:
        code, text = probes.request(self.port, path, pki=self.layout.pki)
        return json.loads(text) if code == 200 else None


def wait_for(what: str, check: Callable[[], Any], timeout: float) -> tuple[Any, float]:
    """The first truthy value of ``check`` and the seconds it took."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        value = check()
        if value:
            return value, time.monotonic() - start
        time.sleep(0.2)
    pytest.fail(f"{what} not within {timeout:.0f} s")


def claim(namespace: str, name: str, size: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {
            "storageClassName": "standard",
            "accessModes": ["ReadWriteOnce"],
            "resources": {"requests": {"storage": size}},
        },
    }


def stateful_set(namespace: str) -> dict[str, Any]:
    labels = {"app": "db"}
    template = claim(namespace, "data", "2Gi")
    del template["metadata"]["namespace"]
    return {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "db", "namespace": namespace},
        "spec": {
            "serviceName": "db",
            "replicas": 1,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "containers": [
                        {
                            "name": "db",
                            "image": "postgres:16",
                            "volumeMounts": [{"name": "data", "mountPath": "/data"}],
                        }
                    ]
                },
            },
            "volumeClaimTemplates": [template],
        },
    }


@pytest.fixture
def namespace(cluster: ClusterStatus) -> Iterator[tuple[Api, str]]:
    api = Api(cluster)
    name = f"itest-storage-{secrets.token_hex(3)}"
    api.call("POST", "/api/v1/namespaces", {"metadata": {"name": name}})
    yield api, name
    # The StatefulSet's claim goes with the namespace; its volume is then reclaimed too.
    api.call("DELETE", f"/api/v1/namespaces/{name}")


def bound_volume(api: Api, namespace: str, name: str) -> dict[str, Any] | None:
    pvc = api.get(f"/api/v1/namespaces/{namespace}/persistentvolumeclaims/{name}")
    if not pvc or pvc.get("status", {}).get("phase") != "Bound":
        return None
    volume: dict[str, Any] | None = api.get(
        f"/api/v1/persistentvolumes/{pvc['spec']['volumeName']}"
    )
    if volume is not None:
        assert volume["spec"]["claimRef"]["uid"] == pvc["metadata"]["uid"]
    return volume


def test_storage_classes_are_ours_and_standard_is_default(cluster: ClusterStatus) -> None:
    api = Api(cluster)
    for name, default in volumes.CLASSES.items():
        sc = api.get(f"/apis/storage.k8s.io/v1/storageclasses/{name}")
        assert sc is not None, name
        assert (sc["provisioner"], sc["volumeBindingMode"], sc["reclaimPolicy"]) == (
            volumes.PROVISIONER,
            "Immediate",
            "Delete",
        )
        annotations = sc["metadata"].get("annotations") or {}
        assert (annotations.get(volumes.DEFAULT_CLASS) == "true") is default
    assert cluster.component(storage.COMPONENT).healthy


def test_claims_bind_pods_run_and_released_volumes_go(namespace: tuple[Api, str]) -> None:
    api, ns = namespace
    root = storage.volumes_root(api.layout).resolve()
    api.call("POST", f"/api/v1/namespaces/{ns}/persistentvolumeclaims", claim(ns, "scratch", "1Gi"))
    api.call("POST", f"/apis/apps/v1/namespaces/{ns}/statefulsets", stateful_set(ns))

    plain, plain_took = wait_for(
        "plain claim Bound", lambda: bound_volume(api, ns, "scratch"), BIND_WITHIN
    )
    data, data_took = wait_for(
        "template claim Bound", lambda: bound_volume(api, ns, "data-db-0"), BIND_WITHIN
    )
    print(f"bound after {plain_took:.1f} s (plain) and {data_took:.1f} s (template)")
    for volume, size in ((plain, "1Gi"), (data, "2Gi")):
        assert volume["spec"]["capacity"]["storage"] == size
        assert volume["metadata"]["annotations"][volumes.PROVISIONED_BY] == volumes.PROVISIONER
        directory = Path(volume["spec"]["hostPath"]["path"])
        assert directory.parent.resolve() == root
        assert directory.is_dir()

    def running() -> bool:
        pod = api.get(f"/api/v1/namespaces/{ns}/pods/db-0")
        return bool(pod) and pod.get("status", {}).get("phase") == "Running"

    def ready() -> bool:
        sts = api.get(f"/apis/apps/v1/namespaces/{ns}/statefulsets/db")
        return bool(sts) and sts.get("status", {}).get("readyReplicas") == 1

    wait_for("pod db-0 Running", running, 60)
    wait_for("StatefulSet db ready", ready, 60)

    api.call("DELETE", f"/api/v1/namespaces/{ns}/persistentvolumeclaims/scratch")
    name = plain["metadata"]["name"]
    wait_for(
        f"volume {name} deleted",
        lambda: api.get(f"/api/v1/persistentvolumes/{name}") is None,
        BIND_WITHIN,
    )
    assert not Path(plain["spec"]["hostPath"]["path"]).exists()
    assert Path(data["spec"]["hostPath"]["path"]).is_dir()
