"""Ask before deciding: each question against the habitat's own forecast, on the same seeds.

- `admission`: a candidate's profile joins the habitat as it stands.
- `rule`: a rule the council is about to vote (regulation practice, activities a
  week, pooled help, the presence rota's hours).
- `families`: how much rests on each family (anonymised, "famille 1" the most
  involved), and what each one stepping back would do.
- `avp`: the animator's logged time by the four support functions against the
  model's need for the coming year, as the argument for the AVP amount to ask.

Each builds the habitat's scenario from the pseudonymised extract (`what_if`)
with the habitat's newest saved calibration (`twin_calibration`; the general
values with `general=True` or when none is saved), runs it with and without the
decision on the same seed (`twin.paired`), and is audited as an extract leaving
the records.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import sqlite_utils
from pydantic import ValidationError

from habitat.domain import AVP_MAX, SupportFunction
from habitat.scenario import PoliciesSpec, ResidentSpec, Scenario, ScenarioError, scenario_from_data
from habitat.services.access import User
from habitat.services.twin import (
    DEFAULT_SEED,
    BadTwinRequest,
    check,
    habitat_of,
    months_after,
    own,
)
from habitat.services.twin_calibration import CalibrationUsed, applied
from habitat.services.what_if import HabitatScenario, from_records
from habitat.store import audit, queries
from habitat.store.entities import Habitat
from habitat.store.pseudonymise import observations
from habitat.twin.paired import METRICS, Effect, effects

__all__ = [
    "Answer",
    "AvpAnswer",
    "FamilyAnswer",
    "admission",
    "avp",
    "families",
    "rule",
]

#: The candidate's fields, in French (messages name them).
CANDIDATE_FR = {
    "public": "public",
    "gir": "GIR",
    "entered_by_default": "entrée par défaut",
    "family_hours_per_week": "heures des proches par semaine",
    "own_providers": "garde ses intervenants",
    "age": "âge",
    "sex": "sexe",
}
#: What a council rule may change, in French.
RULE_FR = {
    "regulation_practice": "régulation des conflits",
    "activities_per_week": "activités par semaine",
    "pooling_share": "part d'aide mutualisée",
    "presence_hours_per_day": "heures de présence par jour",
}
#: Hours asked of the animator (h/day): functions 1 and 2 are the animator's alone;
#: the rest of what is asked of them (presence, coordinating individual help) is the
#: workload's remainder (`animator_workload_ratio` x `animator_hours_available`).
ASKED = (
    "animator_workload_ratio",
    "animator_hours_available",
    "demand_premises_hours",
    "demand_collective_organisation_hours",
)
#: How the answer groups the four support functions (the records' functions).
GROUPS = {
    SupportFunction.PREMISES.value: (SupportFunction.PREMISES.value,),
    SupportFunction.COLLECTIVE_ORGANISATION.value: (SupportFunction.COLLECTIVE_ORGANISATION.value,),
    "presence_and_individual": (
        SupportFunction.COLLECTIVE_PRESENCE.value,
        SupportFunction.INDIVIDUAL_SUPPORT.value,
    ),
}


@dataclass(frozen=True)
class Answer:
    """A question's answer: the run's span and each outcome's effect."""

    question: str
    start: date
    end: date
    replications: int
    seed: int
    effects: list[Effect]
    calibration: CalibrationUsed | None = None


@dataclass(frozen=True)
class FamilyAnswer:
    """One family (anonymised): its hours, its share of all, what its stepping back does."""

    label: str
    hours_per_week: float
    share: float
    effects: list[Effect]


@dataclass(frozen=True)
class AvpAnswer:
    """Logged time and the model's need, by support function, and the AVP it argues for.

    Attributes:
        logged: mean hours a week logged over the last 12 months, by group of
            functions (`GROUPS`) and in total.
        need: the model's median hours asked of the animator a week, by the same
            groups and in total, for the coming months.
        need_band: its 90 % band.
        hourly_cost: the habitat's animator hourly cost (None if not set).
        avp_per_resident: the AVP amount per resident a year the need argues for
            (None without an hourly cost), capped at the legal ceiling.
        current_avp_per_resident: the amount in the agreement today.
        residents: residents the amount is computed over (the agreement's, or today's).
        calibration: the habitat's own values the model ran with (None: general values).
    """

    start: date
    end: date
    replications: int
    seed: int
    logged: dict[str, float]
    need: dict[str, float]
    need_band: dict[str, tuple[float, float]]
    hourly_cost: float | None
    avp_per_resident: float | None
    current_avp_per_resident: float
    residents: int
    calibration: CalibrationUsed | None = None


@dataclass(frozen=True)
class _Baseline:
    """The habitat as it stands today, as the questions start from it."""

    habitat_id: int
    built: HabitatScenario
    start: date
    end: date
    calibration: CalibrationUsed | None


def _baseline(
    db: sqlite_utils.Database, user: User, months: int, replications: int, general: bool
) -> _Baseline:
    from habitat.clock import today

    habitat_id = habitat_of(user)
    check(months, replications)
    start = today()
    end = months_after(start, months)
    built = from_records(db, user, start, (end - start).days)
    if not built.extract["residents"]:
        raise BadTwinRequest(
            "records",
            "no resident lives in the habitat today",
            "Aucun habitant n'est enregistré aujourd'hui : le modèle n'a rien de quoi partir.",
        )
    calibration = own(db, habitat_id, general)
    return _Baseline(habitat_id, applied(built, calibration), start, end, calibration)


def _paired(
    db: sqlite_utils.Database,
    user: User,
    question: str,
    base: _Baseline,
    changed: Scenario,
    run: tuple[int, int, Any],
) -> Answer:
    """The habitat without and with the decision on the same seed; audited.

    `run` is (replications, seed, on_day): the progress runs over both halves.
    """
    replications, seed, on_day = run
    first, second = _halves(on_day, 2)
    without = _run(base.built.scenario, replications, seed, first).per_replication()
    with_ = _run(changed, replications, seed, second).per_replication()
    audit.extracted(
        db, user.actor, base.habitat_id, f"twin ask {question}", f"{base.start}/{base.end}"
    )
    return Answer(
        question,
        base.start,
        base.end,
        replications,
        seed,
        effects(without, with_),
        base.calibration,
    )


def _run(scenario: Scenario, replications: int, seed: int, on_day, metrics=METRICS):
    from habitat import simulate

    return simulate(
        scenario,
        replications=replications,
        seed=seed,
        record_events=False,
        on_day=on_day,
        metrics=list(metrics),
    )


def _changed(baseline: Scenario, change: Callable[[dict[str, Any]], None], name: str) -> Scenario:
    data = baseline.model_dump(mode="json", exclude_none=True)
    change(data)
    data["name"] = name[:80]
    return scenario_from_data(data, source="question")


def _halves(on_day, runs: int):
    """Progress over several runs as one bar: run k's day d is (k * days + d) / (runs * days)."""
    if on_day is None:
        return [None] * runs

    def part(k: int):
        return lambda day, days: on_day(k * days + day, runs * days)

    return [part(k) for k in range(runs)]


def admission(
    db: sqlite_utils.Database,
    user: User,
    candidate: Mapping[str, Any],
    *,
    months: int = 12,
    replications: int = 100,
    seed: int = DEFAULT_SEED,
    general: bool = False,
    on_day=None,
) -> Answer:
    """The habitat with the candidate moving in today, against the habitat as it stands.

    Args:
        db: the database.
        user: the animator or the host organisation.
        months: the horizon (1 to 24).
        replications: replications of each run (10 to 1,000).
        seed: the seed both runs share.
        general: run with the general values, whatever was calibrated.
        on_day: progress over both runs, called as `on_day(day, days)`.
        candidate: the profile: `public`, `gir`, `entered_by_default`,
            `family_hours_per_week`, `own_providers` (and optionally `age`, `sex`).

    Raises:
        Forbidden: the role may not ask the twin.
        BadTwinRequest: a bad profile field (named), no free dwelling, bad months.
    """
    base = _baseline(db, user, months, replications, general)
    try:
        member = ResidentSpec.model_validate({**candidate, "label": "candidat·e"})
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "candidate"
        raise BadTwinRequest(
            f"candidate.{field}",
            first["msg"],
            f"Profil : {CANDIDATE_FR.get(field, field)} : valeur refusée ({first['msg']}).",
        ) from None
    baseline = base.built.scenario
    if baseline.residents.count >= baseline.habitat.dwellings:
        raise BadTwinRequest(
            "candidate",
            "every dwelling is taken",
            "Tous les logements sont occupés : une admission ne se simule qu'avec un "
            "logement libre (ou demandez « Et si… » un départ d'abord).",
        )

    def add(data: dict[str, Any]) -> None:
        data["residents"]["members"].append(member.model_dump(mode="json", exclude_none=True))

    with_candidate = _changed(baseline, add, "Avec l'admission")
    return _paired(db, user, "admission", base, with_candidate, (replications, seed, on_day))


def rule(
    db: sqlite_utils.Database,
    user: User,
    changes: Mapping[str, Any],
    *,
    months: int = 12,
    replications: int = 100,
    seed: int = DEFAULT_SEED,
    general: bool = False,
    on_day=None,
) -> Answer:
    """The habitat under a proposed rule, against the habitat as it runs today.

    Args:
        db: the database.
        user: the animator or the host organisation.
        months: the horizon (1 to 24).
        replications: replications of each run (10 to 1,000).
        seed: the seed both runs share.
        general: run with the general values, whatever was calibrated.
        on_day: progress over both runs, called as `on_day(day, days)`.
        changes: some of `regulation_practice` (none, house_rules, council),
            `activities_per_week`, `pooling_share`, `presence_hours_per_day`.

    Raises:
        BadTwinRequest: an unknown or bad rule field (named), no change at all.
    """
    unknown = sorted(set(changes) - set(RULE_FR))
    if unknown or not changes:
        field = unknown[0] if unknown else "rule"
        raise BadTwinRequest(
            f"rule.{field}",
            f"a rule changes some of {', '.join(RULE_FR)}",
            "Règle : choisissez ce qui change (" + ", ".join(RULE_FR.values()) + ").",
        )
    base = _baseline(db, user, months, replications, general)
    baseline = base.built.scenario
    try:
        PoliciesSpec.model_validate({**baseline.policies.model_dump(), **changes})
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "rule"
        raise BadTwinRequest(
            f"rule.{field}",
            first["msg"],
            f"Règle : {RULE_FR.get(field, field)} : valeur refusée ({first['msg']}).",
        ) from None

    def apply(data: dict[str, Any]) -> None:
        data.setdefault("policies", {}).update(changes)

    try:
        proposed = _changed(baseline, apply, "Avec la règle proposée")
    except ScenarioError as error:
        path, reason = error.problems[0]
        raise BadTwinRequest(f"rule.{path}", reason, f"Règle : {reason}.") from None
    return _paired(db, user, "rule", base, proposed, (replications, seed, on_day))


def families(
    db: sqlite_utils.Database,
    user: User,
    *,
    months: int = 12,
    replications: int = 100,
    seed: int = DEFAULT_SEED,
    general: bool = False,
    on_day=None,
) -> list[FamilyAnswer]:
    """Each involved family (most hours first, anonymised) and the effect of its stepping back.

    The habitat and each "without family k" run together in one batched model, on
    the same seed (`simulate_batch`: each equals its own run).
    """
    from habitat.sim.run import simulate_batch

    base = _baseline(db, user, months, replications, general)
    baseline = base.built.scenario
    members = baseline.residents.members or []
    involved = sorted(
        (i for i, m in enumerate(members) if m.family_hours_per_week > 0),
        key=lambda i: (-members[i].family_hours_per_week, i),
    )
    total = sum(members[i].family_hours_per_week for i in involved)
    scenarios = [baseline]
    for i in involved:

        def step_back(data: dict[str, Any], i: int = i) -> None:
            data["residents"]["members"][i]["family_hours_per_week"] = 0.0

        scenarios.append(_changed(baseline, step_back, "Sans cette famille"))
    if on_day is not None:
        on_day(0, 1)
    results = simulate_batch(scenarios, replications, [seed] * len(scenarios), metrics=METRICS)
    if on_day is not None:
        on_day(1, 1)
    without = results[0].per_replication()
    audit.extracted(
        db, user.actor, base.habitat_id, "twin ask families", f"{base.start}/{base.end}"
    )
    return [
        FamilyAnswer(
            f"famille {k + 1}",
            members[i].family_hours_per_week,
            members[i].family_hours_per_week / total,
            effects(without, result.per_replication()),
        )
        for k, (i, result) in enumerate(zip(involved, results[1:], strict=True))
    ]


def avp(
    db: sqlite_utils.Database,
    user: User,
    *,
    months: int = 12,
    replications: int = 100,
    seed: int = DEFAULT_SEED,
    general: bool = False,
    on_day=None,
) -> AvpAnswer:
    """The animator's logged time by function against the model's need: the AVP to ask.

    The need is the model's median hours asked of the animator a week over the
    coming months: functions 1 (premises) and 2 (organising collective life), and
    the rest (collective presence and coordinating individual help, which the records
    log as functions 3 and 4); the amount is the total x 52 weeks x the hourly cost,
    over the residents the agreement names (or today's), capped at the legal ceiling.
    Without an hourly cost (Paramètres de l'habitat), hours only.
    """
    base = _baseline(db, user, months, replications, general)
    habitat_id, built, start, end = base.habitat_id, base.built, base.start, base.end
    result = _run(built.scenario, replications, seed, on_day, metrics=ASKED)

    def daily(name: str) -> np.ndarray:
        return result.values[:, result.names.index(name), :]

    asked = (daily("animator_workload_ratio") * daily("animator_hours_available")).mean(axis=0)
    premises = daily("demand_premises_hours").mean(axis=0)
    organisation = daily("demand_collective_organisation_hours").mean(axis=0)
    per_group = {
        SupportFunction.PREMISES.value: premises * 7.0,
        SupportFunction.COLLECTIVE_ORGANISATION.value: organisation * 7.0,
        "presence_and_individual": np.maximum(asked - premises - organisation, 0.0) * 7.0,
        "total": asked * 7.0,
    }
    need, band = {}, {}
    for group, values in per_group.items():
        low, median, high = np.percentile(values, [5.0, 50.0, 95.0])
        need[group] = float(median)
        band[group] = (float(low), float(high))
    last_year = observations(db, habitat_id, months_after(start, -12), start)
    weeks = last_year["days"] / 7.0
    hours = last_year["animator_hours"]
    logged = {
        group: sum(hours.get(f, 0.0) for f in functions) / weeks
        for group, functions in GROUPS.items()
    }
    logged["total"] = sum(hours.values()) / weeks
    habitat = queries.get(db, Habitat, habitat_id)
    residents = built.scenario.habitat.avp_agreed_residents or built.scenario.residents.count
    cost = habitat.animator_hourly_cost
    amount = None
    if cost:
        amount = min(need["total"] * 52.0 * cost / max(residents, 1), AVP_MAX)
    audit.extracted(db, user.actor, habitat_id, "twin ask avp", f"{start}/{end}")
    return AvpAnswer(
        start,
        end,
        replications,
        seed,
        logged,
        need,
        band,
        cost,
        amount,
        built.scenario.habitat.avp_per_resident_eur,
        residents,
        base.calibration,
    )
