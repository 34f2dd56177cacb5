"""The one interface every slot-registry backend implements, and the outcomes it may signal.

A backend (SQLite file, Kubernetes Leases) is a small store of named :class:`Record` objects
with one atomic primitive that everything rests on: *create if absent*. It also offers
compare-and-swap replace and delete (by record version), a full listing, and a per-slot lock.
All allocation logic (keys, capacity, queueing, release, GC) lives above this interface, in
one place, so both backends behave the same by construction.

Outcomes are distinguished strictly (codexctl D-ALLOC): :class:`AlreadyExists` is the only
"taken" signal; :class:`VersionConflict` means "someone wrote in between, re-read";
:class:`Ambiguous` means the request may or may not have been applied (a lost response), so
the caller must read back and recognise its own holder id; everything else is a
:class:`RegistryError` carrying the backend's real status and message.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Protocol, runtime_checkable

from codexstack.errors import CodexstackError, DeployError
from codexstack.slots.model import Record


class AlreadyExists(Exception):
    """Create found an object of that name: the only outcome that means "taken"."""


class VersionConflict(Exception):
    """A versioned write lost a race: re-read and decide again."""


class Ambiguous(Exception):
    """The request was sent but no answer came back; it may have been applied."""


class RegistryError(DeployError):
    """The registry backend failed: unreachable, unauthorised (401/403), server error, timeout.

    Never reported as "no free slot": the status and message are the backend's own.
    """

    def __init__(self, message: str, *, status: int | None = None, hint: str | None = None):
        super().__init__(message, hint=hint)
        self.status = status


class SlotConflictError(CodexstackError):
    """An explicitly requested slot, or an issue/PR, is bound to a different claim."""


@runtime_checkable
class Store(Protocol):
    """A registry backend: named records with atomic create and versioned writes."""

    prefix: str
    """Name prefix of every slot object (``<prefix><N>``); keys and locks derive from it."""

    def create(self, record: Record) -> Record:
        """Store ``record`` if no object has its name; return it with its new version.

        Raises :class:`AlreadyExists` when the name is taken, :class:`Ambiguous` when the answer
        was lost, :class:`RegistryError` for anything else.
        """
        ...

    def get(self, name: str) -> Record | None:
        """The record of that name, or None."""
        ...

    def replace(self, record: Record) -> Record:
        """Overwrite the record if its stored version still equals ``record.version``.

        Raises :class:`VersionConflict` when it changed or vanished.
        """
        ...

    def delete(self, name: str, version: str | None = None) -> bool:
        """Delete by name (only at ``version`` when given); False when it was already gone.

        Raises :class:`VersionConflict` when ``version`` no longer matches.
        """
        ...

    def list(self) -> list[Record]:
        """Every record of this registry (slots, keys, queue entries), in name order."""
        ...

    def lock(self, slot: int, holder: str, wait: float = 0.0) -> AbstractContextManager[None]:
        """Hold the slot's lock for the ``with`` block; :class:`StackBusyError` after ``wait`` s."""
        ...

    def close(self) -> None:
        """Release connections; the store may not be used afterwards."""
        ...


def records_of(store: Store, kind: str) -> Iterator[Record]:
    """The listed records of one kind."""
    return (r for r in store.list() if r.kind == kind)
