"""The agent guard policy on a real apiserver: escalating pod specs refused, the demo's admitted.

The policy and its binding are applied as admin; a namespace is labelled for the guard with
``postgres-credentials`` on its Secret allow-list; the demo's ``ai`` slot objects are created
as admin. Then, as the agent's service account (impersonated; RBAC lets it patch Deployments
so that admission is what decides), a server-side dry-run of the demo's own workloads is
admitted, and each escalating variant is refused with the policy's message.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from codexstack.components.agent_admission import (
    NAMESPACE_LABEL,
    SECRETS_ANNOTATION,
    binding,
    policy,
)

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "examples" / "demo" / "services.yaml"
CODEXSTACK = Path(sys.executable).parent / "codexstack"
SLOT = 38
NS = f"demo-shop-dev-{SLOT}"
AGENT = f"system:serviceaccount:{NS}:codex"

pytestmark = pytest.mark.integration


def _apply(
    kubectl: list[str], objs: list[dict[str, Any]], *extra: str
) -> subprocess.CompletedProcess[str]:
    text = "\n---\n".join(json.dumps(o) for o in objs)
    return subprocess.run(
        [*kubectl, "apply", *extra, "-f", "-"],
        input=text,
        text=True,
        capture_output=True,
        check=False,
    )


@pytest.fixture(scope="module")
def demo_objects(kubectl: list[str]) -> Iterator[dict[str, dict[str, Any]]]:
    # A namespace left by an earlier run may still be terminating: start from none.
    subprocess.run(
        [
            *kubectl,
            "delete",
            "namespace",
            NS,
            "--ignore-not-found",
            "--wait=true",
            "--timeout=180s",
        ],
        capture_output=True,
        check=True,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CODEXCTL_", "DEMO_"))}
    rendered = subprocess.run(
        [
            str(CODEXSTACK),
            "render",
            "-c",
            str(DEMO),
            "--env",
            "ai",
            "--slot",
            str(SLOT),
            "--only-services",
            "api,web,codex",
            "--only-infra",
            "namespace",
        ],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    objs = [o for o in yaml.safe_load_all(rendered) if o]
    for obj in objs:
        if obj["kind"] == "Namespace":
            obj["metadata"]["labels"][NAMESPACE_LABEL] = "enabled"
            obj["metadata"].setdefault("annotations", {})[SECRETS_ANNOTATION] = (
                "postgres-credentials"
            )
    done = _apply(kubectl, [policy(), binding()])
    assert done.returncode == 0, done.stderr
    done = _apply(kubectl, objs)
    assert done.returncode == 0, done.stderr
    rbac = [
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "Role",
            "metadata": {"name": "guard-test", "namespace": NS},
            "rules": [
                {
                    "apiGroups": ["apps"],
                    "resources": ["deployments"],
                    "verbs": ["get", "list", "create", "update", "patch"],
                }
            ],
        },
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "RoleBinding",
            "metadata": {"name": "guard-test", "namespace": NS},
            "roleRef": {
                "apiGroup": "rbac.authorization.k8s.io",
                "kind": "Role",
                "name": "guard-test",
            },
            "subjects": [{"kind": "ServiceAccount", "name": "codex", "namespace": NS}],
        },
    ]
    assert _apply(kubectl, rbac).returncode == 0
    yield {o["metadata"]["name"]: o for o in objs if o["kind"] == "Deployment"}
    subprocess.run(
        [*kubectl, "delete", "namespace", NS, "--wait=false"], capture_output=True, check=False
    )


def as_agent(kubectl: list[str], obj: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    return _apply(kubectl, [obj], "--dry-run=server", "--as", AGENT)


def test_the_demo_workloads_are_admitted(kubectl: list[str], demo_objects: dict[str, Any]) -> None:
    for name in ("api", "web"):
        done = as_agent(kubectl, demo_objects[name])
        assert done.returncode == 0, f"{name}: {done.stderr}"


def _pod(obj: dict[str, Any]) -> dict[str, Any]:
    return obj["spec"]["template"]["spec"]


ESCALATIONS = {
    "service account": (lambda p: p.update(serviceAccountName="codex"), "service account"),
    "hostPath": (
        lambda p: p.setdefault("volumes", []).append({"name": "h", "hostPath": {"path": "/"}}),
        "hostPath",
    ),
    "privileged": (
        lambda p: p["containers"][0].setdefault("securityContext", {}).update(privileged=True),
        "privileged",
    ),
    "host network": (lambda p: p.update(hostNetwork=True), "host's network"),
    "secret volume": (
        lambda p: p.setdefault("volumes", []).append(
            {"name": "s", "secret": {"secretName": "openai-secret"}}
        ),
        "Secret outside",
    ),
    "secret env": (
        lambda p: (
            p["containers"][0]
            .setdefault("env", [])
            .append(
                {"name": "K", "valueFrom": {"secretKeyRef": {"name": "github-secret", "key": "k"}}}
            )
        ),
        "through env",
    ),
    "secret envFrom": (
        lambda p: (
            p["containers"][0]
            .setdefault("envFrom", [])
            .append({"secretRef": {"name": "openai-secret"}})
        ),
        "through env",
    ),
}


@pytest.mark.parametrize("case", sorted(ESCALATIONS))
def test_escalating_pod_specs_are_refused(
    kubectl: list[str], demo_objects: dict[str, Any], case: str
) -> None:
    change, message = ESCALATIONS[case]
    obj = copy.deepcopy(demo_objects["api"])
    change(_pod(obj))
    done = as_agent(kubectl, obj)
    assert done.returncode != 0, f"{case} was admitted"
    assert "codexstack-agent-guard" in done.stderr
    assert message in done.stderr


def test_admin_is_not_matched(kubectl: list[str], demo_objects: dict[str, Any]) -> None:
    obj = copy.deepcopy(demo_objects["api"])
    _pod(obj)["serviceAccountName"] = "codex"
    done = _apply(kubectl, [obj], "--dry-run=server")
    assert done.returncode == 0, done.stderr
