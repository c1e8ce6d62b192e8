"""Run a scenario: `simulate()` and the results it returns."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from habitat.scenario import Scenario
from habitat.sim.metrics import METRIC_NAMES, METRICS, Metric
from habitat.sim.model import HabitatModel

#: Below this many replications the event log is kept unless asked otherwise: more
#: would be a story nobody reads and memory nobody needs.
EVENTS_MAX_REPLICATIONS = 10
#: The summary's interval: 5th to 95th percentile, a 90 % interval.
INTERVAL = (5.0, 95.0)


@dataclass(frozen=True)
class SimulationResult:
    """What one run produced.

    Attributes:
        scenario: the scenario as run (horizon included).
        seed: the seed the run used.
        replications: number of replications.
        values: metrics, shape (days, metrics, replications), in `names` order.
        events: the event log (replication, day, kind, who, what), or None.
        names: the metrics recorded: all of `METRIC_NAMES` unless the run asked for
            fewer, in that order.
    """

    scenario: Scenario
    seed: int
    replications: int
    values: np.ndarray
    events: pd.DataFrame | None
    names: tuple[str, ...] = METRIC_NAMES

    @property
    def days(self) -> int:
        """Number of simulated days."""
        return self.values.shape[0]

    @property
    def metrics(self) -> pd.DataFrame:
        """One row per replication and day: `replication`, `day`, then every metric."""
        days, _, reps = self.values.shape
        flat = self.values.transpose(2, 0, 1).reshape(days * reps, -1)
        frame = pd.DataFrame(flat, columns=list(self.names))
        for metric in self._recorded():
            if metric.integer:
                frame[metric.name] = frame[metric.name].astype(np.int64)
        frame.insert(0, "day", np.tile(np.arange(1, days + 1, dtype=np.int64), reps))
        frame.insert(0, "replication", np.repeat(np.arange(reps, dtype=np.int64), days))
        return frame

    def per_replication(self) -> pd.DataFrame:
        """One row per replication: each metric reduced as its `summary` says."""
        return pd.DataFrame(
            {m.name: m.over_the_run(self.values[:, i, :]) for i, m in enumerate(self._recorded())}
        )

    def _recorded(self) -> list[Metric]:
        return [m for m in METRICS if m.name in self.names]

    def summary(self, key_only: bool = True) -> pd.DataFrame:
        """Median and 90 % interval over replications of each (key) metric."""
        table = self.per_replication()
        rows = []
        for metric in self._recorded():
            if key_only and not metric.key:
                continue
            column = table[metric.name].to_numpy()
            low, median, high = np.percentile(column, [INTERVAL[0], 50.0, INTERVAL[1]])
            rows.append(
                {
                    "metric": metric.name,
                    "over the run": metric.summary_label,
                    "unit": metric.summary_unit,
                    "median": median,
                    "p5": low,
                    "p95": high,
                }
            )
        return pd.DataFrame(rows)


def simulate(
    scenario: Scenario,
    days: int | None = None,
    replications: int = 1,
    seed: int | None = None,
    record_events: bool | None = None,
    on_day: Callable[[int, int], None] | None = None,
    metrics: Collection[str] | None = None,
) -> SimulationResult:
    """Simulate a scenario.

    Args:
        scenario: a validated scenario (see `load_scenario`).
        days: horizon; defaults to the scenario's `days`.
        replications: independent replications, carried together in one model.
        seed: random seed; None draws one (recorded in the result).
        record_events: keep the event log; by default only for up to
            `EVENTS_MAX_REPLICATIONS` replications.
        on_day: called as `on_day(day, days)` after each day (progress display).
        metrics: record only these metrics (default: all of `METRIC_NAMES`).

    Returns:
        The results; the same scenario, seed and replications give identical values.

    Raises:
        ScenarioError: `days` makes the scenario invalid (a shock after the horizon).
        ValueError: `replications` is below 1.
    """
    if replications < 1:
        raise ValueError(f"replications must be at least 1, got {replications}")
    if days is not None and days != scenario.days:
        scenario = scenario.with_days(days)
    if seed is None:
        entropy = np.random.SeedSequence().entropy
        assert isinstance(entropy, int)  # drawn fresh: one number (numpy types it wider)
        seed = int(entropy % (2**63))
    if record_events is None:
        record_events = replications <= EVENTS_MAX_REPLICATIONS
    model = HabitatModel(
        scenario,
        replications=replications,
        seed=seed,
        record_events=record_events,
        metrics=metrics,
    )
    for _ in range(scenario.days):
        model.step()
        if on_day is not None:
            on_day(model.day, scenario.days)
    return SimulationResult(
        scenario=scenario,
        seed=seed,
        replications=replications,
        values=model.metrics,
        events=model.log.to_frame() if record_events else None,
        names=model.metric_names,
    )


def simulate_batch(
    scenarios: Sequence[Scenario],
    replications: int,
    seeds: Sequence[int],
    days: int | None = None,
    metrics: Collection[str] | None = None,
    on_day: Callable[[int, int], None] | None = None,
) -> list[SimulationResult]:
    """Simulate several habitats of the same shape in one batched model.

    Habitat h runs with `seeds[h]` and gets exactly what `simulate(scenarios[h],
    days, replications, seeds[h])` gives (without the event log), but the day's
    Python work is shared by the whole batch: for many small habitats this is much
    faster than one run each.

    Args:
        scenarios: habitats with the same `batch_key` (see `habitat.sim.batch`).
        replications: replications per habitat.
        seeds: one seed per habitat.
        days: horizon; defaults to the scenarios' `days` (which must then agree).
        metrics: record only these metrics (default: all of `METRIC_NAMES`).
        on_day: called as `on_day(day, days)` after each day (progress; an exception
            it raises stops the run and reaches the caller).

    Returns:
        One result per habitat, in order.

    Raises:
        BatchError: the scenarios differ in a field that shapes the run.
        ScenarioError: `days` makes a scenario invalid.
        ValueError: `replications` is below 1, or seeds and scenarios do not pair up.
    """
    if replications < 1:
        raise ValueError(f"replications must be at least 1, got {replications}")
    if len(seeds) != len(scenarios) or not scenarios:
        raise ValueError(f"{len(scenarios)} scenarios need as many seeds, got {len(seeds)}")
    if days is not None:
        scenarios = [s if s.days == days else s.with_days(days) for s in scenarios]
    model = HabitatModel(
        list(scenarios), replications=replications, seed=list(seeds), metrics=metrics
    )
    for _ in range(model.scenario.days):
        model.step()
        if on_day is not None:
            on_day(model.day, model.scenario.days)
    values, names = model.metrics, model.metric_names
    del model
    return [
        SimulationResult(
            scenario=scenario,
            seed=seed,
            replications=replications,
            values=np.ascontiguousarray(values[:, :, h * replications : (h + 1) * replications]),
            events=None,
            names=names,
        )
        for h, (scenario, seed) in enumerate(zip(scenarios, seeds, strict=True))
    ]
