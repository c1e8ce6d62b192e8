"""Run a chunk of points: one batched `simulate` call per point, rows out, failures kept."""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from habitat.scenario import scenario_from_data
from habitat.sim.metrics import METRIC_NAMES
from habitat.sim.run import SimulationResult, simulate

__all__ = ["Chunk", "ChunkResult", "PointTask", "empty_rows", "run_chunk", "run_point"]


@dataclass(frozen=True)
class PointTask:
    """One point: its index, its seed and the scenario values its factors set."""

    point: int
    seed: int
    values: dict[str, Any]


@dataclass(frozen=True)
class Chunk:
    """Several points sent to a worker at once, with everything needed to run them."""

    scenario: dict[str, Any]
    replications: int
    summaries: tuple[str, ...]
    daily: tuple[str, ...]
    points: tuple[PointTask, ...]

    @property
    def indices(self) -> list[int]:
        """The points' indices."""
        return [task.point for task in self.points]


@dataclass
class ChunkResult:
    """What a chunk produced: summary rows, daily rows, and the points that failed."""

    rows: pd.DataFrame
    daily: pd.DataFrame | None
    failures: list[dict[str, Any]] = field(default_factory=list)


def run_point(scenario: dict[str, Any], task: PointTask, replications: int) -> SimulationResult:
    """Build the point's scenario from the base and its factor values, and simulate it.

    All the point's replications run in one batched model seeded with the point's
    seed: replication r is column r of that model, so replications draw from one
    stream and are independent of each other.
    """
    from habitat.experiment.spec import assign

    point = scenario_from_data(assign(scenario, task.values), source=f"point {task.point}")
    return simulate(point, replications=replications, seed=task.seed, record_events=False)


def run_chunk(chunk: Chunk) -> ChunkResult:
    """Run every point of a chunk; a failing point is recorded and the others go on."""
    rows, daily, failures = [], [], []
    for task in chunk.points:
        try:
            result = run_point(chunk.scenario, task, chunk.replications)
        except Exception as exc:
            failures.append(
                {
                    "point": task.point,
                    "error": f"{type(exc).__name__}: {exc}",
                    "traceback": traceback.format_exc(limit=-3),
                }
            )
            continue
        rows.append(_summary_rows(result, task.point, chunk.summaries))
        if chunk.daily:
            daily.append(_daily_rows(result, task.point, chunk.daily))
    return ChunkResult(
        rows=pd.concat(rows, ignore_index=True) if rows else empty_rows(chunk.summaries),
        daily=pd.concat(daily, ignore_index=True) if daily else None,
        failures=failures,
    )


def _summary_rows(result: SimulationResult, point: int, names: tuple[str, ...]) -> pd.DataFrame:
    table = result.per_replication()[list(names)].astype(np.float64)
    table.insert(0, "replication", np.arange(result.replications, dtype=np.int64))
    table.insert(0, "point", np.int64(point))
    return table


def _daily_rows(result: SimulationResult, point: int, names: tuple[str, ...]) -> pd.DataFrame:
    days, _, reps = result.values.shape
    columns = [METRIC_NAMES.index(name) for name in names]
    values = result.values[:, columns, :].transpose(2, 0, 1).reshape(days * reps, len(columns))
    table = pd.DataFrame(values, columns=list(names))
    table.insert(0, "day", np.tile(np.arange(1, days + 1, dtype=np.int64), reps))
    table.insert(0, "replication", np.repeat(np.arange(reps, dtype=np.int64), days))
    table.insert(0, "point", np.int64(point))
    return table


def empty_rows(names: tuple[str, ...]) -> pd.DataFrame:
    """A summary table with no rows: `point`, `replication`, then each output."""
    columns = {"point": np.int64, "replication": np.int64} | dict.fromkeys(names, np.float64)
    return pd.DataFrame({name: pd.Series(dtype=kind) for name, kind in columns.items()})
