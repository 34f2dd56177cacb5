"""Opening the SQLite registry while another process still has the new file open.

Turning WAL on is the one step SQLite answers "database is locked" to at once instead of
waiting on its busy timeout; 10 concurrent `ci ensure-slot` runs on a fresh project hit it
(two exited 1 instead of 75). The registry now retries that step within its busy timeout.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from codexstack.slots.registry import RegistryError
from codexstack.slots.sqlite import SqliteStore


def hold_write_lock(path: Path, seconds: float, held: threading.Event) -> None:
    """A writer in the middle of a rollback-journal transaction, as a registry being created."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN IMMEDIATE")
    db.execute("INSERT INTO early VALUES (1)")
    held.set()
    time.sleep(seconds)
    db.execute("COMMIT")
    db.close()


@contextlib.contextmanager
def writer_holding(path: Path, seconds: float) -> Iterator[None]:
    """A new rollback-journal registry file whose writer holds its lock for ``seconds``."""
    sqlite3.connect(path).execute("CREATE TABLE early (x)").connection.close()
    held = threading.Event()
    writer = threading.Thread(target=hold_write_lock, args=(path, seconds, held))
    writer.start()
    held.wait(5)
    try:
        yield
    finally:
        writer.join()


def test_open_waits_for_a_writer_of_a_new_registry(tmp_path: Path) -> None:
    path = tmp_path / "slots.db"
    with writer_holding(path, 0.4):
        started = time.monotonic()
        store = SqliteStore(path)
        waited = time.monotonic() - started
    assert store.list() == []
    assert waited >= 0.2  # it really met the lock and waited for it
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()


def test_open_gives_up_after_its_busy_timeout_with_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "slots.db"
    with (
        writer_holding(path, 1.0),
        pytest.raises(RegistryError, match=r"cannot open slot registry .*slots\.db: .*locked"),
    ):
        SqliteStore(path, busy_timeout=0.2)
