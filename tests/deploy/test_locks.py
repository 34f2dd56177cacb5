"""The local stack lock and stale engine locks, with real processes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from codexstack.deploy.locks import clear_stale, engine_locks, is_stale, local_lock
from codexstack.errors import CodexstackError, ExitCode, StackBusyError

HOLD = """
import sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from codexstack.deploy.locks import local_lock
with local_lock(Path({dir!r}), "ai-1"):
    print("held", flush=True)
    time.sleep(30)
"""


def test_a_second_holder_is_busy_at_once_and_the_lock_dies_with_its_holder(tmp_path: Path):
    root = str(Path(__file__).resolve().parents[2])
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD.format(root=root, dir=str(tmp_path))],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        began = time.monotonic()
        with pytest.raises(StackBusyError) as info, local_lock(tmp_path, "ai-1"):
            pass
        assert time.monotonic() - began < 1
        assert info.value.exit_code == ExitCode.TEMPORARY
        assert f"pid {holder.pid}" in str(info.value)
        assert "slot 1 (stack ai-1) is busy" in str(info.value)  # B3 on a slot stack
    finally:
        holder.kill()
        holder.wait()
    with local_lock(tmp_path, "ai-1"):
        pass


def _write_lock(backend: Path, pid: int, host: str) -> Path:
    folder = backend / ".pulumi" / "locks" / "organization" / "demo" / "ai-1"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{pid}-{host}.json"
    path.write_text(
        json.dumps(
            {"pid": pid, "username": "ci", "hostname": host, "timestamp": "2025-01-01T00:00:00Z"}
        )
    )
    return path


def _dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_only_locks_of_dead_processes_on_this_host_are_stale(tmp_path: Path):
    here = socket.gethostname()
    fake_engine = tmp_path / "bin" / "pulumi"
    fake_engine.parent.mkdir()
    fake_engine.symlink_to("/bin/sleep")
    live = subprocess.Popen([str(fake_engine), "30"])
    try:
        dead = _write_lock(tmp_path, _dead_pid(), here)
        running = _write_lock(tmp_path, live.pid, here)
        elsewhere = _write_lock(tmp_path, _dead_pid(), "other-runner")
        reused = _write_lock(tmp_path, os.getpid(), here)  # alive, but not an engine
        locks = {lock.path: lock for lock in engine_locks(tmp_path, "demo", "ai-1")}
        assert is_stale(locks[dead])
        assert not is_stale(locks[running])
        assert not is_stale(locks[elsewhere])
        assert is_stale(locks[reused])
        removed, held = clear_stale(tmp_path, "demo", "ai-1")
        assert {lock.path for lock in removed} == {dead, reused}
        assert {lock.path for lock in held} == {running, elsewhere}
        assert not dead.exists()
        assert running.exists()
    finally:
        live.kill()
        live.wait()


def test_a_lock_file_planted_as_a_symlink_is_refused_and_its_target_untouched(tmp_path: Path):
    """Issue 14 defect 11: before, the holder truncated and wrote the link's target."""
    target = tmp_path / "precious"
    target.write_text("keep me\n")
    stack_dir = tmp_path / "stacks" / "ai-1"
    stack_dir.mkdir(parents=True)
    (stack_dir / ".lock").symlink_to(target)
    with pytest.raises(CodexstackError, match="symbolic link"), local_lock(stack_dir, "ai-1"):
        pytest.fail("the lock was taken through a symlink")
    assert target.read_text() == "keep me\n"
