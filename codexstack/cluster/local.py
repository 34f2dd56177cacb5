"""Bring the loopback-only local Kubernetes cluster up, down, and report on it.

``up`` is idempotent: a healthy cluster is a quick no-op, a partly running one gets only its
missing components, a stopped one restarts on its kept certificates, ports and etcd data (so
kubeconfigs and Pulumi state stay valid). Components start detached in dependency order and
each is waited for before the next. ``down`` stops only processes this state directory started
(pid file plus command-line check). Progress goes to stderr; failures raise
:class:`~codexstack.errors.DeployError` with the tail of the component's log.
"""

from __future__ import annotations

import fcntl
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from codexstack.cluster import execsim, imagehost, pki, probes, procs, storage, tools
from codexstack.cluster.components import NODE_NAME, ORDER, command, fake_node
from codexstack.cluster.health import ClusterStatus, cluster_status
from codexstack.cluster.layout import Layout, Ports, default_state_dir
from codexstack.errors import DeployError

IDENTITIES = ("admin", "controller-manager", "scheduler", "kwok")


def _say(message: str) -> None:
    print(f"cluster: {message}", file=sys.stderr, flush=True)


def _root(state_dir: Path | None) -> Path:
    return (state_dir or default_state_dir()).resolve()


@contextmanager
def _locked(root: Path) -> Iterator[None]:
    """Serialise up/down per state directory: two test runs starting at once must not race."""
    root.mkdir(parents=True, exist_ok=True)
    with (root / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def status(state_dir: Path | None = None) -> ClusterStatus:
    """Per-component health of the cluster in ``state_dir`` (default: the project's)."""
    return cluster_status(_root(state_dir))


def _wait_healthy(name: str, pid: int, layout: Layout, ports: Ports, timeout: float) -> None:
    if name == "etcd":

        def check() -> tuple[bool, str]:
            return probes.etcd_healthy(ports.etcd_client)
    elif name == "kube-apiserver":

        def check() -> tuple[bool, str]:
            return probes.apiserver_ready(ports.apiserver, layout.pki)
    else:
        return  # controllers become useful as soon as they run; the node wait covers them
    ok, detail = probes.wait_until(check, timeout=timeout, alive=lambda: not procs.exited(pid))
    if not ok:
        raise DeployError(
            f"{name} did not become healthy in {timeout:.0f} s: {detail}\n"
            f"--- {layout.log(name)} (tail)\n{procs.log_tail(layout.log(name))}",
            hint="see the log above; `codexstack cluster down` then `up` retries",
        )


def _ensure_node(layout: Layout, ports: Ports) -> None:
    code, _ = probes.request(ports.apiserver, f"/api/v1/nodes/{NODE_NAME}", pki=layout.pki)
    if code == 404:
        code, text = probes.request(
            ports.apiserver, "/api/v1/nodes", pki=layout.pki, method="POST", body=fake_node()
        )
        if code not in (200, 201, 409):
            raise DeployError(f"creating node {NODE_NAME} failed: HTTP {code}: {text[:300]}")


def _prepare(layout: Layout, reassign_ports: bool) -> Ports:
    layout.prepare()
    pki.ensure(layout.pki.dir)
    ports = layout.ensure_ports(reassign_busy=reassign_ports)
    for identity in IDENTITIES:
        layout.write_kubeconfig(identity, ports)
    kwok_config = layout.root / "kwok.yaml"
    if not kwok_config.exists():
        kwok_config.write_text(
            "apiVersion: config.kwok.x-k8s.io/v1alpha1\nkind: KwokConfiguration\noptions: {}\n",
            encoding="utf-8",
        )
    return ports


def _all_healthy(root: Path) -> tuple[bool, str]:
    state = cluster_status(root)
    broken = [f"{c.name}: {c.detail}" for c in state.components if not c.healthy]
    return not broken, "; ".join(broken)


def up(state_dir: Path | None = None, *, timeout: float = 90.0) -> ClusterStatus:
    """Start whatever part of the cluster is not running and wait until it is healthy."""
    root = _root(state_dir)
    current = cluster_status(root)
    if current.healthy:
        _say(f"already up ({root})")
        return current
    binaries = {name: tools.require(name) for name in ORDER}  # before touching the disk
    with _locked(root):
        return _up_locked(root, binaries, timeout)


def _up_locked(root: Path, binaries: dict[str, Path], timeout: float) -> ClusterStatus:
    before = cluster_status(root)
    if before.healthy:  # another process finished starting it while we waited for the lock
        _say(f"already up ({root})")
        return before
    started = time.monotonic()
    layout = Layout(root)
    # Ports are only re-picked when nothing of ours runs: running components hold them.
    ports = _prepare(layout, reassign_ports=not before.any_running)
    for name in ORDER:
        current = before.component(name)
        if current.running:
            _say(f"{name}: running (pid {current.pid})")
            continue
        component = command(name, binaries[name], layout, ports)
        if name == "kwok":
            # kwok watches the exec CRDs from its start: they must be served before it runs.
            execsim.ensure_crds(layout, ports, timeout)
        env = execsim.kwok_environment() if name == "kwok" else None
        pid = procs.start(
            component.argv, pid_file=layout.pid_file(name), log_file=layout.log(name), env=env
        )
        _say(f"{name}: started (pid {pid}, log {layout.log(name)})")
        _wait_healthy(name, pid, layout, ports, timeout)
    _ensure_node(layout, ports)
    ok, detail = probes.wait_until(
        lambda: probes.node_ready(ports.apiserver, layout.pki, NODE_NAME), timeout=timeout
    )
    if ok:
        execsim.ensure_node_address(layout, ports, NODE_NAME)
    if not ok:
        raise DeployError(
            f"node {NODE_NAME} not Ready in {timeout:.0f} s: {detail}\n"
            f"--- {layout.log('kwok')} (tail)\n{procs.log_tail(layout.log('kwok'))}"
        )
    storage.ensure_running(layout, timeout, _say)
    # The controller-manager and scheduler serve /healthz a few seconds after they start.
    ok, detail = probes.wait_until(lambda: _all_healthy(root), timeout=timeout)
    after = cluster_status(root)
    if not after.healthy:
        raise DeployError(
            f"cluster started but is not healthy: {detail}",
            hint=f"see the logs in {layout.root / 'logs'}",
        )
    _say(f"up in {time.monotonic() - started:.1f} s; kubeconfig {after.kubeconfig}")
    return after


def down(state_dir: Path | None = None, *, purge: bool = False) -> list[str]:
    """Stop this cluster's processes (reverse order); ``purge`` also deletes its state.

    The project's image host beside it (private dockerd and registry) is stopped too.
    """
    root = _root(state_dir)
    images = imagehost.stop_image_host(imagehost.dir_beside(root), purge=purge)
    if not root.exists():
        if not images:
            _say("nothing was running")
        return images
    with _locked(root):
        stopped = _down_locked(root)
    if purge:
        _purge(root)
    stopped += images
    if not stopped:
        _say("nothing was running")
    return stopped


def _down_locked(root: Path) -> list[str]:
    layout = Layout(root)
    stopped = []
    for name in (storage.COMPONENT, *reversed(ORDER)):
        if procs.stop(layout.pid_file(name), str(root)):
            stopped.append(name)
            _say(f"{name}: stopped")
    return stopped


def _purge(root: Path) -> None:
    layout = Layout(root)
    # Only a directory that looks like one of ours: never rm -rf an arbitrary path.
    if not (layout.ports_file.exists() or layout.pki.dir.exists()):
        raise DeployError(f"{root} does not look like a codexstack cluster directory")
    shutil.rmtree(root)
    _say(f"removed {root}")
