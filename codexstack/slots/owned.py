"""Writes that survive lost responses: create, update and delete that read back and decide.

A registry write can be applied on the server while its answer is lost (battery A4). Each
helper here turns :class:`Ambiguous` into a definite outcome by reading the object back: a
created object whose holder is the caller's own id is the caller's, whoever else holds it is
not, and an absent one means the request never landed and is retried. After a bounded number
of unanswered attempts the last transport failure is reported as a :class:`RegistryError`,
never as "taken".
"""

from __future__ import annotations

import contextlib

from codexstack.slots.model import Record
from codexstack.slots.registry import (
    AlreadyExists,
    Ambiguous,
    RegistryError,
    Store,
    VersionConflict,
)

ATTEMPTS = 4


def create_owned(store: Store, record: Record, attempts: int = ATTEMPTS) -> Record | None:
    """Create ``record`` (or find it already created by this holder); None if another holds it."""
    last: Exception | None = None
    for _ in range(attempts):
        try:
            return store.create(record)
        except AlreadyExists:
            if last is None:
                return None  # no earlier attempt of ours can have landed: someone else's
            current = store.get(record.name)
        except Ambiguous as exc:
            last = exc
            current = store.get(record.name)
        if current is not None:
            return current if current.holder == record.holder else None
        # Absent: the lost create never landed (or was released since); try again.
    raise _unanswered("create", record.name, attempts, last)


def replace_owned(store: Store, record: Record, attempts: int = ATTEMPTS) -> Record:
    """Versioned replace; a lost answer counts as success when the stored object is ours.

    Raises :class:`VersionConflict` when someone else wrote first.
    """
    last: Exception | None = None
    for _ in range(attempts):
        try:
            return store.replace(record)
        except Ambiguous as exc:
            last = exc
        current = store.get(record.name)
        if current is None:
            raise VersionConflict(record.name)
        if current.version == record.version:
            continue  # the write did not land; send it again
        if _same_content(current, record):
            return current
        raise VersionConflict(record.name)
    raise _unanswered("update", record.name, attempts, last)


def delete_owned(
    store: Store, name: str, version: str | None = None, attempts: int = ATTEMPTS
) -> bool:
    """Delete (at ``version`` when given), reading back after a lost answer."""
    last: Exception | None = None
    for _ in range(attempts):
        try:
            return store.delete(name, version)
        except Ambiguous as exc:
            last = exc
        current = store.get(name)
        if current is None:
            return True
        if version is not None and current.version != version:
            raise VersionConflict(name)
    raise _unanswered("delete", name, attempts, last)


def delete_quietly(store: Store, name: str, version: str | None = None) -> None:
    """Best-effort delete for clean-up paths: losing a race or a stale version is fine."""
    with contextlib.suppress(VersionConflict):
        delete_owned(store, name, version)


def _same_content(a: Record, b: Record) -> bool:
    # Times round-trip through text (Lease MicroTime), so compare them to the millisecond.
    return abs(a.renewed - b.renewed) < 1e-3 and (a.holder, dict(a.data), dict(a.labels)) == (
        b.holder,
        dict(b.data),
        dict(b.labels),
    )


def _unanswered(action: str, name: str, attempts: int, last: Exception | None) -> RegistryError:
    reason = f": {last}" if last else ""
    return RegistryError(
        f"slot registry: no answer to {action} of {name} after {attempts} attempts{reason}"
    )
