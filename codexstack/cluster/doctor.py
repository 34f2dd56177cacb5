"""``codexstack doctor``: is everything codexstack needs here, at the pinned versions, healthy?

It asks each built binary for its version (the binaries, not the file names, so a mislabelled
build shows), checks that the provider sits in our Pulumi plugin cache, that the installed
Python packages ``pulumi`` and ``pulumi-kubernetes`` match the engine (the engine only loads a
provider of exactly the SDK's version), that the local cluster is healthy and that the image
parts are installed and, when started, healthy. Every failed
check carries the one command that fixes it. Pure data out; the CLI decides the exit code.
"""

from __future__ import annotations

import json
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from codexstack.cluster import imagehost, tools
from codexstack.cluster.health import ClusterStatus
from codexstack.cluster.local import status
from codexstack.cluster.versions import pinned
from codexstack.errors import ToolMissingError

ENGINE_FIX = "scripts/engine"
CLUSTER_FIX = "codexstack cluster up"
VERSION_RE = re.compile(r"v?(\d+\.\d+\.\d+)")

# How each binary reports its version.
VERSION_ARGS: dict[str, list[str]] = {
    "pulumi": ["version"],
    "kube-apiserver": ["--version"],
    "kube-controller-manager": ["--version"],
    "kube-scheduler": ["--version"],
    "kubectl": ["version", "--client"],
    "etcd": ["--version"],
    "kwok": ["--version"],
}


@dataclass(frozen=True)
class Check:
    """One thing the doctor looked at."""

    name: str
    healthy: bool
    expected: str | None = None
    found: str | None = None
    path: str | None = None
    detail: str = ""
    fix: str | None = None


@dataclass(frozen=True)
class DoctorReport:
    """All checks, the cluster's status, and what to run to fix what is not healthy."""

    checks: list[Check]
    cluster: dict[str, Any] = field(default_factory=dict)

    @property
    def healthy(self) -> bool:
        return all(check.healthy for check in self.checks)

    @property
    def fixes(self) -> list[str]:
        return list(dict.fromkeys(c.fix for c in self.checks if not c.healthy and c.fix))

    def to_dict(self) -> dict[str, Any]:
        return {
            "healthy": self.healthy,
            "missing": [c.name for c in self.checks if not c.healthy],
            "fixes": self.fixes,
            "checks": [asdict(c) for c in self.checks],
            "cluster": self.cluster,
        }

    def text(self) -> str:
        lines = [f"doctor: {'all healthy' if self.healthy else 'NOT healthy'}"]
        for c in self.checks:
            mark = "ok " if c.healthy else "BAD"
            version = c.found or "-"
            lines.append(f"  [{mark}] {c.name:<28} {version:<10} {c.detail}")
        lines.extend(f"  fix: {fix}" for fix in self.fixes)
        return "\n".join(lines) + "\n"


def _reported_version(path: Path, args: list[str]) -> str | None:
    try:
        done = subprocess.run(
            [str(path), *args], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = VERSION_RE.search(done.stdout + done.stderr)
    return match.group(1) if match else None


def _binary_check(tool: tools.Tool) -> Check:
    if not tool.present:
        if tool.optional:
            return Check(
                tool.name,
                True,
                tool.version,
                None,
                str(tool.path),
                "optional, not built: only plain `pulumi up` of a project on disk uses it",
            )
        return Check(tool.name, False, tool.version, None, str(tool.path), "not built", ENGINE_FIX)
    args = VERSION_ARGS.get(tool.name)
    if args is None:  # no version flag: the versioned cache path is what we know
        detail = "built"
        with tool.path.open("rb") as head:
            script = head.read(2) == b"#!"
        if script:
            detail = "Python stand-in (the Go host's module is not served)"
        return Check(tool.name, True, tool.version, tool.version, str(tool.path), detail)
    found = _reported_version(tool.path, args)
    ok = found == tool.version
    return Check(
        tool.name,
        ok,
        tool.version,
        found,
        str(tool.path),
        "ok" if ok else "reports another version",
        None if ok else ENGINE_FIX,
    )


def _plugin_check() -> Check:
    """Does the engine itself see the provider in our plugin cache at the pinned version?"""
    want = pinned().provider
    name = "pulumi-plugin-cache"
    try:
        pulumi = tools.require("pulumi")
    except ToolMissingError:
        return Check(name, False, want, None, None, "pulumi not built", ENGINE_FIX)
    done = subprocess.run(
        [str(pulumi), "plugin", "ls", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=tools.pulumi_process_env(),
    )
    try:
        plugins = json.loads(done.stdout or "[]")
    except ValueError:
        plugins = []
    found = [p.get("version") for p in plugins if p.get("name") == "kubernetes"]
    ok = want in found
    return Check(
        name,
        ok,
        want,
        ",".join(v for v in found if v) or None,
        str(tools.pulumi_home()),
        "resource kubernetes installed" if ok else "provider not in the plugin cache",
        None if ok else ENGINE_FIX,
    )


def _package_check(package: str, want: str) -> Check:
    name = f"python:{package}"
    try:
        found: str | None = metadata.version(package)
    except metadata.PackageNotFoundError:
        found = None
    ok = found == want
    fix = None if ok else f"pin {package}=={want} in pyproject.toml, then `uv sync`"
    return Check(
        name,
        ok,
        want,
        found,
        None,
        "matches the engine" if ok else "must equal the built engine's version",
        fix,
    )


def _cluster_check(state: ClusterStatus) -> Check:
    broken = [c.name for c in state.components if not c.healthy]
    detail = "all components healthy" if state.healthy else "not healthy: " + ", ".join(broken)
    return Check(
        "cluster",
        state.healthy,
        pinned().kubernetes,
        None,
        state.state_dir,
        detail,
        None if state.healthy else CLUSTER_FIX,
    )


def image_checks(images_dir: Path) -> list[Check]:
    """Image parts: installed (Debian packages), and the image host running or cleanly off."""
    missing = imagehost.missing_tools()
    installed = Check(
        "image-tools",
        not missing,
        None,
        None,
        None,
        "dockerd, docker-registry, busybox installed"
        if not missing
        else "missing: " + ", ".join(missing),
        None if not missing else "scripts/image-tools",
    )
    state = imagehost.image_host_status(images_dir)
    running = [p.name for p in state.parts if p.running]
    broken = [f"{p.name}: {p.detail}" for p in state.parts if p.running and not p.healthy]
    if state.healthy:
        detail = f"dockerd {state.docker_host}, registry {state.registry}"
    elif not running:
        detail = "stopped (`codexstack registry up` starts it when images are needed)"
    else:
        detail = "not healthy: " + "; ".join(broken or [f"only {', '.join(running)} running"])
    ok = state.healthy or not running
    host = Check(
        "image-host",
        ok,
        None,
        None,
        state.state_dir,
        detail,
        None if ok else "codexstack registry down && codexstack registry up",
    )
    return [installed, host]


def doctor(state_dir: Path | None = None) -> DoctorReport:
    """Check engine binaries, plugin cache, Python packages and the local cluster."""
    v = pinned()
    with ThreadPoolExecutor(max_workers=4) as pool:
        binaries = list(pool.map(_binary_check, tools.tools().values()))
        plugin = pool.submit(_plugin_check)
        cluster_state = pool.submit(status, state_dir)
        checks = [
            *binaries,
            plugin.result(),
            _package_check("pulumi", v.pulumi),
            _package_check("pulumi-kubernetes", v.provider),
        ]
        state = cluster_state.result()
    checks.append(_cluster_check(state))
    cluster_dir = Path(state.state_dir)
    checks.extend(image_checks(imagehost.dir_beside(cluster_dir)))
    return DoctorReport(checks=checks, cluster=state.to_dict())
