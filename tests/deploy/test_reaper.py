"""The orphan-plugin reaper with real processes: orphans die, a live engine's plugins live.

A "plugin" is a copy of ``sleep`` under a temporary ``PULUMI_HOME/plugins``; an "engine" is a
copy of ``bash`` named ``pulumi`` (the reaper, like the stale-lock rule, knows an engine by
its program name). An orphan is made the way a ``kill -9`` of the engine makes one: its
parent exits and it is re-parented.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from codexstack.deploy.reaper import orphan_plugins, reap_orphan_plugins
from codexstack.flock import poll_until

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="Linux /proc only")


def install(home: Path) -> tuple[Path, Path]:
    plugin = home / "plugins" / "resource-fake-v1.0.0" / "pulumi-resource-fake"
    plugin.parent.mkdir(parents=True)
    shutil.copy2(shutil.which("sleep") or "/bin/sleep", plugin)
    engine = home.parent / "bin" / "pulumi"
    engine.parent.mkdir()
    shutil.copy2(shutil.which("bash") or "/bin/bash", engine)
    return plugin, engine


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_orphans_are_killed_and_a_live_engines_plugins_are_not(tmp_path: Path) -> None:
    home = tmp_path / "pulumi-home"
    plugin, engine = install(home)
    # A live engine with its plugin as a child.
    live = subprocess.Popen(
        [str(engine), "-c", f"{plugin} 300 & echo $!; wait"], stdout=subprocess.PIPE, text=True
    )
    assert live.stdout is not None
    kept = int(live.stdout.readline())
    # An orphan: its parent starts it in the background and exits at once.
    started = subprocess.run(
        ["bash", "-c", f"{plugin} 300 >/dev/null 2>&1 & echo $!"],
        capture_output=True,
        text=True,
        check=True,
    )
    orphan = int(started.stdout)
    try:
        assert poll_until(lambda: orphan in orphan_plugins(home), 10.0)
        assert kept not in orphan_plugins(home)
        notes = reap_orphan_plugins(home)
        assert notes == ["stopped 1 engine plugin process(es) left by a killed run"]
        assert poll_until(lambda: not alive(orphan), 10.0)
        assert alive(kept)
        assert reap_orphan_plugins(home) == []
    finally:
        for pid in (orphan, kept):
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        live.wait(timeout=10)


def test_nothing_to_do_without_a_pulumi_home(tmp_path: Path) -> None:
    assert reap_orphan_plugins(None) == []
    assert reap_orphan_plugins(tmp_path / "absent") == []


def test_an_engine_run_does_not_wait_for_a_plugin_that_outlives_it(tmp_path: Path) -> None:
    """The engine exits, its plugin (holding the engine's stdout/stderr) does not."""
    from codexstack.deploy.engine import TrackedPulumiCommand  # noqa: PLC0415

    home = tmp_path / "pulumi-home"
    plugin, _ = install(home)
    root = tmp_path / "engine"
    (root / "bin").mkdir(parents=True)
    fake = root / "bin" / "pulumi"
    fake.write_text(f"#!/bin/bash\n{plugin} 120 &\necho $! > {tmp_path}/plugin.pid\necho done\n")
    fake.chmod(0o755)
    began = time.monotonic()
    result = TrackedPulumiCommand(str(root), "3.259.0").run(
        ["version"], str(tmp_path), {"PULUMI_HOME": str(home)}
    )
    took = time.monotonic() - began
    pid = int((tmp_path / "plugin.pid").read_text())
    assert result.stdout == "done"
    assert took < 30, took  # not the plugin's 120 s
    assert poll_until(lambda: not alive(pid), 10.0)  # and the orphan was stopped on the way
