"""Named statistics: what a published figure measures, read from an observed run.

Each statistic is a function `(observation, horizon) -> Measure`: one value per
replication, with the number of people it is a share of when it is a share of
people (then replications are pooled: the published figure is a share of a
population, not of one habitat). A statistic the model cannot measure raises
`NotMeasurable` saying why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from habitat.experiment.observe import Observation

__all__ = [
    "STATISTICS",
    "Measure",
    "NotMeasurable",
    "avp_income_per_habitat_year",
    "median_family_hours_gir_1_2",
    "median_family_hours_gir_5_6",
    "share_dead_within_horizon",
    "share_gir4_changed_within_horizon",
    "share_of_apa_closures_that_are_deaths",
    "share_of_exits_that_are_deaths",
    "share_of_returns_with_adverse_event",
]

#: Event kinds by which a resident leaves the habitat.
EXIT_KINDS = ("death", "exit_institution", "exit_other")
#: Event kinds of a return home from hospital.
RETURN_KINDS = ("return_coordinated", "return_rupture")
#: Days in a year, to turn a horizon's total into a yearly amount.
DAYS_PER_YEAR = 365.0


class NotMeasurable(Exception):  # noqa: N818 - reads as what it is: `except NotMeasurable`
    """The model cannot measure what the figure is about; `str()` says why."""


@dataclass(frozen=True)
class Measure:
    """A statistic's value in each replication.

    Attributes:
        values: float (replications,); NaN where the replication has nobody to measure.
        people: for a share of people, how many it is a share of in each
            replication (replications are then pooled by these weights); None for a
            quantity of the habitat itself.
    """

    values: np.ndarray
    people: np.ndarray | None = None

    @property
    def pooled(self) -> float:
        """The share over all replications' people, or the mean over replications."""
        if self.people is None:
            kept = self.values[~np.isnan(self.values)]
            return float(kept.mean()) if kept.size else float("nan")
        total = self.people.sum()
        if total == 0:
            return float("nan")
        return float(np.nansum(self.values * self.people) / total)


def _share(numerator: np.ndarray, denominator: np.ndarray) -> Measure:
    values = np.divide(
        numerator,
        denominator,
        out=np.full(numerator.shape, np.nan),
        where=denominator > 0,
    )
    return Measure(values, denominator.astype(np.float64))


def _share_of_events(observation: Observation, counted, among) -> Measure:
    """The share of events `among` that are also `counted`, per replication.

    Both are the replication numbers of the events (one entry per event).
    """
    reps = observation.replications
    return _share(np.bincount(counted, minlength=reps), np.bincount(among, minlength=reps))


def _check_horizon(observation: Observation, horizon: int) -> None:
    if horizon > observation.days:
        raise ValueError(f"horizon {horizon} is past the run's {observation.days} days")


def _first_exit(observation: Observation, horizon: int) -> tuple[np.ndarray, np.ndarray]:
    """Each dwelling's first exit up to `horizon`: (day, died), shape (dwellings, replications).

    The first exit from a dwelling occupied on day 0 is its first occupant's.
    Where nobody left, day is `horizon + 1` and died is false.
    """
    _, dwellings, replications = observation.gir.shape
    day = np.full((dwellings, replications), horizon + 1, dtype=np.int64)
    died = np.zeros((dwellings, replications), dtype=bool)
    events = observation.events
    exits = events[events["kind"].isin(EXIT_KINDS) & (events["day"] <= horizon)]
    first = exits.sort_values("day", kind="stable").groupby(["slot", "replication"]).head(1)
    slots, reps = first["slot"].to_numpy(), first["replication"].to_numpy()
    day[slots, reps] = first["day"].to_numpy()
    died[slots, reps] = (first["kind"] == "death").to_numpy()
    return day, died


#: GIR levels that open a right to the APA: the population of the DREES figures.
APA_LEVELS = 4


def share_dead_within_horizon(observation: Observation, horizon: int) -> Measure:
    """Share of the day-0 residents at GIR 1-4 (APA levels) who died in the habitat by `horizon`.

    A resident who moves out is not followed and counts as alive.
    """
    _check_horizon(observation, horizon)
    cohort = observation.occupied[0] & (observation.gir[0] <= APA_LEVELS)
    _, died = _first_exit(observation, horizon)
    return _share((cohort & died).sum(axis=0), cohort.sum(axis=0))


def share_gir4_changed_within_horizon(observation: Observation, horizon: int) -> Measure:
    """Share of men at GIR 4 on day 0, still there at `horizon`, whose GIR changed.

    A change is any day on which their GIR differed from 4 (up or down).
    """
    _check_horizon(observation, horizon)
    exit_day, _ = _first_exit(observation, horizon)
    cohort = (
        observation.occupied[0]
        & observation.male[0]
        & (observation.gir[0] == 4)
        & (exit_day > horizon)
    )
    # Nobody in the cohort left, so each dwelling's GIR is its first occupant's throughout.
    changed = (observation.gir[1 : horizon + 1] != 4).any(axis=0)
    return _share((cohort & changed).sum(axis=0), cohort.sum(axis=0))


def share_of_exits_that_are_deaths(observation: Observation, horizon: int) -> Measure:
    """Share of all residents' exits up to `horizon` that are deaths (the rest: moves out)."""
    _check_horizon(observation, horizon)
    events = observation.events
    exits = events[events["kind"].isin(EXIT_KINDS) & (events["day"] <= horizon)]
    deaths = exits.loc[exits["kind"] == "death", "replication"]
    return _share_of_events(observation, deaths, exits["replication"])


#: Exits that close a resident's APA right: a death, a move elsewhere. A move to an
#: institution keeps it (APA en établissement follows APA à domicile, DREES 2018).
APA_CLOSING_EXITS = ("death", "exit_other")


def share_of_apa_closures_that_are_deaths(observation: Observation, horizon: int) -> Measure:
    """Share of the APA rights closed up to `horizon` that closed by the holder's death.

    A resident at GIR 1-4 holds the right. It closes at their death, at a move out
    other than to an institution, or at a reassessment to GIR 5-6 (a
    `gir_improvement` out of the APA levels). A move to an institution keeps the
    right (the APA continues there), so it closes nothing: the DREES figure counts
    closures, not moves. Replications are pooled by closures.
    """
    _check_horizon(observation, horizon)
    events = observation.events
    kinds = (*APA_CLOSING_EXITS, "gir_improvement")
    window = events[events["kind"].isin(kinds) & (events["day"] >= 1) & (events["day"] <= horizon)]
    day, slot, rep = (window[c].to_numpy() for c in ("day", "slot", "replication"))
    before = observation.gir[day - 1, slot, rep]
    after = observation.gir[day, slot, rep]
    kind = window["kind"].to_numpy()
    holder = before <= APA_LEVELS
    leaves_apa = (kind != "gir_improvement") | (after > APA_LEVELS)
    closed = holder & leaves_apa
    return _share_of_events(observation, rep[closed & (kind == "death")], rep[closed])


def share_of_returns_with_adverse_event(observation: Observation, horizon: int) -> Measure:
    """Share of returns home from hospital followed by an adverse event.

    The model logs an `adverse_event` on the day and for the resident of the return
    it follows (Forster 2003 counts any injury due to medical management in the
    following weeks, whether or not it costs autonomy).
    """
    _check_horizon(observation, horizon)
    events = observation.events
    window = events[events["day"] <= horizon]
    returns = window[window["kind"].isin(RETURN_KINDS)]
    adverse = window[window["kind"] == "adverse_event"]
    return _share_of_events(observation, adverse["replication"], returns["replication"])


def _median_family_hours(observation: Observation, horizon: int, band: tuple[int, int]) -> Measure:
    _check_horizon(observation, horizon)
    gir = observation.gir[1 : horizon + 1]
    hours = observation.family_hours[1 : horizon + 1]
    seen = observation.occupied[1 : horizon + 1] & (gir >= band[0]) & (gir <= band[1]) & (hours > 0)
    values = np.full(observation.replications, np.nan)
    for replication in np.flatnonzero(seen.any(axis=(0, 1))):
        column = seen[:, :, replication]
        values[replication] = np.median(hours[:, :, replication][column])
    if np.isnan(values).all():
        raise NotMeasurable(
            f"no resident at GIR {band[0]}-{band[1]} with a helping family in any replication "
            f"within {horizon} days"
        )
    return Measure(values)


def median_family_hours_gir_1_2(observation: Observation, horizon: int) -> Measure:
    """Median weekly family hours of residents at GIR 1-2 whose family helps (resident-days)."""
    return _median_family_hours(observation, horizon, (1, 2))


def median_family_hours_gir_5_6(observation: Observation, horizon: int) -> Measure:
    """Median weekly family hours of residents at GIR 5-6 whose family helps (resident-days)."""
    return _median_family_hours(observation, horizon, (5, 6))


def avp_income_per_habitat_year(observation: Observation, horizon: int) -> Measure:
    """AVP received by the habitat over `horizon` days, per year (EUR)."""
    _check_horizon(observation, horizon)
    result = observation.result
    if "avp_income_eur" not in result.names:
        raise NotMeasurable("the run did not record avp_income_eur")
    column = result.names.index("avp_income_eur")
    total = result.values[:horizon, column, :].astype(np.float64).sum(axis=0)
    return Measure(total * DAYS_PER_YEAR / horizon)


#: Every statistic an evidence entry may name.
STATISTICS: dict[str, Callable[[Observation, int], Measure]] = {
    f.__name__: f
    for f in (
        share_dead_within_horizon,
        share_gir4_changed_within_horizon,
        share_of_apa_closures_that_are_deaths,
        share_of_exits_that_are_deaths,
        share_of_returns_with_adverse_event,
        median_family_hours_gir_1_2,
        median_family_hours_gir_5_6,
        avp_income_per_habitat_year,
    )
}


def events_frame(rows: list[tuple[int, int, str, int]]) -> pd.DataFrame:
    """An event log with located events, from (replication, day, kind, slot) rows (for tests)."""
    frame = pd.DataFrame(rows, columns=["replication", "day", "kind", "slot"])
    frame["who"] = [f"resident {s}" if s >= 0 else "residents" for s in frame["slot"]]
    frame["what"] = ""
    return frame.astype({"replication": np.int64, "day": np.int64, "slot": np.int64})
