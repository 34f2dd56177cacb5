"""The user's kubeconfig: ``cluster up`` adds a context for the local cluster, ``down`` removes it.

kind, k3d and minikube all do this, so ``codexstack cluster up`` followed by ``codexstack apply``
(or ``kubectl get pods``) in the same shell just works. The file is the first entry of
``$KUBECONFIG``, else ``~/.kube/config``. One cluster, user and context named
:func:`context_name` (unique per cluster state directory, so two checkouts do not fight) are
added or replaced and the context becomes current; every other entry is kept as it was. The
file written and the context are recorded in the state directory (``user-kubeconfig.json``)
so ``down`` removes exactly what ``up`` added, and resets ``current-context`` only if it still
points there. Writes are atomic (temp file + rename, mode 0600).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from codexstack.cluster.layout import default_state_dir
from codexstack.errors import ConfigError

RECORD = "user-kubeconfig.json"


@dataclass(frozen=True)
class Added:
    """Where the context went."""

    path: Path
    context: str

    def export_line(self) -> str:
        return f"export KUBECONFIG={self.path}"


def context_name(state_dir: Path) -> str:
    """``codexstack-<checkout>-<6 hex>``: readable, and unique per state directory."""
    root = state_dir.resolve()
    checkout = root.parent.parent.name if root.parent.name == ".codexstack" else root.name
    digest = hashlib.sha256(str(root).encode()).hexdigest()[:6]
    return f"codexstack-{checkout}-{digest}"


def user_kubeconfig(environ: Mapping[str, str] | None = None) -> Path:
    """The file kubectl writes to: the first of ``$KUBECONFIG``, else ``~/.kube/config``."""
    env = os.environ if environ is None else environ
    listed = [p for p in env.get("KUBECONFIG", "").split(os.pathsep) if p]
    if listed:
        return Path(listed[0]).expanduser()
    home = env.get("HOME") or os.path.expanduser("~")
    return Path(home) / ".kube" / "config"


def add_context(
    state_dir: Path, admin_kubeconfig: Path, environ: Mapping[str, str] | None = None
) -> Added:
    """Copy the cluster's admin credentials into the user's kubeconfig as the current context."""
    name = context_name(state_dir)
    path = user_kubeconfig(environ)
    source = _read(admin_kubeconfig)
    config = _read(path) if path.exists() else _empty()
    entries = {
        "clusters": {"name": name, "cluster": source["clusters"][0]["cluster"]},
        "users": {"name": name, "user": source["users"][0]["user"]},
        "contexts": {"name": name, "context": {"cluster": name, "user": name}},
    }
    for section, entry in entries.items():
        kept = [e for e in config.get(section) or [] if e.get("name") != name]
        config[section] = [*kept, entry]
    config["current-context"] = name
    _write(path, config)
    (state_dir / RECORD).write_text(json.dumps({"path": str(path), "context": name}))
    return Added(path, name)


def remove_context(state_dir: Path | None = None) -> Added | None:
    """Remove what :func:`add_context` added (None when it added nothing)."""
    record = (state_dir or default_state_dir()).resolve() / RECORD
    if not record.exists():
        return None
    data = json.loads(record.read_text())
    added = Added(Path(data["path"]), str(data["context"]))
    if added.path.exists():
        config = _read(added.path)
        for section in ("clusters", "users", "contexts"):
            config[section] = [
                e for e in config.get(section) or [] if e.get("name") != added.context
            ]
        if config.get("current-context") == added.context:
            config["current-context"] = ""
        _write(added.path, config)
    record.unlink()
    return added


def _empty() -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Config", "preferences": {}}


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read kubeconfig {path}: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(
            f"{path} is not a kubeconfig (not a mapping)",
            hint="fix or move it, or pass --no-kubeconfig",
        )
    return data


def _write(path: Path, config: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".config-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            yaml.safe_dump(config, handle, sort_keys=False)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
