"""A local stand-in for the GitHub API (REST + GraphQL) and git smart-HTTP, for tests.

Use :func:`start` in-process (the ``github_standin`` pytest fixture does) or run it as a
process: ``python -m tests.support.github_standin --port 0 --state-file seed.json
--dump-file out.json [--git-root DIR]``, which prints its URL on the first stdout line and
dumps its state on SIGTERM/SIGINT. Point codexstack at it with ``GITHUB_API_URL=<url>``;
git remotes are ``<url>/git/<owner>/<name>.git`` (bare repositories under the git root).
:class:`Control` seeds and inspects it either way.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any, TextIO

from .control import Control
from .server import StandIn
from .state import State

__all__ = ["Control", "StandIn", "State", "spawn", "start"]

_REPO = Path(__file__).resolve().parents[3]


def start(data: dict[str, Any] | None, git_root: Path, port: int = 0) -> StandIn:
    """A running stand-in on 127.0.0.1 (``.stop()`` it when done)."""
    git_root.mkdir(parents=True, exist_ok=True)
    return StandIn(State(data), git_root, port).start()


def spawn(
    data: dict[str, Any], workdir: Path, git_root: Path, *, log: TextIO | None = None
) -> tuple[subprocess.Popen[str], str]:
    """The stand-in as its own process (as workflow steps reach it): seeded from ``data``
    (written to ``workdir/seed.json``), dumping its state to ``workdir/out.json`` on SIGTERM.
    Returns the process and its URL; the caller stops it."""
    seed_file = workdir / "seed.json"
    seed_file.write_text(json.dumps(data), encoding="utf-8")
    argv = ["--port", "0", "--state-file", str(seed_file), "--dump-file", str(workdir / "out.json")]
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.support.github_standin", *argv, "--git-root", str(git_root)],
        cwd=_REPO,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    assert proc.stdout is not None
    url = proc.stdout.readline().strip()
    if not url.startswith("http://"):
        proc.kill()
        proc.wait()
        raise RuntimeError(f"the GitHub stand-in did not start (exit {proc.returncode})")
    return proc, url
