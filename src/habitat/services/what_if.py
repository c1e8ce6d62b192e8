"""Et si... : a scenario of the habitat as its records stand, shocks added, runs saved.

The scenario is built from the pseudonymised extract only (`store.pseudonymise`):
codes and counts, never a name, a date of birth, a contact or free text. Residents
are labelled by their dwelling's order in the extract ("habitant 3"), not even by
their pseudonym, so a downloaded file cannot be linked back to the records.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

import sqlite_utils

from habitat import store
from habitat.domain import AVP_MAX, FAMILY_HOURS_MAX, SupportFunction
from habitat.scenario import Scenario, ScenarioError, scenario_from_data
from habitat.services import records
from habitat.services.access import Forbidden, Screen, User, require
from habitat.services.explore import SHOCK_NAMES, SHOCKS, ShockChoice
from habitat.services.results import scenario_from_yaml, scenario_yaml
from habitat.store.entities import (
    Arrangement,
    ProviderKind,
    Public,
    SavedScenario,
    ScenarioOrigin,
    SupportLevel,
    TensionKind,
)
from habitat.store.labels import LABELS
from habitat.store.pseudonymise import pseudonymised

#: A disabled resident's support-needs level read as the GIR whose daily help hours
#: are closest (DREES hours by GIR, docs/MODEL.md): a modelling assumption.
GIR_OF_SUPPORT_LEVEL: dict[str, int] = {
    "none": 6,
    "low": 5,
    "moderate": 4,
    "high": 3,
    "very_high": 2,
}
#: The scenario's limits on a family's and the habitat's numbers.
MAX_FAMILY_HOURS = FAMILY_HOURS_MAX
MAX_AVP = AVP_MAX
MAX_ACTIVITIES = 21.0
#: The shocks offered on a real habitat, in the order of the issue.
WHAT_IF_SHOCKS: tuple[str, ...] = (
    "family_withdrawal",
    "animator_absence",
    "new_resident",
    "provider_exit",
)


class InconsistentRecords(Exception):
    """The records contradict each other: no scenario can be built until they are fixed.

    `problems_fr` says, in French, what to fix and where.
    """

    def __init__(self, problems_fr: list[str]):
        super().__init__("; ".join(problems_fr))
        self.problems_fr = problems_fr

    @property
    def message_fr(self) -> str:
        """The French message for the screen."""
        return (
            "Le scénario de l'habitat ne peut pas être construit : les fiches se contredisent. "
            "À corriger :\n\n" + "\n\n".join(f"- {p}" for p in self.problems_fr)
        )


#: Where each part of the scenario is read from, for a person fixing the records.
_SOURCE_FR = {
    "habitat": "les Paramètres de l'habitat (logements, convention AVP)",
    "residents": "les fiches des habitants (public, GIR, logement, dates)",
    "families": "les proches (heures habituelles)",
    "providers": "les intervenants et les interventions",
    "animator": "le temps d'animation prévu (Paramètres de l'habitat)",
    "policies": "les activités (Vie collective)",
}


def _where_to_fix(path: str) -> str:
    source = _SOURCE_FR.get(path.split(".")[0], "les fiches de l'habitat")
    return f"Une valeur tirée des fiches sort des limites du simulateur : vérifiez {source}."


@dataclass(frozen=True)
class Taken:
    """One value read from the extract, and what the scenario does with it."""

    item: str
    value: str
    used_for: str


@dataclass(frozen=True)
class HabitatScenario:
    """The habitat's own baseline and exactly what was taken from its records."""

    scenario: Scenario
    extract: dict[str, Any]
    taken: list[Taken]
    residents: list[dict[str, Any]]  # one row per resident, as the scenario sees them
    as_of: date


def _check_reader(user: User) -> int:
    """Refuse a user who may not build a scenario; the id of their habitat."""
    require(user, Screen.WHAT_IF)
    if user.habitat_id is None:
        raise Forbidden(
            "this account is tied to no habitat: set the habitat up first (habitat setup)",
            "Aucun habitat n'est lié à votre compte.",
        )
    return user.habitat_id


def from_records(
    db: sqlite_utils.Database, user: User, as_of: date, days: int = 365
) -> HabitatScenario:
    """The habitat's baseline scenario, built from the pseudonymised extract.

    Args:
        db: the database.
        user: the signed-in user (animator or host organisation).
        as_of: the day the records describe.
        days: the horizon.

    Raises:
        Forbidden: the role may not build a scenario from the records.
        InconsistentRecords: the records contradict each other (more residents
            than dwellings, two residents in one dwelling...): what to fix, in French.
    """
    from habitat.services.setup import record_problems

    habitat_id = _check_reader(user)
    problems = record_problems(db, habitat_id, as_of)
    if problems:
        raise InconsistentRecords(problems)
    extract = pseudonymised(db, habitat_id, as_of)
    try:
        return from_extract(extract, as_of, days)
    except ScenarioError as error:
        # Whatever else the scenario's validation finds is a contradiction in the records.
        raise InconsistentRecords([_where_to_fix(path) for path, _ in error.problems]) from None


def from_extract(extract: Mapping[str, Any], as_of: date, days: int = 365) -> HabitatScenario:
    """The scenario an extract describes, and the list of what was taken (see module doc)."""
    habitat = extract["habitat"]
    arrangement = {p["code"]: p["arrangement"] for p in extract["providers"]}
    family_hours: dict[str, float] = defaultdict(float)
    for carer in extract["carers"]:
        family_hours[carer["resident"]] += carer["usual_hours_per_week"] or 0.0
    kind = {p["code"]: p["kind"] for p in extract["providers"]}
    hours: dict[tuple[str, str], float] = defaultdict(float)
    for visit in extract["interventions"]:
        # The GP is everyone's own: it says nothing of who gives the daily help.
        if kind.get(visit["provider"]) != "gp":
            hours[visit["resident"], arrangement.get(visit["provider"], "")] += visit[
                "hours_per_week"
            ]
    own = {
        r["pseudonym"]: hours[r["pseudonym"], "own"] > hours[r["pseudonym"], "habitat"]
        for r in extract["residents"]
    }

    members, rows = [], []
    for n, resident in enumerate(extract["residents"], start=1):
        code = resident["pseudonym"]
        gir = resident["gir"] or GIR_OF_SUPPORT_LEVEL[resident["support_level"] or "moderate"]
        member = {
            "label": f"habitant {n}",
            "public": resident["public"],
            "gir": gir,
            "entered_by_default": resident["entered_by_default"],
            "family_hours_per_week": min(round(family_hours[code], 1), MAX_FAMILY_HOURS),
            "own_providers": own[code],
        }
        members.append(member)
        rows.append(
            {
                "Habitant": member["label"],
                "Public": _fr(Public, resident["public"]),
                "GIR": resident["gir"],
                "Besoin d'accompagnement": resident["support_level"]
                and _fr(SupportLevel, resident["support_level"]),
                "GIR simulé": gir,
                "Entré par défaut": resident["entered_by_default"],
                "Aide des proches (h/semaine)": member["family_hours_per_week"],
                "Garde ses intervenants": member["own_providers"],
            }
        )

    habitat_providers = [
        {"name": p["code"], "kind": p["kind"]}
        for p in extract["providers"]
        if p["arrangement"] == "habitat"
    ]
    weekly_avp = extract["animator"]["avp_hours_per_week_by_function"]
    planned = habitat["animator_hours_per_week_planned"]
    animator_hours = planned if planned else round(sum(weekly_avp.values()), 1)
    with_family = [h for h in family_hours.values() if h > 0]
    n_residents = max(len(members), 1)
    data: dict[str, Any] = {
        "name": f"Habitat au {as_of.strftime('%d/%m/%Y')}",
        "description": "Construit à partir des données pseudonymisées de l'habitat.",
        "days": days,
        "habitat": {
            "dwellings": habitat["dwellings"],
            "avp_per_resident_eur": min(habitat["avp_amount_per_resident"] or 0.0, MAX_AVP),
        },
        "residents": {"members": members},
        "families": {
            # Families of newcomers: like the habitat's own.
            "hours_per_week": round(sum(with_family) / len(with_family), 1) if with_family else 0.0,
            "share_no_family": round(1 - len(with_family) / n_residents, 2),
        },
        "providers": {
            "share_own": round(sum(own.values()) / n_residents, 2),
            **({"habitat": habitat_providers} if habitat_providers else {}),
        },
        "animator": {"hours_per_week": animator_hours},
        "policies": {"activities_per_week": min(extract["activities"]["per_week"], MAX_ACTIVITIES)},
    }
    if not members:
        data["residents"] = {"generate": {"count": 1}}
    scenario = scenario_from_data(data, source="extrait")
    taken = _taken(extract, scenario, planned, weekly_avp)
    return HabitatScenario(scenario, dict(extract), taken, rows, as_of)


def _fr(kind: type[StrEnum], value: str) -> str:
    """An enumeration's value as the screens say it in French (the value if unknown)."""
    return LABELS[kind].get(value, value)


def _decimal(value: float) -> str:
    """`11.29` as a French reader writes it: `11,29`."""
    return f"{value:g}".replace(".", ",")


def _taken(extract, scenario: Scenario, planned, weekly_avp) -> list[Taken]:
    habitat = extract["habitat"]
    providers = extract["providers"]
    activities = extract["activities"]
    taken = [
        Taken("Logements", str(habitat["dwellings"]), "logements du scénario"),
        Taken(
            "AVP par habitant et par an (€)",
            f"{habitat['avp_amount_per_resident'] or 0:.0f}",
            "financement de l'animation",
        ),
        Taken(
            "Temps d'animation prévu (h/semaine)",
            "—" if planned is None else f"{planned:g}",
            "heures de l'animateur·rice" if planned else "non renseigné : heures AVP réalisées",
        ),
        Taken(
            "Heures AVP réalisées par semaine, par fonction (91 derniers jours)",
            ", ".join(f"{_fr(SupportFunction, k)} {_decimal(v)}" for k, v in weekly_avp.items())
            or "—",
            "à titre d'information" if planned else "heures de l'animateur·rice",
        ),
        Taken(
            "Habitants présents",
            str(len(extract["residents"])),
            "un habitant du scénario chacun (public, GIR, mode d'entrée)",
        ),
        Taken(
            "Proches : heures habituelles par semaine",
            f"{len(extract['carers'])} proches",
            "aide de la famille de chaque habitant",
        ),
        Taken(
            "Intervenants (type et choisi par)",
            ", ".join(
                f"{p['code']} {_fr(ProviderKind, p['kind'])} ({_fr(Arrangement, p['arrangement'])})"
                for p in providers
            )
            or "—",
            "intervenants de l'habitat ; les habitants servis par les leurs les gardent",
        ),
        Taken(
            "Activités par semaine (91 derniers jours)",
            _decimal(round(activities["per_week"], 1)),
            "activités collectives par semaine",
        ),
        Taken(
            "Participation aux activités",
            "—"
            if activities["participation_rate"] is None
            else f"{100 * activities['participation_rate']:.0f} %",
            "à titre d'information (le modèle la calcule)",
        ),
        Taken(
            "Tensions par type (91 derniers jours)",
            ", ".join(f"{_fr(TensionKind, k)} {v}" for k, v in extract["tensions"].items())
            or "aucune",
            "à titre d'information (le modèle les simule)",
        ),
        Taken(
            "Non lu",
            "noms, années de naissance, coordonnées, adresses, dates, textes libres",
            "rien de cela ne sort de la base",
        ),
    ]
    return taken


def with_shocks(
    baseline: Scenario, shocks: Sequence[ShockChoice], name: str | None = None
) -> Scenario:
    """The baseline with shocks added (same people, same horizon).

    Raises:
        habitat.services.explore.InvalidForm: a shock day after the horizon.
    """
    from habitat.services.explore import InvalidForm, shock_field

    problems = {
        shock_field(s.kind): (
            f"le jour {s.day} est après la fin de la simulation ({baseline.days} jours)"
            if s.day > baseline.days
            else "le jour doit valoir au moins 1"
        )
        for s in shocks
        if not 1 <= s.day <= baseline.days
    }
    if problems:
        raise InvalidForm(problems)
    data = baseline.model_dump(mode="json", exclude_none=True)
    data["shocks"] = [
        *data.get("shocks", []),
        *({**SHOCKS[s.kind][1], "day": s.day} for s in shocks),
    ]
    labels = ", ".join(SHOCK_NAMES[s.kind] for s in shocks)
    data["name"] = (name or f"Et si : {labels}")[:80]
    return scenario_from_data(data, source="et si")


def has_vacancy(scenario: Scenario) -> bool:
    """Whether a new resident could move in at the start (a dwelling is free)."""
    return scenario.residents.count < scenario.habitat.dwellings


# --------------------------------------------------------------------------- saved


def save(
    db: sqlite_utils.Database,
    user: User,
    scenario: Scenario,
    *,
    as_of: date,
    seed: int,
    replications: int,
    origin: ScenarioOrigin = ScenarioOrigin.RECORDS,
    note: str | None = None,
) -> SavedScenario:
    """Save a scenario with the habitat (audited; the animator only).

    Raises:
        Forbidden: the role may not write the habitat's records.
        InvalidRecord: bad values (nothing written).
    """
    _check_reader(user)
    return records.create(
        db,
        user,
        SavedScenario,
        {
            "habitat_id": user.habitat_id,
            "name": scenario.name,
            "origin": origin,
            "as_of": as_of,
            "seed": seed,
            "replications": replications,
            "scenario_yaml": scenario_yaml(scenario, seed, replications),
            "note": note or None,
        },
    )


def saved(db: sqlite_utils.Database, user: User) -> list[SavedScenario]:
    """The habitat's saved scenarios, the newest first."""
    _check_reader(user)
    return store.find(db, SavedScenario, "habitat_id = ?", [user.habitat_id], order_by="id DESC")


def load_saved(record: SavedScenario) -> Scenario:
    """The scenario a saved record holds."""
    return scenario_from_yaml(record.scenario_yaml)
