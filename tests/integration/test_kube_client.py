"""The one Kubernetes client against the real local kube-apiserver.

Pagination, server-side apply and merge patch content types, the ``Accept`` override, the
error type's status and reason, and the built-in hook that copies a TLS Secret byte for byte
(issue 14 item 11: a non-ASCII certificate bundle used to come out re-encoded).
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from codexstack import kube
from codexstack.cluster.health import ClusterStatus
from codexstack.config.models_workloads import HookStep
from codexstack.deploy.builtins import BUILTINS
from codexstack.deploy.hooks import HookEnv, HookRunner
from codexstack.plan.model import ClusterTarget, Plan

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]


@pytest.fixture
def client(cluster: ClusterStatus) -> Iterator[kube.Client]:
    api = kube.Client.from_kubeconfig(Path(cluster.kubeconfig))
    yield api
    api.close()


@pytest.fixture
def namespace(client: kube.Client) -> Iterator[str]:
    name = f"kube-client-{secrets.token_hex(3)}"
    client.request("POST", "/api/v1/namespaces", {"metadata": {"name": name}}).expect()
    yield name
    client.request("DELETE", kube.path_of("api", "v1", "namespaces", name)).expect(ok=(404,))


def configmaps(namespace: str, *name: str) -> str:
    return kube.path_of("api", "v1", "namespaces", namespace, "configmaps", *name)


def test_list_follows_continue_tokens(client: kube.Client, namespace: str) -> None:
    for index in range(7):
        client.request(
            "POST", configmaps(namespace), {"metadata": {"name": f"cm-{index}"}}
        ).expect()
    names = {i["metadata"]["name"] for i in client.list(configmaps(namespace), page_size=3)}
    assert {f"cm-{index}" for index in range(7)} <= names  # plus kube-root-ca.crt
    first = client.request("GET", configmaps(namespace), query={"limit": "3"}).expect()
    assert len(first["items"]) == 3
    assert first["metadata"]["continue"]


def test_server_side_apply_and_merge_patch(client: kube.Client, namespace: str) -> None:
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "applied"}}
    created = client.apply(
        configmaps(namespace, "applied"), {**body, "data": {"a": "1"}}, manager="kube-test"
    )
    assert created["data"] == {"a": "1"}
    fields = created["metadata"]["managedFields"]
    assert [(f["manager"], f["operation"]) for f in fields] == [("kube-test", "Apply")]
    patched = client.request(
        "PATCH",
        configmaps(namespace, "applied"),
        {"data": {"b": "2"}},
        content_type=kube.MERGE_PATCH,
    ).expect()
    assert patched["data"] == {"a": "1", "b": "2"}


def test_accept_override_and_error_type(client: kube.Client, namespace: str) -> None:
    client.request("POST", configmaps(namespace), {"metadata": {"name": "one"}}).expect()
    answer = client.request("GET", configmaps(namespace, "one"), accept="application/yaml")
    assert answer.ok
    assert answer.body == {}
    assert "name: one" in answer.text
    with pytest.raises(kube.KubeError) as missing:
        client.request("GET", configmaps(namespace, "absent")).expect()
    assert (missing.value.status, missing.value.reason) == (404, "NotFound")
    with pytest.raises(kube.KubeError) as taken:
        client.request("POST", configmaps(namespace), {"metadata": {"name": "one"}}).expect()
    assert (taken.value.status, taken.value.reason) == (409, "AlreadyExists")
    assert client.request("POST", configmaps(namespace), {"metadata": {"name": "one"}}).expect(
        ok=(409,)
    )


def test_reuse_dev_tls_secret_copies_bytes_unchanged(
    cluster: ClusterStatus, client: kube.Client, tmp_path: Path
) -> None:
    project = f"kt{secrets.token_hex(3)}"
    staging, slot_ns = f"{project}-ai-staging", f"{project}-dev-2"
    raw = {"tls.crt": "café ✓".encode() + bytes(range(256)), "tls.key": b"\xff\xfe\x00key"}
    for name in (staging, slot_ns):
        client.request("POST", "/api/v1/namespaces", {"metadata": {"name": name}}).expect()
    try:
        secret_path = kube.path_of("api", "v1", "namespaces", staging, "secrets")
        client.request(
            "POST",
            secret_path,
            {
                "metadata": {"name": f"{project}-dev-2-tls"},
                "type": "Opaque",
                "data": {k: base64.b64encode(v).decode() for k, v in raw.items()},
            },
        ).expect()
        plan = Plan(
            project=project,
            env="ai",
            slot=2,
            namespace=slot_ns,
            stack="ai-2",
            infrastructure=(),
            services=(),
            cluster=ClusterTarget(kubeconfig=str(cluster.kubeconfig)),
            hooks={"beforeAll": (HookStep.model_validate({"use": "codex.reuse-dev-tls-secret"}),)},
        )
        said: list[str] = []
        env = HookEnv(plan, variables={"HOME": str(tmp_path)})
        HookRunner(env, BUILTINS, reporter=lambda p: said.append(p.message)).stage("beforeAll")
        copied = client.request(
            "GET",
            kube.path_of("api", "v1", "namespaces", slot_ns, "secrets", f"{project}-dev-2-tls"),
        ).expect()
        assert {k: base64.b64decode(v) for k, v in copied["data"].items()} == raw
        assert not [line for line in said if "warning" in line], said
    finally:
        for name in (staging, slot_ns):
            client.request("DELETE", kube.path_of("api", "v1", "namespaces", name)).expect(
                ok=(404,)
            )
