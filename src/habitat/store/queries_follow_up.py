"""Reads behind the follow-up screens: notebook scopes, tensions over time, the animator's time."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlite_utils

from habitat.domain import SupportFunction
from habitat.store.entities import Habitat, LiaisonNote, Tension, TimeEntry
from habitat.store.queries import (
    NOTES_PAGE,
    before_clause,
    current_residents,
    note_scope_clauses,
)
from habitat.store.repository import find, from_rows, get

#: The notebook's author filter of a provider or a family lists the authors of this
#: many of their most recent notes: enough to name everyone who writes to them,
#: bounded so the list never walks five years of notes.
AUTHORS_WINDOW = 200
#: The tensions chart covers this many months back from today.
CHART_MONTHS = 24
#: Tensions shown per page of the closed list.
TENSIONS_PAGE = 50
#: Open tensions listed at most (a habitat has a handful; this bounds a neglected one).
OPEN_TENSIONS_MAX = 200

_OPEN = ("open", "in_progress")


def _marks(values: Iterable) -> str:
    return ",".join("?" for _ in values) or "NULL"


# --- Liaison notebook ----------------------------------------------------------------


def note_authors(db: sqlite_utils.Database, habitat_id: int) -> list[str]:
    """Everyone who wrote a note in the habitat, in alphabetical order.

    Reads the author index (one step per author), not the notes.
    """
    authors = [row[0] for row in db.execute("SELECT DISTINCT author FROM liaison_note")]
    return sorted(
        author
        for author in authors
        if db.execute(
            "SELECT 1 FROM liaison_note WHERE author = ? AND habitat_id = ? LIMIT 1",
            [author, habitat_id],
        ).fetchone()
    )


def recent_authors(
    db: sqlite_utils.Database,
    habitat_id: int,
    *,
    audiences: tuple[str, ...] | None = None,
    family_of: int | None = None,
    resident_ids: Iterable[int] | None = None,
    provider_id: int | None = None,
) -> list[str]:
    """Authors of the most recent notes within a reader's scope (`AUTHORS_WINDOW` notes)."""
    clauses, params = note_scope_clauses(audiences, family_of, resident_ids, provider_id)
    where = " AND ".join(["n.habitat_id = ?", "n.archived_at IS NULL", *clauses])
    rows = db.execute(
        f"SELECT DISTINCT author FROM (SELECT n.author FROM liaison_note n WHERE {where}"
        f" ORDER BY n.written_at DESC LIMIT {AUTHORS_WINDOW})",
        [habitat_id, *params],
    )
    return sorted(row[0] for row in rows)


def notes_about(
    db: sqlite_utils.Database,
    habitat_id: int,
    resident_ids: Iterable[int],
    *,
    audiences: tuple[str, ...] | None = None,
    provider_id: int | None = None,
    author: str | None = None,
    before: datetime | None = None,
    before_id: int | None = None,
    limit: int = NOTES_PAGE,
) -> list[LiaisonNote]:
    """Notes concerning at least one of `resident_ids`, newest first (a provider's notebook).

    With `provider_id`, notes addressed by name to that provider come too, and those
    addressed by name to another provider never do.

    Args:
        db: the database.
        habitat_id: the habitat.
        resident_ids: the residents (for a provider: those they serve).
        audiences: only notes for these audiences.
        provider_id: the provider reading.
        author: only notes by this author.
        before: only notes written before this time (the last shown note's).
        before_id: the last shown note's id (notes at the same time come next).
        limit: page size.
    """
    clauses, params = note_scope_clauses(audiences, None, resident_ids, provider_id)
    clauses = ["n.habitat_id = ?", "n.archived_at IS NULL", *clauses]
    params = [habitat_id, *params]
    if author is not None:
        clauses.append("n.author = ?")
        params.append(author)
    order = "n.written_at DESC, n.id DESC"
    clauses_before, params_before = before_clause(order, before, before_id)
    clauses += clauses_before
    params += params_before
    rows = db.query(
        f"SELECT n.* FROM liaison_note n WHERE {' AND '.join(clauses)}"
        f" ORDER BY {order} LIMIT {int(limit)}",
        params,
    )
    return from_rows(db, LiaisonNote, list(rows))


# --- Tensions ------------------------------------------------------------------------


def open_tensions(
    db: sqlite_utils.Database,
    habitat_id: int,
    *,
    kinds: Iterable[str] | None = None,
    severities: Iterable[str] | None = None,
    resident_id: int | None = None,
) -> list[Tension]:
    """Open and in-progress tensions, oldest first (the longest waiting on top)."""
    where, params = _tension_filters(habitat_id, _OPEN, kinds, severities, resident_id)
    return find(db, Tension, where, params, order_by="occurred_on, id", limit=OPEN_TENSIONS_MAX)


def closed_tensions(
    db: sqlite_utils.Database,
    habitat_id: int,
    *,
    kinds: Iterable[str] | None = None,
    severities: Iterable[str] | None = None,
    resident_id: int | None = None,
    limit: int = TENSIONS_PAGE,
) -> list[Tension]:
    """Closed tensions, the most recent first (by the day they occurred: read from the index)."""
    where, params = _tension_filters(habitat_id, ("closed",), kinds, severities, resident_id)
    return find(db, Tension, where, params, order_by="occurred_on DESC, id DESC", limit=int(limit))


def _tension_filters(
    habitat_id: int,
    statuses: tuple[str, ...],
    kinds: Iterable[str] | None,
    severities: Iterable[str] | None,
    resident_id: int | None,
) -> tuple[str, list]:
    clauses = ["habitat_id = ?", f"status IN ({_marks(statuses)})"]
    params: list = [habitat_id, *statuses]
    for column, values in (("kind", kinds), ("severity", severities)):
        if values:
            values = list(values)
            clauses.append(f"{column} IN ({_marks(values)})")
            params.extend(values)
    if resident_id is not None:
        clauses.append("id IN (SELECT tension_id FROM tension_resident WHERE resident_id = ?)")
        params.append(resident_id)
    return " AND ".join(clauses), params


@dataclass(frozen=True)
class PeriodCount:
    """How many tensions of one kind began in one period ("2026-03" or "2026-T1")."""

    period: str
    kind: str
    count: int


def _month_start(day: date, months_back: int) -> date:
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def tension_counts(
    db: sqlite_utils.Database,
    habitat_id: int,
    today: date,
    *,
    by: str = "month",
    months: int = CHART_MONTHS,
) -> list[PeriodCount]:
    """Tensions by kind and period over the last `months` months, counted in SQL.

    Args:
        db: the database.
        habitat_id: the habitat.
        today: the last day counted.
        by: "month" or "quarter".
        months: how far back (the current month included).

    Returns:
        One count per period and kind that has tensions, in period order.
    """
    if by not in ("month", "quarter"):
        raise ValueError(f"by: 'month' or 'quarter', got {by!r}")
    period = (
        "substr(occurred_on, 1, 7)"
        if by == "month"
        else "substr(occurred_on, 1, 4) || '-T' || ((CAST(substr(occurred_on, 6, 2) AS INTEGER)"
        " + 2) / 3)"
    )
    start = _month_start(today, months - 1)
    rows = db.execute(
        f"SELECT {period} AS period, kind, COUNT(*) FROM tension WHERE habitat_id = ?"
        " AND archived_at IS NULL AND occurred_on >= ? AND occurred_on <= ?"
        " GROUP BY 1, 2 ORDER BY 1, 2",
        [habitat_id, start.isoformat(), today.isoformat()],
    )
    return [PeriodCount(row[0], row[1], row[2]) for row in rows]


def periods(today: date, *, by: str = "month", months: int = CHART_MONTHS) -> list[str]:
    """Every period label of the chart, oldest first (so empty months still show)."""
    labels = []
    for back in range(months - 1, -1, -1):
        first = _month_start(today, back)
        label = f"{first:%Y-%m}" if by == "month" else f"{first.year}-T{(first.month + 2) // 3}"
        if label not in labels:
            labels.append(label)
    return labels


# --- The animator's time and the AVP ---------------------------------------------------


@dataclass(frozen=True)
class MonthHours:
    """Hours of one support function in one month ("2026-03")."""

    month: str
    function: str
    hours: float
    avp_hours: float


def time_by_month(
    db: sqlite_utils.Database, habitat_id: int, start: date, end: date
) -> list[MonthHours]:
    """Hours per month and support function from `start` to `end` included, summed in SQL."""
    rows = db.execute(
        "SELECT substr(worked_on, 1, 7), function, SUM(hours),"
        " SUM(CASE WHEN avp_funded = 1 THEN hours ELSE 0 END) FROM time_entry"
        " WHERE habitat_id = ? AND archived_at IS NULL AND worked_on >= ? AND worked_on <= ?"
        " GROUP BY 1, 2 ORDER BY 1, 2",
        [habitat_id, start.isoformat(), end.isoformat()],
    )
    return [MonthHours(row[0], row[1], float(row[2]), float(row[3])) for row in rows]


def hours_by_function(months: Iterable[MonthHours]) -> dict[str, float]:
    """Total hours per support function (every function listed, zero when none)."""
    totals = {function.value: 0.0 for function in SupportFunction}
    for row in months:
        totals[row.function] = totals.get(row.function, 0.0) + row.hours
    return totals


def time_years(db: sqlite_utils.Database, habitat_id: int) -> list[int]:
    """The years with time entries, most recent first."""
    first, last = db.execute(
        "SELECT MIN(worked_on), MAX(worked_on) FROM time_entry WHERE habitat_id = ?"
        " AND archived_at IS NULL",
        [habitat_id],
    ).fetchone()
    if first is None:
        return []
    return list(range(int(last[:4]), int(first[:4]) - 1, -1))


def time_entries(
    db: sqlite_utils.Database,
    habitat_id: int,
    year: int,
    *,
    function: str | None = None,
    limit: int = 100,
) -> list[TimeEntry]:
    """The year's current time entries, most recent first, of one function or all."""
    where = "habitat_id = ? AND worked_on >= ? AND worked_on <= ?"
    params: list[Any] = [habitat_id, f"{year}-01-01", f"{year}-12-31"]
    if function is not None:
        where += " AND function = ?"
        params.append(function)
    return find(db, TimeEntry, where, params, order_by="worked_on DESC, id DESC", limit=limit)


@dataclass(frozen=True)
class AvpBudget:
    """The AVP agreement's money and the animator time it pays for, in a year to date."""

    amount_per_resident: float
    residents: int
    annual_budget: float
    hours_planned_year: float
    hours_planned_to_date: float
    hours_used_to_date: float

    @property
    def used_share(self) -> float | None:
        """Hours used over hours planned to date (None when nothing is planned)."""
        if self.hours_planned_to_date <= 0:
            return None
        return self.hours_used_to_date / self.hours_planned_to_date


def avp_budget(db: sqlite_utils.Database, habitat_id: int, year: int, today: date) -> AvpBudget:
    """The year's AVP budget (amount per resident x current residents) and hours.

    Planned hours count from 1 January, or from the agreement's start if later, to
    the end of the year (or of the agreement); "to date" stops at `today` for the
    current year.
    """
    habitat = get(db, Habitat, habitat_id)
    first = max(date(year, 1, 1), habitat.avp_start or date.min)
    last = min(date(year, 12, 31), habitat.avp_end or date.max)
    to_date = min(last, today)
    weekly = habitat.animator_hours_per_week

    def planned(until: date) -> float:
        return weekly * max((until - first).days + 1, 0) / 7

    used = db.execute(
        "SELECT COALESCE(SUM(hours), 0) FROM time_entry WHERE habitat_id = ? AND avp_funded = 1"
        " AND archived_at IS NULL AND worked_on >= ? AND worked_on <= ?",
        [habitat_id, first.isoformat(), to_date.isoformat()],
    ).fetchone()[0]
    residents = len(current_residents(db, habitat_id, min(today, date(year, 12, 31))))
    return AvpBudget(
        habitat.avp_amount_per_resident,
        residents,
        habitat.avp_amount_per_resident * residents,
        planned(last),
        planned(to_date),
        float(used),
    )


def rectifications_of(db: sqlite_utils.Database, note_ids: list[int]) -> list[LiaisonNote]:
    """The current notes rectifying any of these notes, oldest first."""
    if not note_ids:
        return []
    return find(
        db,
        LiaisonNote,
        "rectifies_note_id IN (SELECT value FROM json_each(?))",
        [json.dumps(note_ids)],
        order_by="written_at, id",
    )
