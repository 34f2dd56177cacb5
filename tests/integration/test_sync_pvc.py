"""``ci sync-sources`` in PVC mode (codexctl 1.0.x) against the real apiserver and kwok's exec.

A namespace and a workspace claim are made; the local-path provisioner binds the claim to a
folder on this machine, and kwok's exec simulation runs the sync pod's commands in that
folder (a real kubelet runs them in the pod, whose working directory is the mount). Every
step goes client → apiserver (WebSocket exec) → kwok → a local process. Asserted: the files
arrive below the mount, ``.git/config`` without its token, ``.env`` withheld, a second sync
sends nothing new, a link planted by the agent is replaced and its target outside untouched,
work left in the workspace survives, and the sync pod is gone afterwards.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from codexstack import flows
from codexstack.cluster.execsim import admin, cluster_exec
from codexstack.cluster.health import ClusterStatus
from codexstack.cluster.layout import Layout
from codexstack.flows import sync_sources

NAMESPACE = "sync-pvc-it"
CLAIM = "shop-workspace"
SERVICES = "project: shop\nenvironments:\n  ai:\n    kubeconfig: {kubeconfig}\n"

pytestmark = pytest.mark.integration


def _kubectl(kubectl: list[str], *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [*kubectl, *args], input=stdin, capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.fixture
def volume(cluster: ClusterStatus, kubectl: list[str]) -> Path:
    """The bound claim's folder on this machine, mapped as the exec working directory."""
    _kubectl(kubectl, "delete", "namespace", NAMESPACE, "--ignore-not-found", "--wait=true")
    objects = [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NAMESPACE}},
        {
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": {"name": CLAIM, "namespace": NAMESPACE},
            "spec": {
                "accessModes": ["ReadWriteOnce"],
                "storageClassName": "standard",
                "resources": {"requests": {"storage": "1Gi"}},
            },
        },
    ]
    for obj in objects:
        _kubectl(kubectl, "apply", "-f", "-", stdin=json.dumps(obj))
    _kubectl(
        kubectl,
        "-n",
        NAMESPACE,
        "wait",
        "--for=jsonpath={.status.phase}=Bound",
        f"pvc/{CLAIM}",
        "--timeout=60s",
    )
    pv = _kubectl(
        kubectl, "-n", NAMESPACE, "get", "pvc", CLAIM, "-o", "jsonpath={.spec.volumeName}"
    )
    folder = Path(_kubectl(kubectl, "get", "pv", pv, "-o", "jsonpath={.spec.hostPath.path}"))
    folder.mkdir(parents=True, exist_ok=True)
    layout = Layout(Path(cluster.state_dir))
    ports = layout.load_ports()
    assert ports is not None
    obj = cluster_exec(NAMESPACE, folder, env={})
    admin(layout, ports).apply(
        f"/apis/kwok.x-k8s.io/v1alpha1/clusterexecs/codexstack-workspace-{NAMESPACE}",
        obj,
        manager="test",
    )
    return folder


def checkout(root: Path) -> Path:
    src = root / "checkout"
    (src / "svc").mkdir(parents=True)
    (src / "svc" / "main.py").write_text("print('hi')\n")
    (src / ".env").write_text("TOKEN=s3cret\n")
    subprocess.run(["git", "init", "-q", str(src)], check=True)
    subprocess.run(
        ["git", "-C", str(src), "config", "http.https://x/.extraheader", "AUTH basic c2VjcmV0"],
        check=True,
    )
    return src


def test_sync_into_the_workspace_pvc(
    volume: Path,
    cluster: ClusterStatus,
    kubectl: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = tmp_path / "services.yaml"
    config.write_text(SERVICES.format(kubeconfig=cluster.kubeconfig))
    monkeypatch.setenv("CODEXCTL_WORKSPACE_PVC", CLAIM)
    source = checkout(tmp_path)
    target = flows.Target(config=config, env="ai", slot=3, namespace=NAMESPACE)
    request = sync_sources.Request(target, "/workspace/codex", source=str(source))
    first = sync_sources.run(request)
    ws = volume / "codex" / "3" / "src"
    assert first.workspace == "/workspace/codex/3/src"
    assert (ws / "svc" / "main.py").read_text() == "print('hi')\n"
    assert "extraheader" not in (ws / ".git" / "config").read_text()
    assert not (ws / ".env").exists()
    assert first.withheld == (".env",)
    # The agent works in the workspace: its notes stay, its planted link is not followed.
    (ws / "NOTES.md").write_text("agent work\n")
    outside = volume / "other-slot.txt"
    outside.write_text("other slot\n")
    (ws / "svc" / "main.py").unlink()
    (ws / "svc" / "main.py").symlink_to(outside)
    second = sync_sources.run(request)
    assert outside.read_text() == "other slot\n"
    assert not (ws / "svc" / "main.py").is_symlink()
    assert (ws / "svc" / "main.py").read_text() == "print('hi')\n"
    assert (ws / "NOTES.md").read_text() == "agent work\n"
    third = sync_sources.run(request)
    assert third.copied < second.copied  # only what cannot be compared is sent again
    assert third.unchanged >= 1
    pods = _kubectl(kubectl, "-n", NAMESPACE, "get", "pods", "-o", "name")
    assert "codexstack-sync-" not in pods or "Terminating" in _kubectl(
        kubectl, "-n", NAMESPACE, "get", "pods"
    )
