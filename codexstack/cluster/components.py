"""Command lines of the local cluster's components and the fake node kwok simulates.

Order matters and is the order of :data:`ORDER`: etcd, then the apiserver on top of it, then
the controllers that talk to the apiserver. Everything listens on 127.0.0.1 only. Flags that
are not defaults say why next to them; most exist to keep files inside the state directory or
to make a single-machine, throwaway cluster start fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codexstack.cluster.layout import HOST, Layout, Ports

ORDER = ("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok")
NODE_NAME = "kwok-node-0"
# Pod IPs kwok hands out are only strings in pod status; no traffic ever goes to them.
POD_CIDR = "10.244.0.1/24"
# The node's address is where the apiserver reaches its kubelet API: kwok's server on loopback.
NODE_IP = HOST
# kwok's simulated exec (Exec/ClusterExec of kwok.x-k8s.io/v1alpha1) runs a local command.
KWOK_CRDS = ("Exec", "ClusterExec")
SERVICE_CIDR = "10.0.0.0/24"
# How long the scheduler leaves a pod it found unschedulable before trying it again unasked.
UNSCHEDULABLE_RETRY = "5s"


@dataclass(frozen=True)
class Component:
    """One process of the cluster: its binary and full argv."""

    name: str
    binary: Path
    argv: tuple[str, ...]


def _etcd(layout: Layout, ports: Ports) -> list[str]:
    client = f"http://{HOST}:{ports.etcd_client}"
    peer = f"http://{HOST}:{ports.etcd_peer}"
    return [
        "--name=codexstack",
        f"--data-dir={layout.etcd_data}",
        f"--listen-client-urls={client}",
        f"--advertise-client-urls={client}",
        f"--listen-peer-urls={peer}",
        f"--initial-advertise-peer-urls={peer}",
        f"--initial-cluster=codexstack={peer}",
        # Throwaway local data: fsync per write is what makes etcd slow on shared disks.
        "--unsafe-no-fsync=true",
        "--log-level=warn",
    ]


def _apiserver(layout: Layout, ports: Ports) -> list[str]:
    pki = layout.pki
    return [
        f"--etcd-servers=http://{HOST}:{ports.etcd_client}",
        f"--bind-address={HOST}",
        f"--advertise-address={HOST}",
        f"--secure-port={ports.apiserver}",
        f"--cert-dir={layout.cert_dir('kube-apiserver')}",
        f"--tls-cert-file={pki.cert('apiserver')}",
        f"--tls-private-key-file={pki.key('apiserver')}",
        f"--client-ca-file={pki.ca_cert}",
        "--authorization-mode=Node,RBAC",
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        f"--service-account-key-file={pki.sa_pub}",
        f"--service-account-signing-key-file={pki.sa_key}",
        f"--service-cluster-ip-range={SERVICE_CIDR}",
        # Endpoints may not hold loopback addresses: skip publishing the apiserver's own.
        "--endpoint-reconciler-type=none",
        # One client at a time on a laptop: flow control only slows startup down.
        "--enable-priority-and-fairness=false",
        "--allow-privileged=true",
        # Exec and logs go to the node's kubelet API, which kwok serves on loopback.
        f"--kubelet-client-certificate={pki.cert('apiserver-kubelet-client')}",
        f"--kubelet-client-key={pki.key('apiserver-kubelet-client')}",
        f"--kubelet-certificate-authority={pki.ca_cert}",
        "--kubelet-preferred-address-types=InternalIP",
        "--profiling=false",
        "--v=1",
    ]


def _controller_manager(layout: Layout, ports: Ports) -> list[str]:
    kubeconfig = layout.kubeconfig("controller-manager")
    return [
        f"--kubeconfig={kubeconfig}",
        f"--authentication-kubeconfig={kubeconfig}",
        f"--authorization-kubeconfig={kubeconfig}",
        f"--bind-address={HOST}",
        f"--secure-port={ports.controller_manager}",
        f"--cert-dir={layout.cert_dir('kube-controller-manager')}",
        f"--service-account-private-key-file={layout.pki.sa_key}",
        f"--root-ca-file={layout.pki.ca_cert}",
        "--use-service-account-credentials=true",
        # A single instance: leader election would only add a lease round trip to startup.
        "--leader-elect=false",
        "--v=1",
    ]


def _scheduler(layout: Layout, ports: Ports) -> list[str]:
    kubeconfig = layout.kubeconfig("scheduler")
    return [
        f"--kubeconfig={kubeconfig}",
        f"--authentication-kubeconfig={kubeconfig}",
        f"--authorization-kubeconfig={kubeconfig}",
        f"--bind-address={HOST}",
        f"--secure-port={ports.scheduler}",
        f"--cert-dir={layout.cert_dir('kube-scheduler')}",
        "--leader-elect=false",
        # A pod the scheduler parks as unschedulable (say its PVC was not bound yet) comes back
        # on the event that fixes it; when that event slips past (seen in the battery: postgres-0
        # retried only after 315 s), the default parks it 5 minutes and an apply waiting for the
        # StatefulSet stalls that long. Retry parked pods at the next 30 s flush instead.
        f"--pod-max-in-unschedulable-pods-duration={UNSCHEDULABLE_RETRY}",
        "--v=1",
    ]


def _kwok(layout: Layout, ports: Ports) -> list[str]:
    return [
        f"--kubeconfig={layout.kubeconfig('kwok')}",
        # Our own (empty) config file: never pick up a ~/.kwok/kwok.yaml of the user.
        f"--config={layout.root / 'kwok.yaml'}",
        "--manage-all-nodes=false",
        "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
        f"--cidr={POD_CIDR}",
        f"--node-ip={NODE_IP}",
        f"--node-port={ports.kwok}",
        f"--server-address={HOST}:{ports.kwok}",
        f"--tls-cert-file={layout.pki.cert('kwok-serving')}",
        f"--tls-private-key-file={layout.pki.key('kwok-serving')}",
        f"--enable-crds={','.join(KWOK_CRDS)}",
        "--node-lease-duration-seconds=40",
    ]


_ARGS = {
    "etcd": _etcd,
    "kube-apiserver": _apiserver,
    "kube-controller-manager": _controller_manager,
    "kube-scheduler": _scheduler,
    "kwok": _kwok,
}


def command(name: str, binary: Path, layout: Layout, ports: Ports) -> Component:
    """The component ``name`` with its full command line."""
    return Component(name, binary, (str(binary), *_ARGS[name](layout, ports)))


def fake_node() -> dict[str, Any]:
    """The Node kwok keeps Ready: big enough that any test workload schedules on it."""
    resources = {"cpu": "32", "memory": "256Gi", "pods": "110", "ephemeral-storage": "100Gi"}
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": NODE_NAME,
            "annotations": {"kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0"},
            "labels": {
                "kubernetes.io/hostname": NODE_NAME,
                "kubernetes.io/os": "linux",
                "kubernetes.io/arch": "amd64",
                "type": "kwok",
            },
        },
        "status": {
            "allocatable": resources,
            "capacity": resources,
            "nodeInfo": {
                "architecture": "amd64",
                "operatingSystem": "linux",
                "kubeletVersion": "fake",
                "kubeProxyVersion": "fake",
            },
        },
    }
