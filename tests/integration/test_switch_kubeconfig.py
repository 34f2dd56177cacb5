"""A new user's first steps: ``cluster up`` then ``apply`` in a clean shell; no cluster at all.

``HOME`` is a temporary folder and ``KUBECONFIG`` is unset, as in a fresh shell. ``cluster
up`` (the shared cluster, already healthy) adds its context to ``~/.kube/config`` and makes it
current; ``apply`` of the demo's dev env (which names no kubeconfig) then works through it.
Without any kubeconfig the apply stops before the engine with one line and exit 65.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml

from codexstack.cluster import tools
from codexstack.cluster.health import ClusterStatus
from tests.integration.apply_support import CLI, demo, new_namespace, sweep, wait_gone

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.timeout(900),
    pytest.mark.usefixtures("sweep"),
]
__all__ = ["demo", "sweep"]  # fixtures


def _clean_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KUBE", "CODEXSTACK_"))}
    home.mkdir(parents=True, exist_ok=True)
    return {
        **env,
        "HOME": str(home),
        "CODEXSTACK_CACHE": str(tools.cache_dir()),
        "CODEXSTACK_PULUMI_HOME": str(tools.pulumi_home()),
    }


def _run(project: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CLI), *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def test_no_kubeconfig_is_one_line_and_exit_65_before_the_engine(demo: Path, tmp_path: Path):
    env = _clean_env(tmp_path / "home")
    done = _run(demo, env, "apply", "--env", "dev")
    assert done.returncode == 65, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: no cluster configured")
    assert "cluster up" in lines[0]
    assert not (demo / ".codexstack" / "state").exists()  # the engine never started


def test_cluster_up_then_apply_in_a_clean_shell(
    demo: Path, cluster: ClusterStatus, kubectl: list[str], tmp_path: Path
):
    home = tmp_path / "home"
    env = {**_clean_env(home), "CODEXSTACK_CLUSTER_DIR": cluster.state_dir}
    up = _run(demo, env, "cluster", "up")
    assert up.returncode == 0, up.stderr
    config = home / ".kube" / "config"
    assert f"export KUBECONFIG={config}" in up.stdout
    current = yaml.safe_load(config.read_text())["current-context"]
    assert f"context {current} (current)" in up.stdout

    ns = new_namespace("sw-kc")
    applied = _run(demo, env, "apply", "--env", "dev", "--namespace", ns, "-o", "json")
    assert applied.returncode == 0, applied.stderr[-4000:]
    assert json.loads(applied.stdout)["changes"]["create"] > 0
    destroyed = _run(demo, env, "destroy", "--env", "dev", "--namespace", ns, "--yes")
    assert destroyed.returncode == 0, destroyed.stderr[-2000:]
    assert wait_gone(kubectl, "namespace", ns)
