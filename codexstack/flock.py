"""Exclusive file locks that name their holder, and the polling loop every lock kind shares.

A stack's local lock (deploy) and a slot's lock in the local registry (slots) are both an
``flock`` on a lock file: the kernel drops it when the holding process dies, even by
``kill -9``, so it never goes stale. The holder writes who it is into the file only so that
a process finding the lock taken can say who holds it. The lock file is opened without
following a symbolic link: a link planted at its path would make the holder truncate and write
whatever file it points to. The module stands outside the layers and uses nothing but the
standard library and the error tree, so deploy and slots (siblings) can both use it.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from codexstack.errors import CodexstackError

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


@contextlib.contextmanager
def held_flock(
    path: Path, holder: str, wait: float, busy: Callable[[], Exception]
) -> Iterator[None]:
    """Hold ``path`` exclusively with ``holder`` written in it; raise ``busy()`` after ``wait`` s.

    ``busy`` is called while the other process still holds the lock, so it can read that
    holder's name from ``path``. The name is wiped before the lock is released.
    """
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        if exc.errno != errno.ELOOP:
            raise
        raise CodexstackError(
            f"lock file {path} is a symbolic link; refusing to follow it",
            hint="remove the link (nothing but codexstack should create files there)",
        ) from None
    try:

        def attempt() -> bool:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True

        if not poll_until(attempt, wait):
            raise busy()
        os.ftruncate(fd, 0)
        os.pwrite(fd, holder.encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
