"""The pseudonymised extract for simulation and research: codes and counts, no person.

What leaves: pseudonyms, publics, autonomy levels, how residents entered, how long
they have lived there, carers' relation, roles and usual hours, providers' kind and
arrangement (not their names), hours of planned interventions, the animator's time
by support function, activity frequency, counts of tensions by kind. What never
leaves: names, birth years, contacts, addresses, dates of anything, free text.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

import sqlite_utils

from habitat.store.entities import Habitat, Intervention, Provider
from habitat.store.queries import current_residents
from habitat.store.repository import find, get

#: The recent period averages are taken over: a quarter smooths holidays out.
WINDOW_DAYS = 91
#: Version of the extract's layout, for whoever reads it later.
FORMAT = "habitat-pseudonymised/1"


def pseudonymised(db: sqlite_utils.Database, habitat_id: int, as_of: date) -> dict[str, Any]:
    """The habitat as codes and counts on `as_of`, ready to become a scenario.

    Args:
        db: the database.
        habitat_id: the habitat.
        as_of: the day described (residents present that day, the 91 days before it).

    Returns:
        A JSON-ready mapping: `habitat`, `residents`, `carers`, `providers`,
        `interventions`, `animator`, `activities`, `tensions`.
    """
    habitat = get(db, Habitat, habitat_id)
    residents = current_residents(db, habitat_id, as_of)
    pseudonym = {r.stored_id: r.pseudonym for r in residents}
    since = (as_of - timedelta(days=WINDOW_DAYS)).isoformat()
    until = as_of.isoformat()
    weeks = WINDOW_DAYS / 7

    providers = find(db, Provider, "habitat_id = ?", [habitat_id], order_by="id")
    provider_code = {p.stored_id: f"P{i + 1}" for i, p in enumerate(providers)}
    carers = [
        {
            "resident": pseudonym[row["resident_id"]],
            "relation": row["relation"],
            "care": bool(row["does_care"]),
            "management": bool(row["does_management"]),
            "governance": bool(row["does_governance"]),
            "usual_hours_per_week": row["usual_hours_per_week"],
        }
        for row in db.query(
            "SELECT * FROM carer WHERE archived_at IS NULL AND resident_id IN"
            " (SELECT value FROM json_each(?)) ORDER BY resident_id, id",
            [str(sorted(pseudonym))],
        )
    ]
    interventions: dict[tuple[str, str], float] = defaultdict(float)
    for row in db.query(
        "SELECT i.*, s.resident_id FROM intervention i JOIN support_plan s ON s.id = i.plan_id"
        " WHERE i.archived_at IS NULL AND s.archived_at IS NULL AND s.resident_id IN"
        " (SELECT value FROM json_each(?))",
        [str(sorted(pseudonym))],
    ):
        visit = Intervention.from_row({k: row[k] for k in Intervention.model_fields if k in row})
        key = (pseudonym[row["resident_id"]], provider_code[visit.provider_id])
        interventions[key] += visit.hours_per_week
    time_by_function = {
        row[0]: round(row[1] / weeks, 2)
        for row in db.execute(
            "SELECT function, SUM(hours) FROM time_entry WHERE habitat_id = ?"
            " AND archived_at IS NULL AND avp_funded = 1 AND worked_on > ? AND worked_on <= ?"
            " GROUP BY function ORDER BY function",
            [habitat_id, since, until],
        )
    }
    places = Counter(
        {
            row[0]: row[1]
            for row in db.execute(
                "SELECT place, COUNT(*) FROM activity WHERE habitat_id = ? AND archived_at IS NULL"
                " AND cancelled_reason IS NULL AND starts_at > ? AND starts_at <= ? GROUP BY place",
                [habitat_id, since, until + "T23:59:59"],
            )
        }
    )
    present, invited = db.execute(
        "SELECT COALESCE(SUM(t.status = 'present'), 0), COUNT(*) FROM attendance t"
        " JOIN activity a ON a.id = t.activity_id WHERE a.habitat_id = ?"
        " AND a.starts_at > ? AND a.starts_at <= ? AND t.archived_at IS NULL",
        [habitat_id, since, until + "T23:59:59"],
    ).fetchone()
    tensions = {
        row[0]: row[1]
        for row in db.execute(
            "SELECT kind, COUNT(*) FROM tension WHERE habitat_id = ? AND archived_at IS NULL"
            " AND occurred_on > ? AND occurred_on <= ? GROUP BY kind ORDER BY kind",
            [habitat_id, since, until],
        )
    }
    return {
        "format": FORMAT,
        "window_days": WINDOW_DAYS,
        "habitat": {
            # The habitat's capacity: its declared number, or more if more dwellings
            # were named since (a dwelling added in the settings, lived in).
            "dwellings": max(
                habitat.dwellings,
                db.execute(
                    "SELECT COUNT(*) FROM dwelling WHERE habitat_id = ? AND archived_at IS NULL",
                    [habitat_id],
                ).fetchone()[0],
            ),
            "avp_amount_per_resident": habitat.avp_amount_per_resident,
            "animator_hours_per_week_planned": habitat.animator_hours_per_week,
        },
        "residents": [
            {
                "pseudonym": r.pseudonym,
                "public": r.public.value,
                "gir": r.gir,
                "support_level": r.support_level.value if r.support_level else None,
                "entered_by_default": r.entry_mode.value == "default",
                "months_in_habitat": (as_of - r.entry_date).days // 30,
            }
            for r in residents
        ],
        "carers": carers,
        "providers": [
            {
                "code": provider_code[p.stored_id],
                "kind": p.kind.value,
                "arrangement": p.arrangement.value,
            }
            for p in providers
        ],
        "interventions": [
            {"resident": resident, "provider": code, "hours_per_week": round(hours, 2)}
            for (resident, code), hours in sorted(interventions.items())
        ],
        "animator": {"avp_hours_per_week_by_function": time_by_function},
        "activities": {
            "per_week": round(sum(places.values()) / weeks, 2),
            "outside_per_week": round(places.get("outside", 0) / weeks, 2),
            "participation_rate": round(present / invited, 3) if invited else None,
        },
        "tensions": tensions,
    }


#: Version of the observations' layout (what happened over a window, in counts).
OBSERVATIONS_FORMAT = "habitat-observations/1"


def observations(
    db: sqlite_utils.Database, habitat_id: int, start: date, end: date
) -> dict[str, Any]:
    """What the records say happened in the habitat from `start` (excluded) to `end`.

    Counts and exposures only, for the habitat's own model to learn from and be
    checked against: no name, pseudonym, birth year, date or text leaves. A
    resident's identity is used inside this function to count distinct people and
    is dropped before it returns.

    Args:
        db: the database.
        habitat_id: the habitat.
        start: the day before the window (the window is `start` < day <= `end`).
        end: the window's last day.

    Returns:
        A JSON-ready mapping: `days`, `resident_days`, `entries`, `exits` by reason,
        `tensions` by kind (count, the days open of those closed, still open, and
        `open_days`: days a tension of the kind was open in the window, whenever it
        began, and `open_in_window`: how many were), `activities` (held, outside,
        and for each whole week the residents who took part in one and those living
        there: `weekly_participation`),
        `animator_hours` (all recorded hours, by function) and
        `animator_weekly_hours` (their total in each whole week).
    """
    days = (end - start).days
    since, until = start.isoformat(), end.isoformat()
    people = [
        (r["entry_date"], r["exit_date"], r["exit_reason"], r["id"])
        for r in db.query(
            "SELECT id, entry_date, exit_date, exit_reason FROM resident"
            " WHERE habitat_id = ? AND archived_at IS NULL AND entry_date <= ?"
            " AND (exit_date IS NULL OR exit_date > ?)",
            [habitat_id, until, since],
        )
    ]
    resident_days = 0
    entries = 0
    exits: Counter[str] = Counter()
    for entered, left, reason, _ in people:
        first = max(date.fromisoformat(entered), start + timedelta(days=1))
        last = min(date.fromisoformat(left), end) if left else end
        resident_days += max((last - first).days + 1, 0)
        if entered > since:
            entries += 1
        if left and since < left <= until:
            exits[reason] += 1

    tensions: dict[str, dict[str, Any]] = {}
    for row in db.query(
        "SELECT kind, occurred_on, resolved_on FROM tension WHERE habitat_id = ?"
        " AND archived_at IS NULL AND occurred_on > ? AND occurred_on <= ?"
        " ORDER BY kind, occurred_on",
        [habitat_id, since, until],
    ):
        entry = tensions.setdefault(row["kind"], {"count": 0, "days_open": [], "still_open": 0})
        entry["count"] += 1
        resolved = row["resolved_on"]
        if resolved and resolved <= until:
            opened = date.fromisoformat(row["occurred_on"])
            entry["days_open"].append((date.fromisoformat(resolved) - opened).days)
        else:
            entry["still_open"] += 1
    # Days each kind had a tension open in the window (open from the day it occurred to
    # the day before it was resolved), whenever it began: the mean open on a day.
    for row in db.query(
        "SELECT kind, occurred_on, resolved_on FROM tension WHERE habitat_id = ?"
        " AND archived_at IS NULL AND occurred_on <= ?"
        " AND (resolved_on IS NULL OR resolved_on > ?)",
        [habitat_id, until, since],
    ):
        entry = tensions.setdefault(row["kind"], {"count": 0, "days_open": [], "still_open": 0})
        first = max(date.fromisoformat(row["occurred_on"]), start + timedelta(days=1))
        stop = date.fromisoformat(row["resolved_on"]) if row["resolved_on"] else None
        last = min(stop - timedelta(days=1), end) if stop else end
        entry["open_days"] = entry.get("open_days", 0) + max((last - first).days + 1, 0)
        entry["open_in_window"] = entry.get("open_in_window", 0) + 1
    for entry in tensions.values():
        entry.setdefault("open_days", 0)
        entry.setdefault("open_in_window", 0)
        entry["days_open"].sort()  # order of the values only: no link back to a tension

    held = outside = 0
    for row in db.query(
        "SELECT place, COUNT(*) AS n FROM activity WHERE habitat_id = ? AND archived_at IS NULL"
        " AND cancelled_reason IS NULL AND starts_at > ? AND starts_at <= ? GROUP BY place",
        [habitat_id, since + "T23:59:59", until + "T23:59:59"],
    ):
        held += row["n"]
        outside += row["n"] if row["place"] == "outside" else 0
    attended: defaultdict[int, set[int]] = defaultdict(set)
    for row in db.query(
        "SELECT t.resident_id, a.starts_at FROM attendance t JOIN activity a"
        " ON a.id = t.activity_id WHERE a.habitat_id = ? AND t.archived_at IS NULL"
        " AND a.archived_at IS NULL AND t.status = 'present'"
        " AND a.starts_at > ? AND a.starts_at <= ?",
        [habitat_id, since + "T23:59:59", until + "T23:59:59"],
    ):
        week = (date.fromisoformat(row["starts_at"][:10]) - start).days // 7
        attended[week].add(row["resident_id"])
    shares = []
    for week in range(days // 7):  # whole weeks only
        monday, sunday = start + timedelta(days=7 * week + 1), start + timedelta(days=7 * week + 7)
        living = {
            who
            for entered, left, _, who in people
            if entered <= sunday.isoformat() and (left is None or left >= monday.isoformat())
        }
        if living:
            shares.append([len(attended[week] & living), len(living)])

    hours = {
        row["function"]: round(row["h"], 2)
        for row in db.query(
            "SELECT function, SUM(hours) AS h FROM time_entry WHERE habitat_id = ?"
            " AND archived_at IS NULL AND worked_on > ? AND worked_on <= ?"
            " GROUP BY function ORDER BY function",
            [habitat_id, since, until],
        )
    }
    weekly_hours = [0.0] * (days // 7)
    for row in db.query(
        "SELECT worked_on, SUM(hours) AS h FROM time_entry WHERE habitat_id = ?"
        " AND archived_at IS NULL AND worked_on > ? AND worked_on <= ? GROUP BY worked_on",
        [habitat_id, since, until],
    ):
        week = (date.fromisoformat(row["worked_on"]) - start).days // 7
        if week < len(weekly_hours):
            weekly_hours[week] += row["h"]
    return {
        "format": OBSERVATIONS_FORMAT,
        "days": days,
        "resident_days": resident_days,
        "entries": entries,
        "exits": dict(sorted(exits.items())),
        "tensions": dict(sorted(tensions.items())),
        "activities": {
            "held": held,
            "outside": outside,
            "weekly_participation": shares,
        },
        "animator_hours": hours,
        "animator_weekly_hours": [round(h, 2) for h in weekly_hours],
    }
