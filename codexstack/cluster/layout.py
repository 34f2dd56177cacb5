"""The local cluster's state directory: where every file lives, its ports and kubeconfigs.

Everything a cluster owns sits under one directory (default ``<project>/.codexstack/cluster``):
``pki/`` (certificates), ``etcd/`` (data), ``logs/<component>.log``, ``run/<component>.pid``,
``ports.json`` and one kubeconfig per identity (``admin.kubeconfig`` is the one people and
Pulumi use). Ports are picked free on 127.0.0.1 the first time and kept, so kubeconfigs stay
valid across restarts; a kept port that something else took meanwhile is re-picked.
"""

from __future__ import annotations

import base64
import json
import os
import socket
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from codexstack.cluster.pki import Pki

HOST = "127.0.0.1"
CLUSTER_NAME = "codexstack-local"


def default_state_dir() -> Path:
    """``$CODEXSTACK_CLUSTER_DIR`` or ``./.codexstack/cluster`` of the current project."""
    explicit = os.environ.get("CODEXSTACK_CLUSTER_DIR")
    return Path(explicit) if explicit else Path.cwd() / ".codexstack" / "cluster"


@dataclass
class Ports:
    """Loopback ports of the components that listen."""

    etcd_client: int
    etcd_peer: int
    apiserver: int
    controller_manager: int
    scheduler: int
    kwok: int = 0
    """kwok's kubelet API (exec, logs); 0 in a ports.json written before it existed."""


def port_free(port: int) -> bool:
    """True when nothing listens on 127.0.0.1:port (a bind succeeds)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def _free_port(taken: set[int]) -> int:
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind((HOST, 0))
            port = int(sock.getsockname()[1])
        if port not in taken:
            return port


@dataclass(frozen=True)
class Layout:
    """Paths inside one cluster state directory."""

    root: Path

    @property
    def pki(self) -> Pki:
        return Pki(self.root / "pki")

    @property
    def etcd_data(self) -> Path:
        return self.root / "etcd"

    @property
    def ports_file(self) -> Path:
        return self.root / "ports.json"

    @property
    def admin_kubeconfig(self) -> Path:
        return self.root / "admin.kubeconfig"

    def kubeconfig(self, identity: str) -> Path:
        return self.root / f"{identity}.kubeconfig"

    def log(self, component: str) -> Path:
        return self.root / "logs" / f"{component}.log"

    def pid_file(self, component: str) -> Path:
        return self.root / "run" / f"{component}.pid"

    def cert_dir(self, component: str) -> Path:
        # Components write self-signed serving certs to /var/run/kubernetes unless told.
        return self.root / "run" / component

    def prepare(self) -> None:
        for sub in ("logs", "run"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)

    def load_ports(self) -> Ports | None:
        if not self.ports_file.exists():
            return None
        return Ports(**json.loads(self.ports_file.read_text(encoding="utf-8")))

    def ensure_ports(self, *, reassign_busy: bool) -> Ports:
        """Kept ports, with new ones for missing entries (and busy ones when asked)."""
        ports = self.load_ports()
        chosen: dict[str, int] = asdict(ports) if ports else {}
        taken = set(chosen.values())
        for name in Ports.__dataclass_fields__:
            port = chosen.get(name)
            if not port or (reassign_busy and not port_free(port)):
                chosen[name] = _free_port(taken)
                taken.add(chosen[name])
        result = Ports(**chosen)
        self.ports_file.write_text(json.dumps(asdict(result), indent=2) + "\n", encoding="utf-8")
        return result

    def server(self, ports: Ports) -> str:
        return f"https://{HOST}:{ports.apiserver}"

    def write_kubeconfig(self, identity: str, ports: Ports) -> Path:
        """A self-contained kubeconfig (certificates embedded) for a client identity."""
        pki = self.pki

        def b64(path: Path) -> str:
            return base64.b64encode(path.read_bytes()).decode("ascii")

        config = {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [
                {
                    "name": CLUSTER_NAME,
                    "cluster": {
                        "server": self.server(ports),
                        "certificate-authority-data": b64(pki.ca_cert),
                    },
                }
            ],
            "users": [
                {
                    "name": identity,
                    "user": {
                        "client-certificate-data": b64(pki.cert(identity)),
                        "client-key-data": b64(pki.key(identity)),
                    },
                }
            ],
            "contexts": [
                {"name": CLUSTER_NAME, "context": {"cluster": CLUSTER_NAME, "user": identity}}
            ],
            "current-context": CLUSTER_NAME,
        }
        path = self.kubeconfig(identity)
        path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
        path.chmod(0o600)
        return path
