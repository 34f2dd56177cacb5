"""Offline and preflight paths: render to a directory without a cluster; real preflight checks.

``apply --render-to`` must work with no cluster at all (the kubeconfig points at a closed
port) and write one file per object; ``--preflight`` must pass on the local cluster and stop
an apply into a namespace that is being deleted with "slot being deleted" (battery C3), as
must the apply itself without preflight.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from codexstack.cluster.health import ClusterStatus
from tests.integration.apply_support import CLI, cli_env, cs, demo, new_namespace, sweep

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.timeout(900),
    pytest.mark.usefixtures("sweep"),
]
__all__ = ["demo", "sweep"]  # fixtures


def test_render_to_writes_every_object_without_a_cluster(
    demo: Path, tmp_path: Path, engine: dict[str, str]
):
    dead = tmp_path / "dead.kubeconfig"
    dead.write_text(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: x\n  cluster: {server: "
        "'https://127.0.0.1:9'}\ncontexts:\n- name: x\n  context: {cluster: x, user: x}\n"
        "current-context: x\nusers:\n- name: x\n  user: {token: none}\n"
    )
    out = tmp_path / "rendered"
    done = subprocess.run(
        [
            str(CLI),
            "apply",
            "--env",
            "ai",
            "--slot",
            "4",
            "--render-to",
            str(out),
            "--kubeconfig",
            str(dead),
            "-o",
            "json",
        ],
        cwd=demo,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=cli_env(demo),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    files = result["outputs"]["files"]
    assert any("deployment" in f.lower() and "codex" in f for f in files), files
    assert any("networkpolicy" in f.lower() for f in files)
    assert len(files) == result["changes"]["create"]
    assert not (demo / ".codexstack" / "stacks" / "ai-4").exists()  # no real stack touched


def _terminating_namespace(kubectl: list[str]) -> str:
    """A namespace held in Terminating by a finalizer on an object inside it."""
    ns = new_namespace("terminating")
    subprocess.run([*kubectl, "create", "namespace", ns], check=True, capture_output=True)
    held = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "held", "namespace": ns, "finalizers": ["codexstack.io/test-hold"]},
    }
    subprocess.run(
        [*kubectl, "apply", "-f", "-"],
        input=json.dumps(held),
        text=True,
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [*kubectl, "delete", "namespace", ns, "--wait=false"], check=True, capture_output=True
    )
    return ns


def _release(kubectl: list[str], ns: str) -> None:
    subprocess.run(
        [
            *kubectl,
            "patch",
            "configmap",
            "held",
            "-n",
            ns,
            "--type=merge",
            "-p",
            '{"metadata":{"finalizers":null}}',
        ],
        check=False,
        capture_output=True,
    )


def test_preflight_passes_on_the_local_cluster(demo: Path, cluster: ClusterStatus):
    ns = new_namespace("preflight")
    done = cs(demo, cluster, "apply", "--env", "dev", "--namespace", ns, "--preflight")
    assert "preflight ok: permissions" in done.stderr
    cs(demo, cluster, "destroy", "--env", "dev", "--namespace", ns, "--remove", "--yes")


def test_c3_a_terminating_namespace_fails_fast_as_slot_being_deleted(
    demo: Path, cluster: ClusterStatus, kubectl: list[str]
):
    ns = _terminating_namespace(kubectl)
    try:
        checked = cs(
            demo,
            cluster,
            "apply",
            "--env",
            "dev",
            "--namespace",
            ns,
            "--preflight",
            check=False,
            timeout=120,
        )
        assert checked.returncode == 75, checked.stderr[-2000:]
        assert "slot being deleted" in checked.stderr
        plain = cs(
            demo, cluster, "apply", "--env", "dev", "--namespace", ns, check=False, timeout=180
        )
        assert plain.returncode == 75, plain.stderr[-3000:]
        assert "slot being deleted" in plain.stderr
    finally:
        _release(kubectl, ns)
