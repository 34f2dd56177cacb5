"""Slots codexctl allocated, taken into codexstack's registry with their number, issue and PR.

codexctl's ``codex-env-<N>`` ConfigMaps (reference §6.1) are read as foreign claims
(:mod:`codexstack.slots.codexctl`). When a request reuses one (``ci ensure-ready --issue 42``
for the issue codexctl gave slot 3), :func:`import_claim` writes the same claim into this
registry (same slot, env, namespace, issue, PR, owner and creation time, labelled
``imported-from=codexctl``) and binds its issue/PR keys, so heartbeats, ``manage-env set``,
cleanup and GC work on it like on any other slot. codexctl's ConfigMap is left as it is: the
number stays taken for codexctl runs still in flight. When the number is already held here
the foreign claim is answered as before.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from codexstack.slots.model import Claim, key_name
from codexstack.slots.owned import create_owned
from codexstack.slots.registry import SlotConflictError

if TYPE_CHECKING:
    from codexstack.slots.service import Slots

IMPORTED_LABEL = "imported-from"
IMPORTED_FROM = "codexctl"


def origin(claim: Claim) -> str:
    """Where a claim came from: ``codexstack``, ``codexctl`` (its ConfigMap only) or imported."""
    if claim.labels.get(IMPORTED_LABEL) == IMPORTED_FROM:
        return "codexctl (imported)"
    return claim.source


def import_claim(slots: Slots, foreign: Claim) -> Claim:
    """Our claim for codexctl's ``foreign`` slot (created now, or the one already here)."""
    ours = slots.get(foreign.slot)
    if ours is not None:
        return ours if ours.matches_claim(foreign) else foreign
    now = slots.now()
    claim = replace(
        foreign,
        holder=slots.holder,
        renewed=now,
        created=foreign.created or now,
        labels={**foreign.labels, IMPORTED_LABEL: IMPORTED_FROM},
        source="codexstack",
        version="",
    )
    held = create_owned(slots.store, claim.to_record(slots.prefix))
    if held is None:
        return slots.get(foreign.slot) or foreign
    created = Claim.from_record(held)
    for what, number in (("issue", foreign.issue), ("pr", foreign.pr)):
        if number:
            try:
                slots.set(created.slot, **{what: number})
            except SlotConflictError:
                name = key_name(slots.prefix, foreign.env, what, number)
                raise SlotConflictError(
                    f"codexctl's slot {foreign.slot} holds {what} {number}, but codexstack's"
                    f" registry already binds it elsewhere ({name})",
                    hint="release one of them with manage-env cleanup",
                ) from None
    return slots.get(created.slot) or created
