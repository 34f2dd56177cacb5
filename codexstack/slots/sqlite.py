"""The embedded slot registry: one SQLite file, safe across processes (the offline default).

Records live in one table keyed by name, so "create if absent" is an INSERT that either
succeeds or hits the primary key (the only "taken" signal). Every write runs in a
``BEGIN IMMEDIATE`` transaction, the journal is WAL so readers never block the writer, and a
busy timeout makes concurrent processes queue instead of failing (turning WAL on, the one step
SQLite does not queue, is retried the same way). Locks are ``flock`` files
beside the database (``<db>.locks/slot-<N>.lock``).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace
from pathlib import Path

from codexstack.flock import poll_until
from codexstack.slots.locks import file_lock
from codexstack.slots.model import Kind, Record
from codexstack.slots.registry import AlreadyExists, RegistryError, VersionConflict

DEFAULT_PREFIX = "slot-"
BUSY_TIMEOUT_MS = 30_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    name    TEXT PRIMARY KEY,
    kind    TEXT NOT NULL,
    holder  TEXT NOT NULL,
    renewed REAL NOT NULL,
    data    TEXT NOT NULL,
    labels  TEXT NOT NULL,
    version INTEGER NOT NULL
)
"""


def default_path(project_root: Path) -> Path:
    """Where the registry lives unless configured: ``<project>/.codexstack/slots.db``."""
    return project_root / ".codexstack" / "slots.db"


class SqliteStore:
    """A :class:`~codexstack.slots.registry.Store` over one SQLite file."""

    def __init__(
        self, path: Path, prefix: str = DEFAULT_PREFIX, busy_timeout: float = BUSY_TIMEOUT_MS / 1000
    ):
        self.path = path
        self.prefix = prefix
        self._guard = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(
                path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
            )
            self._db.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
            _enable_wal(self._db, busy_timeout)
            self._db.execute("PRAGMA synchronous=NORMAL")
            with self._write() as db:
                db.execute(_SCHEMA)
        except sqlite3.Error as exc:
            raise RegistryError(f"cannot open slot registry {path}: {exc}") from exc

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._guard:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def create(self, record: Record) -> Record:
        try:
            with self._write() as db:
                db.execute("INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, 1)", _row(record))
        except sqlite3.IntegrityError as exc:
            raise AlreadyExists(record.name) from exc
        except sqlite3.Error as exc:
            raise _error("create", record.name, exc) from exc
        return _with_version(record, 1)

    def get(self, name: str) -> Record | None:
        try:
            with self._guard:
                row = self._db.execute("SELECT * FROM records WHERE name = ?", (name,)).fetchone()
        except sqlite3.Error as exc:
            raise _error("read", name, exc) from exc
        return _record(row) if row else None

    def replace(self, record: Record) -> Record:
        new_version = int(record.version or 0) + 1
        try:
            with self._write() as db:
                cur = db.execute(
                    "UPDATE records SET kind=?, holder=?, renewed=?, data=?, labels=?, version=?"
                    " WHERE name=? AND version=?",
                    (*_row(record)[1:], new_version, record.name, int(record.version or 0)),
                )
                if cur.rowcount != 1:
                    raise VersionConflict(record.name)
        except sqlite3.Error as exc:
            raise _error("update", record.name, exc) from exc
        return _with_version(record, new_version)

    def delete(self, name: str, version: str | None = None) -> bool:
        try:
            with self._write() as db:
                if version is None:
                    return db.execute("DELETE FROM records WHERE name=?", (name,)).rowcount == 1
                cur = db.execute(
                    "DELETE FROM records WHERE name=? AND version=?", (name, int(version))
                )
                if cur.rowcount == 1:
                    return True
                if db.execute("SELECT 1 FROM records WHERE name=?", (name,)).fetchone():
                    raise VersionConflict(name)
                return False
        except sqlite3.Error as exc:
            raise _error("delete", name, exc) from exc

    def list(self) -> list[Record]:
        try:
            with self._guard:
                rows = self._db.execute("SELECT * FROM records ORDER BY name").fetchall()
        except sqlite3.Error as exc:
            raise _error("list", self.path.name, exc) from exc
        return [_record(row) for row in rows]

    def lock(self, slot: int, holder: str, wait: float = 0.0) -> AbstractContextManager[None]:
        return file_lock(self.path.with_name(self.path.name + ".locks"), slot, holder, wait)

    def close(self) -> None:
        with self._guard:
            self._db.close()


def _enable_wal(db: sqlite3.Connection, wait: float) -> None:
    """Turn on WAL, retrying for ``wait`` s: SQLite does not queue this step on its busy timeout.

    The switch needs an exclusive lock, so a process opening a new registry while another is
    still creating it is told "database is locked" at once (seen with 10 concurrent
    ``ci ensure-slot`` runs). Once the file is in WAL mode the pragma only reads it.
    """
    failure: list[sqlite3.OperationalError] = []

    def attempt() -> bool:
        try:
            db.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY:
                raise
            failure[:] = [exc]
            return False
        return True

    if not poll_until(attempt, wait):
        raise failure[-1]


def _row(record: Record) -> tuple[str, str, str, float, str, str]:
    return (
        record.name,
        str(record.kind),
        record.holder,
        record.renewed,
        json.dumps(dict(record.data), sort_keys=True),
        json.dumps(dict(record.labels), sort_keys=True),
    )


def _record(row: tuple[str, str, str, float, str, str, int]) -> Record:
    name, kind, holder, renewed, data, labels, version = row
    return Record(
        name, Kind(kind), holder, renewed, json.loads(data), json.loads(labels), str(version)
    )


def _with_version(record: Record, version: int) -> Record:
    return replace(record, version=str(version))


def _error(action: str, name: str, exc: sqlite3.Error) -> RegistryError:
    return RegistryError(f"slot registry: cannot {action} {name}: {exc}")
