"""The reads behind the residents' and carers' screens that a simple `find` cannot do."""

from __future__ import annotations

import json
from datetime import date, datetime, time

import sqlite_utils

from habitat.store.audit import AuditEntry
from habitat.store.entities import Carer, LiaisonSheet, Provider, Resident
from habitat.store.repository import find

#: A file's history shows at most this many entries (newest first).
HISTORY_SHOWN = 200
#: The plan's parts, each a table whose rows point to a support plan by `plan_id`.
_PLAN_PARTS = ("plan_need", "intervention", "risk_agreement", "plan_review")


def resident_id(db: sqlite_utils.Database, text: str) -> int | None:
    """The id of the resident named by `text`: their id in digits, or their pseudonym.

    Returns:
        The resident's id, or None if no resident matches.
    """
    if text.isdigit():
        row = db.execute("SELECT id FROM resident WHERE id = ?", [int(text)]).fetchone()
    else:
        row = db.execute("SELECT id FROM resident WHERE pseudonym = ?", [text]).fetchone()
    return row[0] if row else None


def residents_living(db: sqlite_utils.Database, habitat_id: int, day: date) -> list[Resident]:
    """Residents not archived who have not left by `day` (including those about to arrive)."""
    return find(
        db,
        Resident,
        "habitat_id = ? AND (exit_date IS NULL OR exit_date > ?)",
        [habitat_id, day.isoformat()],
        order_by="last_name, first_name",
    )


def former_residents(db: sqlite_utils.Database, habitat_id: int, day: date) -> list[Resident]:
    """Residents who left by `day`, or whose file was archived, most recent exit first."""
    return find(
        db,
        Resident,
        "habitat_id = ?"
        " AND (archived_at IS NOT NULL OR (exit_date IS NOT NULL AND exit_date <= ?))",
        [habitat_id, day.isoformat()],
        order_by="COALESCE(exit_date, archived_at) DESC, last_name",
        include_archived=True,
    )


def participation(
    db: sqlite_utils.Database, habitat_id: int, resident_id: int, since: date
) -> dict[str, int]:
    """A resident's attendance records by status, for the habitat's activities since `since`.

    Walks the activities of the period (their index), then the resident's attendance
    at each (a covering index): a few years of attendance are never read.

    Returns:
        Count per `Presence` value ("present", "absent", "excused"); absent keys mean 0.
    """
    rows = db.execute(
        "SELECT t.status, COUNT(*) FROM activity a"
        " CROSS JOIN attendance t ON t.activity_id = a.id AND t.resident_id = ?"
        " WHERE a.habitat_id = ? AND a.starts_at >= ? AND a.archived_at IS NULL"
        " AND t.archived_at IS NULL GROUP BY t.status",
        [resident_id, habitat_id, datetime.combine(since, time()).isoformat()],
    )
    return {status: count for status, count in rows}


def file_history(
    db: sqlite_utils.Database, resident_id: int, limit: int = HISTORY_SHOWN
) -> list[AuditEntry]:
    """The audit log of a resident's file: the resident, carers, plans and plan parts.

    Newest first, at most `limit` entries (each part read through its own index).
    """
    plan_ids = [
        row[0]
        for row in db.execute("SELECT id FROM support_plan WHERE resident_id = ?", [resident_id])
    ]
    targets: list[tuple[str, list[int]]] = [
        ("resident", [resident_id]),
        ("support_plan", plan_ids),
        (
            "carer",
            [r[0] for r in db.execute("SELECT id FROM carer WHERE resident_id = ?", [resident_id])],
        ),
    ]
    marks = json.dumps(plan_ids)
    for table in _PLAN_PARTS:
        ids = [
            row[0]
            for row in db.execute(
                f"SELECT id FROM {table} WHERE plan_id IN (SELECT value FROM json_each(?))",
                [marks],
            )
        ]
        targets.append((table, ids))
    clauses, params = [], []
    for entity, ids in targets:
        if ids:
            clauses.append("(entity = ? AND entity_id IN (SELECT value FROM json_each(?)))")
            params.extend([entity, json.dumps(ids)])
    rows = db.query(
        f"SELECT * FROM audit_log WHERE {' OR '.join(clauses)} ORDER BY id DESC LIMIT {int(limit)}",
        params,
    )
    return [
        AuditEntry(
            id=row["id"],
            at=row["at"],
            actor=row["actor"],
            entity=row["entity"],
            entity_id=row["entity_id"],
            action=row["action"],
            before=json.loads(row["before"]) if row["before"] else None,
            after=json.loads(row["after"]) if row["after"] else None,
        )
        for row in rows
    ]


def habitat_carers(
    db: sqlite_utils.Database, habitat_id: int, *, archived: bool = False
) -> list[Carer]:
    """The carers of the habitat's residents: current ones, or only the archived ones.

    Bounded by the habitat's size (at most a few carers per dwelling).
    """
    state = "archived_at IS NOT NULL" if archived else "archived_at IS NULL"
    return find(
        db,
        Carer,
        f"{state} AND resident_id IN (SELECT id FROM resident WHERE habitat_id = ?)",
        [habitat_id],
        order_by="resident_id, last_name, first_name",
        include_archived=True,
    )


def people_on_record(
    db: sqlite_utils.Database, habitat_id: int
) -> tuple[list[Resident], list[Carer], list[Provider]]:
    """The habitat's residents, their carers and its providers, archived ones included.

    What an import compares a file with, so that the same person is never created twice.
    """
    residents = find(db, Resident, "habitat_id = ?", [habitat_id], include_archived=True)
    carers = find(
        db,
        Carer,
        "resident_id IN (SELECT id FROM resident WHERE habitat_id = ?)",
        [habitat_id],
        include_archived=True,
    )
    providers = find(db, Provider, "habitat_id = ?", [habitat_id], include_archived=True)
    return residents, carers, providers


def liaison_sheet(db: sqlite_utils.Database, resident_id: int) -> LiaisonSheet | None:
    """The resident's hospital liaison sheet, or None if the team has not written one."""
    found = find(db, LiaisonSheet, "resident_id = ?", [resident_id])
    return found[0] if found else None
