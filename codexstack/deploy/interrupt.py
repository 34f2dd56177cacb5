"""Ctrl-C and CI cancellation: stop the engine cleanly within seconds, never leave a lock.

CI cancels a job with SIGINT, then SIGTERM 7.5 s later, then SIGKILL at 10 s (battery B2).
Child processes (the Pulumi CLI, hook scripts) run in their own sessions, so only this
process decides what they receive: the first signal is forwarded once as SIGINT (Pulumi
cancels gracefully and saves state), after ``grace_s`` it is repeated (Pulumi terminates),
after ``kill_s`` the child's process group is killed. A second signal from outside escalates
at once. The operation then fails, the caller cleans up the lock of a killed engine and
raises :class:`~codexstack.errors.Interrupted`. Without children the handler raises at once.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

from codexstack.errors import Interrupted


class Children:
    """The child processes this process runs right now (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._procs: set[subprocess.Popen[Any]] = set()

    def add(self, proc: subprocess.Popen[Any]) -> None:
        with self._lock:
            self._procs.add(proc)

    def discard(self, proc: subprocess.Popen[Any]) -> None:
        with self._lock:
            self._procs.discard(proc)

    def alive(self) -> list[subprocess.Popen[Any]]:
        with self._lock:
            return [p for p in self._procs if p.poll() is None]

    def send(self, sig: int, *, group: bool = False) -> None:
        for proc in self.alive():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                if group:
                    os.killpg(proc.pid, sig)
                else:
                    os.kill(proc.pid, sig)


CHILDREN = Children()
"""Every long-running child of codexstack registers here (engine runs, hook scripts)."""


@dataclass
class InterruptState:
    """What happened: the first signal received and when."""

    signal: int | None = None
    at: float | None = None
    escalations: list[str] = field(default_factory=list)
    deadline_hit: bool = False

    @property
    def requested(self) -> bool:
        return self.signal is not None


def _escalate(state: InterruptState, children: Children, grace_s: float, kill_s: float) -> None:
    assert state.at is not None
    deadline = state.at + grace_s
    while children.alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    if children.alive():
        state.escalations.append("terminate")
        children.send(signal.SIGINT)
    deadline = state.at + kill_s
    while children.alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    if children.alive():
        state.escalations.append("kill")
        children.send(signal.SIGKILL, group=True)


@contextlib.contextmanager
def interruptible(
    grace_s: float = 2.5, kill_s: float = 4.0, children: Children = CHILDREN
) -> Iterator[InterruptState]:
    """Handle SIGINT/SIGTERM as above for the duration of the block (main thread only)."""
    state = InterruptState()
    if threading.current_thread() is not threading.main_thread():
        yield state
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        if state.signal is not None:
            state.escalations.append("kill")
            children.send(signal.SIGKILL, group=True)
            return
        state.signal, state.at = signum, time.monotonic()
        if not children.alive():
            raise Interrupted(f"interrupted by {signal.Signals(signum).name}")
        children.send(signal.SIGINT)
        threading.Thread(
            target=_escalate,
            args=(state, children, grace_s, kill_s),
            daemon=True,
            name="codexstack-interrupt",
        ).start()

    previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield state
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


@contextlib.contextmanager
def arm_deadline(
    state: InterruptState,
    seconds: float,
    grace_s: float = 2.5,
    kill_s: float = 4.0,
    children: Children = CHILDREN,
) -> Iterator[None]:
    """Stop the children like an interrupt when the block runs longer than ``seconds``."""

    def expire() -> None:
        if state.signal is not None:
            return
        state.deadline_hit, state.at = True, time.monotonic()
        children.send(signal.SIGINT)
        _escalate(state, children, grace_s, kill_s)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
