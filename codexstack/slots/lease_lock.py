"""The per-slot lock of the Lease backend: a Lease with a duration, renewed while held.

apply, destroy and GC on any runner take ``<prefix>lock-<N>``. Acquiring is "create if
absent". An existing lock is expired when this caller has *observed* it unchanged (same
resourceVersion) for a whole lease duration on its own monotonic clock, as Kubernetes leader
election judges it; the holder's ``renewTime`` is another machine's clock, so it alone decides
only when it is older than two durations (clock skew below one duration cannot steal a live
lock). An expired lock is taken over with a versioned replace, so a crashed run blocks a slot
for one to two lease durations.

A daemon thread renews the lease every third of its duration while the ``with`` block runs. An
unreachable API is retried until the lease would expire; a lease that someone else took over
(or that could not be renewed in time) is *lost*: the holder's work is interrupted as by
Ctrl-C (``SIGINT``, so the deploy layer stops the engine and saves state) and the block ends
with :class:`LockLost` (exit 75). On exit the lease is deleted, at its version, if still ours.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from codexstack.errors import TemporaryError
from codexstack.flock import poll_until
from codexstack.slots.locks import busy_error
from codexstack.slots.model import Kind, Record, lock_name
from codexstack.slots.owned import create_owned, delete_quietly, replace_owned
from codexstack.slots.registry import RegistryError, VersionConflict

if TYPE_CHECKING:
    from codexstack.slots.leases import LeaseStore

LOCK_POLL = 0.2
SKEW_DURATIONS = 2.0
"""A ``renewTime`` older than this many durations counts as expired without observing."""


class LockLost(TemporaryError):
    """The slot's lock Lease was taken over or could not be renewed: the work was stopped."""


def interrupt_main() -> None:
    """Stop the holder's work the way Ctrl-C does (the deploy layer's handlers run).

    A real SIGINT to the main thread, so a blocking call there (a sleep, a wait on the engine)
    is interrupted at once rather than when it returns.
    """
    signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)


@dataclass
class _Observed:
    """What this caller saw of another holder's lock, by its own monotonic clock."""

    version: str = ""
    since: float = 0.0
    holder: str = ""


@dataclass
class _Held:
    record: Record
    renewed_at: float = field(default_factory=time.monotonic)
    lost: str = ""


def _expired(current: Record, seen: _Observed, duration: float, now: float) -> bool:
    if current.version != seen.version:
        seen.version, seen.since, seen.holder = current.version, time.monotonic(), current.holder
    lease = float(current.data.get("duration", duration))
    observed = time.monotonic() - seen.since >= lease
    return observed or now - current.renewed > SKEW_DURATIONS * lease


@contextlib.contextmanager
def lease_lock(
    store: LeaseStore,
    slot: int,
    holder: str,
    wait: float = 0.0,
    on_lost: Callable[[], None] = interrupt_main,
) -> Iterator[None]:
    """Hold the slot's lock Lease; StackBusyError when another holder keeps it for ``wait`` s."""
    name = lock_name(store.prefix, slot)
    duration = store.lock_seconds
    held: list[_Held] = []
    seen = _Observed()

    def attempt() -> bool:
        now = round(time.time(), 6)
        mine = Record(name, Kind.LOCK, holder, now, {"slot": str(slot), "duration": str(duration)})
        got = create_owned(store, mine)
        if got is None:
            current = store.get(name)
            if current is None or not _expired(current, seen, duration, now):
                return False
            try:  # expired: its holder died without releasing
                got = replace_owned(
                    store, Record(name, Kind.LOCK, holder, now, mine.data, version=current.version)
                )
            except VersionConflict:
                return False
        held.append(_Held(got))
        return True

    if not poll_until(attempt, wait, LOCK_POLL):
        raise busy_error(slot, seen.holder, wait)
    stop = threading.Event()
    renewer = threading.Thread(
        target=_renew,
        args=(store, held[0], stop, duration, on_lost),
        name=f"lock-{slot}",
        daemon=True,
    )
    renewer.start()
    try:
        yield
    except BaseException as exc:
        if held[0].lost:
            raise LockLost(f"slot {slot}: {held[0].lost}; its work was stopped") from exc
        raise
    finally:
        stop.set()
        renewer.join()
        if not held[0].lost:
            with contextlib.suppress(RegistryError):
                current = store.get(name)
                if current is not None and current.holder == holder:
                    delete_quietly(store, name, current.version)
    if held[0].lost:
        raise LockLost(f"slot {slot}: {held[0].lost}")


def _renew(
    store: LeaseStore,
    held: _Held,
    stop: threading.Event,
    duration: float,
    on_lost: Callable[[], None],
) -> None:
    """Renew every third of ``duration`` until stopped or lost (then ``on_lost``)."""
    while not stop.wait(duration / 3):
        held.lost = _renew_once(store, held, duration)
        if held.lost:
            if not stop.is_set():
                on_lost()
            return


def _renew_once(store: LeaseStore, held: _Held, duration: float) -> str:
    """One renewal; the reason the lock is lost, or "" while it is (still) ours."""
    try:
        held.record = replace_owned(store, held.record.touched(round(time.time(), 6)))
        held.renewed_at = time.monotonic()
        return ""
    except VersionConflict:
        with contextlib.suppress(RegistryError):
            current = store.get(held.record.name)
            if current is None:
                return "lock deleted by another run"
            if current.holder != held.record.holder:
                return f"lock taken over by {current.holder}"
            held.record, held.renewed_at = current, time.monotonic()  # our write, answer lost
            return ""
    except RegistryError:
        pass  # unreachable for now: keep trying until the lease would expire
    if time.monotonic() - held.renewed_at < duration:
        return ""
    return f"lock not renewed for {duration:g}s (API unreachable)"
