"""Fixtures of the GitHub tests: the stand-in server, its seed, and the env pointing at it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.github_standin import Control, StandIn, start

TOKEN = "ghp_standinTOKENvalue0123456789"
REPO = "acme/app"


def seed() -> dict[str, Any]:
    return {
        "tokens": {TOKEN: "codex-bot", "alice-token-123": "alice"},
        "repos": {
            REPO: {
                "default_branch": "main",
                "branches": {"main": {"protected": True}, "release": {"protected": True}},
                "collaborators": {"alice": "admin", "bob": "write", "carol": "read"},
                "issues": {},
            }
        },
    }


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


def add_issue(control: Control, number: int, **fields: Any) -> None:
    """Put issue (or PR, with ``pull=``) ``number`` into the stand-in's repository."""
    state = control.state()
    state["repos"][REPO]["issues"][str(number)] = fields
    control.load(state)
