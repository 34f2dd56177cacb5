"""Fixtures of the loop tests: act (built by scripts/engine) around a seeded bare repository.

``act_repo`` copies a directory of ``tests/loop/workflows`` into a fresh bare repository
``acme/demo.git`` and a working copy, and returns an :class:`Act` bound to them. A missing act
build fails the test with the command that builds it; nothing here skips.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from loop.actkit import Act, ActMissing, binary, seed_repository

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
