"""Per-component health of one local cluster, as plain data for people and for JSON.

A component is *running* when its pid file names a live process of ours, and *healthy* when it
also answers: etcd ``/health``, the apiserver ``/readyz``, the controller-manager and
scheduler ``/healthz``, kwok by keeping the fake node ``Ready``. The cluster is healthy when
all of them are. Reading health never changes anything, so ``status`` is safe to run anytime.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from codexstack.cluster import probes, procs, storage
from codexstack.cluster.components import NODE_NAME, ORDER
from codexstack.cluster.layout import Layout, Ports


@dataclass(frozen=True)
class ComponentStatus:
    """One process (or the node): is it running, does it answer, and what it said."""

    name: str
    running: bool
    healthy: bool
    pid: int | None = None
    detail: str = ""


@dataclass(frozen=True)
class ClusterStatus:
    """The whole cluster: where it lives and each component's health."""

    state_dir: str
    kubeconfig: str
    server: str | None
    components: list[ComponentStatus] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return bool(self.components) and all(c.healthy for c in self.components)

    @property
    def any_running(self) -> bool:
        return any(c.running for c in self.components if c.name in ORDER)

    def component(self, name: str) -> ComponentStatus:
        return next(c for c in self.components if c.name == name)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["healthy"] = self.healthy
        return data

    def text(self) -> str:
        """A short table for people."""
        lines = [
            f"cluster {'healthy' if self.healthy else 'NOT healthy'}: {self.state_dir}",
            f"  kubeconfig: {self.kubeconfig}",
            f"  server:     {self.server or '-'}",
        ]
        for c in self.components:
            state = "healthy" if c.healthy else ("running" if c.running else "stopped")
            pid = f"pid {c.pid}" if c.pid else ""
            lines.append(f"  {c.name:<24} {state:<8} {pid:<11} {c.detail[:60]}")
        return "\n".join(lines) + "\n"


def _probe(name: str, layout: Layout, ports: Ports) -> tuple[bool, str]:
    if name == "etcd":
        return probes.etcd_healthy(ports.etcd_client)
    if name == "kube-apiserver":
        return probes.apiserver_ready(ports.apiserver, layout.pki)
    if name == "kube-controller-manager":
        return probes.serving_healthy(ports.controller_manager)
    if name == "kube-scheduler":
        return probes.serving_healthy(ports.scheduler)
    return True, ""  # kwok shows its health through the node


def component_status(name: str, layout: Layout, ports: Ports | None) -> ComponentStatus:
    """Health of one component of the cluster at ``layout``."""
    pid = procs.running_pid(layout.pid_file(name), str(layout.root))
    if pid is None or ports is None:
        return ComponentStatus(name, running=False, healthy=False, detail="not running")
    healthy, detail = _probe(name, layout, ports)
    return ComponentStatus(name, running=True, healthy=healthy, pid=pid, detail=detail)


def cluster_status(root: Path) -> ClusterStatus:
    """Health of every component and of the fake node of the cluster in ``root``."""
    layout = Layout(root)
    ports = layout.load_ports()
    components = [component_status(name, layout, ports) for name in ORDER]
    apiserver_up = components[ORDER.index("kube-apiserver")].healthy
    if ports is not None and apiserver_up:
        ready, detail = probes.node_ready(ports.apiserver, layout.pki, NODE_NAME)
    else:
        ready, detail = False, "apiserver not ready"
    components.append(
        ComponentStatus(f"node/{NODE_NAME}", running=ready, healthy=ready, detail=detail)
    )
    components.append(ComponentStatus(storage.COMPONENT, *storage.probe(layout)))
    return ClusterStatus(
        state_dir=str(root),
        kubeconfig=str(layout.admin_kubeconfig),
        server=layout.server(ports) if ports else None,
        components=components,
    )
