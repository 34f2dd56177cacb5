"""Stops Pulumi plugin processes whose engine is gone (left behind by a killed run).

The engine starts each plugin (the Kubernetes provider) as its child, in the plugin's own
process group. When the engine is killed (``kill -9``, an OOM kill, a CI runner cancelled
hard) nothing tells the plugin: it is re-parented and keeps running, here for more than half an
hour with ~110 MiB each, so a few crashes pile up gigabytes. A plugin is an orphan when its
executable lies under our ``PULUMI_HOME`` plugin cache, it belongs to this user, and its
parent is no longer a running Pulumi engine; a live engine's plugins are never touched (the
parent check is the same one the stale-lock rule uses). Processes are read with ``psutil``.
"""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path

import psutil

from codexstack.deploy.locks import is_engine


def orphan_plugins(pulumi_home: Path) -> list[int]:
    """Pids of this user's plugin processes from ``pulumi_home`` whose engine is gone."""
    plugins = (pulumi_home / "plugins").resolve()
    uid = os.getuid()
    found = []
    for proc in psutil.process_iter(["uids", "exe", "ppid", "status"]):
        info = proc.info  # unreadable fields are None (another user's process)
        uids, exe = info.get("uids"), info.get("exe")
        if not uids or uids.effective != uid or not exe or info["status"] == psutil.STATUS_ZOMBIE:
            continue  # a zombie is already dead: only its parent can reap it
        if Path(exe.removesuffix(" (deleted)")).is_relative_to(plugins) and not is_engine(
            int(info["ppid"] or 0)
        ):
            found.append(proc.pid)
    return found


def reap_orphan_plugins(pulumi_home: str | Path | None) -> list[str]:
    """Kill the orphaned plugins of ``pulumi_home``; one note per batch for the run summary."""
    if not pulumi_home:
        return []
    pids = orphan_plugins(Path(pulumi_home))
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    if not pids:
        return []
    return [f"stopped {len(pids)} engine plugin process(es) left by a killed run"]
