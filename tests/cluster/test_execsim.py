"""kwok's exec simulation objects: CRDs, the kubelet-like environment, the ClusterExec mapping."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from codexstack.cluster import execsim
from codexstack.cluster.components import command
from codexstack.cluster.layout import Layout, Ports
from codexstack.errors import DeployError


def test_crds_match_kwoks_kinds_and_scopes() -> None:
    exec_crd, cluster_crd = execsim.crd("Exec"), execsim.crd("ClusterExec")
    assert exec_crd["metadata"]["name"] == "execs.kwok.x-k8s.io"
    assert exec_crd["spec"]["scope"] == "Namespaced"
    assert cluster_crd["metadata"]["name"] == "clusterexecs.kwok.x-k8s.io"
    assert cluster_crd["spec"]["scope"] == "Cluster"
    assert cluster_crd["spec"]["versions"][0]["name"] == "v1alpha1"


def test_env_is_resolved_like_a_kubelet() -> None:
    container = {
        "env": [
            {"name": "PLAIN", "value": "1"},
            {"name": "KEY", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}},
            {
                "name": "GONE",
                "valueFrom": {"secretKeyRef": {"name": "x", "key": "k", "optional": True}},
            },
            {"name": "POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
        ]
    }
    secrets = {"s": {"k": base64.b64encode(b"v4lue").decode()}}
    assert execsim.resolve_env(container, secrets) == {"PLAIN": "1", "KEY": "v4lue"}
    with pytest.raises(DeployError, match="missing"):
        execsim.resolve_env(
            {"env": [{"name": "M", "valueFrom": {"secretKeyRef": {"name": "x", "key": "k"}}}]}, {}
        )


def test_cluster_exec_maps_one_namespace_to_a_workspace(tmp_path: Path) -> None:
    obj = execsim.cluster_exec(
        "ns-1",
        tmp_path,
        env={"A": "b", "PATH": "/evil"},
        containers=["codex"],
        bin_dirs=[Path("/opt/standin")],
    )
    assert obj["kind"] == "ClusterExec"
    assert obj["spec"]["selector"] == {"matchNamespaces": ["ns-1"]}
    target = obj["spec"]["execs"][0]
    assert target["containers"] == ["codex"]
    assert target["local"]["workDir"] == str(tmp_path)
    env = {e["name"]: e["value"] for e in target["local"]["envs"]}
    assert env["A"] == "b"
    assert env["PATH"].startswith("/opt/standin:")
    assert env["HOME"] == str(tmp_path / ".codexstack" / "home")
    assert env[execsim.WORKSPACE_ENV] == str(tmp_path)


def test_kwok_runs_with_exec_enabled_and_nothing_of_the_callers_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ports = Ports(1, 2, 3, 4, 5, kwok=4321)
    argv = command("kwok", Path("/bin/kwok"), Layout(tmp_path), ports).argv
    assert "--enable-crds=Exec,ClusterExec" in argv
    assert "--node-port=4321" in argv
    assert "--server-address=127.0.0.1:4321" in argv
    assert "--node-ip=127.0.0.1" in argv
    api = command("kube-apiserver", Path("/bin/a"), Layout(tmp_path), ports).argv
    assert any(a.startswith("--kubelet-client-certificate=") for a in api)
    monkeypatch.setenv("GH_TOKEN", "ghp_should_not_reach_pods")
    assert "GH_TOKEN" not in execsim.kwok_environment()
