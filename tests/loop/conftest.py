"""Fixtures of the loop tests: act (built by scripts/engine) and the scenarios' stage.

``act_repo`` copies a directory of ``tests/loop/workflows`` into a fresh bare repository
``acme/demo.git`` and a working copy, and returns an :class:`Act` bound to them. ``stage`` is
the whole loop (:mod:`loop.stage`): the demo on the GitHub stand-in, act and the local
cluster. A missing act build or engine fails the test with the command that builds it;
nothing here skips.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from codexstack.cluster.health import ClusterStatus
from loop.actkit import Act, ActMissing, binary, seed_repository
from loop.stage import Stage, build

WORKFLOWS = Path(__file__).resolve().parent / "workflows"


@pytest.fixture(scope="session")
def act_binary() -> Path:
    """The pinned act build."""
    try:
        return binary("act")
    except ActMissing as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture
def act_repo(act_binary: Path, tmp_path: Path) -> Callable[[Path], Act]:
    """Factory: seed a bare repo + working copy from a source directory, return its Act."""

    def make(source: Path) -> Act:
        git_base = tmp_path / "git"
        workdir = tmp_path / "work"
        seed_repository(git_base, "acme/demo", source, workdir)
        return Act(workdir=workdir, git_base=git_base, scratch=tmp_path / "act")

    return make


# The local cluster and engine of the integration tests (session-wide, started once).
from integration.conftest import cluster as local_cluster  # noqa: E402
from integration.conftest import engine, kubectl  # noqa: E402, F401

from tests.images.fixtures import image_daemon, image_host  # noqa: E402, F401

cluster = local_cluster


@pytest.fixture
def stage(act_binary: Path, cluster: ClusterStatus, tmp_path: Path) -> Iterator[Stage]:
    """The demo repository on the GitHub stand-in, act, and the local cluster (maxSlots 2)."""
    built = build(tmp_path / "stage", Path(cluster.kubeconfig), max_slots=2)
    try:
        yield built
    finally:
        built.close()


@pytest.fixture
def offline_stage(act_binary: Path, tmp_path: Path) -> Iterator[Stage]:
    """The stage without a cluster: for scenarios in which nothing may reach one."""
    built = build(tmp_path / "stage", None)
    try:
        yield built
    finally:
        built.close()
