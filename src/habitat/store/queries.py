"""The reads behind each screen: one call returns what a screen shows, indexed and bounded."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlite_utils

from habitat.domain import SupportFunction
from habitat.store.entities import (
    Activity,
    Arrangement,
    AvpNeed,
    Carer,
    ExceptionKind,
    Habitat,
    Intervention,
    LiaisonNote,
    PlanNeed,
    PlanReview,
    PresenceException,
    PresencePattern,
    PresenceShift,
    Provider,
    Resident,
    RiskAgreement,
    SupportPlan,
    Tension,
)
from habitat.store.repository import find, from_rows, get

#: Reviews (plans, risk agreements) due within this many days are flagged.
REVIEW_NOTICE_DAYS = 14
#: More residents than this at GIR 1-2 used to bring public-building fire rules
#: (DOMAIN.md §6); the animator is warned before it happens.
FIRE_RULE_GIR12_MAX = 6
#: The dashboard lists this many open tensions (most severe, then oldest first).
OPEN_TENSIONS_SHOWN = 20
_BY_SEVERITY = (
    "CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END"
)
#: A resident's file shows this many recent notes; the notebook pages by this many.
NOTES_PAGE = 50


@dataclass(frozen=True)
class Alert:
    """Something the animator should look at today."""

    kind: str
    message_fr: str
    resident_id: int | None = None
    #: The screen where it is dealt with (a `Screen` value).
    screen: str = "dashboard"
    #: Past its date (a review not done in time), not only coming.
    overdue: bool = False


@dataclass(frozen=True)
class Gap:
    """A stretch of the expected presence hours that nobody covers."""

    starts_at: datetime
    ends_at: datetime

    @property
    def hours(self) -> float:
        """Length of the gap in hours."""
        return (self.ends_at - self.starts_at).total_seconds() / 3600


@dataclass(frozen=True)
class Visit:
    """One planned intervention on a given day."""

    day: date
    resident_id: int
    provider_id: int
    provider: str
    arrangement: Arrangement
    start_time: time
    end_time: time
    task: str | None


def current_residents(db: sqlite_utils.Database, habitat_id: int, day: date) -> list[Resident]:
    """Residents living in the habitat on `day`."""
    iso = day.isoformat()
    return find(
        db,
        Resident,
        "habitat_id = ? AND entry_date <= ? AND (exit_date IS NULL OR exit_date > ?)",
        [habitat_id, iso, iso],
        order_by="last_name, first_name",
    )


def first_entry(db: sqlite_utils.Database, habitat_id: int) -> date | None:
    """The day the habitat's first resident (erased ones included) entered, if any."""
    row = db.execute(
        "SELECT MIN(entry_date) FROM resident WHERE habitat_id = ?", [habitat_id]
    ).fetchone()
    return date.fromisoformat(row[0]) if row and row[0] else None


def presence_slots(
    db: sqlite_utils.Database, habitat_id: int, start: date, end: date
) -> list[PresenceShift]:
    """The rota from `start` to `end` included: weekly pattern + exceptions + dated shifts.

    A weekly slot becomes a slot on each matching day unless an exception cancels
    it that day; an exception adds a slot on its day; dated shifts are kept as they
    are. Slots from the pattern and the exceptions are unsaved `PresenceShift`s
    (their `id` is None), sorted with the dated ones by start.
    """
    after = datetime.combine(start, time()).isoformat()
    before = datetime.combine(end + timedelta(days=1), time()).isoformat()
    slots = find(
        db,
        PresenceShift,
        "habitat_id = ? AND starts_at < ? AND ends_at > ?",
        [habitat_id, before, after],
        order_by="starts_at",
    )
    patterns = find(db, PresencePattern, "habitat_id = ?", [habitat_id])
    exceptions = find(
        db,
        PresenceException,
        "habitat_id = ? AND day BETWEEN ? AND ?",
        [habitat_id, start.isoformat(), end.isoformat()],
    )
    cancelled = {(e.day, e.pattern_id) for e in exceptions if e.kind is ExceptionKind.CANCEL}
    day = start
    while day <= end:
        for pattern in patterns:
            if pattern.weekday == day.weekday() and (day, pattern.id) not in cancelled:
                slots.append(_slot(habitat_id, pattern, day))
        day += timedelta(days=1)
    slots += [_slot(habitat_id, e, e.day) for e in exceptions if e.kind is ExceptionKind.ADD]
    return sorted(slots, key=lambda slot: (slot.starts_at, slot.ends_at))


def _slot(habitat_id: int, source: PresencePattern | PresenceException, day: date) -> PresenceShift:
    person, role, starts, ends = source.person, source.role, source.starts, source.ends
    # An added exception holds all four: `PresenceException` refuses it otherwise.
    if person is None or role is None or starts is None or ends is None:
        raise ValueError(f"presence exception {source.id} is not a complete slot")
    return PresenceShift(
        habitat_id=habitat_id,
        person=person,
        role=role,
        starts_at=datetime.combine(day, starts),
        ends_at=datetime.combine(day, ends),
    )


def presence_gaps(db: sqlite_utils.Database, habitat_id: int, start: date, end: date) -> list[Gap]:
    """Uncovered stretches of the habitat's daily presence hours, from `start` to `end` included.

    The rota is `presence_slots`: the weekly pattern, its exceptions and the dated shifts.
    """
    habitat = get(db, Habitat, habitat_id)
    shifts = presence_slots(db, habitat_id, start, end)
    gaps = []
    day = start
    while day <= end:
        window_start = datetime.combine(day, habitat.presence_from)
        window_end = datetime.combine(day, habitat.presence_to)
        cursor = window_start
        for shift in shifts:
            if shift.ends_at <= cursor or shift.starts_at >= window_end:
                continue
            if shift.starts_at > cursor:
                gaps.append(Gap(cursor, min(shift.starts_at, window_end)))
            cursor = max(cursor, shift.ends_at)
            if cursor >= window_end:
                break
        if cursor < window_end:
            gaps.append(Gap(cursor, window_end))
        day += timedelta(days=1)
    return gaps


def visits(db: sqlite_utils.Database, habitat_id: int, start: date, end: date) -> list[Visit]:
    """Planned interventions day by day (current plans of current residents)."""
    rows = list(
        db.query(
            "SELECT i.*, p.name AS provider_name, p.arrangement AS provider_arrangement,"
            " s.resident_id AS resident_id FROM intervention i"
            " JOIN support_plan s ON s.id = i.plan_id AND s.archived_at IS NULL"
            " JOIN resident r ON r.id = s.resident_id AND r.archived_at IS NULL"
            " JOIN provider p ON p.id = i.provider_id"
            " WHERE i.archived_at IS NULL AND r.habitat_id = ? AND r.entry_date <= ?"
            " AND (r.exit_date IS NULL OR r.exit_date > ?)",
            [habitat_id, end.isoformat(), start.isoformat()],
        )
    )
    planned = list(zip(from_rows(db, Intervention, rows), rows, strict=True))
    out = []
    day = start
    while day <= end:
        for intervention, row in planned:
            if day.weekday() in intervention.weekdays:
                out.append(
                    Visit(
                        day,
                        row["resident_id"],
                        intervention.provider_id,
                        row["provider_name"],
                        Arrangement(row["provider_arrangement"]),
                        intervention.start_time,
                        intervention.end_time,
                        intervention.task,
                    )
                )
        day += timedelta(days=1)
    return sorted(out, key=lambda v: (v.day, v.start_time, v.resident_id))


def overlapping_visits(day_visits: list[Visit]) -> list[tuple[Visit, Visit]]:
    """Pairs of visits to one resident by an own and a habitat provider at the same time."""
    pairs = []
    by_resident: dict[tuple[date, int], list[Visit]] = defaultdict(list)
    for visit in day_visits:
        by_resident[(visit.day, visit.resident_id)].append(visit)
    for group in by_resident.values():
        for i, first in enumerate(group):
            for second in group[i + 1 :]:
                if (
                    first.arrangement != second.arrangement
                    and first.start_time < second.end_time
                    and second.start_time < first.end_time
                ):
                    pairs.append((first, second))
    return pairs


@dataclass
class Dashboard:
    """Today and this week at a glance.

    `open_tensions` are the most severe, then oldest, open tensions with their age in
    days (at most `OPEN_TENSIONS_SHOWN`); `open_tension_counts` counts all of them
    by (severity, age: "week", "month" or "older").
    """

    day: date
    residents: list[Resident]
    shifts_today: list[PresenceShift]
    gaps_week: list[Gap]
    visits_today: list[Visit]
    activities_week: list[Activity]
    open_tensions: list[tuple[Tension, int]]
    open_tension_counts: dict[tuple[str, str], int]
    avp_hours_used: float
    avp_hours_planned: float
    alerts: list[Alert] = field(default_factory=list)


def dashboard(db: sqlite_utils.Database, habitat_id: int, day: date) -> Dashboard:
    """Everything the dashboard shows for `day` (and the week starting that day)."""
    habitat = get(db, Habitat, habitat_id)
    week_end = day + timedelta(days=6)
    residents = current_residents(db, habitat_id, day)
    day_start = datetime.combine(day, time())
    shifts_today = presence_slots(db, habitat_id, day, day)
    gaps = presence_gaps(db, habitat_id, day, week_end)
    week_visits = visits(db, habitat_id, day, week_end)
    activities = find(
        db,
        Activity,
        "habitat_id = ? AND starts_at >= ? AND starts_at < ?",
        [habitat_id, day_start.isoformat(), (day_start + timedelta(days=7)).isoformat()],
        order_by="starts_at",
    )
    tensions = find(
        db,
        Tension,
        "habitat_id = ? AND status IN ('open', 'in_progress')",
        [habitat_id],
        order_by=_BY_SEVERITY + ", occurred_on",
        limit=OPEN_TENSIONS_SHOWN,
    )
    open_tensions = [(t, (day - t.occurred_on).days) for t in tensions]
    open_counts = {
        (row[0], row[1]): row[2]
        for row in db.execute(
            "SELECT severity, CASE WHEN julianday(?) - julianday(occurred_on) <= 7 THEN 'week'"
            " WHEN julianday(?) - julianday(occurred_on) <= 30 THEN 'month' ELSE 'older' END,"
            " COUNT(*) FROM tension WHERE habitat_id = ? AND archived_at IS NULL"
            " AND status IN ('open', 'in_progress') GROUP BY 1, 2",
            [day.isoformat(), day.isoformat(), habitat_id],
        )
    }
    # Planned time counts from 1 January, or from the AVP agreement if it began later.
    year_start = max(date(day.year, 1, 1), habitat.avp_start or date.min)
    used = db.execute(
        "SELECT COALESCE(SUM(hours), 0) FROM time_entry WHERE habitat_id = ? AND avp_funded = 1"
        " AND archived_at IS NULL AND worked_on >= ? AND worked_on <= ?",
        [habitat_id, year_start.isoformat(), day.isoformat()],
    ).fetchone()[0]
    planned = habitat.animator_hours_per_week * ((day - year_start).days + 1) / 7
    board = Dashboard(
        day,
        residents,
        shifts_today,
        gaps,
        [v for v in week_visits if v.day == day],
        activities,
        open_tensions,
        open_counts,
        float(used),
        planned,
    )
    board.alerts = _alerts(db, board, week_visits)
    return board


def _fr_time(moment: time | datetime) -> str:
    """`7h30`, as French screens write a time."""
    return f"{moment.hour}h{moment.minute:02d}"


def _fr_hours(hours: float) -> str:
    """`2,5 h`, with a decimal comma."""
    return f"{hours:.1f}".replace(".", ",").removesuffix(",0") + " h"


def _review_alert(kind: str, what: str, name: str, due: str, today: str, resident_id: int) -> Alert:
    """A review coming within the notice, or late: named, dated, leading to the file."""
    late = due < today
    when = f"depuis le {_fr_date(due)} (en retard)." if late else f"le {_fr_date(due)}."
    return Alert(
        kind, f"{name} : {what} à revoir {when}", resident_id, screen="residents", overdue=late
    )


def _alerts(db: sqlite_utils.Database, board: Dashboard, week_visits: list[Visit]) -> list[Alert]:
    alerts = []
    ids = [r.id for r in board.residents]
    marks = ",".join("?" for _ in ids) or "NULL"
    with_carer = {
        row[0]
        for row in db.execute(
            f"SELECT DISTINCT resident_id FROM carer WHERE archived_at IS NULL"
            f" AND resident_id IN ({marks})",
            ids,
        )
    }
    names = {r.id: r.full_name for r in board.residents}
    for resident in board.residents:
        if resident.id not in with_carer and not resident.emergency_contact:
            alerts.append(
                Alert(
                    "no_contact",
                    f"{resident.full_name} n'a ni proche ni contact d'urgence : "
                    "ajoutez un proche ou un contact d'urgence.",
                    resident.id,
                    screen="carers",
                )
            )
    notice = (board.day + timedelta(days=REVIEW_NOTICE_DAYS)).isoformat()
    today = board.day.isoformat()
    for row in db.query(
        f"SELECT id, resident_id, review_due FROM support_plan WHERE archived_at IS NULL"
        f" AND review_due <= ? AND resident_id IN ({marks}) ORDER BY review_due",
        [notice, *ids],
    ):
        alerts.append(
            _review_alert(
                "plan_review",
                "projet d'accompagnement",
                names[row["resident_id"]],
                row["review_due"],
                today,
                row["resident_id"],
            )
        )
    for row in db.query(
        f"SELECT a.review_on, s.resident_id FROM risk_agreement a"
        f" JOIN support_plan s ON s.id = a.plan_id"
        f" WHERE a.archived_at IS NULL AND s.archived_at IS NULL AND a.review_on <= ?"
        f" AND s.resident_id IN ({marks}) ORDER BY a.review_on",
        [notice, *ids],
    ):
        alerts.append(
            _review_alert(
                "risk_review",
                "accord autonomie-sécurité",
                names[row["resident_id"]],
                row["review_on"],
                today,
                row["resident_id"],
            )
        )
    if board.gaps_week:
        hours = sum(g.hours for g in board.gaps_week)
        gap = board.gaps_week[0]
        alerts.append(
            Alert(
                "rota_gap",
                f"Planning de présence : {len(board.gaps_week)} créneau(x) non couvert(s) "
                f"cette semaine ({_fr_hours(hours)}), le premier le "
                f"{_fr_date(gap.starts_at.date().isoformat())} à {_fr_time(gap.starts_at)}.",
                screen="settings",
            )
        )
    if board.avp_hours_planned > 0:
        ratio = board.avp_hours_used / board.avp_hours_planned
        if ratio < 0.8 or ratio > 1.1:
            alerts.append(
                Alert(
                    "avp_time",
                    f"Temps financé par l'AVP : {board.avp_hours_used:.0f} h réalisées pour "
                    f"{board.avp_hours_planned:.0f} h prévues depuis le 1er janvier "
                    f"({ratio:.0%}).".replace("%", " %"),
                    screen="time",
                )
            )
    heavy = sum(1 for r in board.residents if r.gir is not None and r.gir <= 2)
    if heavy > FIRE_RULE_GIR12_MAX:
        alerts.append(
            Alert(
                "gir12",
                f"{heavy} habitants en GIR 1-2 (plus de {FIRE_RULE_GIR12_MAX}) : "
                "vérifier les règles de sécurité incendie.",
                screen="residents",
            )
        )
    for first, second in overlapping_visits(week_visits):
        start = max(first.start_time, second.start_time)
        end = min(first.end_time, second.end_time)
        alerts.append(
            Alert(
                "visit_overlap",
                f"{names.get(first.resident_id, 'Un habitant')}, le "
                f"{_fr_date(first.day.isoformat())} : {first.provider} et {second.provider} "
                f"interviennent en même temps, de {_fr_time(start)} à {_fr_time(end)}.",
                first.resident_id,
                screen="providers",
            )
        )
    return alerts


def _fr_date(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"


@dataclass
class ResidentFile:
    """A resident's file: identity, family, plan, recent notes, tensions, participation."""

    resident: Resident
    carers: list[Carer]
    plan: SupportPlan | None
    needs: list[PlanNeed]
    interventions: list[Intervention]
    providers: dict[int, Provider]
    agreements: list[RiskAgreement]
    reviews: list[PlanReview]
    notes: list[LiaisonNote]
    tensions: list[Tension]
    attendance: dict[str, int]


def resident_file(db: sqlite_utils.Database, resident_id: int) -> ResidentFile:
    """Everything a resident's file screen shows.

    Raises:
        NotFound: no such resident.
    """
    resident = get(db, Resident, resident_id)
    carers = find(db, Carer, "resident_id = ?", [resident_id], order_by="last_name")
    plans = find(db, SupportPlan, "resident_id = ?", [resident_id], order_by="started_on DESC")
    plan = plans[0] if plans else None
    needs, interventions, agreements, reviews = [], [], [], []
    if plan is not None:
        needs = find(db, PlanNeed, "plan_id = ?", [plan.id], order_by="domain")
        interventions = find(db, Intervention, "plan_id = ?", [plan.id], order_by="start_time")
        agreements = find(db, RiskAgreement, "plan_id = ?", [plan.id], order_by="review_on")
        reviews = find(db, PlanReview, "plan_id = ?", [plan.id], order_by="reviewed_on DESC")
    providers = {
        p.stored_id: p
        for p in find(
            db,
            Provider,
            "id IN (SELECT value FROM json_each(?))",
            [str(sorted({i.provider_id for i in interventions}))],
        )
    }
    tensions = find(
        db,
        Tension,
        "id IN (SELECT tension_id FROM tension_resident WHERE resident_id = ?)",
        [resident_id],
        order_by="occurred_on DESC",
        limit=NOTES_PAGE,
    )
    attendance = Counter(
        {
            row[0]: row[1]
            for row in db.execute(
                "SELECT status, COUNT(*) FROM attendance WHERE resident_id = ?"
                " AND archived_at IS NULL GROUP BY status",
                [resident_id],
            )
        }
    )
    return ResidentFile(
        resident,
        carers,
        plan,
        needs,
        interventions,
        providers,
        agreements,
        reviews,
        notebook(db, resident.habitat_id, resident_id=resident_id),
        tensions,
        dict(attendance),
    )


def notebook(
    db: sqlite_utils.Database,
    habitat_id: int,
    *,
    resident_id: int | None = None,
    author: str | None = None,
    audiences: tuple[str, ...] | None = None,
    family_of: int | None = None,
    resident_scope: Iterable[int] | None = None,
    provider_id: int | None = None,
    before: datetime | None = None,
    before_id: int | None = None,
    limit: int = NOTES_PAGE,
) -> list[LiaisonNote]:
    """Liaison notes, newest first, filtered; page with `before` and `before_id`.

    Args:
        db: the database.
        habitat_id: the habitat.
        resident_id: only notes concerning this resident.
        author: only notes by this author.
        audiences: only notes for these audiences (for example ("providers",)).
        family_of: only notes addressed to this resident's family.
        resident_scope: a reader's residents (see `note_scope_clauses`).
        provider_id: the provider reading (see `note_scope_clauses`).
        before: only notes written before this time (the last shown note's).
        before_id: with `before`, the last shown note's id: notes written at the
            same time with a smaller id come next (none is skipped between pages).
        limit: page size.
    """
    clauses = ["n.habitat_id = ?", "n.archived_at IS NULL"]
    params: list[int | str] = [habitat_id]
    source, order = "liaison_note n", "n.written_at DESC, n.id DESC"
    if resident_id is not None:
        # Walk the resident's links newest first (their index), not every note.
        source = "liaison_note_resident l JOIN liaison_note n ON n.id = l.note_id"
        order = "l.written_at DESC, l.note_id DESC"
        clauses.append("l.resident_id = ?")
        params.append(resident_id)
    if author is not None:
        clauses.append("n.author = ?")
        params.append(author)
    scope_clauses, scope_params = note_scope_clauses(
        audiences, family_of, resident_scope, provider_id
    )
    clauses += scope_clauses
    params += scope_params
    clauses_before, params_before = before_clause(order, before, before_id)
    clauses += clauses_before
    params += params_before
    rows = db.query(
        f"SELECT n.* FROM {source} WHERE {' AND '.join(clauses)} ORDER BY {order}"
        f" LIMIT {int(limit)}",
        params,
    )
    return from_rows(db, LiaisonNote, list(rows))


def _marks(values: Iterable) -> str:
    return ",".join("?" for _ in values) or "NULL"


def note_scope_clauses(
    audiences: Iterable[str] | None,
    family_of: int | None,
    resident_ids: Iterable[int] | None,
    provider_id: int | None = None,
) -> tuple[list[str], list]:
    """The SQL conditions (on `liaison_note n`) of a reader's scope, and their parameters.

    Args:
        audiences: only notes for these audiences (None: any).
        family_of: only notes addressed to this resident's family.
        resident_ids: only notes concerning one of these residents (None: any).
        provider_id: a provider reading: notes addressed to another provider by
            name are left out, and those addressed to it by name are read even
            about residents outside `resident_ids`.
    """
    clauses: list[str] = []
    params: list = []
    if audiences is not None:
        audiences = list(audiences)
        clauses.append(f"n.audience IN ({_marks(audiences)})")
        params.extend(audiences)
    if family_of is not None:
        clauses.append("n.audience_resident_id = ?")
        params.append(family_of)
    concerned = None
    if resident_ids is not None:
        ids = sorted(resident_ids)
        concerned = (
            "EXISTS (SELECT 1 FROM liaison_note_resident l WHERE l.note_id = n.id"
            f" AND l.resident_id IN ({_marks(ids)}))"
        )
    if provider_id is None:
        if concerned is not None:
            clauses.append(concerned)
            params.extend(ids)
    else:
        clauses.append(
            "(n.audience_provider_id = ? OR (n.audience_provider_id IS NULL"
            + (f" AND {concerned}))" if concerned is not None else "))")
        )
        params.append(provider_id)
        if concerned is not None:
            params.extend(ids)
    return clauses, params


def before_clause(
    order: str, before: datetime | None, before_id: int | None
) -> tuple[list[str], list]:
    """The keyset condition "after the last shown note" for an `ORDER BY time, id` order."""
    if before is None:
        return [], []
    time_column, id_column = (part.split()[0] for part in order.split(", ")[:2])
    if before_id is None:
        return [f"{time_column} < ?"], [before.isoformat()]
    stamp = before.isoformat()
    return (
        [f"({time_column} < ? OR ({time_column} = ? AND {id_column} < ?))"],
        [stamp, stamp, before_id],
    )


@dataclass
class AvpReport:
    """The yearly activity report for the department (funder of the AVP)."""

    habitat: Habitat
    year: int
    resident_days: int
    avp_budget: float
    hours_by_function: dict[str, float]
    avp_hours_by_month: dict[int, float]
    activities_by_category: dict[str, int]
    activities_outside: int
    participation: dict[int, float]
    tensions_by_kind: dict[str, int]
    council_meetings: int
    decisions_done: int
    decisions_total: int
    start: date | None = None
    end: date | None = None
    #: Residents present in the period by public, and by GIR ("" when not assessed).
    residents_by_public: dict[str, int] = field(default_factory=dict)
    residents_by_gir: dict[str, int] = field(default_factory=dict)
    #: Entries in the period by entry mode (chosen, by default), exits by reason.
    entries_by_mode: dict[str, int] = field(default_factory=dict)
    exits_by_reason: dict[str, int] = field(default_factory=dict)
    #: Tensions of the period that are resolved, by kind, and how many days each stayed open.
    tensions_resolved_by_kind: dict[str, int] = field(default_factory=dict)
    tension_days_open: list[int] = field(default_factory=list)
    #: Partnerships active at some point of the period: (name, kind, started_on, ended_on).
    partnerships: list[tuple[str, str, date, date | None]] = field(default_factory=list)
    #: What the animator wrote for exactly this period, and the other AVP spending (€).
    narrative: str | None = None
    other_spending: float = 0.0
    #: The newest AVP answer of the habitat's model saved in the period (by its run's
    #: start), or None: the report then says nothing of it.
    model_need: AvpNeed | None = None


def avp_report(
    db: sqlite_utils.Database,
    habitat_id: int,
    year: int,
    start: date | None = None,
    end: date | None = None,
) -> AvpReport:
    """The period's figures: time by support function, AVP budget, collective life.

    Args:
        db: the database.
        habitat_id: the habitat.
        year: the report's year (names the period).
        start: first day of the period (default: 1 January of `year`).
        end: last day of the period, included (default: 31 December of `year`).
    """
    habitat = get(db, Habitat, habitat_id)
    first, last = start or date(year, 1, 1), end or date(year, 12, 31)
    span = [first.isoformat(), last.isoformat()]
    days_in_year = (last - first).days + 1
    # The AVP is paid for the residents actually present, while the agreement runs.
    funded_from = max(first, habitat.avp_start or first)
    funded_until = min(last, habitat.avp_end or last) + timedelta(days=1)
    resident_days = funded_days = 0
    for entry, exit_ in db.execute(
        "SELECT entry_date, exit_date FROM resident WHERE habitat_id = ? AND archived_at IS NULL"
        " AND entry_date <= ? AND (exit_date IS NULL OR exit_date > ?)",
        [habitat_id, span[1], span[0]],
    ):
        arrived = date.fromisoformat(entry)
        left = date.fromisoformat(exit_) if exit_ else date.max
        resident_days += max((min(left, last + timedelta(days=1)) - max(arrived, first)).days, 0)
        funded_days += max((min(left, funded_until) - max(arrived, funded_from)).days, 0)
    hours_by_function = {f.value: 0.0 for f in SupportFunction}
    for function, hours in db.execute(
        "SELECT function, SUM(hours) FROM time_entry WHERE habitat_id = ? AND archived_at IS NULL"
        " AND worked_on BETWEEN ? AND ? GROUP BY function",
        [habitat_id, *span],
    ):
        hours_by_function[function] = float(hours)
    avp_by_month = {month: 0.0 for month in range(1, 13)}
    for month, hours in db.execute(
        "SELECT CAST(substr(worked_on, 6, 2) AS INTEGER), SUM(hours) FROM time_entry"
        " WHERE habitat_id = ? AND archived_at IS NULL AND avp_funded = 1"
        " AND worked_on BETWEEN ? AND ? GROUP BY 1",
        [habitat_id, *span],
    ):
        avp_by_month[month] = float(hours)
    stamp = [f"{first.isoformat()}T00:00:00", f"{(last + timedelta(days=1)).isoformat()}T00:00:00"]
    categories = {
        row[0]: row[1]
        for row in db.execute(
            "SELECT category, COUNT(*) FROM activity WHERE habitat_id = ? AND archived_at IS NULL"
            " AND cancelled_reason IS NULL AND starts_at >= ? AND starts_at < ? GROUP BY category",
            [habitat_id, *stamp],
        )
    }
    outside = db.execute(
        "SELECT COUNT(*) FROM activity WHERE habitat_id = ? AND archived_at IS NULL"
        " AND cancelled_reason IS NULL AND place = 'outside' AND starts_at >= ? AND starts_at < ?",
        [habitat_id, *stamp],
    ).fetchone()[0]
    participation = {
        row[0]: row[1] / row[2]
        for row in db.execute(
            "SELECT t.resident_id, SUM(t.status = 'present'), COUNT(*) FROM attendance t"
            " JOIN activity a ON a.id = t.activity_id WHERE a.habitat_id = ?"
            " AND a.archived_at IS NULL AND t.archived_at IS NULL"
            " AND a.starts_at >= ? AND a.starts_at < ? GROUP BY t.resident_id",
            [habitat_id, *stamp],
        )
    }
    tensions = {
        row[0]: row[1]
        for row in db.execute(
            "SELECT kind, COUNT(*) FROM tension WHERE habitat_id = ? AND archived_at IS NULL"
            " AND occurred_on BETWEEN ? AND ? GROUP BY kind",
            [habitat_id, *span],
        )
    }
    meetings, done, total = db.execute(
        "SELECT COUNT(DISTINCT m.id), COALESCE(SUM(d.status = 'done'), 0), COUNT(d.id)"
        " FROM council_meeting m LEFT JOIN council_decision d ON d.meeting_id = m.id"
        " AND d.archived_at IS NULL WHERE m.habitat_id = ? AND m.archived_at IS NULL"
        " AND m.held_on BETWEEN ? AND ?",
        [habitat_id, *span],
    ).fetchone()
    profile = _avp_profile(db, habitat_id, first, last)
    return AvpReport(
        habitat,
        year,
        resident_days,
        habitat.avp_amount_per_resident * funded_days / days_in_year,
        hours_by_function,
        avp_by_month,
        categories,
        outside,
        participation,
        tensions,
        meetings,
        done,
        total,
        first,
        last,
        **profile,
    )


def _avp_profile(
    db: sqlite_utils.Database, habitat_id: int, first: date, last: date
) -> dict[str, Any]:
    """The report's sections beyond the time: residents, regulation, partners, narrative.

    And the newest AVP answer of the habitat's model saved in the period.
    """
    span = [first.isoformat(), last.isoformat()]
    present = (
        "habitat_id = ? AND archived_at IS NULL AND entry_date <= ?"
        " AND (exit_date IS NULL OR exit_date >= ?)"
    )
    by_public: dict[str, int] = {}
    by_gir: dict[str, int] = {}
    for public, gir, count in db.execute(
        f"SELECT public, gir, COUNT(*) FROM resident WHERE {present} GROUP BY public, gir",
        [habitat_id, span[1], span[0]],
    ):
        by_public[public] = by_public.get(public, 0) + count
        key = "" if gir is None else str(gir)
        by_gir[key] = by_gir.get(key, 0) + count
    entries = dict(
        db.execute(
            "SELECT entry_mode, COUNT(*) FROM resident WHERE habitat_id = ? AND archived_at IS NULL"
            " AND entry_date BETWEEN ? AND ? GROUP BY entry_mode",
            [habitat_id, *span],
        ).fetchall()
    )
    exits = dict(
        db.execute(
            "SELECT COALESCE(exit_reason, 'other'), COUNT(*) FROM resident WHERE habitat_id = ?"
            " AND archived_at IS NULL AND exit_date BETWEEN ? AND ? GROUP BY 1",
            [habitat_id, *span],
        ).fetchall()
    )
    resolved: dict[str, int] = {}
    days_open: list[int] = []
    for kind, occurred, done in db.execute(
        "SELECT kind, occurred_on, resolved_on FROM tension WHERE habitat_id = ?"
        " AND archived_at IS NULL AND occurred_on BETWEEN ? AND ? AND resolved_on IS NOT NULL",
        [habitat_id, *span],
    ):
        resolved[kind] = resolved.get(kind, 0) + 1
        days_open.append((date.fromisoformat(done) - date.fromisoformat(occurred)).days)
    partners = [
        (name, kind, date.fromisoformat(start), date.fromisoformat(end) if end else None)
        for name, kind, start, end in db.execute(
            "SELECT name, kind, started_on, ended_on FROM partnership WHERE habitat_id = ?"
            " AND archived_at IS NULL AND started_on <= ? AND (ended_on IS NULL OR ended_on >= ?)"
            " ORDER BY started_on, name",
            [habitat_id, span[1], span[0]],
        )
    ]
    narrative = db.execute(
        "SELECT text, other_spending FROM report_narrative WHERE habitat_id = ?"
        " AND archived_at IS NULL AND period_start = ? AND period_end = ? ORDER BY id DESC",
        [habitat_id, *span],
    ).fetchone()
    model_need = find(
        db,
        AvpNeed,
        "habitat_id = ? AND model_from BETWEEN ? AND ?",
        [habitat_id, *span],
        order_by="model_from DESC, id DESC",
        limit=1,
    )
    return {
        "residents_by_public": by_public,
        "residents_by_gir": by_gir,
        "entries_by_mode": entries,
        "exits_by_reason": exits,
        "tensions_resolved_by_kind": resolved,
        "tension_days_open": sorted(days_open),
        "partnerships": partners,
        "narrative": narrative[0] if narrative else None,
        "other_spending": float(narrative[1]) if narrative else 0.0,
        "model_need": model_need[0] if model_need else None,
    }


def row_counts(db: sqlite_utils.Database) -> dict[str, Any]:
    """Rows per table, for `habitat db check` and the administration screen."""
    return {
        name: db.execute(f"SELECT COUNT(*) FROM [{name}]").fetchone()[0]
        for name in db.table_names()
        if not name.startswith("sqlite_")
    }
