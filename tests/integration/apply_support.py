"""Shared helpers of the apply integration tests: a copied demo project and the CLI runner."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from codexstack.cluster import tools
from codexstack.cluster.health import ClusterStatus

REPO = Path(__file__).resolve().parents[2]
CLI = Path(sys.executable).parent / "codexstack"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    project = tmp_path / "demo"
    # Never the demo's own .codexstack: its stacks are someone's live deployment.
    shutil.copytree(
        REPO / "examples" / "demo", project, ignore=shutil.ignore_patterns(".codexstack")
    )
    return project


USED_NAMESPACES: list[str] = []
"""Namespaces the running test deployed into; ``sweep`` deletes them whatever the outcome."""


def new_namespace(prefix: str) -> str:
    name = f"{prefix}-{uuid.uuid4().hex[:8]}"
    USED_NAMESPACES.append(name)
    return name


@pytest.fixture
def namespace() -> str:
    return new_namespace("itest")


@pytest.fixture
def sweep(kubectl: list[str]) -> Iterator[None]:
    """After each test, delete its namespaces (a failed test must not litter the shared cluster)."""
    USED_NAMESPACES.clear()
    yield
    if USED_NAMESPACES:
        subprocess.run(
            [
                *kubectl,
                "delete",
                "namespace",
                *USED_NAMESPACES,
                "--ignore-not-found",
                "--wait=false",
            ],
            check=False,
            capture_output=True,
            timeout=60,
        )
    USED_NAMESPACES.clear()


def cli_env(project: Path) -> dict[str, str]:
    """The CLI's environment: hooks run login shells, so the machine's profile stays out."""
    home = project.parent / "home"
    home.mkdir(exist_ok=True)
    return {
        **os.environ,
        "HOME": str(home),
        "CODEXSTACK_CACHE": str(tools.cache_dir()),
        "CODEXSTACK_PULUMI_HOME": str(tools.pulumi_home()),
    }


def cs(
    project: Path, cluster: ClusterStatus, *args: str, check: bool = True, timeout: float = 900
) -> subprocess.CompletedProcess[str]:
    """Run the codexstack CLI in ``project`` against the local cluster."""
    argv = [str(CLI), *args, "--kubeconfig", str(cluster.kubeconfig)]
    done = subprocess.run(
        argv,
        cwd=project,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env=cli_env(project),
    )
    if check and done.returncode != 0:
        raise AssertionError(f"{' '.join(args)} exited {done.returncode}\n{done.stderr[-6000:]}")
    return done


def deploy(project: Path, cluster: ClusterStatus, ns: str, *extra: str) -> dict[str, Any]:
    done = cs(project, cluster, "apply", "--env", "dev", "--namespace", ns, "-o", "json", *extra)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def kget(kubectl: list[str], *args: str) -> dict[str, Any] | None:
    done = subprocess.run(
        [*kubectl, "get", *args, "-o", "json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    if done.returncode != 0:
        assert "NotFound" in done.stderr, done.stderr
        return None
    found: dict[str, Any] = json.loads(done.stdout)
    return found


def available(deployment: dict[str, Any]) -> bool:
    return any(
        c["type"] == "Available" and c["status"] == "True"
        for c in deployment.get("status", {}).get("conditions", [])
    )


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def drop_service(services_yaml: Path, name: str) -> None:
    """Remove one ``services[]`` entry (its block up to the next entry or top-level key)."""
    text = services_yaml.read_text()
    pattern = re.compile(rf"\n  - name: {name}\n.*?(?=\n  - name: |\n\S)", re.S)
    assert pattern.search(text), f"service {name} not found"
    services_yaml.write_text(pattern.sub("", text, count=1))


def wait_gone(kubectl: list[str], *args: str, seconds: float = 120) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if kget(kubectl, *args) is None:
            return True
        time.sleep(1)
    return False
