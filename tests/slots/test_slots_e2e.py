"""Acceptance of issue 5, end to end on the demo project, the real engine and the local cluster.

``ci ensure-ready --issue 42 --apply`` brings slot N up with every Deployment Available; a
second call reuses N and changes nothing; ``manage-env cleanup --issue 42`` leaves no
namespace, no stack and no claim. Each step is the real ``codexstack`` console script in its
own process. The demo is copied under a unique project name so its slot namespaces cannot
meet anyone else's on the shared local cluster.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from slotkit import Cluster

from codexstack.cluster import tools
from codexstack.kube import path_of
from codexstack.naming import MANAGED_BY, MANAGED_BY_VALUE
from codexstack.slots.namespaces import unavailable_deployments

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.timeout(1800)]

REPO = Path(__file__).resolve().parents[2]
ENTRY = str(Path(sys.executable).parent / "codexstack")


@pytest.fixture
def demo(tmp_path: Path, cluster: Cluster) -> Iterator[tuple[Path, dict[str, str]]]:
    if tools.missing():
        pytest.fail(
            "engine binaries missing: "
            + ", ".join(t.name for t in tools.missing())
            + " (build them with ./scripts/engine, then re-run)",
            pytrace=False,
        )
    project = tmp_path / "demo"
    shutil.copytree(REPO / "examples" / "demo", project)
    name = f"e2e-{secrets.token_hex(3)}"
    services = project / "services.yaml"
    services.write_text(services.read_text().replace("project: demo-shop", f"project: {name}"))
    base = tools.pulumi_process_env()
    env = {k: v for k, v in base.items() if not k.startswith(("CODEXCTL_", "GITHUB_"))}
    env.update(
        KUBECONFIG=str(cluster.kubeconfig),
        CODEXSTACK_SLOTS_REGISTRY="lease",
        CODEXSTACK_SLOTS_NAMESPACE=f"{name}-state",
        GITHUB_OUTPUT=str(tmp_path / "github-output"),
    )
    yield project, env
    cluster.delete_namespace(f"{name}-state")


def codexstack(demo: tuple[Path, dict[str, str]], *args: str) -> dict[str, Any] | list[Any]:
    """Run one command in its own process group; on a timeout the whole group goes."""
    project, env = demo
    proc = subprocess.Popen(
        [ENTRY, *args, "--output", "json"],
        cwd=project,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        stdout, stderr = proc.communicate(timeout=1200)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 0, f"{args}: exit {proc.returncode}\n{stderr[-4000:]}"
    parsed: dict[str, Any] | list[Any] = json.loads(stdout)
    return parsed


def versions(cluster: Cluster, namespace: str) -> dict[str, str]:
    path = path_of("apis", "apps", "v1", "namespaces", namespace, "deployments")
    items = cluster.api().request("GET", path).body.get("items") or []
    return {i["metadata"]["name"]: i["metadata"]["resourceVersion"] for i in items}


def test_ensure_ready_reuse_and_cleanup(
    demo: tuple[Path, dict[str, str]], cluster: Cluster
) -> None:
    first = codexstack(
        demo, "ci", "ensure-ready", "--issue", "42", "--apply", "--wait-timeout", "300s"
    )
    assert isinstance(first, dict)
    slot, namespace = first["slot"], first["namespace"]
    assert (first["created"], first["infra_ready"], first["codexctl_env_ready"]) == (
        True,
        True,
        True,
    )
    assert cluster.namespace_exists(namespace)
    assert unavailable_deployments(cluster.api(), namespace) == []
    before = versions(cluster, namespace)
    assert before
    tags = codexstack(demo, "status", "--env", "ai", "--slot", str(slot))["tags"]  # type: ignore[call-overload]
    assert (tags["codexstack:slot"], tags["codexstack:issue"]) == (str(slot), "42"), tags

    second = codexstack(demo, "ci", "ensure-ready", "--issue", "42", "--apply")
    assert isinstance(second, dict)
    assert (second["slot"], second["created"], second["recreated"]) == (slot, False, False)
    assert versions(cluster, namespace) == before

    cleaned = codexstack(demo, "manage-env", "cleanup", "--issue", "42")
    assert isinstance(cleaned, list)
    assert [(item["slot"], item["outcome"]) for item in cleaned] == [(slot, "released")]
    deadline = time.monotonic() + 120
    while cluster.namespace_exists(namespace) and time.monotonic() < deadline:
        time.sleep(1)
    assert not cluster.namespace_exists(namespace)
    assert codexstack(demo, "slots", "list") == []
    status = codexstack(demo, "status", "--env", "ai", "--slot", str(slot))
    assert isinstance(status, dict)
    assert status["exists"] is False


def test_cleanup_of_a_slot_that_was_never_applied_releases_it(
    demo: tuple[Path, dict[str, str]], cluster: Cluster
) -> None:
    """With a GitHub token set, destroy's ``beforeAll`` hook (``codex.ensure-codex-secrets``)
    creates the namespace of a slot whose stack was never applied; cleanup used to wait for
    that namespace to go and left the slot ``releasing`` for good (its stack owns nothing)."""
    project, env = demo
    with_token = (project, {**env, "CODEXCTL_GH_PAT": "ghp_" + secrets.token_hex(8)})
    claimed = codexstack(with_token, "ci", "ensure-slot", "--issue", "43")
    assert isinstance(claimed, dict)
    namespace = claimed["namespace"]
    assert not cluster.namespace_exists(namespace)  # claimed, never applied
    cleaned = codexstack(
        with_token, "manage-env", "cleanup", "--issue", "43", "--namespace-wait", "60s"
    )
    assert isinstance(cleaned, list)
    assert [(item["slot"], item["outcome"]) for item in cleaned] == [(claimed["slot"], "released")]
    assert not cluster.namespace_exists(namespace)
    assert codexstack(with_token, "slots", "list") == []


def test_cleanup_of_a_slot_whose_apply_died_midway_releases_it(
    demo: tuple[Path, dict[str, str]], cluster: Cluster
) -> None:
    """An apply that died after its hooks made the namespace, before the state recorded it.

    The stack's destroy owns nothing; cleanup used to wait out its namespace wait and leave
    the claim ``releasing``, and every re-run did the same (the namespace never went).
    """
    project, env = demo
    with_token = (project, {**env, "CODEXCTL_GH_PAT": "ghp_" + secrets.token_hex(8)})
    claimed = codexstack(with_token, "ci", "ensure-slot", "--issue", "44")
    assert isinstance(claimed, dict)
    namespace = claimed["namespace"]
    labels = {MANAGED_BY: MANAGED_BY_VALUE}  # what codex.ensure-codex-secrets creates
    body = {"metadata": {"name": namespace, "labels": labels}}
    assert cluster.api().request("POST", path_of("api", "v1", "namespaces"), body).ok
    cleaned = codexstack(
        with_token, "manage-env", "cleanup", "--issue", "44", "--namespace-wait", "60s"
    )
    assert isinstance(cleaned, list)
    assert [(item["slot"], item["outcome"]) for item in cleaned] == [(claimed["slot"], "released")]
    assert not cluster.namespace_exists(namespace)
    assert codexstack(with_token, "slots", "list") == []
