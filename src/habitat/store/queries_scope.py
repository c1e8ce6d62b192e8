"""The reads behind need-to-know and the screens' plain lists: whose habitat, which records.

Every function here takes the habitat it reads and nothing about the user: the
services (`habitat.services.reads`, `habitat.services.access`) decide who may call
which, and narrow the residents to a role's scope before they ask.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import sqlite_utils

from habitat.store.entities import (
    Account,
    Attendance,
    CommonSpace,
    CouncilDecision,
    CouncilMeeting,
    HouseRule,
    Provider,
    Resident,
    SharedLifeProject,
)
from habitat.store.repository import find


def _one(db: sqlite_utils.Database, sql: str, params: list[object]) -> int | None:
    row = db.execute(sql, params).fetchone()
    return row[0] if row else None


def provider_habitat_id(db: sqlite_utils.Database, provider_id: int) -> int | None:
    """The habitat a provider works for, or None if there is no such provider."""
    return _one(db, "SELECT habitat_id FROM provider WHERE id = ?", [provider_id])


def resident_habitat_id(db: sqlite_utils.Database, resident_id: int) -> int | None:
    """The habitat a resident lives in, or None if there is no such resident."""
    return _one(db, "SELECT habitat_id FROM resident WHERE id = ?", [resident_id])


def first_habitat_id(db: sqlite_utils.Database) -> int | None:
    """The first current habitat of the database (the team's), or None before set-up."""
    return _one(db, "SELECT id FROM habitat WHERE archived_at IS NULL ORDER BY id LIMIT 1", [])


def served_resident_ids(db: sqlite_utils.Database, provider_id: int) -> set[int]:
    """Residents a provider serves: an intervention of theirs in a current plan."""
    rows = db.execute(
        "SELECT DISTINCT p.resident_id FROM intervention i"
        " JOIN support_plan p ON p.id = i.plan_id"
        " JOIN resident r ON r.id = p.resident_id"
        " WHERE i.provider_id = ? AND i.archived_at IS NULL AND p.archived_at IS NULL"
        " AND r.archived_at IS NULL",
        [provider_id],
    )
    return {row[0] for row in rows}


def residents_of(
    db: sqlite_utils.Database,
    habitat_id: int,
    among: Iterable[int] | None = None,
    *,
    include_archived: bool = False,
    order_by: str = "last_name, first_name",
) -> list[Resident]:
    """The habitat's residents, only those of `among` when it is given (None: all)."""
    if among is None:
        return find(
            db,
            Resident,
            "habitat_id = ?",
            [habitat_id],
            order_by=order_by,
            include_archived=include_archived,
        )
    return find(
        db,
        Resident,
        "habitat_id = ? AND id IN (SELECT value FROM json_each(?))",
        [habitat_id, json.dumps(sorted(among))],
        order_by=order_by,
        include_archived=include_archived,
    )


def providers_of(
    db: sqlite_utils.Database,
    habitat_id: int,
    *,
    arrangement: str | None = None,
    kind: str | None = None,
    include_archived: bool = False,
    order_by: str = "name",
) -> list[Provider]:
    """The habitat's providers, narrowed to one arrangement and one kind when given."""
    clauses = ["habitat_id = ?"]
    params: list[int | str] = [habitat_id]
    if arrangement:
        clauses.append("arrangement = ?")
        params.append(arrangement)
    if kind:
        clauses.append("kind = ?")
        params.append(kind)
    return find(
        db,
        Provider,
        " AND ".join(clauses),
        params,
        order_by=order_by,
        include_archived=include_archived,
    )


def common_spaces(db: sqlite_utils.Database, habitat_id: int) -> list[CommonSpace]:
    """The habitat's current common spaces, by name."""
    return find(db, CommonSpace, "habitat_id = ?", [habitat_id], order_by="name")


def activity_attendance(
    db: sqlite_utils.Database, habitat_id: int, activity_id: int, among: Iterable[int] | None
) -> list[Attendance]:
    """Attendance rows of one of the habitat's activities, withdrawn ones included.

    Only the residents of `among` when it is given (None: everyone's).
    """
    where = "activity_id = ? AND activity_id IN (SELECT id FROM activity WHERE habitat_id = ?)"
    params: list[object] = [activity_id, habitat_id]
    if among is not None:
        where += " AND resident_id IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(sorted(among)))
    return find(db, Attendance, where, params, include_archived=True)


def project_versions(db: sqlite_utils.Database, habitat_id: int) -> list[SharedLifeProject]:
    """The versions of the habitat's shared-life project, newest first."""
    return find(db, SharedLifeProject, "habitat_id = ?", [habitat_id], order_by="number DESC")


def house_rules(db: sqlite_utils.Database, habitat_id: int) -> list[HouseRule]:
    """The habitat's house rules in force, by title."""
    return find(db, HouseRule, "habitat_id = ?", [habitat_id], order_by="title")


def former_house_rules(db: sqlite_utils.Database, habitat_id: int) -> list[HouseRule]:
    """The habitat's house rules no longer in force, by title then newest first."""
    return find(
        db,
        HouseRule,
        "habitat_id = ? AND archived_at IS NOT NULL",
        [habitat_id],
        order_by="title, adopted_on DESC",
        include_archived=True,
    )


def council_meetings(
    db: sqlite_utils.Database, habitat_id: int, limit: int | None = None
) -> list[CouncilMeeting]:
    """The habitat's council meetings, most recent first, at most `limit`."""
    return find(
        db, CouncilMeeting, "habitat_id = ?", [habitat_id], order_by="held_on DESC", limit=limit
    )


def meeting_decisions(
    db: sqlite_utils.Database, habitat_id: int, meeting_id: int
) -> list[CouncilDecision]:
    """The current decisions of one of the habitat's council meetings."""
    return find(
        db,
        CouncilDecision,
        "meeting_id = ? AND meeting_id IN (SELECT id FROM council_meeting WHERE habitat_id = ?)",
        [meeting_id, habitat_id],
    )


def accounts(db: sqlite_utils.Database) -> list[Account]:
    """Every account, archived ones included, by role then username."""
    return find(db, Account, order_by="role, username", include_archived=True)
