"""The deploy layer against the real Pulumi engine (no cluster): stacks, tags, locks, crashes.

A program without Kubernetes objects is enough to exercise what this layer owns: the
per-stack work dir and file backend, tags written once, a second concurrent run refused as
busy in well under the 5 s of battery B3, and the lock a ``kill -9``-ed run leaves behind
being recovered (and only that one).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pulumi
import pytest

from codexstack.cluster import tools
from codexstack.deploy.engine import Engine
from codexstack.deploy.locks import engine_locks
from codexstack.deploy.recovery import recover_locks, repair_sidecars
from codexstack.deploy.state import ProjectState, file_backend_dir
from codexstack.deploy.workspace import open_stack, sync_tags
from codexstack.plan.model import Plan

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]
REPO = Path(__file__).resolve().parents[2]

SLOW_RUN = """
import sys, time
sys.path.insert(0, {repo!r})
from pathlib import Path
import pulumi
from codexstack.cluster import tools
from codexstack.deploy.engine import Engine
from codexstack.deploy.state import ProjectState
from codexstack.deploy.workspace import open_stack
from codexstack.plan.model import Plan

def program():
    print("program running", flush=True)
    time.sleep(60)

plan = Plan("crashy", "ai", 9, "crashy-ai-9", "ai-9", (), ())
handle = open_stack(plan, ProjectState(Path({project!r})), Engine(tools.pulumi_root(),
                    tools.pulumi_env()), program)
handle.stack.up()
"""


@pytest.fixture
def engine() -> Engine:
    if not tools.tools()["pulumi"].present:
        pytest.fail(f"pulumi is not built: {tools.INSTALL_HINT}", pytrace=False)
    return Engine(tools.pulumi_root(), tools.pulumi_env())


@pytest.fixture(autouse=True)
def _no_ambient_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("PULUMI_BACKEND_URL", "PULUMI_CONFIG_PASSPHRASE", "PULUMI_CONFIG_PASSPHRASE_FILE"):
        monkeypatch.delenv(var, raising=False)


def _plan(**tags: str) -> Plan:
    return Plan("demo-shop", "ai", 3, "demo-shop-dev-3", "ai-3", (), (), tags=tags)


def test_a_stack_lives_in_the_project_and_is_tagged_once(tmp_path: Path, engine: Engine):
    state = ProjectState(tmp_path)
    handle = open_stack(_plan(issue="42"), state, engine, lambda: pulumi.export("ok", True))
    assert handle.backend == (tmp_path / ".codexstack" / "state").as_uri() + "?metadata=skip"
    tags = sync_tags(handle, _plan(issue="42"))
    assert tags["codexstack:issue"] == "42"
    assert tags["codexstack:slot"] == "3"
    assert dict(handle.stack.list_tags())["codexstack:created"] == tags["codexstack:created"]
    result = handle.stack.up()
    assert result.outputs["ok"].value is True
    checkpoint = tmp_path / ".codexstack/state/.pulumi/stacks/demo-shop/ai-3.json"
    assert json.loads(checkpoint.read_text())["checkpoint"]["latest"]["resources"]
    assert (tmp_path / ".codexstack/stacks/ai-3/Pulumi.ai-3.yaml").is_file()


def test_a_tag_cache_of_another_stack_is_not_trusted(tmp_path: Path, engine: Engine):
    """The work dir is per stack name; a project renamed (or a project dir copied under a new
    name) meets the old stack's cache: its new stack must still get every tag."""
    state = ProjectState(tmp_path)
    first = open_stack(_plan(issue="42"), state, engine, None)
    sync_tags(first, _plan(issue="42"))
    renamed = replace(_plan(issue="42"), project="demo-shop-2")
    second = open_stack(renamed, state, engine, None)
    sync_tags(second, renamed)
    tags = dict(second.stack.list_tags())
    assert (tags["codexstack:slot"], tags["codexstack:issue"]) == ("3", "42"), tags
    assert "codexstack:created" in tags


def _start_slow_run(project: Path) -> subprocess.Popen[str]:
    code = SLOW_RUN.format(repo=str(REPO), project=str(project))
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.stdout.readline().strip() == "program running":
            return proc
    raise AssertionError("the slow run never started its program")


def test_a_killed_run_leaves_a_lock_that_the_next_run_recovers(tmp_path: Path, engine: Engine):
    proc = _start_slow_run(tmp_path)
    state = ProjectState(tmp_path)
    backend = file_backend_dir(state.default_backend)
    assert backend is not None
    held = engine_locks(backend, "crashy", "ai-9")
    assert len(held) == 1
    os.kill(proc.pid, signal.SIGKILL)  # codexstack dies; setpriv takes the engine with it
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and Path(f"/proc/{held[0].pid}").exists():
        time.sleep(0.1)
    assert engine_locks(backend, "crashy", "ai-9") == held
    plan = Plan("crashy", "ai", 9, "crashy-ai-9", "ai-9", (), ())
    handle = open_stack(plan, state, engine, lambda: None)
    notes = recover_locks(handle)
    assert len(notes) == 1
    assert "stale engine lock" in notes[0]
    assert engine_locks(backend, "crashy", "ai-9") == []
    handle.stack.up()


def test_the_default_backend_writes_no_sidecars_and_a_truncated_one_is_repaired(
    tmp_path: Path, engine: Engine
):
    state = ProjectState(tmp_path)
    handle = open_stack(_plan(), state, engine, lambda: pulumi.export("ok", True))
    handle.stack.up()
    stacks = tmp_path / ".codexstack/state/.pulumi/stacks/demo-shop"
    assert not list(stacks.glob("*.attrs"))
    (stacks / "ai-3.json.attrs").write_text("")  # what a kill -9 mid-write leaves
    notes = repair_sidecars(handle.backend, "demo-shop", "ai-3")
    assert notes == ["removed a truncated state metadata file left by a crash: ai-3.json.attrs"]
    handle.stack.up()
