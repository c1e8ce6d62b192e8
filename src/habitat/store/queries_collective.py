"""The reads behind the collective-life and council screens: bounded windows, SQL aggregates."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlite_utils

from habitat.store.entities import (
    Activity,
    Booking,
    CouncilDecision,
    ExceptionKind,
    Intervention,
    PresenceException,
    PresencePattern,
    PresenceRole,
    PresenceShift,
    Resident,
)
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


# --- Calendars ------------------------------------------------------------------------

#: A calendar file lists at most this many bookings (a few a day over seven months).
CALENDAR_BOOKINGS_MAX = 2_000


@dataclass(frozen=True)
class RotaSlot:
    """A slot of the presence rota on one day, with what it comes from.

    Attributes:
        key: what identifies it across files: `shift-<id>`, `pattern-<id>-<day>`
            (a weekly slot on one day) or `extra-<id>` (a slot added on one day).
        shift: who, in which role, when (an unsaved shift for weekly and added slots).
        version: the version of the record it comes from.
        cancelled: a weekly slot an exception calls off that day.
    """

    key: str
    shift: PresenceShift
    version: int
    cancelled: bool = False


@dataclass(frozen=True)
class PlannedIntervention:
    """A provider's regular intervention in a current plan, with its resident and provider."""

    intervention: Intervention
    resident_id: int
    provider: str


def rota_slots(
    db: sqlite_utils.Database, habitat_id: int, start: date, end: date
) -> list[RotaSlot]:
    """The presence rota from `start` to `end` included, each slot keyed by its source.

    The same rota as `queries.presence_slots` (weekly pattern, its exceptions, dated
    shifts), but a weekly slot cancelled on a day is kept, marked cancelled, so a
    calendar that showed it can call it off.
    """
    after, before = _midnight(start), _midnight(end + timedelta(days=1))
    shifts = find(
        db,
        PresenceShift,
        "habitat_id = ? AND starts_at < ? AND ends_at > ?",
        [habitat_id, before, after],
        order_by="starts_at, id",
    )
    slots = [RotaSlot(f"shift-{s.id}", s, s.version) for s in shifts]
    patterns = find(db, PresencePattern, "habitat_id = ?", [habitat_id], order_by="id")
    exceptions = find(
        db,
        PresenceException,
        "habitat_id = ? AND day BETWEEN ? AND ?",
        [habitat_id, start.isoformat(), end.isoformat()],
        order_by="id",
    )
    cancelled = {(e.day, e.pattern_id) for e in exceptions if e.kind is ExceptionKind.CANCEL}
    day = start
    while day <= end:
        for p in patterns:
            if p.weekday == day.weekday():
                shift = _rota_shift(habitat_id, p.person, p.role, day, p.starts, p.ends)
                off = (day, p.id) in cancelled
                slots.append(RotaSlot(f"pattern-{p.id}-{day.isoformat()}", shift, p.version, off))
        day += timedelta(days=1)
    for e in exceptions:
        if e.kind is ExceptionKind.ADD and e.person and e.role and e.starts and e.ends:
            shift = _rota_shift(habitat_id, e.person, e.role, e.day, e.starts, e.ends)
            slots.append(RotaSlot(f"extra-{e.id}", shift, e.version))
    return sorted(slots, key=lambda s: (s.shift.starts_at, s.shift.ends_at, s.key))


def _rota_shift(
    habitat_id: int, person: str, role: PresenceRole, day: date, starts: time, ends: time
) -> PresenceShift:
    return PresenceShift(
        habitat_id=habitat_id,
        person=person,
        role=role,
        starts_at=datetime.combine(day, starts),
        ends_at=datetime.combine(day, ends),
    )


def calendar_bookings(
    db: sqlite_utils.Database, habitat_id: int, start: date, end: date
) -> list[BookingLine]:
    """Bookings of the habitat's common spaces from `start` to `end` excluded, for a calendar.

    Cancelled bookings (archived) are included: a calendar says them cancelled, so a
    phone that had them drops them.
    """
    rows = list(
        db.query(
            "SELECT b.*, s.name AS space_name FROM booking b"
            " JOIN common_space s ON s.id = b.space_id"
            " WHERE s.habitat_id = ? AND b.starts_at >= ? AND b.starts_at < ?"
            f" ORDER BY b.starts_at, b.id LIMIT {CALENDAR_BOOKINGS_MAX}",
            [habitat_id, _midnight(start), _midnight(end)],
        )
    )
    bookings = from_rows(db, Booking, rows)
    return [
        BookingLine(booking, row["space_name"]) for booking, row in zip(bookings, rows, strict=True)
    ]


def calendar_activities(
    db: sqlite_utils.Database, habitat_id: int, start: date, end: date
) -> list[tuple[Activity, str | None]]:
    """Activities from `start` to `end` excluded with their common space, for a calendar.

    Archived (deleted) activities are included, as cancelled ones are: a calendar
    says them cancelled, so a phone that had them drops them.
    """
    rows = list(
        db.query(
            "SELECT a.*, s.name AS space_name FROM activity a"
            " LEFT JOIN common_space s ON s.id = a.space_id"
            " WHERE a.habitat_id = ? AND a.starts_at >= ? AND a.starts_at < ?"
            " ORDER BY a.starts_at, a.id",
            [habitat_id, _midnight(start), _midnight(end)],
        )
    )
    activities = from_rows(db, Activity, rows)
    return [(a, row["space_name"]) for a, row in zip(activities, rows, strict=True)]


def registered_activity_ids(
    db: sqlite_utils.Database, resident_id: int, start: date, end: date
) -> set[int]:
    """The activities from `start` to `end` excluded a resident is signed up for."""
    rows = db.execute(
        "SELECT r.activity_id FROM registration r JOIN activity a ON a.id = r.activity_id"
        " WHERE r.resident_id = ? AND r.archived_at IS NULL AND a.archived_at IS NULL"
        " AND a.starts_at >= ? AND a.starts_at < ?",
        [resident_id, _midnight(start), _midnight(end)],
    )
    return {row[0] for row in rows}


def planned_interventions(
    db: sqlite_utils.Database, habitat_id: int, start: date, end: date
) -> list[PlannedIntervention]:
    """Interventions of current plans of residents living there between `start` and `end`."""
    rows = list(
        db.query(
            "SELECT i.*, p.name AS provider_name, s.resident_id AS plan_resident_id"
            " FROM intervention i"
            " JOIN support_plan s ON s.id = i.plan_id AND s.archived_at IS NULL"
            " JOIN resident r ON r.id = s.resident_id AND r.archived_at IS NULL"
            " JOIN provider p ON p.id = i.provider_id"
            " WHERE i.archived_at IS NULL AND r.habitat_id = ? AND r.entry_date <= ?"
            " AND (r.exit_date IS NULL OR r.exit_date > ?) ORDER BY i.id",
            [habitat_id, end.isoformat(), start.isoformat()],
        )
    )
    interventions = from_rows(db, Intervention, rows)
    return [
        PlannedIntervention(i, row["plan_resident_id"], row["provider_name"])
        for i, row in zip(interventions, rows, strict=True)
    ]
