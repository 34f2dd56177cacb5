"""Per-document transforms of service documents (§4.4): dropKinds, namespace injection,
image override and mounts, each rule on its own and in codexctl's order."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from codexstack.render.kinds import KindScopes, cluster_scoped_crd_kinds
from codexstack.render.transforms import (
    ServiceTransform,
    image_reference,
    inject_namespace,
    is_dropped,
)
from codexstack.render.workloads import Target, apply_mounts, host_mount, override_image, pvc_mount


def deployment(name: str = "api", **pod: Any) -> dict[str, Any]:
    spec = {"containers": [{"name": "main", "image": "old:1"}], **pod}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {"template": {"spec": spec}},
    }


def pod_of(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["spec"]["template"]["spec"]


# --- dropKinds -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "drop", "dropped"),
    [
        ("Ingress", ["Ingress"], True),
        ("Ingress", [" ingress "], True),
        ("INGRESS", ["Ingress"], True),
        ("Ingress", ["Service"], False),
        ("Ingress", [], False),
    ],
)
def test_drop_kinds_is_trimmed_and_case_insensitive(
    kind: str, drop: list[str], dropped: bool
) -> None:
    assert is_dropped({"kind": kind}, drop) is dropped


def test_document_without_kind_is_never_dropped() -> None:
    assert not is_dropped({"metadata": {}}, ["Ingress"])


# --- namespace injection ---------------------------------------------------------------------


def test_namespace_injected_when_missing_or_blank() -> None:
    for meta in ({}, {"namespace": ""}, {"namespace": "  "}, {"namespace": None}):
        doc = {"kind": "ConfigMap", "metadata": dict(meta)}
        inject_namespace(doc, "ns1", KindScopes())
        assert doc["metadata"]["namespace"] == "ns1"


def test_existing_namespace_is_kept() -> None:
    doc = {"kind": "ConfigMap", "metadata": {"namespace": "other"}}
    inject_namespace(doc, "ns1", KindScopes())
    assert doc["metadata"]["namespace"] == "other"


def test_metadata_is_created_when_absent() -> None:
    doc: dict[str, Any] = {"kind": "Secret"}
    inject_namespace(doc, "ns1", KindScopes())
    assert doc == {"kind": "Secret", "metadata": {"namespace": "ns1"}}


@pytest.mark.parametrize("doc", [{"metadata": {}}, {"kind": "", "metadata": {}}])
def test_no_kind_no_injection(doc: dict[str, Any]) -> None:
    before = copy.deepcopy(doc)
    inject_namespace(doc, "ns1", KindScopes())
    assert doc == before


def test_empty_namespace_means_no_injection() -> None:
    doc = {"kind": "ConfigMap", "metadata": {}}
    inject_namespace(doc, "", KindScopes())
    assert doc == {"kind": "ConfigMap", "metadata": {}}


@pytest.mark.parametrize(
    "kind", ["StorageClass", "PriorityClass", "CustomResourceDefinition", "IngressClass"]
)
def test_registry_leaves_cluster_scoped_kinds_alone_but_codexctl_does_not(kind: str) -> None:
    registry = {"kind": kind, "metadata": {"name": "x"}}
    inject_namespace(registry, "ns1", KindScopes())
    assert "namespace" not in registry["metadata"]
    compat = {"kind": kind, "metadata": {"name": "x"}}
    inject_namespace(compat, "ns1", KindScopes(codexctl=True))
    assert compat["metadata"]["namespace"] == "ns1"


@pytest.mark.parametrize(
    "kind", ["Namespace", "ClusterRole", "ClusterRoleBinding", "PersistentVolume"]
)
def test_codexctl_short_list_is_skipped_in_both_modes(kind: str) -> None:
    for scopes in (KindScopes(), KindScopes(codexctl=True)):
        doc = {"kind": kind, "metadata": {"name": "x"}}
        inject_namespace(doc, "ns1", scopes)
        assert "namespace" not in doc["metadata"]


def test_codexctl_short_list_is_case_sensitive() -> None:
    doc = {"kind": "namespace", "metadata": {}}
    inject_namespace(doc, "ns1", KindScopes(codexctl=True))
    assert doc["metadata"]["namespace"] == "ns1"


def test_list_items_get_the_namespace_in_registry_mode() -> None:
    doc = {
        "kind": "List",
        "items": [{"kind": "ConfigMap", "metadata": {}}, {"kind": "StorageClass", "metadata": {}}],
    }
    inject_namespace(doc, "ns1", KindScopes())
    assert "metadata" not in doc
    assert doc["items"][0]["metadata"] == {"namespace": "ns1"}
    assert doc["items"][1]["metadata"] == {}


def test_crd_discovery_adds_cluster_scoped_custom_kinds() -> None:
    crds = [
        {
            "kind": "CustomResourceDefinition",
            "spec": {"scope": "Cluster", "names": {"kind": "Tenant"}},
        },
        {
            "kind": "CustomResourceDefinition",
            "spec": {"scope": "Namespaced", "names": {"kind": "Widget"}},
        },
        {"kind": "ConfigMap"},
    ]
    kinds = cluster_scoped_crd_kinds(crds)
    assert kinds == {"Tenant"}
    scopes = KindScopes().with_kinds(kinds)
    assert not scopes.is_namespaced("Tenant")
    assert scopes.is_namespaced("Widget")


# --- image override --------------------------------------------------------------------------


def test_image_override_replaces_first_container_only() -> None:
    doc = deployment(containers=[{"name": "a", "image": "old:1"}, {"name": "b", "image": "old:1"}])
    assert override_image(doc, Target("api"), "reg/api:2")
    assert [c["image"] for c in pod_of(doc)["containers"]] == ["reg/api:2", "old:1"]


def test_init_containers_with_empty_or_previous_image_follow() -> None:
    inits = [
        {"name": "same", "image": "old:1"},
        {"name": "empty", "image": ""},
        {"name": "missing"},
        {"name": "other", "image": "busybox:1"},
    ]
    doc = deployment(initContainers=inits)
    override_image(doc, Target("api"), "reg/api:2")
    assert [c.get("image") for c in pod_of(doc)["initContainers"]] == [
        "reg/api:2",
        "reg/api:2",
        "reg/api:2",
        "busybox:1",
    ]


@pytest.mark.parametrize(
    "doc",
    [
        deployment(name="web"),
        {**deployment(), "kind": "StatefulSet"},
        {**deployment(), "kind": "Job"},
    ],
)
def test_image_override_needs_a_deployment_named_like_the_service(doc: dict[str, Any]) -> None:
    before = copy.deepcopy(doc)
    assert not override_image(doc, Target("api"), "reg/api:2")
    assert doc == before


def test_target_can_aim_at_other_kinds_and_containers() -> None:
    cron = {
        "kind": "CronJob",
        "metadata": {"name": "api"},
        "spec": {
            "jobTemplate": {
                "spec": {
                    "template": {
                        "spec": {
                            "containers": [
                                {"name": "side", "image": "s:1"},
                                {"name": "job", "image": "j:1"},
                            ]
                        }
                    }
                }
            }
        },
    }
    target = Target("api", kinds=frozenset({"CronJob"}), container="job")
    assert override_image(cron, target, "reg/api:2")
    images = [
        c["image"] for c in cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"]
    ]
    assert images == ["s:1", "reg/api:2"]


@pytest.mark.parametrize(
    ("repo", "tag", "ref"),
    [
        ("reg/api", "1.2", "reg/api:1.2"),
        ("reg/api", "  ", "reg/api"),
        ("  ", "1", None),
        ("reg/api", " 3 ", "reg/api:3"),
    ],
)
def test_image_reference(repo: str, tag: str, ref: str | None) -> None:
    assert image_reference(repo, tag) == ref


# --- mounts ----------------------------------------------------------------------------------


def test_pvc_mount_replaces_same_named_volume_and_mounts_everywhere_relevant() -> None:
    doc = deployment(
        containers=[
            {
                "name": "main",
                "volumeMounts": [
                    {"name": "src", "mountPath": "/old"},
                    {"name": "tmp", "mountPath": "/tmp"},
                ],
            },
            {"name": "side", "volumeMounts": [{"name": "src", "mountPath": "/old"}]},
        ],
        initContainers=[{"name": "init"}],
        volumes=[{"name": "src", "emptyDir": {}}, {"name": "tmp", "emptyDir": {}}],
    )
    mount = pvc_mount("src", "ws", "/app", sub_path="1/src", read_only=True)
    assert apply_mounts(doc, Target("api"), [mount])
    pod = pod_of(doc)
    assert pod["volumes"] == [
        {"name": "tmp", "emptyDir": {}},
        {"name": "src", "persistentVolumeClaim": {"claimName": "ws"}},
    ]
    expected_mount = {"name": "src", "mountPath": "/app", "subPath": "1/src", "readOnly": True}
    assert pod["containers"][0]["volumeMounts"] == [
        {"name": "tmp", "mountPath": "/tmp"},
        expected_mount,
    ]
    assert pod["containers"][1]["volumeMounts"] == [{"name": "src", "mountPath": "/old"}]
    assert pod["initContainers"][0]["volumeMounts"] == [expected_mount]
    # each container owns its copy
    assert (
        pod["initContainers"][0]["volumeMounts"][0] is not pod["containers"][0]["volumeMounts"][1]
    )


def test_incomplete_pvc_entry_gives_a_mount_but_no_volume() -> None:
    doc = deployment(volumes=[{"name": "src", "emptyDir": {}}])
    apply_mounts(doc, Target("api"), [pvc_mount("src", "", "/app")])
    pod = pod_of(doc)
    assert pod["volumes"] == []
    assert pod["containers"][0]["volumeMounts"] == [{"name": "src", "mountPath": "/app"}]


def test_host_mount_defaults_to_directory_type() -> None:
    doc = deployment()
    apply_mounts(doc, Target("api"), [host_mount("src", "/srv/src", "/app")])
    assert pod_of(doc)["volumes"] == [
        {"name": "src", "hostPath": {"path": "/srv/src", "type": "Directory"}}
    ]
    socket = deployment()
    apply_mounts(
        socket, Target("api"), [host_mount("dock", "/var/run/docker.sock", "/sock", "Socket")]
    )
    assert pod_of(socket)["volumes"][0]["hostPath"]["type"] == "Socket"


def test_no_mounts_leaves_the_document_unchanged() -> None:
    doc = deployment()
    before = copy.deepcopy(doc)
    assert not apply_mounts(doc, Target("api"), [])
    assert doc == before


# --- the chain -------------------------------------------------------------------------------


def test_service_transform_runs_in_codexctl_order() -> None:
    transform = ServiceTransform(
        service="api",
        namespace="shop-dev",
        drop_kinds=["Ingress"],
        image="reg/api:2",
        host_mounts=[host_mount("src", "/host/api", "/app")],
        pvc_mounts=[pvc_mount("src", "ws", "/app")],
    )
    assert transform.apply({"kind": "Ingress", "metadata": {"name": "api"}}) is None
    doc = transform.apply(deployment())
    assert doc is not None
    assert doc["metadata"]["namespace"] == "shop-dev"
    pod = pod_of(doc)
    assert pod["containers"][0]["image"] == "reg/api:2"
    # pvcMounts run after hostMounts, so the PVC wins the shared volume name
    assert pod["volumes"] == [{"name": "src", "persistentVolumeClaim": {"claimName": "ws"}}]
    assert transform.unmatched() == []


def test_unmatched_overrides_are_reported() -> None:
    transform = ServiceTransform(
        service="api", namespace="", image="reg/api:2", pvc_mounts=[pvc_mount("src", "ws", "/app")]
    )
    transform.apply(deployment(name="other"))
    notes = transform.unmatched()
    assert len(notes) == 2
    assert all("Deployment named 'api'" in n for n in notes)
