"""Background processes of the local cluster: start detached, find by pid file, stop safely.

Each component runs in its own session (``start_new_session``) so it outlives the command that
started it and is not hit by that terminal's Ctrl-C. A pid file alone is not trusted: before a
pid counts as ours its command line (read with ``psutil``) must name the expected binary and
the cluster's state directory, so a recycled pid or a process someone else started is never
signalled.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import psutil


def _cmdline(pid: int) -> list[str]:
    try:
        return psutil.Process(pid).cmdline()
    except psutil.Error:  # gone, a zombie, or not ours to read
        return []


def _zombie(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() in (psutil.STATUS_ZOMBIE, psutil.STATUS_DEAD)
    except psutil.NoSuchProcess:
        return True
    except psutil.Error:
        return False


def is_ours(pid: int, binary: Path, marker: str) -> bool:
    """True when ``pid`` is alive and runs ``binary`` with ``marker`` among its arguments."""
    argv = _cmdline(pid)
    if not argv or _zombie(pid):
        return False
    return argv[0] == str(binary) and any(marker in arg for arg in argv[1:])


def _recorded(pid_file: Path) -> tuple[int, Path] | None:
    try:
        pid_text, binary = pid_file.read_text(encoding="utf-8").splitlines()[:2]
        return int(pid_text), Path(binary)
    except (OSError, ValueError):
        return None


def running_pid(pid_file: Path, marker: str) -> int | None:
    """The pid recorded in ``pid_file`` if that process is still ours, else None.

    The pid file also records the binary that was started, so a process of an older pinned
    version is still recognised (and stopped) after the pins move on.
    """
    recorded = _recorded(pid_file)
    if recorded is None:
        return None
    pid, binary = recorded
    return pid if is_ours(pid, binary, marker) else None


def start(
    argv: Sequence[str], *, pid_file: Path, log_file: Path, env: Mapping[str, str] | None = None
) -> int:
    """Start ``argv`` detached, appending its output to ``log_file``; returns the pid."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("ab") as log:
        log.write(f"\n--- {time.strftime('%Y-%m-%dT%H:%M:%S')} start: {' '.join(argv)}\n".encode())
        log.flush()
        proc = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            close_fds=True,
            env=dict(env) if env is not None else None,
        )
    pid_file.write_text(f"{proc.pid}\n{argv[0]}\n", encoding="utf-8")
    # Popen would warn at exit about a child still running; it is meant to outlive us.
    proc.returncode = 0
    return proc.pid


def exited(pid: int) -> bool:
    """True when ``pid`` is gone or a zombie; reaps it when it is our own child."""
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return True
    except ChildProcessError:
        pass
    return not psutil.pid_exists(pid) or _zombie(pid)


def stop(pid_file: Path, marker: str, *, timeout: float = 15.0) -> bool:
    """SIGTERM the recorded process if it is ours, SIGKILL after ``timeout``; True if stopped."""
    recorded = _recorded(pid_file)
    pid = running_pid(pid_file, marker)
    pid_file.unlink(missing_ok=True)
    if pid is None or recorded is None:
        return False
    binary = recorded[1]
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if exited(pid):
            return True
        time.sleep(0.1)
    if is_ours(pid, binary, marker):
        os.kill(pid, signal.SIGKILL)
        while not exited(pid):
            time.sleep(0.05)
    return True


def log_tail(log_file: Path, lines: int = 15) -> str:
    """The last lines of a component log, for error messages."""
    try:
        text = log_file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])
