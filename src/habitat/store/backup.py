"""Check, back up and restore the database file: a backup is only good if it was checked."""

from __future__ import annotations

import functools
import hashlib
import os
import sqlite3
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from habitat.files import set_plain_mode
from habitat.store import audit, sessions
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
    schema: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not (
            self.integrity
            or self.foreign_keys
            or self.pending_migrations
            or self.unknown_migrations
            or self.schema
        )

    def problems(self) -> list[str]:
        """Every problem found, one line each."""
        return (
            [f"integrity: {line}" for line in self.integrity]
            + [f"foreign key: {line}" for line in self.foreign_keys]
            + [f"migration not applied: {name}" for name in self.pending_migrations]
            + [f"migration unknown to this version: {name}" for name in self.unknown_migrations]
            + [f"schema: {line}" for line in self.schema]
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
        if not (health.pending_migrations or health.unknown_migrations):
            differs = _schema_difference(_schema(db), reference_schema())
            health.schema = [differs] if differs else []
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
        # SQLite creates the copy 0o644; an output follows the umask like every other.
        set_plain_mode(partial)
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)
    return destination


def restore(backup_path: str | Path, path: str | Path, actor: str = "system") -> None:
    """Restore a checked backup into the database file (created if missing).

    Safe while the app runs: see `restore_into`, which does the work. The backup is
    checked in full before the database is touched (or created): a refusal leaves
    it exactly as it was.

    Raises:
        BadBackup: not SQLite, corrupt, not a habitat database, or from a newer version.
    """
    with tempfile.TemporaryDirectory(prefix="habitat-restore-") as folder:
        candidate = prepare(backup_path, Path(folder) / "candidate.db")
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with connect(path) as db:
            _replace_content(db, candidate, backup_path, actor)


def restore_into(db: sqlite_utils.Database, backup_path: str | Path, actor: str = "system") -> Path:
    """Restore a checked backup into the live database, through an open connection.

    Unlike a file copy, the live file is never replaced: SQLite's backup API copies
    pages into `db` under its locks, so the app's other connections stay valid and
    see the restored content at their next read. The backup is first checked in
    full on a private copy (`prepare`): anything wrong and the live database is left
    exactly as it was. Then the current data is kept beside the database
    (`NAME.before-restore`), the checked copy replaces the content, and the restore
    is audited.

    Args:
        db: an open connection to the live database (a file, not `:memory:`).
        backup_path: the backup to restore.
        actor: who the audit log says restored it.

    Returns:
        The copy of the data as it was before the restore.

    Raises:
        BadBackup: not SQLite, corrupt, not a habitat database, or from a newer version.
    """
    with tempfile.TemporaryDirectory(prefix="habitat-restore-") as folder:
        candidate = prepare(backup_path, Path(folder) / "candidate.db")
        return _replace_content(db, candidate, backup_path, actor)


def _replace_content(
    db: sqlite_utils.Database, candidate: Path, backup_path: str | Path, actor: str
) -> Path:
    live = Path(next(row[2] for row in db.execute("PRAGMA database_list") if row[1] == "main"))
    keep = live.with_name(live.name + ".before-restore")
    keep.unlink(missing_ok=True)
    db.execute("VACUUM INTO ?", [str(keep)])
    source = sqlite3.connect(f"file:{candidate}?mode=ro", uri=True)
    try:
        source.backup(db.conn)
    finally:
        source.close()
    with transaction(db):
        audit.log(db, actor, "database", 0, Action.RESTORE, after={"from": str(backup_path)})
        # The backup's open sessions would sign in again whoever had signed out since.
        sessions.end_all(db, actor, sessions.RESTORED, time.time())
    return keep


def prepare(backup_path: str | Path, copy: Path) -> Path:
    """Check a backup in full on a private copy, migrated to this version's schema.

    The copy is taken with SQLite's backup API (the backup file is only read), then
    checked: integrity, foreign keys, migrations all known to this version, pending
    ones applied without error, and the resulting schema (every table, index and
    trigger) equal to the one this version builds. A file that only mimics the
    schema's table names is refused here, before anything live is touched.

    Args:
        backup_path: the backup to check.
        copy: where to write the checked copy (a private, temporary path).

    Returns:
        `copy`, ready to be restored.

    Raises:
        BadBackup: what is wrong with the backup, in one line.
    """
    backup_path = Path(backup_path)
    _verify(backup_path)
    source = sqlite3.connect(f"file:{backup_path}?mode=ro", uri=True)
    target = sqlite3.connect(str(copy))
    try:
        source.backup(target)
    except sqlite3.DatabaseError as error:
        raise BadBackup(str(backup_path), f"unreadable ({error})") from None
    finally:
        target.close()
        source.close()
    with connect(copy) as db:
        stray = (
            db.execute("SELECT count(*) FROM erasure_in_progress").fetchone()[0]
            if ("erasure_in_progress" in db.table_names())
            else 0
        )
        if stray:
            raise BadBackup(str(backup_path), "not a habitat database (an erasure left open)")
        try:
            migrations.apply(db)
        except Exception as error:  # whatever breaks a migration, the file is refused
            raise BadBackup(
                str(backup_path), f"not a habitat database (migration fails: {error})"
            ) from None
        differs = _schema_difference(_schema(db), reference_schema())
        if differs:
            raise BadBackup(str(backup_path), f"not a habitat database (schema differs: {differs})")
        integrity = [row[0] for row in db.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            raise BadBackup(str(backup_path), f"integrity check failed ({integrity[0]})")
        broken = db.execute("PRAGMA foreign_key_check").fetchone()
        if broken:
            raise BadBackup(
                str(backup_path),
                f"integrity check failed (foreign key: {broken[0]} row {broken[1]} -> {broken[2]})",
            )
        # A plain file again, so it can be read without its WAL side files.
        db.execute("PRAGMA journal_mode = DELETE")
    return copy


def _schema(db: sqlite_utils.Database) -> dict[tuple[str, str], str]:
    """Every table, index, trigger and view: (type, name) -> its SQL, spaces normalised."""
    return {
        (kind, name): " ".join((sql or "").split())
        for kind, name, sql in db.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        )
    }


@functools.cache
def reference_schema() -> dict[tuple[str, str], str]:
    """The schema this version builds from an empty database."""
    db = sqlite_utils.Database(memory=True)
    try:
        migrations.apply(db)
        return _schema(db)
    finally:
        db.close()


def _schema_difference(
    found: dict[tuple[str, str], str], expected: dict[tuple[str, str], str]
) -> str | None:
    """The first difference between two schemas, in words, or None when they are equal."""
    for key in sorted(expected.keys() | found.keys()):
        kind, name = key
        if key not in found:
            return f"no {kind} {name}"
        if key not in expected:
            return f"unknown {kind} {name}"
        if found[key] != expected[key]:
            return f"{kind} {name} has another shape"
    return None


def _verify(path: Path) -> None:
    """The first checks, on the file as it is: SQLite, sound, a habitat's, not newer."""
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
            missing = REQUIRED_TABLES - tables
            if result == ["ok"] and not missing:
                try:
                    applied = {
                        row[0]
                        for row in conn.execute(
                            "SELECT name FROM _sqlite_migrations WHERE migration_set = ?",
                            [MIGRATION_SET],
                        )
                    }
                except sqlite3.OperationalError:
                    raise BadBackup(
                        str(path), "not a habitat database (its migration table has another shape)"
                    ) from None
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise BadBackup(str(path), f"unreadable ({error})") from None
    if result != ["ok"]:
        raise BadBackup(str(path), f"integrity check failed ({result[0]})")
    if missing:
        raise BadBackup(str(path), f"not a habitat database (no table {sorted(missing)[0]})")
    unknown = applied - {m.name for m in migrations._migrations}
    if unknown:
        raise BadBackup(str(path), f"made by a newer version (migration {sorted(unknown)[0]})")


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())
