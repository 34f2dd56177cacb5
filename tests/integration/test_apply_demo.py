"""The demo on the local cluster through the CLI: apply, no-op, edit, prune, filter, destroy.

Each test copies examples/demo into a temporary project (its own ``.codexstack`` state) and
deploys into a namespace of its own, so tests never share a stack or a namespace. Results are
read from ``--output json`` and checked against the cluster with the built kubectl.
"""

from __future__ import annotations

import json
import subprocess
import uuid
from pathlib import Path

import pytest

from codexstack.cluster.health import ClusterStatus
from tests.integration.apply_support import (
    USED_NAMESPACES,
    available,
    cs,
    demo,
    deploy,
    drop_service,
    edit,
    kget,
    namespace,
    sweep,
    wait_gone,
)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.timeout(1800),
    pytest.mark.usefixtures("sweep"),
]
__all__ = ["demo", "namespace", "sweep"]  # fixtures


def test_demo_lifecycle(demo: Path, cluster: ClusterStatus, kubectl: list[str], namespace: str):
    first = deploy(demo, cluster, namespace, "--wait")
    assert first["changes"]["create"] >= 10
    assert first["changes"]["update"] == first["changes"]["delete"] == 0
    deployments = kget(kubectl, "deployments", "-n", namespace)
    assert deployments is not None
    names = {d["metadata"]["name"] for d in deployments["items"]}
    assert {"api", "web", "redis"} <= names
    assert all(available(d) for d in deployments["items"]), names

    again = deploy(demo, cluster, namespace, "--wait")
    assert again["changes"] == {
        "create": 0,
        "update": 0,
        "delete": 0,
        "same": first["changes"]["create"],
    }

    edit(
        demo / "services/api/deploy.yaml",
        "  SERVICE_VERSION:",
        "  EXTRA_SETTING: 'on'\n  SERVICE_VERSION:",
    )
    edited = deploy(demo, cluster, namespace, "--wait")
    assert edited["changes"]["update"] == 1
    assert edited["changes"]["create"] == edited["changes"]["delete"] == 0
    config = kget(kubectl, "configmap", "api-config", "-n", namespace)
    assert config is not None
    assert config["data"]["EXTRA_SETTING"] == "on"

    drop_service(demo / "services.yaml", "web")
    pruned = deploy(demo, cluster, namespace, "--wait")
    assert pruned["changes"]["delete"] >= 3
    assert pruned["changes"]["create"] == pruned["changes"]["update"] == 0
    assert kget(kubectl, "deployment", "web", "-n", namespace) is None
    assert kget(kubectl, "configmap", "web-config", "-n", namespace) is None

    cs(demo, cluster, "destroy", "--env", "dev", "--namespace", namespace, "--yes")
    assert wait_gone(kubectl, "namespace", namespace), "namespace still there after destroy"


def test_a_filtered_apply_changes_only_the_selection(
    demo: Path, cluster: ClusterStatus, kubectl: list[str], namespace: str
):
    deploy(demo, cluster, namespace)
    edit(
        demo / "services/api/deploy.yaml",
        "  SERVICE_VERSION:",
        "  EXTRA: 'api'\n  SERVICE_VERSION:",
    )
    edit(demo / "services/web/deploy.yaml", "  API_URL:", "  EXTRA: 'web'\n  API_URL:")
    filtered = deploy(demo, cluster, namespace, "--only-services", "api")
    assert filtered["changes"]["update"] == 1
    assert filtered["changes"]["create"] == filtered["changes"]["delete"] == 0
    web = kget(kubectl, "configmap", "web-config", "-n", namespace)
    assert web is not None
    assert "EXTRA" not in web["data"]

    drop_service(demo / "services.yaml", "web")
    kept = deploy(demo, cluster, namespace, "--only-services", "api")
    assert kept["changes"]["delete"] == 0
    assert kget(kubectl, "deployment", "web", "-n", namespace) is not None

    pending = cs(
        demo,
        cluster,
        "preview",
        "--env",
        "dev",
        "--namespace",
        namespace,
        "--detailed-exitcode",
        "-o",
        "json",
        check=False,
    )
    assert pending.returncode == 2, pending.stderr[-3000:]
    assert json.loads(pending.stdout)["changes"]["delete"] >= 3
    cs(demo, cluster, "destroy", "--env", "dev", "--namespace", namespace, "--yes")


def test_a_slot_is_fenced_and_its_agent_holds_least_privilege(
    demo: Path, cluster: ClusterStatus, kubectl: list[str]
):
    slot = 90 + uuid.uuid4().int % 9
    USED_NAMESPACES.append(f"demo-shop-dev-{slot}")
    done = cs(demo, cluster, "apply", "--env", "ai", "--slot", str(slot), "-o", "json")
    result = json.loads(done.stdout)
    ns = result["outputs"]["namespace"]
    assert result["stack"] == f"ai-{slot}"
    for kind, name in (
        ("resourcequota", "codexstack-quota"),
        ("limitrange", "codexstack-limits"),
        ("networkpolicy", "codexstack-default-deny"),
        ("role", "codex-agent"),
        ("rolebinding", "codex-agent"),
    ):
        assert kget(kubectl, kind, name, "-n", ns) is not None, kind
    labels = (kget(kubectl, "namespace", ns) or {})["metadata"]["labels"]
    assert labels["pod-security.kubernetes.io/enforce"] == "baseline"
    agent = f"system:serviceaccount:{ns}:codex"

    def can(verb: str, resource: str, where: str = ns) -> bool:
        kind, _, sub = resource.partition("/")
        extra = [f"--subresource={sub}"] if sub else []
        answer = subprocess.run(
            [*kubectl, "auth", "can-i", verb, kind, *extra, "-n", where, "--as", agent],
            capture_output=True,
            text=True,
            check=False,
        )
        return answer.stdout.strip() == "yes"

    for verb, resource in (
        ("get", "pods"),
        ("get", "pods/log"),
        ("delete", "pods"),
        ("patch", "deployments/scale"),
    ):
        assert can(verb, resource), f"agent may not {verb} {resource}"
    for verb, resource in (
        ("get", "secrets"),
        ("list", "secrets"),
        ("create", "pods/exec"),  # a shell in another pod reads its secrets (issue 14)
        ("create", "pods/portforward"),  # off by default, like exec (issue 11)
        ("get", "pods/attach"),
        ("create", "pods"),
        ("patch", "deployments"),
        ("create", "rolebindings"),
        ("create", "serviceaccounts/token"),
        ("escalate", "roles"),
        ("impersonate", "serviceaccounts"),
    ):
        assert not can(verb, resource), f"agent may {verb} {resource}"
    assert not can("get", "pods", "default")
    cs(demo, cluster, "destroy", "--env", "ai", "--slot", str(slot), "--remove")
    assert wait_gone(kubectl, "namespace", ns)
