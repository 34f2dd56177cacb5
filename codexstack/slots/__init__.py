"""The slot registry: who holds which dev-AI slot, claimed atomically, on SQLite or Kubernetes.

Callers build a :class:`Slots` over a backend store (``open_store``) and call ``ensure``,
``release``, ``gc``, ``renew`` and the reads. Backend modules (``sqlite``, ``leases``) are
imported only when opened, so importing this package stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from codexstack.slots.allocator import Allocation, Request
from codexstack.slots.model import Claim, ClaimState, Selector
from codexstack.slots.registry import RegistryError, SlotConflictError, Store
from codexstack.slots.release import GcReport, Outcome, ReleaseResult
from codexstack.slots.service import Slots

if TYPE_CHECKING:
    from codexstack.slots import namespaces
    from codexstack.slots.backends import RegistrySettings, open_slots
    from codexstack.slots.cleanup import CleanupItem, CleanupOptions, select
    from codexstack.slots.cleanup import cleanup as clean_up
    from codexstack.slots.comment import comment_host, env_comment
    from codexstack.slots.migrate import origin
    from codexstack.slots.model import default_owner
    from codexstack.slots.orphans import FixResult, OrphanReport, find_orphans, fix_orphans
    from codexstack.slots.outputs import STDOUT_HIDDEN, legacy_ready, slot_result
    from codexstack.slots.ready import ReadyOptions, ReadyResult, ReadySteps, ensure_ready
    from codexstack.slots.workspace import SyncOptions, SyncReport, sync_sources, workspace_target
    from codexstack.slots.workspace_pvc import (
        DEFAULT_IMAGE,
        DEFAULT_MOUNT,
        PvcWorkspace,
        pvc_subpath,
        sync_to_pvc,
    )

# name -> (module, attribute), imported on first use: opening a backend or a cluster
# client is not every caller's business.
_LAZY = {
    "RegistrySettings": ("backends", "RegistrySettings"),
    "open_slots": ("backends", "open_slots"),
    "CleanupItem": ("cleanup", "CleanupItem"),
    "CleanupOptions": ("cleanup", "CleanupOptions"),
    "clean_up": ("cleanup", "cleanup"),
    "select": ("cleanup", "select"),
    "comment_host": ("comment", "comment_host"),
    "env_comment": ("comment", "env_comment"),
    "default_owner": ("model", "default_owner"),
    "origin": ("migrate", "origin"),
    "FixResult": ("orphans", "FixResult"),
    "OrphanReport": ("orphans", "OrphanReport"),
    "find_orphans": ("orphans", "find_orphans"),
    "fix_orphans": ("orphans", "fix_orphans"),
    "STDOUT_HIDDEN": ("outputs", "STDOUT_HIDDEN"),
    "legacy_ready": ("outputs", "legacy_ready"),
    "slot_result": ("outputs", "slot_result"),
    "ReadyOptions": ("ready", "ReadyOptions"),
    "ReadyResult": ("ready", "ReadyResult"),
    "ReadySteps": ("ready", "ReadySteps"),
    "ensure_ready": ("ready", "ensure_ready"),
    "SyncOptions": ("workspace", "SyncOptions"),
    "DEFAULT_IMAGE": ("workspace_pvc", "DEFAULT_IMAGE"),
    "DEFAULT_MOUNT": ("workspace_pvc", "DEFAULT_MOUNT"),
    "PvcWorkspace": ("workspace_pvc", "PvcWorkspace"),
    "pvc_subpath": ("workspace_pvc", "pvc_subpath"),
    "sync_to_pvc": ("workspace_pvc", "sync_to_pvc"),
    "SyncReport": ("workspace", "SyncReport"),
    "sync_sources": ("workspace", "sync_sources"),
    "workspace_target": ("workspace", "workspace_target"),
}


def __getattr__(name: str) -> Any:
    if name == "namespaces":
        return importlib.import_module("codexstack.slots.namespaces")
    entry = _LAZY.get(name)
    if entry is None:
        raise AttributeError(f"module 'codexstack.slots' has no attribute {name!r}")
    return getattr(importlib.import_module(f"codexstack.slots.{entry[0]}"), entry[1])


__all__ = [
    "DEFAULT_IMAGE",
    "DEFAULT_MOUNT",
    "STDOUT_HIDDEN",
    "Allocation",
    "Claim",
    "ClaimState",
    "CleanupItem",
    "CleanupOptions",
    "FixResult",
    "GcReport",
    "OrphanReport",
    "Outcome",
    "PvcWorkspace",
    "ReadyOptions",
    "ReadyResult",
    "ReadySteps",
    "RegistryError",
    "RegistrySettings",
    "ReleaseResult",
    "Request",
    "Selector",
    "SlotConflictError",
    "Slots",
    "Store",
    "SyncOptions",
    "SyncReport",
    "clean_up",
    "comment_host",
    "default_owner",
    "ensure_ready",
    "env_comment",
    "find_orphans",
    "fix_orphans",
    "legacy_ready",
    "namespaces",
    "open_slots",
    "origin",
    "pvc_subpath",
    "select",
    "slot_result",
    "sync_sources",
    "sync_to_pvc",
    "workspace_target",
]
