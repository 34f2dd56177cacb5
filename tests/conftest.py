"""Session rules for the whole suite: a CI run stops the local cluster it started.

Three fixture families bring the project's local cluster up when it is down (the integration,
slot and GitHub-operation tests), and whichever runs first starts it. A CI session
(``CI=true``) that found it down stops it when the session ends, so a fresh-clone CI run leaves
no processes behind; a developer's cluster that was already running is left running.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

STATE = Path(__file__).resolve().parents[1] / ".codexstack" / "cluster"
_started_down: list[bool] = []


def _ci() -> bool:
    return os.environ.get("CI", "") not in ("", "0", "false")


def pytest_sessionstart(session: pytest.Session) -> None:
    if _ci():
        from codexstack.cluster import local  # noqa: PLC0415 - only CI sessions need it

        _started_down.append(not local.status(STATE).healthy)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _started_down == [True]:
        from codexstack.cluster import local  # noqa: PLC0415

        local.down(STATE)
