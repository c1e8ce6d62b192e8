"""Connections and transactions: every connection is set up the same safe way."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

#: How long a writer waits for another writer's transaction before giving up (ms).
#: Writes last milliseconds; ten seconds only runs out if something is stuck.
BUSY_TIMEOUT_MS = 10_000
#: Extra attempts at taking the write lock when SQLite reports it busy anyway.
LOCK_RETRIES = 5


def connect(path: str | Path) -> sqlite_utils.Database:
    """Open a short-lived connection: foreign keys on, WAL, busy timeout, full sync.

    Use one connection per request or thread and close it (`with connect(p) as db:`).

    Args:
        path: the SQLite file (created if missing).

    Returns:
        The sqlite-utils database.
    """
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode != "wal" and str(path) != ":memory:":
        conn.close()
        raise sqlite3.OperationalError(f"{path}: cannot switch to WAL (journal mode {mode})")
    # A committed write survives a power cut, not only a crash of the process.
    conn.execute("PRAGMA synchronous = FULL")
    # Erased or replaced personal data is overwritten in the file, not left in free pages.
    conn.execute("PRAGMA secure_delete = ON")
    return sqlite_utils.Database(conn)


def keeper(path: str | Path) -> sqlite3.Connection:
    """A connection held open for a server's life, so WAL is not checkpointed at every close.

    It is never used to read or write; any thread may hold it.
    """
    conn = sqlite3.connect(str(path), check_same_thread=False)
    conn.execute("PRAGMA journal_mode = WAL")
    return conn


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """A write transaction, `BEGIN IMMEDIATE`: the write lock is taken up front.

    Taking the lock first means two writers never both read, then both fail to
    upgrade; a busy database is waited for and retried, never reported to the
    caller unless it stays locked for over a minute. Nested use joins the outer
    transaction (a savepoint), so a bulk load can wrap many store calls.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    for attempt in range(LOCK_RETRIES + 1):
        try:
            db.conn.execute("BEGIN IMMEDIATE")
            break
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) and "busy" not in str(error):
                raise
            if attempt == LOCK_RETRIES:
                raise
            time.sleep(0.05 * 2**attempt)
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    try:
        db.conn.execute("COMMIT")
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
