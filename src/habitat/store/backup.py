"""Check, back up and restore the database file: a backup is only good if it was checked."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from habitat.store import audit
from habitat.store.audit import Action
from habitat.store.db import connect, transaction
from habitat.store.errors import BadBackup
from habitat.store.migrations import MIGRATION_SET, migrations

#: The tables a file must have to be taken for a habitat database.
REQUIRED_TABLES = frozenset({"habitat", "resident", "audit_log", "_sqlite_migrations"})
_SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass
class Health:
    """The outcome of `check`: empty lists mean a sound database."""

    integrity: list[str] = field(default_factory=list)
    foreign_keys: list[str] = field(default_factory=list)
    pending_migrations: list[str] = field(default_factory=list)
    unknown_migrations: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not (
            self.integrity
            or self.foreign_keys
            or self.pending_migrations
            or self.unknown_migrations
        )

    def problems(self) -> list[str]:
        """Every problem found, one line each."""
        return (
            [f"integrity: {line}" for line in self.integrity]
            + [f"foreign key: {line}" for line in self.foreign_keys]
            + [f"migration not applied: {name}" for name in self.pending_migrations]
            + [f"migration unknown to this version: {name}" for name in self.unknown_migrations]
        )


def check(path: str | Path) -> Health:
    """Integrity check, foreign-key check and migration state of a database file."""
    health = Health()
    if not Path(path).is_file():  # connecting would create an empty database
        health.integrity = [f"{path}: no such file"]
        return health
    with connect(path) as db:
        rows = [row[0] for row in db.execute("PRAGMA integrity_check")]
        if rows != ["ok"]:
            health.integrity = rows
        health.foreign_keys = [
            f"{table} row {rowid} -> {parent}"
            for table, rowid, parent, _ in db.execute("PRAGMA foreign_key_check")
        ]
        health.pending_migrations = [m.name for m in migrations.pending(db)]
        known = {m.name for m in migrations._migrations}
        health.unknown_migrations = [m.name for m in migrations.applied(db) if m.name not in known]
    return health


def content_hash(path: str | Path, exclude: frozenset[str] = frozenset()) -> str:
    """SHA-256 of every table's rows in a fixed order: equal content, equal hash.

    Args:
        path: the database file.
        exclude: tables left out (a restore appends its own line to `audit_log`).
    """
    digest = hashlib.sha256()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        for table in tables:
            if table in exclude:
                continue
            digest.update(table.encode())
            columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
            order = ", ".join(columns)
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY {order}"):
                digest.update(repr(row).encode())
    finally:
        conn.close()
    return digest.hexdigest()


def backup(path: str | Path, destination: str | Path, actor: str = "system") -> Path:
    """Copy the live database to `destination` with SQLite's backup API, then check it.

    Safe while others write: the copy is one consistent snapshot. The file appears
    only once complete and checked (written beside it, then renamed).

    Raises:
        BadBackup: the copy failed its integrity check (nothing left at `destination`).
    """
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    with connect(path) as db:
        with transaction(db):
            audit.log(db, actor, "database", 0, Action.BACKUP, after={"to": str(destination)})
        target = sqlite3.connect(str(partial))
        try:
            db.conn.backup(target)
        finally:
            target.close()
    try:
        _verify(partial)
        _fsync(partial)
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)
    return destination


def restore(backup_path: str | Path, path: str | Path, actor: str = "system") -> None:
    """Replace the database with a checked backup; a bad or foreign file changes nothing.

    The current file is itself kept beside it (`NAME.before-restore`) first.

    Raises:
        BadBackup: not SQLite, corrupt, not a habitat database, or from a newer version.
    """
    backup_path, path = Path(backup_path), Path(path)
    _verify(backup_path)
    staged = path.with_name(path.name + ".restoring")
    staged.unlink(missing_ok=True)
    source = sqlite3.connect(f"file:{backup_path}?mode=ro", uri=True)
    target = sqlite3.connect(str(staged))
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    try:
        _verify(staged)
        if path.exists():
            with connect(path) as db:
                keep = path.with_name(path.name + ".before-restore")
                keep.unlink(missing_ok=True)
                db.execute("VACUUM INTO ?", [str(keep)])
        for suffix in ("-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        _fsync(staged)
        os.replace(staged, path)
    finally:
        staged.unlink(missing_ok=True)
    with connect(path) as db:
        migrations.apply(db)  # a backup from an older version is brought up to date
        with transaction(db):
            audit.log(db, actor, "database", 0, Action.RESTORE, after={"from": str(backup_path)})


def _verify(path: Path) -> None:
    if not path.is_file():
        raise BadBackup(str(path), "no such file")
    with path.open("rb") as handle:
        if handle.read(16) != _SQLITE_MAGIC:
            raise BadBackup(str(path), "not an SQLite database")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            tables = {
                row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            applied = (
                {
                    row[0]
                    for row in conn.execute(
                        "SELECT name FROM _sqlite_migrations WHERE migration_set = ?",
                        [MIGRATION_SET],
                    )
                }
                if "_sqlite_migrations" in tables
                else set()
            )
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise BadBackup(str(path), f"unreadable ({error})") from None
    if result != ["ok"]:
        raise BadBackup(str(path), f"integrity check failed ({result[0]})")
    missing = REQUIRED_TABLES - tables
    if missing:
        raise BadBackup(str(path), f"not a habitat database (no table {sorted(missing)[0]})")
    unknown = applied - {m.name for m in migrations._migrations}
    if unknown:
        raise BadBackup(str(path), f"made by a newer version (migration {sorted(unknown)[0]})")


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())
