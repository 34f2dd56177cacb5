"""The Automation API drives the built engine and provider against the local cluster.

An inline program with an explicit Kubernetes provider creates a Namespace and a Deployment;
a second preview must report no changes (the provider's server-side apply is stable), and
destroy must remove both from the cluster, which kubectl confirms independently.
"""

from __future__ import annotations

import json
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pulumi
import pulumi_kubernetes as k8s
import pytest
from pulumi import automation as auto

from codexstack.cluster import tools
from codexstack.cluster.health import ClusterStatus

pytestmark = [pytest.mark.integration, pytest.mark.timeout(3600)]


def _kubectl_json(kubectl: list[str], *args: str) -> dict[str, Any] | None:
    done = subprocess.run(
        [*kubectl, *args, "-o", "json"], capture_output=True, text=True, check=False, timeout=60
    )
    if done.returncode != 0:
        assert "NotFound" in done.stderr, done.stderr
        return None
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_inline_program_up_preview_destroy(
    engine: dict[str, str], cluster: ClusterStatus, kubectl: list[str], tmp_path: Path
) -> None:
    ns_name = f"itest-auto-{uuid.uuid4().hex[:6]}"
    kubeconfig = Path(cluster.kubeconfig).read_text(encoding="utf-8")

    def program() -> None:
        provider = k8s.Provider("local", kubeconfig=kubeconfig)
        opts = pulumi.ResourceOptions(provider=provider)
        ns = k8s.core.v1.Namespace("ns", metadata={"name": ns_name}, opts=opts)
        labels = {"app": "web"}
        k8s.apps.v1.Deployment(
            "web",
            metadata={"name": "web", "namespace": ns.metadata["name"]},
            spec={
                "replicas": 1,
                "selector": {"match_labels": labels},
                "template": {
                    "metadata": {"labels": labels},
                    "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]},
                },
            },
            opts=opts,
        )

    backend = tmp_path / "state"
    backend.mkdir()
    env = {
        **tools.pulumi_env(),
        "PULUMI_CONFIG_PASSPHRASE": "",
        "PULUMI_BACKEND_URL": f"file://{backend}",
    }
    command = auto.PulumiCommand(root=str(tools.pulumi_root()))
    stack = auto.create_or_select_stack(
        stack_name="itest",
        project_name="codexstack-itest",
        program=program,
        opts=auto.LocalWorkspaceOptions(
            work_dir=str(tmp_path), pulumi_command=command, env_vars=env
        ),
    )
    try:
        result = stack.up(on_output=print)
        assert result.summary.result == "succeeded"
        assert result.summary.resource_changes == {"create": 4}  # stack, provider, ns, deploy

        deployment = _kubectl_json(kubectl, "-n", ns_name, "get", "deployment", "web")
        assert deployment is not None
        available = {c["type"]: c["status"] for c in deployment["status"]["conditions"]}
        assert available.get("Available") == "True"

        preview = stack.preview(on_output=print)
        changes = {k: v for k, v in preview.change_summary.items() if k != "same"}
        assert changes == {}, preview.change_summary

        stack.destroy(on_output=print)
        assert _kubectl_json(kubectl, "-n", ns_name, "get", "deployment", "web") is None
        namespace = _kubectl_json(kubectl, "get", "namespace", ns_name)
        assert namespace is None or namespace["status"]["phase"] == "Terminating"
    finally:
        stack.workspace.remove_stack("itest", force=True)
