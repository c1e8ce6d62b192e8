"""A person's week of time, in one grid: days x the four support functions.

The animator fills in a week at once, and corrects it the same way: `week` reads
the grid (hours per day and function, summed over that person's entries), and
`save_week` writes what changed in one transaction, every write audited. A cell
that had one entry is corrected in place (a new version, the old one kept in the
audit log), a cell emptied archives its entries, a new cell creates one entry, and
a cell that had several entries keeps the first, set to the new total, and
archives the others. A cell someone else changed since the grid was read is a
conflict: nothing is written, and the grid is read again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import sqlite_utils

from habitat import store
from habitat.domain import SupportFunction
from habitat.services import records
from habitat.services.access import Forbidden, Screen, User, may_write, require
from habitat.services.arguments import checked
from habitat.store.entities import Id, TimeEntry
from habitat.store.errors import Conflict, InvalidRecord, Problem, StoreError

Cell = tuple[date, SupportFunction]

#: Hours one person can log for one day, all functions together.
MAX_HOURS_PER_DAY = 24.0


class WeekChanged(Conflict):
    """A cell of the week changed since the grid was read (nothing was written)."""

    def __init__(self, day: date, function: SupportFunction):
        StoreError.__init__(
            self, f"the {function.value} hours of {day.isoformat()} changed since the week was read"
        )
        self.entity, self.record_id, self.expected, self.current, self.by = (
            TimeEntry.label_fr,
            0,
            0,
            0,
            None,
        )
        self.message_fr = (
            f"Le temps du {day:%d/%m/%Y} a été modifié par quelqu'un d'autre depuis l'ouverture "
            "de la grille : rechargez-la, vérifiez, puis enregistrez à nouveau. "
            "Rien n'a été enregistré."
        )


@dataclass(frozen=True)
class Week:
    """One person's week as the grid shows it."""

    monday: date
    person: str
    hours: dict[Cell, float]
    #: The entries behind each cell (ids and versions), for the save to compare.
    entries: dict[Cell, tuple[TimeEntry, ...]]

    @property
    def days(self) -> list[date]:
        """Monday to Sunday."""
        return [self.monday + timedelta(days=i) for i in range(7)]

    def total(self) -> float:
        """The week's hours, every function."""
        return sum(self.hours.values())


def monday_of(day: date) -> date:
    """The Monday of the week holding `day`."""
    return day - timedelta(days=day.weekday())


@checked
def week(db: sqlite_utils.Database, user: User, habitat_id: Id, person: str, monday: date) -> Week:
    """The person's logged hours for the week starting `monday` (any day: its week)."""
    require(user, Screen.TIME)
    monday = monday_of(monday)
    found = store.find(
        db,
        TimeEntry,
        "habitat_id = ? AND person = ? AND worked_on >= ? AND worked_on <= ?",
        [habitat_id, person, monday.isoformat(), (monday + timedelta(days=6)).isoformat()],
        order_by="worked_on, id",
    )
    entries: dict[Cell, list[TimeEntry]] = {}
    for entry in found:
        entries.setdefault((entry.worked_on, SupportFunction(entry.function)), []).append(entry)
    return Week(
        monday=monday,
        person=person,
        hours={cell: round(sum(e.hours for e in group), 2) for cell, group in entries.items()},
        entries={cell: tuple(group) for cell, group in entries.items()},
    )


def _problems(week: Week, hours: Mapping[Cell, float]) -> list[Problem]:
    problems = []
    days = set(week.days)
    for (day, function), value in hours.items():
        if day not in days:
            problems.append(
                Problem(
                    "worked_on",
                    f"{day.isoformat()} is not in the week of {week.monday.isoformat()}",
                    f"le {day:%d/%m/%Y} n'est pas dans la semaine du {week.monday:%d/%m/%Y}",
                )
            )
        elif not 0.0 <= value <= MAX_HOURS_PER_DAY:
            problems.append(
                Problem(
                    "hours",
                    f"{value} hours on {day.isoformat()} ({function.value})",
                    f"le {day:%d/%m/%Y} : {value:g} h n'est pas une durée possible (0 à 24 h)",
                )
            )
    for day in sorted(days):
        total = sum(v for (d, _), v in hours.items() if d == day)
        if total > MAX_HOURS_PER_DAY:
            problems.append(
                Problem(
                    "hours",
                    f"{total} hours logged on {day.isoformat()}",
                    f"le {day:%d/%m/%Y} totalise {total:g} h : au plus 24 h par jour",
                )
            )
    return problems


@checked
def save_week(
    db: sqlite_utils.Database,
    user: User,
    habitat_id: Id,
    read: Week,
    hours: Mapping[Cell, float],
    *,
    avp_funded: bool = True,
) -> int:
    """Write the cells of `hours` that differ from the grid as it was `read`.

    Args:
        db: the database.
        user: the signed-in user (their role must allow writing time).
        habitat_id: the habitat.
        read: the week as the grid showed it (its entries' versions are compared).
        hours: the hours per (day, function) now in the grid; cells left out keep theirs.
        avp_funded: whether the new entries are funded by the AVP.

    Returns:
        How many records were written (created, corrected or archived).

    Raises:
        Forbidden: the role may not write time.
        InvalidRecord: a cell outside the week, hours outside 0-24, a day over 24 h,
            or a day in the future (nothing written).
        Conflict: someone changed the week since it was read (nothing written).
    """
    if not may_write(user, TimeEntry.table):
        raise Forbidden(
            f"{user.actor} may not write time entries",
            "Votre rôle ne permet pas de saisir du temps.",
        )
    hours = {cell: round(float(value), 2) for cell, value in hours.items()}
    merged = {**read.hours, **hours}
    problems = _problems(read, merged)
    if problems:
        raise InvalidRecord(TimeEntry.label_fr, problems)
    changed = {c: v for c, v in hours.items() if abs(v - read.hours.get(c, 0.0)) > 1e-9}
    written = 0
    with store.transaction(db):
        now = week(db, user, habitat_id, read.person, read.monday)
        for cell in changed:
            if _versions(now.entries.get(cell, ())) != _versions(read.entries.get(cell, ())):
                raise WeekChanged(*cell)
        for (day, function), value in changed.items():
            group = read.entries.get((day, function), ())
            if not group:
                records.create(
                    db,
                    user,
                    TimeEntry,
                    {
                        "habitat_id": habitat_id,
                        "person": read.person,
                        "worked_on": day,
                        "function": function,
                        "hours": value,
                        "avp_funded": avp_funded,
                    },
                )
                written += 1
                continue
            first, others = group[0], group[1:]
            if value == 0.0:
                others = group
            else:
                records.update(
                    db, user, TimeEntry, first.stored_id, first.version, {"hours": value}
                )
                written += 1
            for entry in others:
                records.archive(db, user, TimeEntry, entry.stored_id, entry.version)
                written += 1
    return written


def _versions(entries: tuple[TimeEntry, ...]) -> list[tuple[int | None, int]]:
    return [(e.id, e.version) for e in entries]
