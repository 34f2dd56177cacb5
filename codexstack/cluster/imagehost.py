"""The project's own image parts: a private ``dockerd`` and a loopback ``docker-registry``.

Both come from Debian packages (``scripts/image-tools`` installs them) and run detached with
everything under one state directory (default ``./.codexstack/images``): dockerd gets its own
``--data-root``, ``--exec-root``, unix socket and pid file, with ``--iptables=false
--bridge=none --storage-driver=vfs`` so it never touches the host's network or the system's
daemon; the registry (CNCF distribution) listens on a free ``127.0.0.1`` port kept across
restarts, with its blobs in the state directory. ``up`` is idempotent (healthy parts are left
alone), ``down`` stops only the processes this directory started, ``status`` only reads.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from codexstack import netprobe
from codexstack.cluster import procs
from codexstack.cluster.layout import port_free
from codexstack.errors import DeployError, ToolMissingError

DOCKERD = Path("/usr/sbin/dockerd")
REGISTRY = Path("/usr/bin/docker-registry")
BUSYBOX = Path("/bin/busybox")
INSTALL_HINT = "run `scripts/image-tools` (installs docker.io, docker-registry, busybox-static)"
PARTS = ("dockerd", "registry")


def _say(message: str) -> None:
    print(f"images: {message}", file=sys.stderr, flush=True)


def default_state_dir() -> Path:
    """``$CODEXSTACK_IMAGES_DIR`` or ``./.codexstack/images`` of the current project."""
    explicit = os.environ.get("CODEXSTACK_IMAGES_DIR")
    return (Path(explicit) if explicit else Path.cwd() / ".codexstack" / "images").resolve()


def dir_beside(cluster_dir: Path) -> Path:
    """The image-host directory that goes with a cluster state directory (its sibling)."""
    explicit = os.environ.get("CODEXSTACK_IMAGES_DIR")
    return (Path(explicit) if explicit else cluster_dir.parent / "images").resolve()


@dataclass(frozen=True)
class HostLayout:
    """Paths inside one image-host state directory."""

    root: Path

    @property
    def socket(self) -> Path:
        return self.root / "docker.sock"

    @property
    def docker_host(self) -> str:
        return f"unix://{self.socket}"

    @property
    def registry_config(self) -> Path:
        return self.root / "registry.yml"

    @property
    def port_file(self) -> Path:
        return self.root / "registry.port"

    def pid_file(self, part: str) -> Path:
        return self.root / "run" / f"{part}.pid"

    def log(self, part: str) -> Path:
        return self.root / "logs" / f"{part}.log"

    def registry_port(self) -> int | None:
        try:
            return int(self.port_file.read_text(encoding="utf-8").strip())
        except (OSError, ValueError):
            return None


@dataclass(frozen=True)
class PartStatus:
    """One process: running (pid file names a live process of ours) and answering."""

    name: str
    running: bool
    healthy: bool
    address: str = ""
    pid: int | None = None
    detail: str = ""


@dataclass(frozen=True)
class HostStatus:
    """Both parts, where they live, and what a client needs to reach them."""

    state_dir: str
    parts: list[PartStatus] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return all(p.healthy for p in self.parts)

    def part(self, name: str) -> PartStatus:
        return next(p for p in self.parts if p.name == name)

    @property
    def docker_host(self) -> str:
        return self.part("dockerd").address

    @property
    def registry(self) -> str:
        return self.part("registry").address

    def to_dict(self) -> dict[str, Any]:
        return {"healthy": self.healthy, **asdict(self)}

    def text(self) -> str:
        lines = [f"image host: {'healthy' if self.healthy else 'NOT healthy'} ({self.state_dir})"]
        for p in self.parts:
            state = "ok" if p.healthy else ("running" if p.running else "stopped")
            pid = f" pid {p.pid}" if p.pid else ""
            extra = f" ({p.detail})" if p.detail else ""
            lines.append(f"  {p.name:9} {state:8} {p.address}{pid}{extra}")
        return "\n".join(lines) + "\n"


def _ping_docker(sock: Path) -> tuple[bool, str]:
    try:
        code = netprobe.unix_http_status(str(sock), "/_ping")
    except OSError as exc:
        return False, str(exc)
    return code == 200, f"/_ping: HTTP {code}"


def _ping_registry(address: str) -> tuple[bool, str]:
    host, _, port = address.rpartition(":")
    try:
        code = netprobe.http_status(host, int(port), "/v2/")
    except OSError as exc:
        return False, str(exc)
    return code == 200, f"/v2/: HTTP {code}"


def _part_status(layout: HostLayout, name: str) -> PartStatus:
    pid = procs.running_pid(layout.pid_file(name), str(layout.root))
    if name == "dockerd":
        address = layout.docker_host
        ok, detail = _ping_docker(layout.socket) if pid else (False, "not running")
    else:
        port = layout.registry_port()
        address = f"127.0.0.1:{port}" if port else ""
        ok, detail = _ping_registry(address) if pid and port else (False, "not running")
    return PartStatus(name, pid is not None, ok, address, pid, "" if ok else detail)


def image_host_status(state_dir: Path | None = None) -> HostStatus:
    """Health of the private dockerd and registry of ``state_dir`` (default: the project's)."""
    layout = HostLayout((state_dir or default_state_dir()).resolve())
    return HostStatus(str(layout.root), [_part_status(layout, name) for name in PARTS])


def missing_tools() -> list[str]:
    """The binaries of the image parts that are not installed."""
    return [str(p) for p in (DOCKERD, REGISTRY, BUSYBOX) if not os.access(p, os.X_OK)]


def require_tools() -> None:
    """Raise ToolMissingError naming the Debian packages when a binary is missing."""
    missing = missing_tools()
    if missing:
        raise ToolMissingError(f"not installed: {', '.join(missing)}", hint=INSTALL_HINT)


def _registry_port(layout: HostLayout) -> int:
    port = layout.registry_port()
    if port and port_free(port):
        return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    layout.port_file.write_text(f"{port}\n", encoding="utf-8")
    return port


def _write_registry_config(layout: HostLayout, port: int) -> None:
    data = layout.root / "registry"
    data.mkdir(parents=True, exist_ok=True)
    # JSON is YAML: no YAML writer needed, and every value is quoted safely.
    config = {
        "version": 0.1,
        "log": {"level": "info", "accesslog": {"disabled": True}},
        "storage": {"filesystem": {"rootdirectory": str(data)}, "delete": {"enabled": True}},
        "http": {"addr": f"127.0.0.1:{port}", "secret": secrets.token_hex(16)},
    }
    layout.registry_config.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


def _argv(layout: HostLayout, name: str) -> list[str]:
    if name == "registry":
        return [str(REGISTRY), "serve", str(layout.registry_config)]
    return [
        str(DOCKERD),
        "--iptables=false",
        "--ip6tables=false",
        "--bridge=none",
        "--storage-driver=vfs",
        f"--data-root={layout.root / 'docker'}",
        f"--exec-root={layout.root / 'exec'}",
        f"--host={layout.docker_host}",
        f"--pidfile={layout.root / 'run' / 'dockerd.daemon.pid'}",
    ]


def _wait(layout: HostLayout, name: str, pid: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    detail = ""
    while time.monotonic() < deadline:
        part = _part_status(layout, name)
        if part.healthy:
            return
        detail = part.detail
        if procs.exited(pid):
            break
        time.sleep(0.2)
    raise DeployError(
        f"{name} did not become healthy in {timeout:.0f} s: {detail}\n"
        f"--- {layout.log(name)} (tail)\n{procs.log_tail(layout.log(name))}",
        hint="see the log above; `codexstack registry down` then `up` retries",
    )


def start_image_host(
    state_dir: Path | None = None, *, timeout: float = 60.0, parts: tuple[str, ...] = PARTS
) -> HostStatus:
    """Start whichever of ``parts`` is not healthy, and wait for them.

    ``parts=("registry",)`` runs a registry alone (tests use one as an "upstream").
    """
    current = image_host_status(state_dir)
    if all(p.healthy for p in current.parts if p.name in parts):
        _say(f"already up ({current.state_dir})")
        return current
    require_tools()
    if "dockerd" in parts and os.geteuid() != 0:
        raise DeployError(
            "the private dockerd needs root",
            hint="run as root, or point DOCKER_HOST at a Docker-compatible daemon you own",
        )
    layout = HostLayout(Path(current.state_dir))
    for sub in ("run", "logs", "docker", "exec"):
        (layout.root / sub).mkdir(parents=True, exist_ok=True)
    for part in current.parts:
        if part.healthy or part.name not in parts:
            continue
        if part.running:  # alive but not answering: restart it cleanly
            procs.stop(layout.pid_file(part.name), str(layout.root))
        if part.name == "registry":
            _write_registry_config(layout, _registry_port(layout))
        elif layout.socket.exists():
            layout.socket.unlink()  # a stale socket of a killed daemon
        pid = procs.start(
            _argv(layout, part.name),
            pid_file=layout.pid_file(part.name),
            log_file=layout.log(part.name),
        )
        _say(f"{part.name}: started (pid {pid}, log {layout.log(part.name)})")
        _wait(layout, part.name, pid, timeout)
    return image_host_status(layout.root)


def stop_image_host(state_dir: Path | None = None, *, purge: bool = False) -> list[str]:
    """Stop this directory's registry and dockerd; ``purge`` also deletes images and blobs."""
    root = (state_dir or default_state_dir()).resolve()
    layout = HostLayout(root)
    stopped = [
        name for name in reversed(PARTS) if procs.stop(layout.pid_file(name), str(root), timeout=30)
    ]
    for name in stopped:
        _say(f"{name}: stopped")
    if purge and root.exists():
        if not (layout.port_file.exists() or (root / "docker").exists()):
            raise DeployError(f"{root} does not look like a codexstack image-host directory")
        # vfs layers can hold read-only directories; dockerd is stopped, so nothing holds them.
        shutil.rmtree(root)
        _say(f"removed {root}")
    return stopped
