"""Signal handling around child processes (the B2 timeline, on a stand-in child)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from codexstack.deploy.interrupt import Children, arm_deadline, interruptible
from codexstack.errors import Interrupted

STUBBORN = "import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); time.sleep(60)"
GRACEFUL = (
    "import signal, sys, time\n"
    "signal.signal(signal.SIGINT, lambda *a: sys.exit(3))\n"
    "print('ready', flush=True); time.sleep(60)"
)


def _start(code: str, children: Children) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", code], start_new_session=True, stdout=subprocess.PIPE, text=True
    )
    children.add(proc)
    return proc


def _send_later(sig: int, delay: float) -> None:
    threading.Timer(delay, os.kill, args=(os.getpid(), sig)).start()


def test_sigint_is_forwarded_once_and_a_graceful_child_exits():
    children = Children()
    proc = _start(GRACEFUL, children)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    with interruptible(grace_s=2, kill_s=3, children=children) as state:
        _send_later(signal.SIGINT, 0.1)
        code = proc.wait(timeout=10)
    assert code == 3
    assert state.requested
    assert state.escalations == []


def test_a_child_ignoring_sigint_is_killed_within_the_budget():
    children = Children()
    proc = _start(STUBBORN, children)
    time.sleep(0.3)
    began = time.monotonic()
    with interruptible(grace_s=0.5, kill_s=1.0, children=children) as state:
        _send_later(signal.SIGINT, 0.05)
        proc.wait(timeout=10)
    assert time.monotonic() - began < 2.5
    assert state.escalations == ["terminate", "kill"]
    assert proc.returncode == -signal.SIGKILL


def _wait_for_signal() -> None:
    with interruptible(children=Children()):
        _send_later(signal.SIGTERM, 0.05)
        time.sleep(5)


def test_without_children_the_interrupt_is_raised_at_once():
    began = time.monotonic()
    with pytest.raises(Interrupted):
        _wait_for_signal()
    assert time.monotonic() - began < 1


def test_a_deadline_stops_children_without_an_interrupt():
    children = Children()
    proc = _start(STUBBORN, children)
    with (
        interruptible(children=children) as state,
        arm_deadline(state, 0.2, grace_s=0.2, kill_s=0.4, children=children),
    ):
        proc.wait(timeout=10)
    assert state.deadline_hit
    assert not state.requested
