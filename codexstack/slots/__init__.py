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
    from codexstack.slots.cleanup import CleanupItem, CleanupOptions, cleanup, select
    from codexstack.slots.comment import comment_host, env_comment
    from codexstack.slots.model import default_owner
    from codexstack.slots.orphans import FixResult, OrphanReport, find_orphans, fix_orphans
    from codexstack.slots.outputs import STDOUT_HIDDEN, legacy_ready, slot_result
    from codexstack.slots.ready import ReadyOptions, ReadyResult, ReadySteps, ensure_ready
    from codexstack.slots.workspace import SyncReport, sync_sources, workspace_target

# Imported on first use: opening a backend or a cluster client is not every caller's business.
_LAZY = {
    "RegistrySettings": "backends",
    "open_slots": "backends",
    "CleanupItem": "cleanup",
    "CleanupOptions": "cleanup",
    "cleanup": "cleanup",
    "select": "cleanup",
    "comment_host": "comment",
    "env_comment": "comment",
    "default_owner": "model",
    "FixResult": "orphans",
    "OrphanReport": "orphans",
    "find_orphans": "orphans",
    "fix_orphans": "orphans",
    "STDOUT_HIDDEN": "outputs",
    "legacy_ready": "outputs",
    "slot_result": "outputs",
    "ReadyOptions": "ready",
    "ReadyResult": "ready",
    "ReadySteps": "ready",
    "ensure_ready": "ready",
    "SyncReport": "workspace",
    "sync_sources": "workspace",
    "workspace_target": "workspace",
}


def __getattr__(name: str) -> Any:
    if name == "namespaces":
        return importlib.import_module("codexstack.slots.namespaces")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'codexstack.slots' has no attribute {name!r}")
    return getattr(importlib.import_module(f"codexstack.slots.{module}"), name)


__all__ = [
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
    "SyncReport",
    "cleanup",
    "comment_host",
    "default_owner",
    "ensure_ready",
    "env_comment",
    "find_orphans",
    "fix_orphans",
    "legacy_ready",
    "namespaces",
    "open_slots",
    "select",
    "slot_result",
    "sync_sources",
    "workspace_target",
]
