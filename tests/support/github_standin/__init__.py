"""A local stand-in for the GitHub API (REST + GraphQL) and git smart-HTTP, for tests.

Use :func:`start` in-process (the ``github_standin`` pytest fixture does) or run it as a
process: ``python -m tests.support.github_standin --port 0 --state-file seed.json
--dump-file out.json [--git-root DIR]``, which prints its URL on the first stdout line and
dumps its state on SIGTERM/SIGINT. Point codexstack at it with ``GITHUB_API_URL=<url>``;
git remotes are ``<url>/git/<owner>/<name>.git`` (bare repositories under the git root).
:class:`Control` seeds and inspects it either way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .control import Control
from .server import StandIn
from .state import State

__all__ = ["Control", "StandIn", "State", "start"]


def start(data: dict[str, Any] | None, git_root: Path, port: int = 0) -> StandIn:
    """A running stand-in on 127.0.0.1 (``.stop()`` it when done)."""
    git_root.mkdir(parents=True, exist_ok=True)
    return StandIn(State(data), git_root, port).start()
