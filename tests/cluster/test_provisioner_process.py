"""The provisioner as a cluster component: started, probed and stopped like the others.

Without an apiserver (an empty state directory) it must keep running, report why it is not
healthy in its heartbeat, and stop promptly and cleanly on SIGTERM; nothing here needs the
engine binaries, so it runs in every test session.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from codexstack.cluster import probes, procs, storage
from codexstack.cluster.layout import Layout


@pytest.fixture
def started(tmp_path: Path) -> Iterator[tuple[Layout, int]]:
    """A provisioner on an empty state directory, past its first sync attempt."""
    layout = Layout(tmp_path)
    pid_file = layout.pid_file(storage.COMPONENT)
    pid = procs.start(storage.argv(layout), pid_file=pid_file, log_file=layout.log("p"))
    try:
        ok, _ = probes.wait_until(
            lambda: (storage.heartbeat_file(layout).exists(), "no heartbeat"), timeout=15
        )
        assert ok, procs.log_tail(layout.log("p"))
        yield layout, pid
    finally:
        procs.stop(pid_file, str(tmp_path), timeout=5)


def test_without_an_apiserver_it_keeps_running_and_says_why(started: tuple[Layout, int]) -> None:
    layout, pid = started
    time.sleep(1.0)  # a few more failed syncs
    running, healthy, probed_pid, why = storage.probe(layout)
    assert (running, healthy, probed_pid) == (True, False, pid)
    assert "ports.json" in why
    assert layout.log("p").read_text().count("cluster never started") == 1


def test_stopping_it_like_any_component_is_prompt(started: tuple[Layout, int]) -> None:
    layout, _ = started
    begun = time.monotonic()
    assert procs.stop(layout.pid_file(storage.COMPONENT), str(layout.root), timeout=10)
    assert time.monotonic() - begun < 3
    assert layout.log("p").read_text().splitlines()[-1].endswith("INFO stopped")
    assert storage.probe(layout)[:2] == (False, False)


def test_sigterm_ends_the_loop_with_exit_status_zero(started: tuple[Layout, int]) -> None:
    _, pid = started
    os.kill(pid, signal.SIGTERM)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
