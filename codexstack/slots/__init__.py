"""The slot registry: who holds which dev-AI slot, claimed atomically, on SQLite or Kubernetes.

Callers build a :class:`Slots` over a backend store (``open_store``) and call ``ensure``,
``release``, ``gc``, ``renew`` and the reads. Backend modules (``sqlite``, ``leases``) are
imported only when opened, so importing this package stays cheap.
"""

from codexstack.slots.allocator import Allocation, Request
from codexstack.slots.model import Claim, ClaimState, Selector
from codexstack.slots.registry import RegistryError, SlotConflictError, Store
from codexstack.slots.release import GcReport, Outcome, ReleaseResult
from codexstack.slots.service import Slots

__all__ = [
    "Allocation",
    "Claim",
    "ClaimState",
    "GcReport",
    "Outcome",
    "RegistryError",
    "ReleaseResult",
    "Request",
    "Selector",
    "SlotConflictError",
    "Slots",
    "Store",
]
