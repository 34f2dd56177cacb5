"""Reliability battery rows B1, B2, B3, C2, D1, D2 against the real engine and local cluster.

Crashes are real ``kill -9``s of the codexstack process at points named by its own progress
lines (the engine dies with it); interrupts follow CI's cancel timeline; the API outage in C2
stops a private cluster's kube-apiserver (a second control plane in a temporary directory, so
the shared cluster other tests use never goes down). Every scenario ends with the same
convergence check: a re-run succeeds within two runs, the stack then has nothing left to do,
its state is readable, unlocked and has no interrupted operations.
"""

from __future__ import annotations

import json
import queue
import re
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from codexstack.cluster import local, procs, tools
from codexstack.cluster.health import ClusterStatus
from codexstack.cluster.layout import Layout
from codexstack.deploy.reaper import orphan_plugins
from codexstack.flock import poll_until
from tests.integration.apply_support import (
    CLI,
    available,
    cli_env,
    cs,
    demo,
    kget,
    new_namespace,
    sweep,
)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.timeout(3600),
    pytest.mark.usefixtures("sweep"),
]
__all__ = ["demo", "sweep"]  # fixtures
Record = Callable[[str, object], None]

STUCK = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: stuck
spec:
  replicas: 1
  selector: {matchLabels: {app: stuck}}
  template:
    metadata: {labels: {app: stuck}}
    spec:
      nodeSelector: {codexstack.io/no-such-node: "true"}
      containers: [{name: stuck, image: registry.invalid/stuck:1}]
"""


def add_stuck_service(project: Path) -> None:
    """A service whose Deployment never becomes Available (no node matches)."""
    (project / "stuck.yaml").write_text(STUCK)
    services = project / "services.yaml"
    text = services.read_text().replace(
        "\nservices:\n",
        "\nservices:\n  - name: stuck\n    manifests:\n      - path: stuck.yaml\n",
        1,
    )
    services.write_text(text)


def remove_stuck_service(project: Path) -> None:
    services = project / "services.yaml"
    services.write_text(
        services.read_text().replace(
            "  - name: stuck\n    manifests:\n      - path: stuck.yaml\n", "", 1
        )
    )


_STDERR: dict[int, queue.Queue[str | None]] = {}
"""stderr lines of each started run, by pid (None: the run closed its stderr)."""


def start(
    project: Path, cluster: ClusterStatus, *args: str, flag: bool = True
) -> subprocess.Popen[str]:
    """Start the CLI; a thread drains its stderr into a queue that :func:`read_until` reads.

    ``flag=False``: the cluster comes from ``$KUBECONFIG`` (commands without ``--kubeconfig``).
    """
    where = ["--kubeconfig", str(cluster.kubeconfig)] if flag else []
    proc = subprocess.Popen(
        [str(CLI), *args, *where],
        cwd=project,
        stdout=subprocess.DEVNULL,  # only stderr is read; a full stdout pipe would block
        stderr=subprocess.PIPE,
        text=True,
        env={**cli_env(project), "KUBECONFIG": str(cluster.kubeconfig)},
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def drain() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:  # also keeps the pipe from filling after read_until returns
            lines.put(line)
        lines.put(None)

    threading.Thread(target=drain, daemon=True).start()
    _STDERR[proc.pid] = lines
    return proc


def read_until(
    proc: subprocess.Popen[str], pattern: str, nth: int = 1, timeout: float = 300
) -> list[str]:
    """stderr lines up to the ``nth`` line matching ``pattern`` (fails if the run ends).

    The deadline holds even when the run prints nothing at all: lines come from a queue with
    a timeout, never from a blocking read of the pipe.
    """
    lines = _STDERR[proc.pid]
    seen: list[str] = []
    found = 0
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if line is None:
            raise AssertionError(f"run ended before /{pattern}/ #{nth}:\n" + "".join(seen[-40:]))
        seen.append(line)
        if re.search(pattern, line):
            found += 1
            if found == nth:
                return seen
    raise AssertionError(f"/{pattern}/ #{nth} not seen in {timeout}s:\n" + "".join(seen[-40:]))


def converge(
    project: Path, cluster: ClusterStatus, kubectl: list[str], env: list[str]
) -> list[subprocess.CompletedProcess[str]]:
    """Re-run apply until it succeeds (at most twice), then check the stack is settled."""
    runs = []
    for _ in range(2):
        runs.append(cs(project, cluster, "apply", *env, "--wait", "-o", "json", check=False))
        if runs[-1].returncode == 0:
            break
    assert runs[-1].returncode == 0, "did not converge in 2 runs:\n" + runs[-1].stderr[-4000:]
    preview = cs(project, cluster, "preview", *env, "--detailed-exitcode", check=False)
    assert preview.returncode == 0, preview.stdout + preview.stderr[-3000:]
    status = json.loads(cs(project, cluster, "status", *env, "-o", "json").stdout)
    assert status["pending_operations"] == 0
    assert not status["locks"]["busy"], status["locks"]
    ns = status["outputs"]["namespace"]
    deployments = kget(kubectl, "deployments", "-n", ns)
    assert deployments is not None
    assert all(available(d) for d in deployments["items"])
    return runs


def objects_in_state(project: Path) -> int:
    checkpoint = project / ".codexstack/state/.pulumi/stacks/demo-shop/dev.json"
    if not checkpoint.exists():
        return 0
    latest = json.loads(checkpoint.read_text())["checkpoint"]["latest"] or {}
    return sum(
        1
        for r in latest.get("resources") or []
        if r["type"].startswith("kubernetes:") and not r["type"].startswith("kubernetes:yaml")
    )


def destroy(project: Path, cluster: ClusterStatus, env: list[str]) -> None:
    cs(project, cluster, "destroy", *env, "--remove", "--yes")


def fresh() -> list[str]:
    """CLI args for env dev in a namespace of its own."""
    return ["--env", "dev", "--namespace", new_namespace("battery")]


RERUN_BUDGET_S = 240
"""A D2 re-run creates a few objects and runs the demo's hooks: well under a minute. One that
hangs (in CI it once waited ~5 min for a pod the scheduler had parked, see the scheduler's
``--pod-max-in-unschedulable-pods-duration``) fails here with its output instead of stalling
the suite."""

KILL_POINTS = {
    "hook-beforeAll": (r"hook beforeAll", 1),
    "hook-output": (r"\[hook announce\] deploying", 1),
    **{f"create-start-{k}": (r"codexstack: \+ create ", k) for k in (1, 2, 4, 7)},
    **{f"create-done-{k}": (r"codexstack: ✓ create ", k) for k in (1, 3, 6)},
    "hook-afterApply": (r"hook afterApply", 1),
    "hook-afterApply-2": (r"hook afterApply", 2),
    "hook-afterAll": (r"hook afterAll", 1),
    "result": (r"codexstack: .*dev-hint|open https://web", 1),
}


@pytest.mark.parametrize("point", sorted(KILL_POINTS))
def test_b1_kill_9_at_a_named_point_converges(
    point: str, demo: Path, cluster: ClusterStatus, kubectl: list[str], record_property: Record
):
    env = fresh()
    pattern, nth = KILL_POINTS[point]
    proc = start(demo, cluster, "apply", *env, "--wait")
    read_until(proc, pattern, nth)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    runs = converge(demo, cluster, kubectl, env)
    record_property("runs_to_converge", len(runs))
    assert len(runs) == 1, f"{point}: needed {len(runs)} runs"
    if point.startswith("create"):  # the engine was killed holding the stack's lock
        assert "removed a stale engine lock" in runs[0].stderr, runs[0].stderr[-2000:]
        # ... and its provider was stopped by the next run, not left running for half an hour
        assert "engine plugin process(es) left by a killed run" in runs[0].stderr
    # No plugin is left without its engine (one of a run that just ended may take a moment).
    assert poll_until(lambda: not orphan_plugins(tools.pulumi_home()), 15, 0.2)
    # No destroy: the state lives in this test's own copy of the demo and `sweep` deletes
    # the namespace; destroy after a crash is covered by B2, and it would double the time.


def test_d1_d2_crash_after_k_objects_then_rerun_creates_exactly_the_rest(
    demo: Path, cluster: ClusterStatus, kubectl: list[str]
):
    env = fresh()
    first = json.loads(cs(demo, cluster, "apply", *env, "-o", "json").stdout)
    total = first["changes"]["create"]
    again = json.loads(cs(demo, cluster, "apply", *env, "-o", "json").stdout)
    assert again["changes"] == {"create": 0, "update": 0, "delete": 0, "same": total}  # D1
    for k in range(1, total):
        # Each crash gets a project copy of its own (so a state of its own) and a namespace
        # of its own: no destroy between rounds, which would triple the time; `sweep`
        # deletes the namespaces.
        project = shutil.copytree(demo, demo.parent / f"demo-{k}", ignore=_no_state)
        env = fresh()
        proc = start(project, cluster, "apply", *env, "--parallel", "1")
        read_until(proc, r"codexstack: ✓ create ", k)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        # The engine reports a step done before its checkpoint is written, so the state may
        # lag the k-th event by an object; what counts is what the state knows.
        recorded = objects_in_state(project)
        assert k - 1 <= recorded <= total
        rerun = json.loads(
            cs(project, cluster, "apply", *env, "-o", "json", timeout=RERUN_BUDGET_S).stdout
        )
        assert rerun["changes"]["create"] == total - recorded, (k, recorded, rerun)
        assert objects_in_state(project) == total


def _no_state(directory: str, names: list[str]) -> set[str]:
    return {".codexstack"} & set(names)


def test_b2_ci_cancel_timeline(
    demo: Path, cluster: ClusterStatus, kubectl: list[str], record_property: Record
):
    add_stuck_service(demo)
    env = fresh()
    proc = start(demo, cluster, "apply", *env, "--wait")
    read_until(proc, r"codexstack: \+ create Deployment stuck:")
    time.sleep(1.0)
    began = time.monotonic()
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=7.5)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=2.5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    took = time.monotonic() - began
    record_property("exit_after_sigint_s", round(took, 2))
    assert took <= 5.0, f"exit took {took:.1f}s after SIGINT"
    assert proc.returncode == 130, proc.returncode
    status = json.loads(cs(demo, cluster, "status", *env, "-o", "json").stdout)
    assert status["exists"]
    assert not status["locks"]["busy"], status["locks"]
    assert status["objects"] > 0  # what was created before the cancel is in the state
    remove_stuck_service(demo)
    converge(demo, cluster, kubectl, env)
    destroy(demo, cluster, env)


def test_b3_a_second_concurrent_apply_is_busy_within_seconds(
    demo: Path, cluster: ClusterStatus, kubectl: list[str], record_property: Record
):
    add_stuck_service(demo)
    env = fresh()
    first = start(demo, cluster, "apply", *env, "--wait")
    try:
        read_until(first, r"codexstack: \+ create ")
        began = time.monotonic()
        second = cs(demo, cluster, "apply", *env, check=False, timeout=30)
        took = time.monotonic() - began
        record_property("busy_after_s", round(took, 2))
        assert second.returncode == 75, second.stderr[-2000:]
        assert "busy" in second.stderr
        assert took < 5, took
    finally:
        first.send_signal(signal.SIGINT)
        first.wait(timeout=30)
    remove_stuck_service(demo)
    converge(demo, cluster, kubectl, env)


@pytest.fixture
def private_cluster(
    engine: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ClusterStatus]:
    """A second local control plane whose API server this test may stop."""
    root = tmp_path_factory.mktemp("c2-cluster")
    state = local.up(root)
    try:
        yield state
    finally:
        local.down(root, purge=True)


def _stop_apiserver(cluster: ClusterStatus) -> None:
    root = Path(cluster.kubeconfig).parent
    assert procs.stop(Layout(root).pid_file("kube-apiserver"), str(root))


def test_c2_api_down_fails_within_the_deadline_and_recovers(
    demo: Path, private_cluster: ClusterStatus, record_property: Record
):
    cluster = private_cluster
    kubectl = [str(tools.require("kubectl")), f"--kubeconfig={cluster.kubeconfig}"]
    env = fresh()
    cs(demo, cluster, "apply", *env)
    (demo / "services/api/deploy.yaml").write_text(
        (demo / "services/api/deploy.yaml")
        .read_text()
        .replace("  SERVICE_VERSION:", "  DURING_OUTAGE: 'yes'\n  SERVICE_VERSION:", 1)
    )
    _stop_apiserver(cluster)
    began = time.monotonic()
    down = cs(demo, cluster, "apply", *env, "--deadline", "60s", check=False, timeout=120)
    took = time.monotonic() - began
    record_property("failed_after_s", round(took, 2))
    assert down.returncode != 0
    assert took < 60 + 10, took
    local.up(Path(cluster.kubeconfig).parent)
    converge(demo, cluster, kubectl, env)
    config = kget(kubectl, "configmap", "api-config", "-n", env[-1])
    assert config is not None
    assert config["data"]["DURING_OUTAGE"] == "yes"  # the private cluster is purged after
