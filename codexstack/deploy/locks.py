"""Who may run a stack now: a local lock for instant "busy", and stale engine locks.

Two layers. First an ``flock`` on ``.codexstack/stacks/<stack>/.lock``: a second codexstack on
this machine learns at once that the stack is busy (exit 75), and the kernel drops the lock
when its holder dies, even by ``kill -9``. Second, Pulumi's own lock files in a file backend
(``.pulumi/locks/<org>/<project>/<stack>/<id>.json``, with pid, user, host and time), which
a killed engine leaves behind. Holding the local lock, codexstack removes such a lock only
when it was written on this host by a process that is gone (or is no longer a Pulumi
engine); any other lock means someone else is running, and the error says who and how to
clear it by hand.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil

from codexstack.errors import StackBusyError
from codexstack.flock import held_flock
from codexstack.naming import SLOT_ENV, is_slot_stack


@contextlib.contextmanager
def local_lock(stack_dir: Path, stack: str, wait_s: float = 0.0) -> Iterator[None]:
    """Hold the stack's local lock; StackBusyError when another process holds it."""
    path = stack_dir / ".lock"
    holder = f"pid {os.getpid()} on {socket.gethostname()}"

    def taken() -> StackBusyError:
        return busy(stack, path.read_text(errors="replace").strip() or "another process")

    with held_flock(path, holder, wait_s, taken):
        yield


def busy(stack: str, holder: str) -> StackBusyError:
    """The one "stack busy" error (exit 75); a slot's stack says "slot N is busy" (B3)."""
    slot = stack.removeprefix(f"{SLOT_ENV}-")
    what = f"slot {slot} (stack {stack})" if is_slot_stack(stack) else f"stack {stack}"
    return StackBusyError(
        f"{what} is busy: an apply, destroy or refresh is running ({holder})",
        hint="wait for it to finish and retry",
    )


@dataclass(frozen=True)
class EngineLock:
    """One Pulumi lock file of a file backend."""

    path: Path
    pid: int
    user: str
    host: str
    timestamp: str

    def __str__(self) -> str:
        return f"{self.user}@{self.host} pid {self.pid} since {self.timestamp}"


def engine_locks(backend_dir: Path, project: str, stack: str) -> list[EngineLock]:
    """The lock files of ``stack`` in a file backend (unreadable ones count, pid 0)."""
    folder = backend_dir / ".pulumi" / "locks" / "organization" / project / stack
    locks = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            data = {}
        locks.append(
            EngineLock(
                path,
                int(data.get("pid") or 0),
                str(data.get("username", "")),
                str(data.get("hostname", "")),
                str(data.get("timestamp", "")),
            )
        )
    return locks


def is_engine(pid: int) -> bool:
    """True when ``pid`` runs now and is a Pulumi engine (pids get reused)."""
    try:
        cmdline = psutil.Process(pid).cmdline()
    except psutil.Error:  # gone, a zombie, or not ours to read
        return False
    return any(os.path.basename(arg) == "pulumi" for arg in cmdline[:3])


def is_stale(lock: EngineLock, host: str | None = None) -> bool:
    """Written on this host by a process that is no longer a running engine."""
    return lock.host == (host or socket.gethostname()) and lock.pid > 0 and not is_engine(lock.pid)


def clear_stale(
    backend_dir: Path, project: str, stack: str
) -> tuple[list[EngineLock], list[EngineLock]]:
    """Remove stale engine locks; return (removed, still held by others)."""
    removed, held = [], []
    for lock in engine_locks(backend_dir, project, stack):
        if is_stale(lock):
            with contextlib.suppress(FileNotFoundError):
                lock.path.unlink()
            removed.append(lock)
        else:
            held.append(lock)
    return removed, held
