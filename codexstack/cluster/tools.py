"""Where the cached engine and cluster binaries live, and the environment Pulumi runs in.

``scripts/engine`` builds every binary into ``~/.cache/codexstack/<tool>/v<version>/`` (or
``$CODEXSTACK_CACHE``); this module computes the same paths from the pinned versions, so a
stale symlink or an older build is never picked up by accident. It also owns the environment
every Pulumi run of codexstack gets: our own ``PULUMI_HOME`` (whose plugin cache holds the
built provider), no automatic plugin downloads and no update check.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from codexstack.cluster.versions import Versions, pinned
from codexstack.errors import ToolMissingError

ENGINE_SCRIPT = "scripts/engine"
INSTALL_HINT = f"run `{ENGINE_SCRIPT}` from the codexstack checkout (builds and caches it)"


def cache_dir() -> Path:
    """Root of the binary cache (``$CODEXSTACK_CACHE`` or ``~/.cache/codexstack``)."""
    explicit = os.environ.get("CODEXSTACK_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "codexstack"


def pulumi_home() -> Path:
    """The PULUMI_HOME codexstack owns: its plugin cache has the provider scripts/engine built."""
    explicit = os.environ.get("CODEXSTACK_PULUMI_HOME")
    return Path(explicit) if explicit else cache_dir() / "pulumi-home"


@dataclass(frozen=True)
class Tool:
    """One pinned binary: its name, the version we pin and where the build puts it."""

    name: str
    version: str
    path: Path
    optional: bool = False

    @property
    def present(self) -> bool:
        """True when the binary exists and is executable."""
        return self.path.is_file() and os.access(self.path, os.X_OK)


def tools() -> dict[str, Tool]:
    """Every binary scripts/engine builds, by name."""
    v = pinned()
    root = cache_dir()
    pulumi_bin = root / "pulumi" / f"v{v.pulumi}" / "bin"
    kube = root / "kubernetes" / f"v{v.kubernetes}"
    found = [
        Tool("pulumi", v.pulumi, pulumi_bin / "pulumi"),
        # Only plain `pulumi up` of a project on disk needs it; inline programs do not.
        Tool("pulumi-language-python", v.pulumi, pulumi_bin / "pulumi-language-python", True),
        Tool(
            "pulumi-resource-kubernetes",
            v.provider,
            root / "pulumi-resource-kubernetes" / f"v{v.provider}" / "pulumi-resource-kubernetes",
        ),
        Tool(
            "kubernetes-plugin",
            v.provider,
            pulumi_home()
            / "plugins"
            / f"resource-kubernetes-v{v.provider}"
            / "pulumi-resource-kubernetes",
        ),
        Tool("kube-apiserver", v.kubernetes, kube / "kube-apiserver"),
        Tool("kube-controller-manager", v.kubernetes, kube / "kube-controller-manager"),
        Tool("kube-scheduler", v.kubernetes, kube / "kube-scheduler"),
        Tool("kubectl", v.kubernetes, kube / "kubectl"),
        Tool("etcd", v.etcd, root / "etcd" / f"v{v.etcd}" / "etcd"),
        Tool("kwok", v.kwok, root / "kwok" / kwok_dir_name(v) / "kwok"),
    ]
    return {tool.name: tool for tool in found}


def require(name: str) -> Path:
    """Path of a built binary, or a ToolMissingError that says how to build it."""
    tool = tools()[name]
    if not tool.present:
        raise ToolMissingError(
            f"{name} {tool.version} is not built (expected {tool.path})", hint=INSTALL_HINT
        )
    return tool.path


def missing() -> list[Tool]:
    """Required binaries that are not built yet."""
    return [tool for tool in tools().values() if not tool.present and not tool.optional]


def pulumi_root() -> Path:
    """Directory for ``PulumiCommand(root=...)``: it runs ``<root>/bin/pulumi``."""
    return require("pulumi").parent.parent


def pulumi_env() -> dict[str, str]:
    """Variables for every Pulumi run: our plugin cache, and never any network fetch."""
    return {
        "PULUMI_HOME": str(pulumi_home()),
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        "PULUMI_SKIP_UPDATE_CHECK": "true",
    }


def pulumi_process_env() -> dict[str, str]:
    """The current environment plus :func:`pulumi_env`, with the engine's bin dir first on PATH."""
    env = dict(os.environ)
    env.update(pulumi_env())
    env["PATH"] = os.pathsep.join([str(pulumi_root() / "bin"), env.get("PATH", "")])
    return env


def kwok_dir_name(v: Versions) -> str:
    """``v<version>-<patches>``: a changed kwok patch gets its own cache directory."""
    return f"v{v.kwok}-{v.kwok_patches}" if v.kwok_patches else f"v{v.kwok}"
