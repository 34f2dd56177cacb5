"""Kit of the GitHub tests: the stand-in seed, issue helpers, real git (bare origin, clone)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.support.github_standin import Control

TOKEN = "ghp_standinTOKENvalue0123456789"
REPO = "acme/app"

GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(cwd: Path, *args: str, check: bool = True) -> str:
    if shutil.which("git") is None:
        pytest.fail("git is not installed: apt-get install git")
    env = {**os.environ, **GIT_ENV, "HOME": str(cwd), "GIT_TERMINAL_PROMPT": "0"}
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    if check and done.returncode != 0:
        pytest.fail(f"git {' '.join(args)}: {done.stderr}")
    return done.stdout.strip()


def make_origin(git_root: Path, full_name: str, branches: list[str]) -> Path:
    """A bare repo under a stand-in git root with ``main`` plus ``branches``."""
    bare = git_root / f"{full_name}.git"
    bare.parent.mkdir(parents=True, exist_ok=True)
    git(bare.parent, "init", "-q", "--bare", "-b", "main", str(bare))
    seed = bare.parent / "seed"
    git(bare.parent, "init", "-q", "-b", "main", str(seed))
    for name in ("docs", "services", "other"):
        (seed / name).mkdir()
        (seed / name / "a.txt").write_text("one\n")
    git(seed, "add", "-A")
    git(seed, "commit", "-qm", "init")
    git(seed, "push", "-q", str(bare), "main")
    for branch in branches:
        git(seed, "push", "-q", str(bare), f"main:refs/heads/{branch}")
    shutil.rmtree(seed)
    return bare


def clone(origin: str, into: Path, branch: str) -> Path:
    """A work tree of ``origin`` (a path) on ``branch``; its remote stays a plain path."""
    into.parent.mkdir(parents=True, exist_ok=True)
    git(into.parent, "clone", "-q", "-b", branch, origin, str(into))
    return into


def head(bare: Path, branch: str) -> str:
    return git(bare, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}", check=False)


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


def add_issue(control: Control, number: int, **fields: Any) -> None:
    """Put issue (or PR, with ``pull=``) ``number`` into the stand-in's repository."""
    state = control.state()
    state["repos"][REPO]["issues"][str(number)] = fields
    control.load(state)


SERVICES = """\
project: shop
baseDomain:
  ai: ai.shop.local
environments:
  ai: {}
codex:
  links:
    - title: Swagger
      path: swagger
"""


def outputs(project: Path) -> list[str]:
    """The $GITHUB_OUTPUT lines written so far (the file is then emptied)."""
    path = project / "gh-output"
    if not path.exists():
        return []
    lines = path.read_text().splitlines()
    path.unlink()
    return lines
