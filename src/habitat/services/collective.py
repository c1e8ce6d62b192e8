"""Rules of collective life: taking attendance, who is left out, versions of the house rules."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlite_utils

from habitat import store
from habitat.services import records
from habitat.services.access import User
from habitat.services.arguments import checked
from habitat.store.audit import last_author
from habitat.store.entities import (
    Activity,
    Attendance,
    DecisionStatus,
    HouseRule,
    Id,
    Presence,
    Registration,
)
from habitat.store.errors import InvalidRecord
from habitat.store.queries_collective import MonthlyAttendance

#: Participation is followed over this many months, the current one included.
PARTICIPATION_MONTHS = 12
#: Below this share of activities attended, a resident is flagged as taking little part,
#: whatever the others do: fewer than one activity in five is a signal worth a talk.
LOW_RATE = 0.2
#: A resident attending less than this fraction of the habitat's median rate is
#: flagged too: in a lively house, a resident far behind the others is left out.
LOW_SHARE_OF_MEDIAN = 0.5


def week_start(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


#: A resident is a newcomer for four weeks: no participation alert meanwhile.
NEWCOMER_DAYS = 28


def newcomers(arrivals: Mapping[int, date], today: date) -> set[int]:
    """The residents who arrived less than `NEWCOMER_DAYS` ago (by their entry date)."""
    return {i for i, entry in arrivals.items() if (today - entry).days < NEWCOMER_DAYS}


def participation_window(today: date, months: int = PARTICIPATION_MONTHS) -> tuple[date, date]:
    """First day of the month `months - 1` months before `today`'s, and tomorrow."""
    year, month = today.year, today.month - (months - 1)
    while month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1), today + timedelta(days=1)


def month_keys(start: date, end: date) -> list[str]:
    """The months ("YYYY-MM") from `start`'s to the one before `end`, in order."""
    keys, year, month = [], start.year, start.month
    last = end - timedelta(days=1)
    while (year, month) <= (last.year, last.month):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


@dataclass(frozen=True)
class Participation:
    """A resident's participation over a window: attended, excused, offered, flag."""

    resident_id: int
    present: int
    excused: int
    recorded: int
    low: bool

    @property
    def rate(self) -> float:
        """Share of the activities recorded for the resident they attended."""
        return self.present / self.recorded if self.recorded else 0.0


def participation(
    monthly: Iterable[MonthlyAttendance],
    resident_ids: Iterable[int] = (),
    newcomers: Iterable[int] = (),
) -> list[Participation]:
    """Totals per resident over the window, lowest rate first, the left out flagged.

    Args:
        monthly: attendance per resident and month (from the store).
        resident_ids: residents to list even with nothing recorded (flagged low).
        newcomers: residents who arrived less than `NEWCOMER_DAYS` ago: listed, never
            flagged (a first month is for settling in, and leaves too few activities).
    """
    recent = set(newcomers)
    totals: dict[int, list[int]] = {resident_id: [0, 0, 0] for resident_id in resident_ids}
    for row in monthly:
        total = totals.setdefault(row.resident_id, [0, 0, 0])
        total[0] += row.present
        total[1] += row.excused
        total[2] += row.recorded
    rates = [p / r for p, _, r in totals.values() if r]
    median = statistics.median(rates) if rates else 0.0
    threshold = max(LOW_RATE, LOW_SHARE_OF_MEDIAN * median)
    out = [
        Participation(
            resident_id,
            present,
            excused,
            recorded,
            low=resident_id not in recent and (recorded == 0 or present / recorded < threshold),
        )
        for resident_id, (present, excused, recorded) in totals.items()
    ]
    return sorted(out, key=lambda p: (p.rate, p.resident_id))


@dataclass(frozen=True)
class AttendanceSaved:
    """What taking attendance wrote: rows created, rows changed."""

    created: int
    updated: int


@checked
def take_attendance(
    db: sqlite_utils.Database,
    user: User,
    activity_id: Id,
    statuses: Mapping[Id, Presence | str | None],
    opened: Mapping[Id, int],
) -> AttendanceSaved:
    """Record who came to an activity: one row per resident, updated when taken again.

    All rows are written or none. A resident whose row changed since the form
    showed it (`opened` gives the version seen, 0 for none) is a conflict: nothing
    is written, rather than overwriting a colleague's record.

    Args:
        db: the database.
        user: who takes attendance (checked by `records`).
        activity_id: the activity.
        statuses: the status chosen per resident id (None: not recorded).
        opened: the attendance version seen per resident id when the form was shown.

    Raises:
        Forbidden: the role may not record attendance.
        Conflict: someone recorded this attendance in the meantime.
        InvalidRecord: unknown activity or resident, bad status.
    """
    created = updated = 0
    with store.transaction(db):
        existing = {
            row.resident_id: row
            for row in store.find(
                db, Attendance, "activity_id = ?", [activity_id], include_archived=True
            )
        }
        for resident_id, status in statuses.items():
            if status is None:
                continue
            status = Presence(status)
            row = existing.get(resident_id)
            seen = opened.get(resident_id, 0)
            if row is None:
                records.create(
                    db,
                    user,
                    Attendance,
                    {"activity_id": activity_id, "resident_id": resident_id, "status": status},
                )
                created += 1
                continue
            if row.version != seen:
                by = last_author(db, Attendance.table, row.stored_id)
                raise store.Conflict(Attendance.table, row.stored_id, seen, row.version, by)
            if row.archived_at is not None:
                row = records.unarchive(db, user, Attendance, row.stored_id, row.version)
            if row.status is not status:
                records.update(db, user, Attendance, row.stored_id, row.version, {"status": status})
                updated += 1
    return AttendanceSaved(created, updated)


@checked
def cancel_activity(
    db: sqlite_utils.Database, user: User, activity_id: Id, version: int, reason: str | None
) -> Activity:
    """Call off an activity still to come; the reason shows on the calendar.

    Raises:
        Forbidden: the role may not change activities.
        InvalidRecord: no reason given, or the activity already took place (nothing written).
        Conflict: the activity changed since it was read (nothing written).
    """
    if reason is None or not reason.strip():
        raise InvalidRecord.one(
            Activity.label_fr,
            "cancelled_reason",
            "a cancellation says why",
            "dites pourquoi l'activité est annulée (le motif s'affiche sur le calendrier)",
        )
    return records.update(
        db, user, Activity, activity_id, version, {"cancelled_reason": reason.strip()}
    )


@checked
def sign_up(
    db: sqlite_utils.Database, user: User, activity_id: Id, resident_id: Id
) -> Registration:
    """Sign a resident up for an activity to come (again, if they had withdrawn).

    Raises:
        Forbidden: the role may not, or a resident signs someone else up.
        InvalidRecord: the activity has started or is cancelled (nothing written).
    """
    with store.transaction(db):
        found = store.find(
            db,
            Registration,
            "activity_id = ? AND resident_id = ?",
            [activity_id, resident_id],
            include_archived=True,
        )
        if not found:
            return records.create(
                db, user, Registration, {"activity_id": activity_id, "resident_id": resident_id}
            )
        registration = found[0]
        if registration.archived_at is None:
            return registration
        records.require_own_registration(user, registration)
        return store.unarchive(
            db, user.actor, Registration, registration.stored_id, registration.version
        )


@checked
def withdraw(db: sqlite_utils.Database, user: User, registration_id: Id, version: int) -> None:
    """Withdraw a registration (kept, archived): the resident will not come after all.

    Raises:
        Forbidden: the role may not, or it is someone else's registration.
        Conflict: it changed since it was read (nothing written).
    """
    registration = store.get(db, Registration, registration_id)
    records.require_own_registration(user, registration)
    store.archive(db, user.actor, Registration, registration_id, version)


@checked
def my_registrations(
    db: sqlite_utils.Database, user: User, activity_ids: list[Id]
) -> dict[int, Registration]:
    """The signed-in resident's current registrations among these activities."""
    if user.resident_id is None or not activity_ids:
        return {}
    marks = ",".join("?" for _ in activity_ids)
    return {
        r.activity_id: r
        for r in store.find(
            db,
            Registration,
            f"resident_id = ? AND activity_id IN ({marks})",
            [user.resident_id, *activity_ids],
        )
    }


def registered(db: sqlite_utils.Database, activity_ids: Iterable[int]) -> dict[int, set[int]]:
    """The residents signed up for each of these activities."""
    out: dict[int, set[int]] = {i: set() for i in activity_ids}
    if out:
        marks = ",".join("?" for _ in out)
        for r in store.find(db, Registration, f"activity_id IN ({marks})", list(out)):
            out[r.activity_id].add(r.resident_id)
    return out


def adopt_house_rule(
    db: sqlite_utils.Database,
    user: User,
    data: Mapping[str, Any],
    replaces: HouseRule | None = None,
    replaces_version: int | None = None,
) -> HouseRule:
    """Adopt a rule, or a new version of one: the previous version is archived, kept.

    Args:
        db: the database.
        user: who records it.
        data: the new rule's fields.
        replaces: the rule this version replaces (None: a new rule).
        replaces_version: the version of `replaces` the form was opened at.

    Raises:
        Forbidden, InvalidRecord: as `records.create`.
        Conflict: the replaced rule changed since the form was opened (nothing written).
    """
    with store.transaction(db):
        rule = records.create(db, user, HouseRule, data)
        if replaces is not None:
            version = replaces.version if replaces_version is None else replaces_version
            records.archive(db, user, HouseRule, replaces.stored_id, version)
    return rule


def decision_follow_up(
    status: DecisionStatus | str, done_on: date | None, today: date
) -> dict[str, Any]:
    """Status and completion date that go together: done today unless told, else none.

    Args:
        status: the chosen status.
        done_on: the completion date typed (may be empty).
        today: today.
    """
    status = DecisionStatus(status)
    if status is DecisionStatus.DONE:
        return {"status": status, "done_on": done_on or today}
    return {"status": status, "done_on": None}
