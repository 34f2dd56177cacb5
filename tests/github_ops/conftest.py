"""Fixtures of the GitHub tests: the stand-in server, its seed, and the env pointing at it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from ghkit import REPO, SERVICES, TOKEN, seed

from tests.support.github_standin import Control, StandIn, start


@pytest.fixture
def standin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[StandIn]:
    server = start(seed(), tmp_path / "git-root")
    for name in ("GH_TOKEN", "GITHUB_TOKEN", "CODEX_GH_PAT", "GITHUB_REPOSITORY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GITHUB_API_URL", server.url)
    monkeypatch.setenv("CODEXCTL_GH_PAT", TOKEN)
    monkeypatch.setenv("CODEXCTL_REPO", REPO)
    monkeypatch.setenv("CODEXSTACK_GITHUB_THROTTLE", "0")
    monkeypatch.setenv("CODEXSTACK_GITHUB_WAIT", "10")
    monkeypatch.setenv("CODEXSTACK_GITHUB_TIMEOUT", "10")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def control(standin: StandIn) -> Control:
    return Control(standin.url)


@pytest.fixture
def project(standin: StandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project dir with services.yaml, cwd there, only the stand-in's GitHub variables set."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "services.yaml").write_text(SERVICES)
    monkeypatch.chdir(root)
    cache = os.environ.get("CODEXSTACK_CACHE") or str(Path.home() / ".cache" / "codexstack")
    keep = {"GITHUB_API_URL", "CODEXCTL_GH_PAT", "CODEXCTL_REPO"}
    for name in list(os.environ):
        if name in keep or name.startswith("CODEXSTACK_GITHUB_"):
            continue
        if name.startswith(("CODEXCTL_", "CODEXSTACK_", "GITHUB_")) or name == "KUBECONFIG":
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CODEXSTACK_CACHE", cache)  # the engine binaries stay where they are
    monkeypatch.setenv("GITHUB_OUTPUT", str(root / "gh-output"))
    return root


@pytest.fixture(scope="session")
def local_cluster() -> Path:
    """The project's local cluster (started when down); its kubeconfig. Never a skip."""
    from codexstack.cluster import local  # noqa: PLC0415 - only the integration test needs it
    from codexstack.errors import ToolMissingError  # noqa: PLC0415

    try:
        status = local.up(Path(__file__).resolve().parents[2] / ".codexstack" / "cluster")
    except ToolMissingError as exc:
        pytest.fail(f"local cluster binaries missing: {exc}; build them with ./scripts/engine")
    assert status.healthy, status.text()
    return Path(status.kubeconfig)
