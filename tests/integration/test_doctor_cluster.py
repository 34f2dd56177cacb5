"""``doctor`` tells the truth about the engine and the cluster, in the library and the CLI.

With the shared cluster up every check is healthy. A second cluster in its own state
directory is brought up and down again (so the shared one is never touched): afterwards
``cluster status`` and ``doctor`` both say it is down, name the fix, and exit non-zero.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from codexstack.cluster import local
from codexstack.cluster.doctor import doctor
from codexstack.cluster.health import ClusterStatus

pytestmark = [pytest.mark.integration, pytest.mark.timeout(3600)]

REPO = Path(__file__).resolve().parents[2]


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from cli.app import main; main()", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        cwd=REPO,
    )


def test_doctor_all_healthy_with_cluster_up(cluster: ClusterStatus) -> None:
    report = doctor(Path(cluster.state_dir))
    assert report.healthy, report.text()
    names = {check.name for check in report.checks}
    assert {
        "pulumi",
        "pulumi-resource-kubernetes",
        "kube-apiserver",
        "etcd",
        "kwok",
        "pulumi-plugin-cache",
        "python:pulumi-kubernetes",
        "cluster",
    } <= names
    done = cli("doctor", "--output", "json", "--state-dir", cluster.state_dir)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["healthy"] is True
    assert data["cluster"]["healthy"] is True


def test_down_cluster_is_reported_and_doctor_fails(cluster: ClusterStatus, tmp_path: Path) -> None:
    state_dir = tmp_path / "cluster"
    started = local.up(state_dir)
    assert started.healthy
    assert started.server != cluster.server  # its own ports, never the shared cluster's
    assert local.up(state_dir).healthy  # idempotent: second up is a no-op
    stopped = local.down(state_dir)
    assert set(stopped) == {
        "etcd",
        "kube-apiserver",
        "kube-controller-manager",
        "kube-scheduler",
        "kwok",
        "local-path-provisioner",
    }
    assert local.status(Path(cluster.state_dir)).healthy  # the shared cluster is untouched

    status = cli("cluster", "status", "--output", "json", "--state-dir", str(state_dir))
    assert status.returncode == 1
    assert all(not c["running"] for c in json.loads(status.stdout)["components"])

    done = cli("doctor", "--output", "json", "--state-dir", str(state_dir))
    assert done.returncode != 0
    data = json.loads(done.stdout)
    assert data["healthy"] is False
    assert "cluster" in data["missing"]
    assert "codexstack cluster up" in data["fixes"]
    local.down(state_dir, purge=True)
    assert not state_dir.exists()
