"""Session fixtures for integration tests: the real engine binaries and the local cluster.

``engine`` runs ``scripts/engine`` (a cached check that takes a second when warm, a full build
when cold) and then insists that the installed ``pulumi-kubernetes`` matches the built provider.
``cluster`` brings the project's local cluster up (a no-op when it is healthy); a CI run stops
the cluster it started at the end of the session (tests/conftest.py). Anything missing fails
with the command that installs it; these fixtures never skip, so a CI run cannot pass by
testing nothing.
"""

from __future__ import annotations

import subprocess
from importlib import metadata
from pathlib import Path

import pytest

from codexstack.cluster import local, tools
from codexstack.cluster.health import ClusterStatus
from codexstack.cluster.versions import pinned

REPO = Path(__file__).resolve().parents[2]
ENGINE = REPO / "scripts" / "engine"


@pytest.fixture(scope="session")
def engine() -> dict[str, str]:
    """Built engine binaries; returns the environment Pulumi must run with."""
    done = subprocess.run([str(ENGINE)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.fail(
            f"`{ENGINE}` failed (exit {done.returncode}); run it by hand to see the "
            f"build, then re-run the tests.\n{done.stderr[-4000:]}",
            pytrace=False,
        )
    gaps = tools.missing()
    if gaps:
        pytest.fail(
            "engine binaries missing after scripts/engine: "
            + ", ".join(f"{t.name} ({t.path})" for t in gaps),
            pytrace=False,
        )
    want = pinned().provider
    have = metadata.version("pulumi-kubernetes")
    if have != want:
        pytest.fail(
            f"pulumi-kubernetes {have} is installed but the built provider is {want}: "
            f"the engine loads only a plugin of the SDK's exact version. Pin "
            f"pulumi-kubernetes=={want} in pyproject.toml and run `uv sync`.",
            pytrace=False,
        )
    return tools.pulumi_process_env()


@pytest.fixture(scope="session")
def cluster(engine: dict[str, str]) -> ClusterStatus:
    """The project's local cluster, up and healthy.

    It stays running afterwards (the next session starts in no time, and other test runs in
    the same checkout may be using it), except under CI=true when this session started it:
    tests/conftest.py stops it, whichever fixture started it (its state is kept).
    """
    state = local.up(REPO / ".codexstack" / "cluster")
    assert state.healthy, state.text()
    return state


@pytest.fixture(scope="session")
def kubectl(cluster: ClusterStatus) -> list[str]:
    """argv prefix for the built kubectl talking to the local cluster as admin."""
    return [str(tools.require("kubectl")), f"--kubeconfig={cluster.kubeconfig}"]
