"""Before the engine starts: is a cluster configured, and does it answer?

Without this the engine starts, loads the provider and fails minutes later with the client
library's "invalid configuration: no configuration has been provided, try setting
KUBERNETES_MASTER environment variable". :func:`check_reachable` resolves the kubeconfig the
way the provider will (the environment's ``kubeconfig``, else ``$KUBECONFIG``, else
``~/.kube/config``, else the in-cluster service account), finds the context and its server,
and opens one TCP connection to it. A missing or unusable configuration is an input error
(exit 65), a server that does not answer is temporary (exit 75); both in one line with the fix.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from codexstack.errors import ConfigError, TemporaryError
from codexstack.plan import ClusterTarget

CONNECT_TIMEOUT_S = 3.0
FIX = "fix: `codexstack cluster up` (a local cluster), or set KUBECONFIG or the env's kubeconfig"


class ClusterUnreachable(TemporaryError):
    """The configured cluster does not answer (exit 75: try again when it is up)."""


@dataclass(frozen=True)
class Target:
    """Where the engine will connect: the kubeconfig files, the context and its server."""

    files: tuple[Path, ...]
    context: str
    server: str


def kubeconfig_files(cluster: ClusterTarget, environ: dict[str, str] | None = None) -> list[Path]:
    """The kubeconfig files the provider would read, in its order (existing ones only)."""
    env = os.environ if environ is None else environ
    if cluster.kubeconfig:
        path = Path(os.path.expanduser(cluster.kubeconfig))
        if not path.is_file():
            raise ConfigError(f"no cluster configured: the kubeconfig {path} does not exist; {FIX}")
        return [path]
    listed = [Path(p) for p in env.get("KUBECONFIG", "").split(os.pathsep) if p]
    if listed:
        return [p for p in listed if p.is_file()]
    home = Path(env.get("HOME") or os.path.expanduser("~"))
    default = home / ".kube" / "config"
    return [default] if default.is_file() else []


def resolve(cluster: ClusterTarget, environ: dict[str, str] | None = None) -> Target | None:
    """The target the provider will use; None inside a pod (in-cluster configuration)."""
    env = dict(os.environ if environ is None else environ)
    files = kubeconfig_files(cluster, env)
    if not files:
        if env.get("KUBERNETES_SERVICE_HOST") and not cluster.context:
            return None
        where = env.get("KUBECONFIG") or "~/.kube/config"
        raise ConfigError(f"no cluster configured: no kubeconfig found ({where}); {FIX}")
    merged = _merge(files)
    name = cluster.context or str(merged.get("current-context") or "")
    if not name:
        raise ConfigError(
            f"no cluster configured: {_names(files)} has no current context;"
            " pick one with --context or `kubectl config use-context NAME`"
        )
    context = _entry(merged, "contexts", name)
    if context is None:
        raise ConfigError(
            f"no cluster configured: context {name!r} is not in {_names(files)};"
            " pick an existing one with --context (kubectl config get-contexts)"
        )
    cluster_entry = _entry(merged, "clusters", str(context.get("cluster", "")))
    server = str((cluster_entry or {}).get("server") or "")
    if not server:
        raise ConfigError(
            f"no cluster configured: context {name!r} names no cluster with a server; {FIX}"
        )
    return Target(tuple(files), name, server)


def check_reachable(cluster: ClusterTarget, timeout: float = CONNECT_TIMEOUT_S) -> Target | None:
    """Raise ConfigError (65) or ClusterUnreachable (75) unless the cluster can be reached."""
    target = resolve(cluster)
    if target is None:
        return None
    parts = urlsplit(target.server)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname or "localhost", port), timeout=timeout):
            pass
    except OSError as exc:
        raise ClusterUnreachable(
            f"cluster unreachable: {target.server} (context {target.context}) does not answer"
            f" ({exc.strerror or exc}); start it (`codexstack cluster up` for the local one)"
            " or check the network"
        ) from None
    return target


def _merge(files: list[Path]) -> dict[str, Any]:
    """kubectl's merge: the first file to set a value or name an entry wins."""
    merged: dict[str, Any] = {"contexts": [], "clusters": []}
    for path in files:
        try:
            data = yaml.safe_load(path.read_text()) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(f"cannot read kubeconfig {path}: {exc}") from None
        if not isinstance(data, dict):
            raise ConfigError(f"kubeconfig {path} is not a mapping")
        if not merged.get("current-context") and data.get("current-context"):
            merged["current-context"] = data["current-context"]
        for section in ("contexts", "clusters"):
            known = {e.get("name") for e in merged[section]}
            entries = [e for e in data.get(section) or [] if isinstance(e, dict)]
            merged[section] += [e for e in entries if e.get("name") not in known]
    return merged


def _entry(merged: dict[str, Any], section: str, name: str) -> dict[str, Any] | None:
    singular = section[:-1]
    for entry in merged.get(section) or []:
        if entry.get("name") == name:
            value = entry.get(singular)
            return value if isinstance(value, dict) else {}
    return None


def _names(files: list[Path]) -> str:
    return ", ".join(str(p) for p in files)
