"""Issue 14 hardening against the real engine and local cluster: deadline, retry budgets, F2,
the destroy question (on a real pseudo-terminal), B3 on a slot stack, E1 with a real apply and a
real destroy of the same slot.

- ``--deadline`` is armed before the first hook (defect 11): a hanging ``beforeAll`` step no
  longer runs past it.
- ``ci apply`` picks the wait budget from the engine's partial-failure event (defect 11), so a
  Deployment that never becomes ready is retried as a wait, not as an apply.
"""

from __future__ import annotations

import contextlib
import json
import os
import pty
import signal
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from codexstack.cluster.health import ClusterStatus
from tests.integration.apply_support import (
    CLI,
    USED_NAMESPACES,
    cli_env,
    cs,
    demo,
    edit,
    kget,
    new_namespace,
    sweep,
    wait_gone,
)
from tests.integration.test_apply_battery import add_stuck_service, read_until, start
from tests.yamlio.test_yaml_load import BILLION_LAUGHS

pytestmark = [
    pytest.mark.integration,
    pytest.mark.timeout(900),
    pytest.mark.usefixtures("sweep"),
]
__all__ = ["demo", "sweep"]  # fixtures
Record = Callable[[str, object], None]


def test_the_deadline_covers_the_hooks_before_the_engine(
    demo: Path, cluster: ClusterStatus, record_property: Record
) -> None:
    edit(
        demo / "services.yaml",
        "  beforeAll:\n",
        "  beforeAll:\n    - name: hang\n      run: sleep 300\n",
    )
    env = ["--env", "dev", "--namespace", new_namespace("deadline")]
    began = time.monotonic()
    done = cs(demo, cluster, "apply", *env, "--deadline", "3s", check=False, timeout=120)
    took = time.monotonic() - began
    record_property("failed_after_s", round(took, 2))
    assert done.returncode != 0
    assert "deadline" in done.stderr, done.stderr[-3000:]
    # Before the fix the hook ran its full 300 s (the deadline was armed after the hooks).
    assert took < 3 + 20, took


def test_a_deployment_that_never_gets_ready_uses_the_wait_budget(
    demo: Path, cluster: ClusterStatus
) -> None:
    add_stuck_service(demo)
    env = ["--env", "dev", "--namespace", new_namespace("waitbudget")]
    budgets = ["--apply-retries", "1", "--wait-retries", "2", "--wait-backoff", "1s"]
    done = _slot_cli(
        demo, cluster, "ci", "apply", *env, "--wait", "--wait-timeout", "20s", *budgets
    )
    assert done.returncode != 0
    assert "wait attempt 1 failed" in done.stderr, done.stderr[-4000:]


F2_INPUTS = {
    "alias-bomb": BILLION_LAUGHS,
    "deep-nesting": "a: " + "[" * 10_000 + "]" * 10_000 + "\n",
    "python-tag": "a: !!python/object/apply:os.system ['touch PWNED']\n",
    "duplicate-key": "project: demo-shop\nproject: other\n",
}


@pytest.mark.parametrize("name", sorted(F2_INPUTS))
def test_f2_hostile_services_yaml_is_refused_fast_and_nothing_is_applied(
    name: str, demo: Path, cluster: ClusterStatus, kubectl: list[str], record_property: Record
) -> None:
    """Battery F2 through ``apply``: exit 65 naming services.yaml, no code run, no stack."""
    services = demo / "services.yaml"
    services.write_text(F2_INPUTS[name] + services.read_text())
    ns = new_namespace("f2")
    began = time.monotonic()
    done = cs(demo, cluster, "apply", "--env", "dev", "--namespace", ns, check=False, timeout=60)
    took = time.monotonic() - began
    record_property("cli_s", round(took, 2))
    assert done.returncode == 65, done.stderr[-2000:]
    assert "services.yaml" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (demo / "PWNED").exists()
    assert not (demo / ".codexstack" / "state").exists()  # no stack, no state: nothing applied
    assert kget(kubectl, "namespace", ns) is None


def _destroy_on_a_terminal(
    project: Path, cluster: ClusterStatus, env: list[str], answer: str
) -> tuple[int, str]:
    """Run ``destroy`` with a real pseudo-terminal on stdin/stderr and type ``answer``."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [str(CLI), "destroy", *env, "--kubeconfig", str(cluster.kubeconfig)],
        cwd=project,
        stdin=follower,
        stdout=subprocess.PIPE,
        stderr=follower,
        env=cli_env(project),
    )
    os.close(follower)
    seen = b""
    deadline = time.monotonic() + 600
    while b"[y/N]" not in seen and time.monotonic() < deadline:
        try:
            seen += os.read(leader, 4096)
        except OSError:
            break
    if b"[y/N]" in seen:
        os.write(leader, answer.encode() + b"\n")
    with contextlib.suppress(OSError):
        while chunk := os.read(leader, 4096):
            seen += chunk
    code = proc.wait(timeout=600)
    os.close(leader)
    return code, seen.decode(errors="replace")


def test_destroy_of_a_shared_environment_asks_first(
    demo: Path, cluster: ClusterStatus, kubectl: list[str]
) -> None:
    """Defect 12: no terminal needs --yes; on a terminal the objects are listed and a no
    deletes nothing; a yes (or --yes) destroys. Before, destroy ran at once."""
    ns = new_namespace("consent")
    env = ["--env", "dev", "--namespace", ns]
    cs(demo, cluster, "apply", *env)
    refused = cs(demo, cluster, "destroy", *env, check=False)
    assert refused.returncode == 64, refused.stderr[-2000:]
    code, screen = _destroy_on_a_terminal(demo, cluster, env, "n")
    assert code == 1, screen[-2000:]
    assert "Deployment " in screen
    assert f"{ns}/api" in screen
    assert "nothing was deleted" in screen
    assert kget(kubectl, "deployment", "api", "-n", ns) is not None
    code, screen = _destroy_on_a_terminal(demo, cluster, env, "y")
    assert code == 0, screen[-2000:]
    assert kget(kubectl, "deployment", "api", "-n", ns) is None


def _slot_env() -> tuple[int, list[str]]:
    slot = 80 + uuid.uuid4().int % 9
    USED_NAMESPACES.append(f"demo-shop-dev-{slot}")
    return slot, ["--env", "ai", "--slot", str(slot)]


def test_b3_a_second_up_on_a_slot_stack_says_slot_busy(
    demo: Path, cluster: ClusterStatus, kubectl: list[str], record_property: Record
) -> None:
    """Battery B3 on ``ai-<N>``: the second run exits 75 with "slot N is busy" within 5 s."""
    add_stuck_service(demo)
    slot, env = _slot_env()
    first = start(demo, cluster, "apply", *env, "--wait")
    try:
        read_until(first, r"codexstack: \+ create ")
        began = time.monotonic()
        second = cs(demo, cluster, "apply", *env, check=False, timeout=30)
        took = time.monotonic() - began
        record_property("busy_after_s", round(took, 2))
        assert second.returncode == 75, second.stderr[-2000:]
        assert f"slot {slot} (stack ai-{slot}) is busy" in second.stderr
        assert took < 5, took
    finally:
        first.send_signal(signal.SIGINT)
        first.wait(timeout=60)
    cs(demo, cluster, "destroy", *env, "--remove")  # a slot stack: no question
    assert wait_gone(kubectl, "namespace", f"demo-shop-dev-{slot}")


def _slot_cli(
    project: Path, cluster: ClusterStatus, *args: str, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """A slot command (they take the cluster from $KUBECONFIG, not a flag)."""
    return subprocess.run(
        [str(CLI), *args],
        cwd=project,
        env={**cli_env(project), "KUBECONFIG": str(cluster.kubeconfig)},
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


def _claims_of(project: Path, cluster: ClusterStatus, issue: int) -> list[dict[str, object]]:
    listed = _slot_cli(project, cluster, "slots", "list", "-o", "json", timeout=120)
    assert listed.returncode == 0, listed.stderr[-2000:]
    return [c for c in json.loads(listed.stdout) if str(c.get("issue")) == str(issue)]


def test_e1_cleanup_while_ensure_ready_applies_the_same_slot(
    demo: Path, cluster: ClusterStatus, kubectl: list[str], record_property: Record
) -> None:
    """Battery E1 with a real apply and a real destroy of one slot: the cleanup fails "busy"
    while the apply holds the slot, then succeeds; no namespace or claim is left behind."""
    issue = 9000 + uuid.uuid4().int % 999
    add_stuck_service(demo)
    ready = ["ci", "ensure-ready", "--issue", str(issue), "--apply", "--wait-timeout", "30s"]
    first = start(demo, cluster, *ready, flag=False)
    try:
        read_until(first, r"codexstack: \+ create ")
        (claim,) = _claims_of(demo, cluster, issue)
        ns = str(claim["namespace"])
        USED_NAMESPACES.append(ns)
        began = time.monotonic()
        cleanup = ["manage-env", "cleanup", "--issue", str(issue)]
        busy = _slot_cli(demo, cluster, *cleanup, "--lock-wait", "0s", timeout=120)
        record_property("busy_after_s", round(time.monotonic() - began, 2))
        assert busy.returncode == 75, busy.stderr[-2000:]
        assert "busy" in busy.stderr
    finally:
        first.send_signal(signal.SIGINT)
        first.wait(timeout=120)
    done = _slot_cli(demo, cluster, *cleanup, "--lock-wait", "2m")
    assert done.returncode == 0, done.stderr[-3000:]
    assert wait_gone(kubectl, "namespace", ns)
    assert _claims_of(demo, cluster, issue) == []
