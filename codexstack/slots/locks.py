"""Per-slot file locks for the local (SQLite) registry, and the "slot busy" error of all locks.

apply, destroy and GC of a slot take the slot's lock, so a destroy never runs under an apply
(battery E1). Locally the lock is an ``flock`` on ``<dir>/slot-<N>.lock``: the kernel drops it
when the holding process dies, so a ``kill -9`` never leaves a stale lock behind. The holder
id is written into the file only to name the holder in the "busy" message (the flock
itself is :func:`codexstack.flock.held_flock`, shared with the stacks' local lock).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from codexstack.errors import StackBusyError
from codexstack.flock import held_flock


def busy_error(slot: int, holder: str, wait: float) -> StackBusyError:
    """The one "slot busy" message of every lock kind."""
    who = f" (held by {holder})" if holder else ""
    waited = f" after waiting {wait:g}s" if wait > 0 else ""
    return StackBusyError(
        f"slot {slot} is busy: another apply, destroy or GC holds its lock{who}{waited}",
        hint="retry later, or pass a longer lock wait",
    )


@contextlib.contextmanager
def file_lock(directory: Path, slot: int, holder: str, wait: float = 0.0) -> Iterator[None]:
    """Hold ``<directory>/slot-<slot>.lock`` exclusively; raise StackBusyError after ``wait`` s."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"slot-{slot}.lock"
    with held_flock(path, holder, wait, lambda: busy_error(slot, _read_holder(path), wait)):
        yield


def _read_holder(path: Path) -> str:
    try:
        return path.read_text(errors="replace").strip()
    except OSError:
        return ""
