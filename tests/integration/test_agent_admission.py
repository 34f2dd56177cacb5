"""The agent guard on a real apiserver: escalating pod specs refused, the demo's admitted.

The demo's ``ai`` slot objects are created as admin, with the agent's objects exactly as the
stack builds them for ``codex.agentAccess: {redeploy: true, secrets: [postgres-credentials]}``
(``agent_objects``: the Role that may patch Deployments, so that admission is what decides,
and the namespace's ``ValidatingAdmissionPolicy`` and binding). Then, as the agent's service
account (impersonated), a server-side dry-run of the demo's own workloads is admitted, and
each escalating variant is refused with the policy's message. That the stack itself installs
and removes these objects is shown by ``test_agent_inpod_apply.py``.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from codexstack.components.agent_policy import AgentSettings, agent_objects

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
    done = _apply(kubectl, objs)
    assert done.returncode == 0, done.stderr
    settings = AgentSettings(redeploy=True, allowed_secrets=("postgres-credentials",))
    guard = [
        o
        for o in agent_objects(NS, settings, {"app.kubernetes.io/part-of": "guard-test"})
        if o["kind"] not in ("ServiceAccount", "NetworkPolicy")
    ]
    assert {o["kind"] for o in guard} == {
        "Role",
        "RoleBinding",
        "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding",
    }
    done = _apply(kubectl, guard)
    assert done.returncode == 0, done.stderr
    deployments = {o["metadata"]["name"]: o for o in objs if o["kind"] == "Deployment"}
    _until_enforced(kubectl, deployments["api"])
    yield deployments
    subprocess.run(
        [*kubectl, "delete", "namespace", NS, "--wait=false"], capture_output=True, check=False
    )
    cluster_wide = [o for o in guard if o["kind"].startswith("ValidatingAdmissionPolicy")]
    names = [f"{o['kind'].lower()}/{o['metadata']['name']}" for o in cluster_wide]
    subprocess.run([*kubectl, "delete", *names], capture_output=True, check=False)


def _until_enforced(kubectl: list[str], obj: dict[str, Any]) -> None:
    """A new policy takes effect once the apiserver's policy informer has it (about a second)."""
    probe = copy.deepcopy(obj)
    _pod(probe)["hostNetwork"] = True
    deadline = time.monotonic() + 30
    while as_agent(kubectl, probe).returncode == 0:
        assert time.monotonic() < deadline, "the guard was not enforced within 30 s"
        time.sleep(0.2)


def as_agent(kubectl: list[str], obj: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    return _apply(kubectl, [obj], "--dry-run=server", "--as", AGENT)


def test_the_demo_workloads_are_admitted(kubectl: list[str], demo_objects: dict[str, Any]) -> None:
    for name in ("api", "web"):
        done = as_agent(kubectl, demo_objects[name])
        assert done.returncode == 0, f"{name}: {done.stderr}"


def _pod(obj: dict[str, Any]) -> dict[str, Any]:
    return obj["spec"]["template"]["spec"]


ESCALATIONS: dict[str, tuple[Callable[[dict[str, Any]], object], str]] = {
    "service account": (lambda p: p.update(serviceAccountName="codex"), "service account"),
    "hostPath": (
        lambda p: p.setdefault("volumes", []).append({"name": "h", "hostPath": {"path": "/"}}),
        "hostPath",
    ),
    "privileged": (
        lambda p: p["containers"][0].setdefault("securityContext", {}).update(privileged=True),
        "privileged",
    ),
    "privileged init container": (
        lambda p: p.setdefault("initContainers", []).append(
            {"name": "i", "image": "busybox", "securityContext": {"privileged": True}}
        ),
        "privileged",
    ),
    "host network": (lambda p: p.update(hostNetwork=True), "host's network"),
    "host PID": (lambda p: p.update(hostPID=True), "host's network"),
    "host IPC": (lambda p: p.update(hostIPC=True), "host's network"),
    "projected secret": (
        lambda p: p.setdefault("volumes", []).append(
            {"name": "p", "projected": {"sources": [{"secret": {"name": "openai-secret"}}]}}
        ),
        "Secret outside",
    ),
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
