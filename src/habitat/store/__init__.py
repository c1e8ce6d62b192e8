"""The habitat's records in SQLite: the only code that touches the database.

Pages and commands call these functions with a connection from `connect` (one per
request, closed after) and an actor (the account name), and get entities back.
"""

from __future__ import annotations

from pathlib import Path

from habitat.store.audit import AuditEntry, history
from habitat.store.backup import Health, backup, check, content_hash, restore, restore_into
from habitat.store.db import connect, transaction
from habitat.store.entities import RECORDS
from habitat.store.errors import (
    BadBackup,
    Conflict,
    InvalidRecord,
    NotFound,
    Problem,
    StoreError,
)
from habitat.store.migrations import migrate, pending
from habitat.store.repository import (
    add,
    archive,
    create,
    find,
    get,
    parse,
    parse_fields,
    save,
    update,
    update_with,
)
from habitat.store.repository import restore as unarchive

__all__ = [
    "RECORDS",
    "AuditEntry",
    "BadBackup",
    "Conflict",
    "Health",
    "InvalidRecord",
    "NotFound",
    "Problem",
    "StoreError",
    "add",
    "archive",
    "backup",
    "check",
    "connect",
    "content_hash",
    "create",
    "find",
    "get",
    "history",
    "init",
    "migrate",
    "parse",
    "parse_fields",
    "pending",
    "restore",
    "restore_into",
    "save",
    "transaction",
    "unarchive",
    "update",
    "update_with",
]


def init(path: str | Path) -> list[str]:
    """Create the database file if needed and apply pending migrations; return them."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with connect(path) as db:
        applied = migrate(db)
        db.execute("PRAGMA optimize")  # refresh planner statistics where they are stale
        return applied
