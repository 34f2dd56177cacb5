"""The engine binaries and the local Kubernetes cluster codexstack runs against.

``versions`` pins every binary (one source of truth shared with ``scripts/engine``), ``tools``
finds the cached builds, ``pki`` makes the cluster's certificates, ``local`` starts, stops and
checks a loopback-only control plane (etcd, kube-apiserver, kube-controller-manager,
kube-scheduler and kwok for a fake node), ``imagehost`` runs the project's private dockerd and
loopback registry (``imagebase`` imports the local base image into it), and ``doctor``
reports on all of it. Nothing here imports Pulumi. Flows use the names exported below.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from codexstack.cluster.doctor import DoctorReport
    from codexstack.cluster.doctor import doctor as run_doctor
    from codexstack.cluster.execsim import map_workspace
    from codexstack.cluster.health import ClusterStatus
    from codexstack.cluster.imagebase import BASE_IMAGE, ensure_local_base
    from codexstack.cluster.imagehost import (
        HostStatus,
        image_host_status,
        start_image_host,
        stop_image_host,
    )
    from codexstack.cluster.local import down, status, up
    from codexstack.cluster.tools import pulumi_env, pulumi_root
    from codexstack.cluster.tools import require as require_tool
    from codexstack.cluster.tools import tools as find_tools
    from codexstack.cluster.userconfig import Added, add_context, remove_context

# name -> (module, attribute); imported on first use so importing the package stays cheap.
_LAZY = {
    "up": ("local", "up"),
    "Added": ("userconfig", "Added"),
    "add_context": ("userconfig", "add_context"),
    "remove_context": ("userconfig", "remove_context"),
    "down": ("local", "down"),
    "status": ("local", "status"),
    "ClusterStatus": ("health", "ClusterStatus"),
    "run_doctor": ("doctor", "doctor"),
    "DoctorReport": ("doctor", "DoctorReport"),
    "require_tool": ("tools", "require"),
    "find_tools": ("tools", "tools"),
    "pulumi_root": ("tools", "pulumi_root"),
    "pulumi_env": ("tools", "pulumi_env"),
    "BASE_IMAGE": ("imagebase", "BASE_IMAGE"),
    "ensure_local_base": ("imagebase", "ensure_local_base"),
    "HostStatus": ("imagehost", "HostStatus"),
    "image_host_status": ("imagehost", "image_host_status"),
    "start_image_host": ("imagehost", "start_image_host"),
    "stop_image_host": ("imagehost", "stop_image_host"),
    "map_workspace": ("execsim", "map_workspace"),
}

__all__ = [
    "BASE_IMAGE",
    "Added",
    "ClusterStatus",
    "DoctorReport",
    "HostStatus",
    "add_context",
    "down",
    "ensure_local_base",
    "find_tools",
    "image_host_status",
    "map_workspace",
    "pulumi_env",
    "pulumi_root",
    "remove_context",
    "require_tool",
    "run_doctor",
    "start_image_host",
    "status",
    "stop_image_host",
    "up",
]


def __getattr__(name: str) -> Any:
    entry = _LAZY.get(name)
    if entry is None:
        raise AttributeError(f"module 'codexstack.cluster' has no attribute {name!r}")
    return getattr(importlib.import_module(f"codexstack.cluster.{entry[0]}"), entry[1])
