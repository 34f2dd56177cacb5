"""Orphans: slot namespaces nobody claims, and claims whose namespace never came or is gone.

Both directions are reported (battery E3); ``fix`` resolves exactly those and nothing else:
an unclaimed namespace is deleted through the injected ``delete_namespace``, and a claim
without a namespace is released under its lock, after re-checking that the namespace is
still absent. Claims younger than ``min_age`` are left alone, because a freshly claimed slot
has no namespace until ``ensure-ready`` applies it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from codexstack.errors import CodexstackError
from codexstack.slots.model import Claim, ClaimState

if TYPE_CHECKING:
    from codexstack.slots.release import Destroy
    from codexstack.slots.service import Slots

DEFAULT_MIN_AGE = 600.0


@dataclass(frozen=True)
class OrphanReport:
    namespaces_without_claims: list[str]
    claims_without_namespaces: list[Claim]

    @property
    def empty(self) -> bool:
        return not (self.namespaces_without_claims or self.claims_without_namespaces)


@dataclass
class FixResult:
    deleted_namespaces: list[str] = field(default_factory=list)
    released_slots: list[int] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def find_orphans(
    slots: Slots, namespaces: Collection[str], min_age: float = DEFAULT_MIN_AGE
) -> OrphanReport:
    """Compare the slot namespaces that exist (``namespaces``) with the claims."""
    claims = slots.claims()
    claimed = {c.namespace for c in claims}
    now = slots.now()
    lonely = [
        c
        for c in claims
        if c.source == "codexstack"
        and c.state is ClaimState.CLAIMED
        and c.namespace not in namespaces
        and now - c.created >= min_age
    ]
    return OrphanReport(sorted(set(namespaces) - claimed), lonely)


def fix_orphans(
    slots: Slots,
    report: OrphanReport,
    delete_namespace: Callable[[str], None],
    destroy: Destroy | None = None,
) -> FixResult:
    """Delete the unclaimed namespaces and release the namespace-less claims of ``report``."""
    result = FixResult()
    for namespace in report.namespaces_without_claims:
        try:
            delete_namespace(namespace)
            result.deleted_namespaces.append(namespace)
        except CodexstackError as exc:
            result.failed[namespace] = str(exc)
    for claim in report.claims_without_namespaces:
        if not slots.namespace_gone(claim.namespace):
            continue  # it appeared since the report: no longer an orphan
        try:
            slots.release(claim.slot, destroy=destroy)
            result.released_slots.append(claim.slot)
        except CodexstackError as exc:
            result.failed[f"slot {claim.slot}"] = str(exc)
    return result
