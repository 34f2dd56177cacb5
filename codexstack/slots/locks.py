"""Per-slot file locks for the local (SQLite) registry, and the polling helper all locks share.

apply, destroy and GC of a slot take the slot's lock, so a destroy never runs under an apply
(battery E1). Locally the lock is an ``flock`` on ``<dir>/slot-<N>.lock``: the kernel drops it
when the holding process dies, so a ``kill -9`` never leaves a stale lock behind. The holder
id is written into the file only to name the holder in the "busy" message.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from codexstack.errors import StackBusyError

POLL_SECONDS = 0.05


def poll_until(attempt: Callable[[], bool], wait: float, interval: float = POLL_SECONDS) -> bool:
    """Call ``attempt`` until it returns True or ``wait`` seconds have passed (at least once)."""
    deadline = time.monotonic() + max(wait, 0.0)
    while True:
        if attempt():
            return True
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        time.sleep(min(interval, remaining))


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
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:

        def attempt() -> bool:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True

        if not poll_until(attempt, wait):
            raise busy_error(slot, _read_holder(path), wait)
        os.ftruncate(fd, 0)
        os.pwrite(fd, holder.encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _read_holder(path: Path) -> str:
    try:
        return path.read_text(errors="replace").strip()
    except OSError:
        return ""
