"""The local-path provisioner as one more component of the local cluster: start, stop, health.

It is a Python process (``python -m codexstack.cluster.provisioner``, the interpreter that runs
codexstack) with a pid file and log beside the other components', so ``down`` stops it the same
way. Health comes from its heartbeat file, rewritten after every few syncs with the outcome of
the last one: a running process whose heartbeat is fresh and whose last sync reached the API
is healthy. ``up`` starts it once the node is Ready and waits for its first good sync, which
also guarantees the StorageClasses exist before any workload is applied.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from codexstack.cluster import probes, procs
from codexstack.cluster.layout import Layout
from codexstack.errors import DeployError

COMPONENT = "local-path-provisioner"
STALE_AFTER = 10.0
"""Seconds without a heartbeat after which a running provisioner counts as hung."""


def heartbeat_file(layout: Layout) -> Path:
    return layout.root / "run" / f"{COMPONENT}.json"


def volumes_root(layout: Layout) -> Path:
    return layout.root / "volumes"


def write_heartbeat(layout: Layout, data: dict[str, Any]) -> None:
    """Replace the heartbeat atomically, so a reader never sees half a file."""
    path = heartbeat_file(layout)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps({**data, "at": time.time()}), encoding="utf-8")
    os.replace(partial, path)


def _heartbeat(layout: Layout) -> tuple[bool, str]:
    try:
        data = json.loads(heartbeat_file(layout).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False, "no heartbeat yet"
    age = time.time() - float(data.get("at", 0))
    if age > STALE_AFTER:
        return False, f"no heartbeat for {age:.0f} s"
    return bool(data.get("ok")), str(data.get("detail", ""))


def probe(layout: Layout) -> tuple[bool, bool, int | None, str]:
    """``(running, healthy, pid, detail)`` of the provisioner of the cluster at ``layout``."""
    pid = procs.running_pid(layout.pid_file(COMPONENT), str(layout.root))
    if pid is None:
        return False, False, None, "not running"
    healthy, detail = _heartbeat(layout)
    return True, healthy, pid, detail


def argv(layout: Layout) -> list[str]:
    return [sys.executable, "-m", "codexstack.cluster.provisioner", f"--state-dir={layout.root}"]


def ensure_running(layout: Layout, timeout: float, say: Callable[[str], None]) -> None:
    """Start the provisioner unless it runs, then wait for a good sync with the API."""
    pid = procs.running_pid(layout.pid_file(COMPONENT), str(layout.root))
    if pid is not None:
        say(f"{COMPONENT}: running (pid {pid})")
    else:
        heartbeat_file(layout).unlink(missing_ok=True)  # an old one would pass for fresh
        pid = procs.start(
            argv(layout), pid_file=layout.pid_file(COMPONENT), log_file=layout.log(COMPONENT)
        )
        say(f"{COMPONENT}: started (pid {pid}, log {layout.log(COMPONENT)})")
    started = pid
    ok, detail = probes.wait_until(
        lambda: _heartbeat(layout), timeout=timeout, alive=lambda: not procs.exited(started)
    )
    if not ok:
        raise DeployError(
            f"{COMPONENT} did not sync with the API in {timeout:.0f} s: {detail}\n"
            f"--- {layout.log(COMPONENT)} (tail)\n{procs.log_tail(layout.log(COMPONENT))}",
            hint="see the log above; `codexstack cluster down` then `up` retries",
        )
