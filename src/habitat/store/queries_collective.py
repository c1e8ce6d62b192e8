"""The reads behind the collective-life and council screens: bounded windows, SQL aggregates."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

import sqlite_utils

from habitat.store.entities import Activity, Booking, CouncilDecision, Resident
from habitat.store.repository import find, from_rows

#: The follow-up list shows at most this many open decisions (oldest due first).
OPEN_DECISIONS_SHOWN = 200
#: The bookings list shows at most this many bookings of its window.
BOOKINGS_SHOWN = 200


@dataclass(frozen=True)
class ActivityLine:
    """An activity of the calendar with its common space and attendance counts."""

    activity: Activity
    space: str | None
    present: int
    recorded: int


@dataclass(frozen=True)
class MonthlyAttendance:
    """One resident's attendance records over one month (`month` is "YYYY-MM")."""

    resident_id: int
    month: str
    present: int
    excused: int
    recorded: int


@dataclass(frozen=True)
class BookingLine:
    """A booking with the name of its common space."""

    booking: Booking
    space: str


@dataclass(frozen=True)
class OpenDecision:
    """A council decision still to carry out, with the date of its meeting."""

    decision: CouncilDecision
    held_on: date


def _midnight(day: date) -> str:
    return datetime.combine(day, time()).isoformat()


def activities_between(
    db: sqlite_utils.Database, habitat_id: int, start: date, end: date
) -> list[ActivityLine]:
    """Activities starting from `start` to `end` excluded, with present/recorded counts.

    Args:
        db: the database.
        habitat_id: the habitat.
        start: first day.
        end: day after the last one.
    """
    rows = list(
        db.query(
            "SELECT a.*, s.name AS space_name,"
            " COALESCE(SUM(t.status = 'present'), 0) AS present_count,"
            " COUNT(t.id) AS recorded_count"
            " FROM activity a"
            " LEFT JOIN common_space s ON s.id = a.space_id"
            " LEFT JOIN attendance t ON t.activity_id = a.id AND t.archived_at IS NULL"
            " WHERE a.habitat_id = ? AND a.archived_at IS NULL"
            " AND a.starts_at >= ? AND a.starts_at < ?"
            " GROUP BY a.id ORDER BY a.starts_at, a.id",
            [habitat_id, _midnight(start), _midnight(end)],
        )
    )
    activities = from_rows(db, Activity, rows)
    return [
        ActivityLine(activity, row["space_name"], row["present_count"], row["recorded_count"])
        for activity, row in zip(activities, rows, strict=True)
    ]


def monthly_attendance(
    db: sqlite_utils.Database,
    habitat_id: int,
    start: date,
    end: date,
    resident_ids: Iterable[int] | None = None,
) -> list[MonthlyAttendance]:
    """Attendance per resident and month for activities from `start` to `end` excluded.

    Aggregated in SQL from the window's activities (an index range), so five years
    of attendance cost no more than the window asked for.

    Args:
        db: the database.
        habitat_id: the habitat.
        start: first day of the window.
        end: day after the window.
        resident_ids: only these residents (None: everyone).
    """
    where, params = "", [habitat_id, _midnight(start), _midnight(end)]
    if resident_ids is not None:
        where = " AND t.resident_id IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(sorted(resident_ids)))
    rows = db.execute(
        "SELECT t.resident_id, substr(a.starts_at, 1, 7),"
        " SUM(t.status = 'present'), SUM(t.status = 'excused'), COUNT(*)"
        " FROM activity a JOIN attendance t ON t.activity_id = a.id AND t.archived_at IS NULL"
        " WHERE a.habitat_id = ? AND a.archived_at IS NULL"
        f" AND a.starts_at >= ? AND a.starts_at < ?{where}"
        " GROUP BY 1, 2 ORDER BY 1, 2",
        params,
    )
    return [MonthlyAttendance(*row) for row in rows]


def residents_by_id(db: sqlite_utils.Database, ids: Iterable[int]) -> dict[int, Resident]:
    """Residents by id (those who left too), for naming the rows of a chart."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    found = find(
        db,
        Resident,
        "id IN (SELECT value FROM json_each(?))",
        [json.dumps(wanted)],
        include_archived=True,
    )
    return {r.stored_id: r for r in found}


def bookings_between(
    db: sqlite_utils.Database, habitat_id: int, start: date, end: date
) -> list[BookingLine]:
    """Bookings of the habitat's common spaces from `start` to `end` excluded."""
    rows = list(
        db.query(
            "SELECT b.*, s.name AS space_name FROM booking b"
            " JOIN common_space s ON s.id = b.space_id"
            " WHERE s.habitat_id = ? AND b.archived_at IS NULL"
            " AND b.starts_at >= ? AND b.starts_at < ?"
            f" ORDER BY b.starts_at, b.id LIMIT {BOOKINGS_SHOWN}",
            [habitat_id, _midnight(start), _midnight(end)],
        )
    )
    bookings = from_rows(db, Booking, rows)
    return [
        BookingLine(booking, row["space_name"]) for booking, row in zip(bookings, rows, strict=True)
    ]


def open_decisions(db: sqlite_utils.Database, habitat_id: int) -> list[OpenDecision]:
    """Council decisions to do or in progress, those due first (undated last)."""
    rows = list(
        db.query(
            "SELECT d.*, m.held_on AS meeting_held_on FROM council_decision d"
            " JOIN council_meeting m ON m.id = d.meeting_id"
            " WHERE m.habitat_id = ? AND m.archived_at IS NULL AND d.archived_at IS NULL"
            " AND d.status IN ('to_do', 'in_progress')"
            " ORDER BY d.due_on IS NULL, d.due_on, m.held_on, d.id"
            f" LIMIT {OPEN_DECISIONS_SHOWN}",
            [habitat_id],
        )
    )
    decisions = from_rows(db, CouncilDecision, rows)
    return [
        OpenDecision(decision, date.fromisoformat(row["meeting_held_on"]))
        for decision, row in zip(decisions, rows, strict=True)
    ]
