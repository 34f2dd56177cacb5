"""Opening a registry: settings in, a ready :class:`Slots` out, backend modules loaded lazily.

``sqlite`` (the offline default) keeps the registry in ``<project>/.codexstack/slots.db``;
``lease`` keeps it as Leases in a state namespace of the cluster named by a kubeconfig. With a
kubeconfig and ``codexctl_namespace`` (codexctl's ``state.configmapNamespace``) both also read
codexctl's slot ConfigMaps there (imported on reuse, :mod:`codexstack.slots.migrate`).
With a kubeconfig, released slots wait for their namespace to be gone
on that cluster; without one there are no namespaces to wait for.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from codexstack import kube
from codexstack.errors import ConfigError, Location
from codexstack.slots import leases, sqlite
from codexstack.slots.codexctl import ConfigMapClaims
from codexstack.slots.namespaces import namespace_gone
from codexstack.slots.service import Slots

BACKENDS = {
    "sqlite": "sqlite",
    "lease": "lease",
    "leases": "lease",
    "kubernetes": "lease",
    "configmap": "lease",
}


@dataclass(frozen=True)
class RegistrySettings:
    """Where the registry lives; the CLI fills this from services.yaml ``state`` and flags."""

    backend: str = "sqlite"
    project_root: Path = Path()
    path: Path | None = None
    """SQLite file (default ``<project>/.codexstack/slots.db``)."""
    kubeconfig: Path | None = None
    context: str | None = None
    namespace: str | None = None
    """State namespace of the Leases (default ``codexstack-state``)."""
    prefix: str | None = None
    codexctl_namespace: str | None = None
    codexctl_prefix: str = "codex-env-"
    timeout: float = 10.0


def open_slots(settings: RegistrySettings, **options: Any) -> Slots:
    """Open the configured backend; ``options`` go to :class:`Slots` (holder, clock, ...)."""
    kind = BACKENDS.get(settings.backend.lower())
    if kind is None:
        raise ConfigError(
            f"unknown slot registry backend {settings.backend!r}"
            f" (use one of: {', '.join(sorted(set(BACKENDS.values())))})",
            location=Location(key="state.backend"),
        )
    api = None
    if settings.kubeconfig is not None:
        api = kube.Client.from_kubeconfig(settings.kubeconfig, settings.context, settings.timeout)
        options.setdefault("namespace_gone", partial(namespace_gone, api))
    if api is not None and settings.codexctl_namespace:
        # codexctl's slot ConfigMaps are read whichever registry codexstack keeps: slots in
        # flight keep their numbers and are imported on their first reuse (slots.migrate).
        options.setdefault(
            "foreign", ConfigMapClaims(api, settings.codexctl_namespace, settings.codexctl_prefix)
        )
    if kind == "sqlite":
        path = settings.path or sqlite.default_path(settings.project_root)
        return Slots(sqlite.SqliteStore(path, settings.prefix or sqlite.DEFAULT_PREFIX), **options)
    if api is None:
        raise ConfigError(
            "the lease slot registry needs a kubeconfig", location=Location(key="state.backend")
        )
    store = leases.LeaseStore(
        api,
        settings.namespace or leases.DEFAULT_NAMESPACE,
        settings.prefix or leases.DEFAULT_PREFIX,
    )
    options.setdefault("poll", 0.1)
    options.setdefault("queue_poll", 1.0)
    return Slots(store, **options)
