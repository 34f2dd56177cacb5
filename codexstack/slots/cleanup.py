"""``manage-env cleanup``: destroy the selected slots' stacks and release their claims.

Unlike codexctl (D-CLEANUP), one slot's failure never stops the others: every slot gets its
own result (released, destroyed, releasing, busy, failed) and the caller decides the exit
code from the list. Releasing the claim is the default; ``keep_claim`` reproduces codexctl's
cleanup without ``--with-configmap`` (stack destroyed, the issue keeps its slot number).
Only codexstack's own claims are touched: codexctl's ConfigMaps belong to codexctl.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from codexstack.errors import CodexstackError, StackBusyError
from codexstack.slots.model import Claim, Selector

if TYPE_CHECKING:
    from codexstack.slots.release import Destroy
    from codexstack.slots.service import Slots


@dataclass(frozen=True)
class CleanupItem:
    slot: int
    namespace: str
    outcome: str
    """released | releasing (namespace still terminating) | destroyed | absent | busy | failed"""
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome not in ("busy", "failed")


def select(slots: Slots, selector: Selector, *, everything: bool = False) -> list[Claim]:
    """The env's own claims matching every non-zero selector value (``everything``: all)."""
    claims = slots.claims(include_foreign=False)
    if everything:
        return [c for c in claims if c.env == selector.env]
    selector.validate()
    return [c for c in claims if c.matches(selector)]


@dataclass(frozen=True)
class CleanupOptions:
    destroy: Destroy | None = None
    keep_claim: bool = False
    lock_wait: float = 0.0
    namespace_wait: float = 0.0


def cleanup(slots: Slots, claims: list[Claim], options: CleanupOptions) -> list[CleanupItem]:
    """Clean up each claim in turn; failures are recorded, never abort the loop."""
    items = []
    for claim in claims:
        try:
            items.append(_one(slots, claim, options))
        except StackBusyError as exc:
            items.append(CleanupItem(claim.slot, claim.namespace, "busy", str(exc)))
        except CodexstackError as exc:
            items.append(CleanupItem(claim.slot, claim.namespace, "failed", str(exc)))
    return items


def _one(slots: Slots, claim: Claim, options: CleanupOptions) -> CleanupItem:
    if options.keep_claim:
        with slots.store.lock(claim.slot, slots.holder, options.lock_wait):
            if options.destroy is not None:
                options.destroy(claim)
        return CleanupItem(claim.slot, claim.namespace, "destroyed")
    result = slots.release(
        claim.slot,
        destroy=options.destroy,
        lock_wait=options.lock_wait,
        namespace_wait=options.namespace_wait,
    )
    return CleanupItem(claim.slot, claim.namespace, str(result.outcome))
