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
            "dwellings": habitat.dwellings,
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
