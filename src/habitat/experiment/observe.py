"""A run that keeps who lives where: what cohort statistics are read from.

`simulate` keeps metrics summed over the habitat; following people (a cohort
present on day 0, the return of one resident from hospital) needs each
dwelling's state day by day and the event log with its dwelling. `observe` runs
the same model and keeps both, read-only: the model is not changed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from habitat.scenario import Scenario
from habitat.sim.model import HabitatModel
from habitat.sim.run import SimulationResult

__all__ = ["Observation", "observe"]


@dataclass(frozen=True)
class Observation:
    """A run's metrics with each dwelling's state every day and the located event log.

    Attributes:
        result: the run's metrics, as `simulate` gives them (events included).
        gir: int8 (days + 1, dwellings, replications): autonomy level at the end of
            each day, row 0 the day-0 state; meaningless where `occupied` is false.
        occupied: bool, same shape: someone lives in the dwelling.
        family_hours: float32, same shape: usual weekly hours of the resident's
            family while it still helps, else 0.
        male: bool, same shape: the resident is a man.
        events: the event log with a `slot` column (the dwelling; -1 for an event
            not about one resident).
    """

    result: SimulationResult
    gir: np.ndarray
    occupied: np.ndarray
    family_hours: np.ndarray
    male: np.ndarray
    events: pd.DataFrame

    @property
    def days(self) -> int:
        """Number of simulated days."""
        return self.gir.shape[0] - 1

    @property
    def replications(self) -> int:
        """Number of replications."""
        return self.gir.shape[2]


def observe(
    scenario: Scenario, replications: int, seed: int, days: int | None = None
) -> Observation:
    """Simulate a scenario keeping each dwelling's state and the event log.

    Args:
        scenario: a validated scenario.
        replications: independent replications, carried together in one model.
        seed: random seed; the metrics equal `simulate(scenario, days, replications, seed)`.
        days: horizon; defaults to the scenario's.

    Returns:
        The observation.
    """
    if days is not None and days != scenario.days:
        scenario = scenario.with_days(days)
    model = HabitatModel(scenario, replications=replications, seed=seed, record_events=True)
    shape = (scenario.days + 1, model.dwellings, model.replications)
    gir = np.zeros(shape, dtype=np.int8)
    occupied = np.zeros(shape, dtype=bool)
    family_hours = np.zeros(shape, dtype=np.float32)
    male = np.zeros(shape, dtype=bool)

    def keep(day: int) -> None:
        residents, families = model.state.residents, model.state.families
        gir[day] = residents.gir
        occupied[day] = residents.occupied
        family_hours[day] = np.where(families.active, families.hours_per_week, 0.0)
        male[day] = residents.male

    keep(0)
    for day in range(1, scenario.days + 1):
        model.step()
        keep(day)
    events = model.log.to_frame()
    slots = {agent.name: agent.slot for agent in model.residents}
    events["slot"] = events["who"].map(slots).fillna(-1).astype(np.int64)
    result = SimulationResult(
        scenario=scenario,
        seed=seed,
        replications=replications,
        values=model.metrics,
        events=events.drop(columns="slot"),
        names=model.metric_names,
    )
    return Observation(result, gir, occupied, family_hours, male, events)
