"""A private temporary directory for the engine, so no credential copy is left in ``/tmp``.

pulumi-kubernetes writes the whole kubeconfig it is configured with (client keys or tokens
included) to a new ``$TMPDIR/kubeconfig*`` file on every provider start and never removes it:
a day of CI left hundreds of such files in ``/tmp``. Each process that opens a stack gives the
engine (and so its plugins) its own ``TMPDIR`` under the project's state folder: mode 0700,
named by pid, removed when the process exits; folders of processes that are gone (a crash, a
kill) are removed by the next one that opens a stack of the project.
"""

from __future__ import annotations

import atexit
import os
import shutil
from pathlib import Path

import psutil

_made: dict[Path, Path] = {}


def engine_tmpdir(state_root: Path) -> Path:
    """This process's private temp folder under ``state_root`` (created once, 0700)."""
    base = state_root / "tmp"
    mine = _made.get(base)
    if mine is not None and mine.is_dir():
        return mine
    base.mkdir(mode=0o700, parents=True, exist_ok=True)
    _remove_orphans(base)
    mine = base / f"engine-{os.getpid()}"
    mine.mkdir(mode=0o700, exist_ok=True)
    os.chmod(mine, 0o700)
    _made[base] = mine
    if len(_made) == 1:
        atexit.register(_remove_all)
    return mine


def _remove_orphans(base: Path) -> None:
    for entry in base.glob("engine-*"):
        pid = entry.name.removeprefix("engine-")
        if pid.isdigit() and int(pid) != os.getpid() and not psutil.pid_exists(int(pid)):
            shutil.rmtree(entry, ignore_errors=True)


def _remove_all() -> None:
    for path in _made.values():
        shutil.rmtree(path, ignore_errors=True)
    _made.clear()
