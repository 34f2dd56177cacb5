"""Issue/PR keys: the second atomic object of an allocation, and the reuse they give.

A key ``<prefix>issue-<N>`` (or ``pr-<N>``, prefixed by the env outside ``ai``) is created by
the one caller allocating for that issue and bound to the slot it gets. Everyone else reads
the key: bound means reuse that slot (attaching a PR to its issue's slot, or the reverse),
pending means wait for the allocator, stale means its holder died and the key is taken over.
A key pointing at a claim that no longer fits (released, re-used) is removed on sight.
"""

from __future__ import annotations

import contextlib
import time
from typing import TYPE_CHECKING

from codexstack.errors import SlotsFullError
from codexstack.slots.migrate import import_claim
from codexstack.slots.model import Claim, ClaimState, Record, Selector, key_record
from codexstack.slots.owned import create_owned, delete_quietly, replace_owned
from codexstack.slots.registry import SlotConflictError, VersionConflict

if TYPE_CHECKING:
    from codexstack.slots.service import Slots


def reuse(slots: Slots, selector: Selector) -> Claim | None:
    found: dict[int, Claim] = {}
    unbound: list[tuple[str, int]] = []
    for name, what, number in selector.keys(slots.prefix):
        key = slots.store.get(name)
        if key is None:
            unbound.append((what, number))
            continue
        if key.get_int("slot") == 0:
            return None  # someone is allocating for it right now; _take_keys waits for them
        claim = slots.get(key.get_int("slot"))
        if claim is None or not _fits(claim, selector.env, what, number):
            delete_quietly(slots.store, name, key.version)  # left behind by a crashed release
            unbound.append((what, number))
            continue
        found[claim.slot] = claim
    if len(found) > 1:
        raise SlotConflictError(
            f"{selector.describe()}: the issue and the PR hold different slots"
            f" ({', '.join(map(str, sorted(found)))})"
        )
    if found:
        claim = next(iter(found.values()))
        if selector.slot and selector.slot != claim.slot:
            raise SlotConflictError(f"{selector.describe()}: it already holds slot {claim.slot}")
        return _attach(slots, claim, unbound) if unbound else claim
    return _reuse_without_keys(slots, selector)


def _reuse_without_keys(slots: Slots, selector: Selector) -> Claim | None:
    if slots.foreign is not None:
        for claim in slots.foreign.list():
            if claim.matches(selector):
                return import_claim(slots, claim)
    if selector.slot and not selector.keys(slots.prefix):
        held = slots.get(selector.slot)
        if held is not None and held.state is ClaimState.CLAIMED and held.matches(selector):
            return held
    return None


def _fits(claim: Claim, env: str, what: str, number: int) -> bool:
    value = claim.issue if what == "issue" else claim.pr
    return claim.state is ClaimState.CLAIMED and claim.env == env and value == number


def _attach(slots: Slots, claim: Claim, unbound: list[tuple[str, int]]) -> Claim:
    """Bind the selector's other value (a PR to an issue's slot, say) to the found claim."""
    values = dict(unbound)
    for what, number in values.items():
        current = claim.issue if what == "issue" else claim.pr
        if current not in (0, number):
            raise SlotConflictError(f"slot {claim.slot} holds {what} {current}, not {number}")
    return slots.set(claim.slot, issue=values.get("issue", 0), pr=values.get("pr", 0))


def take_keys(slots: Slots, selector: Selector, deadline: float) -> dict[str, Record] | None:
    owned: dict[str, Record] = {}
    for name, what, number in selector.keys(slots.prefix):
        record = key_record(
            name, slots.holder, slots.now(), env=selector.env, what=what, number=number
        )
        held = create_owned(slots.store, record)
        if held is None:
            for key in owned.values():
                delete_quietly(slots.store, key.name, key.version)
            _await_key(slots, name, f"{what} {number}", deadline)
            return None
        owned[name] = held
    return owned


def _await_key(slots: Slots, name: str, describe: str, deadline: float) -> None:
    """Wait until another caller's key for the same issue/PR is bound, gone or stale."""
    limit = max(deadline, time.monotonic() + slots.stale_after)
    while True:
        key = slots.store.get(name)
        if key is None or key.get_int("slot") > 0:
            return
        if slots.now() - key.renewed > slots.stale_after:
            delete_quietly(slots.store, name, key.version)  # its holder died mid-allocation
            return
        if time.monotonic() > limit:
            raise SlotsFullError(
                f"{describe} is still waiting for a free slot in another run ({key.holder})",
                hint="retry later",
            )
        time.sleep(slots.poll)


def bind(slots: Slots, owned: dict[str, Record], claim: Claim, selector: Selector) -> Claim:
    for key in owned.values():
        # A key taken over as stale meanwhile is fine: its new holder adopts this same claim.
        with contextlib.suppress(VersionConflict):
            replace_owned(slots.store, key.evolve(slot=str(claim.slot)).touched(slots.now()))
    missing = {
        what: n
        for what, n in (("issue", selector.issue), ("pr", selector.pr))
        if n and not (claim.issue if what == "issue" else claim.pr)
    }
    return slots.set(claim.slot, **missing) if missing else claim
