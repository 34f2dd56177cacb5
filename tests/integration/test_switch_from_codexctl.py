"""Switching from codexctl: codexstack takes over what ``kubectl apply`` deployed, in place.

The demo is rendered by codexstack and applied with the built kubectl exactly as codexctl
does (``kubectl apply -f -``, client-side; and ``--server-side``), for staging and for one
slot. Then codexstack previews N adoptions, applies without restarting a pod, applies again
with no change and destroys everything. Foreign field owners are never forced, leftovers are
listed and only pruned on request, and a codexctl slot record keeps its number.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from codexstack.cluster.health import ClusterStatus
from tests.integration.apply_support import (
    CLI,
    cli_env,
    cs,
    demo,
    kget,
    new_namespace,
    sweep,
    wait_gone,
)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.timeout(1800),
    pytest.mark.usefixtures("sweep"),
]
__all__ = ["demo", "sweep"]  # fixtures


def _target(env: str, ns: str, slot: int) -> list[str]:
    return ["--env", env, "--namespace", ns, *(["--slot", str(slot)] if slot else [])]


def kubectl_apply(
    project: Path, cluster: ClusterStatus, kubectl: list[str], target: list[str], mode: str
) -> list[dict[str, Any]]:
    """What codexctl does: render, then ``kubectl apply`` the stream (namespace created first)."""
    stream = subprocess.run(
        [str(CLI), "render", *target],
        cwd=project,
        env=cli_env(project),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    docs = [d for d in yaml.safe_load_all(stream) if d]
    ns = target[target.index("--namespace") + 1]
    if not any(d["kind"] == "Namespace" for d in docs):
        subprocess.run([*kubectl, "create", "namespace", ns], check=True, capture_output=True)
    extra = ["--server-side"] if mode == "server-side" else []
    done = subprocess.run(
        [*kubectl, "apply", *extra, "-f", "-"],
        input=stream,
        text=True,
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return docs


def _ref(doc: dict[str, Any]) -> str:
    meta = doc["metadata"]
    where = f"{meta['namespace']}/" if meta.get("namespace") else ""
    return f"{doc['kind']} {where}{meta['name']}"


def _json(done: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(done.stdout)
    return data


def _pods(kubectl: list[str], ns: str) -> dict[str, str]:
    pods = kget(kubectl, "pods", "-n", ns) or {"items": []}
    return {p["metadata"]["name"]: p["metadata"]["uid"] for p in pods["items"]}


def _replicasets(kubectl: list[str], ns: str) -> set[str]:
    found = kget(kubectl, "replicasets", "-n", ns) or {"items": []}
    return {r["metadata"]["name"] for r in found["items"]}


def _wait_pods(kubectl: list[str], ns: str) -> None:
    subprocess.run(
        [
            *kubectl,
            "wait",
            "--for=condition=Available",
            "deployment",
            "--all",
            "-n",
            ns,
            "--timeout=180s",
        ],
        check=True,
        capture_output=True,
        timeout=200,
    )


@pytest.mark.parametrize(
    ("env", "slot", "mode"),
    [("staging", 0, "client-side"), ("staging", 0, "server-side"), ("ai", 7, "client-side")],
)
def test_codexstack_adopts_what_kubectl_applied(
    demo: Path, cluster: ClusterStatus, kubectl: list[str], env: str, slot: int, mode: str
):
    ns = new_namespace(f"sw-{env}")
    target = _target(env, ns, slot)
    docs = kubectl_apply(demo, cluster, kubectl, target, mode)
    _wait_pods(kubectl, ns)
    pods, replicasets = _pods(kubectl, ns), _replicasets(kubectl, ns)
    assert pods, "kubectl's deployment started no pods"

    preview = _json(cs(demo, cluster, "preview", *target, "-o", "json"))
    applied = {_ref(d) for d in docs}
    assert applied <= set(preview["adopted"]), applied - set(preview["adopted"])
    assert preview["adopt"] == len(preview["adopted"]) >= len(docs)
    own_additions = preview["changes"]["create"]  # codexstack's guardrails/agent identity only
    if env == "staging":
        assert own_additions == 0

    first = cs(demo, cluster, "apply", *target, "--wait", "-o", "json")
    result = _json(first)
    assert result["adopt"] == preview["adopt"]
    assert result["changes"]["create"] == own_additions
    assert result["changes"]["update"] == result["changes"]["delete"] == 0
    assert first.stderr.count("adopting ") == preview["adopt"]  # one warning line each
    assert _pods(kubectl, ns) == pods, "a pod was restarted"
    assert _replicasets(kubectl, ns) == replicasets, "a workload was rolled"

    again = _json(cs(demo, cluster, "apply", *target, "--wait", "-o", "json"))
    assert again["changes"] == {
        "create": 0,
        "update": 0,
        "delete": 0,
        "same": result["adopt"] + own_additions,
    }
    assert again["adopt"] == 0

    cs(demo, cluster, "destroy", *target, "--yes")
    assert wait_gone(kubectl, "namespace", ns), "namespace still there after destroy"


def test_a_foreign_field_owner_is_never_forced(
    demo: Path, cluster: ClusterStatus, kubectl: list[str]
):
    ns = new_namespace("sw-foreign")
    target = _target("staging", ns, 0)
    kubectl_apply(demo, cluster, kubectl, target, "client-side")
    patch = '{"spec":{"replicas":3}}'
    subprocess.run(
        [
            *kubectl,
            "patch",
            "deployment",
            "api",
            "-n",
            ns,
            "--field-manager=other",
            "--type=merge",
            "-p",
            patch,
        ],
        check=True,
        capture_output=True,
    )
    for command in ("preview", "apply"):
        done = cs(demo, cluster, command, *target, check=False)
        assert done.returncode == 1, done.stderr
        assert f"Deployment {ns}/api: field conflict" in done.stderr
        assert '"other"' in done.stderr
        assert "--force-conflicts" in done.stderr  # the way out
        assert "grpc" not in done.stderr
    live = kget(kubectl, "deployment", "api", "-n", ns)
    assert live is not None
    assert live["spec"]["replicas"] == 3, "the foreign manager's value was overwritten"
    done = cs(demo, cluster, "apply", *target, "--no-adopt", check=False)
    assert done.returncode == 1
    assert "adoption is off" in done.stderr


def test_leftovers_are_listed_then_pruned_on_request(
    demo: Path, cluster: ClusterStatus, kubectl: list[str]
):
    ns = new_namespace("sw-left")
    target = _target("staging", ns, 0)
    kubectl_apply(demo, cluster, kubectl, target, "client-side")
    legacy = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "legacy-settings", "namespace": ns},
        "data": {"removed": "from the manifests"},
    }
    subprocess.run(
        [*kubectl, "apply", "-f", "-"],
        input=json.dumps(legacy),
        text=True,
        check=True,
        capture_output=True,
    )
    result = _json(cs(demo, cluster, "apply", *target, "-o", "json"))
    leftover = f"ConfigMap {ns}/legacy-settings"
    assert result["not_managed"] == [leftover]
    assert "not managed by this stack" in cs(demo, cluster, "preview", *target).stderr
    assert kget(kubectl, "configmap", "legacy-settings", "-n", ns) is not None

    refused = cs(demo, cluster, "apply", *target, "--prune-adopted", check=False)
    assert refused.returncode == 64, refused.stderr  # no terminal, no --yes: nothing deleted
    assert kget(kubectl, "configmap", "legacy-settings", "-n", ns) is not None
    pruned = _json(cs(demo, cluster, "apply", *target, "--prune-adopted", "--yes", "-o", "json"))
    assert pruned["pruned"] == [leftover]
    assert wait_gone(kubectl, "configmap", "legacy-settings", "-n", ns)
    cs(demo, cluster, "destroy", *target, "--yes")


def _codexstack(project: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CLI), *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def test_a_codexctl_slot_keeps_its_number_and_is_adopted(
    demo: Path, cluster: ClusterStatus, kubectl: list[str]
):
    # A project name of its own: slot namespaces (<project>-dev-<N>) and the state namespace
    # must not meet another test's on the shared cluster.
    project = new_namespace("sw").replace("-", "")[:12]
    services = demo / "services.yaml"
    services.write_text(
        services.read_text()
        .replace("project: demo-shop", f"project: {project}")
        .replace("demo-shop-state", f"{project}-state")
    )
    state, ns = new_namespace(f"{project}-state"), f"{project}-dev-3"
    services.write_text(services.read_text().replace(f"{project}-state", state))
    new_namespace(ns)  # swept afterwards whatever happens
    subprocess.run([*kubectl, "create", "namespace", state], check=True, capture_output=True)
    record = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "codex-env-3", "namespace": state},
        "data": {
            "slot": "3",
            "env": "ai",
            "namespace": ns,
            "owner": "manual",
            "issue": "42",
            "pr": "0",
            "createdAt": "2026-12-01T10:00:00Z",
        },
    }
    subprocess.run(
        [*kubectl, "create", "-f", "-"],
        input=json.dumps(record),
        text=True,
        check=True,
        capture_output=True,
    )
    kubectl_apply(demo, cluster, kubectl, _target("ai", ns, 3), "client-side")
    env = {**cli_env(demo), "KUBECONFIG": str(cluster.kubeconfig)}
    done = _codexstack(
        demo, env, "ci", "ensure-ready", "--issue", "42", "--apply", "--force-apply", "-o", "json"
    )
    assert done.returncode == 0, done.stderr[-4000:]
    ready = json.loads(done.stdout)
    assert str(ready["slot"]) == "3"
    assert ready["namespace"] == ns
    assert "adopting " in done.stderr
    listed = _codexstack(demo, env, "slots", "list", "-o", "json")
    assert listed.returncode == 0, listed.stderr
    rows = {r["slot"]: r for r in json.loads(listed.stdout)}
    assert rows[3]["issue"] == 42
    assert rows[3]["source"] == "codexctl (imported)"
    _codexstack(demo, env, "manage-env", "cleanup", "--issue", "42")


def test_engine_errors_are_one_line_per_object_and_raw_under_debug(
    demo: Path, cluster: ClusterStatus, kubectl: list[str]
):
    ns = new_namespace("sw-quota")
    target = _target("staging", ns, 0)
    subprocess.run([*kubectl, "create", "namespace", ns], check=True, capture_output=True)
    subprocess.run(
        [*kubectl, "create", "quota", "tiny", "-n", ns, "--hard=count/configmaps=1"],
        check=True,
        capture_output=True,
    )
    done = cs(demo, cluster, "apply", *target, check=False)
    assert done.returncode == 1, done.stderr
    assert f"ConfigMap {ns}/" in done.stderr
    assert "quota exceeded: ResourceQuota tiny" in done.stderr
    assert "Traceback" not in done.stderr
    assert "grpc" not in done.stderr.splitlines()[-1]
    raw = cs(demo, cluster, "--debug", "apply", *target, check=False)
    assert raw.returncode == 1
    assert "was not successfully created by the Kubernetes API server" in raw.stderr
    tail = "\n".join(raw.stderr.splitlines()[-6:])
    assert "quota exceeded: ResourceQuota tiny" in tail  # the translation still comes last
