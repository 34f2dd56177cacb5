"""The per-slot lock of the Lease backend: a Lease with a duration, renewed while held.

apply, destroy and GC on any runner take ``<prefix>lock-<N>``. Acquiring is "create if
absent"; an existing lock whose ``renewTime + leaseDurationSeconds`` has passed belongs to a
dead holder and is taken over with a versioned replace, so a crashed run blocks a slot for at
most one lease duration. A daemon thread renews the lease every third of its duration while
the ``with`` block runs; the lease is deleted (at its version, only if still ours) on exit.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from codexstack.flock import poll_until
from codexstack.slots.locks import busy_error
from codexstack.slots.model import Kind, Record, lock_name
from codexstack.slots.owned import create_owned, delete_quietly, replace_owned
from codexstack.slots.registry import RegistryError, VersionConflict

if TYPE_CHECKING:
    from codexstack.slots.leases import LeaseStore

LOCK_POLL = 0.2


@contextlib.contextmanager
def lease_lock(store: LeaseStore, slot: int, holder: str, wait: float = 0.0) -> Iterator[None]:
    """Hold the slot's lock Lease; StackBusyError when another holder keeps it for ``wait`` s."""
    name = lock_name(store.prefix, slot)
    duration = store.lock_seconds
    held: list[Record] = []
    seen_holder = [""]

    def attempt() -> bool:
        now = round(time.time(), 6)
        mine = Record(name, Kind.LOCK, holder, now, {"slot": str(slot), "duration": str(duration)})
        got = create_owned(store, mine)
        if got is None:
            current = store.get(name)
            if current is None:
                return False
            seen_holder[0] = current.holder
            if now - current.renewed <= float(current.data.get("duration", duration)):
                return False
            try:  # expired: its holder died without releasing
                got = replace_owned(
                    store, Record(name, Kind.LOCK, holder, now, mine.data, version=current.version)
                )
            except VersionConflict:
                return False
        held.append(got)
        return True

    if not poll_until(attempt, wait, LOCK_POLL):
        raise busy_error(slot, seen_holder[0], wait)
    stop = threading.Event()
    renewer = threading.Thread(
        target=_renew, args=(store, held, stop, duration / 3), name=f"lock-{slot}", daemon=True
    )
    renewer.start()
    try:
        yield
    finally:
        stop.set()
        renewer.join()
        current = store.get(name)
        if current is not None and current.holder == holder:
            delete_quietly(store, name, current.version)


def _renew(store: LeaseStore, held: list[Record], stop: threading.Event, every: float) -> None:
    while not stop.wait(every):
        try:
            held[0] = replace_owned(store, held[0].touched(round(time.time(), 6)))
        except (VersionConflict, RegistryError):
            return  # lost or unreachable: the holder notices when it releases
