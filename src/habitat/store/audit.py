"""The append-only audit log: who changed what, when, from what to what."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from habitat.clock import now_utc
from habitat.store.db import transaction


class Action:
    """What a write did (the `action` column)."""

    CREATE = "create"
    UPDATE = "update"
    ARCHIVE = "archive"
    RESTORE = "restore"
    ERASE = "erase"
    EXPORT = "export"
    BACKUP = "backup"
    #: A personal document was produced (printed or downloaded): who, when, for whom.
    PRINT = "print"


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log."""

    id: int
    at: str
    actor: str
    entity: str
    entity_id: int
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def _dump(values: dict[str, Any] | None) -> str | None:
    if values is None:
        return None
    return json.dumps(values, ensure_ascii=False, sort_keys=True)


def log(
    db: sqlite_utils.Database,
    actor: str,
    entity: str,
    entity_id: int,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Append one entry; called inside the write's own transaction, so both or neither."""
    db.execute(
        "INSERT INTO audit_log (at, actor, entity, entity_id, action, before, after)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [now_utc(), actor, entity, entity_id, action, _dump(before), _dump(after)],
    )


def printed(
    db: sqlite_utils.Database, actor: str, entity: str, entity_id: int, document: str
) -> None:
    """Record that `actor` produced a personal document about one record, in its own write."""
    with transaction(db):
        log(db, actor, entity, entity_id, Action.PRINT, after={"document": document})


def extracted(
    db: sqlite_utils.Database, actor: str, habitat_id: int, purpose: str, window: str
) -> None:
    """Record that `actor` took the pseudonymised extract of a habitat out, and what for."""
    with transaction(db):
        log(
            db,
            actor,
            "habitat",
            habitat_id,
            Action.EXPORT,
            after={"extract": "pseudonymised", "purpose": purpose, "window": window},
        )


def history(
    db: sqlite_utils.Database, entity: str | None = None, entity_id: int | None = None
) -> list[AuditEntry]:
    """The audit entries, oldest first, optionally for one entity or one record."""
    where: list[str] = []
    params: list[str | int] = []
    if entity is not None:
        where.append("entity = ?")
        params.append(entity)
    if entity_id is not None:
        where.append("entity_id = ?")
        params.append(entity_id)
    sql = "SELECT * FROM audit_log"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY id"
    return [_entry(row) for row in db.query(sql, params)]


def _entry(row: dict[str, Any]) -> AuditEntry:
    return AuditEntry(
        id=row["id"],
        at=row["at"],
        actor=row["actor"],
        entity=row["entity"],
        entity_id=row["entity_id"],
        action=row["action"],
        before=json.loads(row["before"]) if row["before"] else None,
        after=json.loads(row["after"]) if row["after"] else None,
    )


def last_author(db: sqlite_utils.Database, entity: str, entity_id: int) -> str | None:
    """Who last wrote a record (for conflict messages)."""
    row = db.execute(
        "SELECT actor FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY id DESC LIMIT 1",
        [entity, entity_id],
    ).fetchone()
    return row[0] if row else None
