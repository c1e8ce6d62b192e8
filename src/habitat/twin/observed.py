"""The figures a habitat's records and its model can both give, measured the same way.

Each `Measure` reads one figure twice: from the records' observations over a
window (a value, an interval and the number of events behind it), and from a
simulation of the same window (one value per replication). Both use the same
unit, so the model's band and the observation can be set side by side.

Uncertainty of an observed figure (how far a few events can be trusted):
- a rate of events (tensions, exits, activities) is a Poisson count over an
  exposure: its 90 % interval is the Jeffreys interval, the 5th and 95th
  percentiles of Gamma(n + 1/2) / exposure (Brown, Cai & DasGupta 2001; Cai 2005);
- a share (weekly participation) pools the person-weeks: Jeffreys interval, the
  percentiles of Beta(x + 1/2, n - x + 1/2);
- a mean number open on a day (tensions open) scales the same Gamma interval by
  the number of tensions it rests on;
- hours the animator logged: the mean week, with a normal interval from the
  spread of the window's whole weeks (1.645 standard errors).
The percentiles are read off 200,000 seeded draws with numpy (no scipy in the app),
so they are exact to about 0.5 % and identical from one run to the next.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["MEASURES", "Estimate", "Measure", "Verdict", "compare", "verdict"]

#: Draws behind each interval, and their seed (intervals are reproducible).
DRAWS = 200_000
SEED = 20_161
#: The interval of an observation and the model's band: 90 %, as the summaries.
LOW, HIGH = 5.0, 95.0
#: Fewer events than this, and an observed figure says little (the screens say so).
FEW_EVENTS = 5
DAYS_PER_MONTH = 365.25 / 12
#: Tension kinds the model's conflicts stand for (between residents, over the common
#: spaces, escalated provider failures: `habitat.sim.metrics.conflicts_new`).
CONFLICT_KINDS = ("between_residents", "common_spaces", "own_vs_habitat_providers")


@dataclass(frozen=True)
class Estimate:
    """An observed figure: its value, its 90 % interval, the events it rests on."""

    value: float | None
    low: float | None
    high: float | None
    events: int

    @property
    def few(self) -> bool:
        """Too few events to read much into the value."""
        return self.events < FEW_EVENTS


def _gamma_interval(count: int, scale: float) -> tuple[float, float]:
    """Jeffreys interval of a Poisson count, times `scale`; from 0 when nothing happened."""
    draws = np.random.default_rng(SEED).gamma(count + 0.5, 1.0, DRAWS)
    low, high = np.percentile(draws, [LOW, HIGH])
    return (float(low * scale) if count else 0.0), float(high * scale)


def _beta_interval(successes: int, trials: int) -> tuple[float, float]:
    """Jeffreys interval of a share; from 0 (to 1) when none (all) succeeded (Brown et al.)."""
    draws = np.random.default_rng(SEED).beta(successes + 0.5, trials - successes + 0.5, DRAWS)
    low, high = np.percentile(draws, [LOW, HIGH])
    return (float(low) if successes else 0.0), (float(high) if successes < trials else 1.0)


def rate(count: int, exposure: float, per: float) -> Estimate:
    """`count` events over `exposure` (days or resident-days), per `per` of it."""
    if exposure <= 0:
        return Estimate(None, None, None, count)
    scale = per / exposure
    low, high = _gamma_interval(count, scale)
    return Estimate(count * scale, low, high, count)


def share(successes: int, trials: int) -> Estimate:
    """A share of `trials` (person-weeks), with its Jeffreys interval."""
    if trials <= 0:
        return Estimate(None, None, None, 0)
    low, high = _beta_interval(successes, trials)
    return Estimate(successes / trials, low, high, trials)


def _tensions(obs: Mapping[str, Any], kinds: tuple[str, ...], field: str) -> int:
    """A field of the tensions of `kinds`, summed."""
    tensions = obs["tensions"]
    return sum(tensions[k][field] for k in kinds if k in tensions)


def _open(obs: Mapping[str, Any], kinds: tuple[str, ...]) -> Estimate:
    """Tensions open on a day, on average; resting on those open in the window."""
    count = _tensions(obs, kinds, "open_in_window")
    open_days = _tensions(obs, kinds, "open_days")
    if obs["days"] <= 0:
        return Estimate(None, None, None, count)
    mean = open_days / obs["days"]
    if count == 0:
        return Estimate(mean, 0.0, mean, 0)
    low, high = _gamma_interval(count, mean / count)
    return Estimate(mean, low, high, count)


def _participation(obs: Mapping[str, Any]) -> Estimate:
    weeks = obs["activities"]["weekly_participation"]
    return share(sum(w[0] for w in weeks), sum(w[1] for w in weeks))


def _hours_per_week(obs: Mapping[str, Any]) -> Estimate:
    """The mean week's logged hours; its interval from the weeks' spread (normal)."""
    weeks = np.asarray(obs["animator_weekly_hours"], dtype=float)
    if len(weeks) == 0 or not weeks.any():
        return Estimate(None, None, None, 0)
    value = float(weeks.mean())
    half = 1.645 * float(weeks.std(ddof=1)) / np.sqrt(len(weeks)) if len(weeks) > 1 else 0.0
    return Estimate(value, float(value - half), float(value + half), len(weeks))


def _exits(obs: Mapping[str, Any], reasons: tuple[str, ...] | None) -> Estimate:
    exits = obs["exits"]
    count = sum(n for reason, n in exits.items() if reasons is None or reason in reasons)
    return rate(count, obs["resident_days"], 365.25)


def _conflicts_per_month(obs: Mapping[str, Any]) -> Estimate:
    return rate(_tensions(obs, CONFLICT_KINDS, "count"), obs["days"], DAYS_PER_MONTH)


def _conflicts_open(obs: Mapping[str, Any]) -> Estimate:
    return _open(obs, CONFLICT_KINDS)


def _autonomy_safety_open(obs: Mapping[str, Any]) -> Estimate:
    return _open(obs, ("autonomy_safety",))


def _activities_per_week(obs: Mapping[str, Any]) -> Estimate:
    return rate(obs["activities"]["held"], obs["days"], 7.0)


def _exits_per_resident_year(obs: Mapping[str, Any]) -> Estimate:
    return _exits(obs, None)


def _deaths_per_resident_year(obs: Mapping[str, Any]) -> Estimate:
    return _exits(obs, ("death",))


def _ruptures_per_resident_year(obs: Mapping[str, Any]) -> Estimate:
    count = _tensions(obs, ("care_path_rupture",), "count")
    return rate(count, obs["resident_days"], 365.25)


# --- The model's side: one value per replication, from a run's (days, replications) series.

Series = Callable[[str], np.ndarray]


def _total_per(name: str, days: float) -> Callable[[Series], np.ndarray]:
    """The metric's total over the run, per `days` days."""

    def modelled(series: Series) -> np.ndarray:
        values = series(name)
        return values.sum(axis=0) / values.shape[0] * days

    return modelled


def _per_month_total(name: str) -> Callable[[Series], np.ndarray]:
    return _total_per(name, DAYS_PER_MONTH)


def _per_week_total(name: str) -> Callable[[Series], np.ndarray]:
    return _total_per(name, 7.0)


def _mean(name: str, factor: float = 1.0) -> Callable[[Series], np.ndarray]:
    def modelled(series: Series) -> np.ndarray:
        return series(name).mean(axis=0) * factor

    return modelled


def _per_resident_year(name: str) -> Callable[[Series], np.ndarray]:
    def modelled(series: Series) -> np.ndarray:
        resident_days = series("residents").sum(axis=0)
        events = series(name).sum(axis=0)
        return np.divide(
            events * 365.25, resident_days, out=np.zeros_like(events), where=resident_days > 0
        )

    return modelled


@dataclass(frozen=True)
class Measure:
    """One figure both the records and the model give, in the same unit.

    Attributes:
        key: a stable identifier (CLI, tests, saved results).
        label_fr: the figure, in French, as the screens say it.
        unit_fr: its unit, in French.
        metrics: the simulation metrics the model's side reads.
        observed: the figure from the observations.
        modelled: the figure per replication, from a function giving a metric's
            (days, replications) series.
        basis_fr: how the two sides were made comparable and what differs (French:
            the screen shows it).
    """

    key: str
    label_fr: str
    unit_fr: str
    metrics: tuple[str, ...]
    observed: Callable[[Mapping[str, Any]], Estimate]
    modelled: Callable[[Series], np.ndarray]
    basis_fr: str


MEASURES: tuple[Measure, ...] = (
    Measure(
        "conflicts_per_month",
        "Conflits (entre habitants, espaces communs, intervenants)",
        "par mois",
        ("conflicts_new",),
        _conflicts_per_month,
        _per_month_total("conflicts_new"),
        "les tensions saisies des trois sortes que les conflits du modèle représentent "
        "(entre habitants, espaces communs, intervenants), face aux nouveaux conflits du "
        "modèle. Les fiches ne notent que ce que l'équipe a vu.",
    ),
    Measure(
        "conflicts_open",
        "Conflits ouverts un jour donné",
        "en moyenne",
        ("conflicts_open",),
        _conflicts_open,
        _mean("conflicts_open"),
        "les jours où chacune de ces tensions est restée ouverte pendant la période, "
        "divisés par le nombre de jours de la période.",
    ),
    Measure(
        "autonomy_safety_open",
        "Désaccords autonomie / sécurité ouverts un jour donné",
        "en moyenne",
        ("autonomy_safety_disputes",),
        _autonomy_safety_open,
        _mean("autonomy_safety_disputes"),
        "les tensions « autonomie / sécurité » ouvertes, face aux désaccords ouverts du modèle.",
    ),
    Measure(
        "participation",
        "Habitants ayant participé à une activité dans la semaine",
        "part",
        ("participation_rate",),
        _participation,
        _mean("participation_rate"),
        "fiches : habitants présents à au moins une activité dans la semaine, sur ceux qui "
        "habitaient là cette semaine ; modèle : part des habitants à domicile ayant participé "
        "dans les 7 derniers jours.",
    ),
    Measure(
        "activities_per_week",
        "Activités collectives tenues",
        "par semaine",
        ("activities_held",),
        _activities_per_week,
        _per_week_total("activities_held"),
        "les activités non annulées du calendrier, face aux activités tenues dans le modèle.",
    ),
    Measure(
        "animator_hours_per_week",
        "Temps de l'animateur·rice (toutes fonctions)",
        "h/semaine",
        ("animator_hours_worked",),
        _hours_per_week,
        _mean("animator_hours_worked", 7.0),
        "les heures saisies dans le relevé de temps (les quatre fonctions), face aux heures "
        "données par l'animateur·rice du modèle ; l'incertitude vient de l'écart entre les "
        "semaines.",
    ),
    Measure(
        "exits_per_resident_year",
        "Départs (toutes raisons)",
        "par habitant et par an",
        ("exits", "residents"),
        _exits_per_resident_year,
        _per_resident_year("exits"),
        "les départs rapportés aux années vécues dans l'habitat, des deux côtés.",
    ),
    Measure(
        "deaths_per_resident_year",
        "Décès",
        "par habitant et par an",
        ("exits_death", "residents"),
        _deaths_per_resident_year,
        _per_resident_year("exits_death"),
        "les décès rapportés aux années vécues dans l'habitat, des deux côtés.",
    ),
    Measure(
        "ruptures_per_resident_year",
        "Ruptures du parcours (retours d'hôpital non préparés, intervenants qui arrêtent…)",
        "par habitant et par an",
        ("ruptures", "residents"),
        _ruptures_per_resident_year,
        _per_resident_year("ruptures"),
        "les tensions « rupture du parcours » saisies, face aux ruptures du modèle (retours "
        "d'hôpital non préparés, intervenant qui s'arrête sans relais, déménagement forcé, "
        "retrait d'une famille très présente), rapportées aux années vécues dans l'habitat. "
        "Les fiches ne notent que les ruptures que l'équipe a vues.",
    ),
)


class Verdict:
    """Where an observation falls against the model's band (French, as shown)."""

    INSIDE = "conforme à la prévision"
    ABOVE = "plus haut que prévu"
    BELOW = "plus bas que prévu"
    UNKNOWN = "rien à comparer"


def verdict(observed: Estimate, band: tuple[float, float]) -> str:
    """Inside when the observation's interval meets the model's 90 % band."""
    if observed.value is None or observed.low is None or observed.high is None:
        return Verdict.UNKNOWN
    low, high = band
    if observed.high < low:
        return Verdict.BELOW
    if observed.low > high:
        return Verdict.ABOVE
    return Verdict.INSIDE


@dataclass(frozen=True)
class Comparison:
    """One measure: the model's median and 90 % band, the observation, the verdict."""

    measure: Measure
    median: float
    band: tuple[float, float]
    observed: Estimate
    verdict: str


def compare(series: Series, observations: Mapping[str, Any] | None) -> list[Comparison]:
    """Each measure's model band, and (when given) the observation and the verdict."""
    rows = []
    for measure in MEASURES:
        values = measure.modelled(series)
        low, median, high = (float(v) for v in np.percentile(values, [LOW, 50.0, HIGH]))
        observed = (
            measure.observed(observations)
            if observations is not None
            else Estimate(None, None, None, 0)
        )
        rows.append(
            Comparison(measure, median, (low, high), observed, verdict(observed, (low, high)))
        )
    return rows
